#include "catalog/TeamAccess.h"

#include "catalog/Catalog.h"

#include <QSqlQuery>

namespace {

QString rightName(TeamAccess::Right right)
{
    switch (right) {
    case TeamAccess::Right::Read:
        return QStringLiteral("read");
    case TeamAccess::Right::Operate:
        return QStringLiteral("operate");
    case TeamAccess::Right::Manage:
        return QStringLiteral("manage");
    case TeamAccess::Right::Own:
        return QStringLiteral("own");
    }
    return {};
}

// A table's policies: who sees a row (`read`), who may write it (`write`: INSERT and
// UPDATE, checked on the old and the new row) and who may remove it (`remove`: DELETE;
// nullptr: as `write`), as SQL expressions over the row's columns. Empty `write`: nobody
// but the catalog's owner writes it.
struct TablePolicy
{
    const char* table;
    const char* read;
    const char* write;
    const char* remove = nullptr;
    const char* insert = nullptr; // nullptr: as `write`
};

const QList<TablePolicy>& tablePolicies()
{
    // dataalm_may(project, environment, what) and its helpers are defined below; a row
    // whose project nobody may read is seen by the catalog's owner alone. A row that
    // belongs to an environment or an operation is read when that is (its own policy,
    // one index lookup): a function call per row would cost a step list 8 times as much.
    static const QList<TablePolicy> policies = {
        {"projects", "id IN (SELECT dataalm_projects())", "dataalm_may(id, '', 'own')"},
        {"project_members", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, '', 'own')"},
        // Operating an environment updates its row (the versions an apply leaves); adding or
        // removing one, or changing what defines it (a trigger below), is managing it.
        {"environments", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, id, 'operate')",
         "dataalm_may(project_id, id, 'manage')", "dataalm_may(project_id, '', 'manage')"},
        {"environment_databases", "EXISTS (SELECT 1 FROM environments e WHERE e.id = environment_id)", "dataalm_may_env(environment_id, 'manage')"},
        {"pitr_sources", "EXISTS (SELECT 1 FROM environments e WHERE e.id = environment_id)", "dataalm_may_env(environment_id, 'manage')"},
        {"operations", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, target, 'operate')",
         "dataalm_may(project_id, target, 'manage')"},
        {"operation_steps", "EXISTS (SELECT 1 FROM operations o WHERE o.id = operation_id)", "dataalm_may_op(operation_id, 'operate')"},
        {"runbook_lines", "EXISTS (SELECT 1 FROM operations o WHERE o.id = operation_id)", "dataalm_may_op(operation_id, 'operate')"},
        {"restore_points", "project_id IN (SELECT dataalm_projects())",
         "dataalm_may(project_id, environment_id, 'operate')"},
        {"backups", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, '', 'operate')"},
        {"schedules", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, target, 'operate')"},
        {"assets", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, '', 'operate')"},
        {"webhooks", "project_id IN (SELECT dataalm_projects())", "dataalm_may(project_id, '', 'own')"},
        // The plumbing of notifications and agents: any member or agent.
        {"events", "dataalm_is_member()", "dataalm_is_member()"},
        {"deliveries", "dataalm_is_member()", "dataalm_is_member()"},
        {"reminders_sent", "dataalm_is_member()", "dataalm_is_member()"},
        {"agents", "dataalm_is_member()", "dataalm_is_agent()"},
        {"catalog_roles", "true", ""},
        {"dataalm_catalog", "true", ""},
        // Written through the append-only grants below: anyone inserts, nobody changes.
        {"audit", "dataalm_is_member()", "true"},
    };
    return policies;
}

} // namespace

TeamAccess::TeamAccess(Catalog& catalog)
    : m_catalog(catalog)
{
}

const QStringList& TeamAccess::projectRoles()
{
    static const QStringList roles = {QStringLiteral("ProjectOwner"), QStringLiteral("EnvironmentManager"),
                                      QStringLiteral("TeamMember"), QStringLiteral("Viewer")};
    return roles;
}

QString TeamAccess::roleTitle(const QString& role)
{
    if (role == QLatin1String("ProjectOwner"))
        return tr("Project owner");
    if (role == QLatin1String("EnvironmentManager"))
        return tr("Environment manager");
    if (role == QLatin1String("TeamMember"))
        return tr("Team member");
    if (role == QLatin1String("Viewer"))
        return tr("Viewer");
    if (role == QLatin1String("Administrator"))
        return tr("Administrator");
    if (role == QLatin1String("Agent"))
        return tr("Agent");
    return role.isEmpty() ? tr("no role") : role;
}

