#include "refresh/RefreshJob.h"

#include "restorepoint/RestorePointService.h"
#include "core/ByteSize.h"

#include "coverage/LeakScan.h"
#include "policy/PolicyCoverage.h"
#include "catalog/ProjectSecrets.h"
#include "catalog/Catalog.h"
#include "core/TestHooks.h"
#include "engine/DatabaseEngine.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLog.h"
#include "catalog/RestorePointStore.h"
#include "backup/BackupArchive.h"
#include "import/ImportRequest.h"
#include "restore/RestoreRequest.h"
#include "restorepoint/PitrInstance.h"
#include "restorepoint/PgBackRest.h"
#include "core/Clock.h"
#include "operation/OperationRules.h"
#include "operation/OperationKinds.h"
#include "policy/DataPolicy.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"
#include "preflight/Preflight.h"
#include "refresh/RefreshRunbook.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <QJsonDocument>
#include <QLocale>
#include <QThread>

struct RefreshJob::Pair
{
    QString role;
    DatabaseRef source;
    DatabaseRef target;
    DatabaseRef staging;
    DatabaseRef restorePoint;
    std::shared_ptr<DatabaseEngine> engine;
};

namespace {


// A policy of only the rules whose action is in `actions` (the steps 5, 6, 7 each
// apply their part of the one policy).
std::optional<DataPolicy> subset(const DataPolicy& policy, const QList<PolicyRule::Action>& actions, QString* error)
{
    QJsonArray rules;
    for (const PolicyRule& r : policy.rules()) {
        if (actions.contains(r.action))
            rules.append(r.toJson());
    }
    return DataPolicy::fromJson(QJsonDocument(QJsonObject{{QStringLiteral("rules"), rules}}).toJson(), error);
}

} // namespace

RefreshJob::RefreshJob(Context& context)
    : OperationJob(context)
    , m_params(context.operation.params)
{
}

RefreshJob::~RefreshJob()
{
    delete m_pairs;
}

QJsonObject RefreshJob::makeParams(const Environment& source, const Environment& target, const QString& policyPath)
{
    QJsonArray dbs;
    for (const DatabaseRef& t : target.databases) {
        const DatabaseRef* s = source.database(t.role);
        if (!s)
            continue;
        dbs.append(QJsonObject{{QStringLiteral("role"), t.role},
                               {QStringLiteral("source"), s->toJson()},
                               {QStringLiteral("target"), t.toJson()}});
    }
    return {{QStringLiteral("databases"), dbs},
            {QStringLiteral("policy"), policyPath},
            {QStringLiteral("administrator"), target.admin},
            {QStringLiteral("tenant"), target.tenant},
            {QStringLiteral("commerce"), target.hasCommerce()}};
}

std::optional<DataPolicy> RefreshJob::loadPolicy(const QString& policyPath, QString* error)
{
    return DataPolicy::load(policyPath, error);
}

namespace {
const QString PolicyBytesKey = QStringLiteral("policyBase64");
const QString PolicyDigestKey = QStringLiteral("policySha256");
} // namespace

void RefreshJob::recordPolicy(QJsonObject& params, const QByteArray& policy)
{
    params.insert(PolicyBytesKey, QString::fromLatin1(policy.toBase64()));
    params.insert(PolicyDigestKey,
                  QString::fromLatin1(QCryptographicHash::hash(policy, QCryptographicHash::Sha256).toHex()));
}

QByteArray RefreshJob::recordedPolicy(const QJsonObject& params)
{
    return QByteArray::fromBase64(params.value(PolicyBytesKey).toString().toLatin1());
}

std::optional<DataPolicy> RefreshJob::policy(QString* error) const
{
    if (!m_params.contains(PolicyBytesKey))
        return loadPolicy(m_params.value(QStringLiteral("policy")).toString(), error);
    const QByteArray bytes = recordedPolicy(m_params);
    const QString digest = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    if (digest != m_params.value(PolicyDigestKey).toString()) {
        *error = QStringLiteral("the data policy stored with operation %1 does not match its SHA-256 any more; roll "
                                "it back and refresh again")
                     .arg(m_ctx.operation.id);
        return std::nullopt;
    }
    QString problems;
    std::optional<DataPolicy> p = DataPolicy::fromJson(bytes, &problems);
    if (!p)
        *error = QStringLiteral("the data policy stored with operation %1 is refused: %2").arg(m_ctx.operation.id).arg(problems);
    return p;
}

QList<RefreshJob::Pair>& RefreshJob::pairs()
{
    if (!m_pairs) {
        m_pairs = new QList<Pair>;
        const qint64 id = m_ctx.operation.id;
        for (const QJsonValue& v : m_params.value(QStringLiteral("databases")).toArray()) {
            const QJsonObject o = v.toObject();
            Pair p;
            p.role = o.value(QStringLiteral("role")).toString();
            p.source = DatabaseRef::fromJson(o.value(QStringLiteral("source")).toObject());
            p.target = DatabaseRef::fromJson(o.value(QStringLiteral("target")).toObject());
            p.engine = DatabaseEngine::forDatabase(p.target);
            if (p.engine) {
                p.staging = p.engine->stagingFor(p.target, id);
                p.restorePoint = p.engine->restorePointFor(p.target, id);
            }
            m_pairs->append(std::move(p));
        }
    }
    return *m_pairs;
}

RefreshJob::Pair* RefreshJob::pair(const QString& role)
{
    for (Pair& p : pairs()) {
        if (p.role == role)
            return &p;
    }
    return nullptr;
}

QStringList RefreshJob::stepNames() const
{
    return RefreshRunbook::stepNames();
}

int RefreshJob::resumeFrom(int failedOrdinal) const
{
    // Every step is idempotent, the copy steps start their database afresh; but a mask rule
    // is not: masking a pseudonym again gives another one. A policy step that failed (or was
    // interrupted) after some of its rules committed starts again from a fresh copy.
    if (failedOrdinal == RefreshRunbook::ApplyDataPolicy) {
        const std::optional<DataPolicy> p = policy(nullptr);
        if (p && p->hasAction(PolicyRule::Action::Mask))
            return RefreshRunbook::CopyTransactional;
    }
    return failedOrdinal;
}

