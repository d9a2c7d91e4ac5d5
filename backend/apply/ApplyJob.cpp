#include "apply/ApplyJob.h"
#include "core/ByteSize.h"

#include "apply/ApplyRunbook.h"
#include "catalog/Catalog.h"
#include "engine/DatabaseEngine.h"
#include "catalog/OperationStore.h"
#include "catalog/RestorePointStore.h"
#include "catalog/RunbookLog.h"
#include "package/PackageArchive.h"
#include "package/PackageAsset.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace {

const QString PackageKey = QStringLiteral("package");
const QString StepsKey = QStringLiteral("steps");
const QString DatabaseKey = QStringLiteral("database");
const QString ParametersKey = QStringLiteral("parameters");
const QString VersionsBeforeKey = QStringLiteral("versionsBefore");
const QString VersionsAfterKey = QStringLiteral("versionsAfter");


QJsonObject versionsJson(const EnvironmentVersions& v)
{
    return {{QStringLiteral("application"), v.application},
            {QStringLiteral("platform"), v.platform},
            {QStringLiteral("financialReporting"), v.financialReporting},
            {QStringLiteral("commerce"), v.commerce}};
}

// A check fails on 0, NULL or no row; text counts as its number when it is one.
bool checkPassed(const QVariant& value)
{
    if (value.isNull() || !value.isValid())
        return false;
    if (value.typeId() == QMetaType::QString) {
        bool isNumber = false;
        const double d = value.toString().trimmed().toDouble(&isNumber);
        return isNumber ? d != 0 : !value.toString().isEmpty();
    }
    if (value.typeId() == QMetaType::QByteArray)
        return !value.toByteArray().isEmpty();
    return value.toDouble() != 0;
}

QString describe(const QVariant& value)
{
    if (value.isNull() || !value.isValid())
        return QStringLiteral("NULL");
    return value.toString();
}

} // namespace

ApplyJob::ApplyJob(Context& context) : OperationJob(context), m_params(context.operation.params) {}

ApplyJob::~ApplyJob() = default;

QStringList ApplyJob::stepNames(const PackageManifest& manifest)
{
    return ApplyRunbook::stepNames(manifest);
}

QJsonObject ApplyJob::makeParams(const PackageAsset& asset, const PackageManifest& manifest, const Environment& target)
{
    QJsonObject database;
    if (const DatabaseRef* db = target.database(DatabaseRef::Transactional))
        database = db->toJson();
    return {{PackageKey, QJsonObject{{QStringLiteral("name"), asset.name},
                                     {QStringLiteral("version"), asset.version},
                                     {QStringLiteral("type"), PackageManifest::typeName(asset.type)},
                                     {QStringLiteral("sha256"), asset.sha256},
                                     {QStringLiteral("path"), asset.path},
                                     {QStringLiteral("project"), asset.projectId},
                                     {QStringLiteral("shared"), asset.shared}}},
            {StepsKey, QJsonArray::fromStringList(stepNames(manifest))},
            {DatabaseKey, database},
            {ParametersKey, QJsonObject{{QStringLiteral(":environment"), target.id},
                                        {QStringLiteral(":tenant"), target.tenant},
                                        {QStringLiteral(":administrator"), target.admin}}}};
}

std::optional<qint64> ApplyJob::create(OperationStore& store, const PackageAsset& asset, const Environment& target,
                                       QString* error)
{
    auto package = PackageArchive::read(asset.path, error);
    if (!package)
        return std::nullopt;
    if (package->sha256 != asset.sha256) {
        *error = QStringLiteral("%1 in the asset library no longer has the digest it was imported with; import it "
                                "again")
                     .arg(asset.title());
        return std::nullopt;
    }
    return store.create(Kind, target.projectId, QString(), target.id, stepNames(package->manifest),
                        makeParams(asset, package->manifest, target), error);
}

QStringList ApplyJob::stepNames() const
{
    QStringList names;
    for (const QJsonValue& v : m_params.value(StepsKey).toArray())
        names << v.toString();
    return names;
}

bool ApplyJob::persistParams()
{
    m_ctx.operation.params = m_params;
    return m_ctx.store->setParams(m_ctx.operation.id, m_params);
}

