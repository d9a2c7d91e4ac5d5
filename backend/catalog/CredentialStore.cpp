#include "catalog/CredentialStore.h"

#include "catalog/Catalog.h"
#include "catalog/Keychain.h"
#include "environment/Environment.h"

#include <QSqlError>
#include <QSqlQuery>

#include <spdlog/spdlog.h>

namespace {

CredentialStore::Outcome refused(const QSqlError& e, QString* error)
{
    *error = Catalog::serverMessage(e);
    const QString code = e.nativeErrorCode();
    if (code == QLatin1String("P0002")) // no_data_found
        return CredentialStore::Outcome::Unknown;
    if (code == QLatin1String("42501") || code == QLatin1String("22023")) // insufficient_privilege, invalid_parameter_value
        return CredentialStore::Outcome::NotAllowed;
    return CredentialStore::Outcome::Failed;
}

} // namespace

CredentialStore::CredentialStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

QList<CredentialStore::Credential> CredentialStore::list(const QString& environmentId, QString* error) const
{
    QList<Credential> result;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT environment_id, db_role, login, set_by, set_at FROM environment_credentials WHERE "
                             "environment_id = ? ORDER BY db_role DESC"));
    q.addBindValue(environmentId);
    if (!q.exec()) {
        *error = Catalog::serverMessage(q.lastError());
        return result;
    }
    while (q.next()) {
        Credential c;
        c.environmentId = q.value(0).toString();
        c.databaseRole = q.value(1).toString();
        c.login = q.value(2).toString();
        c.setBy = q.value(3).toString();
        c.setAt = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
        result.append(c);
    }
    return result;
}

CredentialStore::Outcome CredentialStore::set(const QString& environmentId, const QString& databaseRole,
                                              const QString& secret, QString* error)
{
    if (secret.isEmpty()) {
        *error = tr("The password is empty: nothing was stored.");
        return Outcome::NotAllowed;
    }
    if (!m_catalog.isTeam())
        return setInKeychain(environmentId, databaseRole, secret, error);
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT dataalm_set_credential(?, ?, ?)"));
    q.addBindValue(environmentId);
    q.addBindValue(databaseRole);
    q.addBindValue(secret);
    if (!q.exec())
        return refused(q.lastError(), error);
    return Outcome::Done;
}

CredentialStore::Outcome CredentialStore::remove(const QString& environmentId, const QString& databaseRole,
                                                 QString* error)
{
    if (!m_catalog.isTeam()) {
        QSqlQuery d(m_catalog.database());
        d.prepare(QStringLiteral("DELETE FROM environment_credentials WHERE environment_id = ? AND db_role = ?"));
        d.addBindValue(environmentId);
        d.addBindValue(databaseRole);
        if (!d.exec()) {
            *error = d.lastError().text();
            return Outcome::Failed;
        }
        if (d.numRowsAffected() != 1) {
            *error = tr("Environment %1 has no credential for its %2 database.").arg(environmentId, databaseRole);
            return Outcome::Unknown;
        }
        if (!Keychain::remove(Keychain::keyFor(m_catalog.folder(), environmentId, databaseRole), error))
            return Outcome::Failed;
        m_catalog.audit(QStringLiteral("credential.remove"), environmentId, databaseRole);
        return Outcome::Done;
    }
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT dataalm_remove_credential(?, ?)"));
    q.addBindValue(environmentId);
    q.addBindValue(databaseRole);
    if (!q.exec())
        return refused(q.lastError(), error);
    return Outcome::Done;
}

CredentialStore::Outcome CredentialStore::reveal(const QString& environmentId, const QString& databaseRole,
                                                 const QString& reason, QString* secret, QString* error)
{
    if (!m_catalog.isTeam())
        return revealFromKeychain(environmentId, databaseRole, reason, secret, error);
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT dataalm_reveal_credential(?, ?, ?)"));
    q.addBindValue(environmentId);
    q.addBindValue(databaseRole);
    q.addBindValue(reason);
    if (!q.exec() || !q.next())
        return refused(q.lastError(), error);
    *secret = q.value(0).toString();
    return Outcome::Done;
}

