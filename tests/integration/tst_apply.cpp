// Apply updates on real SQLite demo environments (`dataalm demo --size-mb 1`): the
// application update sets the versions, requirements block before anything runs,
// the customization fails on the demo's negative credit limits and completes after
// the data is fixed and the step resumed, Rollback gives back the very bytes of
// before (file hash), Abort keeps what the completed steps did, a failed SQL step
// keeps nothing of itself; and the CLI: exit codes, --json, package import/list,
// refresh --reprovision.
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "ZipFixture.h"

#include "apply/ApplyJob.h"
#include "catalog/Catalog.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "lifecycle/OperationRunner.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLog.h"
#include "package/AssetLibrary.h"
#include "package/PackageBuilder.h"
#include "package/SharedLibrary.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>

using namespace TestSupport;

namespace {

const QString Uat = QStringLiteral("contoso-uat");
const QString Update = QStringLiteral("Application update");
const QString Customization = QStringLiteral("Contoso credit limit rules");

struct Outcome
{
    int outcome = -1;
    QString state;
    QString message;
};

QStringList stepStates(const OperationRecord& op)
{
    QStringList states;
    for (const StepRecord& s : op.steps)
        states << stepStateName(s.state);
    return states;
}

} // namespace

class TestApply : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void applicationUpdateSetsVersionsAndSignOffReleases();
    void unmetRequirementsBlockBeforeAnythingRuns_data();
    void unmetRequirementsBlockBeforeAnythingRuns();
    void failingCustomizationResumesAfterTheDataIsFixed();
    void rollbackAfterAFailureIsByteIdentical();
    void rollbackAfterCompletionRestoresBytesAndVersions();
    void abortKeepsTheEnvironmentAsItIs();
    void failedSqlStepKeepsNothingOfItself();
    void packageThatDamagesTheSchemaFailsAndRollsBack();
    void crashAfterAStepCommittedDoesNotRunItTwice();
    void reprovisioningToolRegeneratesChannelRecords();
    void reprovisioningToolStopsOnRenamedDefaults();

    void cliApplyExitCodesAndJson();
    void cliPackageImportAndList();
    void cliRefreshWithReprovision();

private:
    // Imports a built-in package (by name) or `zip` into contoso's asset library.
    std::optional<PackageAsset> importShared(const QString& name);
    std::optional<PackageAsset> importBytes(const QByteArray& zip);
    qint64 createApply(const PackageAsset& asset, const QString& target);
    Outcome execute(qint64 id, OperationRunner::Action action);
    OperationRecord operation(qint64 id);
    Environment environment(const QString& id);

    RefreshFixture* m_demo = nullptr;
    Catalog* m_catalog = nullptr;
};

void TestApply::init()
{
    m_demo = new RefreshFixture;
    QVERIFY2(m_demo->create(1), qPrintable(m_demo->error()));
    m_catalog = new Catalog;
    QString error;
    QVERIFY2(m_catalog->open(m_demo->folder(), &error), qPrintable(error));
}

void TestApply::cleanup()
{
    delete m_catalog;
    delete m_demo;
}

std::optional<PackageAsset> TestApply::importShared(const QString& name)
{
    QString error;
    auto builtIn = SharedLibrary(m_demo->folder()).find(name, &error);
    if (!builtIn) {
        qWarning("%s", qPrintable(error));
        return std::nullopt;
    }
    auto asset = AssetLibrary(*m_catalog).importFile(QStringLiteral("contoso"), builtIn->path, &error);
    if (!asset)
        qWarning("%s", qPrintable(error));
    return asset;
}

std::optional<PackageAsset> TestApply::importBytes(const QByteArray& zip)
{
    QString error;
    auto asset =
        AssetLibrary(*m_catalog).importBytes(QStringLiteral("contoso"), zip, QStringLiteral("test.zip"), &error);
    if (!asset)
        qWarning("%s", qPrintable(error));
    return asset;
}

qint64 TestApply::createApply(const PackageAsset& asset, const QString& target)
{
    OperationStore store(*m_catalog);
    QString error;
    const auto id = ApplyJob::create(store, asset, environment(target), &error);
    if (!id)
        qWarning("%s", qPrintable(error));
    return id.value_or(0);
}

