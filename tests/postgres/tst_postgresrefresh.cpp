// Whole refreshes between PostgreSQL environments through the real `dataalm` binary,
// on a demo project created with `dataalm demo --postgres` on the server scripts/test
// starts (DATAALM_TEST_PG_URL): env test, preflight (a cross-engine refresh is
// refused), refresh with the default data policy, exact rollback, sign off, the
// server ending the copy's sessions, kill -9 of `dataalm` mid-copy, and Verify
// failing a staging database changed behind the refresh's back.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresEngine.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace PostgresTestSupport;

class TestPostgresRefresh : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void demoDatabasesAndEnvTest();
    void demoRefusesExistingDatabases();
    void preflightRefusesCrossEngine();
    void refreshAppliesPolicyAndRollsBackExactly();
    void connectionsEndedMidCopyThenResume();
    void killedMidCopyThenResumeAndRollback();
    void verifyHoldsStagingToTheSource();
    // Last: a signed-off refresh leaves the source's pending messages in the target,
    // which blocks the next refresh into it (dmf-recurring-jobs).
    void signOffKeepsTheRestorePointUntilItIsDeleted();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 180000) const;
    QStringList refreshArgs() const;
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    // Every database the demo created for this test, and their leftovers.
    QStringList databases() const { return databasesLike(m_project + QLatin1Char('-')); }
    QByteArray targetDump() const;
    qint64 operationId(const CliRun& run) const;

    QTemporaryDir m_catalog;
    QString m_project;
};

void TestPostgresRefresh::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_project = uniqueName(QStringLiteral("pg"));
    const CliRun run =
        cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
             QStringLiteral("8"), QStringLiteral("--postgres"), url()},
            600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestPostgresRefresh::cleanupTestCase()
{
    for (const QString& name : databases())
        dropDatabase(name);
}

CliRun TestPostgresRefresh::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

QStringList TestPostgresRefresh::refreshArgs() const
{
    return {QStringLiteral("refresh"), QStringLiteral("--source"), env(QStringLiteral("prod")),
            QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--yes"), QStringLiteral("--json"),
            QStringLiteral("--catalog"), m_catalog.path()};
}

QByteArray TestPostgresRefresh::targetDump() const
{
    QString e;
    QByteArray all = dump(database(env(QStringLiteral("uat"))), &e);
    all += dump(database(env(QStringLiteral("uat-fr"))), &e);
    if (!e.isEmpty())
        qWarning("dump: %s", qPrintable(e));
    return all;
}

qint64 TestPostgresRefresh::operationId(const CliRun& run) const
{
    return run.json().object().value(QStringLiteral("id")).toInteger(-1);
}