QList<CredentialStore::ForConnection> CredentialStore::forAgent(const QStringList& environmentIds,
                                                               const QString& why) const
{
    QList<ForConnection> result;
    if (environmentIds.isEmpty())
        return result;
    if (!m_catalog.isTeam())
        return fromKeychain(environmentIds);
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT host, port, login, secret FROM dataalm_agent_credentials(string_to_array(?, ','), ?)"));
    q.addBindValue(environmentIds.join(QLatin1Char(',')));
    q.addBindValue(why);
    if (!q.exec()) {
        spdlog::warn("the team catalog's credentials could not be read: {}", q.lastError().text().toStdString());
        return result;
    }
    while (q.next())
        result.append({q.value(0).toString(), q.value(1).toInt(), q.value(2).toString(), q.value(3).toString()});
    return result;
}

CredentialStore::Outcome CredentialStore::setInKeychain(const QString& environmentId, const QString& databaseRole,
                                                        const QString& secret, QString* error)
{
    QSqlQuery d(m_catalog.database());
    d.prepare(QStringLiteral("SELECT driver, \"user\" FROM environment_databases WHERE environment_id = ? AND role = ?"));
    d.addBindValue(environmentId);
    d.addBindValue(databaseRole);
    if (!d.exec() || !d.next() || d.value(0).toString() != QLatin1String("postgres")) {
        *error = tr("Environment %1 has no PostgreSQL database %2.").arg(environmentId, databaseRole);
        return Outcome::Unknown;
    }
    const QString login = d.value(1).toString();
    if (login.isEmpty()) {
        *error = tr("The %1 database of environment %2 names no login: edit it to connect as one, then set its "
                    "password.")
                     .arg(databaseRole, environmentId);
        return Outcome::NotAllowed;
    }
    // The secret in the OS keychain; the catalog file only knows that there is one.
    if (!Keychain::write(Keychain::keyFor(m_catalog.folder(), environmentId, databaseRole), secret, error))
        return Outcome::Failed;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO environment_credentials (environment_id, db_role, login, secret, set_by, "
                             "set_at) VALUES (?, ?, ?, '', ?, ?) ON CONFLICT (environment_id, db_role) DO UPDATE SET "
                             "login = excluded.login, set_by = excluded.set_by, set_at = excluded.set_at"));
    q.addBindValue(environmentId);
    q.addBindValue(databaseRole);
    q.addBindValue(login);
    q.addBindValue(Catalog::currentUser());
    q.addBindValue(Catalog::now());
    if (!q.exec()) {
        *error = q.lastError().text();
        return Outcome::Failed;
    }
    m_catalog.audit(QStringLiteral("credential.set"), environmentId,
                    QStringLiteral("the password of %1 for the %2 database, in the OS keychain").arg(login, databaseRole));
    return Outcome::Done;
}

CredentialStore::Outcome CredentialStore::revealFromKeychain(const QString& environmentId, const QString& databaseRole,
                                                             const QString& reason, QString* secret, QString* error)
{
    if (reason.trimmed().isEmpty()) {
        *error = tr("A credential is revealed for a reason: give one.");
        return Outcome::NotAllowed;
    }
    const auto env = m_catalog.environment(environmentId);
    if (env && env->type == EnvironmentType::Production) {
        *error = tr("The credentials of production environment %1 are for running its work alone: nobody reveals "
                    "them.")
                     .arg(environmentId);
        return Outcome::NotAllowed;
    }
    const auto kept = Keychain::read(Keychain::keyFor(m_catalog.folder(), environmentId, databaseRole), error);
    if (!kept)
        return Outcome::Failed;
    if (kept->isEmpty()) {
        *error = tr("Environment %1 has no credential for its %2 database.").arg(environmentId, databaseRole);
        return Outcome::Unknown;
    }
    *secret = *kept;
    m_catalog.audit(QStringLiteral("credential.reveal"), environmentId,
                    QStringLiteral("the %1 database: %2").arg(databaseRole, reason.trimmed()));
    return Outcome::Done;
}

