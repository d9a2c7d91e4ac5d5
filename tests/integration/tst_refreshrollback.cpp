// Rollback, sign off and resume of a refresh, through the real `dataalm` binary on the
// demo: a rollback gives back the target's database files byte for byte (a Completed
// refresh, and one that failed after the swap); a sign off ends the rollback (exit 5
// after it) and keeps the restore point listed until it expires or is deleted; a resume finishes a Failed
// refresh with the same result as an uninterrupted one. `rollback` and `signoff` leave
// the removal of what they freed to `dataalm cleanup` in the background, which a dead
// rollback process does not lose.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "ZipEntries.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLog.h"
#include "lifecycle/OperationService.h"
#include "refresh/RefreshRequest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

#include <csignal>

class TestRefreshRollback : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rollbackCompleted();
    void rollbackAfterFailedSwap();
    void rollbackOfADamagedTarget();
    void rollbackOnlyTheLatest();
    void signOffKeepsTheRestorePointUntilItGoes();
    void removalOfTheRolledBackDatabaseRunsInTheBackground();
    void removalSurvivesTheRollbackProcessDying();
    void removalThatFailsIsTriedAgain();
    void resumeFailed();
    void resumeAppliesThePolicyThatWasReviewed();
    void policyChangedSinceTheReviewIsRefused();
    void resumeAndRollbackAtOnce();

private:
    // The refreshed contoso-uat of an uninterrupted refresh: logical content per database.
    QMap<QString, QMap<QString, QByteArray>> m_refreshed;
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");

QMap<QString, QMap<QString, QByteArray>> contentOf(const RefreshFixture& f, const QString& env)
{
    QMap<QString, QMap<QString, QByteArray>> result;
    for (const QString& role : {RefreshFixture::Transactional, RefreshFixture::FinancialReporting})
        result.insert(role, SqliteInspect::digests(f.db(env, role)));
    return result;
}

QMap<QString, QString> hook(const char* point)
{
    return {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QString::fromUtf8(point)}};
}

QStringList act(const char* verb, qint64 id)
{
    return {QString::fromUtf8(verb), QString::number(id)};
}

QString state(const RefreshFixture& f, qint64 id)
{
    return f.operation(id).value(QStringLiteral("state")).toString();
}

// The built-in default policy's bytes, as a project would keep them in a file.
QByteArray defaultPolicy()
{
    QFile source(QStringLiteral(DATAALM_SOURCE_DIR "/resources/policy/default-policy.json"));
    return source.open(QIODevice::ReadOnly) ? source.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

void TestRefreshRollback::initTestCase()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    m_refreshed = contentOf(f, Uat);
}

void TestRefreshRollback::rollbackCompleted()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    const auto beforeContent = contentOf(f, Uat);
    QVERIFY(beforeContent != m_refreshed);

    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(f.fileHashes(Uat) != before);
    QCOMPARE(contentOf(f, Uat), m_refreshed);

    const CliRun rollback = f.cli(act("rollback", 1));
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(state(f, 1), QStringLiteral("RollbackCompleted"));
    QCOMPARE(f.leftovers(Uat), QStringList());
    QCOMPARE(SqliteInspect::integrity(f.db(Uat)), QStringLiteral("ok"));

    // Once rolled back, there is nothing more to roll back, sign off or resume.
    for (const char* verb : {"rollback", "signoff", "resume", "abort"}) {
        const CliRun again = f.cli(act(verb, 1));
        QVERIFY2(again.exitedWith(5), qPrintable(again.describe()));
    }
    QCOMPARE(f.fileHashes(Uat), before);
}

