// A refresh killed at any instant (SIGKILL, nothing flushed or cleaned up) leaves the
// target whole, as it was or fully refreshed, never missing; the next command finds
// the operation Failed ("interrupted"); and from there EITHER a resume completes it
// OR a rollback gives the target back byte for byte. Through the real `dataalm`
// binary: the crash points of TestHooks (DATAALM_TEST_CRASH_AT) for every step, mid
// copy and between the two databases of the swap, each in two copies of the demo
// (one resumed, one rolled back), plus one real external kill -9 mid-copy.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QThread>
#include <QtTest>

#include <csignal>

class TestCrashRecovery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void crashAt_data();
    void crashAt();
    void externalKillMidCopy_data();
    void externalKillMidCopy();

private:
    void checkAfterCrash(const RefreshFixture& f, const QMap<QString, QByteArray>& before,
                         const QStringList& refreshedRoles);
    void recover(const RefreshFixture& f, const QString& how, const QMap<QString, QByteArray>& before);

    // Logical content of contoso-uat's databases after an uninterrupted refresh, by role.
    QMap<QString, QMap<QString, QByteArray>> m_refreshed;
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");
const QStringList Roles = {RefreshFixture::Transactional, RefreshFixture::FinancialReporting};

// Small batches so that "copy-mid" falls between two of them.
QMap<QString, QString> hooks(const QString& crashAt = {})
{
    QMap<QString, QString> env{{QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16")}};
    if (!crashAt.isEmpty())
        env.insert(QStringLiteral("DATAALM_TEST_CRASH_AT"), crashAt);
    return env;
}

} // namespace

void TestCrashRecovery::initTestCase()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const CliOutcome run = f.cliWith(RefreshFixture::refreshArgs(), hooks());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const QString& role : Roles)
        m_refreshed.insert(role, SqliteInspect::digests(f.db(Uat, role)));
}

void TestCrashRecovery::checkAfterCrash(const RefreshFixture& f, const QMap<QString, QByteArray>& before,
                                        const QStringList& refreshedRoles)
{
    const QMap<QString, QByteArray> now = f.fileHashes(Uat);
    for (const QString& role : Roles) {
        const QString path = f.db(Uat, role);
        QVERIFY2(QFile::exists(path), qPrintable(role + QStringLiteral(" database missing")));
        QCOMPARE(SqliteInspect::integrity(path), QStringLiteral("ok"));
        if (refreshedRoles.contains(role))
            QVERIFY2(SqliteInspect::digests(path) == m_refreshed.value(role),
                     qPrintable(role + QStringLiteral(" is not the refreshed database")));
        else
            QVERIFY2(now.value(role) == before.value(role), qPrintable(role + QStringLiteral(" changed")));
    }

    // The next command finds the operation interrupted.
    const CliRun list = f.cli({QStringLiteral("operations"), QStringLiteral("--json")});
    QVERIFY2(list.exitedWith(0), qPrintable(list.describe()));
    const QJsonArray ops = list.json().array();
    QCOMPARE(ops.size(), 1);
    const QJsonObject op = ops.first().toObject();
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QVERIFY2(op.value(QStringLiteral("error")).toString().contains(QLatin1String("interrupted")),
             qPrintable(op.value(QStringLiteral("error")).toString()));
    // Its text form says so too.
    const CliRun text = f.cli({QStringLiteral("operations")});
    QVERIFY2(text.outText().contains(QLatin1String("Failed")), qPrintable(text.outText()));
}

void TestCrashRecovery::recover(const RefreshFixture& f, const QString& how, const QMap<QString, QByteArray>& before)
{
    const CliRun run = f.cli({how, QStringLiteral("1")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = f.operation(1);
    for (const QString& role : Roles)
        QCOMPARE(SqliteInspect::integrity(f.db(Uat, role)), QStringLiteral("ok"));
    if (how == QLatin1String("resume")) {
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
        for (const QString& role : Roles)
            QVERIFY2(SqliteInspect::digests(f.db(Uat, role)) == m_refreshed.value(role),
                     qPrintable(role + QStringLiteral(" is not the refreshed database after the resume")));
        QStringList restorePoints = f.leftovers(Uat);
        QCOMPARE(restorePoints, (QStringList{QStringLiteral("financial-reporting.db.restore-op1"),
                                             QStringLiteral("transactional.db.restore-op1")}));
    } else {
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("RollbackCompleted"));
        QCOMPARE(f.fileHashes(Uat), before);
        QCOMPARE(f.leftovers(Uat), QStringList());
    }
    // Either way the target is free for the next refresh.
    QString error;
    QVERIFY2(f.processRecurringMessages(Uat, &error), qPrintable(error));
    const CliRun next = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(next.exitedWith(0), qPrintable(next.describe()));
}

void TestCrashRecovery::crashAt_data()
{
    QTest::addColumn<QString>("point");
    QTest::addColumn<QStringList>("refreshed"); // the roles already swapped in at the crash
    QTest::addColumn<QString>("how");

    QList<QPair<QString, QStringList>> points;
    for (int step = 1; step <= 10; ++step)
        points << qMakePair(QStringLiteral("step-%1").arg(step), step == 10 ? Roles : QStringList());
    points << qMakePair(QStringLiteral("copy-mid"), QStringList());
    points << qMakePair(QStringLiteral("swap-after-first"), QStringList{RefreshFixture::Transactional});
    for (const auto& p : std::as_const(points)) {
        for (const QString how : {QStringLiteral("resume"), QStringLiteral("rollback")})
            QTest::newRow(qPrintable(p.first + QLatin1Char(' ') + how)) << p.first << p.second << how;
    }
}

void TestCrashRecovery::crashAt()
{
    QFETCH(QString, point);
    QFETCH(QStringList, refreshed);
    QFETCH(QString, how);

    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);

    const CliOutcome crashed = f.cliWith(RefreshFixture::refreshArgs(), hooks(point));
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    checkAfterCrash(f, before, refreshed);
    if (QTest::currentTestFailed())
        return;
    recover(f, how, before);
}

void TestCrashRecovery::externalKillMidCopy_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("resume") << QStringLiteral("resume");
    QTest::newRow("rollback") << QStringLiteral("rollback");
}

void TestCrashRecovery::externalKillMidCopy()
{
    QFETCH(QString, how);
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);

    // A slow copy (4 pages, then 20 ms: about 3 s), killed from outside at a random moment of it.
    CliProcess p;
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("4"));
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("20"));
    QVERIFY(f.start(p, RefreshFixture::refreshArgs()));
    QVERIFY2(p.waitForErr(QStringLiteral("[3/10] Copy transactional database...")), p.errSoFar().constData());
    const int delay = int(QRandomGenerator::global()->bounded(500));
    QThread::msleep(delay);
    QVERIFY2(p.sendSignal(SIGKILL), p.errSoFar().constData());
    const CliOutcome killed = p.finish();
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    QVERIFY2(!killed.errText().contains(QLatin1String("[3/10] Copy transactional database: Completed")),
             qPrintable(QStringLiteral("the copy ended before the kill (%1 ms)").arg(delay)));

    checkAfterCrash(f, before, {});
    if (QTest::currentTestFailed())
        return;
    recover(f, how, before);
}

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
