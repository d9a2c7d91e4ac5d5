// A refresh among other programs, through the real `dataalm` binary on the demo:
// - writers keep committing to the source during the copy, and the copy is one
//   instant of it (every pair of rows written in one transaction arrives whole or
//   not at all), while the writers never see an error;
// - a second operation on the same target is refused (exit 3, a clear message)
//   while one runs, also when two processes start at the same moment;
// - a WAL target that another program keeps open is not swapped (when that program
//   closed the old file, SQLite would delete the new file's -wal and -shm by name): the
//   swap fails naming the process, and Resume completes once it is gone;
// - a program in the middle of a write transaction on the target when the swap comes
//   is waited for (its COMMIT succeeds, its row is in the restore point), in
//   rollback-journal and WAL mode; one that never finishes fails the swap with words,
//   the target untouched, and Resume completes once it is gone.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "SqlitePairWriter.h"
#include "TestSupport.h"

#include "engine/SqliteConnection.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QtTest>
#include <QThread>

#include <csignal>
#include <cstdio>

class TestRefreshConcurrency : public QObject
{
    Q_OBJECT

private slots:
    void writersDuringCopy();
    void secondOperationRefused();
    void simultaneousStarts();
    void swapWaitsForALiveWriter_data();
    void swapWaitsForALiveWriter();
    void swapRefusedWhileAWriterNeverFinishes();
    void walSwapWaitsForOtherPrograms();
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");
const QString CopyStarted = QStringLiteral("[3/10] Copy transactional database...");
const QString CopyDone = QStringLiteral("[3/10] Copy transactional database: Completed");

void slowCopy(CliProcess& p, int delayMs = 30)
{
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("8"));
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QString::number(delayMs));
}

// Pair k: the rows (k, T1) and (k, T2) in one transaction.
const QString T1T2PairSql = QStringLiteral("BEGIN IMMEDIATE; INSERT INTO T1 (K, V) VALUES (%1, randomblob(300)); "
                                           "INSERT INTO T2 (K, V) VALUES (%1, randomblob(300)); COMMIT;");

} // namespace

void TestRefreshConcurrency::writersDuringCopy()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    const QString source = f.db(QStringLiteral("contoso-prod"));
    QString error;
    QVERIFY2(TestSupport::execSqlite(source,
                                     {QStringLiteral("CREATE TABLE T1 (K INTEGER PRIMARY KEY, V BLOB)"),
                                      QStringLiteral("CREATE TABLE T2 (K INTEGER PRIMARY KEY, V BLOB)")},
                                     &error),
             qPrintable(error));

    SqlitePairWriter writer(source, T1T2PairSql, QString(), 1);
    writer.start();
    QTRY_VERIFY(writer.committed() > 20);

    CliProcess refresh;
    slowCopy(refresh);
    QVERIFY(f.start(refresh, RefreshFixture::refreshArgs()));
    QVERIFY2(refresh.waitForErr(CopyStarted), refresh.errSoFar().constData());
    const qint64 atCopyStart = writer.committed();
    QVERIFY2(refresh.waitForErr(CopyDone), refresh.errSoFar().constData());
    const qint64 atCopyEnd = writer.committed();
    const CliOutcome run = refresh.finish();
    writer.stop();
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(writer.errors().isEmpty(), qPrintable(writer.errors().join(QLatin1Char('\n'))));
    // The writer really wrote while the copy ran.
    QVERIFY2(atCopyEnd - atCopyStart > 50, qPrintable(QStringLiteral("%1 -> %2").arg(atCopyStart).arg(atCopyEnd)));

    // The target holds one instant: both rows of every pair or neither, the pairs
    // 1..n of some moment before the copy ended.
    const QString target = f.db(Uat);
    const QStringList k1 = SqliteInspect::column(target, QStringLiteral("SELECT K FROM T1 ORDER BY K"));
    const QStringList k2 = SqliteInspect::column(target, QStringLiteral("SELECT K FROM T2 ORDER BY K"));
    QCOMPARE(k1, k2);
    QVERIFY(!k1.isEmpty());
    QCOMPARE(k1.last().toLongLong(), qint64(k1.size())); // no gap: pairs 1..n
    QVERIFY2(
        k1.size() < atCopyEnd,
        qPrintable(QStringLiteral("%1 pairs in the target, %2 at the end of the copy").arg(k1.size()).arg(atCopyEnd)));
    QCOMPARE(SqliteInspect::integrity(target), QStringLiteral("ok"));
    // The source kept every pair.
    QCOMPARE(SqliteInspect::value(source, QStringLiteral("SELECT count(*) FROM T1")).toLongLong(), writer.committed());
}