bool RefreshJob::persistParams()
{
    m_ctx.operation.params = m_params;
    return m_ctx.store->setParams(m_ctx.operation.id, m_params);
}

bool RefreshJob::runStep(int ordinal, QString* detail, QString* error)
{
    switch (ordinal) {
    case RefreshRunbook::Validate:
        return validate(detail, error);
    case RefreshRunbook::PrepareStaging:
        return prepareStaging(detail, error);
    case RefreshRunbook::CopyTransactional:
        return copy(DatabaseRef::Transactional, detail, error);
    case RefreshRunbook::CopyFinancialReporting:
        return copy(DatabaseRef::FinancialReporting, detail, error);
    case RefreshRunbook::ApplyDataPolicy:
    case RefreshRunbook::KeepEnvironmentRecords:
    case RefreshRunbook::ResetAdministrator:
        return applyPolicy(ordinal, detail, error);
    case RefreshRunbook::VerifyStaging:
        return verify(detail, error);
    case RefreshRunbook::SwapIntoTarget:
        return swap(detail, error);
    case RefreshRunbook::FollowUps:
        return followUps(detail, error);
    }
    *error = QStringLiteral("no step %1").arg(ordinal);
    return false;
}

bool RefreshJob::validate(QString* detail, QString* error)
{
    const OperationRecord& op = m_ctx.operation;
    auto target = m_ctx.catalog->environment(op.target);
    // An import's source is only the name its backup gives (an environment of another
    // catalog, or one removed since): it is not looked up.
    if (target && m_params.contains(QStringLiteral("backup")))
        return validateImport(*target, detail, error);
    auto source = m_ctx.catalog->environment(op.source);
    if (source && target && m_params.contains(QStringLiteral("pitr")))
        return validateInstant(*source, *target, detail, error);
    if (!source || !target) {
        *error = QStringLiteral("unknown environment %1").arg(!source ? op.source : op.target);
        return false;
    }
    QString e;
    auto policy = this->policy(&e);
    if (!policy) {
        *error = e;
        return false;
    }
    Preflight::Input in;
    in.source = *source;
    in.target = *target;
    if (m_params.contains(QStringLiteral("restorePoint"))) {
        // A restore reads a restore point: it must still be there, whole and unexpired.
        const qint64 pointId = m_params.value(QStringLiteral("restorePoint")).toInteger();
        const std::optional<RestorePoint> point = RestorePointStore(*m_ctx.catalog).get(pointId);
        if (!point) {
            *error = QStringLiteral("Restore point %1 is no longer in the catalog (deleted or expired).").arg(pointId);
            return false;
        }
        const QString why = OperationRules::restoreRefusal(*point, &*source, *target, Clock::nowUtc());
        if (!why.isEmpty()) {
            *error = why;
            return false;
        }
        // Its databases are the copies DataALM makes of its environment's own, where it
        // makes them: a row written to point elsewhere (another environment's database,
        // production's, with raw SQL) is refused, never restored from.
        const QString restorePointsFolder = RestorePointService(*m_ctx.catalog).folderFor(point->environmentId, point->id);
        for (const DatabaseRef& copy : point->databases) {
            const DatabaseRef* own = source->database(copy.role);
            const auto engine = own ? DatabaseEngine::forDatabase(*own) : nullptr;
            const DatabaseRef expected = !engine ? DatabaseRef()
                                         : point->kind == RestorePoint::Operation
                                             ? engine->restorePointFor(*own, point->operationId)
                                             : engine->keptCopyFor(*own, point->id, restorePointsFolder);
            if (!engine || expected.driver != copy.driver || expected.location() != copy.location()) {
                *error = QStringLiteral("Restore point %1 names %2 for the %3 database, which is not where DataALM keeps "
                                        "%4's restore points: it is not restored from.")
                             .arg(pointId)
                             .arg(copy.location(), copy.role, source->id);
                m_ctx.catalog->audit(QStringLiteral("operation.refused"), QString::number(op.id), *error);
                return false;
            }
        }
        m_ctx.log->info(QStringLiteral("restoring %1 from %2").arg(target->id, point->title()));
        in.source = point->asSource(*source);
        in.restoring = true;
    }
    in.policy = &*policy;
    in.countRows = false;
    auto blocking = m_ctx.store->blockingOperation(op.target);
    if (blocking && blocking->id != op.id)
        in.blocking = blocking;
    in.keeping = m_ctx.store->keepingRestorePoints(op.target);
    in.previousColumns = m_ctx.store->lastSourceColumns(op.target);
    const Preflight::Result result = Preflight::run(in);
    if (result.coverage) {
        // The masking report's coverage: what the policy covered of the source when it was validated.
        m_params.insert(QStringLiteral("coverage"), result.coverage->toJson());
        persistParams();
    }
    QStringList failures;
    int warnings = 0;
    for (const CheckResult& c : result.checks) {
        const QString line = QStringLiteral("check %1: %2: %3")
                                 .arg(c.id, CheckResult::verdictName(c.verdict), c.message);
        if (c.verdict == CheckResult::Fail) {
            m_ctx.log->error(line);
            failures << c.message;
        } else if (c.verdict == CheckResult::Warn) {
            m_ctx.log->warn(line);
            ++warnings;
        } else {
            m_ctx.log->info(line);
        }
    }
    if (!failures.isEmpty()) {
        *error = failures.join(QLatin1Char(' '));
        return false;
    }
    *detail = warnings == 0 ? QStringLiteral("%1 checks passed").arg(result.checks.size())
              : warnings == 1
                  ? QStringLiteral("%1 checks passed, 1 warning").arg(result.checks.size() - 1)
                  : QStringLiteral("%1 checks passed, %2 warnings").arg(result.checks.size() - warnings).arg(warnings);
    return true;
}

