-- A DataALM catalog of schema version 2, frozen: the statements below are those the
-- catalog's migrations 1..2 ran when 0.1.0's catalogs were made (backend/catalog/
-- CatalogMigrations.cpp, which only ever appends migrations), with rows as 0.1.0 wrote
-- them. catalog-v2.db is this file run by sqlite3 (sqlite3 catalog-v2.db < catalog-v2.sql)
-- and is what tests/unit/tst_catalog.cpp upgrades. Never regenerate it with
-- today's code: it stands for files that exist on users' disks.
PRAGMA journal_mode = WAL;
BEGIN;
-- migration 1
CREATE TABLE projects ( id TEXT PRIMARY KEY, name TEXT NOT NULL, policy_path TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE environments ( id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id), name TEXT NOT NULL, type TEXT NOT NULL CHECK (type IN ('production','sandbox','devtest')), tenant TEXT NOT NULL, admin TEXT NOT NULL, application TEXT NOT NULL, platform INTEGER NOT NULL, financial_reporting TEXT NOT NULL DEFAULT '', commerce TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE environment_databases ( environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE, role TEXT NOT NULL CHECK (role IN ('transactional','financial-reporting')), driver TEXT NOT NULL CHECK (driver IN ('sqlite','postgres')), path TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', port INTEGER NOT NULL DEFAULT 5432, name TEXT NOT NULL DEFAULT '', user TEXT NOT NULL DEFAULT '', sslmode TEXT NOT NULL DEFAULT '', PRIMARY KEY (environment_id, role));
-- migration 2
CREATE TABLE operations ( id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, project_id TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', target TEXT NOT NULL, state TEXT NOT NULL, who TEXT NOT NULL, created TEXT NOT NULL, started TEXT NOT NULL DEFAULT '', finished TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', owner_pid INTEGER NOT NULL DEFAULT 0, owner_host TEXT NOT NULL DEFAULT '', owner_start TEXT NOT NULL DEFAULT '', cancel_requested INTEGER NOT NULL DEFAULT 0, params TEXT NOT NULL DEFAULT '{}', restore_point TEXT NOT NULL DEFAULT '{}');
CREATE INDEX operations_by_target ON operations (target, id);
CREATE TABLE operation_steps ( operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, started TEXT NOT NULL DEFAULT '', finished TEXT NOT NULL DEFAULT '', done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '', PRIMARY KEY (operation_id, ordinal));
CREATE TABLE audit ( id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');
INSERT INTO projects (id, name, policy_path, created) VALUES ('contoso', 'Contoso', '', '2026-03-02T09:14:05.120Z');
INSERT INTO projects (id, name, policy_path, created) VALUES ('fabrikam', 'Fabrikam', '/srv/dataalm/fabrikam-policy.json', '2026-03-02T09:14:05.188Z');
INSERT INTO environments (id, project_id, name, type, tenant, admin, application, platform, financial_reporting, commerce, created) VALUES
 ('contoso-prod', 'contoso', 'Contoso production', 'production', 'contoso.onmicrosoft.com', 'admin@contoso.com', '10.0.40', 64, '7.0.10040.3', '9.50', '2026-03-02T09:14:05.201Z'),
 ('contoso-uat', 'contoso', 'Contoso UAT', 'sandbox', 'contoso.onmicrosoft.com', 'admin@contoso.com', '10.0.40', 64, '7.0.10040.3', '9.50', '2026-03-02T09:14:05.230Z'),
 ('fabrikam-dev', 'fabrikam', 'Fabrikam dev', 'devtest', 'fabrikam.onmicrosoft.com', 'it@fabrikam.com', '10.0.39', 21, '', '', '2026-03-02T09:14:05.262Z');
INSERT INTO environment_databases (environment_id, role, driver, path, host, port, name, user, sslmode) VALUES
 ('contoso-prod', 'transactional', 'sqlite', '/srv/dataalm/contoso-prod/AxDB.sqlite', '', 5432, '', '', ''),
 ('contoso-prod', 'financial-reporting', 'sqlite', '/srv/dataalm/contoso-prod/ManagementReporter.sqlite', '', 5432, '', '', ''),
 ('contoso-uat', 'transactional', 'sqlite', '/srv/dataalm/contoso-uat/AxDB.sqlite', '', 5432, '', '', ''),
 ('contoso-uat', 'financial-reporting', 'sqlite', '/srv/dataalm/contoso-uat/ManagementReporter.sqlite', '', 5432, '', '', ''),
 ('fabrikam-dev', 'transactional', 'postgres', '', 'db.fabrikam.test', 5433, 'axdb_dev', 'dataalm', 'prefer');
INSERT INTO audit (at, who, action, subject, detail) VALUES ('2026-03-02T09:20:11.004Z', 'alex', 'operation.create', 'contoso-uat', 'refresh #1 from contoso-prod');
INSERT INTO operations (id, kind, project_id, source, target, state, who, created, started, finished, error, owner_pid, owner_host, owner_start, cancel_requested, params, restore_point) VALUES
 (1, 'refresh', 'contoso', 'contoso-prod', 'contoso-uat', 'SignedOff', 'alex', '2026-03-02T09:20:11.004Z', '2026-03-02T09:20:11.050Z', '2026-03-02T09:21:40.512Z', '', 0, '', '', 0,
  '{"policyPath":"/usr/share/dataalm/policy/default-policy.json"}',
  '{"databases":[{"role":"transactional","target":{"driver":"sqlite","path":"/srv/dataalm/contoso-uat/AxDB.sqlite","role":"transactional"},"restorePoint":{"driver":"sqlite","path":"/srv/dataalm/contoso-uat/AxDB.sqlite.restore-1","role":"transactional"}}]}'),
 (2, 'refresh', 'contoso', 'contoso-prod', 'contoso-uat', 'Failed', 'alex', '2026-03-05T14:02:00.000Z', '2026-03-05T14:02:00.040Z', '2026-03-05T14:03:10.700Z', 'Apply data policy: rule "users": database is locked', 0, '', '', 0,
  '{"policyPath":"/usr/share/dataalm/policy/default-policy.json"}', '{}');
INSERT INTO operation_steps (operation_id, ordinal, name, state, started, finished, done, total, bytes, detail) VALUES
 (1, 1, 'Validate', 'Completed', '2026-03-02T09:20:11.050Z', '2026-03-02T09:20:11.400Z', 0, 0, 0, ''),
 (1, 2, 'Copy', 'Completed', '2026-03-02T09:20:11.400Z', '2026-03-02T09:21:30.000Z', 4096, 4096, 16777216, '16 MB'),
 (2, 1, 'Validate', 'Completed', '2026-03-05T14:02:00.040Z', '2026-03-05T14:02:00.300Z', 0, 0, 0, ''),
 (2, 2, 'Copy', 'Failed', '2026-03-05T14:02:00.300Z', '2026-03-05T14:03:10.700Z', 100, 4096, 409600, 'database is locked');
PRAGMA application_id = 1145130061;
PRAGMA user_version = 2;
COMMIT;
