// Cancelling a refresh through the real `dataalm` binary: `abort ID` from a second
// process, and Ctrl-C (SIGINT) to the running `dataalm refresh`, both during a slowed
// copy, end the operation Aborted with the target untouched and the staging files
// gone; an abort once the swap has happened is refused (exit 5).
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"

#include <QFile>
#include <QtTest>

#include <sqlite3.h>

#include <csignal>

class TestRefreshCancel : public QObject
{
    Q_OBJECT

private slots:
    void abortFromSecondProcess();
    void interrupt();
    void abortFailedBeforeSwap();
    void abortAfterSwapRefused();
    void walOfTargetUntouched();
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");
const QString CopyStarted = QStringLiteral("[3/10] Copy transactional database...");

// A copy of the 4 MB demo in about 130 batches of 8 pages, 30 ms apart: about 4 s.
void slowCopy(CliProcess& p)
{
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("8"));
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("30"));
}

void checkCancelled(const RefreshFixture& f, const QMap<QString, QByteArray>& before)
{
    const QJsonObject op = f.operation(1);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList());
    QCOMPARE(f.nonEmptyWals(Uat), QStringList());
    // The target is free again.
    const CliRun next = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(next.exitedWith(0), qPrintable(next.describe()));
}

} // namespace

void TestRefreshCancel::abortFromSecondProcess()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);

    CliProcess refresh;
    slowCopy(refresh);
    QVERIFY(f.start(refresh, RefreshFixture::refreshArgs()));
    QVERIFY2(refresh.waitForErr(CopyStarted), refresh.errSoFar().constData());

    const CliRun abort = f.cli({QStringLiteral("abort"), QStringLiteral("1")});
    QVERIFY2(abort.exitedWith(0), qPrintable(abort.describe()));
    const CliOutcome run = refresh.finish();
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(!run.errText().contains(QLatin1String("Copy transactional database: Completed")),
             "the copy ended before the abort");
    QVERIFY2(run.errText().contains(QLatin1String("cancelled")), qPrintable(run.errText()));
    checkCancelled(f, before);
}

void TestRefreshCancel::interrupt()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);

    CliProcess refresh;
    slowCopy(refresh);
    QVERIFY(f.start(refresh, RefreshFixture::refreshArgs()));
    QVERIFY2(refresh.waitForErr(CopyStarted), refresh.errSoFar().constData());
    QVERIFY(refresh.sendSignal(SIGINT));
    const CliOutcome run = refresh.finish();
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("Cancelling")), qPrintable(run.errText()));
    checkCancelled(f, before);
}

void TestRefreshCancel::abortFailedBeforeSwap()
{
    // A refresh interrupted before the swap is Failed; aborting it discards the staging copies.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    const CliOutcome crashed =
        f.cliWith(RefreshFixture::refreshArgs(), {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-8")}});
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    QVERIFY(!f.leftovers(Uat).isEmpty()); // the staging copies
    const CliRun abort = f.cli({QStringLiteral("abort"), QStringLiteral("1")});
    QVERIFY2(abort.exitedWith(0), qPrintable(abort.describe()));
    checkCancelled(f, before);
}

void TestRefreshCancel::abortAfterSwapRefused()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));

    // Failed after the swap (killed in Follow-ups): the target holds the new databases.
    const CliOutcome crashed = f.cliWith(RefreshFixture::refreshArgs(),
                                         {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-10")}});
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    const auto swapped = f.fileHashes(Uat);
    const CliRun abortFailed = f.cli({QStringLiteral("abort"), QStringLiteral("1")});
    QVERIFY2(abortFailed.exitedWith(5), qPrintable(abortFailed.describe()));
    QVERIFY2(abortFailed.errText().contains(QLatin1String("roll it back")), qPrintable(abortFailed.errText()));
    QCOMPARE(f.operation(1).value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QCOMPARE(f.fileHashes(Uat), swapped);

    // Completed: refused as well.
    QVERIFY2(f.cli({QStringLiteral("resume"), QStringLiteral("1")}).exitedWith(0), "resume");
    const CliRun abortCompleted = f.cli({QStringLiteral("abort"), QStringLiteral("1")});
    QVERIFY2(abortCompleted.exitedWith(5), qPrintable(abortCompleted.describe()));
    QCOMPARE(f.operation(1).value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(f.fileHashes(Uat), swapped);
}

void TestRefreshCancel::walOfTargetUntouched()
{
    // The target's application wrote last and left its changes in the WAL (as a process
    // that stops without a checkpoint does): until the swap, a refresh must not fold
    // them into the database file, not even by reading the target's own records.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(f.db(Uat)).constData(), &db), SQLITE_OK);
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    QCOMPARE(sqlite3_exec(db, "UPDATE SYSSERVERCONFIG SET MAXSESSIONS = MAXSESSIONS + 1", nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    const QString wal = f.db(Uat) + QStringLiteral("-wal");
    QVERIFY(QFileInfo(wal).size() > 0);
    const QByteArray walBefore = TestSupport::fileSha256(wal);
    const auto before = f.fileHashes(Uat);

    // Stopped just before the swap: every step that reads the target has run.
    const CliOutcome crashed =
        f.cliWith(RefreshFixture::refreshArgs(), {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-9")}});
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(TestSupport::fileSha256(wal), walBefore);

    const CliRun abort = f.cli({QStringLiteral("abort"), QStringLiteral("1")});
    QVERIFY2(abort.exitedWith(0), qPrintable(abort.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(TestSupport::fileSha256(wal), walBefore);
}

QTEST_GUILESS_MAIN(TestRefreshCancel)
#include "tst_refreshcancel.moc"