void TestRefreshRollback::rollbackOfADamagedTarget()
{
    // The refreshed sandbox is damaged beyond opening (its header overwritten): the
    // restore point goes back without reading what it replaces.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QFile target(f.db(Uat));
    QVERIFY(target.open(QIODevice::ReadWrite));
    QVERIFY(target.write(QByteArray(4096, 'x')) == 4096);
    target.close();
    QVERIFY(SqliteInspect::integrity(f.db(Uat)) != QStringLiteral("ok"));

    const CliRun rollback = f.cli(act("rollback", 1));
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(state(f, 1), QStringLiteral("RollbackCompleted"));
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshRollback::rollbackAfterFailedSwap()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);

    // Killed at the start of Follow-ups: the new databases are in place, the operation is unfinished.
    const CliOutcome crashed = f.cliWith(RefreshFixture::refreshArgs(), hook("step-10"));
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    QCOMPARE(contentOf(f, Uat), m_refreshed);
    QCOMPARE(state(f, 1), QStringLiteral("Failed"));

    const CliRun rollback = f.cli(act("rollback", 1));
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(state(f, 1), QStringLiteral("RollbackCompleted"));
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshRollback::rollbackOnlyTheLatest()
{
    // Two refreshes in a row: the first can only be rolled back after the second.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "first refresh");
    QString error;
    QVERIFY2(f.processRecurringMessages(Uat, &error), qPrintable(error));
    const auto afterFirst = f.fileHashes(Uat);
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "second refresh");

    const CliRun early = f.cli(act("rollback", 1));
    QVERIFY2(early.exitedWith(5), qPrintable(early.describe()));
    QVERIFY2(early.errText().contains(QLatin1String("roll that back first")), qPrintable(early.errText()));
    QCOMPARE(state(f, 1), QStringLiteral("Completed"));

    QVERIFY2(f.cli(act("rollback", 2)).exitedWith(0), "rollback of the second");
    QCOMPARE(f.fileHashes(Uat), afterFirst);
    QVERIFY2(f.cli(act("rollback", 1)).exitedWith(0), "rollback of the first");
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshRollback::signOffKeepsTheRestorePointUntilItGoes()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");
    QCOMPARE(f.leftovers(Uat).size(), 2); // the two restore points
    const auto refreshed = f.fileHashes(Uat);

    const CliRun signoff = f.cli(act("signoff", 1));
    QVERIFY2(signoff.exitedWith(0), qPrintable(signoff.describe()));
    QCOMPARE(state(f, 1), QStringLiteral("SignedOff"));
    QCOMPARE(f.fileHashes(Uat), refreshed);
    // Signing off ends the rollback, not the restore point: what the refresh replaced
    // stays listed as a restore point of contoso-uat until it expires or is deleted.
    QCOMPARE(f.leftovers(Uat).size(), 2);
    const CliRun listed = f.cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(listed.json().array().size(), 1);
    const QJsonObject point = listed.json().array().first().toObject();
    QCOMPARE(point.value(QStringLiteral("operation")).toInteger(), 1);

    const CliRun rollback = f.cli(act("rollback", 1));
    QVERIFY2(rollback.exitedWith(5), qPrintable(rollback.describe()));
    QCOMPARE(f.fileHashes(Uat), refreshed);
    QCOMPARE(state(f, 1), QStringLiteral("SignedOff"));

    const CliRun remove = f.cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
                                 QString::number(point.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(remove.exitedWith(0), qPrintable(remove.describe()));
    QCOMPARE(f.leftovers(Uat), QStringList());
    QCOMPARE(f.fileHashes(Uat), refreshed);

    // A signed-off refresh no longer holds the target: the next one may start.
    QString error;
    QVERIFY2(f.processRecurringMessages(Uat, &error), qPrintable(error));
    const CliRun next = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(next.exitedWith(0), qPrintable(next.describe()));
}

void TestRefreshRollback::removalOfTheRolledBackDatabaseRunsInTheBackground()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");

    // runCli() waits for the background cleanup the rollback started (CliRun.h); the
    // runbook log says the rollback process left the removal to it, and that it was done.
    const CliRun rollback = f.cli(act("rollback", 1));
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList());
    QFile log(RunbookLog::pathFor(f.folder(), 1));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(log.readAll());
    const qsizetype deferred = text.indexOf(QLatin1String("What operation 1 left behind is removed in the background"));
    const qsizetype removed = text.indexOf(QLatin1String("Removed what operation 1 left behind in"));
    QVERIFY2(deferred > 0 && removed > deferred, qPrintable(text));
    const CliRun cleanup = f.cli({QStringLiteral("cleanup")});
    QVERIFY2(cleanup.exitedWith(0), qPrintable(cleanup.describe()));
    QCOMPARE(cleanup.outText(), QStringLiteral("Nothing to remove\n"));
}

void TestRefreshRollback::removalSurvivesTheRollbackProcessDying()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");

    // Killed once the rollback is recorded, before anything is removed: the target is
    // back, and the rolled-back databases are still there, marked in the catalog.
    const CliOutcome killed = f.cliWith(act("rollback", 1), hook("rollback-recorded"));
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    QCOMPARE(state(f, 1), QStringLiteral("RollbackCompleted"));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat).size(), 2);

    // Any later `dataalm cleanup` removes them.
    const CliRun cleanup = f.cli({QStringLiteral("--json"), QStringLiteral("cleanup")});
    QVERIFY2(cleanup.exitedWith(0), qPrintable(cleanup.describe()));
    QCOMPARE(cleanup.json().object().value(QStringLiteral("removed")).toArray(), QJsonArray({1}));
    QCOMPARE(f.leftovers(Uat), QStringList());
    QCOMPARE(f.fileHashes(Uat), before);
    const CliRun again = f.cli({QStringLiteral("cleanup")});
    QCOMPARE(again.outText(), QStringLiteral("Nothing to remove\n"));
}

