// The refresh's Verify step (step 8) holds the staging databases to the SOURCE, through
// the real `dataalm` binary on the demo's real SQLite files:
// - sourceCountsRecorded: the copy steps record, with the operation, every table of the
//   source's databases, and the row count of those the policy writes (what the test
//   counts in the source files itself); the others are copied page for page, not counted.
// - stagingTampered: the refresh is killed as Verify starts (crash point "step-8"), the
//   staging file is changed behind its back (rows deleted from a table the policy does
//   not touch, from a keep-target table, from the financial-reporting database), and
//   the Resume's Verify fails: it names the changed file, and for a counted table the
//   rows it holds and the rows it must hold; the target is untouched and a rollback is
//   clean.
// - administratorRemoved: the same with the Admin user deleted from USERINFO: Verify
//   fails saying the staging database has no administrator.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "catalog/RunbookLog.h"

#include <QJsonArray>
#include <QtTest>

#include <csignal>

namespace SI = SqliteInspect;

class TestRefreshVerify : public QObject
{
    Q_OBJECT

private slots:
    void sourceCountsRecorded();
    void stagingTampered_data();
    void stagingTampered();
    void administratorRemoved();
};

namespace {

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

qint64 rowCount(const QString& db, const QString& table)
{
    QString e;
    const QVariant v = SI::value(db, QStringLiteral("SELECT count(*) FROM ") + SI::quote(table), &e);
    if (!v.isValid())
        qWarning("counting %s in %s: %s", qPrintable(table), qPrintable(db), qPrintable(e));
    return v.isValid() ? v.toLongLong() : -1;
}

// The staging file of operation 1 for `role` of contoso-uat.
QString staging(const RefreshFixture& f, const QString& role)
{
    return f.db(Uat, role) + QStringLiteral(".staging-op1");
}

// Refreshes contoso-prod into contoso-uat and kills the process as step 8 (Verify) starts.
bool refreshUntilVerify(const RefreshFixture& f, QString* why)
{
    const CliOutcome crashed =
        f.cliWith(RefreshFixture::refreshArgs(), {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-8")}});
    if (!crashed.killedBy(SIGKILL)) {
        *why = crashed.describe();
        return false;
    }
    return true;
}

} // namespace

void TestRefreshVerify::sourceCountsRecorded()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject recorded =
        f.operation(1).value(QStringLiteral("params")).toObject().value(QStringLiteral("sourceRows")).toObject();
    // The tables the demo's policy writes, and one it leaves alone.
    const QStringList written = {QStringLiteral("BATCHJOBHISTORY"), QStringLiteral("USERINFO"),
                                 QStringLiteral("SYSSERVERCONFIG")};
    for (const QString& role : {RefreshFixture::Transactional, RefreshFixture::FinancialReporting}) {
        // Nothing writes to the demo's source: its counts now are its counts at the copy.
        // Every table is named; a SQLite copy is page for page, so only the tables the
        // policy writes (on the transactional database) are counted, the others are null.
        const QString source = f.db(Prod, role);
        const QStringList tables = SI::tables(source);
        QVERIFY(tables.size() > 3);
        const QJsonObject got = recorded.value(role).toObject();
        QCOMPARE(QStringList(got.keys()).size(), tables.size());
        int counted = 0;
        for (const QString& t : tables) {
            QVERIFY2(got.contains(t), qPrintable(t));
            if (got.value(t).isNull()) {
                QVERIFY2(!written.contains(t), qPrintable(t));
                continue;
            }
            QVERIFY2(role == RefreshFixture::Transactional, qPrintable(t));
            QCOMPARE(got.value(t).toInteger(), rowCount(source, t));
            ++counted;
        }
        if (role == RefreshFixture::Transactional) {
            for (const QString& t : written)
                QVERIFY2(!got.value(t).isNull(), qPrintable(t));
            QVERIFY(got.value(QStringLiteral("CUSTTABLE")).isNull());
        }
        if (role == RefreshFixture::Transactional)
            QVERIFY(counted >= written.size() && counted < tables.size());
        else
            QCOMPARE(counted, 0);
    }
    QFile logFile(RunbookLog::pathFor(f.folder(), 1));
    QVERIFY(logFile.open(QIODevice::ReadOnly));
    const QString log = QString::fromUtf8(logFile.readAll());
    QVERIFY2(log.contains(QLatin1String("are copied page for page, not counted")), qPrintable(log));
    QVERIFY2(run.errText().contains(QLatin1String("more are there as copied page for page")),
             qPrintable(run.errText()));
    // The policy changed the target's counts: what was recorded is not the refreshed target.
    const QString excluded = QStringLiteral("BATCHJOBHISTORY");
    QVERIFY(recorded.value(RefreshFixture::Transactional).toObject().value(excluded).toInteger() > 0);
    QCOMPARE(rowCount(f.db(Uat), excluded), qint64(0));
}

void TestRefreshVerify::stagingTampered_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("counted"); // where the rows the table must hold are counted: source or target
    QTest::addColumn<QString>("why"); // empty: the table is not counted, the file's change is what Verify sees