void TestRefreshConcurrency::secondOperationRefused()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    CliProcess first;
    slowCopy(first);
    QVERIFY(f.start(first, RefreshFixture::refreshArgs()));
    QVERIFY2(first.waitForErr(CopyStarted), first.errSoFar().constData());

    const CliRun second = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(second.exitedWith(3), qPrintable(second.describe()));
    QVERIFY2(second.errText().contains(
                 QLatin1String("contoso-uat already has operation 1 (Refresh database) in progress; wait for it to finish")),
             qPrintable(second.errText()));

    const CliRun preflight = f.cli({QStringLiteral("preflight"), QStringLiteral("--source"),
                                    QStringLiteral("contoso-prod"), QStringLiteral("--target"), Uat});
    QVERIFY2(preflight.exitedWith(3), qPrintable(preflight.describe()));
    QVERIFY2(preflight.outText().contains(QLatin1String("[fail] target-idle: contoso-uat already has operation 1 "
                                                        "(Refresh database) in progress; wait for it to finish.")),
             qPrintable(preflight.outText()));

    // A running operation is neither rolled back nor resumed from another process.
    for (const char* verb : {"rollback", "resume", "signoff"}) {
        const CliRun other = f.cli({QString::fromUtf8(verb), QStringLiteral("1")});
        QVERIFY2(other.exitedWith(5), qPrintable(other.describe()));
    }

    const CliOutcome done = first.finish();
    QVERIFY2(done.exitedWith(0), qPrintable(done.describe()));
    QCOMPARE(f.operations().size(), 1);

    // A refresh that is just starting (created, not yet claimed by its process) is
    // waited for too: nobody is told to resume it.
    CliProcess starting;
    starting.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("before-claim"));
    starting.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("4000"));
    QVERIFY(f.start(starting, RefreshFixture::refreshArgs()));
    QTRY_VERIFY_WITH_TIMEOUT(f.operations().size() == 2, 20000);
    QCOMPARE(f.operations().first().value(QStringLiteral("state")).toString(), QStringLiteral("NotStarted"));
    const CliRun third = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(third.exitedWith(3), qPrintable(third.describe()));
    QVERIFY2(third.errText().contains(QLatin1String("contoso-uat already has operation 2 (Refresh database) starting; "
                                                    "wait for it to finish")),
             qPrintable(third.errText()));
    QVERIFY2(starting.finish().exitedWith(0), "the second refresh");
}

void TestRefreshConcurrency::simultaneousStarts()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    for (int round = 1; round <= 3; ++round) {
        CliProcess a;
        CliProcess b;
        slowCopy(a, 20);
        slowCopy(b, 20);
        QVERIFY(f.start(a, RefreshFixture::refreshArgs()));
        QVERIFY(f.start(b, RefreshFixture::refreshArgs()));
        const CliOutcome ra = a.finish();
        const CliOutcome rb = b.finish();
        const bool aWon = ra.exitedWith(0);
        const CliOutcome& winner = aWon ? ra : rb;
        const CliOutcome& loser = aWon ? rb : ra;
        QVERIFY2(winner.exitedWith(0), qPrintable(winner.describe()));
        QVERIFY2(loser.exitedWith(3), qPrintable(loser.describe()));
        QVERIFY2(loser.errText().contains(QLatin1String("contoso-uat already has operation")) ||
                     loser.errText().contains(QLatin1String("contoso-uat has an unfinished operation")),
                 qPrintable(loser.errText()));
        // One operation per round; the loser recorded nothing.
        const QList<QJsonObject> ops = f.operations();
        QCOMPARE(ops.size(), round);
        QCOMPARE(ops.first().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
        QString error;
        QVERIFY2(f.processRecurringMessages(Uat, &error), qPrintable(error));
    }
    QCOMPARE(SqliteInspect::integrity(f.db(Uat)), QStringLiteral("ok"));
}

void TestRefreshConcurrency::swapWaitsForALiveWriter_data()
{
    QTest::addColumn<QString>("journal");
    QTest::newRow("rollback journal") << QStringLiteral("DELETE");
    QTest::newRow("wal") << QStringLiteral("WAL");
}