QString TeamAccess::login() const
{
    return Catalog::currentUser();
}

QString TeamAccess::role(const QString& projectId) const
{
    if (!m_catalog.isTeam())
        return QStringLiteral("ProjectOwner");
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT CASE WHEN dataalm_is_admin() THEN 'Administrator' ELSE coalesce((SELECT role "
                             "FROM project_members WHERE project_id = ? AND login = session_user), '') END"));
    q.addBindValue(projectId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

bool TeamAccess::isAgent() const
{
    if (!m_catalog.isTeam())
        return true;
    QSqlQuery q(m_catalog.database());
    return q.exec(QStringLiteral("SELECT dataalm_is_agent()")) && q.next() && q.value(0).toBool();
}

bool TeamAccess::isAdministrator() const
{
    if (!m_catalog.isTeam())
        return true;
    QSqlQuery q(m_catalog.database());
    return q.exec(QStringLiteral("SELECT dataalm_is_admin()")) && q.next() && q.value(0).toBool();
}

bool TeamAccess::may(const QString& projectId, const QString& environmentId, Right right) const
{
    if (!m_catalog.isTeam())
        return true;
    // A connection the server dropped (a restart) is not a "no": asked again on a new one.
    for (int attempt = 0; attempt < 2; ++attempt) {
        QSqlQuery q(m_catalog.database());
        q.prepare(QStringLiteral("SELECT dataalm_may(?, ?, ?)"));
        q.addBindValue(projectId.isNull() ? QStringLiteral("") : projectId);
        q.addBindValue(environmentId.isNull() ? QStringLiteral("") : environmentId);
        q.addBindValue(rightName(right));
        if (q.exec() && q.next())
            return q.value(0).toBool();
        if (attempt == 0 && !m_catalog.ensureConnected())
            break;
    }
    return false;
}

QString TeamAccess::refusal(const QString& projectId, const QString& environmentId, Right right) const
{
    if (may(projectId, environmentId, right))
        return {};
    const QString sentence = refusalSentence(projectId, environmentId, right);
    // What was refused is audited as well as what was done.
    m_catalog.audit(QStringLiteral("access.refused"), environmentId.isEmpty() ? projectId : environmentId,
                    QStringLiteral("%1 (%2)").arg(sentence, rightName(right)));
    return sentence;
}

QString TeamAccess::whyNot(const QString& projectId, const QString& environmentId, Right right) const
{
    return may(projectId, environmentId, right) ? QString() : refusalSentence(projectId, environmentId, right);
}

QString TeamAccess::refusalSentence(const QString& projectId, const QString& environmentId, Right right) const
{
    const QString who = login();
    const QString role = this->role(projectId);
    const QString title = roleTitle(role);
    const QString article = title.startsWith(QLatin1Char('E')) || title.startsWith(QLatin1Char('A')) ? tr("an")
                                                                                                     : tr("a");
    const QString as = role.isEmpty() ? tr("%1 is not a member of project %2").arg(who, projectId)
                                      : tr("%1 is %2 %3 of project %4").arg(who, article, title, projectId);
    const QString ask = tr("a Project owner of %1 can change that (dataalm member add).").arg(projectId);
    switch (right) {
    case Right::Read:
        return tr("%1; %2").arg(as, ask);
    case Right::Operate:
        if (role == QLatin1String("TeamMember"))
            return tr("%1: a Team member does not operate production environments such as %2; only a Project "
                      "owner or an Environment manager does. Ask one of them.")
                .arg(as, environmentId);
        return tr("%1: only a Project owner, an Environment manager or (outside production) a Team member "
                  "starts, resumes, rolls back, signs off or cancels operations; %2")
            .arg(as, ask);
    case Right::Manage:
        return tr("%1: only a Project owner or an Environment manager adds, edits or removes environments; %2")
            .arg(as, ask);
    case Right::Own:
        return tr("%1: only a Project owner changes the project's members, webhooks and settings, marks environments "
                  "protected, and approves or rejects the requests that wait on them; %2")
            .arg(as, ask);
    }
    return as;
}

QStringList TeamAccess::migrationStatements()
{
    QStringList s;
    // Administrators: the catalog's owner and the roles granted it (superusers too).
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER AS $$ "
        "SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'dataalm_catalog'::regclass), "
        "'MEMBER') $$");
    s << QStringLiteral("CREATE FUNCTION dataalm_is_agent() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER AS $$ "
                        "SELECT EXISTS (SELECT 1 FROM catalog_roles WHERE login = session_user AND role = 'Agent') $$");
    s << QStringLiteral("CREATE FUNCTION dataalm_is_member() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER AS $$ "
                        "SELECT dataalm_is_admin() OR dataalm_is_agent() OR EXISTS (SELECT 1 FROM project_members "
                        "WHERE login = session_user) $$");
    // The projects the login may read: one scan per statement, not one call per row.
    s << QStringLiteral("CREATE FUNCTION dataalm_projects() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER "
                        "AS $$ SELECT id FROM projects WHERE dataalm_is_admin() OR dataalm_is_agent() UNION SELECT "
                        "project_id FROM project_members WHERE login = session_user $$");
    // The one decision: may the login do `what` (read, operate, manage, own) on environment
    // `env` ('' for the project itself) of project `p`?
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_may(p text, env text, what text) RETURNS boolean LANGUAGE sql STABLE "
        "SECURITY DEFINER AS $$ SELECT dataalm_is_admin() OR (dataalm_is_agent() AND what <> 'own') OR coalesce(("
        "SELECT CASE what WHEN 'read' THEN true "
        "WHEN 'operate' THEN m.role IN ('ProjectOwner', 'EnvironmentManager') OR (m.role = 'TeamMember' AND "
        "coalesce((SELECT e.type FROM environments e WHERE e.id = env), '') <> 'production') "
        "WHEN 'manage' THEN m.role IN ('ProjectOwner', 'EnvironmentManager') "
        "WHEN 'own' THEN m.role = 'ProjectOwner' ELSE false END "
        "FROM project_members m WHERE m.project_id = p AND m.login = session_user), false) $$");
    s << QStringLiteral("CREATE FUNCTION dataalm_may_env(env text, what text) RETURNS boolean LANGUAGE sql STABLE "
                        "SECURITY DEFINER AS $$ SELECT coalesce((SELECT dataalm_may(e.project_id, e.id, what) FROM "
                        "environments e WHERE e.id = env), dataalm_is_admin()) $$");
    s << QStringLiteral("CREATE FUNCTION dataalm_may_op(op bigint, what text) RETURNS boolean LANGUAGE sql STABLE "
                        "SECURITY DEFINER AS $$ SELECT coalesce((SELECT dataalm_may(o.project_id, o.target, what) "
                        "FROM operations o WHERE o.id = op), dataalm_is_admin()) $$");
    // Functions that run as their owner name their schema: no login's own objects are found first.
    s << QStringLiteral(
        "DO $$ DECLARE f text; BEGIN FOREACH f IN ARRAY ARRAY['dataalm_is_admin()', 'dataalm_is_agent()', "
        "'dataalm_is_member()', 'dataalm_projects()', 'dataalm_may(text, text, text)', 'dataalm_may_env(text, text)', "
        "'dataalm_may_op(bigint, text)'] LOOP EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, "
        "current_schema()); END LOOP; END $$");

    // Every login may use the tables; the policies decide which rows.
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO PUBLIC', current_schema()); "
                        "EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO PUBLIC', "
                        "current_schema()); EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I "
                        "TO PUBLIC', current_schema()); END $$");
    s << QStringLiteral("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON dataalm_catalog, catalog_roles FROM PUBLIC");
    s << QStringLiteral("REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC");
    for (const TablePolicy& p : tablePolicies()) {
        const QString table = QString::fromLatin1(p.table);
        s << QStringLiteral("ALTER TABLE %1 ENABLE ROW LEVEL SECURITY").arg(table);
        s << QStringLiteral("CREATE POLICY %1_read ON %1 FOR SELECT USING (%2)").arg(table, QLatin1String(p.read));
        if (qstrlen(p.write) == 0)
            continue;
        const QString write = QLatin1String(p.write);
        s << QStringLiteral("CREATE POLICY %1_insert ON %1 FOR INSERT WITH CHECK (%2)")
                 .arg(table, p.insert ? QLatin1String(p.insert) : write);
        if (table == QLatin1String("audit"))
            continue;
        s << QStringLiteral("CREATE POLICY %1_update ON %1 FOR UPDATE USING (%2) WITH CHECK (%2)").arg(table, write);
        s << QStringLiteral("CREATE POLICY %1_delete ON %1 FOR DELETE USING (%2)")
                 .arg(table, p.remove ? QLatin1String(p.remove) : write);
    }

    // What defines an environment (its project, name, type, tenant, administrator) is
    // changed by those who manage it: a Team member cannot turn a sandbox into something else.
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_environment_defined() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (NEW.project_id, NEW.name, NEW.type, NEW.tenant, NEW.admin) IS DISTINCT FROM (OLD.project_id, OLD.name, "
        "OLD.type, OLD.tenant, OLD.admin) AND NOT dataalm_may(OLD.project_id, OLD.id, 'manage') THEN RAISE EXCEPTION "
        "'only a Project owner or an Environment manager changes what defines environment %', OLD.id USING ERRCODE "
        "= 'insufficient_privilege'; END IF; RETURN NEW; END $$");
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('ALTER FUNCTION dataalm_environment_defined() SET search_path = "
                        "%I, pg_temp', current_schema()); END $$");
    s << QStringLiteral("CREATE TRIGGER environments_defined BEFORE UPDATE ON environments FOR EACH ROW EXECUTE "
                        "FUNCTION dataalm_environment_defined()");

    // What a run found and keeps (its restore point: where the replaced databases are)
    // is written by the agents that run operations, and what an operation is asked to do
    // (its parameters: the policy, the restore point to go back to) only before it ran:
    // nobody else can point a sandbox's rollback at production's files.
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_operation_guarded() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF dataalm_is_agent() OR dataalm_is_admin() THEN RETURN NEW; END IF; "
        "IF TG_OP = 'INSERT' THEN IF NEW.restore_point NOT IN ('', '{}') THEN RAISE EXCEPTION 'only an agent records "
        "the restore point of an operation' USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; END IF; "
        "IF NEW.restore_point IS DISTINCT FROM OLD.restore_point THEN RAISE EXCEPTION 'only an agent records the "
        "restore point of operation %', OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF NEW.params IS DISTINCT FROM OLD.params AND NOT (OLD.state IN ('NotStarted', 'Scheduled') AND OLD.started "
        "= '') THEN RAISE EXCEPTION 'the parameters of operation % are fixed once it ran', OLD.id USING ERRCODE = "
        "'insufficient_privilege'; END IF; RETURN NEW; END $$");
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('ALTER FUNCTION dataalm_operation_guarded() SET search_path = "
                        "%I, pg_temp', current_schema()); END $$");
    s << QStringLiteral("CREATE TRIGGER operations_guarded BEFORE INSERT OR UPDATE ON operations FOR EACH ROW "
                        "EXECUTE FUNCTION dataalm_operation_guarded()");

    // The audit: who, with which role, from where, set by the server; never changed, by anyone.
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_audit_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN "
        "NEW.who := session_user::text; "
        "NEW.role := CASE WHEN dataalm_is_admin() THEN 'Administrator' WHEN dataalm_is_agent() THEN 'Agent' ELSE "
        "coalesce((SELECT string_agg(m.project_id || ':' || m.role, ',' ORDER BY m.project_id) FROM project_members "
        "m WHERE m.login = session_user), '') END; "
        "NEW.host := coalesce(host(inet_client_addr()), 'local socket') || CASE WHEN NEW.host <> '' THEN ' (' || "
        "NEW.host || ')' ELSE '' END; RETURN NEW; END $$");
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('ALTER FUNCTION dataalm_audit_stamp() SET search_path = %I, "
                        "pg_temp', current_schema()); END $$");
    s << QStringLiteral("CREATE TRIGGER audit_stamp BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION "
                        "dataalm_audit_stamp()");
    s << QStringLiteral("CREATE FUNCTION dataalm_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        "RAISE EXCEPTION 'the audit is append-only: its rows are never changed or removed' USING "
                        "ERRCODE = 'insufficient_privilege'; END $$");
    s << QStringLiteral("CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE "
                        "FUNCTION dataalm_audit_append_only()");
    s << QStringLiteral("CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE "
                        "FUNCTION dataalm_audit_append_only()");
    return s;
}