Outcome TestApply::execute(qint64 id, OperationRunner::Action action)
{
    // The runner, called directly, runs the action on this thread to its end.
    OperationRunner runner(m_demo->folder(), BuiltInOperationKinds::registry());
    QSignalSpy finished(&runner, &OperationRunner::finished);
    runner.execute(id, action);
    Outcome o;
    if (finished.size() == 1) {
        const QList<QVariant> args = finished.first();
        o.outcome = args.at(1).toInt();
        o.state = args.at(2).toString();
        o.message = args.at(3).toString();
    }
    return o;
}

OperationRecord TestApply::operation(qint64 id)
{
    return OperationStore(*m_catalog).get(id).value_or(OperationRecord());
}

Environment TestApply::environment(const QString& id)
{
    return m_catalog->environment(id).value_or(Environment());
}

void TestApply::applicationUpdateSetsVersionsAndSignOffReleases()
{
    const auto frBefore = m_demo->fileHashes(Uat).value(RefreshFixture::FinancialReporting);
    const qint64 customers =
        SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM CUSTTABLE")).toLongLong();
    QVERIFY(customers > 0);
    const auto asset = importShared(Update);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    QVERIFY(id > 0);
    QCOMPARE(operation(id).kind, QStringLiteral("apply"));
    QCOMPARE(operation(id).steps.size(), 7);

    const Outcome run = execute(id, OperationRunner::Run);
    QVERIFY2(run.outcome == OperationRunner::Done, qPrintable(run.message));
    QCOMPARE(run.state, QStringLiteral("Completed"));
    const OperationRecord op = operation(id);
    QCOMPARE(stepStates(op), QStringList(7, QStringLiteral("Completed")));
    QCOMPARE(op.steps.at(6).name, QStringLiteral("Update environment versions"));
    QCOMPARE(op.steps.at(6).detail, QStringLiteral("application 10.0.40 -> 10.0.41"));

    const Environment env = environment(Uat);
    QCOMPARE(env.versions.application, QStringLiteral("10.0.41"));
    QCOMPARE(env.versions.platform, 64);
    QCOMPARE(env.versions.financialReporting, QStringLiteral("7.0.10040.5"));
    QCOMPARE(environment(QStringLiteral("contoso-uat2")).versions.application, QStringLiteral("10.0.39"));
    // The schema change and its data.
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat),
                                  QStringLiteral("SELECT count(*) FROM pragma_table_info('CUSTTABLE') WHERE name = "
                                                 "'CREDITRATING'"))
                 .toInt(),
             1);
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM CUSTCREDITRATINGHISTORY"))
                 .toLongLong(),
             customers);
    QVERIFY(SqliteInspect::schema(m_demo->db(Uat))
                .join(QLatin1Char('\n'))
                .contains(QStringLiteral("CUSTCREDITRATINGHISTORY_CUSTIDX")));
    QCOMPARE(SqliteInspect::integrity(m_demo->db(Uat)), QStringLiteral("ok"));
    // Only the transactional database is touched; its restore point waits beside it.
    QCOMPARE(m_demo->fileHashes(Uat).value(RefreshFixture::FinancialReporting), frBefore);
    QCOMPARE(m_demo->leftovers(Uat), QStringList{QStringLiteral("transactional.db.restore-op%1").arg(id)});
    QFile log(RunbookLog::pathFor(m_demo->folder(), id));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("application 10.0.40 -> 10.0.41"));

    const Outcome signOff = execute(id, OperationRunner::SignOff);
    QCOMPARE(signOff.outcome, int(OperationRunner::Done));
    QCOMPARE(signOff.state, QStringLiteral("SignedOff"));
    // Signed off, the copy stays as a restore point of contoso-uat until it goes.
    QCOMPARE(m_demo->leftovers(Uat), QStringList{QStringLiteral("transactional.db.restore-op%1").arg(id)});
    const CliRun listed = m_demo->cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonObject point = listed.json().array().first().toObject();
    QCOMPARE(point.value(QStringLiteral("operation")).toInteger(), id);
    QCOMPARE(point.value(QStringLiteral("databases")).toArray().size(), 1);
    const CliRun removed = m_demo->cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
                                        QString::number(point.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(removed.exitedWith(0), qPrintable(removed.describe()));
    QCOMPARE(m_demo->leftovers(Uat), QStringList());
}