void TestPostgresRefresh::demoDatabasesAndEnvTest()
{
    const QStringList expected{env(QStringLiteral("dev")),          env(QStringLiteral("dev-fr")),
                               env(QStringLiteral("fabrikam-uat")), env(QStringLiteral("fabrikam-uat-fr")),
                               env(QStringLiteral("prod")),         env(QStringLiteral("prod-fr")),
                               env(QStringLiteral("uat")),          env(QStringLiteral("uat-fr")),
                               env(QStringLiteral("uat2")),         env(QStringLiteral("uat2-fr"))};
    QCOMPARE(databases(), expected);
    // The same tables as the SQLite demo, with rows, views and triggers.
    const DatabaseRef prod = database(env(QStringLiteral("prod")));
    QVERIFY(value(prod, QStringLiteral("SELECT count(*) FROM \"SALESLINE\"")).toLongLong() > 1000);
    QCOMPARE(value(prod, QStringLiteral("SELECT count(*) FROM \"USERINFO\" WHERE \"ID\" = 'Admin'")),
             QStringLiteral("1"));
    QCOMPARE(value(prod, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")), QStringLiteral("2"));
    QCOMPARE(value(prod, QStringLiteral("SELECT count(*) FROM pg_views WHERE schemaname = 'public'")),
             QStringLiteral("2"));

    CliRun run = cli({QStringLiteral("env"), QStringLiteral("show"), env(QStringLiteral("uat")), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonArray dbs = run.json().object().value(QStringLiteral("databases")).toArray();
    QCOMPARE(dbs.size(), 2);
    QCOMPARE(dbs.at(0).toObject().value(QStringLiteral("driver")).toString(), QStringLiteral("postgres"));
    QCOMPARE(dbs.at(0).toObject().value(QStringLiteral("name")).toString(), env(QStringLiteral("uat")));
    QCOMPARE(dbs.at(0).toObject().value(QStringLiteral("port")).toInt(), server().port);

    run = cli({QStringLiteral("env"), QStringLiteral("test"), env(QStringLiteral("uat")), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("ok")).toBool(), true);

    // A database that went away: exit 7 with the server's own message.
    QVERIFY(exec(server(), QStringLiteral("ALTER DATABASE %1 RENAME TO %2")
                               .arg(PostgresConnection::quote(env(QStringLiteral("dev-fr"))),
                                    PostgresConnection::quote(env(QStringLiteral("dev-fr-away"))))));
    run = cli({QStringLiteral("env"), QStringLiteral("test"), env(QStringLiteral("dev"))});
    QVERIFY(exec(server(), QStringLiteral("ALTER DATABASE %1 RENAME TO %2")
                               .arg(PostgresConnection::quote(env(QStringLiteral("dev-fr-away"))),
                                    PostgresConnection::quote(env(QStringLiteral("dev-fr"))))));
    QVERIFY2(run.exitedWith(7), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QLatin1String("does not exist")), qPrintable(run.describe()));
}

void TestPostgresRefresh::demoRefusesExistingDatabases()
{
    QTemporaryDir other;
    const CliRun run = runCli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
                               QStringLiteral("1"), QStringLiteral("--postgres"), url(), QStringLiteral("--catalog"),
                               other.path()});
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("already exists")), qPrintable(run.describe()));
    // Nothing registered in the other catalog, nothing dropped on the server.
    QCOMPARE(databases().size(), 10);
    const CliRun list = runCli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json"),
                                QStringLiteral("--catalog"), other.path()});
    QCOMPARE(list.json().array().size(), 0);
}

void TestPostgresRefresh::preflightRefusesCrossEngine()
{
    // A SQLite project in the same catalog: its sandboxes cannot take a PostgreSQL source.
    CliRun run = cli({QStringLiteral("demo"), QStringLiteral("--project"), QStringLiteral("lite"),
                      QStringLiteral("--size-mb"), QStringLiteral("1")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), env(QStringLiteral("prod")),
               QStringLiteral("--target"), QStringLiteral("lite-uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QString verdict;
    QString message;
    for (const QJsonValue& c : run.json().object().value(QStringLiteral("checks")).toArray()) {
        if (c.toObject().value(QStringLiteral("id")).toString() == QLatin1String("same-engine")) {
            verdict = c.toObject().value(QStringLiteral("verdict")).toString();
            message = c.toObject().value(QStringLiteral("message")).toString();
        }
    }
    QCOMPARE(verdict, QStringLiteral("fail"));
    QVERIFY2(message.contains(QLatin1String("PostgreSQL")) && message.contains(QLatin1String("SQLite")),
             qPrintable(message));
    // And the refresh itself is blocked before anything is created.
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), env(QStringLiteral("prod")),
               QStringLiteral("--target"), QStringLiteral("lite-uat"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));

    // Same engine: the PostgreSQL preflight passes and counts the policy's rows.
    run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), env(QStringLiteral("prod")),
               QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    qint64 counted = 0;
    for (const QJsonValue& r : run.json().object().value(QStringLiteral("policy")).toArray())
        counted += r.toObject().value(QStringLiteral("rows")).toInteger();
    QVERIFY2(counted > 100, qPrintable(run.outText()));
}

