#include "catalog/ProjectSecrets.h"

#include "catalog/Catalog.h"
#include "catalog/Keychain.h"
#include "policy/DataPolicy.h"
#include "policy/Masker.h"
#include "policy/PolicyContext.h"

#include <algorithm>

#include <QSqlError>
#include <QSqlQuery>

std::optional<QString> ProjectSecrets::maskSecret(const QString& projectId, const QString& why, QString* error)
{
    if (m_catalog.isTeam()) {
        QSqlQuery q(m_catalog.database());
        q.prepare(QStringLiteral("SELECT dataalm_mask_secret(?, ?)"));
        q.addBindValue(projectId);
        q.addBindValue(why);
        if (!q.exec() || !q.next()) {
            *error = tr("the masking secret of project %1 cannot be read: %2")
                         .arg(projectId, q.lastError().databaseText());
            return std::nullopt;
        }
        return q.value(0).toString();
    }
    const QString key = Keychain::keyFor(m_catalog.folder(), QStringLiteral("project:") + projectId,
                                         QStringLiteral("mask-secret"));
    QString e;
    const std::optional<QString> kept = Keychain::read(key, &e);
    if (!kept) {
        *error = tr("the masking secret of project %1 lives in the OS keychain, which cannot be read: %2")
                     .arg(projectId, e);
        return std::nullopt;
    }
    if (!kept->isEmpty())
        return kept;
    // Made under the catalog's write lock, read again inside it: two refreshes of the project
    // starting at once get one secret, not one each.
    if (!m_catalog.beginWrite(&e)) {
        *error = tr("a masking secret for project %1 cannot be made now: %2").arg(projectId, e);
        return std::nullopt;
    }
    const std::optional<QString> again = Keychain::read(key, &e);
    if (again && !again->isEmpty()) {
        QSqlQuery(m_catalog.database()).exec(QStringLiteral("ROLLBACK"));
        return again;
    }
    const QString made = Masker::newSecret();
    if (!again || !Keychain::write(key, made, &e)) {
        QSqlQuery(m_catalog.database()).exec(QStringLiteral("ROLLBACK"));
        *error = tr("a masking secret for project %1 cannot be kept in the OS keychain: %2").arg(projectId, e);
        return std::nullopt;
    }
    m_catalog.audit(QStringLiteral("mask-secret.create"), projectId, why);
    QSqlQuery(m_catalog.database()).exec(QStringLiteral("COMMIT"));
    return made;
}

bool ProjectSecrets::fillContext(const QString& projectId, const DataPolicy& policy, const QString& why,
                                 PolicyContext* context, QString* error)
{
    if (!policy.hasAction(PolicyRule::Action::Mask))
        return true;
    const std::optional<QString> secret = maskSecret(projectId, why, error);
    if (!secret)
        return false;
    context->maskSecret = *secret;
    return true;
}

QStringList ProjectSecrets::migrationStatements()
{
    const QString now = QStringLiteral("to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                                       "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
    QStringList s;
    s << QStringLiteral("CREATE TABLE project_secrets ("
                        " project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,"
                        " mask_secret TEXT NOT NULL,"
                        " created TEXT NOT NULL)");
    s << QStringLiteral("REVOKE ALL ON project_secrets FROM PUBLIC");
    // gen_random_uuid(): 122 random bits each from the server's secure generator.
    s << QStringLiteral(
             "CREATE FUNCTION dataalm_mask_secret(project text, why text) RETURNS text LANGUAGE plpgsql SECURITY "
             "DEFINER AS $$ DECLARE secret text; BEGIN "
             "IF NOT (dataalm_is_agent() OR dataalm_is_admin()) THEN RAISE EXCEPTION 'only agents read a project''s "
             "masking secret' USING ERRCODE = 'insufficient_privilege'; END IF; "
             "IF NOT EXISTS (SELECT 1 FROM projects WHERE id = project) THEN RAISE EXCEPTION 'there is no project %%', "
             "project; END IF; "
             "INSERT INTO project_secrets (project_id, mask_secret, created) VALUES (project, "
             "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), %1) ON CONFLICT (project_id) DO "
             "NOTHING; "
             "SELECT mask_secret INTO secret FROM project_secrets WHERE project_id = project; "
             "INSERT INTO audit (at, who, action, subject, detail) VALUES (%1, session_user, 'mask-secret.use', "
             "project, why); RETURN secret; END $$")
             .arg(now)
             .replace(QLatin1String("%%"), QLatin1String("%"));
    s << QStringLiteral("DO $$ BEGIN EXECUTE format('ALTER FUNCTION dataalm_mask_secret(text, text) SET search_path = "
                        "%I, pg_temp', current_schema()); END $$");
    return s;
}
