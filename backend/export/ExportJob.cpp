#include "export/ExportJob.h"

#include "backup/BackupArchive.h"
#include "catalog/ProjectSecrets.h"
#include "catalog/BackupStore.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLog.h"
#include "core/ByteSize.h"
#include "core/TestHooks.h"
#include "engine/DatabaseEngine.h"
#include "engine/PostgresTools.h"
#include "export/ExportRunbook.h"
#include "operation/OperationKinds.h"
#include "policy/DataPolicy.h"
#include "refresh/RefreshJob.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStorageInfo>
#include <QThread>

#include <future>

namespace {

const QString DatabaseKey = QStringLiteral("database");
const QString NameKey = QStringLiteral("backup");
const QString ProjectKey = QStringLiteral("project");
const QString VersionsKey = QStringLiteral("versions");
const QString SourceRowsKey = QStringLiteral("sourceRows");
const QString TablesKey = QStringLiteral("tables");
const QString CopiedKey = QStringLiteral("copied");
const QString ZipDigestKey = QStringLiteral("backupSha256");
const QString ExcludedKey = QStringLiteral("excluded");

} // namespace

ExportJob::ExportJob(Context& context)
    : OperationJob(context)
    , m_params(context.operation.params)
{
    m_source = DatabaseRef::fromJson(m_params.value(DatabaseKey).toObject());
    m_engine = DatabaseEngine::forDatabase(m_source);
}

ExportJob::~ExportJob() = default;