void TestApply::unmetRequirementsBlockBeforeAnythingRuns_data()
{
    QTest::addColumn<QString>("package");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("applyFirst");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("older release") << Update << QStringLiteral("contoso-uat2") << false
                                   << QStringLiteral("requires application release 10.0.40 or later; contoso-uat2 "
                                                     "runs 10.0.39");
    QTest::newRow("no Commerce") << SharedLibrary::ReprovisioningTool << QStringLiteral("contoso-dev") << false
                                 << QStringLiteral("requires Commerce; contoso-dev runs no Commerce");
    QTest::newRow("already applied") << Update << Uat << true
                                     << QStringLiteral("contoso-uat already runs application release 10.0.41");
}

void TestApply::unmetRequirementsBlockBeforeAnythingRuns()
{
    QFETCH(QString, package);
    QFETCH(QString, target);
    QFETCH(bool, applyFirst);
    QFETCH(QString, fragment);
    const auto asset = importShared(package);
    QVERIFY(asset);
    if (applyFirst) {
        const qint64 first = createApply(*asset, target);
        QCOMPARE(execute(first, OperationRunner::Run).outcome, int(OperationRunner::Done));
        QCOMPARE(execute(first, OperationRunner::SignOff).outcome, int(OperationRunner::Done));
    }
    const auto hashes = m_demo->fileHashes(target);
    // The signed-off first apply's restore point, if any, stays.
    const QStringList leftovers = m_demo->leftovers(target);
    const EnvironmentVersions versions = environment(target).versions;
    const qint64 id = createApply(*asset, target);
    QVERIFY(id > 0);
    const Outcome run = execute(id, OperationRunner::Run);
    QCOMPARE(run.outcome, int(OperationRunner::Blocked));
    QCOMPARE(run.state, QStringLiteral("Aborted"));
    QVERIFY2(run.message.contains(fragment), qPrintable(run.message));
    const OperationRecord op = operation(id);
    QCOMPARE(stepStateName(op.steps.at(0).state), QStringLiteral("Completed"));
    QCOMPARE(stepStateName(op.steps.at(1).state), QStringLiteral("Failed"));
    QCOMPARE(stepStateName(op.steps.at(2).state), QStringLiteral("NotStarted"));
    QVERIFY(op.error.startsWith(QStringLiteral("Blocked: ")));
    QCOMPARE(m_demo->fileHashes(target), hashes);
    QCOMPARE(m_demo->leftovers(target), leftovers);
    QCOMPARE(environment(target).versions.application, versions.application);
}

void TestApply::failingCustomizationResumesAfterTheDataIsFixed()
{
    // The demo data has two customers with a negative credit limit, on purpose.
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM CUSTTABLE WHERE CREDITMAX < 0"))
                 .toInt(),
             2);
    const auto asset = importShared(Customization);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    Outcome run = execute(id, OperationRunner::Run);
    QCOMPARE(run.outcome, int(OperationRunner::Failed));
    QCOMPARE(run.state, QStringLiteral("Failed"));
    QVERIFY2(run.message.startsWith(QStringLiteral("Check customer credit limits: Some customers have a negative "
                                                   "credit limit")),
             qPrintable(run.message));
    QCOMPARE(stepStates(operation(id)),
             (QStringList{QStringLiteral("Completed"), QStringLiteral("Completed"), QStringLiteral("Completed"),
                          QStringLiteral("Failed"), QStringLiteral("NotStarted"), QStringLiteral("NotStarted")}));
    QCOMPARE(environment(Uat).state, QStringLiteral("Failed"));

    // Resume without fixing anything: the same failure.
    run = execute(id, OperationRunner::Resume);
    QCOMPARE(run.outcome, int(OperationRunner::Failed));

    QString error;
    QVERIFY2(
        execSqlite(m_demo->db(Uat), {QStringLiteral("UPDATE CUSTTABLE SET CREDITMAX = 0 WHERE CREDITMAX < 0")}, &error),
        qPrintable(error));
    run = execute(id, OperationRunner::Resume);
    QVERIFY2(run.outcome == OperationRunner::Done, qPrintable(run.message));
    QCOMPARE(run.state, QStringLiteral("Completed"));
    QCOMPARE(stepStates(operation(id)),
             (QStringList{QStringLiteral("Completed"), QStringLiteral("Completed"), QStringLiteral("Completed"),
                          QStringLiteral("Completed"), QStringLiteral("Completed"), QStringLiteral("Skipped")}));
    QCOMPARE(environment(Uat).state, QStringLiteral("Deployed"));
    // The customization is in place: a negative credit limit is refused now.
    QVERIFY(
        !execSqlite(m_demo->db(Uat), {QStringLiteral("UPDATE CUSTTABLE SET CREDITMAX = -1 WHERE RECID = 1")}, &error));
    QVERIFY2(error.contains(QStringLiteral("credit limit must not be negative; use 0 for none")), qPrintable(error));
}