const Package* ApplyJob::package(QString* error)
{
    if (m_package)
        return &*m_package;
    const QJsonObject p = m_params.value(PackageKey).toObject();
    const QString path = p.value(QStringLiteral("path")).toString();
    auto package = PackageArchive::read(path, error);
    if (!package)
        return nullptr;
    if (package->sha256 != p.value(QStringLiteral("sha256")).toString()) {
        *error = QStringLiteral("%1 changed since the operation was created (SHA-256 %2, expected %3)")
                     .arg(path, package->sha256, p.value(QStringLiteral("sha256")).toString());
        return nullptr;
    }
    m_package = std::move(package);
    return &*m_package;
}

bool ApplyJob::runStep(int ordinal, QString* detail, QString* error)
{
    if (!m_engine) {
        m_database = DatabaseRef::fromJson(m_params.value(DatabaseKey).toObject());
        m_engine = DatabaseEngine::forDatabase(m_database);
        if (m_engine)
            m_restorePoint = m_engine->restorePointFor(m_database, m_ctx.operation.id);
    }
    const int count = int(stepNames().size());
    if (ordinal == ApplyRunbook::ValidatePackage)
        return validatePackage(detail, error);
    if (ordinal == ApplyRunbook::CheckPrerequisites)
        return checkPrerequisites(detail, error);
    if (ordinal == ApplyRunbook::CreateRestorePoint)
        return createRestorePoint(detail, error);
    if (ordinal == ApplyRunbook::updateVersionsStep(count))
        return updateVersions(detail, error);
    const Package* p = package(error);
    if (!p)
        return false;
    const int index = ordinal - ApplyRunbook::FirstPackageStep;
    if (index < 0 || index >= p->manifest.steps.size()) {
        *error = QStringLiteral("no step %1").arg(ordinal);
        return false;
    }
    return runPackageStep(ordinal, p->manifest.steps.at(index), detail, error);
}

bool ApplyJob::validatePackage(QString* detail, QString* error)
{
    const Package* p = package(error);
    if (!p)
        return false;
    if (ApplyRunbook::stepNames(p->manifest) != stepNames()) {
        *error = QStringLiteral("the package's steps are not those the operation was created with");
        return false;
    }
    for (const auto& line :
         {QStringLiteral("package %1 (%2), %3, SHA-256 %4")
              .arg(p->manifest.title(), PackageManifest::typeTitle(p->manifest.type), ByteSize::text(p->size()), p->sha256),
          QStringLiteral("%1 files match their SHA-256 in the manifest").arg(p->files.size())})
        m_ctx.log->info(line);
    *detail = QStringLiteral("%1: %2 steps, %3 files verified")
                  .arg(p->manifest.title())
                  .arg(p->manifest.steps.size())
                  .arg(p->files.size());
    return true;
}

bool ApplyJob::checkPrerequisites(QString* detail, QString* error)
{
    const Package* p = package(error);
    if (!p)
        return false;
    const auto target = m_ctx.catalog->environment(m_ctx.operation.target);
    if (!target) {
        *error = QStringLiteral("unknown environment %1").arg(m_ctx.operation.target);
        return false;
    }
    QStringList unmet = p->manifest.unmetRequirements(*target);
    if (m_database.driver.isEmpty()) {
        unmet << QStringLiteral("%1 has no transactional database").arg(target->id);
    } else if (!m_engine) {
        unmet << QStringLiteral("the %1 database of %2 cannot be updated by this build")
                     .arg(m_database.engineTitle(), target->id);
    } else {
        for (const PackageManifest::Step& s : p->manifest.steps) {
            if (s.fileFor(m_database.driver).isEmpty())
                unmet << QStringLiteral("step '%1' has no script for %2").arg(s.name, m_database.engineTitle());
        }
        QString e;
        if (!m_engine->test(m_database, &e))
            unmet << QStringLiteral("the transactional database of %1 cannot be opened: %2").arg(target->id, e);
        // The integrity check that follows the package's steps must find the package's
        // damage only, never what was there before.
        else if (!m_engine->checkIntegrity(m_database, &e))
            unmet << QStringLiteral("the transactional database of %1 %2 before any change: repair it first")
                         .arg(target->id, e);
    }
    for (const QString& u : unmet)
        m_ctx.log->error(QStringLiteral("prerequisite: %1").arg(u));
    if (!unmet.isEmpty()) {
        *error = unmet.join(QLatin1Char(' '));
        return false;
    }
    const auto& v = target->versions;
    QStringList met;
    const auto& r = p->manifest.requirements;
    if (!r.application.isEmpty())
        met << QStringLiteral("application %1 (needs %2)").arg(v.application, r.application);
    if (r.platform > 0)
        met << QStringLiteral("platform update %1 (needs %2)").arg(v.platform).arg(r.platform);
    if (r.commerce)
        met << QStringLiteral("Commerce %1").arg(v.commerce);
    for (const QString& m : met)
        m_ctx.log->info(QStringLiteral("prerequisite met: %1").arg(m));
    *detail = met.isEmpty() ? QStringLiteral("no requirements") : met.join(QStringLiteral(", "));
    return true;
}

