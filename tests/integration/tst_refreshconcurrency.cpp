// A refresh among other programs, through the real `dataalm` binary on the demo:
// - writers keep committing to the source during the copy, and the copy is one
//   instant of it (every pair of rows written in one transaction arrives whole or
//   not at all), while the writers never see an error;
// - a second operation on the same target is refused (exit 3, a clear message)
//   while one runs, also when two processes start at the same moment.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "SqlitePairWriter.h"
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QtTest>

#include <csignal>

class TestRefreshConcurrency : public QObject
{
    Q_OBJECT

private slots:
    void writersDuringCopy();
    void secondOperationRefused();
    void simultaneousStarts();
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
    QVERIFY2(preflight.outText().contains(QLatin1String("[fail] target-idle: contoso-uat has operation 1 (Refresh "
                                                        "database) in progress")),
             qPrintable(preflight.outText()));

    // A running operation is neither rolled back nor resumed from another process.
    for (const char* verb : {"rollback", "resume", "signoff"}) {
        const CliRun other = f.cli({QString::fromUtf8(verb), QStringLiteral("1")});
        QVERIFY2(other.exitedWith(5), qPrintable(other.describe()));
    }

    const CliOutcome done = first.finish();
    QVERIFY2(done.exitedWith(0), qPrintable(done.describe()));
    QCOMPARE(f.operations().size(), 1);
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

QTEST_GUILESS_MAIN(TestRefreshConcurrency)
#include "tst_refreshconcurrency.moc"