void TestPostgresRefresh::refreshAppliesPolicyAndRollsBackExactly()
{
    const QByteArray before = targetDump();
    QVERIFY(!before.isEmpty());
    const DatabaseRef uat = database(env(QStringLiteral("uat")));
    const QString serverConfig = QStringLiteral("SELECT string_agg(x::text, '|' ORDER BY x.\"RECID\") FROM "
                                                "\"SYSSERVERCONFIG\" x");
    const QString uatServers = value(uat, serverConfig);
    QVERIFY(!uatServers.isEmpty());

    const CliRun run = runCli(refreshArgs(), 180000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = operationId(run);
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));

    // The target now holds the source's business rows and the policy's changes.
    const DatabaseRef prod = database(env(QStringLiteral("prod")));
    const QString lines = QStringLiteral("SELECT count(*) FROM \"SALESLINE\"");
    QCOMPARE(value(uat, lines), value(prod, lines));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM \"BATCHJOBHISTORY\"")), QStringLiteral("0"));
    QCOMPARE(value(uat, serverConfig), uatServers); // keep-target
    QCOMPARE(value(uat, QStringLiteral("SELECT \"NETWORKALIAS\" || ' ' || \"ENABLE\" FROM \"USERINFO\" WHERE \"ID\" = "
                                       "'Admin'")),
             QStringLiteral("admin@%1.onmicrosoft.com 1").arg(m_project));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM \"USERINFO\" WHERE \"ENABLE\" <> 0 AND \"ID\" NOT IN "
                                       "('Admin', 'RetailServiceAccount', 'FRServiceUser')")),
             QStringLiteral("0"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")), QStringLiteral("2"));
    const QStringList all = databases();
    QVERIFY2(all.contains(env(QStringLiteral("uat_restore_op%1")).arg(id)), qPrintable(all.join(QLatin1Char(' '))));
    QVERIFY2(all.filter(QStringLiteral("_staging_op")).isEmpty(), qPrintable(all.join(QLatin1Char(' '))));

    const CliRun rollback = cli({QStringLiteral("rollback"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QVERIFY2(targetDump() == before, "the rollback did not bring back the target exactly");
    QCOMPARE(databases().size(), 10);
}

void TestPostgresRefresh::signOffKeepsTheRestorePointUntilItIsDeleted()
{
    const CliRun run = runCli(refreshArgs(), 180000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = operationId(run);
    QCOMPARE(databases().size(), 12);
    const CliRun signoff = cli({QStringLiteral("signoff"), QString::number(id)});
    QVERIFY2(signoff.exitedWith(0), qPrintable(signoff.describe()));
    // The replaced databases stay as a restore point until it expires or is deleted.
    QCOMPARE(databases().size(), 12);
    const CliRun rollback = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(rollback.exitedWith(5), qPrintable(rollback.describe()));
    const CliRun listed = cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonArray points = listed.json().array();
    QCOMPARE(points.size(), 1);
    QCOMPARE(points.first().toObject().value(QStringLiteral("operation")).toInteger(), id);
    const CliRun removed = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
                                QString::number(points.first().toObject().value(QStringLiteral("id")).toInteger())});
    QVERIFY2(removed.exitedWith(0), qPrintable(removed.describe()));
    QCOMPARE(databases().size(), 10);
}

void TestPostgresRefresh::connectionsEndedMidCopyThenResume()
{
    const QByteArray before = targetDump();
    CliProcess p;
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("60"));
    QVERIFY(p.start(refreshArgs()));
    QVERIFY2(p.waitForErr(QStringLiteral("Copy transactional database:"), 60000), p.errSoFar().constData());
    // What a server restart or a network cut does to the copy's sessions, on both sides.
    QString e;
    QVERIFY2(exec(server(),
                  QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE (datname = %1 OR "
                                 "starts_with(datname, %2)) AND pid <> pg_backend_pid()")
                      .arg(PostgresConnection::literal(env(QStringLiteral("prod"))),
                           PostgresConnection::literal(env(QStringLiteral("uat_staging_op")))),
                  &e),
             qPrintable(e));
    const CliOutcome out = p.finish(120000);
    QVERIFY2(out.exitedWith(1), qPrintable(out.describe()));
    const QJsonObject op = out.json().object();
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QVERIFY2(op.value(QStringLiteral("error")).toString().contains(QLatin1String("terminat")),
             qPrintable(out.describe()));
    QVERIFY2(targetDump() == before, "a failed copy changed the target");
    QCOMPARE(databases().size(), 10); // the staging database was removed

    const qint64 id = op.value(QStringLiteral("id")).toInteger();
    const CliRun resume = cli({QStringLiteral("resume"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
    QCOMPARE(resume.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    const CliRun rollback = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QVERIFY(targetDump() == before);
}

void TestPostgresRefresh::killedMidCopyThenResumeAndRollback()
{
    const QByteArray before = targetDump();
    const CliOutcome killed = runCliWith(refreshArgs(),
                                         {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("copy-mid")},
                                          {QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("40")}},
                                         180000);
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    QVERIFY2(targetDump() == before, "a crash mid-copy changed the target");

    // The next command finds the operation interrupted: Failed, resumable.
    CliRun run = cli({QStringLiteral("operations"), QStringLiteral("--env"), env(QStringLiteral("uat")),
                      QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject last = run.json().array().first().toObject();
    QCOMPARE(last.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    const qint64 id = last.value(QStringLiteral("id")).toInteger();

    run = cli({QStringLiteral("resume"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QVERIFY(targetDump() != before);
    QVERIFY2(databases().filter(QStringLiteral("_staging_op")).isEmpty(), qPrintable(databases().join(QLatin1Char(' '))));

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(targetDump() == before, "rollback after a resumed refresh is not exact");
    QCOMPARE(databases().size(), 10);
}

void TestPostgresRefresh::verifyHoldsStagingToTheSource()
{
    const QByteArray before = targetDump();
    // Killed as step 8 (Verify) starts: the staging databases are copied and the policy applied.
    const CliOutcome killed =
        runCliWith(refreshArgs(), {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-8")}}, 180000);
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    CliRun run = cli({QStringLiteral("operations"), QStringLiteral("--env"), env(QStringLiteral("uat")),
                      QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = run.json().array().first().toObject().value(QStringLiteral("id")).toInteger();

    // The copy recorded the source's counts, taken in its snapshot: nothing writes to the
    // demo's source, so they are its counts now.
    run = cli({QStringLiteral("operation"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject recorded =
        run.json().object().value(QStringLiteral("params")).toObject().value(QStringLiteral("sourceRows")).toObject();
    const DatabaseRef prod = database(env(QStringLiteral("prod")));
    QJsonObject counted;
    QString e;
    QVERIFY2(PostgresEngine().tableRowCounts(prod, &counted, &e), qPrintable(e));
    QVERIFY(counted.size() > 10);
    QCOMPARE(recorded.value(QStringLiteral("transactional")).toObject(), counted);
    const qint64 lines = value(prod, QStringLiteral("SELECT count(*) FROM \"SALESLINE\"")).toLongLong();
    QVERIFY(lines > 3);
    QCOMPARE(counted.value(QStringLiteral("SALESLINE")).toInteger(), lines);

    // Behind the refresh's back: three order lines and the administrator go.
    const DatabaseRef staging = database(env(QStringLiteral("uat_staging_op%1")).arg(id));
    QVERIFY2(exec(staging,
                  QStringLiteral("DELETE FROM \"SALESLINE\" WHERE \"RECID\" IN (SELECT \"RECID\" FROM \"SALESLINE\" "
                                 "ORDER BY \"RECID\" LIMIT 3); DELETE FROM \"USERINFO\" WHERE \"ID\" = 'Admin'"),
                  &e),
             qPrintable(e));

    run = cli({QStringLiteral("resume"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    const QString error = run.json().object().value(QStringLiteral("error")).toString();
    QVERIFY2(error.contains(QStringLiteral("table SALESLINE of the staging transactional database holds %1 rows; it "
                                           "must hold %2 (the source's rows)")
                                .arg(lines - 3)
                                .arg(lines)),
             qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("the staging database has no administrator: no row of USERINFO where ID = "
                                          "'Admin'")),
             qPrintable(error));
    QVERIFY2(targetDump() == before, "a refresh that failed Verify changed the target");

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(targetDump() == before);
    QCOMPARE(databases().size(), 10);
}

QTEST_GUILESS_MAIN(TestPostgresRefresh)
#include "tst_postgresrefresh.moc"
