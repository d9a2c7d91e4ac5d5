-- A DataALM catalog of schema version 1, frozen: the statements below are those the
-- catalog's migrations 1..1 ran when 0.1.0's catalogs were made (backend/catalog/
-- CatalogMigrations.cpp, which only ever appends migrations), with rows as 0.1.0 wrote
-- them. catalog-v1.db is this file run by sqlite3 (sqlite3 catalog-v1.db < catalog-v1.sql)
-- and is what tests/unit/tst_catalog.cpp upgrades. Never regenerate it with
-- today's code: it stands for files that exist on users' disks.
PRAGMA journal_mode = WAL;
BEGIN;
-- migration 1
CREATE TABLE projects ( id TEXT PRIMARY KEY, name TEXT NOT NULL, policy_path TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE environments ( id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id), name TEXT NOT NULL, type TEXT NOT NULL CHECK (type IN ('production','sandbox','devtest')), tenant TEXT NOT NULL, admin TEXT NOT NULL, application TEXT NOT NULL, platform INTEGER NOT NULL, financial_reporting TEXT NOT NULL DEFAULT '', commerce TEXT NOT NULL DEFAULT '', created TEXT NOT NULL);
CREATE TABLE environment_databases ( environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE, role TEXT NOT NULL CHECK (role IN ('transactional','financial-reporting')), driver TEXT NOT NULL CHECK (driver IN ('sqlite','postgres')), path TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', port INTEGER NOT NULL DEFAULT 5432, name TEXT NOT NULL DEFAULT '', user TEXT NOT NULL DEFAULT '', sslmode TEXT NOT NULL DEFAULT '', PRIMARY KEY (environment_id, role));
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
PRAGMA application_id = 1145130061;
PRAGMA user_version = 1;
COMMIT;
