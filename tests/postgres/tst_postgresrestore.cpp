// Restore points and Point-in-time restore between PostgreSQL environments, through the
// real `dataalm` binary, on a demo project created with `dataalm demo --postgres` on the
// server scripts/test starts (DATAALM_TEST_PG_URL): a restore point is a database beside
// the environment's on the same server, copied from one snapshot; a restore puts the
// transactional database back as it was (Financial Reporting left as it is), a rollback
// undoes it; production's restore point goes into a sandbox with the data policy; a
// restore point killed between its copies or deleted leaves no database behind; a restore point on
// PostgreSQL cannot go into a SQLite environment.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace PostgresTestSupport;

class TestPostgresRestore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void restoreToItsOwnRestorePointAndRollBack();
    void productionToSandboxAppliesThePolicy();
    void killedWhileCreatingLeavesNoDatabase();
    void crossEngineIsRefused();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 180000) const;
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    QStringList databases() const { return databasesLike(m_project + QLatin1Char('-')); }
    qint64 createPoint(const QString& environment, QString* why) const;
    QStringList restoreArgs(const QString& target, qint64 point) const;

    QTemporaryDir m_catalog;
    QString m_project;
    QStringList m_demoDatabases;
};

void TestPostgresRestore::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_project = uniqueName(QStringLiteral("pr"));
    const CliRun run =
        cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
             QStringLiteral("4"), QStringLiteral("--postgres"), url()},
            600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    m_demoDatabases = databases();
    QCOMPARE(m_demoDatabases.size(), 10);
}

void TestPostgresRestore::cleanupTestCase()
{
    for (const QString& name : databases())
        dropDatabase(name);
}

CliRun TestPostgresRestore::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

qint64 TestPostgresRestore::createPoint(const QString& environment, QString* why) const
{
    const CliRun run = cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                            environment, QStringLiteral("--json")});
    if (!run.exitedWith(0)) {
        *why = run.describe();
        return 0;
    }
    return run.json().object().value(QStringLiteral("id")).toInteger();
}

QStringList TestPostgresRestore::restoreArgs(const QString& target, qint64 point) const
{
    return {QStringLiteral("restore"), QStringLiteral("--target"), target, QStringLiteral("--point"),
            QString::number(point), QStringLiteral("--yes"), QStringLiteral("--json")};
}

void TestPostgresRestore::restoreToItsOwnRestorePointAndRollBack()
{
    const DatabaseRef uat = database(env(QStringLiteral("uat")));
    const DatabaseRef uatFr = database(env(QStringLiteral("uat-fr")));
    QString e;
    const QByteArray atThePoint = dump(uat, &e);
    QVERIFY2(!atThePoint.isEmpty(), qPrintable(e));
    QString why;
    const qint64 point = createPoint(env(QStringLiteral("uat")), &why);
    QVERIFY2(point > 0, qPrintable(why));
    // Its copies are databases beside the environment's, on the same server.
    const QStringList withPoint = databases();
    QCOMPARE(withPoint.size(), 12);
    QVERIFY2(withPoint.contains(env(QStringLiteral("uat_rp%1")).arg(point)), qPrintable(withPoint.join(QLatin1Char(' '))));
    QCOMPARE(dump(database(env(QStringLiteral("uat_rp%1")).arg(point)), &e), atThePoint);

    QVERIFY(exec(uat, QStringLiteral("DELETE FROM \"CUSTTABLE\" WHERE ctid IN (SELECT ctid FROM \"CUSTTABLE\" LIMIT 5)"),
                 &e));
    const QByteArray mistaken = dump(uat, &e);
    QVERIFY(mistaken != atThePoint);
    const QByteArray reporting = dump(uatFr, &e);

    CliRun run = cli(restoreArgs(env(QStringLiteral("uat")), point));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    QVERIFY(dump(uat, &e) == atThePoint);
    QVERIFY(dump(uatFr, &e) == reporting);

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(dump(uat, &e) == mistaken);
    // The restore's own restore point went back into the target; the manual one stays.
    run = cli({QStringLiteral("cleanup")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databases(), withPoint);

    run = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QString::number(point)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databases(), m_demoDatabases);
}

