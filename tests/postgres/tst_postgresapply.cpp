// Apply updates on PostgreSQL environments through the real `dataalm` binary, on a
// demo project created with `dataalm demo --postgres` on the server scripts/test
// starts: the application update's per-engine scripts, a byte-exact rollback
// (compared as a dump of schema and sorted rows), Abort keeping the target as it is,
// a failed check resumed after the data is fixed, a failed statement keeping nothing
// of its step, a script that tries to end the step's transaction, sign off releasing
// the restore point, a package without a PostgreSQL script blocked at "Check
// prerequisites", and refresh --reprovision.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "ZipFixture.h"

#include "engine/PostgresConnection.h"
#include "package/PackageBuilder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace PostgresTestSupport;

class TestPostgresApply : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void applicationUpdateRollsBackExactly();
    void crashAfterAStepCommittedDoesNotRunItTwice();
    void abortAfterAFailedCheckKeepsTheTargetAsItIs();
    void failedCheckResumesAfterTheDataIsFixedThenSignOff();
    void failedStatementKeepsNothingOfItsStep();
    void scriptThatEndsTheTransactionIsRefused();
    void packageWithoutPostgresScriptIsBlocked();
    void refreshWithReprovision();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 180000) const;
    CliRun apply(const QString& package) const;
    // A package named `name` with one sql step `step` whose script for `engine` is `file`.
    static QJsonObject oneStepManifest(const QString& name, const QString& step, const QString& engine,
                                       const QString& file);
    // Imports a package built from `manifest` and `files` into the project's asset library.
    void importPackage(const QJsonObject& manifest, const QMap<QString, QByteArray>& files);
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    DatabaseRef uat() const { return database(env(QStringLiteral("uat"))); }
    QString uatValue(const QString& sql) const { return value(uat(), sql); }
    QString application() const;
    // Databases of the demo's uat beyond its own two (restore points, staging copies).
    QStringList uatLeftovers() const;

    QTemporaryDir m_catalog;
    QString m_project;
};

void TestPostgresApply::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_project = uniqueName(QStringLiteral("pa"));
    const CliRun run = cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
                            QStringLiteral("4"), QStringLiteral("--postgres"), url()},
                           600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const QString& name : {QStringLiteral("Application update"), QStringLiteral("Contoso credit limit rules"),
                                QStringLiteral("Environment reprovisioning tool")}) {
        const CliRun imported = cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--shared"), name});
        QVERIFY2(imported.exitedWith(0), qPrintable(imported.describe()));
    }
}

void TestPostgresApply::cleanupTestCase()
{
    for (const QString& name : databasesLike(m_project + QLatin1Char('-')))
        dropDatabase(name);
}

CliRun TestPostgresApply::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

CliRun TestPostgresApply::apply(const QString& package) const
{
    return cli({QStringLiteral("apply"), QStringLiteral("--package"), package, QStringLiteral("--target"),
                env(QStringLiteral("uat")), QStringLiteral("--yes"), QStringLiteral("--json")});
}

QJsonObject TestPostgresApply::oneStepManifest(const QString& name, const QString& step, const QString& engine,
                                               const QString& file)
{
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), name);
    m.insert(QStringLiteral("steps"), QJsonArray{QJsonObject{{QStringLiteral("name"), step},
                                                             {QStringLiteral("sql"), QJsonObject{{engine, file}}}}});
    return m;
}