bool ApplyJob::createRestorePoint(QString* detail, QString* error)
{
    // Recorded before the copy starts: a crash leaves a record from which Rollback
    // and release know what to look for.
    m_ctx.store->setRestorePoint(
        m_ctx.operation.id,
        QJsonObject{{QStringLiteral("databases"),
                     QJsonArray{QJsonObject{{QStringLiteral("role"), m_database.role},
                                            {QStringLiteral("target"), m_database.toJson()},
                                            {QStringLiteral("restorePoint"), m_restorePoint.toJson()}}}}});
    if (!m_engine) {
        *error = QStringLiteral("no engine for the %1 database").arg(m_database.engineTitle());
        return false;
    }
    QElapsedTimer t;
    t.start();
    qint64 bytes = 0;
    const bool ok = m_engine->copyRestorePoint(
        m_database, m_restorePoint,
        [&](qint64 done, qint64 total, qint64 b) {
            bytes = b;
            m_ctx.progress(done, total, b, QStringLiteral("bytes"));
        },
        m_ctx.cancelled, error);
    if (!ok)
        return false;
    // What the restore point holds until sign-off.
    m_ctx.store->setRestorePoint(
        m_ctx.operation.id,
        QJsonObject{{QStringLiteral("databases"),
                     QJsonArray{QJsonObject{{QStringLiteral("role"), m_database.role},
                                            {QStringLiteral("target"), m_database.toJson()},
                                            {QStringLiteral("restorePoint"), m_restorePoint.toJson()},
                                            {QStringLiteral("bytes"), m_engine->sizeBytes(m_restorePoint)}}}}});
    QString e;
    if (const auto point = RestorePointStore(*m_ctx.catalog)
                               .recordForOperation(m_ctx.operation.id, m_ctx.operation.target, {m_restorePoint},
                                                   m_engine->sizeBytes(m_restorePoint), &e))
        m_ctx.log->info(QStringLiteral("the copy is restore point %1").arg(*point));
    else
        m_ctx.log->warn(QStringLiteral("the copy is not listed as a restore point: %1").arg(e));
    const double seconds = std::max(0.001, double(t.elapsed()) / 1000.0);
    *detail =
        QStringLiteral("%1 in %2 s: %3").arg(ByteSize::text(bytes)).arg(seconds, 0, 'f', 1).arg(m_restorePoint.location());
    m_ctx.log->info(
        QStringLiteral("restore point of the %1 database %2: %3").arg(m_database.role, m_database.location(), *detail));
    return true;
}

bool ApplyJob::runPackageStep(int ordinal, const PackageManifest::Step& step, QString* detail, QString* error)
{
    const Package* p = package(error);
    if (!p)
        return false;
    if (!m_engine) {
        *error = QStringLiteral("%1 databases cannot be updated by this build").arg(m_database.engineTitle());
        return false;
    }
    const QString file = step.fileFor(m_database.driver);
    if (file.isEmpty()) {
        *error = QStringLiteral("step '%1' has no script for %2").arg(step.name, m_database.engineTitle());
        return false;
    }
    const QByteArray script = p->files.value(file);
    DatabaseEngine::ScriptParameters parameters;
    const QJsonObject given = m_params.value(ParametersKey).toObject();
    for (auto it = given.begin(); it != given.end(); ++it)
        parameters.insert(it.key(), it.value().toVariant());
    QElapsedTimer t;
    t.start();
    QString e;
    if (step.kind == PackageManifest::Step::Kind::Check) {
        QVariant value;
        if (!m_engine->runCheck(m_database, script, parameters, &value, &e)) {
            *error = QStringLiteral("%1: %2").arg(file, e);
            return false;
        }
        m_ctx.log->info(QStringLiteral("check %1 returned %2").arg(file, describe(value)));
        if (!checkPassed(value)) {
            *error = QStringLiteral("%1 (the check %2 returned %3)").arg(step.message, file, describe(value));
            return false;
        }
        *detail = QStringLiteral("passed (%1 returned %2)").arg(file, describe(value));
        return true;
    }
    // Committed already, before an interruption kept the runbook from recording it:
    // running it again would apply it twice.
    const DatabaseEngine::StepMark mark{m_ctx.operation.id, ordinal};
    bool marked = false;
    if (!m_engine->stepMarked(m_database, mark, &marked, &e)) {
        *error = QStringLiteral("cannot tell whether %1 already ran: %2").arg(file, e);
        return false;
    }
    if (marked) {
        *detail = QStringLiteral("%1: committed before the interruption; not run again").arg(file);
        m_ctx.log->info(*detail);
        return true;
    }
    qint64 statements = 0;
    const bool ok = m_engine->runScript(
        m_database, script, parameters,
        [&](qint64 done, qint64 total) { m_ctx.progress(done, total, 0, QStringLiteral("statements")); }, mark,
        &statements, &e);
    if (!ok) {
        *error = QStringLiteral("%1: %2").arg(file, e);
        m_ctx.log->error(*error);
        return false;
    }
    *detail = QStringLiteral("%1: %2 %3 in one transaction, %4 ms")
                  .arg(file)
                  .arg(statements)
                  .arg(statements == 1 ? QStringLiteral("statement") : QStringLiteral("statements"))
                  .arg(t.elapsed());
    m_ctx.log->info(*detail);
    return true;
}