void TestApply::rollbackAfterAFailureIsByteIdentical()
{
    const auto before = m_demo->fileHashes(Uat);
    const auto asset = importShared(Customization);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    QCOMPARE(execute(id, OperationRunner::Run).outcome, int(OperationRunner::Failed));
    // The failed check changed nothing, but the target was opened and written to by
    // the restore point's checkpoint: a rollback must still give back these bytes.
    const Outcome rollback = execute(id, OperationRunner::Rollback);
    QVERIFY2(rollback.outcome == OperationRunner::Done, qPrintable(rollback.message));
    QCOMPARE(rollback.state, QStringLiteral("RollbackCompleted"));
    QCOMPARE(m_demo->fileHashes(Uat), before);
    QCOMPARE(m_demo->leftovers(Uat), QStringList());
    QCOMPARE(SqliteInspect::integrity(m_demo->db(Uat)), QStringLiteral("ok"));
}

void TestApply::rollbackAfterCompletionRestoresBytesAndVersions()
{
    const auto before = m_demo->fileHashes(Uat);
    const auto asset = importShared(Update);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    QCOMPARE(execute(id, OperationRunner::Run).outcome, int(OperationRunner::Done));
    QVERIFY(m_demo->fileHashes(Uat) != before);
    QCOMPARE(environment(Uat).versions.application, QStringLiteral("10.0.41"));

    const Outcome rollback = execute(id, OperationRunner::Rollback);
    QVERIFY2(rollback.outcome == OperationRunner::Done, qPrintable(rollback.message));
    QCOMPARE(m_demo->fileHashes(Uat), before);
    QCOMPARE(environment(Uat).versions.application, QStringLiteral("10.0.40"));
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = "
                                                                  "'CUSTCREDITRATINGHISTORY'"))
                 .toInt(),
             0);
    QCOMPARE(m_demo->leftovers(Uat), QStringList());
    // Rolled back: nothing more to do with it.
    QCOMPARE(execute(id, OperationRunner::SignOff).outcome, int(OperationRunner::Refused));
}

void TestApply::abortKeepsTheEnvironmentAsItIs()
{
    // A package whose first step changes the database and whose second step fails.
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), QStringLiteral("Half done"));
    m.insert(QStringLiteral("steps"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Add a marker")},
                                    {QStringLiteral("sql"), QStringLiteral("scripts/01.sql")}},
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("Refuse")},
                                    {QStringLiteral("check"), QStringLiteral("scripts/02.sql")},
                                    {QStringLiteral("message"), QStringLiteral("Stopped on purpose.")}}});
    QString error;
    const auto zip = PackageBuilder::build(
        m,
        {{QStringLiteral("scripts/01.sql"), "CREATE TABLE APPLYMARKER (RECID INTEGER PRIMARY KEY, NOTE TEXT);\n"
                                            "INSERT INTO APPLYMARKER (NOTE) VALUES ('kept; after abort');"},
         {QStringLiteral("scripts/02.sql"), "SELECT 0"}},
        &error);
    QVERIFY2(zip, qPrintable(error));
    const auto asset = importBytes(*zip);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    const Outcome run = execute(id, OperationRunner::Run);
    QCOMPARE(run.outcome, int(OperationRunner::Failed));
    QVERIFY2(run.message.contains(QStringLiteral("Stopped on purpose. (the check scripts/02.sql returned 0)")),
             qPrintable(run.message));

    const Outcome abort = execute(id, OperationRunner::Abort);
    QVERIFY2(abort.outcome == OperationRunner::Done, qPrintable(abort.message));
    QCOMPARE(abort.state, QStringLiteral("Aborted"));
    // What the completed step did stays; the restore point is released.
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT NOTE FROM APPLYMARKER")).toString(),
             QStringLiteral("kept; after abort"));
    // ... but not the mark of the step that did it.
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat),
                                  QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'dataalm_step_mark'"))
                 .toLongLong(),
             0);
    QCOMPARE(m_demo->leftovers(Uat), QStringList());
    QCOMPARE(execute(id, OperationRunner::Rollback).outcome, int(OperationRunner::Refused));
    QFile log(RunbookLog::pathFor(m_demo->folder(), id));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("keeps the changes of the completed steps"));
}