void TestPostgresApply::importPackage(const QJsonObject& manifest, const QMap<QString, QByteArray>& files)
{
    QString error;
    const auto zip = PackageBuilder::build(manifest, files, &error);
    QVERIFY2(zip, qPrintable(error));
    const QString path = QDir(m_catalog.path()).filePath(manifest.value(QStringLiteral("name")).toString() +
                                                         QStringLiteral(".zip"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(*zip) == zip->size());
    f.close();
    const CliRun run = cli({QStringLiteral("package"), QStringLiteral("import"), path});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

QString TestPostgresApply::application() const
{
    const CliRun run = cli({QStringLiteral("env"), QStringLiteral("show"), env(QStringLiteral("uat")), QStringLiteral("--json")});
    return run.json().object().value(QStringLiteral("versions")).toObject().value(QStringLiteral("application")).toString();
}

QStringList TestPostgresApply::uatLeftovers() const
{
    QStringList names = databasesLike(env(QStringLiteral("uat")));
    names.removeAll(env(QStringLiteral("uat")));
    names.removeAll(env(QStringLiteral("uat-fr")));
    names.removeAll(env(QStringLiteral("uat2")));
    names.removeAll(env(QStringLiteral("uat2-fr")));
    return names;
}

void TestPostgresApply::applicationUpdateRollsBackExactly()
{
    // The sandbox's database-level settings: its restore point is a copy that does not
    // have them, and the rollback must leave them in place.
    const QString name = PostgresConnection::quote(uat().name);
    QVERIFY(exec(server(), QStringLiteral("REVOKE CONNECT, TEMPORARY ON DATABASE %1 FROM PUBLIC; COMMENT ON DATABASE %1 "
                                          "IS 'the sandbox'; ALTER DATABASE %1 SET work_mem = '5MB'")
                               .arg(name)));
    const QString settingsSql =
        QStringLiteral("SELECT concat_ws(' | ', d.datacl::text, shobj_description(d.oid, 'pg_database'), (SELECT "
                       "array_to_string(setconfig, ';') FROM pg_db_role_setting WHERE setdatabase = d.oid AND "
                       "setrole = 0)) FROM pg_database d WHERE datname = %1")
            .arg(PostgresConnection::literal(uat().name));
    const QString settings = value(server(), settingsSql);
    QVERIFY2(settings.contains(QStringLiteral("the sandbox | work_mem=5MB")), qPrintable(settings));
    const QByteArray before = dump(uat());
    QCOMPARE(application(), QStringLiteral("10.0.40"));

    CliRun run = apply(QStringLiteral("Application update"));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = run.json().object();
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(op.value(QStringLiteral("steps")).toArray().size(), 7);
    QVERIFY2(run.errText().contains(QStringLiteral("[6/7] Verify schema: Completed")), qPrintable(run.errText()));
    // The PostgreSQL scripts ran: a rating for every customer, its history, the index.
    const QString customers = uatValue(QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\""));
    QVERIFY(customers.toLongLong() > 0);
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM \"CUSTCREDITRATINGHISTORY\"")), customers);
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\" WHERE \"CREDITRATING\" NOT IN ('A', 'B', 'C')")),
             QStringLiteral("0"));
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'CUSTCREDITRATINGHISTORY_CUSTIDX'")),
             QStringLiteral("1"));
    QCOMPARE(application(), QStringLiteral("10.0.41"));
    QCOMPARE(uatLeftovers().size(), 1); // the restore point
    QVERIFY(dump(uat()) != before);

    const QString id = QString::number(op.value(QStringLiteral("id")).toInteger());
    run = cli({QStringLiteral("rollback"), id});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(dump(uat()) == before, "the rollback did not bring back the target exactly");
    QCOMPARE(application(), QStringLiteral("10.0.40"));
    QCOMPARE(uatLeftovers(), QStringList());
    QCOMPARE(value(server(), settingsSql), settings);
}

void TestPostgresApply::crashAfterAStepCommittedDoesNotRunItTwice()
{
    const QByteArray before = dump(uat());
    // Killed after step 5 (the ratings' INSERT ... SELECT) committed, before the runbook
    // recorded it: running it again would insert every history row twice.
    const CliOutcome crashed = runCliWith(
        {QStringLiteral("apply"), QStringLiteral("--package"), QStringLiteral("Application update"),
         QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--yes"), QStringLiteral("--catalog"),
         m_catalog.path()},
        {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-5-ran")}}, 180000);
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM dataalm_step_mark")), QStringLiteral("2"));

    CliRun run = cli({QStringLiteral("operations"), QStringLiteral("--json")});
    const QString id = QString::number(run.json().array().first().toObject().value(QStringLiteral("id")).toInteger());
    run = cli({QStringLiteral("resume"), id, QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonArray steps = run.json().object().value(QStringLiteral("steps")).toArray();
    QVERIFY2(steps.at(4).toObject().value(QStringLiteral("detail")).toString().contains(
                 QStringLiteral("committed before the interruption; not run again")),
             qPrintable(run.outText()));
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM \"CUSTCREDITRATINGHISTORY\"")),
             uatValue(QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\"")));
    QCOMPARE(uatValue(QStringLiteral("SELECT to_regclass('dataalm_step_mark') IS NULL")), QStringLiteral("true"));
    QVERIFY2(cli({QStringLiteral("rollback"), id}).exitedWith(0), "rollback");
    QVERIFY2(dump(uat()) == before, "the rollback did not bring back the target exactly");
    QCOMPARE(uatLeftovers(), QStringList());
}

