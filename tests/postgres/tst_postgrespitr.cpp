// True point-in-time restore of a PostgreSQL environment through pgBackRest, through the
// real `dataalm` binary, on the server scripts/test starts: its WAL is archived into the
// stanza scripts/test creates (DATAALM_TEST_PGBACKREST_CONFIG, _STANZA), a full backup is
// taken here, rows change after an instant T, and `dataalm restore --time T` puts the
// sandbox's transactional database back exactly as it was at T (pgBackRest restores that
// database alone into a temporary instance, PostgreSQL replays the WAL to T, the snapshot
// copy brings it into staging, then verify and swap as a refresh); the rollback gives back
// the database of before; nothing of the temporary instance is left. An instant outside
// the stanza's window and an environment whose server is not set up are refused with
// words, and nothing changes.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace PostgresTestSupport;

class TestPostgresPitr : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void restoreToAnInstantThenRollBack();
    void refusals();
    void temporaryInstanceFailsToStart();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 300000) const;
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    QStringList databases() const { return databasesLike(m_project + QLatin1Char('-')); }
    bool pgbackrest(const QStringList& args, QString* output) const;
    QStringList markers(const DatabaseRef& db) const;

    QTemporaryDir m_catalog;
    QString m_project;
    QString m_config;
    QString m_stanza;
    QString m_osUser;
    QStringList m_demoDatabases;
};

void TestPostgresPitr::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    m_config = qEnvironmentVariable("DATAALM_TEST_PGBACKREST_CONFIG");
    m_stanza = qEnvironmentVariable("DATAALM_TEST_PGBACKREST_STANZA");
    m_osUser = qEnvironmentVariable("DATAALM_TEST_PG_OSUSER");
    QVERIFY2(!m_config.isEmpty() && !m_stanza.isEmpty(),
             "DATAALM_TEST_PGBACKREST_CONFIG is not set: scripts/test creates a pgBackRest stanza on its server when "
             "pgbackrest is installed (packaging/debian-build-deps.txt)");
    QVERIFY(m_catalog.isValid());
    m_project = uniqueName(QStringLiteral("pt"));
    const CliRun run = cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
                            QStringLiteral("4"), QStringLiteral("--postgres"), url()},
                           600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    m_demoDatabases = databases();
    // A full backup, taken once the demo's databases exist (--db-include names them).
    QString out;
    QVERIFY2(pgbackrest({QStringLiteral("--type=full"), QStringLiteral("backup")}, &out), qPrintable(out));
}

void TestPostgresPitr::cleanupTestCase()
{
    for (const QString& name : databases())
        dropDatabase(name);
}

CliRun TestPostgresPitr::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