void TestApply::failedSqlStepKeepsNothingOfItself()
{
    const auto digests = SqliteInspect::digests(m_demo->db(Uat));
    const auto hashes = m_demo->fileHashes(Uat);
    // Customers share e-mail addresses: a unique index on them fails after the first
    // two statements of the script ran.
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), QStringLiteral("Unique customer e-mail"));
    m.insert(QStringLiteral("steps"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Index e-mail")},
                                    {QStringLiteral("sql"), QStringLiteral("scripts/01.sql")}}});
    QString error;
    const auto zip = PackageBuilder::build(
        m,
        {{QStringLiteral("scripts/01.sql"), "CREATE TABLE CUSTEMAILAUDIT (RECID INTEGER PRIMARY KEY, NOTE TEXT);\n"
                                            "UPDATE CUSTTABLE SET NAME = NAME || ' (checked; ok)';\n"
                                            "CREATE UNIQUE INDEX CUSTTABLE_EMAILIDX ON CUSTTABLE (EMAIL);\n"}},
        &error);
    QVERIFY2(zip, qPrintable(error));
    const auto asset = importBytes(*zip);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    const Outcome run = execute(id, OperationRunner::Run);
    QCOMPARE(run.outcome, int(OperationRunner::Failed));
    QVERIFY2(run.message.contains(QStringLiteral("statement 3 (CREATE UNIQUE INDEX CUSTTABLE_EMAILIDX")),
             qPrintable(run.message));
    QVERIFY2(run.message.contains(QStringLiteral("UNIQUE constraint failed")), qPrintable(run.message));
    QCOMPARE(SqliteInspect::digests(m_demo->db(Uat)), digests);
    // Resume fails the same way, from scratch; Rollback gives back the bytes.
    QCOMPARE(execute(id, OperationRunner::Resume).outcome, int(OperationRunner::Failed));
    QCOMPARE(SqliteInspect::digests(m_demo->db(Uat)), digests);
    QCOMPARE(execute(id, OperationRunner::Rollback).outcome, int(OperationRunner::Done));
    QCOMPARE(m_demo->fileHashes(Uat), hashes);
}

void TestApply::packageThatDamagesTheSchemaFailsAndRollsBack()
{
    const auto hashes = m_demo->fileHashes(Uat);
    // A script that rewrites the schema through writable_schema: it commits, and every
    // later open of the database fails ("malformed database schema").
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), QStringLiteral("Schema surgery"));
    m.insert(QStringLiteral("steps"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Rewrite the schema")},
                                    {QStringLiteral("sql"), QStringLiteral("scripts/01.sql")}}});
    QString error;
    const auto zip = PackageBuilder::build(
        m,
        {{QStringLiteral("scripts/01.sql"), "PRAGMA writable_schema = ON;\n"
                                            "UPDATE sqlite_schema SET sql = 'CREATE TABLE CUSTTABLE (' "
                                            "WHERE name = 'CUSTTABLE';\n"}},
        &error);
    QVERIFY2(zip, qPrintable(error));
    const auto asset = importBytes(*zip);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    const Outcome run = execute(id, OperationRunner::Run);
    // The script "succeeded"; the integrity check after the package's steps does not.
    QCOMPARE(run.outcome, int(OperationRunner::Failed));
    QVERIFY2(run.message.contains(QStringLiteral("after the package's steps, the transactional database of "
                                                 "contoso-uat cannot be opened as a database")) &&
                 run.message.contains(QStringLiteral("malformed")),
             qPrintable(run.message));
    QCOMPARE(environment(Uat).versions.application, QStringLiteral("10.0.40")); // no versions set
    // Rollback does not need to open what it replaces: the bytes of before come back.
    const Outcome back = execute(id, OperationRunner::Rollback);
    QVERIFY2(back.outcome == int(OperationRunner::Done), qPrintable(back.message));
    QCOMPARE(m_demo->fileHashes(Uat), hashes);
    QCOMPARE(SqliteInspect::integrity(m_demo->db(Uat)), QStringLiteral("ok"));
}

