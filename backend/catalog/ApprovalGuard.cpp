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
    s << QStringLiteral(
        "CREATE FUNCTION dataalm_operation_approval() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        "  IF NEW.approved_by <> '' OR NEW.approved_at <> '' THEN RAISE EXCEPTION 'only the catalog records who "
        "approved an operation' USING ERRCODE = 'insufficient_privilege'; END IF; "
        "  IF NOT dataalm_is_agent() AND NOT dataalm_is_admin() THEN NEW.who := session_user::text; END IF; "
        "  IF NEW.state <> 'NotStarted' AND dataalm_needs_approval(NEW.kind, NEW.target) THEN RAISE EXCEPTION "
        "'an operation on protected environment % begins NotStarted and waits for approval', NEW.target USING "
        "ERRCODE = 'insufficient_privilege'; END IF; "
        "  RETURN NEW; "
        "END IF; "
        "IF NEW.who IS DISTINCT FROM OLD.who THEN RAISE EXCEPTION 'who asked for operation % is never changed', OLD.id "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF OLD.state = 'AwaitingApproval' AND (NEW.kind, NEW.source, NEW.target, NEW.params, NEW.window_start, "
        "NEW.window_end) IS DISTINCT FROM (OLD.kind, OLD.source, OLD.target, OLD.params, OLD.window_start, "
        "OLD.window_end) THEN RAISE EXCEPTION 'request % awaits approval as it was asked: it cannot change (cancel it "
        "and request again)', OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF OLD.state = 'AwaitingApproval' AND NEW.state = 'Scheduled' THEN "
        "  IF session_user::text = OLD.who THEN RAISE EXCEPTION '% asked for request %: a second Project owner "
        "approves it (four eyes)', OLD.who, OLD.id USING ERRCODE = 'insufficient_privilege'; END IF; "
        "  IF NOT dataalm_may(OLD.project_id, OLD.target, 'own') THEN RAISE EXCEPTION 'only a Project owner of % "
        "approves request % on protected environment %', OLD.project_id, OLD.id, OLD.target USING ERRCODE = "
        "'insufficient_privilege'; END IF; "
        "  NEW.approved_by := session_user::text; "
        "  NEW.approved_at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'); "
        "  RETURN NEW; "
        "END IF; "
        "IF (NEW.approved_by, NEW.approved_at) IS DISTINCT FROM (OLD.approved_by, OLD.approved_at) THEN RAISE "
        "EXCEPTION 'only an approval records who approved operation %', OLD.id USING ERRCODE = "
        "'insufficient_privilege'; END IF; "
        "IF NEW.state IS DISTINCT FROM OLD.state AND OLD.state = 'NotStarted' AND NEW.state IN ('Scheduled', "
        "'InProgress', 'AwaitingApproval') AND OLD.approved_by = '' AND dataalm_needs_approval(OLD.kind, OLD.target) "
        "AND NEW.state <> 'AwaitingApproval' THEN RAISE EXCEPTION 'operation % on protected environment % waits for "
        "a second Project owner''s approval first', OLD.id, OLD.target USING ERRCODE = 'insufficient_privilege'; "
        "END IF; "
        "IF OLD.approved_by <> '' AND NOT dataalm_is_agent() AND (NEW.kind, NEW.source, NEW.target, NEW.params, "
        "NEW.window_start, NEW.window_end) IS DISTINCT FROM (OLD.kind, OLD.source, OLD.target, OLD.params, "
        "OLD.window_start, OLD.window_end) THEN RAISE EXCEPTION 'operation % runs as it was approved by %: cancel it "
        "and request again to change it', OLD.id, OLD.approved_by USING ERRCODE = 'insufficient_privilege'; END IF; "
        "RETURN NEW; END $$");
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
    s << QStringLiteral(
        "DO $$ DECLARE f text; BEGIN FOREACH f IN ARRAY ARRAY['dataalm_needs_approval(text, text)', "
        "'dataalm_operation_approval()', 'dataalm_environment_protection()'] LOOP EXECUTE format('ALTER FUNCTION %s SET "
        "search_path = %I, pg_temp', f, current_schema()); END LOOP; END $$");
    s << QStringLiteral("GRANT EXECUTE ON FUNCTION dataalm_needs_approval(text, text) TO PUBLIC");
    return s;
}