void TestRefreshRollback::removalThatFailsIsTriedAgain()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");
    const CliOutcome killed = f.cliWith(act("rollback", 1), hook("rollback-recorded"));
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    // What the rollback set aside cannot be removed: a folder stands where the file was.
    const QString setAside = f.db(Uat) + QStringLiteral(".staging-op1");
    QVERIFY(QFile::remove(setAside));
    QVERIFY(QDir().mkpath(setAside + QStringLiteral("/in-the-way")));

    // The cleanup fails with words, and the operation stays marked.
    const CliRun failed = f.cli({QStringLiteral("cleanup")});
    QVERIFY2(failed.exitedWith(1), qPrintable(failed.describe()));
    QVERIFY2(failed.errText().contains(QLatin1String("could not remove what operations [1] left behind")),
             qPrintable(failed.errText()));
    Catalog catalog;
    QString e;
    QVERIFY2(catalog.open(f.folder(), &e), qPrintable(e));
    QCOMPARE(OperationStore(catalog).withLeftovers(), QList<qint64>{1});
    QFile log(RunbookLog::pathFor(f.folder(), 1));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(log.readAll()).contains(QLatin1String("could not all be removed")));

    // Once it can be, the next cleanup removes it and clears the mark.
    QVERIFY(QDir(setAside).removeRecursively());
    QVERIFY(QFile(setAside).open(QIODevice::WriteOnly));
    const CliRun again = f.cli({QStringLiteral("cleanup")});
    QVERIFY2(again.exitedWith(0), qPrintable(again.describe()));
    QCOMPARE(again.outText(), QStringLiteral("Removed what operation 1 left behind\n"));
    QCOMPARE(OperationStore(catalog).withLeftovers(), QList<qint64>());
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshRollback::resumeFailed()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    const CliOutcome crashed = f.cliWith(RefreshFixture::refreshArgs(), hook("step-6"));
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    QCOMPARE(f.fileHashes(Uat), before);

    const CliRun resume = f.cli(act("resume", 1));
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
    const QJsonObject op = f.operation(1);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    for (const QJsonValue& s : op.value(QStringLiteral("steps")).toArray())
        QVERIFY2(s.toObject().value(QStringLiteral("state")).toString() == QLatin1String("Completed"),
                 qPrintable(s.toObject().value(QStringLiteral("name")).toString()));
    QCOMPARE(contentOf(f, Uat), m_refreshed);

    // Resuming a Completed operation is not allowed.
    const CliRun again = f.cli(act("resume", 1));
    QVERIFY2(again.exitedWith(5), qPrintable(again.describe()));

    // And the resumed refresh rolls back like any other.
    QVERIFY2(f.cli(act("rollback", 1)).exitedWith(0), "rollback");
    QCOMPARE(f.fileHashes(Uat), before);
}

void TestRefreshRollback::policyChangedSinceTheReviewIsRefused()
{
    // The console's wizard reviews a policy and starts the refresh with its digest: a file
    // edited in between is refused, nothing is created.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const QString policyPath = QDir(f.folder()).filePath(QStringLiteral("project-policy.json"));
    const QByteArray reviewed = defaultPolicy();
    QVERIFY(!reviewed.isEmpty());
    QVERIFY(writeFile(policyPath, reviewed));
    QString error;
    const QString digest = RefreshRequest::policySha256(policyPath, &error);
    QCOMPARE(digest.size(), 64);

    // Someone removes a rule after the review.
    QVERIFY(writeFile(policyPath, R"({ "rules": [] })"));
    Catalog catalog;
    QVERIFY2(catalog.open(f.folder(), &error), qPrintable(error));
    const auto prod = catalog.environment(QStringLiteral("contoso-prod"));
    const auto uat = catalog.environment(Uat);
    QVERIFY(prod && uat);
    OperationService::Refusal refusal = OperationService::Refusal::None;
    const auto refused = OperationService(catalog).createRefresh(*prod, *uat, policyPath, &error, &refusal, digest);
    QVERIFY(!refused);
    QCOMPARE(int(refusal), int(OperationService::Refusal::InvalidPolicy));
    QVERIFY2(error.contains(QStringLiteral("changed since it was reviewed")), qPrintable(error));
    QVERIFY(OperationStore(catalog).list().isEmpty());
    // With the digest of what is there now (a new review), it is created.
    const auto created = OperationService(catalog).createRefresh(
        *prod, *uat, policyPath, &error, &refusal, RefreshRequest::policySha256(policyPath, &error));
    QVERIFY2(created, qPrintable(error));
}

