#include "import/ImportRequest.h"

#include "backup/BackupArchive.h"
#include "catalog/Catalog.h"
#include "operation/OperationKinds.h"
#include "policy/DataPolicy.h"
#include "refresh/RefreshRequest.h"

#include <QJsonArray>
#include <QCryptographicHash>
#include <QJsonDocument>

QString ImportRequest::refusal(const BackupManifest& m, const Environment& target)
{
    return refusal(m.engine, m.project, m.versions.application, target);
}

QString ImportRequest::refusal(const QString& engine, const QString& project, const QString& application,
                               const Environment& target)
{
    if (target.type == EnvironmentType::Production)
        return QStringLiteral("%1 is a production environment; a backup is imported into a sandbox or a dev/test "
                              "environment, never into production.")
            .arg(target.id);
    const DatabaseRef* db = target.database(DatabaseRef::Transactional);
    if (!db)
        return QStringLiteral("%1 has no transactional database to import into.").arg(target.id);
    if (db->driver != engine)
        return QStringLiteral("The backup holds a %1 database and %2's is on %3: an import cannot cross engines. "
                              "Export from an environment on %3.")
            .arg(engine == DatabaseRef::Sqlite ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL"), target.id,
                 db->engineTitle());
    if (project != target.projectId)
        return QStringLiteral("The backup comes from project %1 and %2 belongs to %3: import it into an environment "
                              "of %1.")
            .arg(project, target.id, target.projectId);
    if (application != target.versions.application)
        return QStringLiteral("The backup holds application release %1 and %2 runs %3; an import runs no data "
                              "upgrade. Import it into an environment on %1.")
            .arg(application, target.id, target.versions.application);
    return {};
}

QString ImportRequest::layoutRefusal(const BackupManifest& m)
{
    for (const BackupManifest::File& f : m.files) {
        const bool fits = m.engine == DatabaseRef::Sqlite
                              ? f.name == QLatin1String("transactional.db")
                              : f.name.startsWith(QLatin1String("pgdump/")) && f.name.count(QLatin1Char('/')) == 1;
        if (!fits)
            return QStringLiteral("the backup holds %1, which is not a file of a %2 backup")
                .arg(f.name, m.engine == DatabaseRef::Sqlite ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL"));
    }
    if (m.engine == DatabaseRef::Sqlite && !m.file(QStringLiteral("transactional.db")))
        return QStringLiteral("the backup holds no transactional.db");
    if (m.engine == DatabaseRef::Postgres && !m.file(QStringLiteral("pgdump/toc.dat")))
        return QStringLiteral("the backup holds no pgdump/toc.dat (a pg_dump directory)");
    return {};
}

std::optional<qint64> ImportRequest::create(Catalog& catalog, const BackupStore::Backup& backup,
                                            const Environment& target, QString* error, bool* refused)
{
    if (refused)
        *refused = false;
    const auto refuse = [&](const QString& why) {
        *error = why;
        if (refused)
            *refused = true;
        return std::nullopt;
    };
    const std::optional<BackupManifest> manifest = BackupArchive::inspect(backup.file, error);
    if (!manifest)
        return refuse(*error);
    const QString why = refusal(*manifest, target);
    if (!why.isEmpty())
        return refuse(why);
    const QString layout = layoutRefusal(*manifest);
    if (!layout.isEmpty())
        return refuse(layout);
    // pg_restore runs the SQL a dump holds, with the target's credentials: only a dump this
    // catalog wrote itself (an export, whose digest it recorded) is restored.
    if (manifest->engine == DatabaseRef::Postgres && backup.operationId <= 0)
        return refuse(QStringLiteral("%1 is a PostgreSQL backup uploaded from elsewhere. Restoring a dump runs the SQL "
                                     "it holds on %2's server, so this catalog imports only the PostgreSQL backups it "
                                     "exported itself: export again from a sandbox of this catalog.")
                          .arg(backup.name, target.id));
    // The file must still be the one the library recorded: read whole once, here. The
    // steps hold it to the manifest checked now (RefreshJob::reviewedBackup).
    QString e;
    if (BackupArchive::sha256Of(backup.file, &e) != backup.sha256)
        return refuse(e.isEmpty() ? QStringLiteral("%1 changed since it was added to the asset library (its SHA-256 "
                                                   "differs): it is not imported")
                                        .arg(backup.name)
                                  : e);
    // The environment-specific rules of the target project's policy: the rest ran at the export.
    QByteArray bytes;
    if (!DataPolicy::readSource(RefreshRequest::policyPathFor(catalog, target), &bytes, error))
        return std::nullopt;
    QString problems;
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(bytes, &problems);
    if (!policy)
        return refuse(QStringLiteral("the project's data policy is refused: %1").arg(problems));
    QJsonArray rules;
    for (const PolicyRule& r : policy->rules()) {
        if (r.action == PolicyRule::Action::KeepTarget || r.action == PolicyRule::Action::ResetAdmin)
            rules.append(r.toJson());
    }
    const QByteArray own = QJsonDocument(QJsonObject{{QStringLiteral("rules"), rules}}).toJson(QJsonDocument::Compact);
    // The source the refresh steps name: the backup's environment, with no database of
    // its own (the copy step restores the backup instead).
    Environment source;
    source.id = manifest->sourceEnvironment;
    source.projectId = manifest->project;
    source.versions = manifest->versions;
    const DatabaseRef* db = target.database(DatabaseRef::Transactional);
    DatabaseRef none;
    none.role = db->role;
    none.driver = db->driver;
    source.databases.append(none);
    Environment into = target;
    into.databases = {*db};
    const QJsonObject extra{
        {QStringLiteral("backup"), QJsonObject{{QStringLiteral("project"), backup.projectId},
                                               {QStringLiteral("name"), backup.name},
                                               {QStringLiteral("file"), backup.file},
                                               {QStringLiteral("sha256"), backup.sha256},
                                               {QStringLiteral("manifestSha256"), manifestDigest(*manifest)},
                                               {QStringLiteral("exportedBy"), backup.operationId}}},
        {QStringLiteral("leaveFinancialReporting"), true}};
    RefreshRequest::Refusal r = RefreshRequest::Refusal::None;
    auto id = RefreshRequest::createOfKind(OperationKinds::Import, catalog, source, into, QString(), &own, extra,
                                           error, &r);
    if (!id && r == RefreshRequest::Refusal::TargetBusy && refused)
        *refused = true;
    return id;
}

QString ImportRequest::manifestDigest(const BackupManifest& manifest)
{
    return QString::fromLatin1(QCryptographicHash::hash(manifest.toJson(), QCryptographicHash::Sha256).toHex());
}