void TestPostgresApply::abortAfterAFailedCheckKeepsTheTargetAsItIs()
{
    // The demo has customers with a negative credit limit: the customization's check fails.
    QVERIFY(uatValue(QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\" WHERE \"CREDITMAX\" < 0")).toLongLong() > 0);
    const QByteArray before = dump(uat());
    CliRun run = apply(QStringLiteral("Contoso credit limit rules"));
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QVERIFY2(run.json().object().value(QStringLiteral("error")).toString().contains(
                 QStringLiteral("the check scripts/01-check-credit-limits.postgres.sql returned 0")),
             qPrintable(run.describe()));
    QCOMPARE(uatLeftovers().size(), 1);

    const QString id = QString::number(run.json().object().value(QStringLiteral("id")).toInteger());
    run = cli({QStringLiteral("abort"), id});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(dump(uat()) == before, "abort after a check changed the target");
    QCOMPARE(uatLeftovers(), QStringList());
}

void TestPostgresApply::failedCheckResumesAfterTheDataIsFixedThenSignOff()
{
    CliRun run = apply(QStringLiteral("Contoso credit limit rules"));
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    const QString id = QString::number(run.json().object().value(QStringLiteral("id")).toInteger());
    QString error;
    QVERIFY2(exec(uat(), QStringLiteral("UPDATE \"CUSTTABLE\" SET \"CREDITMAX\" = 0 WHERE \"CREDITMAX\" < 0"), &error),
             qPrintable(error));
    run = cli({QStringLiteral("resume"), id, QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    // The trigger function (a dollar-quoted body full of semicolons) works.
    QVERIFY(!exec(uat(), QStringLiteral("UPDATE \"CUSTTABLE\" SET \"CREDITMAX\" = -1"), &error));
    QVERIFY2(error.contains(QStringLiteral("credit limit must not be negative; use 0 for none")), qPrintable(error));
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'CUSTTABLE_CREDITMAX_%'")),
             QStringLiteral("2"));

    QCOMPARE(uatLeftovers().size(), 1);
    run = cli({QStringLiteral("signoff"), id});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // Signed off, the copy stays as a restore point until it expires or is deleted.
    QCOMPARE(uatLeftovers().size(), 1);
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    QJsonObject point;
    for (const QJsonValue& v : run.json().array()) {
        if (v.toObject().value(QStringLiteral("operation")).toInteger() == id.toLongLong())
            point = v.toObject();
    }
    QCOMPARE(point.value(QStringLiteral("operation")).toInteger(), id.toLongLong());
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
               QString::number(point.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(uatLeftovers(), QStringList());
    run = cli({QStringLiteral("rollback"), id});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
}

void TestPostgresApply::failedStatementKeepsNothingOfItsStep()
{
    const QByteArray before = dump(uat());
    // Customers share e-mail addresses: the unique index fails after two statements ran.
    const QJsonObject m = oneStepManifest(QStringLiteral("Unique customer e-mail"), QStringLiteral("Index e-mail"), QStringLiteral("postgres"),
                                          QStringLiteral("scripts/01.postgres.sql"));
    importPackage(m, {{QStringLiteral("scripts/01.postgres.sql"),
                       "CREATE TABLE \"CUSTEMAILAUDIT\" (\"RECID\" bigint PRIMARY KEY, \"NOTE\" text);\n"
                       "UPDATE \"CUSTTABLE\" SET \"NAME\" = \"NAME\" || ' (checked; ok)' WHERE \"DATAAREAID\" <> :environment;\n"
                       "CREATE UNIQUE INDEX \"CUSTTABLE_EMAILIDX\" ON \"CUSTTABLE\" (\"EMAIL\");\n"}});
    CliRun run = apply(QStringLiteral("Unique customer e-mail"));
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    const QString message = run.json().object().value(QStringLiteral("error")).toString();
    QVERIFY2(message.contains(QStringLiteral("statement 3 (CREATE UNIQUE INDEX \"CUSTTABLE_EMAILIDX\"")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("could not create unique index")), qPrintable(message));
    QVERIFY2(dump(uat()) == before, "a failed step kept some of its statements");

    const QString id = QString::number(run.json().object().value(QStringLiteral("id")).toInteger());
    run = cli({QStringLiteral("rollback"), id});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(dump(uat()) == before);
    QCOMPARE(uatLeftovers(), QStringList());
}

void TestPostgresApply::scriptThatEndsTheTransactionIsRefused()
{
    const QByteArray before = dump(uat());
    const QJsonObject m = oneStepManifest(QStringLiteral("Commits halfway"), QStringLiteral("Half"), QStringLiteral("postgres"),
                                          QStringLiteral("scripts/01.postgres.sql"));
    importPackage(m, {{QStringLiteral("scripts/01.postgres.sql"),
                       "DELETE FROM \"CUSTTABLE\";\n/* done; */ COMMIT;\nDELETE FROM \"VENDTABLE\";\n"}});
    CliRun run = apply(QStringLiteral("Commits halfway"));
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    const QString message = run.json().object().value(QStringLiteral("error")).toString();
    QVERIFY2(message.contains(QStringLiteral("statement 2 (/* done; */ COMMIT): a step runs in one transaction")),
             qPrintable(message));
    QVERIFY2(dump(uat()) == before, "a refused script changed the target");
    const QString id = QString::number(run.json().object().value(QStringLiteral("id")).toInteger());
    QVERIFY2(cli({QStringLiteral("rollback"), id}).exitedWith(0), "rollback");
    QCOMPARE(uatLeftovers(), QStringList());
}

void TestPostgresApply::packageWithoutPostgresScriptIsBlocked()
{
    const QJsonObject m = oneStepManifest(QStringLiteral("SQLite only"), QStringLiteral("Lite step"), QStringLiteral("sqlite"),
                                          QStringLiteral("scripts/01.sqlite.sql"));
    importPackage(m, {{QStringLiteral("scripts/01.sqlite.sql"), "DELETE FROM CUSTTABLE;\n"}});
    const QByteArray before = dump(uat());
    const CliRun run = apply(QStringLiteral("SQLite only"));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    QVERIFY2(run.errText().contains(QStringLiteral("step 'Lite step' has no script for PostgreSQL")),
             qPrintable(run.errText()));
    QVERIFY(dump(uat()) == before);
    QCOMPARE(uatLeftovers(), QStringList()); // no restore point was made
}

void TestPostgresApply::refreshWithReprovision()
{
    QString error;
    QVERIFY2(exec(uat(), QStringLiteral("UPDATE \"RETAILDEVICE\" SET \"ACTIVATIONSTATUS\" = 1, \"TOKEN\" = 'x'"), &error),
             qPrintable(error));
    const CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), env(QStringLiteral("prod")),
                            QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--yes"),
                            QStringLiteral("--reprovision")},
                           600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QStringLiteral("Apply updates")), qPrintable(run.outText()));
    // :environment was bound as a value: the uat's own id in the connection string.
    QCOMPARE(uatValue(QStringLiteral("SELECT \"CONNECTIONSTRING\" FROM \"RETAILCONNDATABASEPROFILE\" WHERE \"NAME\" = "
                                     "'Default'")),
             QStringLiteral("Server=tcp:%1-csu.database.windows.net;Database=%1-channel;Authentication=Active "
                            "Directory Managed Identity")
                 .arg(env(QStringLiteral("uat"))));
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM \"RETAILDEVICE\" WHERE \"ACTIVATIONSTATUS\" <> 0 OR \"TOKEN\" "
                                     "<> ''")),
             QStringLiteral("0"));
    QCOMPARE(uatValue(QStringLiteral("SELECT count(*) FROM \"RETAILSELFSERVICEPACKAGEINFO\"")), QStringLiteral("0"));
}

QTEST_GUILESS_MAIN(TestPostgresApply)
#include "tst_postgresapply.moc"