QList<CredentialStore::ForConnection> CredentialStore::fromKeychain(const QStringList& environmentIds) const
{
    QList<ForConnection> result;
    for (const QString& id : environmentIds) {
        QSqlQuery q(m_catalog.database());
        q.prepare(QStringLiteral("SELECT d.host, d.port, c.login, c.db_role FROM environment_credentials c JOIN "
                                 "environment_databases d ON d.environment_id = c.environment_id AND d.role = c.db_role "
                                 "WHERE c.environment_id = ?"));
        q.addBindValue(id);
        if (!q.exec())
            continue;
        while (q.next()) {
            QString error;
            const auto secret = Keychain::read(Keychain::keyFor(m_catalog.folder(), id, q.value(3).toString()), &error);
            if (!secret || secret->isEmpty()) {
                spdlog::warn("the OS keychain has no password for the {} database of {}: {}",
                             q.value(3).toString().toStdString(), id.toStdString(), error.toStdString());
                continue;
            }
            result.append({q.value(0).toString(), q.value(1).toInt(), q.value(2).toString(), *secret});
        }
    }
    return result;
}

QStringList CredentialStore::migrationStatements()
{
    const QString now = QStringLiteral("to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
    QStringList s;
    s << QStringLiteral("ALTER TABLE environment_credentials ENABLE ROW LEVEL SECURITY");
    s << QStringLiteral("REVOKE ALL ON environment_credentials FROM PUBLIC");
    s << QStringLiteral("GRANT SELECT (environment_id, db_role, login, set_by, set_at) ON environment_credentials TO "
                        "PUBLIC");
    s << QStringLiteral("CREATE POLICY environment_credentials_read ON environment_credentials FOR SELECT USING "
                        "(dataalm_may_env(environment_id, 'read'))");
    s << QStringLiteral(
             "CREATE FUNCTION dataalm_set_credential(env text, dbrole text, secret text) RETURNS text LANGUAGE plpgsql "
             "SECURITY DEFINER AS $$ DECLARE l text; BEGIN "
             "IF NOT dataalm_may_env(env, 'manage') THEN RAISE EXCEPTION 'only a Project owner or an Environment manager "
             "of its project sets the credentials of environment %', env USING ERRCODE = 'insufficient_privilege'; END IF; "
             "SELECT d.\"user\" INTO l FROM environment_databases d WHERE d.environment_id = env AND d.role = dbrole AND "
             "d.driver = 'postgres'; "
             "IF NOT FOUND THEN RAISE EXCEPTION 'environment % has no PostgreSQL database %', env, dbrole USING ERRCODE = "
             "'no_data_found'; END IF; "
             "IF l = '' THEN RAISE EXCEPTION 'the % database of environment % names no login: edit it to connect as "
             "one, then set its password', dbrole, env USING ERRCODE = 'invalid_parameter_value'; END IF; "
             "INSERT INTO environment_credentials (environment_id, db_role, login, secret, set_by, set_at) VALUES (env, "
             "dbrole, l, secret, session_user, %1) ON CONFLICT (environment_id, db_role) DO UPDATE SET login = "
             "excluded.login, secret = excluded.secret, set_by = excluded.set_by, set_at = excluded.set_at; "
             "INSERT INTO audit (at, who, action, subject, detail) VALUES (%1, session_user, 'credential.set', env, "
             "format('the password of %s for the %s database', l, dbrole)); RETURN l; END $$")
             .arg(now);
    s << QStringLiteral(
             "CREATE FUNCTION dataalm_remove_credential(env text, dbrole text) RETURNS boolean LANGUAGE plpgsql SECURITY "
             "DEFINER AS $$ BEGIN "
             "IF NOT dataalm_may_env(env, 'manage') THEN RAISE EXCEPTION 'only a Project owner or an Environment manager "
             "of its project removes the credentials of environment %', env USING ERRCODE = 'insufficient_privilege'; "
             "END IF; "
             "DELETE FROM environment_credentials WHERE environment_id = env AND db_role = dbrole; "
             "IF NOT FOUND THEN RAISE EXCEPTION 'environment % has no credential for its % database', env, dbrole USING "
             "ERRCODE = 'no_data_found'; END IF; "
             "INSERT INTO audit (at, who, action, subject, detail) VALUES (%1, session_user, 'credential.remove', env, "
             "dbrole); RETURN true; END $$")
             .arg(now);
    // A reveal is audited in the caller's transaction, and in the server's log, which a
    // ROLLBACK cannot take back.
    s << QStringLiteral(
             "CREATE FUNCTION dataalm_reveal_credential(env text, dbrole text, reason text) RETURNS text LANGUAGE plpgsql "
             "SECURITY DEFINER AS $$ DECLARE c record; BEGIN "
             "IF coalesce(btrim(reason), '') = '' THEN RAISE EXCEPTION 'a credential is revealed for a reason: give one' "
             "USING ERRCODE = 'invalid_parameter_value'; END IF; "
             "IF NOT dataalm_may_env(env, 'manage') THEN RAISE EXCEPTION 'only a Project owner or an Environment manager "
             "of its project sees the credentials of environment %', env USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF coalesce((SELECT e.type FROM environments e WHERE e.id = env), '') = 'production' THEN RAISE EXCEPTION "
             "'the credentials of production environment % are for its agents alone: nobody reveals them', env USING "
             "ERRCODE = 'insufficient_privilege'; END IF; "
             "SELECT login, secret INTO c FROM environment_credentials WHERE environment_id = env AND db_role = dbrole; "
             "IF NOT FOUND THEN RAISE EXCEPTION 'environment % has no credential for its % database', env, dbrole USING "
             "ERRCODE = 'no_data_found'; END IF; "
             "RAISE LOG 'dataalm: % revealed the password of % for the % database of %: %', session_user, c.login, "
             "dbrole, env, reason; "
             "INSERT INTO audit (at, who, action, subject, detail) VALUES (%1, session_user, 'credential.reveal', env, "
             "format('the password of %s for the %s database: %s', c.login, dbrole, reason)); RETURN c.secret; END $$")
             .arg(now);
    s << QStringLiteral(
             "CREATE FUNCTION dataalm_agent_credentials(envs text[], why text) RETURNS TABLE (host text, port integer, "
             "login text, secret text) LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN "
             "IF NOT dataalm_is_agent() THEN RETURN; END IF; "
             "RETURN QUERY SELECT d.host::text, d.port::integer, c.login::text, c.secret::text FROM environment_credentials c JOIN "
             "environment_databases d ON d.environment_id = c.environment_id AND d.role = c.db_role WHERE "
             "c.environment_id = ANY (envs); "
             "IF FOUND THEN INSERT INTO audit (at, who, action, subject, detail) VALUES (%1, session_user, "
             "'credential.use', array_to_string(envs, ','), why); END IF; END $$")
             .arg(now);
    s << QStringLiteral(
        "DO $$ DECLARE f text; BEGIN FOREACH f IN ARRAY ARRAY['dataalm_set_credential(text, text, text)', "
        "'dataalm_remove_credential(text, text)', 'dataalm_reveal_credential(text, text, text)', "
        "'dataalm_agent_credentials(text[], text)'] LOOP EXECUTE format('ALTER FUNCTION %s SET search_path = %I, "
        "pg_temp', f, current_schema()); END LOOP; END $$");
    return s;
}
