#include "catalog/ApprovalGuard.h"

#include "operation/OperationRules.h"

QStringList ApprovalGuard::migrationStatements()
{
    QStringList kinds;
    for (const QString& k : OperationRules::approvalKinds())
        kinds << QLatin1Char('\'') + k + QLatin1Char('\'');
    QStringList s;
    s << QStringLiteral("CREATE FUNCTION dataalm_needs_approval(k text, env text) RETURNS boolean LANGUAGE sql STABLE "
                        "SECURITY DEFINER AS $$ SELECT k IN (%1) AND coalesce((SELECT e.type = 'production' OR "
                        "e.protected <> 0 FROM environments e WHERE e.id = env), false) $$")
             .arg(kinds.join(QStringLiteral(", ")));
    const QString now = QStringLiteral("to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
    // People (logins that are neither agents nor administrators) only ask: they insert a
    // NotStarted operation, make it a request, withdraw it, decide on one that awaits
    // approval, or ask the agents for an action; every other move is an agent's.
    s << QStringLiteral(
             "CREATE FUNCTION dataalm_operation_approval() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE "
             "person boolean := NOT dataalm_is_agent() AND NOT dataalm_is_admin(); owner_project text; BEGIN "
             "IF TG_OP = 'INSERT' THEN "
             "  IF NEW.approved_by <> '' OR NEW.approved_at <> '' OR NEW.approval_note <> '' THEN RAISE EXCEPTION "
             "'only the catalog records who approved an operation' USING ERRCODE = 'insufficient_privilege'; END IF; "
             "  SELECT e.project_id INTO owner_project FROM environments e WHERE e.id = NEW.target; "
             "  IF owner_project IS NOT NULL AND coalesce(NEW.project_id, '') = '' THEN NEW.project_id := owner_project; "
             "END IF; "
             "  IF owner_project IS NOT NULL AND NEW.project_id IS DISTINCT FROM owner_project THEN RAISE EXCEPTION "
             "'environment % belongs to project %: its operations are that project''s', NEW.target, owner_project USING "
             "ERRCODE = 'insufficient_privilege'; END IF; "
             "  IF person THEN "
             "    NEW.who := session_user::text; "
             "    IF NEW.state <> 'NotStarted' OR NEW.started <> '' OR NEW.finished <> '' OR NEW.agent_id <> '' OR "
             "NEW.request_id <> 0 OR NEW.action <> '' OR NEW.action_agent <> '' THEN RAISE EXCEPTION 'an operation begins "
             "NotStarted, unclaimed: only an agent moves it on' USING ERRCODE = 'insufficient_privilege'; END IF; "
             "  END IF; "
             "  IF NEW.state <> 'NotStarted' AND dataalm_needs_approval(NEW.kind, NEW.target) THEN RAISE EXCEPTION "
             "'an operation on protected environment % begins NotStarted and waits for approval', NEW.target USING "
             "ERRCODE = 'insufficient_privilege'; END IF; "
             "  RETURN NEW; "
             "END IF; "
             "IF NEW.who IS DISTINCT FROM OLD.who THEN RAISE EXCEPTION 'who asked for operation % is never changed', OLD.id "
             "USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF person AND (NEW.id, NEW.kind, NEW.project_id, NEW.source, NEW.target, NEW.created, NEW.started, "
             "NEW.request_id, NEW.agent_id, NEW.owner_pid, NEW.owner_host, NEW.owner_start, NEW.action_agent) IS DISTINCT "
             "FROM (OLD.id, OLD.kind, OLD.project_id, OLD.source, OLD.target, OLD.created, OLD.started, OLD.request_id, "
             "OLD.agent_id, OLD.owner_pid, OLD.owner_host, OLD.owner_start, OLD.action_agent) THEN RAISE EXCEPTION 'only an "
             "agent changes what operation % is, or who runs it', OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF person AND NEW.state IS DISTINCT FROM OLD.state AND NOT ((OLD.state = 'NotStarted' AND NEW.state IN "
             "('Scheduled', 'AwaitingApproval', 'Aborted')) OR (OLD.state IN ('Scheduled', 'AwaitingApproval') AND "
             "NEW.state = 'Aborted') OR (OLD.state = 'AwaitingApproval' AND NEW.state = 'Scheduled')) THEN RAISE EXCEPTION "
             "'only an agent moves operation % from % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = "
             "'insufficient_privilege'; END IF; "
             "IF person AND NEW.state IS NOT DISTINCT FROM OLD.state AND (NEW.finished IS DISTINCT FROM OLD.finished OR "
             "(NEW.error IS DISTINCT FROM OLD.error AND NEW.error <> '')) THEN RAISE EXCEPTION 'only an agent records how "
             "operation % went', OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF person AND (NEW.params, NEW.window_start, NEW.window_end, NEW.schedule_id) IS DISTINCT FROM (OLD.params, "
             "OLD.window_start, OLD.window_end, OLD.schedule_id) AND NOT (OLD.state = 'NotStarted' OR (OLD.state = "
             "'Scheduled' AND OLD.approved_by = '')) THEN RAISE EXCEPTION 'operation % runs as it was asked%: cancel it and "
             "request again to change it', OLD.id, CASE WHEN OLD.approved_by <> '' THEN ' and approved by ' || "
             "OLD.approved_by ELSE '' END USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF OLD.state = 'AwaitingApproval' AND (NEW.id, NEW.kind, NEW.project_id, NEW.source, NEW.target, NEW.params, "
             "NEW.window_start, NEW.window_end) IS DISTINCT FROM (OLD.id, OLD.kind, OLD.project_id, OLD.source, "
             "OLD.target, OLD.params, OLD.window_start, OLD.window_end) THEN RAISE EXCEPTION 'request % awaits approval as "
             "it was asked: it cannot change (cancel it and request again)', OLD.id USING ERRCODE = "
             "'insufficient_privilege'; END IF; "
             // The decision on a request that awaits approval: a Project owner of the
             // environment's own project, not the requester, nor who made its schedule.
             "IF OLD.state = 'AwaitingApproval' AND (NEW.state = 'Scheduled' OR (NEW.state = 'Aborted' AND "
             "NEW.approval_note <> '')) THEN "
             "  SELECT e.project_id INTO owner_project FROM environments e WHERE e.id = OLD.target; "
             "  IF session_user::text = OLD.who OR session_user::text = coalesce((SELECT sc.who FROM schedules sc WHERE "
             "sc.id = OLD.schedule_id AND OLD.schedule_id <> 0), '') THEN RAISE EXCEPTION '% asked for request %: a second "
             "Project owner approves or rejects it (four eyes)', session_user, OLD.id USING ERRCODE = "
             "'insufficient_privilege'; END IF; "
             "  IF NOT dataalm_may(coalesce(owner_project, OLD.project_id), OLD.target, 'own') THEN RAISE EXCEPTION 'only a "
             "Project owner of % approves or rejects request % on protected environment %', coalesce(owner_project, "
             "OLD.project_id), OLD.id, OLD.target USING ERRCODE = 'insufficient_privilege'; END IF; "
             "  IF NEW.state = 'Scheduled' THEN NEW.approved_by := session_user::text; NEW.approved_at := %1; "
             "  ELSE NEW.approved_by := ''; NEW.approved_at := ''; NEW.finished := %1; NEW.error := 'rejected by ' || "
             "session_user || ': ' || NEW.approval_note; END IF; "
             "  RETURN NEW; "
             "END IF; "
             "IF (NEW.approved_by, NEW.approved_at, NEW.approval_note) IS DISTINCT FROM (OLD.approved_by, OLD.approved_at, "
             "OLD.approval_note) THEN RAISE EXCEPTION 'only an approval or a rejection records who decided on operation %, "
             "and why', OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF NEW.state IS DISTINCT FROM OLD.state AND OLD.state = 'NotStarted' AND NEW.state IN ('Scheduled', "
             "'InProgress') AND OLD.approved_by = '' AND dataalm_needs_approval(OLD.kind, OLD.target) THEN RAISE EXCEPTION "
             "'operation % on protected environment % waits for a second Project owner''s approval first', OLD.id, "
             "OLD.target USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF OLD.approved_by <> '' AND NOT dataalm_is_agent() AND (NEW.kind, NEW.source, NEW.target, NEW.params, "
             "NEW.window_start, NEW.window_end) IS DISTINCT FROM (OLD.kind, OLD.source, OLD.target, OLD.params, "
             "OLD.window_start, OLD.window_end) THEN RAISE EXCEPTION 'operation % runs as it was approved by %: cancel it "
             "and request again to change it', OLD.id, OLD.approved_by USING ERRCODE = 'insufficient_privilege'; END IF; "
             "RETURN NEW; END $$")
             .arg(now);
    // Requests already waiting on production when approvals arrive wait for one now.
    s << QStringLiteral("UPDATE operations SET state = 'AwaitingApproval' WHERE state = 'Scheduled' AND "
                        "dataalm_needs_approval(kind, target)");
    s << QStringLiteral("CREATE TRIGGER operations_approval BEFORE INSERT OR UPDATE ON operations FOR EACH ROW "
                        "EXECUTE FUNCTION dataalm_operation_approval()");
    // Protection and type: a Project owner's, and audited by the server whoever writes them.
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_environment_protection() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (NEW.protected, NEW.type) IS DISTINCT FROM (OLD.protected, OLD.type) THEN "
        "  IF NOT dataalm_may(OLD.project_id, OLD.id, 'own') THEN RAISE EXCEPTION 'only a Project owner of % marks "
        "environment % protected or changes its type', OLD.project_id, OLD.id USING ERRCODE = "
        "'insufficient_privilege'; END IF; "
        "  IF (NEW.type = 'production' OR NEW.protected <> 0) AND EXISTS (SELECT 1 FROM operations o WHERE o.target = "
        "OLD.id AND o.state IN ('NotStarted', 'Scheduled') AND o.approved_by = '' AND o.kind IN (%1)) THEN RAISE "
        "EXCEPTION 'environment % has a request that nobody approved waiting to run: cancel it (or let it run) before "
        "protecting it', OLD.id USING ERRCODE = 'object_in_use'; END IF; "
        "  INSERT INTO audit (at, who, action, subject, detail) VALUES (to_char(clock_timestamp() AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), session_user::text, 'environment.protect', OLD.id, format('type %s, "
        "protected %s -> type %s, protected %s', OLD.type, CASE WHEN OLD.protected <> 0 THEN 'yes' ELSE 'no' END, "
        "NEW.type, CASE WHEN NEW.protected <> 0 THEN 'yes' ELSE 'no' END)); "
        "END IF; RETURN NEW; END $$")
             .arg(kinds.join(QStringLiteral(", ")));
    s << QStringLiteral("CREATE TRIGGER environments_protection BEFORE UPDATE ON environments FOR EACH ROW EXECUTE "
                        "FUNCTION dataalm_environment_protection()");
    // Removing a protected environment (production's included) is a Project owner's, and
    // audited: else a manager could remove production and add it back as a sandbox.
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_environment_removal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (OLD.type = 'production' OR OLD.protected <> 0) AND NOT dataalm_may(OLD.project_id, OLD.id, 'own') THEN "
        "RAISE EXCEPTION 'only a Project owner of % removes protected environment %', OLD.project_id, OLD.id USING "
        "ERRCODE = 'insufficient_privilege'; END IF; "
        "IF OLD.type = 'production' OR OLD.protected <> 0 THEN INSERT INTO audit (at, who, action, subject, detail) "
        "VALUES (%1, session_user::text, 'environment.protect', OLD.id, format('removed (type %s, protected %s)', "
        "OLD.type, CASE WHEN OLD.protected <> 0 THEN 'yes' ELSE 'no' END)); END IF; RETURN OLD; END $$")
             .arg(now);
    s << QStringLiteral("CREATE TRIGGER environments_removal BEFORE DELETE ON environments FOR EACH ROW EXECUTE "
                        "FUNCTION dataalm_environment_removal()");
    // One database, one environment: a sandbox that names production's database would
    // be refreshed over it. Exact names (a host's alias is another name, refused by the
    // app's own checks where it can tell).
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_database_unique() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE other text; BEGIN "
        "SELECT d.environment_id INTO other FROM environment_databases d WHERE d.environment_id <> NEW.environment_id "
        "AND d.driver = NEW.driver AND ((d.driver = 'sqlite' AND d.path = NEW.path) OR (d.driver = 'postgres' AND "
        "lower(d.host) = lower(NEW.host) AND d.port = NEW.port AND d.name = NEW.name)) LIMIT 1; "
        "IF other IS NOT NULL THEN RAISE EXCEPTION 'that database is environment %''s already: one database belongs "
        "to one environment', other USING ERRCODE = 'unique_violation'; END IF; RETURN NEW; END $$");
    s << QStringLiteral("CREATE TRIGGER environment_databases_unique BEFORE INSERT OR UPDATE ON environment_databases "
                        "FOR EACH ROW EXECUTE FUNCTION dataalm_database_unique()");
    s << QStringLiteral(
        "DO $$ DECLARE f text; BEGIN FOREACH f IN ARRAY ARRAY['dataalm_needs_approval(text, text)', "
        "'dataalm_operation_approval()', 'dataalm_environment_protection()', 'dataalm_environment_removal()', "
        "'dataalm_database_unique()'] LOOP EXECUTE format('ALTER FUNCTION %s SET "
        "search_path = %I, pg_temp', f, current_schema()); END LOOP; END $$");
    s << QStringLiteral("GRANT EXECUTE ON FUNCTION dataalm_needs_approval(text, text) TO PUBLIC");
    return s;
}