bool ApplyJob::updateVersions(QString* detail, QString* error)
{
    const Package* p = package(error);
    if (!p)
        return false;
    const auto target = m_ctx.catalog->environment(m_ctx.operation.target);
    if (!target) {
        *error = QStringLiteral("unknown environment %1").arg(m_ctx.operation.target);
        return false;
    }
    // The package's steps may have damaged what no check of theirs looks at (a
    // malformed schema written through PRAGMA writable_schema, an index left invalid):
    // the whole database must pass the engine's integrity check before the versions
    // say the package is in. A failure leaves the operation to roll back.
    if (m_engine) {
        QString e;
        if (!m_engine->checkIntegrity(m_database, &e)) {
            *error = QStringLiteral("after the package's steps, the %1 database of %2 %3; roll back to put it back as "
                                    "it was")
                         .arg(m_database.role, m_ctx.operation.target, e);
            m_ctx.log->error(*error);
            return false;
        }
        m_ctx.log->info(QStringLiteral("the %1 database passes the integrity check after the package's steps")
                            .arg(m_database.role));
    }
    // Every package step is recorded by now: their marks in the target can go.
    if (m_engine)
        clearStepMarks(*m_engine, m_database);
    if (p->manifest.sets.isEmpty()) {
        *detail = skipped(QStringLiteral("the package sets no versions"));
        return true;
    }
    // The versions of before are kept once, for rollback; running the step again
    // sets the same versions.
    if (!m_params.contains(VersionsBeforeKey)) {
        m_params.insert(VersionsBeforeKey, versionsJson(target->versions));
        m_params.insert(VersionsAfterKey, versionsJson(p->manifest.sets.appliedTo(target->versions)));
        if (!persistParams()) {
            *error = QStringLiteral("cannot record the versions of %1").arg(target->id);
            return false;
        }
    }
    const EnvironmentVersions before = EnvironmentVersions::fromJson(m_params.value(VersionsBeforeKey).toObject());
    const EnvironmentVersions after = EnvironmentVersions::fromJson(m_params.value(VersionsAfterKey).toObject());
    if (!m_ctx.catalog->setEnvironmentVersions(target->id, after, error))
        return false;
    QStringList changes;
    if (before.application != after.application)
        changes << QStringLiteral("application %1 -> %2").arg(before.application, after.application);
    if (before.platform != after.platform)
        changes << QStringLiteral("platform update %1 -> %2").arg(before.platform).arg(after.platform);
    if (before.financialReporting != after.financialReporting)
        changes
            << QStringLiteral("Financial Reporting %1 -> %2").arg(before.financialReporting, after.financialReporting);
    if (before.commerce != after.commerce)
        changes << QStringLiteral("Commerce %1 -> %2").arg(before.commerce, after.commerce);
    *detail = changes.isEmpty() ? QStringLiteral("unchanged") : changes.join(QStringLiteral(", "));
    m_ctx.catalog->audit(
        QStringLiteral("environment.versions"), target->id,
        QStringLiteral("%1 by operation %2: %3").arg(p->manifest.title()).arg(m_ctx.operation.id).arg(*detail));
    m_ctx.log->info(QStringLiteral("versions of %1: %2").arg(target->id, *detail));
    return true;
}

