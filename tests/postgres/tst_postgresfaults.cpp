// The faults of issue 6 a PostgreSQL refresh must survive, through the real `dataalm`
// binary: a statement timeout (PGOPTIONS) cancelling the copy, and the server going
// away mid-copy (pg_ctl stop -m immediate on a private server this test
// starts) and coming back. Each time: exit 1 with the server's message, promptly,
// the target untouched, the staging database removed (by the refresh, or by the
// next Resume), and Resume or Rollback works once the server is back.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "PrivatePostgresServer.h"

#include "engine/PostgresConnection.h"
#include "environment/PostgresUrl.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace PostgresTestSupport;

namespace {

// A database on the private server, as the refresh names it.
DatabaseRef databaseOn(const PrivatePostgresServer& server, const QString& name)
{
    QString e;
    const auto ref = PostgresUrl::parse(server.url(), &e);
    DatabaseRef r = ref ? *ref : DatabaseRef();
    r.role = DatabaseRef::Transactional;
    r.name = name;
    return r;
}

// The private server's databases whose names contain `text`.
QStringList databasesOn(const PrivatePostgresServer& server, const QString& text)
{
    PostgresConnection c;
    QString e;
    QList<PostgresConnection::Row> rows;
    QStringList names;
    if (c.open(databaseOn(server, QStringLiteral("postgres")), &e) &&
        c.query(QStringLiteral("SELECT datname FROM pg_database WHERE strpos(datname, $1) > 0 ORDER BY 1"), &rows, &e,
                {text})) {
        for (const auto& r : rows)
            names << r.at(0).toString();
    }
    return names;
}

} // namespace

class TestPostgresFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void statementTimeoutThenResumeOrRollback();
    void serverGoneMidCopyThenBack();

private:
    QStringList refreshArgs(const QString& catalog, const QString& project) const;
    static QByteArray targetDump(const DatabaseRef& uat, const DatabaseRef& uatFr);

    QTemporaryDir m_catalog;
    QString m_project;
};