bool RefreshJob::validateImport(const Environment& target, QString* detail, QString* error)
{
    const QJsonObject backup = m_params.value(QStringLiteral("backup")).toObject();
    QString e;
    const std::optional<BackupManifest> manifest = reviewedBackup(&e);
    if (!manifest) {
        *error = e;
        return false;
    }
    QStringList failures;
    const QString refusal = ImportRequest::refusal(*manifest, target);
    if (!refusal.isEmpty())
        failures << refusal;
    const QString layout = ImportRequest::layoutRefusal(*manifest);
    if (!layout.isEmpty())
        failures << layout;
    auto blocking = m_ctx.store->blockingOperation(target.id);
    if (blocking && blocking->id != m_ctx.operation.id)
        failures << OperationRules::busyRefusal(target.id, *blocking);
    for (Pair& p : pairs()) {
        const qint64 free = p.engine ? p.engine->freeBytesFor(p.target) : -1;
        if (free >= 0 && manifest->payloadBytes() > free)
            failures << QStringLiteral("%1 has %2 free where its staging database goes; the backup needs about %3.")
                            .arg(target.id, ByteSize::text(free), ByteSize::text(manifest->payloadBytes()));
        if (p.engine && !p.engine->testWritable(p.target, &e))
            failures << e;
    }
    if (!failures.isEmpty()) {
        for (const QString& f : failures)
            m_ctx.log->error(QStringLiteral("check: %1").arg(f));
        *error = failures.join(QLatin1Char(' '));
        return false;
    }
    m_ctx.log->info(QStringLiteral("backup %1: %2 database of %3, application %4, taken %5 UTC, %6 of data")
                        .arg(backup.value(QStringLiteral("name")).toString(), manifest->engine,
                             manifest->sourceEnvironment, manifest->versions.application,
                             manifest->created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                             ByteSize::text(manifest->payloadBytes())));
    *detail = QStringLiteral("backup %1 fits %2").arg(backup.value(QStringLiteral("name")).toString(), target.id);
    return true;
}