// The policy is read once, when the refresh is created: a file changed (or emptied)
// while the refresh is interrupted does not change what Resume applies, and the runbook
// archive holds the very bytes that were applied.
void TestRefreshRollback::resumeAppliesThePolicyThatWasReviewed()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const QString policyPath = QDir(f.folder()).filePath(QStringLiteral("reviewed-policy.json"));
    const QByteArray reviewed = defaultPolicy();
    QVERIFY(!reviewed.isEmpty());
    QVERIFY(writeFile(policyPath, reviewed));

    const CliOutcome crashed = f.cliWith(
        RefreshFixture::refreshArgs(QStringLiteral("contoso-prod"), Uat, {QStringLiteral("--policy"), policyPath}),
        hook("step-5"));
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    // Someone empties the file before the refresh is resumed.
    QVERIFY(writeFile(policyPath, R"({ "rules": [] })"));

    const CliRun resume = f.cli(act("resume", 1));
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
    // The reviewed rules ran: only the service accounts and Admin stay enabled.
    QCOMPARE(SqliteInspect::value(f.db(Uat), QStringLiteral("SELECT count(*) FROM USERINFO WHERE ENABLE <> 0 AND ID NOT "
                                                            "IN ('Admin', 'RetailServiceAccount', 'FRServiceUser')"))
                 .toLongLong(),
             0);
    const QString zip = QDir(f.folder()).filePath(QStringLiteral("logs.zip"));
    QVERIFY2(f.cli({QStringLiteral("logs"), QStringLiteral("1"), QStringLiteral("--out"), zip}).exitedWith(0), "logs");
    QString error;
    const QMap<QString, QByteArray> entries = zipEntries(zip, &error);
    QVERIFY2(!entries.isEmpty(), qPrintable(error));
    QCOMPARE(entries.value(QStringLiteral("operation-1/policy.json")), reviewed);
}

// Resume and Rollback of one failed refresh at the same instant: both pass the rules
// (the operation is Failed), then race for it. The rollback wins here (the resume
// pauses before its claim); the resume must then be refused with the lifecycle's
// sentence (exit 5) and must not become the owner: before, it wrote its pid over the
// rollback's, died, and the next command took the running rollback for interrupted.
void TestRefreshRollback::resumeAndRollbackAtOnce()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    QVERIFY2(f.cliWith(RefreshFixture::refreshArgs(), hook("step-6")).killedBy(SIGKILL), "crash");
    QVERIFY2(f.cli({QStringLiteral("operations")}).exitedWith(0), "recover"); // Failed ("interrupted")

    CliProcess resume;
    resume.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("before-claim"));
    resume.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("1500"));
    QVERIFY(f.start(resume, act("resume", 1)));
    QTest::qWait(300); // the resume has read the operation and paused before claiming it
    CliProcess rollback;
    rollback.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("rollback-running"));
    rollback.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("4000"));
    QVERIFY(f.start(rollback, act("rollback", 1)));
    QTRY_COMPARE_WITH_TIMEOUT(state(f, 1), QStringLiteral("RollbackInProgress"), 5000);

    const CliOutcome lost = resume.finish();
    QVERIFY2(lost.exitedWith(5), qPrintable(lost.describe()));
    QVERIFY2(lost.errText().contains(QStringLiteral("Operation 1 is rollback in progress; only a failed operation can be "
                                                    "resumed.")),
             qPrintable(lost.describe()));
    // Another command while the rollback still runs: it is not taken for interrupted.
    QVERIFY2(f.cli({QStringLiteral("operations")}).exitedWith(0), "operations");
    QCOMPARE(state(f, 1), QStringLiteral("RollbackInProgress"));
    QCOMPARE(f.operation(1).value(QStringLiteral("error")).toString(), QString());

    const CliOutcome won = rollback.finish();
    QVERIFY2(won.exitedWith(0), qPrintable(won.describe()));
    QCOMPARE(state(f, 1), QStringLiteral("RollbackCompleted"));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList());
}

QTEST_GUILESS_MAIN(TestRefreshRollback)
#include "tst_refreshrollback.moc"