bool ApplyJob::packageStepsStarted() const
{
    for (const StepRecord& s : m_ctx.operation.steps) {
        if (s.ordinal >= ApplyRunbook::FirstPackageStep && s.state != StepState::NotStarted)
            return true;
    }
    return false;
}

bool ApplyJob::rollback(QString* error)
{
    const DatabaseRef database = DatabaseRef::fromJson(m_params.value(DatabaseKey).toObject());
    auto engine = DatabaseEngine::forDatabase(database);
    if (!engine) {
        *error = QStringLiteral("no engine for the %1 database").arg(database.engineTitle());
        return false;
    }
    const DatabaseRef restorePoint = engine->restorePointFor(database, m_ctx.operation.id);
    if (packageStepsStarted() && !engine->exists(restorePoint)) {
        // A target with package changes and no restore point cannot be put back: say so.
        *error = QStringLiteral("the restore point %1 is missing; %2 cannot be put back as it was")
                     .arg(restorePoint.location(), m_ctx.operation.target);
        return false;
    }
    if (!engine->restore(database, restorePoint, error))
        return false;
    m_ctx.log->info(QStringLiteral("restored the %1 database of %2 from %3")
                        .arg(database.role, m_ctx.operation.target, restorePoint.location()));
    if (m_params.contains(VersionsBeforeKey)) {
        const EnvironmentVersions before = EnvironmentVersions::fromJson(m_params.value(VersionsBeforeKey).toObject());
        if (!m_ctx.catalog->setEnvironmentVersions(m_ctx.operation.target, before, error))
            return false;
        m_ctx.log->info(QStringLiteral("versions of %1 set back to application %2, platform update %3")
                            .arg(m_ctx.operation.target, before.application)
                            .arg(before.platform));
    }
    return true;
}

bool ApplyJob::release(QString* error)
{
    if (RestorePointStore(*m_ctx.catalog).keptAfterSignOff(m_ctx.operation.id, m_ctx.log))
        return true;
    return dropRestorePoint(error);
}

bool ApplyJob::dropRestorePoint(QString* error)
{
    const DatabaseRef database = DatabaseRef::fromJson(m_params.value(DatabaseKey).toObject());
    auto engine = DatabaseEngine::forDatabase(database);
    if (!engine)
        return true;
    const DatabaseRef restorePoint = engine->restorePointFor(database, m_ctx.operation.id);
    return engine->drop(restorePoint, error);
}

bool ApplyJob::discard()
{
    const DatabaseRef database = DatabaseRef::fromJson(m_params.value(DatabaseKey).toObject());
    auto engine = DatabaseEngine::forDatabase(database);
    if (!engine)
        return true;
    const bool kept = engine->exists(engine->restorePointFor(database, m_ctx.operation.id));
    QString e;
    bool gone = true;
    // A rollback sets the rolled-back database aside under the staging name (see
    // DatabaseEngine::restore); it is deleted here, once the rollback is recorded.
    const DatabaseRef setAside = engine->stagingFor(database, m_ctx.operation.id);
    if (engine->exists(setAside) && !engine->drop(setAside, &e)) {
        m_ctx.log->warn(QStringLiteral("cannot remove %1: %2").arg(setAside.location(), e));
        gone = false;
    }
    // An abort keeps what the completed steps did, but not their marks. A rolled-back
    // database is the restore point, taken before any step: it holds none, and the live
    // target is not written to (the next operation may already be running on it).
    const auto now = m_ctx.store->get(m_ctx.operation.id);
    const bool rolledBack = now && now->state == OperationState::RollbackCompleted;
    if (!rolledBack && engine->exists(database))
        clearStepMarks(*engine, database);
    // Aborted or rolled back: the restore point is not kept (an abort keeps the changes).
    if (!dropRestorePoint(&e)) {
        m_ctx.log->warn(QStringLiteral("cannot remove the restore point: %1").arg(e));
        return false;
    }
    if (kept && packageStepsStarted() && !rolledBack)
        m_ctx.log->info(QStringLiteral("%1 keeps the changes of the completed steps; the restore point is released")
                            .arg(m_ctx.operation.target));
    return gone;
}

void ApplyJob::clearStepMarks(DatabaseEngine& engine, const DatabaseRef& database)
{
    QString e;
    if (!engine.clearStepMarks(database, m_ctx.operation.id, &e))
        m_ctx.log->warn(QStringLiteral("cannot remove the step marks of operation %1 from %2 (table "
                                       "dataalm_step_mark): %3")
                            .arg(m_ctx.operation.id)
                            .arg(database.location(), e));
}