    QTest::newRow("table the policy leaves alone")
        << RefreshFixture::Transactional << QStringLiteral("CUSTTABLE") << Prod << QString();
    QTest::newRow("keep-target table") << RefreshFixture::Transactional << QStringLiteral("SYSSERVERCONFIG") << Uat
                                       << QStringLiteral("kept the target's");
    QTest::newRow("financial-reporting database")
        << RefreshFixture::FinancialReporting << QStringLiteral("CONTROLROWDETAIL") << Prod << QString();
}

void TestRefreshVerify::stagingTampered()
{
    QFETCH(QString, role);
    QFETCH(QString, table);
    QFETCH(QString, counted);
    QFETCH(QString, why);

    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    // The rows the table must hold: the source's, or (keep-target) the target's own,
    // which nothing changes before the swap.
    const qint64 must = rowCount(f.db(counted, role), table);
    QVERIFY2(must >= 2, qPrintable(QStringLiteral("%1 holds %2 rows").arg(table).arg(must)));

    QString why2;
    QVERIFY2(refreshUntilVerify(f, &why2), qPrintable(why2));
    const QString file = staging(f, role);
    QCOMPARE(rowCount(file, table), must);
    QString error;
    QVERIFY2(TestSupport::execSqlite(
                 file,
                 {QStringLiteral("DELETE FROM %1 WHERE rowid IN (SELECT rowid FROM %1 LIMIT 2)").arg(SI::quote(table))},
                 &error),
             qPrintable(error));
    QCOMPARE(rowCount(file, table), must - 2);

    const CliRun resume = f.cli({QStringLiteral("resume"), QStringLiteral("1")});
    QVERIFY2(resume.exitedWith(1), qPrintable(resume.describe()));
    const QJsonObject op = f.operation(1);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    const QString message = op.value(QStringLiteral("error")).toString();
    // Whatever is counted, the file changed after the step that last wrote it.
    const QString changed = QStringLiteral("the staging %1 database %2 was changed after the last step that wrote it")
                                .arg(role, file);
    QVERIFY2(message.contains(changed), qPrintable(message));
    QVERIFY2(resume.errText().contains(changed), qPrintable(resume.errText()));
    QCOMPARE(message.count(QLatin1String("was changed after")), 1);
    if (why.isEmpty()) {
        QCOMPARE(message.count(QLatin1String("must hold")), 0);
    } else {
        const QString expected = QStringLiteral("table %1 of the staging %2 database holds %3 rows; it must hold %4 (")
                                     .arg(table, role)
                                     .arg(must - 2)
                                     .arg(must);
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(why), qPrintable(message));
        QVERIFY2(resume.errText().contains(expected), qPrintable(resume.errText()));
        // The only table found wrong.
        QCOMPARE(message.count(QLatin1String("must hold")), 1);
    }
    const QJsonArray steps = op.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.at(7).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QCOMPARE(steps.at(8).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("NotStarted"));

    // Nothing reached the target, and the rollback leaves nothing behind.
    QCOMPARE(f.fileHashes(Uat), before);
    const CliRun rollback = f.cli({QStringLiteral("rollback"), QStringLiteral("1")});
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshVerify::administratorRemoved()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    QString why;
    QVERIFY2(refreshUntilVerify(f, &why), qPrintable(why));
    const QString file = staging(f, RefreshFixture::Transactional);
    const QString admins = QStringLiteral("SELECT count(*) FROM USERINFO WHERE ID = 'Admin'");
    QCOMPARE(SI::value(file, admins).toLongLong(), qint64(1));
    QString error;
    QVERIFY2(TestSupport::execSqlite(file, {QStringLiteral("DELETE FROM USERINFO WHERE ID = 'Admin'")}, &error),
             qPrintable(error));
    QCOMPARE(SI::value(file, admins).toLongLong(), qint64(0));

    const CliRun resume = f.cli({QStringLiteral("resume"), QStringLiteral("1")});
    QVERIFY2(resume.exitedWith(1), qPrintable(resume.describe()));
    const QJsonObject op = f.operation(1);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    const QString message = op.value(QStringLiteral("error")).toString();
    QVERIFY2(message.contains(QLatin1String("the staging database has no administrator: no row of USERINFO where "
                                            "ID = 'Admin' (rule ")),
             qPrintable(message));
    // USERINFO lost a row too, and Verify says so as well.
    QVERIFY2(message.contains(QLatin1String("table USERINFO of the staging transactional database holds")),
             qPrintable(message));
    QCOMPARE(f.fileHashes(Uat), before);

    // A second Resume verifies again, and fails again: the check does not wear off.
    const CliRun again = f.cli({QStringLiteral("resume"), QStringLiteral("1")});
    QVERIFY2(again.exitedWith(1), qPrintable(again.describe()));
    QCOMPARE(f.operation(1).value(QStringLiteral("error")).toString(), message);
    QCOMPARE(f.fileHashes(Uat), before);
}

QTEST_GUILESS_MAIN(TestRefreshVerify)
#include "tst_refreshverify.moc"