bool RefreshJob::validateInstant(const Environment& source, const Environment& target, QString* detail,
                                 QString* error)
{
    const QDateTime instant =
        QDateTime::fromString(m_params.value(QStringLiteral("pitr")).toObject().value(QStringLiteral("instant")).toString(),
                              Qt::ISODateWithMs);
    QStringList failures;
    // The stanza's window is read again: expiry may have moved its start.
    const QString why = RestoreRequest::instantRefusal(*m_ctx.catalog, source, target, instant);
    if (!why.isEmpty())
        failures << why;
    auto blocking = m_ctx.store->blockingOperation(target.id);
    if (blocking && blocking->id != m_ctx.operation.id)
        failures << OperationRules::busyRefusal(target.id, *blocking);
    if (!failures.isEmpty()) {
        for (const QString& f : failures)
            m_ctx.log->error(QStringLiteral("check: %1").arg(f));
        *error = failures.join(QLatin1Char(' '));
        return false;
    }
    *detail = QStringLiteral("%1 as it was at %2 UTC fits %3")
                  .arg(source.id, instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")), target.id);
    return true;
}

QString RefreshJob::instantFolder() const
{
    return QDir(QDir::tempPath()).filePath(QStringLiteral("dataalm-pitr-op%1").arg(m_ctx.operation.id));
}

bool RefreshJob::copyFromInstant(Pair& p, QString* detail, QString* error)
{
    const QJsonObject pitr = m_params.value(QStringLiteral("pitr")).toObject();
    const QDateTime instant = QDateTime::fromString(pitr.value(QStringLiteral("instant")).toString(), Qt::ISODateWithMs);
    const PitrSource source = PitrSource::fromJson(pitr.value(QStringLiteral("source")).toObject());
    QElapsedTimer t;
    t.start();
    // The WAL up to now archived, so that the instant is reachable (a commit after it).
    QString e;
    if (!PgBackRest::seal(p.source, 60000, &e))
        m_ctx.log->warn(QStringLiteral("%1; the restore goes on with the WAL archived so far").arg(e));
    if (!p.engine->drop(p.staging, error))
        return false;
    PitrInstance instance(source, instantFolder());
    m_ctx.log->info(QStringLiteral("restoring %1 as of %2 UTC with pgBackRest (stanza %3) into a temporary instance in %4")
                        .arg(p.source.name, instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                             source.stanza, instantFolder()));
    if (!instance.start(p.source.name, instant, p.source.user, m_ctx.cancelled, error))
        return false;
    const double replayed = double(t.elapsed()) / 1000.0;
    QJsonObject sourceRows;
    qint64 bytes = 0;
    const bool ok = p.engine->copySnapshot(
        instance.database(), p.staging,
        [&](qint64 done, qint64 total, qint64 b) {
            bytes = b;
            m_ctx.progress(done, total, b, p.engine->copyUnit());
        },
        m_ctx.cancelled, error, &sourceRows);
    QString removeError;
    if (!instance.remove(&removeError))
        m_ctx.log->warn(removeError);
    if (!ok)
        return false;
    QJsonObject all = m_params.value(QStringLiteral("sourceRows")).toObject();
    all.insert(p.role, sourceRows);
    m_params.insert(QStringLiteral("sourceRows"), all);
    if (!stampStaging()) {
        *error = QStringLiteral("cannot record the row counts with the operation");
        return false;
    }
    *detail = QStringLiteral("restored as of %1 UTC in %2 s, then %3 copied in %4 s")
                  .arg(instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
                  .arg(replayed, 0, 'f', 1)
                  .arg(ByteSize::text(bytes))
                  .arg(double(t.elapsed()) / 1000.0 - replayed, 0, 'f', 1);
    return true;
}

std::optional<BackupManifest> RefreshJob::reviewedBackup(QString* error) const
{
    // The import acts only on the backup it was created with. The whole file was held to
    // the SHA-256 the asset library recorded when the import was requested; from then on
    // its manifest must be the same, byte for byte (its SHA-256, recorded with the
    // operation), and extract() holds every payload file to the manifest's SHA-256 as it
    // writes it: a file changed under the operation fails the step that reads it, and the
    // zip is read once, not once per step.
    const QJsonObject backup = m_params.value(QStringLiteral("backup")).toObject();
    const QString file = backup.value(QStringLiteral("file")).toString();
    std::optional<BackupManifest> manifest = BackupArchive::inspect(file, error);
    if (!manifest)
        return std::nullopt;
    const QString recorded = backup.value(QStringLiteral("manifestSha256")).toString();
    if (recorded.isEmpty() || ImportRequest::manifestDigest(*manifest) != recorded) {
        *error = QStringLiteral("backup %1 changed since the import was requested (its manifest differs from the one "
                                "that was checked): roll back or abort, and import again")
                     .arg(backup.value(QStringLiteral("name")).toString());
        return std::nullopt;
    }
    return manifest;
}

bool RefreshJob::restoreBackup(Pair& p, QString* detail, QString* error)
{
    const QJsonObject backup = m_params.value(QStringLiteral("backup")).toObject();
    const QString file = backup.value(QStringLiteral("file")).toString();
    QString e;
    const std::optional<BackupManifest> manifest = reviewedBackup(&e);
    if (!manifest) {
        *error = e;
        return false;
    }
    QElapsedTimer t;
    t.start();
    if (!p.engine->drop(p.staging, error))
        return false;
    const auto progress = [&](qint64 done, qint64 total) { m_ctx.progress(done, total, done, QStringLiteral("bytes")); };
    if (p.target.isSqlite()) {
        // The sanitized file itself, checked against its SHA-256 as it is written.
        if (!BackupArchive::extract(file, *manifest, QStringLiteral("transactional.db"), p.staging.path, progress,
                                    m_ctx.cancelled, error))
            return false;
    } else {
        // A pg_dump directory: its files, each checked against its SHA-256, into a work
        // folder of this operation, then PostgreSQL's own restore into the staging database.
        const QString work =
            QDir(m_ctx.catalog->folder()).filePath(QStringLiteral("work/import-op%1/pgdump").arg(m_ctx.operation.id));
        QDir(work).removeRecursively();
        if (!QDir().mkpath(work)) {
            *error = QStringLiteral("cannot create %1").arg(work);
            return false;
        }
        const QString prefix = QStringLiteral("pgdump/");
        for (const BackupManifest::File& f : manifest->files) {
            if (!f.name.startsWith(prefix) || f.name.mid(prefix.size()).contains(QLatin1Char('/'))) {
                *error = QStringLiteral("the backup holds %1, which is not a file of a pg_dump directory").arg(f.name);
                return false;
            }
            if (!BackupArchive::extract(file, *manifest, f.name, QDir(work).filePath(f.name.mid(prefix.size())), {},
                                        m_ctx.cancelled, error)) {
                QDir(QFileInfo(work).path()).removeRecursively();
                return false;
            }
        }
        const bool restored = p.engine->restoreDump(p.staging, work, p.target, m_ctx.cancelled, error);
        QDir(work).removeRecursively();
        QDir().rmdir(QFileInfo(work).path());
        if (!restored)
            return false;
    }
    // What Verify holds the staging database to: the rows the export counted.
    QJsonObject all = m_params.value(QStringLiteral("sourceRows")).toObject();
    all.insert(p.role, manifest->tables);
    m_params.insert(QStringLiteral("sourceRows"), all);
    if (!stampStaging()) {
        *error = QStringLiteral("cannot record the backup's row counts with the operation");
        return false;
    }
    *detail = QStringLiteral("%1 restored in %2 s")
                  .arg(ByteSize::text(manifest->payloadBytes()))
                  .arg(double(t.elapsed()) / 1000.0, 0, 'f', 1);
    m_ctx.log->info(QStringLiteral("restored backup %1 into %2")
                        .arg(backup.value(QStringLiteral("name")).toString(), p.staging.location()));
    return true;
}

bool RefreshJob::prepareStaging(QString* detail, QString* error)
{
    QStringList where;
    for (Pair& p : pairs()) {
        if (!p.engine) {
            *error = QStringLiteral("no engine for the %1 database (%2)").arg(p.role, p.target.driver);
            return false;
        }
        QString e;
        if (!p.engine->drop(p.staging, &e)) {
            *error = e;
            return false;
        }
        where << p.staging.location();
        m_ctx.log->info(QStringLiteral("staging for the %1 database: %2").arg(p.role, p.staging.location()));
    }
    *detail = where.join(QStringLiteral(", "));
    return true;
}

bool RefreshJob::copy(const QString& role, QString* detail, QString* error)
{
    Pair* p = pair(role);
    if (!p) {
        *detail = skipped(m_params.value(QStringLiteral("leaveFinancialReporting")).toBool() &&
                                  role == DatabaseRef::FinancialReporting
                              ? QStringLiteral("%1 leaves the Financial Reporting database as it is; reset it "
                                               "afterwards")
                                    .arg(m_ctx.operation.kind == OperationKinds::Import
                                             ? QStringLiteral("an import")
                                             : QStringLiteral("a point-in-time restore"))
                              : QStringLiteral("no %1 database on both sides").arg(role));
        return true;
    }
    if (m_params.contains(QStringLiteral("backup")))
        return restoreBackup(*p, detail, error);
    if (m_params.contains(QStringLiteral("pitr")))
        return copyFromInstant(*p, detail, error);
    QElapsedTimer t;
    t.start();
    qint64 bytes = 0;
    const int delay = TestHooks::copyDelayMs();
    bool midCrashArmed = true;
    auto policy = this->policy(error);
    if (!policy)
        return false;
    const std::optional<QStringList> counted = countedTables(*p, *policy);
    // The source's rows, counted by the engine in the snapshot it copies: what Verify
    // holds the staging database to (never counts read back from the staging copy).
    QJsonObject sourceRows;
    const bool ok = p->engine->copySnapshot(
        p->source, p->staging,
        [&](qint64 done, qint64 total, qint64 b) {
            bytes = b;
            m_ctx.progress(done, total, b, p->engine->copyUnit());
            if (midCrashArmed && done * 2 >= total && done < total) {
                midCrashArmed = false;
                TestHooks::crashPoint("copy-mid");
            }
            if (delay > 0)
                QThread::msleep(delay);
        },
        m_ctx.cancelled, error, &sourceRows, counted ? &*counted : nullptr);
    if (!ok)
        return false;
    const double seconds = std::max(0.001, double(t.elapsed()) / 1000.0);
    *detail = QStringLiteral("%1 in %2 s (%3/s)")
                  .arg(ByteSize::text(bytes))
                  .arg(seconds, 0, 'f', 1)
                  .arg(ByteSize::text(qint64(double(bytes) / seconds)));
    m_ctx.log->info(QStringLiteral("copied one instant of %1 into %2: %3")
                        .arg(p->source.location(), p->staging.location(), *detail));

    qint64 rows = 0;
    int tablesCounted = 0;
    for (auto it = sourceRows.begin(); it != sourceRows.end(); ++it) {
        if (it.value().isNull())
            continue;
        rows += it.value().toInteger();
        ++tablesCounted;
    }
    if (tablesCounted == sourceRows.size())
        m_ctx.log->info(QStringLiteral("the source held %1 rows in %2 tables at the copied instant")
                            .arg(rows)
                            .arg(sourceRows.size()));
    else
        m_ctx.log->info(QStringLiteral("the source held %1 rows at the copied instant in the %2 tables the policy "
                                       "writes; its %3 other tables are copied page for page, not counted")
                            .arg(rows)
                            .arg(tablesCounted)
                            .arg(sourceRows.size() - tablesCounted));
    // Stored with the operation before the step is recorded Completed: a Resume that
    // starts after the copy still has them.
    QJsonObject all = m_params.value(QStringLiteral("sourceRows")).toObject();
    all.insert(role, sourceRows);
    m_params.insert(QStringLiteral("sourceRows"), all);
    if (!stampStaging()) {
        *error = QStringLiteral("cannot record the source's row counts with the operation");
        return false;
    }
    return true;
}

bool RefreshJob::stampStaging()
{
    QJsonObject stamps;
    for (Pair& p : pairs()) {
        if (p.engine)
            stamps.insert(p.role, p.engine->changeStamp(p.staging));
    }
    m_params.insert(QStringLiteral("stagingStamps"), stamps);
    return persistParams();
}

QStringList RefreshJob::stagingChangedBehindUs()
{
    QStringList changed;
    const QJsonObject stamps = m_params.value(QStringLiteral("stagingStamps")).toObject();
    for (Pair& p : pairs()) {
        const QString recorded = stamps.value(p.role).toString();
        if (!p.engine || recorded.isEmpty())
            continue;
        if (p.engine->changeStamp(p.staging) != recorded)
            changed << QStringLiteral("the staging %1 database %2 was changed after the last step that wrote it "
                                      "(its tables are not counted again, so they cannot be trusted): roll back "
                                      "and refresh again")
                           .arg(p.role, p.staging.location());
    }
    return changed;
}

bool RefreshJob::applyPolicy(int step, QString* detail, QString* error)
{
    Pair* p = pair(DatabaseRef::Transactional);
    if (!p) {
        *error = QStringLiteral("the target has no transactional database");
        return false;
    }
    QString e;
    auto policy = this->policy(&e);
    if (!policy) {
        *error = e;
        return false;
    }
    QList<PolicyRule::Action> actions;
    if (step == RefreshRunbook::ApplyDataPolicy)
        actions = {PolicyRule::Action::Exclude, PolicyRule::Action::Blank, PolicyRule::Action::Set,
                   PolicyRule::Action::Mask};
    else if (step == RefreshRunbook::KeepEnvironmentRecords)
        actions = {PolicyRule::Action::KeepTarget};
    else
        actions = {PolicyRule::Action::ResetAdmin};
    auto part = subset(*policy, actions, &e);
    if (!part) {
        *error = e;
        return false;
    }
    if (part->isEmpty()) {
        *detail = skipped(QStringLiteral("no rule of the policy does this"));
        return true;
    }
    PolicyContext context;
    context.administrator = m_params.value(QStringLiteral("administrator")).toString();
    context.tenant = m_params.value(QStringLiteral("tenant")).toString();
    if (!ProjectSecrets(*m_ctx.catalog)
             .fillContext(m_ctx.operation.projectId, *part, QStringLiteral("operation %1").arg(m_ctx.operation.id),
                          &context, &e)) {
        *error = e;
        return false;
    }
    const int ruleCount = int(part->rules().size());
    const PolicyReport report = p->engine->applyPolicy(
        p->staging, p->target, *part, context,
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
    QJsonObject reports = m_params.value(QStringLiteral("policyReport")).toObject();
    reports.insert(QString::number(step), report.toJson());
    m_params.insert(QStringLiteral("policyReport"), reports);
    if (!stampStaging()) {
        *error = QStringLiteral("cannot record the policy's report with the operation");
        return false;
    }
    *detail = QStringLiteral("%1 %2, %3 %4")
                  .arg(ruleCount)
                  .arg(ruleCount == 1 ? QStringLiteral("rule") : QStringLiteral("rules"))
                  .arg(rows)
                  .arg(rows == 1 ? QStringLiteral("row") : QStringLiteral("rows"));
    return true;
}

namespace {
// Every table a rule of `policy` names, each once (first spelling kept).
QStringList tablesWritten(const DataPolicy& policy)
{
    QStringList tables;
    for (const PolicyRule& r : policy.rules()) {
        for (const QString& t : r.tables) {
            if (!tables.contains(t, Qt::CaseInsensitive))
                tables << t;
        }
    }
    return tables;
}
} // namespace

std::optional<QStringList> RefreshJob::countedTables(const Pair& p, const DataPolicy& policy) const
{
    if (!p.engine->copiesPages())
        return std::nullopt;
    // The policy runs on the transactional database only.
    return p.role == DatabaseRef::Transactional ? tablesWritten(policy) : QStringList();
}

bool RefreshJob::verify(QString* detail, QString* error)
{
    QString e;
    auto policy = this->policy(&e);
    if (!policy) {
        *error = e;
        return false;
    }
    // What is verified, and why that is enough:
    // - The tables the policy wrote (every rule's tables) pass the engine's integrity
    //   check, indexes included. The rest of the staging database is a page-for-page
    //   copy of one consistent instant of the source, fsynced: checking it again would
    //   check the source, and cost a full read of the file (about as long as the copy).
    // - Every table holds the rows it must, counted now in the staging database against
    //   the SOURCE's counts taken in the copied snapshot (copy()), adjusted by what the
    //   policy does to row counts (see expectedRows()).
    // - Each reset-admin rule's rows exist and are enabled for the target's administrator.
    // Every problem found is reported, not only the first.
    const QStringList writtenTables = tablesWritten(*policy);
    QList<PolicyRule> adminRules;
    for (const PolicyRule& r : policy->rules()) {
        if (r.action == PolicyRule::Action::ResetAdmin)
            adminRules << r;
    }
    const QJsonObject sources = m_params.value(QStringLiteral("sourceRows")).toObject();
    const QString admin = m_params.value(QStringLiteral("administrator")).toString();
    QStringList problems = stagingChangedBehindUs();
    QStringList summary;
    for (Pair& p : pairs()) {
        const bool transactional = p.role == DatabaseRef::Transactional;
        const QStringList checked = transactional ? writtenTables : QStringList();
        if (!p.engine->checkTablesIntegrity(p.staging, checked, &e)) {
            problems << QStringLiteral("the staging %1 database %2").arg(p.role, e);
            continue;
        }
        if (!sources.contains(p.role)) {
            problems << QStringLiteral("the operation holds no row counts of the source's %1 database (taken by the "
                                       "copy): roll back and refresh again")
                            .arg(p.role);
            continue;
        }
        const QList<RowExpectation> expected = expectedRows(p.role, sources.value(p.role).toObject());
        QJsonObject actual;
        const std::optional<QStringList> counted = countedTables(p, *policy);
        if (!p.engine->tableRowCounts(p.staging, &actual, &e, counted ? &*counted : nullptr)) {
            problems << QStringLiteral("cannot count the rows of the staging %1 database: %2").arg(p.role, e);
            continue;
        }
        int tablesChecked = 0;
        int tablesPresent = 0;
        QSet<QString> expectedTables;
        for (const RowExpectation& want : expected) {
            qint64 got = 0;
            QStringList missing;
            // Not counted on either side (an operation started before the copy counted
            // only what the policy writes has counts of every source table).
            bool uncounted = want.rows < 0;
            for (const QString& table : want.tables) {
                expectedTables.insert(table);
                if (!actual.contains(table))
                    missing << table;
                uncounted = uncounted || actual.value(table).isNull();
                got += actual.value(table).toInteger();
            }
            if (!missing.isEmpty()) {
                for (const QString& table : std::as_const(missing))
                    problems << QStringLiteral("table %1 is missing from the staging %2 database").arg(table, p.role);
                continue;
            }
            if (uncounted) {
                tablesPresent += int(want.tables.size());
                continue;
            }
            if (got != want.rows) {
                problems << QStringLiteral("table %1 of the staging %2 database holds %3 rows; it must hold %4 (%5)")
                                .arg(want.tables.join(QStringLiteral(" + ")), p.role)
                                .arg(got)
                                .arg(want.rows)
                                .arg(want.why);
                continue;
            }
            tablesChecked += int(want.tables.size());
        }
        for (auto it = actual.begin(); it != actual.end(); ++it) {
            if (!expectedTables.contains(it.key()))
                problems << QStringLiteral("table %1 of the staging %2 database was not in the source")
                                .arg(it.key(), p.role);
        }
        // Each reset-admin rule's rows (its table, its `where`, its admin columns: not
        // necessarily USERINFO's Admin) exist and are enabled for the target's administrator.
        for (const PolicyRule& r : transactional ? adminRules : QList<PolicyRule>()) {
            const PolicySql sql(p.engine->dialect());
            QStringList who;
            for (const PolicyRule::Condition& c : r.where)
                who << c.column + QStringLiteral(" = ") + PolicyRule::displayValue(c.values.value(0));
            for (const QString& table : r.tables) {
                QList<PolicyRule::Condition> reset = r.where;
                reset << PolicyRule::Condition{r.adminColumns.enable, {qint64(1)}, false}
                      << PolicyRule::Condition{r.adminColumns.administrator, {admin}, false};
                const QVariant rows = p.engine->queryValue(p.staging, sql.countRows(QString(), table, r.where), &e);
                const QVariant done = p.engine->queryValue(p.staging, sql.countRows(QString(), table, reset), &e);
                if (!rows.isValid() || !done.isValid())
                    problems << QStringLiteral("cannot look for the administrator in %1: %2").arg(table, e);
                else if (rows.toLongLong() < 1)
                    problems << QStringLiteral("the staging database has no administrator: no row of %1 where %2 "
                                               "(rule %3)")
                                    .arg(table, who.join(QStringLiteral(" and ")), r.id);
                else if (done.toLongLong() != rows.toLongLong())
                    problems << QStringLiteral("the staging database has no enabled administrator %1 in %2 (rule %3)")
                                    .arg(admin, table, r.id);
            }
        }
        summary << QStringLiteral("%1: %2 tables hold the rows they must, %3 written by the policy pass the integrity "
                                  "check")
                       .arg(p.role)
                       .arg(tablesChecked)
                       .arg(checked.size());
        if (tablesPresent > 0)
            summary.last() += QStringLiteral(", %1 more are there as copied page for page").arg(tablesPresent);
        if (transactional) {
            const QString scan = leakScan(p, *policy, &problems);
            if (!scan.isEmpty())
                summary.last() += QStringLiteral("; ") + scan;
        }
        m_ctx.log->info(summary.last());
        m_ctx.progress(summary.size(), pairs().size(), 0, QStringLiteral("databases"));
    }
    if (!problems.isEmpty()) {
        for (const QString& problem : std::as_const(problems))
            m_ctx.log->error(problem);
        *error = problems.join(QStringLiteral("; "));
        return false;
    }
    *detail = summary.join(QStringLiteral("; "));
    return true;
}

QString RefreshJob::leakScan(Pair& p, const DataPolicy& policy, QStringList* problems)
{
    QString e;
    const std::optional<SchemaInfo> staging = p.engine->readSchema(p.staging, &e);
    if (!staging) {
        *problems << QStringLiteral("cannot read the staging database's schema for the leak scan: %1").arg(e);
        return {};
    }
    // What the source held at this refresh: the next refresh's preflight names what is new.
    m_params.insert(QStringLiteral("sourceColumns"), QJsonArray::fromStringList(PolicyCoverage::keys(*staging)));
    const bool hides = std::any_of(policy.rules().cbegin(), policy.rules().cend(), [](const PolicyRule& r) {
        return r.action == PolicyRule::Action::Exclude || r.changesValues();
    });
    if (!hides) {
        persistParams();
        return {};
    }
    const std::optional<SchemaInfo> source = p.engine->readSchema(p.source, &e);
    std::optional<LeakScan::Result> scan;
    if (source)
        scan = LeakScan::run(*p.engine, p.source, *source, p.staging, *staging, policy, &e);
    if (!scan) {
        *problems << QStringLiteral("the leak scan could not read %1: %2")
                         .arg(source ? QStringLiteral("the databases") : QStringLiteral("the source"), e);
        return {};
    }
    m_params.insert(QStringLiteral("leakScan"), scan->toJson());
    persistParams();
    int sampled = 0;
    for (const LeakScan::Column& c : scan->columns)
        sampled += c.sampled;
    for (const QString& leak : scan->leaks())
        *problems << QStringLiteral("leak scan: %1").arg(leak);
    const QString line = QStringLiteral("leak scan: %1 values of %2 hidden columns sought in %3 text columns of %4 "
                                        "tables, %5 (%6 s)")
                             .arg(sampled)
                             .arg(scan->columns.size())
                             .arg(scan->columnsSearched)
                             .arg(scan->tablesSearched)
                             .arg(scan->leaked() ? QStringLiteral("found") : QStringLiteral("none found"))
                             .arg(scan->seconds, 0, 'f', 1);
    m_ctx.log->info(line);
    return line;
}

QList<RefreshJob::RowExpectation> RefreshJob::expectedRows(const QString& role, const QJsonObject& sourceRows) const
{
    // The policy runs on the transactional database only; everything else must hold
    // the source's rows.
    QHash<QString, RowExpectation> single; // table -> its own expectation
    QList<RowExpectation> groups;          // partitions counted together
    QHash<QString, QString> byFolded;      // folded name -> the source's spelling
    for (auto it = sourceRows.begin(); it != sourceRows.end(); ++it) {
        single.insert(it.key(), RowExpectation{{it.key()}, it.value().isNull() ? -1 : it.value().toInteger(),
                                               QStringLiteral("the source's rows")});
        byFolded.insert(SchemaInfo::foldCase(it.key()), it.key());
    }
    // The report names the table as the database spells it: that exact name first
    // (PostgreSQL may hold "USERINFO" and userinfo), a SQLite spelling second.
    const auto known = [&](const QString& reported) {
        return sourceRows.contains(reported) ? reported : byFolded.value(SchemaInfo::foldCase(reported), reported);
    };
    if (role == DatabaseRef::Transactional) {
        // The rules that change row counts, as their steps' reports say they ran, in order:
        // - exclude empties its tables, and the partitions or inheritance children its
        //   statement reached: 0 rows, whatever the report counted as deleted;
        // - keep-target empties its tables and copies the target's rows in: the rows the
        //   (last, successful) run of the rule reports inserted; into a partitioned table,
        //   those rows are counted over its partitions together.
        // The deleted counts are not subtracted from the source's: a step re-run by Resume
        // finds the rows an earlier, interrupted run already deleted, and reports 0 deleted.
        // Blank, set and reset-admin update rows in place: the source's count stands.
        const QJsonObject reports = m_params.value(QStringLiteral("policyReport")).toObject();
        for (const int step : {int(RefreshRunbook::ApplyDataPolicy), int(RefreshRunbook::KeepEnvironmentRecords)}) {
            const QJsonArray rules =
                reports.value(QString::number(step)).toObject().value(QStringLiteral("rules")).toArray();
            for (const QJsonValue& rv : rules) {
                const QJsonObject rule = rv.toObject();
                const QString action = rule.value(QStringLiteral("action")).toString();
                const bool exclude = action == PolicyRule::actionName(PolicyRule::Action::Exclude);
                const bool keep = action == PolicyRule::actionName(PolicyRule::Action::KeepTarget);
                if (!exclude && !keep)
                    continue;
                const QString id = rule.value(QStringLiteral("id")).toString();
                for (const QJsonValue& tv : rule.value(QStringLiteral("tables")).toArray()) {
                    const QJsonObject t = tv.toObject();
                    const QString name = known(t.value(QStringLiteral("table")).toString());
                    QStringList reached;
                    for (const QJsonValue& m : t.value(QStringLiteral("reached")).toArray())
                        reached << known(m.toString());
                    const qint64 inserted = t.value(QStringLiteral("inserted")).toInteger();
                    if (exclude) {
                        const QString why = QStringLiteral("rule %1 excludes every row").arg(id);
                        for (const QString& table : QStringList{name} + reached) {
                            if (sourceRows.contains(table))
                                single.insert(table, RowExpectation{{table}, 0, why});
                        }
                        continue;
                    }
                    const QString why = QStringLiteral("rule %1 kept the target's %2 rows").arg(id).arg(inserted);
                    if (!sourceRows.contains(name)) {
                        // A partitioned table (it holds no rows itself): its rows are wherever
                        // PostgreSQL routed them; with no partition, there are none.
                        for (const QString& table : std::as_const(reached))
                            single.remove(table);
                        if (!reached.isEmpty())
                            groups << RowExpectation{reached, inserted, why};
                    } else {
                        single.insert(name, RowExpectation{{name}, inserted, why});
                    }
                }
            }
        }
    }
    QList<RowExpectation> all = groups;
    QStringList names = single.keys();
    names.sort();
    for (const QString& n : std::as_const(names))
        all << single.value(n);
    return all;
}

bool RefreshJob::swap(QString* detail, QString* error)
{
    // Written before the first file moves: from here a crash is repaired by Resume
    // (swap again) or Rollback (restore), both driven by this record.
    // With each database's size: what the restore point will hold until sign-off.
    QJsonArray points;
    for (Pair& p : pairs())
        points.append(QJsonObject{{QStringLiteral("role"), p.role},
                                  {QStringLiteral("target"), p.target.toJson()},
                                  {QStringLiteral("restorePoint"), p.restorePoint.toJson()},
                                  {QStringLiteral("bytes"), p.engine->sizeBytes(p.target)}});
    m_ctx.store->setRestorePoint(m_ctx.operation.id, QJsonObject{{QStringLiteral("databases"), points}});
    QElapsedTimer t;
    t.start();
    int n = 0;
    for (Pair& p : pairs()) {
        if (!p.engine->swap(p.target, p.staging, p.restorePoint, error))
            return false;
        m_ctx.log->info(QStringLiteral("swapped the %1 database into %2; the previous one is kept as %3")
                            .arg(p.role, p.target.location(), p.restorePoint.location()));
        m_ctx.progress(++n, pairs().size(), 0, QStringLiteral("databases"));
        TestHooks::crashPoint("swap-after-first");
    }
    // Once every database it holds is whole, the restore point is listed with the
    // environment's others: kept for a rollback, then until it expires.
    QList<DatabaseRef> kept;
    qint64 keptBytes = 0;
    for (Pair& p : pairs()) {
        DatabaseRef r = p.restorePoint;
        r.role = p.role;
        kept.append(r);
        keptBytes += std::max<qint64>(0, p.engine->sizeBytes(p.restorePoint));
    }
    QString e;
    if (const auto point = RestorePointStore(*m_ctx.catalog)
                               .recordForOperation(m_ctx.operation.id, m_ctx.operation.target, kept, keptBytes, &e))
        m_ctx.log->info(QStringLiteral("the replaced databases are restore point %1").arg(*point));
    else
        m_ctx.log->warn(QStringLiteral("the replaced databases are not listed as a restore point: %1").arg(e));
    *detail =
        QStringLiteral("%1 databases swapped in %2 ms; the target was offline for that long").arg(n).arg(t.elapsed());
    return true;
}

bool RefreshJob::followUps(QString* detail, QString* error)
{
    QStringList tasks;
    if (m_params.value(QStringLiteral("leaveFinancialReporting")).toBool())
        tasks << QStringLiteral("Reset the Financial Reporting database: it was left as it was");
    if (m_params.value(QStringLiteral("commerce")).toBool())
        tasks << RefreshRunbook::commerceFollowUps();
    if (tasks.isEmpty()) {
        *detail = skipped(QStringLiteral("the target runs no Commerce"));
        return true;
    }
    m_params.insert(QStringLiteral("followUps"), QJsonArray::fromStringList(tasks));
    persistParams();
    for (const QString& t : tasks)
        m_ctx.log->info(QStringLiteral("follow-up: %1").arg(t));
    *detail = m_params.value(QStringLiteral("leaveFinancialReporting")).toBool()
                  ? tasks.join(QStringLiteral("; "))
                  : QStringLiteral("Commerce: %1").arg(tasks.join(QStringLiteral("; ")));
    return true;
}

bool RefreshJob::rollback(QString* error)
{
    for (Pair& p : pairs()) {
        if (!p.engine) {
            *error = QStringLiteral("no engine for the %1 database").arg(p.role);
            return false;
        }
        if (!p.engine->restore(p.target, p.restorePoint, error))
            return false;
        m_ctx.log->info(QStringLiteral("restored the %1 database of %2").arg(p.role, m_ctx.operation.target));
    }
    return true;
}

bool RefreshJob::release(QString* error)
{
    if (RestorePointStore(*m_ctx.catalog).keptAfterSignOff(m_ctx.operation.id, m_ctx.log))
        return true;
    bool ok = true;
    for (Pair& p : pairs()) {
        if (p.engine && !p.engine->drop(p.restorePoint, error))
            ok = false;
    }
    return ok;
}

bool RefreshJob::discard()
{
    bool gone = true;
    // A temporary instance of a restore to an instant, if a failure or a kill left one.
    if (m_params.contains(QStringLiteral("pitr"))) {
        QString e;
        PitrInstance(PitrSource::fromJson(
                         m_params.value(QStringLiteral("pitr")).toObject().value(QStringLiteral("source")).toObject()),
                     instantFolder())
            .remove(&e);
    }
    // An import's extracted dump (PostgreSQL), if a failure or a kill left it.
    QDir(QDir(m_ctx.catalog->folder()).filePath(QStringLiteral("work/import-op%1").arg(m_ctx.operation.id)))
        .removeRecursively();
    for (Pair& p : pairs()) {
        QString e;
        if (!p.engine || !p.engine->exists(p.staging))
            continue;
        if (p.engine->drop(p.staging, &e) && !p.engine->exists(p.staging)) {
            m_ctx.log->info(QStringLiteral("removed the staging %1 database").arg(p.role));
        } else {
            m_ctx.log->warn(QStringLiteral("cannot remove the staging %1 database %2: %3")
                                .arg(p.role, p.staging.location(), e));
            gone = false;
        }
    }
    return gone;
}