bool TestPostgresPitr::pgbackrest(const QStringList& args, QString* output) const
{
    QProcess p;
    const QStringList command =
        QStringList{QStringLiteral("pgbackrest"), QStringLiteral("--config=") + m_config, QStringLiteral("--stanza=") + m_stanza} +
        args;
    if (!m_osUser.isEmpty()) {
        p.setProgram(QStringLiteral("runuser"));
        p.setArguments(QStringList{QStringLiteral("-u"), m_osUser, QStringLiteral("--")} + command);
    } else {
        p.setProgram(command.first());
        p.setArguments(command.mid(1));
    }
    p.setWorkingDirectory(QStringLiteral("/"));
    p.start();
    const bool ok = p.waitForFinished(300000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    *output = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    return ok;
}

QStringList TestPostgresPitr::markers(const DatabaseRef& db) const
{
    QString e;
    const QString all = value(db, QStringLiteral("SELECT COALESCE(string_agg(x::text, ',' ORDER BY x), '') FROM pitr_marker"), &e);
    return all.isEmpty() ? QStringList() : all.split(QLatin1Char(','));
}

void TestPostgresPitr::restoreToAnInstantThenRollBack()
{
    const DatabaseRef uat = database(env(QStringLiteral("uat")));
    const DatabaseRef uatFr = database(env(QStringLiteral("uat-fr")));
    QString e;
    // The window starts just after the backup's end.
    QThread::sleep(3);
    QVERIFY2(exec(uat, QStringLiteral("CREATE TABLE pitr_marker (x integer); INSERT INTO pitr_marker VALUES (1), (2), (3)"), &e),
             qPrintable(e));
    QThread::msleep(300);
    const QString instant = value(uat, QStringLiteral("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                                                      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"));
    QThread::msleep(300);
    QVERIFY2(exec(uat, QStringLiteral("INSERT INTO pitr_marker VALUES (4); DELETE FROM pitr_marker WHERE x = 1"), &e),
             qPrintable(e));
    const QStringList after = markers(uat);
    QCOMPARE(after, (QStringList{QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")}));
    const QByteArray reporting = dump(uatFr, &e);

    CliRun run = cli({QStringLiteral("env"), QStringLiteral("pitr"), env(QStringLiteral("uat")), QStringLiteral("--stanza"),
                      m_stanza, QStringLiteral("--config"), m_config, QStringLiteral("--os-user"), m_osUser});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("restore"), QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--time"),
               instant, QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = run.json().object();
    QCOMPARE(op.value(QStringLiteral("kind")).toString(), QStringLiteral("restore"));
    QVERIFY2(op.value(QStringLiteral("steps")).toArray().at(2).toObject().value(QStringLiteral("detail")).toString().contains(
                 QStringLiteral("restored as of")),
             qPrintable(run.outText()));
    // Exactly the rows of the instant; the Financial Reporting database as it was.
    QCOMPARE(markers(uat), (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QVERIFY(dump(uatFr, &e) == reporting);
    // No temporary instance is left, and no database beside the demo's but the restore point.
    QCOMPARE(QDir::temp().entryList({QStringLiteral("dataalm-pitr-op*")}, QDir::Dirs), QStringList());
    QCOMPARE(databases().size(), m_demoDatabases.size() + 1);

    run = cli({QStringLiteral("rollback"), QString::number(op.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(markers(uat), after);
    run = cli({QStringLiteral("cleanup")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databases(), m_demoDatabases);
}

void TestPostgresPitr::refusals()
{
    const DatabaseRef dev = database(env(QStringLiteral("dev")));
    QString e;
    const QByteArray before = dump(dev, &e);
    // A server that is not set up: the sentence says how.
    CliRun run = cli({QStringLiteral("restore"), QStringLiteral("--target"), env(QStringLiteral("dev")),
                      QStringLiteral("--time"), QStringLiteral("2026-12-01T10:00:00Z"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("must archive its WAL with pgBackRest")), qPrintable(run.describe()));
    // An instant before the first backup: the window is named.
    run = cli({QStringLiteral("env"), QStringLiteral("pitr"), env(QStringLiteral("dev")), QStringLiteral("--stanza"),
               m_stanza, QStringLiteral("--config"), m_config, QStringLiteral("--os-user"), m_osUser});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("restore"), QStringLiteral("--target"), env(QStringLiteral("dev")),
               QStringLiteral("--time"), QStringLiteral("2001-01-01T00:00:00Z"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("outside that window")), qPrintable(run.describe()));
    // A stanza that does not exist.
    run = cli({QStringLiteral("env"), QStringLiteral("pitr"), env(QStringLiteral("dev")), QStringLiteral("--stanza"),
               QStringLiteral("nosuch"), QStringLiteral("--config"), m_config, QStringLiteral("--os-user"), m_osUser});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("restore"), QStringLiteral("--target"), env(QStringLiteral("dev")),
               QStringLiteral("--time"), QStringLiteral("2026-12-01T10:00:00Z"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("nosuch")), qPrintable(run.describe()));
    // Usage: --time and --point together, a time that is not one.
    run = cli({QStringLiteral("restore"), QStringLiteral("--target"), env(QStringLiteral("dev")),
               QStringLiteral("--time"), QStringLiteral("yesterday"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY(dump(dev, &e) == before);
    QCOMPARE(QDir::temp().entryList({QStringLiteral("dataalm-pitr-op*")}, QDir::Dirs), QStringList());
}

void TestPostgresPitr::temporaryInstanceFailsToStart()
{
    const DatabaseRef dev = database(env(QStringLiteral("dev")));
    QString e;
    const QByteArray before = dump(dev, &e);
    CliRun run = cli({QStringLiteral("env"), QStringLiteral("pitr"), env(QStringLiteral("dev")), QStringLiteral("--stanza"),
                      m_stanza, QStringLiteral("--config"), m_config, QStringLiteral("--os-user"), m_osUser});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QString instant = value(dev, QStringLiteral("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                                                      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"));
    // A setting the server refuses at start: the instance stops before it replays anything.
    const CliOutcome failed = runCliWith({QStringLiteral("restore"), QStringLiteral("--target"), env(QStringLiteral("dev")),
                                          QStringLiteral("--time"), instant, QStringLiteral("--yes"),
                                          QStringLiteral("--json"), QStringLiteral("--catalog"), m_catalog.path()},
                                         {{QStringLiteral("DATAALM_TEST_PITR_OPTIONS"),
                                           QStringLiteral("-c no_such_setting_of_postgres=1")}},
                                         600000);
    QVERIFY2(failed.exitedWith(1), qPrintable(failed.describe()));
    // PostgreSQL's own reason is in the sentence.
    QVERIFY2(failed.errText().contains(QStringLiteral("the temporary instance stopped")) &&
                 failed.errText().contains(QStringLiteral("no_such_setting_of_postgres")),
             qPrintable(failed.describe()));
    // Nothing is left of the instance, and the target is as it was.
    QCOMPARE(QDir::temp().entryList({QStringLiteral("dataalm-pitr-op*")}, QDir::Dirs), QStringList());
    QVERIFY(dump(dev, &e) == before);
    const qint64 id = failed.json().object().value(QStringLiteral("id")).toInteger();
    QVERIFY(id > 0);
    run = cli({QStringLiteral("abort"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(dump(dev, &e) == before);
    QCOMPARE(databases(), m_demoDatabases);
}

QTEST_GUILESS_MAIN(TestPostgresPitr)
#include "tst_postgrespitr.moc"
