// The faults of issue 6 a PostgreSQL refresh must survive, through the real `dataalm`
// binary: a statement timeout (PGOPTIONS) cancelling the copy, and the server going
// away mid-copy (pg_ctl stop -m immediate on a second throwaway server this test
// starts) and coming back. Each time: exit 1 with the server's message, promptly,
// the target untouched, the staging database removed (by the refresh, or by the
// next Resume), and Resume or Rollback works once the server is back.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "environment/PostgresUrl.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace PostgresTestSupport;

namespace {

// The newest PostgreSQL server's bin folder (initdb, pg_ctl), or empty.
QString serverBinDir()
{
    QStringList found;
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    for (const QString& v : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (QFileInfo(root.filePath(v + QStringLiteral("/bin/initdb"))).isExecutable())
            found << v;
    }
    std::sort(found.begin(), found.end(), [](const QString& a, const QString& b) { return a.toInt() < b.toInt(); });
    return found.isEmpty() ? QString() : root.filePath(found.last() + QStringLiteral("/bin"));
}

// A TCP port of 127.0.0.1 nothing listens on at the moment.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof(a);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

// A throwaway PostgreSQL server of this test alone, in a temporary folder: trust
// authentication, 127.0.0.1 only, a free port, its unix socket in the folder. As
// root, initdb and the server run as the postgres user (they refuse root). The
// destructor stops it (immediate) and the folder goes with it.
class ThrowawayServer
{
public:
    ~ThrowawayServer()
    {
        if (m_started)
            pgCtl({QStringLiteral("stop"), QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w")});
    }

    bool init(QString* error)
    {
        m_bin = serverBinDir();
        if (m_bin.isEmpty()) {
            *error = QStringLiteral("no PostgreSQL server under /usr/lib/postgresql");
            return false;
        }
        if (!m_dir.isValid()) {
            *error = m_dir.errorString();
            return false;
        }
        if (::geteuid() == 0) {
            const passwd* pw = ::getpwnam("postgres");
            if (!pw || ::chown(QFile::encodeName(m_dir.path()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                *error = QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
                return false;
            }
            m_runAs = {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--")};
        }
        if (!run(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QStringLiteral("postgres"),
                  QStringLiteral("--auth=trust"), QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C"),
                  QStringLiteral("--no-sync")},
                 error))
            return false;
        QFile conf(dataDir() + QStringLiteral("/postgresql.conf"));
        if (!conf.open(QIODevice::Append)) {
            *error = conf.errorString();
            return false;
        }
        conf.write(QStringLiteral("listen_addresses = '127.0.0.1'\nunix_socket_directories = '%1'\nfsync = off\n"
                                  "synchronous_commit = off\nfull_page_writes = off\n")
                       .arg(m_dir.path())
                       .toUtf8());
        conf.close();
        for (int attempt = 0; attempt < 5 && !m_started; ++attempt) {
            m_port = freePort();
            m_started = start(error);
        }
        return m_started;
    }

    bool start(QString* error)
    {
        m_started = pgCtl({QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                           QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-o"),
                           QStringLiteral("-p %1").arg(m_port)},
                          error);
        return m_started;
    }

    bool stopImmediately(QString* error)
    {
        const bool ok = pgCtl(
            {QStringLiteral("stop"), QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w")}, error);
        m_started = !ok;
        return ok;
    }

    QString url() const { return QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(m_port); }

    DatabaseRef database(const QString& name) const
    {
        QString e;
        const auto ref = PostgresUrl::parse(url(), &e);
        DatabaseRef r = ref ? *ref : DatabaseRef();
        r.role = DatabaseRef::Transactional;
        r.name = name;
        return r;
    }

    QStringList databasesLike(const QString& text) const
    {
        PostgresConnection c;
        QString e;
        QList<PostgresConnection::Row> rows;
        QStringList names;
        if (c.open(database(QStringLiteral("postgres")), &e) &&
            c.query(QStringLiteral("SELECT datname FROM pg_database WHERE strpos(datname, $1) > 0 ORDER BY 1"), &rows,
                    &e, {text})) {
            for (const auto& r : rows)
                names << r.at(0).toString();
        }
        return names;
    }

private:
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }

    bool pgCtl(const QStringList& args, QString* error = nullptr)
    {
        return run(QStringLiteral("pg_ctl"), QStringList{QStringLiteral("-D"), dataDir()} + args, error);
    }

    bool run(const QString& tool, const QStringList& args, QString* error)
    {
        QProcess p;
        const QString program = m_bin + QLatin1Char('/') + tool;
        if (m_runAs.isEmpty())
            p.start(program, args);
        else
            p.start(QStringLiteral("runuser"), m_runAs + QStringList{program} + args);
        const bool ok = p.waitForFinished(90000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        if (!ok && error)
            *error = QStringLiteral("%1 failed: %2%3")
                         .arg(tool, QString::fromUtf8(p.readAllStandardError()),
                              QString::fromUtf8(p.readAllStandardOutput()));
        return ok;
    }

    QTemporaryDir m_dir;
    QString m_bin;
    QStringList m_runAs;
    int m_port = 0;
    bool m_started = false;
};

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
    ThrowawayServer server;
    QString e;
    QVERIFY2(server.init(&e), qPrintable(e));
    QTemporaryDir catalog;
    QVERIFY(catalog.isValid());
    const QString project = QStringLiteral("gone");
    CliRun run = runCli({QStringLiteral("demo"), QStringLiteral("--project"), project, QStringLiteral("--size-mb"),
                         QStringLiteral("8"), QStringLiteral("--postgres"), server.url(), QStringLiteral("--catalog"),
                         catalog.path()},
                        300000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const DatabaseRef uat = server.database(project + QStringLiteral("-uat"));
    const DatabaseRef uatFr = server.database(project + QStringLiteral("-uat-fr"));
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
        QVERIFY2(server.stopImmediately(&e), qPrintable(e));
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

        QVERIFY2(server.start(&e), qPrintable(e));
        QVERIFY2(targetDump(uat, uatFr) == before, "a copy cut by the server's stop changed the target");
        // The refresh could not drop its staging database on a stopped server: Resume or Rollback does.
        qInfo("after the restart: %s",
              qPrintable(server.databasesLike(QStringLiteral("_staging_op")).join(QLatin1Char(' '))));

        const QString id = QString::number(op.value(QStringLiteral("id")).toInteger());
        if (round == 0) {
            run = runCli(
                {QStringLiteral("resume"), id, QStringLiteral("--json"), QStringLiteral("--catalog"), catalog.path()},
                180000);
            QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
            QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
            QVERIFY(targetDump(uat, uatFr) != before);
            QVERIFY2(server.databasesLike(QStringLiteral("_staging_op")).isEmpty(),
                     qPrintable(server.databasesLike(QStringLiteral("_staging_op")).join(QLatin1Char(' '))));
        }
        run = runCli({QStringLiteral("rollback"), id, QStringLiteral("--catalog"), catalog.path()});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        QVERIFY2(targetDump(uat, uatFr) == before, "the rollback did not bring back the target exactly");
        QVERIFY2(server.databasesLike(QStringLiteral("_staging_op")).isEmpty(),
                 qPrintable(server.databasesLike(QStringLiteral("_staging_op")).join(QLatin1Char(' '))));
    }
}

QTEST_GUILESS_MAIN(TestPostgresFaults)
#include "tst_postgresfaults.moc"
