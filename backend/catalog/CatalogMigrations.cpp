#include "catalog/CatalogMigrations.h"

#include "catalog/AccessGrantStore.h"
#include "catalog/ApprovalGuard.h"
#include "catalog/CredentialStore.h"
#include "catalog/ProjectSecrets.h"
#include "catalog/TeamAccess.h"

const QList<CatalogMigration>& catalogMigrations()
{
    static const QList<CatalogMigration> migrations = {
        {1,
         "projects, environments and their databases",
         {
             QStringLiteral("CREATE TABLE projects ("
                            " id TEXT PRIMARY KEY,"
                            " name TEXT NOT NULL,"
                            " policy_path TEXT NOT NULL DEFAULT '',"
                            " created TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE environments ("
                            " id TEXT PRIMARY KEY,"
                            " project_id TEXT NOT NULL REFERENCES projects(id),"
                            " name TEXT NOT NULL,"
                            " type TEXT NOT NULL CHECK (type IN ('production','sandbox','devtest')),"
                            " tenant TEXT NOT NULL,"
                            " admin TEXT NOT NULL,"
                            " application TEXT NOT NULL,"
                            " platform INTEGER NOT NULL,"
                            " financial_reporting TEXT NOT NULL DEFAULT '',"
                            " commerce TEXT NOT NULL DEFAULT '',"
                            " created TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE environment_databases ("
                            " environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,"
                            " role TEXT NOT NULL CHECK (role IN ('transactional','financial-reporting')),"
                            " driver TEXT NOT NULL CHECK (driver IN ('sqlite','postgres')),"
                            " path TEXT NOT NULL DEFAULT '',"
                            " host TEXT NOT NULL DEFAULT '',"
                            " port INTEGER NOT NULL DEFAULT 5432,"
                            " name TEXT NOT NULL DEFAULT '',"
                            " user TEXT NOT NULL DEFAULT '',"
                            " sslmode TEXT NOT NULL DEFAULT '',"
                            " PRIMARY KEY (environment_id, role))"),
         }},
        {2,
         "operations, their runbook steps, and the audit trail",
         {
             QStringLiteral("CREATE TABLE operations ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " kind TEXT NOT NULL,"
                            " project_id TEXT NOT NULL DEFAULT '',"
                            " source TEXT NOT NULL DEFAULT '',"
                            " target TEXT NOT NULL,"
                            " state TEXT NOT NULL,"
                            " who TEXT NOT NULL,"
                            " created TEXT NOT NULL,"
                            " started TEXT NOT NULL DEFAULT '',"
                            " finished TEXT NOT NULL DEFAULT '',"
                            " error TEXT NOT NULL DEFAULT '',"
                            " owner_pid INTEGER NOT NULL DEFAULT 0,"
                            " owner_host TEXT NOT NULL DEFAULT '',"
                            " owner_start TEXT NOT NULL DEFAULT '',"
                            " cancel_requested INTEGER NOT NULL DEFAULT 0,"
                            " params TEXT NOT NULL DEFAULT '{}',"
                            " restore_point TEXT NOT NULL DEFAULT '{}')"),
             QStringLiteral("CREATE INDEX operations_by_target ON operations (target, id)"),
             QStringLiteral("CREATE TABLE operation_steps ("
                            " operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,"
                            " ordinal INTEGER NOT NULL,"
                            " name TEXT NOT NULL,"
                            " state TEXT NOT NULL,"
                            " started TEXT NOT NULL DEFAULT '',"
                            " finished TEXT NOT NULL DEFAULT '',"
                            " done INTEGER NOT NULL DEFAULT 0,"
                            " total INTEGER NOT NULL DEFAULT 0,"
                            " bytes INTEGER NOT NULL DEFAULT 0,"
                            " detail TEXT NOT NULL DEFAULT '',"
                            " PRIMARY KEY (operation_id, ordinal))"),
             QStringLiteral("CREATE TABLE audit ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " at TEXT NOT NULL,"
                            " who TEXT NOT NULL,"
                            " action TEXT NOT NULL,"
                            " subject TEXT NOT NULL,"
                            " detail TEXT NOT NULL DEFAULT '')"),
         }},
        {3,
         "the asset library: deployable packages imported into a project",
         {
             QStringLiteral("CREATE TABLE assets ("
                            " project_id TEXT NOT NULL REFERENCES projects(id),"
                            " sha256 TEXT NOT NULL,"
                            " name TEXT NOT NULL,"
                            " version TEXT NOT NULL,"
                            " type TEXT NOT NULL"
                            "  CHECK (type IN ('application','platform','reprovisioning','customization')),"
                            " size INTEGER NOT NULL,"
                            " description TEXT NOT NULL DEFAULT '',"
                            " requires TEXT NOT NULL DEFAULT '{}',"
                            " sets TEXT NOT NULL DEFAULT '{}',"
                            " imported_at TEXT NOT NULL,"
                            " imported_by TEXT NOT NULL,"
                            " PRIMARY KEY (project_id, sha256),"
                            " UNIQUE (project_id, name, version))"),
         }},
        {4,
         "indexes for the questions asked of a large catalog (operations by source, by state)",
         {
             QStringLiteral("CREATE INDEX operations_by_source ON operations (source, id)"),
             QStringLiteral("CREATE INDEX operations_by_state ON operations (state)"),
         }},
        {5,
         "what a finished operation left on disk to remove (a rolled-back database, a released restore point); "
         "an environment's operations by state, a project's operations",
         {
             QStringLiteral("ALTER TABLE operations ADD COLUMN leftovers INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE INDEX operations_with_leftovers ON operations (id) WHERE leftovers <> 0"),
             QStringLiteral("CREATE INDEX operations_by_target_state ON operations (target, state)"),
             QStringLiteral("CREATE INDEX operations_by_project ON operations (project_id, id)"),
         }},
        {6,
         "restore points (an operation's, manual, scheduled) and how long a project keeps them",
         {
             QStringLiteral("CREATE TABLE restore_points ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " project_id TEXT NOT NULL,"
                            " environment_id TEXT NOT NULL,"
                            " kind TEXT NOT NULL CHECK (kind IN ('operation','manual','scheduled')),"
                            " operation_id INTEGER,"
                            " state TEXT NOT NULL CHECK (state IN ('Creating','Available','Deleting')),"
                            " created TEXT NOT NULL,"
                            " expires TEXT NOT NULL,"
                            " bytes INTEGER NOT NULL DEFAULT 0,"
                            " databases TEXT NOT NULL DEFAULT '[]',"
                            " versions TEXT NOT NULL DEFAULT '{}',"
                            " tenant TEXT NOT NULL DEFAULT '',"
                            " who TEXT NOT NULL,"
                            " owner_pid INTEGER NOT NULL DEFAULT 0,"
                            " owner_host TEXT NOT NULL DEFAULT '',"
                            " owner_start TEXT NOT NULL DEFAULT '',"
                            " UNIQUE (operation_id))"),
             QStringLiteral("CREATE INDEX restore_points_by_environment ON restore_points (environment_id, id)"),
             QStringLiteral("ALTER TABLE projects ADD COLUMN retention_production_days INTEGER NOT NULL DEFAULT 28"),
             QStringLiteral("ALTER TABLE projects ADD COLUMN retention_other_days INTEGER NOT NULL DEFAULT 7"),
         }},
        {7,
         "the database backups of a project's asset library (Export database)",
         {
             QStringLiteral("CREATE TABLE backups ("
                            " project_id TEXT NOT NULL,"
                            " name TEXT NOT NULL,"
                            " file TEXT NOT NULL,"
                            " sha256 TEXT NOT NULL,"
                            " bytes INTEGER NOT NULL,"
                            " source_environment TEXT NOT NULL,"
                            " engine TEXT NOT NULL,"
                            " application TEXT NOT NULL,"
                            " created TEXT NOT NULL,"
                            " who TEXT NOT NULL,"
                            " operation_id INTEGER,"
                            " PRIMARY KEY (project_id, name))"),
         }},
        {8,
         "where an environment's PostgreSQL server archives its WAL with pgBackRest (true point-in-time restore)",
         {
             QStringLiteral("CREATE TABLE pitr_sources ("
                            " environment_id TEXT PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,"
                            " stanza TEXT NOT NULL,"
                            " config TEXT NOT NULL DEFAULT '',"
                            " os_user TEXT NOT NULL DEFAULT '')"),
         }},
        {9,
         "requests in downtime windows, recurring schedules, the agents that run them, estimates' inputs and "
         "notifications (webhooks and their deliveries)",
         {
             QStringLiteral("ALTER TABLE operations ADD COLUMN window_start TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN window_end TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN schedule_id INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN request_id INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE INDEX operations_scheduled ON operations (window_start) WHERE state = 'Scheduled'"),
             // One operation per occurrence of a schedule, whoever materializes it.
             QStringLiteral("CREATE UNIQUE INDEX operations_by_occurrence ON operations (schedule_id, window_start) "
                            "WHERE schedule_id <> 0"),
             QStringLiteral("CREATE TABLE schedules ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " project_id TEXT NOT NULL,"
                            " kind TEXT NOT NULL,"
                            " source TEXT NOT NULL DEFAULT '',"
                            " target TEXT NOT NULL,"
                            " request TEXT NOT NULL DEFAULT '{}',"
                            " every TEXT NOT NULL,"
                            " first_start TEXT NOT NULL,"
                            " window_seconds INTEGER NOT NULL,"
                            " time_zone TEXT NOT NULL,"
                            " next_start TEXT NOT NULL,"
                            " state TEXT NOT NULL CHECK (state IN ('Active','Canceled')),"
                            " who TEXT NOT NULL,"
                            " created TEXT NOT NULL,"
                            " note TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE TABLE agents ("
                            " id TEXT PRIMARY KEY,"
                            " host TEXT NOT NULL,"
                            " pid INTEGER NOT NULL,"
                            " started TEXT NOT NULL,"
                            " seen TEXT NOT NULL,"
                            " stopped TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("ALTER TABLE projects ADD COLUMN minimum_notice_minutes INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE projects ADD COLUMN time_zone TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE TABLE webhooks ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " project_id TEXT NOT NULL,"
                            " url TEXT NOT NULL,"
                            " created TEXT NOT NULL,"
                            " UNIQUE (project_id, url))"),
             QStringLiteral("CREATE TABLE deliveries ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " webhook_id INTEGER NOT NULL,"
                            " event TEXT NOT NULL,"
                            " operation_id INTEGER NOT NULL DEFAULT 0,"
                            " payload TEXT NOT NULL,"
                            " state TEXT NOT NULL CHECK (state IN ('Pending','Delivered','Failed')),"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " next_attempt TEXT NOT NULL,"
                            " last_error TEXT NOT NULL DEFAULT '',"
                            " created TEXT NOT NULL,"
                            " delivered TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX deliveries_pending ON deliveries (next_attempt) WHERE state = 'Pending'"),
             // Every event, webhooks or not: what consoles show as desktop notifications.
             QStringLiteral("CREATE TABLE events ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " event TEXT NOT NULL,"
                            " operation_id INTEGER NOT NULL,"
                            " payload TEXT NOT NULL,"
                            " at TEXT NOT NULL)"),
             // Reminders (an hour and 15 minutes before a window) are sent once.
             QStringLiteral("CREATE TABLE reminders_sent ("
                            " operation_id INTEGER NOT NULL,"
                            " event TEXT NOT NULL,"
                            " window_start TEXT NOT NULL,"
                            " PRIMARY KEY (operation_id, event, window_start))"),
         }},
        {10,
         "team mode: one operation holding a target at a time (a constraint), the agent running each operation, "
         "agents' labels and versions, and change notifications (LISTEN/NOTIFY) on a team catalog",
         {
             // OperationRecord::holdsTarget as a constraint: whatever process or agent writes, a
             // second operation holding the same target cannot be committed.
             QStringLiteral("CREATE UNIQUE INDEX operations_one_per_target ON operations (target) WHERE state IN "
                            "('NotStarted','InProgress','Failed','RollbackInProgress','RollbackFailed') AND NOT "
                            "(state = 'Failed' AND started = '')"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN agent_id TEXT NOT NULL DEFAULT ''"),
             // The environments and servers an agent may run work for (empty: any).
             QStringLiteral("ALTER TABLE agents ADD COLUMN labels TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE agents ADD COLUMN version TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE agents ADD COLUMN running INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE INDEX operations_by_agent ON operations (agent_id) WHERE agent_id <> ''"),
             QStringLiteral("CREATE INDEX operations_by_request ON operations (request_id) WHERE request_id <> 0"),
         },
         {
             // Every committed change to what a console shows is announced on dataalm_changes
             // (the table's name as payload); requests' changes wake the agents on dataalm_requests.
             QStringLiteral("CREATE FUNCTION dataalm_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            "PERFORM pg_notify('dataalm_changes', TG_TABLE_NAME); "
                            "IF TG_TABLE_NAME IN ('operations', 'schedules') THEN "
                            "PERFORM pg_notify('dataalm_requests', ''); END IF; "
                            "RETURN NULL; END $$"),
             QStringLiteral("CREATE TRIGGER operations_changed AFTER INSERT OR UPDATE OR DELETE ON operations "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
             QStringLiteral("CREATE TRIGGER operation_steps_changed AFTER INSERT OR UPDATE OR DELETE ON operation_steps "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
             QStringLiteral("CREATE TRIGGER environments_changed AFTER INSERT OR UPDATE OR DELETE ON environments "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
             QStringLiteral("CREATE TRIGGER projects_changed AFTER INSERT OR UPDATE OR DELETE ON projects "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
             QStringLiteral("CREATE TRIGGER schedules_changed AFTER INSERT OR UPDATE OR DELETE ON schedules "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
             QStringLiteral("CREATE TRIGGER restore_points_changed AFTER INSERT OR UPDATE OR DELETE ON restore_points "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
             QStringLiteral("CREATE TRIGGER events_changed AFTER INSERT ON events "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
         }},
        {11,
         "runbook log lines in the catalog (a team catalog's consoles see the lines of agents on other machines)",
         {
             QStringLiteral("CREATE TABLE runbook_lines ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,"
                            " at TEXT NOT NULL,"
                            " level TEXT NOT NULL,"
                            " line TEXT NOT NULL)"),
             QStringLiteral("CREATE INDEX runbook_lines_by_operation ON runbook_lines (operation_id, id)"),
         },
         {
             QStringLiteral("CREATE TRIGGER runbook_lines_changed AFTER INSERT ON runbook_lines "
                            "FOR EACH STATEMENT EXECUTE FUNCTION dataalm_notify_change()"),
         }},
        {12,
         "actions asked of the agents on a team catalog: the resume, rollback, sign off or abort a person asked for "
         "an operation, who asked, the agent carrying it out, and what came of it",
         {
             QStringLiteral("ALTER TABLE operations ADD COLUMN action TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN action_by TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN action_agent TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN action_result TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN action_outcome TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE INDEX operations_with_action ON operations (id) WHERE action <> ''"),
         },
         {}},
        {13,
         "roles: project members (Project owner, Environment manager, Team member, Viewer) and catalog-wide agents; "
         "on a team catalog enforced by the server (grants, row-level security) with an append-only audit that "
         "records each writer's role and host",
         {
             QStringLiteral("CREATE TABLE project_members ("
                            " project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
                            " login TEXT NOT NULL,"
                            " role TEXT NOT NULL CHECK (role IN ('ProjectOwner','EnvironmentManager','TeamMember',"
                            "'Viewer')),"
                            " added TEXT NOT NULL,"
                            " added_by TEXT NOT NULL,"
                            " PRIMARY KEY (project_id, login))"),
             QStringLiteral("CREATE INDEX project_members_by_login ON project_members (login)"),
             QStringLiteral("CREATE TABLE catalog_roles ("
                            " login TEXT PRIMARY KEY,"
                            " role TEXT NOT NULL CHECK (role IN ('Agent')),"
                            " added TEXT NOT NULL,"
                            " added_by TEXT NOT NULL)"),
             QStringLiteral("ALTER TABLE audit ADD COLUMN role TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE audit ADD COLUMN host TEXT NOT NULL DEFAULT ''"),
         },
         TeamAccess::migrationStatements()},
        {14,
         "approvals (four eyes): environments marked protected, and who approved a request on a protected "
         "environment, when and why; on a team catalog the server decides and enforces which requests wait",
         {
             QStringLiteral("ALTER TABLE environments ADD COLUMN protected INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN approved_by TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN approved_at TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE operations ADD COLUMN approval_note TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE INDEX operations_awaiting_approval ON operations (id) WHERE state = "
                            "'AwaitingApproval'"),
         },
         ApprovalGuard::migrationStatements()},
        {15,
         "database credentials of a team catalog's environments: the password of the login each PostgreSQL database "
         "connects as, read by agents and revealed (for a reason, audited) to those who manage non-production "
         "environments",
         {
             QStringLiteral("CREATE TABLE environment_credentials ("
                            " environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,"
                            " db_role TEXT NOT NULL,"
                            " login TEXT NOT NULL,"
                            " secret TEXT NOT NULL,"
                            " set_by TEXT NOT NULL,"
                            " set_at TEXT NOT NULL,"
                            " PRIMARY KEY (environment_id, db_role))"),
         },
         CredentialStore::migrationStatements()},
        {16,
         "just-in-time database access: the temporary logins people asked for on an environment's PostgreSQL "
         "database, read-only or read-write, until when, why, and what became of them",
         {
             QStringLiteral("CREATE TABLE access_grants ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " project_id TEXT NOT NULL,"
                            " environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,"
                            " db_role TEXT NOT NULL,"
                            " login TEXT NOT NULL,"
                            " mode TEXT NOT NULL CHECK (mode IN ('read-only','read-write')),"
                            " reason TEXT NOT NULL,"
                            " requested_by TEXT NOT NULL,"
                            " requested_at TEXT NOT NULL,"
                            " valid_until TEXT NOT NULL,"
                            " verifier TEXT NOT NULL,"
                            " state TEXT NOT NULL CHECK (state IN ('Requested','Active','Revoking','Revoked','Expired',"
                            "'Failed')),"
                            " agent TEXT NOT NULL DEFAULT '',"
                            " detail TEXT NOT NULL DEFAULT '',"
                            " ended_at TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX access_grants_live ON access_grants (id) WHERE state IN ('Requested', "
                            "'Active', 'Revoking')"),
         },
         AccessGrantStore::migrationStatements()},
        {17,
         "masking secrets: the key each project's mask rules derive their pseudonyms from, kept on a team catalog "
         "where only agents can read it (a one-person catalog keeps it in the OS keychain)",
         {},
         ProjectSecrets::migrationStatements()},
    };
    return migrations;
}
