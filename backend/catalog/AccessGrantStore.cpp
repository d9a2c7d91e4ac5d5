#include "catalog/AccessGrantStore.h"

#include "catalog/Catalog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {

const char* GrantColumns = "id, project_id, environment_id, db_role, login, mode, reason, requested_by, requested_at, "
                           "valid_until, verifier, state, agent, detail, ended_at";

QDateTime parseTime(const QVariant& v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

AccessGrantStore::Grant grantFromQuery(const QSqlQuery& q)
{
    AccessGrantStore::Grant g;
    g.id = q.value(0).toLongLong();
    g.projectId = q.value(1).toString();
    g.environmentId = q.value(2).toString();
    g.databaseRole = q.value(3).toString();
    g.login = q.value(4).toString();
    g.readWrite = q.value(5).toString() == QLatin1String("read-write");
    g.reason = q.value(6).toString();
    g.requestedBy = q.value(7).toString();
    g.requestedAt = parseTime(q.value(8));
    g.validUntil = parseTime(q.value(9));
    g.verifier = q.value(10).toString();
    g.state = q.value(11).toString();
    g.agent = q.value(12).toString();
    g.detail = q.value(13).toString();
    g.endedAt = parseTime(q.value(14));
    return g;
}

QString timeText(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

QJsonObject AccessGrantStore::Grant::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("environment"), environmentId},
            {QStringLiteral("database"), databaseRole},
            {QStringLiteral("login"), login},
            {QStringLiteral("mode"), readWrite ? QStringLiteral("read-write") : QStringLiteral("read-only")},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("requestedBy"), requestedBy},
            {QStringLiteral("requestedAt"), timeText(requestedAt)},
            {QStringLiteral("validUntil"), timeText(validUntil)},
            {QStringLiteral("state"), state},
            {QStringLiteral("detail"), detail}};
}

AccessGrantStore::AccessGrantStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

std::optional<qint64> AccessGrantStore::request(const Grant& g, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO access_grants (project_id, environment_id, db_role, login, mode, reason, "
                             "requested_by, requested_at, valid_until, verifier, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, 'Requested') RETURNING id"));
    q.addBindValue(g.projectId);
    q.addBindValue(g.environmentId);
    q.addBindValue(g.databaseRole);
    q.addBindValue(g.login);
    q.addBindValue(g.readWrite ? QStringLiteral("read-write") : QStringLiteral("read-only"));
    q.addBindValue(g.reason);
    q.addBindValue(Catalog::currentUser());
    q.addBindValue(Catalog::now());
    q.addBindValue(timeText(g.validUntil));
    q.addBindValue(g.verifier);
    if (!q.exec() || !q.next()) {
        *error = Catalog::serverMessage(q.lastError());
        return std::nullopt;
    }
    const qint64 id = q.value(0).toLongLong();
    m_catalog.audit(QStringLiteral("access.request"), g.environmentId,
                    QStringLiteral("grant %1: %2 login %3 on the %4 database until %5: %6")
                        .arg(id)
                        .arg(g.readWrite ? QStringLiteral("read-write") : QStringLiteral("read-only"), g.login,
                             g.databaseRole, timeText(g.validUntil), g.reason));
    return id;
}

std::optional<AccessGrantStore::Grant> AccessGrantStore::get(qint64 id) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM access_grants WHERE id = ?").arg(QLatin1String(GrantColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return grantFromQuery(q);
}

QList<AccessGrantStore::Grant> AccessGrantStore::list(const QString& environmentId) const
{
    QList<Grant> result;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM access_grants WHERE ? = '' OR environment_id = ? ORDER BY id DESC")
                  .arg(QLatin1String(GrantColumns)));
    const QString env = environmentId.isNull() ? QStringLiteral("") : environmentId;
    q.addBindValue(env);
    q.addBindValue(env);
    if (q.exec()) {
        while (q.next())
            result.append(grantFromQuery(q));
    }
    return result;
}

bool AccessGrantStore::requestRevocation(qint64 id, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE access_grants SET state = 'Revoking' WHERE id = ? AND state IN ('Requested', "
                             "'Active')"));
    q.addBindValue(id);
    if (!q.exec()) {
        *error = Catalog::serverMessage(q.lastError());
        return false;
    }
    if (q.numRowsAffected() != 1) {
        *error = tr("Grant %1 is not live, or not yours to revoke.").arg(id);
        return false;
    }
    m_catalog.audit(QStringLiteral("access.revoke"), QString::number(id), QString());
    return true;
}