void TestPostgresRestore::productionToSandboxAppliesThePolicy()
{
    const DatabaseRef prod = database(env(QStringLiteral("prod")));
    const DatabaseRef uat = database(env(QStringLiteral("uat")));
    QString why;
    const qint64 point = createPoint(env(QStringLiteral("prod")), &why);
    QVERIFY2(point > 0, qPrintable(why));
    QString e;
    const QString customers = value(prod, QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\""));
    QVERIFY(exec(prod, QStringLiteral("DELETE FROM \"CUSTTABLE\" WHERE ctid IN (SELECT ctid FROM \"CUSTTABLE\" LIMIT 5)"),
                 &e));
    const QString uatAdmin = value(uat, QStringLiteral("SELECT \"NETWORKALIAS\" FROM \"USERINFO\" WHERE \"ID\" = 'Admin'"));

    CliRun run = cli(restoreArgs(env(QStringLiteral("uat")), point));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("source")).toString(), env(QStringLiteral("prod")));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\"")), customers);
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM \"BATCHJOBHISTORY\"")), QStringLiteral("0"));
    QCOMPARE(value(uat, QStringLiteral("SELECT \"NETWORKALIAS\" FROM \"USERINFO\" WHERE \"ID\" = 'Admin'")), uatAdmin);

    // Signed off, what it replaced stays a restore point; deleted, its database goes.
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    QVERIFY2(cli({QStringLiteral("signoff"), QString::number(id)}).exitedWith(0), "signoff");
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonArray points = run.json().array();
    QCOMPARE(points.size(), 2);
    for (const QJsonValue& v : points) {
        run = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
                   QString::number(v.toObject().value(QStringLiteral("id")).toInteger())});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    QCOMPARE(databases(), m_demoDatabases);
}

void TestPostgresRestore::killedWhileCreatingLeavesNoDatabase()
{
    const CliOutcome killed =
        runCliWith({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                    env(QStringLiteral("uat")), QStringLiteral("--catalog"), m_catalog.path()},
                   {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("restorepoint-copied-one")}}, 180000);
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    CliRun run = cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().size(), 1);
    QCOMPARE(run.json().array().first().toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("Creating"));
    // The transactional database's copy was whole when the process died.
    QCOMPARE(databases().size(), 11);
    run = cli({QStringLiteral("cleanup")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().size(), 0);
    QCOMPARE(databases(), m_demoDatabases);
}

void TestPostgresRestore::crossEngineIsRefused()
{
    // A SQLite sandbox of the same project and tenant, registered beside the PostgreSQL ones.
    QTemporaryDir files;
    const QString path = files.filePath(QStringLiteral("uat.db"));
    QFile(path).open(QIODevice::WriteOnly);
    CliRun run = cli({QStringLiteral("env"), QStringLiteral("add"), QStringLiteral("lite-uat"), QStringLiteral("--project"),
                      m_project, QStringLiteral("--type"), QStringLiteral("sandbox"), QStringLiteral("--tenant"),
                      QStringLiteral("contoso.onmicrosoft.com"), QStringLiteral("--admin"),
                      QStringLiteral("admin@contoso.onmicrosoft.com"), QStringLiteral("--application"),
                      QStringLiteral("10.0.40"), QStringLiteral("--platform"), QStringLiteral("64"),
                      QStringLiteral("--db"), QStringLiteral("transactional=sqlite://") + path});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QString why;
    const qint64 point = createPoint(env(QStringLiteral("prod")), &why);
    QVERIFY2(point > 0, qPrintable(why));
    run = cli(restoreArgs(QStringLiteral("lite-uat"), point));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("a restore cannot cross engines")), qPrintable(run.describe()));
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QString::number(point)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databases(), m_demoDatabases);
}

QTEST_GUILESS_MAIN(TestPostgresRestore)
#include "tst_postgresrestore.moc"