void TestRefreshConcurrency::swapWaitsForALiveWriter()
{
    QFETCH(QString, journal);
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const QString target = f.db(Uat);
    QString e;
    QVERIFY2(TestSupport::execSqlite(target, {QStringLiteral("PRAGMA journal_mode = ") + journal}, &e), qPrintable(e));
    // Another program is in the middle of a write transaction on the sandbox.
    SqliteConnection writer;
    QVERIFY2(writer.open(target, SqliteConnection::ReadWrite, &e), qPrintable(e));
    QVERIFY2(writer.exec(QStringLiteral("BEGIN IMMEDIATE; CREATE TABLE LIVE_WRITER (X INTEGER); "
                                        "INSERT INTO LIVE_WRITER VALUES (42)"),
                         &e),
             qPrintable(e));

    CliProcess refresh;
    QVERIFY(f.start(refresh, RefreshFixture::refreshArgs()));
    QVERIFY2(refresh.waitForErr(QStringLiteral("[9/10] Swap into target...")), refresh.errSoFar().constData());
    QThread::msleep(1500);
    // The swap waited: the writer's journal is where it left it, and its COMMIT works.
    QVERIFY2(refresh.isRunning(), refresh.errSoFar().constData());
    QVERIFY2(writer.exec(QStringLiteral("COMMIT"), &e), qPrintable(e));
    writer.close();
    const CliOutcome run = refresh.finish();
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::integrity(target), QStringLiteral("ok"));
    QCOMPARE(SqliteInspect::value(target, QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = "
                                                          "'LIVE_WRITER'"))
                 .toLongLong(),
             0);
    // Its row went where it wrote it: into the database that is now the restore point.
    const qint64 id = f.operations().first().value(QStringLiteral("id")).toInteger();
    const CliRun rollback = f.cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(SqliteInspect::value(target, QStringLiteral("SELECT X FROM LIVE_WRITER")).toLongLong(), 42);
    QCOMPARE(SqliteInspect::integrity(target), QStringLiteral("ok"));
}

void TestRefreshConcurrency::swapRefusedWhileAWriterNeverFinishes()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const QString target = f.db(Uat);
    QString e;
    QVERIFY2(TestSupport::execSqlite(target, {QStringLiteral("PRAGMA journal_mode = DELETE")}, &e), qPrintable(e));
    const auto before = f.fileHashes(Uat);
    SqliteConnection writer;
    QVERIFY2(writer.open(target, SqliteConnection::ReadWrite, &e), qPrintable(e));
    QVERIFY2(writer.exec(QStringLiteral("BEGIN IMMEDIATE; CREATE TABLE LIVE_WRITER (X INTEGER)"), &e), qPrintable(e));

    const CliRun run = f.cli(RefreshFixture::refreshArgs(), 180000);
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("is being written by another program, which kept its write "
                                                   "transaction open for more than 10 s")),
             qPrintable(run.describe()));
    // The writer was left alone: it can still roll back, and the sandbox is as it was.
    QVERIFY2(writer.exec(QStringLiteral("ROLLBACK"), &e), qPrintable(e));
    writer.close();
    QCOMPARE(f.fileHashes(Uat), before);

    const qint64 id = f.operations().first().value(QStringLiteral("id")).toInteger();
    const CliRun resume = f.cli({QStringLiteral("resume"), QString::number(id)});
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
}

void TestRefreshConcurrency::walSwapWaitsForOtherPrograms()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const QString target = f.db(Uat);
    QString e;
    QVERIFY2(TestSupport::execSqlite(target, {QStringLiteral("PRAGMA journal_mode = WAL")}, &e), qPrintable(e));
    const auto before = f.fileHashes(Uat);
    // Another program (this test binary, in its holding role: see main()) has the sandbox open.
    QProcess holder;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TST_HOLD_SQLITE_OPEN"), target);
    holder.setProcessEnvironment(env);
    holder.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(holder.waitForStarted());
    QVERIFY(holder.waitForReadyRead(20000)); // "open" once it holds the database
    const QString pid = QString::number(holder.processId());

    const CliRun run = f.cli(RefreshFixture::refreshArgs(), 180000);
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("is open in another program (process %1)").arg(pid)),
             qPrintable(run.describe()));
    holder.kill();
    holder.waitForFinished();
    QCOMPARE(f.fileHashes(Uat), before);

    const qint64 id = f.operations().first().value(QStringLiteral("id")).toInteger();
    const CliRun resume = f.cli({QStringLiteral("resume"), QString::number(id)});
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
    QCOMPARE(SqliteInspect::integrity(target), QStringLiteral("ok"));
}

// Run with TST_HOLD_SQLITE_OPEN=<file>, the binary is "another program": it opens the
// database, reads it, says "open" on stdout and keeps it open until it is killed.
int main(int argc, char** argv)
{
    const QByteArray hold = qgetenv("TST_HOLD_SQLITE_OPEN");
    if (!hold.isEmpty()) {
        SqliteConnection db;
        QString error;
        if (!db.open(QString::fromLocal8Bit(hold), SqliteConnection::ReadOnly, &error))
            return 1;
        std::fputs("open\n", stdout);
        std::fflush(stdout);
        for (;;)
            QThread::sleep(1);
    }
    QCoreApplication app(argc, argv);
    TestRefreshConcurrency test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_refreshconcurrency.moc"