void TestApply::crashAfterAStepCommittedDoesNotRunItTwice()
{
    const auto hashes = m_demo->fileHashes(Uat);
    QVERIFY(m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--shared"), Update})
                .exitedWith(0));
    // Killed after step 4 (ALTER TABLE ... ADD COLUMN) committed, before the runbook
    // recorded it: running it again would fail on the column it added.
    const CliOutcome crashed =
        m_demo->cliWith({QStringLiteral("apply"), QStringLiteral("--package"), Update, QStringLiteral("--target"), Uat,
                         QStringLiteral("--yes")},
                        {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-4-ran")}});
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    const qint64 id = m_demo->operations().first().value(QStringLiteral("id")).toInteger();
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM dataalm_step_mark")).toLongLong(),
             1);

    const CliRun resumed = m_demo->cli({QStringLiteral("resume"), QString::number(id)});
    QVERIFY2(resumed.exitedWith(0), qPrintable(resumed.describe()));
    const OperationRecord op = operation(id);
    QCOMPARE(op.state, OperationState::Completed);
    QVERIFY2(op.steps.at(3).detail.contains(QStringLiteral("committed before the interruption; not run again")),
             qPrintable(op.steps.at(3).detail));
    // Step 5 ran once: one rating per customer; the marks are gone with the last step.
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM CUSTCREDITRATINGHISTORY")),
             SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM CUSTTABLE")));
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat),
                                  QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'dataalm_step_mark'"))
                 .toLongLong(),
             0);
    QCOMPARE(environment(Uat).versions.application, QStringLiteral("10.0.41"));
    QVERIFY(m_demo->cli({QStringLiteral("rollback"), QString::number(id)}).exitedWith(0));
    QCOMPARE(m_demo->fileHashes(Uat), hashes);
}

void TestApply::reprovisioningToolRegeneratesChannelRecords()
{
    QString error;
    // As after a refresh from production: the channel records name the source.
    QVERIFY2(execSqlite(m_demo->db(Uat),
                        {QStringLiteral("UPDATE RETAILCONNDATABASEPROFILE SET CONNECTIONSTRING = "
                                        "'Server=tcp:contoso-prod-csu;Database=contoso-prod-channel;' "
                                        "WHERE NAME = 'Default'"),
                         QStringLiteral("UPDATE RETAILDEVICE SET ACTIVATIONSTATUS = 1, TOKEN = 'x'")},
                        &error),
             qPrintable(error));
    const auto asset = importShared(SharedLibrary::ReprovisioningTool);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, Uat);
    const Outcome run = execute(id, OperationRunner::Run);
    QVERIFY2(run.outcome == OperationRunner::Done, qPrintable(run.message));
    // A value with semicolons, built by the script around :environment.
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT CONNECTIONSTRING FROM "
                                                                  "RETAILCONNDATABASEPROFILE WHERE NAME = 'Default'"))
                 .toString(),
             QStringLiteral("Server=tcp:contoso-uat-csu.database.windows.net;Database=contoso-uat-channel;"
                            "Authentication=Active Directory Managed Identity"));
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM RETAILDEVICE WHERE "
                                                                  "ACTIVATIONSTATUS <> 0 OR TOKEN <> ''"))
                 .toInt(),
             0);
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM RETAILSELFSERVICEPACKAGEINFO"))
                 .toInt(),
             0);
    // Other channel records are not touched.
    QVERIFY(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM RETAILCONNDATABASEPROFILE WHERE "
                                                                 "NAME <> 'Default'"))
                .toInt() > 0);
    QCOMPARE(stepStateName(operation(id).steps.last().state), QStringLiteral("Skipped")); // it sets no version
}

void TestApply::reprovisioningToolStopsOnRenamedDefaults()
{
    const QString target = QStringLiteral("contoso-uat2");
    QString error;
    QVERIFY2(execSqlite(m_demo->db(target),
                        {QStringLiteral("UPDATE RETAILCDXDATAGROUP SET NAME = 'Main' WHERE NAME = "
                                        "'Default'")},
                        &error),
             qPrintable(error));
    const auto asset = importShared(SharedLibrary::ReprovisioningTool);
    QVERIFY(asset);
    const qint64 id = createApply(*asset, target);
    const Outcome run = execute(id, OperationRunner::Run);
    QCOMPARE(run.outcome, int(OperationRunner::Failed));
    QVERIFY2(run.message.startsWith(QStringLiteral("Check channel defaults: The default channel database and data "
                                                   "group must be named Default.")),
             qPrintable(run.message));
    QVERIFY2(execSqlite(m_demo->db(target),
                        {QStringLiteral("UPDATE RETAILCDXDATAGROUP SET NAME = 'Default' WHERE "
                                        "NAME = 'Main'")},
                        &error),
             qPrintable(error));
    const Outcome resumed = execute(id, OperationRunner::Resume);
    QVERIFY2(resumed.outcome == OperationRunner::Done, qPrintable(resumed.message));
}