QList<AccessGrantStore::Grant> AccessGrantStore::pending(const QDateTime& now) const
{
    QList<Grant> result;
    QSqlQuery q(m_catalog.database());
    // An Active grant whose database an operation replaced since it was granted (a
    // refresh, restore or import that completed): the login goes with the old database.
    q.prepare(QStringLiteral("SELECT %1, (SELECT max(o.id) FROM operations o WHERE o.target = g.environment_id AND "
                             "o.kind IN ('refresh', 'restore', 'import') AND o.state IN ('Completed', 'SignedOff') AND "
                             "o.finished > g.requested_at) FROM access_grants g WHERE g.state IN ('Requested', "
                             "'Revoking', 'Active') ORDER BY g.id")
                  .arg(QLatin1String(GrantColumns)));
    if (!q.exec())
        return result;
    while (q.next()) {
        Grant g = grantFromQuery(q);
        const qint64 replacedBy = q.value(15).toLongLong();
        if (g.state == QLatin1String("Active")) {
            if (replacedBy > 0)
                g.detail = tr("operation %1 replaced the database").arg(replacedBy);
            else if (g.validUntil.isValid() && g.validUntil <= now)
                g.detail = tr("it expired");
            else
                continue;
        }
        result.append(g);
    }
    return result;
}

bool AccessGrantStore::setState(qint64 id, const QString& from, const QString& to, const QString& detail,
                                const QString& agent)
{
    QSqlQuery q(m_catalog.database());
    const bool ended = to != QLatin1String("Active");
    q.prepare(QStringLiteral("UPDATE access_grants SET state = ?, detail = ?, agent = ?, ended_at = ? WHERE id = ? AND "
                             "state = ?"));
    q.addBindValue(to);
    q.addBindValue(detail);
    q.addBindValue(agent);
    q.addBindValue(ended ? Catalog::now() : QStringLiteral(""));
    q.addBindValue(id);
    q.addBindValue(from);
    if (!q.exec() || q.numRowsAffected() != 1)
        return false;
    m_catalog.audit(QStringLiteral("access.%1").arg(to.toLower()), QString::number(id), detail);
    return true;
}

QStringList AccessGrantStore::migrationStatements()
{
    QStringList s;
    s << QStringLiteral("ALTER TABLE access_grants ENABLE ROW LEVEL SECURITY");
    s << QStringLiteral("GRANT SELECT, INSERT, UPDATE ON access_grants TO PUBLIC");
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO PUBLIC', "
                        "current_schema()); END $$");
    s << QStringLiteral("CREATE POLICY access_grants_read ON access_grants FOR SELECT USING "
                        "(dataalm_may_env(environment_id, 'read'))");
    // A person asks in their own name, on what they may operate; read-write never on production.
    s << QStringLiteral(
        "CREATE POLICY access_grants_insert ON access_grants FOR INSERT WITH CHECK (dataalm_is_agent() OR "
        "(requested_by = session_user AND state = 'Requested' AND dataalm_may_env(environment_id, 'operate') AND NOT "
        "(mode = 'read-write' AND coalesce((SELECT e.type FROM environments e WHERE e.id = environment_id), '') = "
        "'production')))");
    s << QStringLiteral("CREATE POLICY access_grants_update ON access_grants FOR UPDATE USING (dataalm_is_agent() OR "
                        "requested_by = session_user OR dataalm_may_env(environment_id, 'manage')) WITH CHECK "
                        "(dataalm_is_agent() OR state = 'Revoking')");
    // What a grant is never changes, and a person only asks for its end.
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_access_grant_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (NEW.id, NEW.project_id, NEW.environment_id, NEW.db_role, NEW.login, NEW.mode, NEW.reason, "
        "NEW.requested_by, NEW.requested_at, NEW.valid_until, NEW.verifier) IS DISTINCT FROM (OLD.id, OLD.project_id, "
        "OLD.environment_id, OLD.db_role, OLD.login, OLD.mode, OLD.reason, OLD.requested_by, OLD.requested_at, "
        "OLD.valid_until, OLD.verifier) THEN RAISE EXCEPTION 'grant % is what it was asked as: ask for another', "
        "OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF NOT dataalm_is_agent() AND NOT (OLD.state IN ('Requested', 'Active') AND NEW.state = 'Revoking') THEN "
        "RAISE EXCEPTION 'only an agent moves grant % from % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = "
        "'insufficient_privilege'; END IF; RETURN NEW; END $$");
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('ALTER FUNCTION dataalm_access_grant_guard() SET search_path = %I, "
                        "pg_temp', current_schema()); END $$");
    s << QStringLiteral("CREATE TRIGGER access_grants_guard BEFORE UPDATE ON access_grants FOR EACH ROW EXECUTE "
                        "FUNCTION dataalm_access_grant_guard()");
    // A grant asked for (or asked to end) wakes the agents, as a request does.
    s << QStringLiteral("CREATE OR REPLACE FUNCTION dataalm_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        "PERFORM pg_notify('dataalm_changes', TG_TABLE_NAME); "
                        "IF TG_TABLE_NAME IN ('operations', 'schedules', 'access_grants') THEN "
                        "PERFORM pg_notify('dataalm_requests', ''); END IF; "
                        "RETURN NULL; END $$");
    s << QStringLiteral("CREATE TRIGGER access_grants_changed AFTER INSERT OR UPDATE ON access_grants FOR EACH STATEMENT "
                        "EXECUTE FUNCTION dataalm_notify_change()");
    return s;
}