void TestPostgresFaults::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_project = uniqueName(QStringLiteral("pgf"));
    const CliRun run = runCli({QStringLiteral("demo"), QStringLiteral("--project"), m_project,
                               QStringLiteral("--size-mb"), QStringLiteral("8"), QStringLiteral("--postgres"), url(),
                               QStringLiteral("--catalog"), m_catalog.path()},
                              600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestPostgresFaults::cleanupTestCase()
{
    if (m_project.isEmpty())
        return;
    for (const QString& name : databasesLike(m_project + QLatin1Char('-')))
        dropDatabase(name);
}

QStringList TestPostgresFaults::refreshArgs(const QString& catalog, const QString& project) const
{
    return {QStringLiteral("refresh"),  QStringLiteral("--source"),       project + QStringLiteral("-prod"),
            QStringLiteral("--target"), project + QStringLiteral("-uat"), QStringLiteral("--yes"),
            QStringLiteral("--json"),   QStringLiteral("--catalog"),      catalog};
}

QByteArray TestPostgresFaults::targetDump(const DatabaseRef& uat, const DatabaseRef& uatFr)
{
    QString e;
    QByteArray all = dump(uat, &e);
    all += dump(uatFr, &e);
    if (!e.isEmpty()) {
        qWarning("dump: %s", qPrintable(e));
        return {};
    }
    return all;
}

void TestPostgresFaults::statementTimeoutThenResumeOrRollback()
{
    const DatabaseRef uat = database(m_project + QStringLiteral("-uat"));
    const DatabaseRef uatFr = database(m_project + QStringLiteral("-uat-fr"));
    const QByteArray before = targetDump(uat, uatFr);
    QVERIFY(!before.isEmpty());
    const QString staging = m_project + QStringLiteral("-uat_staging_op");

    // Twice: the first failure is resumed (then rolled back), the second rolled back directly.
    for (int round = 0; round < 2; ++round) {
        QElapsedTimer timer;
        timer.start();
        // Every session of the refresh gets the timeout; the slowed copy outlasts it.
        const CliOutcome out = runCliWith(refreshArgs(m_catalog.path(), m_project),
                                          {{QStringLiteral("PGOPTIONS"), QStringLiteral("-c statement_timeout=1500")},
                                           {QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("300")}},
                                          120000);
        QVERIFY2(out.exitedWith(1), qPrintable(out.describe()));
        const QJsonObject op = out.json().object();
        qInfo("round %d: the refresh failed after %lld ms: %s", round, timer.elapsed(),
              qPrintable(op.value(QStringLiteral("error")).toString()));
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
        QVERIFY2(op.value(QStringLiteral("error"))
                     .toString()
                     .contains(QLatin1String("canceling statement due to statement timeout")),
                 qPrintable(out.describe()));
        QVERIFY2(targetDump(uat, uatFr) == before, "a cancelled copy changed the target");
        QVERIFY2(databasesLike(staging).isEmpty(), qPrintable(databasesLike(staging).join(QLatin1Char(' '))));

        const QString id = QString::number(op.value(QStringLiteral("id")).toInteger());
        if (round == 0) {
            const CliRun resume = runCli(
                {QStringLiteral("resume"), id, QStringLiteral("--json"), QStringLiteral("--catalog"), m_catalog.path()},
                180000);
            QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
            QCOMPARE(resume.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
            QVERIFY(targetDump(uat, uatFr) != before);
            QVERIFY(databasesLike(staging).isEmpty());
        }
        const CliRun rollback = runCli({QStringLiteral("rollback"), id, QStringLiteral("--catalog"), m_catalog.path()});
        QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
        QVERIFY2(targetDump(uat, uatFr) == before, "the rollback did not bring back the target exactly");
        QCOMPARE(databasesLike(m_project + QLatin1Char('-')).size(), 10);
    }
}

void TestPostgresFaults::serverGoneMidCopyThenBack()
{
    PrivatePostgresServer server;
    QString e;
    QVERIFY2(server.start(&e), qPrintable(e));
    QTemporaryDir catalog;
    QVERIFY(catalog.isValid());
    const QString project = QStringLiteral("gone");
    CliRun run = runCli({QStringLiteral("demo"), QStringLiteral("--project"), project, QStringLiteral("--size-mb"),
                         QStringLiteral("8"), QStringLiteral("--postgres"), server.url(), QStringLiteral("--catalog"),
                         catalog.path()},
                        300000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const DatabaseRef uat = databaseOn(server, project + QStringLiteral("-uat"));
    const DatabaseRef uatFr = databaseOn(server, project + QStringLiteral("-uat-fr"));
    const QByteArray before = targetDump(uat, uatFr);
    QVERIFY(!before.isEmpty());

    // Twice: the first failure is resumed (then rolled back), the second rolled back directly.
    for (int round = 0; round < 2; ++round) {
        CliProcess p;
        // Slow enough that the rows of the transactional database still stream when the server stops.
        p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("400"));
        QVERIFY(p.start(refreshArgs(catalog.path(), project)));
        QVERIFY2(p.waitForErr(QStringLiteral("Copy transactional database:"), 60000), p.errSoFar().constData());
        QTest::qWait(500);
        QVERIFY2(p.isRunning(), p.errSoFar().constData());
        QVERIFY2(!p.errSoFar().contains("Copy financial reporting database"), p.errSoFar().constData());
        QVERIFY2(server.stop(&e), qPrintable(e));
        QElapsedTimer timer;
        timer.start();
        const CliOutcome out = p.finish(60000);
        const qint64 failedAfter = timer.elapsed();
        QVERIFY2(out.exitedWith(1), qPrintable(out.describe()));
        QVERIFY2(failedAfter < 20000, qPrintable(QStringLiteral("the refresh took %1 ms to notice").arg(failedAfter)));
        const QJsonObject op = out.json().object();
        QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
        const QString error = op.value(QStringLiteral("error")).toString();
        qInfo("round %d: the refresh failed %lld ms after the server stopped: %s", round, failedAfter,
              qPrintable(error));
        QVERIFY2(error.startsWith(QLatin1String("Copy transactional database: copying table")), qPrintable(error));
        // The server's FATAL, or libpq's words for a server that went away mid-statement.
        QVERIFY2(error.contains(QLatin1String("terminat")) ||
                     error.contains(QLatin1String("server closed the connection")),
                 qPrintable(out.describe()));

        QVERIFY2(server.startAgain(&e), qPrintable(e));
        QVERIFY2(targetDump(uat, uatFr) == before, "a copy cut by the server's stop changed the target");
        // The refresh could not drop its staging database on a stopped server: Resume or Rollback does.
        qInfo("after the restart: %s",
              qPrintable(databasesOn(server, QStringLiteral("_staging_op")).join(QLatin1Char(' '))));

        const QString id = QString::number(op.value(QStringLiteral("id")).toInteger());
        if (round == 0) {
            run = runCli(
                {QStringLiteral("resume"), id, QStringLiteral("--json"), QStringLiteral("--catalog"), catalog.path()},
                180000);
            QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
            QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
            QVERIFY(targetDump(uat, uatFr) != before);
            QVERIFY2(databasesOn(server, QStringLiteral("_staging_op")).isEmpty(),
                     qPrintable(databasesOn(server, QStringLiteral("_staging_op")).join(QLatin1Char(' '))));
        }
        run = runCli({QStringLiteral("rollback"), id, QStringLiteral("--catalog"), catalog.path()});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        QVERIFY2(targetDump(uat, uatFr) == before, "the rollback did not bring back the target exactly");
        QVERIFY2(databasesOn(server, QStringLiteral("_staging_op")).isEmpty(),
                 qPrintable(databasesOn(server, QStringLiteral("_staging_op")).join(QLatin1Char(' '))));
    }
}

QTEST_GUILESS_MAIN(TestPostgresFaults)
#include "tst_postgresfaults.moc"