std::optional<qint64> ExportJob::create(Catalog& catalog, const Environment& source, const QString& policyPath,
                                        QString* error, bool* invalidPolicy)
{
    if (invalidPolicy)
        *invalidPolicy = false;
    const DatabaseRef* db = source.database(DatabaseRef::Transactional);
    if (!db) {
        *error = QStringLiteral("%1 has no transactional database to export").arg(source.id);
        return std::nullopt;
    }
    QByteArray bytes;
    QString problems;
    if (!DataPolicy::readSource(policyPath, &bytes, error) || !DataPolicy::fromJson(bytes, &problems)) {
        if (!problems.isEmpty())
            *error = QStringLiteral("the policy %1 is refused:\n%2")
                         .arg(policyPath.isEmpty() ? QStringLiteral("(built-in default)") : policyPath, problems);
        if (invalidPolicy)
            *invalidPolicy = true;
        return std::nullopt;
    }
    QJsonObject params{{DatabaseKey, db->toJson()},
                       {ProjectKey, source.projectId},
                       {VersionsKey, source.versions.toJson()},
                       {QStringLiteral("policy"), policyPath}};
    RefreshJob::recordPolicy(params, bytes);
    OperationStore store(catalog);
    const std::optional<qint64> id = store.create(OperationKinds::Export, source.projectId, source.id, source.id,
                                                  ExportRunbook::stepNames(), params, error);
    if (!id)
        return std::nullopt;
    // The backup's name carries the operation's id: two exports never write one file.
    params.insert(NameKey, QStringLiteral("%1-%2-op%3")
                               .arg(source.id, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                               .arg(*id));
    if (!store.setParams(*id, params)) {
        *error = QStringLiteral("cannot record the export's parameters in the catalog");
        return std::nullopt;
    }
    return id;
}

QStringList ExportJob::stepNames() const
{
    return ExportRunbook::stepNames();
}

int ExportJob::resumeFrom(int failedOrdinal) const
{
    // A copy, a policy or a zip cut short starts its database again from the copy.
    return failedOrdinal <= ExportRunbook::VerifyStaging ? std::min(failedOrdinal, int(ExportRunbook::PrepareStaging))
                                                         : failedOrdinal;
}

QString ExportJob::workFolder() const
{
    return QDir(m_ctx.catalog->folder()).filePath(QStringLiteral("work/export-op%1").arg(m_ctx.operation.id));
}

QString ExportJob::backupPath() const
{
    return QDir(BackupStore(*m_ctx.catalog).folderFor(m_params.value(ProjectKey).toString()))
        .filePath(m_params.value(NameKey).toString() + QStringLiteral(".zip"));
}

DatabaseRef ExportJob::staging() const
{
    if (!m_engine)
        return {};
    // Never beside the source: a SQLite copy under the catalog's work folder, a
    // PostgreSQL one on the source's server under a name of this operation.
    return m_source.isSqlite() ? m_engine->keptCopyFor(m_source, m_ctx.operation.id, workFolder())
                               : m_engine->stagingFor(m_source, m_ctx.operation.id);
}

bool ExportJob::persistParams()
{
    m_ctx.operation.params = m_params;
    return m_ctx.store->setParams(m_ctx.operation.id, m_params);
}

bool ExportJob::runStep(int ordinal, QString* detail, QString* error)
{
    if (!m_engine) {
        *error = QStringLiteral("no engine for %1 databases").arg(m_source.driver);
        return false;
    }
    switch (ordinal) {
    case ExportRunbook::Validate:
        return validate(detail, error);
    case ExportRunbook::PrepareStaging:
        return prepare(detail, error);
    case ExportRunbook::CopyTransactional:
        return copy(detail, error);
    case ExportRunbook::ApplyDataPolicy:
        return applyPolicy(detail, error);
    case ExportRunbook::VerifyStaging:
        return verify(detail, error);
    case ExportRunbook::WriteBackup:
        return writeBackup(detail, error);
    case ExportRunbook::AddToLibrary:
        return addToLibrary(detail, error);
    }
    *error = QStringLiteral("no step %1").arg(ordinal);
    return false;
}

bool ExportJob::validate(QString* detail, QString* error)
{
    const std::optional<Environment> env = m_ctx.catalog->environment(m_ctx.operation.target);
    if (!env) {
        *error = QStringLiteral("unknown environment %1").arg(m_ctx.operation.target);
        return false;
    }
    if (env->type != EnvironmentType::Sandbox) {
        *error = QStringLiteral("%1 is a %2 environment; only a sandbox can be exported (LCS's rule: production's "
                                "data leaves only through a sandbox and its data policy).")
                     .arg(env->id, environmentTypeTitle(env->type).toLower());
        return false;
    }
    QString e;
    if (!m_engine->test(m_source, &e)) {
        *error = QStringLiteral("%1's transactional database cannot be opened: %2").arg(env->id, e);
        return false;
    }
    if (m_source.isPostgres() && PostgresTools::find(QStringLiteral("pg_dump"), &e).isEmpty()) {
        *error = e;
        return false;
    }
    const qint64 size = m_engine->sizeBytes(m_source);
    const QString library = BackupStore(*m_ctx.catalog).folderFor(m_params.value(ProjectKey).toString());
    if (!QDir().mkpath(library)) {
        *error = QStringLiteral("cannot create the asset library folder %1").arg(library);
        return false;
    }
    // The backup file, at worst as large as the database (it compresses to a fraction of
    // it); and for SQLite the staging copy under the catalog's work folder.
    const qint64 free = QStorageInfo(library).bytesAvailable();
    if (free >= 0 && size > free) {
        *error = QStringLiteral("the asset library's disk has %1 free; the backup of %2 may need up to %3. Free some "
                                "space, then resume.")
                     .arg(ByteSize::text(free), ByteSize::text(size), ByteSize::text(size));
        return false;
    }
    QDir().mkpath(workFolder());
    const qint64 workFree = QStorageInfo(workFolder()).bytesAvailable();
    if (m_source.isSqlite() && workFree >= 0 && size > workFree) {
        *error = QStringLiteral("the catalog's disk has %1 free; the staging copy needs %2. Free some space, then "
                                "resume.")
                     .arg(ByteSize::text(workFree), ByteSize::text(size));
        return false;
    }
    auto policy = DataPolicy::fromJson(RefreshJob::recordedPolicy(m_params), &e);
    if (!policy) {
        *error = QStringLiteral("the data policy stored with the export is refused: %1").arg(e);
        return false;
    }
    *detail = QStringLiteral("%1 (%2) into the asset library of %3 as %4")
                  .arg(m_source.location(), size > 0 ? ByteSize::text(size) : QStringLiteral("size unknown"),
                       m_params.value(ProjectKey).toString(), m_params.value(NameKey).toString());
    return true;
}

bool ExportJob::prepare(QString* detail, QString* error)
{
    const DatabaseRef s = staging();
    if (!m_engine->drop(s, error))
        return false;
    if (!QDir().mkpath(workFolder())) {
        *error = QStringLiteral("cannot create %1").arg(workFolder());
        return false;
    }
    QFile::remove(backupPath() + QStringLiteral(".part"));
    *detail = s.location();
    return true;
}

bool ExportJob::copy(QString* detail, QString* error)
{
    QElapsedTimer t;
    t.start();
    qint64 bytes = 0;
    QJsonObject rows;
    const int delay = TestHooks::copyDelayMs();
    m_params.insert(CopiedKey, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    bool midCrashArmed = true;
    const bool ok = m_engine->copySnapshot(
        m_source, staging(),
        [&](qint64 done, qint64 total, qint64 b) {
            bytes = b;
            m_ctx.progress(done, total, b, m_engine->copyUnit());
            if (midCrashArmed && done * 2 >= total && done < total) {
                midCrashArmed = false;
                TestHooks::crashPoint("export-copy-mid");
            }
            if (delay > 0)
                QThread::msleep(delay);
        },
        m_ctx.cancelled, error, &rows);
    if (!ok)
        return false;
    m_params.insert(SourceRowsKey, rows);
    if (!persistParams()) {
        *error = QStringLiteral("cannot record the source's row counts with the operation");
        return false;
    }
    const double seconds = std::max(0.001, double(t.elapsed()) / 1000.0);
    *detail = QStringLiteral("%1 in %2 s").arg(ByteSize::text(bytes)).arg(seconds, 0, 'f', 1);
    return true;
}

bool ExportJob::applyPolicy(QString* detail, QString* error)
{
    QString e;
    auto policy = DataPolicy::fromJson(RefreshJob::recordedPolicy(m_params), &e);
    if (!policy) {
        *error = e;
        return false;
    }
    // What must not travel is taken out here; keep-target and reset-admin rules are the
    // importing environment's (its own rows, its administrator).
    QJsonArray rules;
    QJsonArray excluded;
    for (const PolicyRule& r : policy->rules()) {
        if (r.action == PolicyRule::Action::Exclude || r.changesValues())
            rules.append(r.toJson());
        if (r.action == PolicyRule::Action::Exclude) {
            for (const QString& table : r.tables)
                excluded.append(table);
        }
    }
    auto part = DataPolicy::fromJson(QJsonDocument(QJsonObject{{QStringLiteral("rules"), rules}}).toJson(), &e);
    if (!part) {
        *error = e;
        return false;
    }
    m_params.insert(ExcludedKey, excluded);
    if (part->isEmpty()) {
        persistParams();
        *detail = skipped(QStringLiteral("the policy has no rule that leaves data out"));
        return true;
    }
    PolicyContext context;
    if (!ProjectSecrets(*m_ctx.catalog)
             .fillContext(m_ctx.operation.projectId, *part, QStringLiteral("operation %1").arg(m_ctx.operation.id),
                          &context, &e)) {
        *error = e;
        return false;
    }
    const PolicyReport report = m_engine->applyPolicy(
        staging(), m_source, *part, context,
        [&](int done, int total, const QString&) { m_ctx.progress(done, total, 0, QStringLiteral("rules")); },
        m_ctx.cancelled);
    for (const QString& line : report.logLines())
        m_ctx.log->info(line);
    if (!report.ok()) {
        *error = report.error;
        return false;
    }
    qint64 rows = 0;
    for (const auto& r : report.rules)
        rows += r.rowsAffected();
    persistParams();
    *detail = QStringLiteral("%1 rules, %2 rows").arg(part->rules().size()).arg(rows);
    return true;
}

bool ExportJob::verify(QString* detail, QString* error)
{
    const DatabaseRef s = staging();
    // The SQLite payload's digest for the manifest is read meanwhile, on another core:
    // the file is not written again after the policy.
    std::future<QString> digest;
    QString digestError;
    if (s.isSqlite())
        // No cancel callback on that thread: the runner's check reads the catalog, which
        // belongs to the runner's thread (Verify itself still honours a cancel).
        digest = std::async(std::launch::async, [&] { return BackupArchive::sha256Of(s.path, &digestError); });
    const auto joined = [&] {
        if (digest.valid())
            digest.wait();
    };
    if (!m_engine->checkIntegrity(s, error)) {
        joined();
        return false;
    }
    QJsonObject counts;
    if (!m_engine->tableRowCounts(s, &counts, error)) {
        joined();
        return false;
    }
    if (digest.valid()) {
        const QString sha = digest.get();
        if (sha.isEmpty()) {
            *error = digestError;
            return false;
        }
        m_params.insert(QStringLiteral("payloadSha256"), sha);
        m_params.insert(QStringLiteral("payloadStamp"), m_engine->changeStamp(s));
    }
    // Every table of the snapshot is there; excluded ones are empty, the others hold the
    // snapshot's rows (blank and set change values, not counts).
    const QJsonObject source = m_params.value(SourceRowsKey).toObject();
    QStringList excluded;
    for (const QJsonValue& v : m_params.value(ExcludedKey).toArray())
        excluded << v.toString();
    QStringList problems;
    for (auto it = source.begin(); it != source.end(); ++it) {
        if (!counts.contains(it.key())) {
            problems << QStringLiteral("table %1 is missing").arg(it.key());
            continue;
        }
        const qint64 have = counts.value(it.key()).toInteger();
        const bool isExcluded = excluded.contains(it.key(), Qt::CaseInsensitive);
        const qint64 want = isExcluded ? 0 : it.value().toInteger(-1);
        if (want >= 0 && have != want)
            problems << QStringLiteral("table %1 holds %2 rows, %3 expected").arg(it.key()).arg(have).arg(want);
    }
    if (!problems.isEmpty()) {
        *error = QStringLiteral("the staging copy is not what the export must write: %1").arg(problems.join(QStringLiteral("; ")));
        return false;
    }
    m_params.insert(TablesKey, counts);
    persistParams();
    *detail = QStringLiteral("%1 tables hold the rows they must; the integrity check passed").arg(counts.size());
    return true;
}

bool ExportJob::writeBackup(QString* detail, QString* error)
{
    TestHooks::pausePoint("export-writing");
    const DatabaseRef s = staging();
    QList<QPair<QString, QString>> files;
    if (m_source.isSqlite()) {
        files.append({QStringLiteral("transactional.db"), s.path});
    } else {
        // PostgreSQL's own logical backup of the sanitized copy: a directory, compressed, in parallel.
        const QString dump = QDir(workFolder()).filePath(QStringLiteral("pgdump"));
        QDir(dump).removeRecursively();
        if (!PostgresTools::run(QStringLiteral("pg_dump"),
                                {QStringLiteral("--format=directory"), QStringLiteral("--jobs=4"),
                                 QStringLiteral("--no-owner"), QStringLiteral("--no-privileges"),
                                 QStringLiteral("--file=") + dump,
                                 QStringLiteral("--dbname=") + s.postgresConninfo()},
                                error, m_ctx.cancelled))
            return false;
        const QStringList names = QDir(dump).entryList(QDir::Files, QDir::Name);
        for (const QString& n : names)
            files.append({QStringLiteral("pgdump/") + n, QDir(dump).filePath(n)});
    }
    BackupManifest manifest;
    manifest.project = m_params.value(ProjectKey).toString();
    manifest.sourceEnvironment = m_ctx.operation.source;
    manifest.engine = m_source.driver;
    manifest.versions = EnvironmentVersions::fromJson(m_params.value(VersionsKey).toObject());
    manifest.created = QDateTime::fromString(m_params.value(CopiedKey).toString(), Qt::ISODateWithMs);
    manifest.policySha256 = m_params.value(QStringLiteral("policySha256")).toString();
    manifest.tables = m_params.value(TablesKey).toObject();
    // The digest Verify read, if the file has not changed since (its change stamp).
    QMap<QString, QString> known;
    if (m_source.isSqlite() && !m_params.value(QStringLiteral("payloadSha256")).toString().isEmpty() &&
        m_params.value(QStringLiteral("payloadStamp")).toString() == m_engine->changeStamp(s))
        known.insert(QStringLiteral("transactional.db"), m_params.value(QStringLiteral("payloadSha256")).toString());
    BackupManifest written;
    const QString path = backupPath();
    if (!BackupArchive::write(
            path, manifest, files,
            [&](qint64 done, qint64 total) { m_ctx.progress(done, total, done, QStringLiteral("bytes")); },
            m_ctx.cancelled, error, &written, known))
        return false;
    TestHooks::crashPoint("export-written");
    QString e;
    const QString digest = BackupArchive::sha256Of(path, &e);
    if (digest.isEmpty()) {
        *error = e;
        return false;
    }
    m_params.insert(ZipDigestKey, digest);
    persistParams();
    *detail = QStringLiteral("%1: %2 (%3 of data)")
                  .arg(path, ByteSize::text(QFileInfo(path).size()), ByteSize::text(written.payloadBytes()));
    return true;
}

bool ExportJob::addToLibrary(QString* detail, QString* error)
{
    BackupStore store(*m_ctx.catalog);
    if (!store.ofOperation(m_ctx.operation.id)) {
        BackupStore::Backup b;
        b.projectId = m_params.value(ProjectKey).toString();
        b.name = m_params.value(NameKey).toString();
        b.file = backupPath();
        b.sha256 = m_params.value(ZipDigestKey).toString();
        b.bytes = QFileInfo(b.file).size();
        b.sourceEnvironment = m_ctx.operation.source;
        b.engine = m_source.driver;
        b.application = EnvironmentVersions::fromJson(m_params.value(VersionsKey).toObject()).application;
        b.created = QDateTime::fromString(m_params.value(CopiedKey).toString(), Qt::ISODateWithMs);
        b.operationId = m_ctx.operation.id;
        if (!store.add(b, error))
            return false;
    }
    // The staging copy and the work folder are not needed any more.
    QString e;
    m_engine->drop(staging(), &e);
    QDir(workFolder()).removeRecursively();
    *detail = QStringLiteral("Database backups: %1").arg(m_params.value(NameKey).toString());
    m_ctx.log->info(QStringLiteral("backup %1 is in the asset library of %2")
                        .arg(m_params.value(NameKey).toString(), m_params.value(ProjectKey).toString()));
    return true;
}

bool ExportJob::rollback(QString* error)
{
    // An export changed no environment: rolling it back takes its own backup out of the
    // library (never another's of the same name).
    BackupStore store(*m_ctx.catalog);
    const std::optional<BackupStore::Backup> own = store.ofOperation(m_ctx.operation.id);
    if (!own) {
        discard();
        return true;
    }
    if (QFile::exists(own->file) && !QFile::remove(own->file)) {
        *error = QStringLiteral("cannot remove %1").arg(own->file);
        return false;
    }
    store.remove(own->projectId, own->name);
    return true;
}

bool ExportJob::release(QString* error)
{
    Q_UNUSED(error);
    return true;
}

bool ExportJob::discard()
{
    QString e;
    bool gone = true;
    if (m_engine && !m_engine->drop(staging(), &e)) {
        m_ctx.log->warn(QStringLiteral("cannot remove the staging copy %1: %2").arg(staging().location(), e));
        gone = false;
    }
    QDir(workFolder()).removeRecursively();
    QFile::remove(backupPath() + QStringLiteral(".part"));
    // A backup written but never recorded in the library is not kept either (one that any
    // row of the library names is not this export's to remove).
    if (!BackupStore(*m_ctx.catalog).get(m_params.value(ProjectKey).toString(), m_params.value(NameKey).toString()))
        QFile::remove(backupPath());
    return gone;
}