void TestApply::cliApplyExitCodesAndJson()
{
    QVERIFY(m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--shared"), Update})
                .exitedWith(0));
    QVERIFY(
        m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--shared"), Customization})
            .exitedWith(0));

    // Completed: 0, the operation's JSON on stdout, the steps on stderr.
    CliRun run = m_demo->cli({QStringLiteral("apply"), QStringLiteral("--package"), Update, QStringLiteral("--target"),
                              Uat, QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QJsonObject op = run.json().object();
    for (const QString& key : {QStringLiteral("id"), QStringLiteral("kind"), QStringLiteral("source"),
                               QStringLiteral("target"), QStringLiteral("state"), QStringLiteral("started"),
                               QStringLiteral("finished"), QStringLiteral("error"), QStringLiteral("steps")})
        QVERIFY2(op.contains(key), qPrintable(key));
    QCOMPARE(op.value(QStringLiteral("kind")).toString(), QStringLiteral("apply"));
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(op.value(QStringLiteral("steps")).toArray().size(), 7);
    QVERIFY2(run.errText().contains(QStringLiteral("[4/7] Upgrade customer schema: Completed")),
             qPrintable(run.errText()));
    QCOMPARE(m_demo->cli({QStringLiteral("env"), QStringLiteral("show"), Uat, QStringLiteral("--json")})
                 .json()
                 .object()
                 .value(QStringLiteral("versions"))
                 .toObject()
                 .value(QStringLiteral("application"))
                 .toString(),
             QStringLiteral("10.0.41"));

    // Blocked: 3, and the JSON of the Aborted operation.
    run = m_demo->cli({QStringLiteral("apply"), QStringLiteral("--package"), Update, QStringLiteral("--target"),
                       QStringLiteral("contoso-uat2"), QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    QVERIFY2(run.errText().contains(QStringLiteral("blocked: ")), qPrintable(run.errText()));

    // Failed: 1; fixed, resumed: 0.
    run = m_demo->cli({QStringLiteral("apply"), QStringLiteral("--package"), Customization, QStringLiteral("--target"),
                       Uat, QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QStringLiteral("State:    Failed")), qPrintable(run.outText()));
    const qint64 failed = m_demo->operations().first().value(QStringLiteral("id")).toInteger();
    QString error;
    QVERIFY2(
        execSqlite(m_demo->db(Uat), {QStringLiteral("UPDATE CUSTTABLE SET CREDITMAX = 0 WHERE CREDITMAX < 0")}, &error),
        qPrintable(error));
    run = m_demo->cli({QStringLiteral("resume"), QString::number(failed)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(m_demo->operation(failed).value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));

    // Usage and unknown names.
    run = m_demo->cli({QStringLiteral("apply"), QStringLiteral("--package"), Update, QStringLiteral("--target"), Uat});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY(run.errText().contains(QStringLiteral("--yes")));
    run = m_demo->cli({QStringLiteral("apply"), QStringLiteral("--package"), SharedLibrary::ReprovisioningTool,
                       QStringLiteral("--target"), Uat, QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("import it first with dataalm package import --shared")),
             qPrintable(run.errText()));
    run = m_demo->cli({QStringLiteral("apply"), QStringLiteral("--package"), Update, QStringLiteral("--target"),
                       QStringLiteral("nowhere"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
}

void TestApply::cliPackageImportAndList()
{
    QTemporaryDir dir;
    // Invalid: 6, the cause named, nothing written.
    QString error;
    const QByteArray bad = ZipFixture::build(
        ZipFixture::packageEntries(ZipFixture::sampleManifest(),
                                   {{QStringLiteral("scripts/01.sql"), "x"}, {QStringLiteral("../evil.sql"), "y"}}),
        &error);
    QVERIFY2(!bad.isEmpty(), qPrintable(error));
    const QString badPath = dir.filePath(QStringLiteral("bad.zip"));
    QFile f(badPath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bad);
    f.close();
    CliRun run = m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), badPath});
    QVERIFY2(run.exitedWith(6), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("bad.zip is not a valid package")) &&
                 run.errText().contains(QStringLiteral("contains '..'")),
             qPrintable(run.errText()));
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFileInfo::exists(QDir(m_demo->folder()).filePath(QStringLiteral("assets"))));
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), dir.filePath(QStringLiteral("none.zip"))});
    QVERIFY2(run.exitedWith(6), qPrintable(run.describe()));

    // Valid file: 0; again: 5 (already imported).
    const auto zip = PackageBuilder::build(ZipFixture::sampleManifest(), ZipFixture::sampleFiles(), &error);
    QVERIFY2(zip, qPrintable(error));
    const QString goodPath = dir.filePath(QStringLiteral("good.zip"));
    QFile g(goodPath);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(*zip);
    g.close();
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), goodPath, QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("sha256")).toString().toLatin1(), fileSha256(goodPath));
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), goodPath});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("already holds Sample package 1.0.0")), qPrintable(run.errText()));

    // Lists: the project's, and the shared one.
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().array().size(), 1);
    QCOMPARE(run.json().array().first().toObject().value(QStringLiteral("project")).toString(),
             QStringLiteral("contoso"));
    run = m_demo->cli(
        {QStringLiteral("package"), QStringLiteral("list"), QStringLiteral("--shared"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QStringList names;
    for (const QJsonValue& v : run.json().array())
        names << v.toObject().value(QStringLiteral("name")).toString();
    QCOMPARE(names, (QStringList{Update, Customization, SharedLibrary::ReprovisioningTool}));
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("list")});
    QVERIFY2(run.exitedWith(0) && run.outText().contains(QStringLiteral("Sample package")), qPrintable(run.describe()));
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--shared"),
                       QStringLiteral("No such package")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
    run = m_demo->cli({QStringLiteral("package"), QStringLiteral("remove")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
}

void TestApply::cliRefreshWithReprovision()
{
    // Text: both operations printed, one after the other.
    QString error;
    CliRun run = m_demo->cli(
        RefreshFixture::refreshArgs(QStringLiteral("contoso-prod"), Uat, {QStringLiteral("--reprovision")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QStringLiteral(": Refresh database contoso-uat from contoso-prod")),
             qPrintable(run.outText()));
    QVERIFY2(run.outText().contains(QStringLiteral(": Apply updates contoso-uat")), qPrintable(run.outText()));
    QVERIFY2(run.errText().contains(QStringLiteral("Imported Environment reprovisioning tool 1.0.0 from the shared "
                                                   "library")),
             qPrintable(run.errText()));
    QCOMPARE(SqliteInspect::value(m_demo->db(Uat), QStringLiteral("SELECT count(*) FROM RETAILDEVICE WHERE "
                                                                  "ACTIVATIONSTATUS <> 0"))
                 .toInt(),
             0);
    // Signed off, so that the next refresh may run; JSON: the refresh, with its reprovisioning inside.
    for (const QJsonObject& op : m_demo->operations())
        m_demo->cli({QStringLiteral("signoff"), QString::number(op.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(m_demo->processRecurringMessages(Uat, &error), qPrintable(error)); // copied from production
    run = m_demo->cli(RefreshFixture::refreshArgs(QStringLiteral("contoso-prod"), Uat,
                                                  {QStringLiteral("--reprovision"), QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject refresh = run.json(&error).object();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(refresh.value(QStringLiteral("kind")).toString(), QStringLiteral("refresh"));
    QCOMPARE(refresh.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    const QJsonObject reprovision = refresh.value(QStringLiteral("reprovision")).toObject();
    QCOMPARE(reprovision.value(QStringLiteral("kind")).toString(), QStringLiteral("apply"));
    QCOMPARE(reprovision.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(reprovision.value(QStringLiteral("target")).toString(), Uat);
    // Imported once only.
    QCOMPARE(m_demo->cli({QStringLiteral("package"), QStringLiteral("list"), QStringLiteral("--json")})
                 .json()
                 .array()
                 .size(),
             1);
}

QTEST_GUILESS_MAIN(TestApply)
#include "tst_apply.moc"
