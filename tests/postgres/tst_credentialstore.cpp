// Database credentials in a team catalog (seed 003). The environments' databases live on
// a private PostgreSQL server that wants a password over TCP; the catalog is on the
// throwaway server of scripts/test. Without a credential the agent's refresh fails with
// the server's "password authentication failed"; once an Environment manager keeps the
// password in the catalog (read from standard input), the agent resumes it and it
// completes. A Project owner or Environment manager reveals a sandbox's password with a
// reason (audited); production's and a Team member's reveal are refused, by the CLI and
// by the server to raw SQL. Then every file the test leaves behind (the files folder,
// the logs, the runbook archive's entries), every CLI output and the catalog's text
// columns are searched for the password: it is nowhere. An agent holding it leaves no
// core dump (RLIMIT_CORE 0).
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "PrivatePostgresServer.h"
#include "TeamFixture.h"
#include "ZipEntries.h"

#include "catalog/Catalog.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

namespace {
const QByteArray Secret = "Zq7-credential-Secret-9841";
}

class TestCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void agentNeedsTheKeptPassword();
    void revealedOnlyOutsideProductionWithAReason();
    void thePasswordIsNowhereElse();

private:
    QString urlAs(const QString& login) const { return m_team.urlAs(login); }
    CliRun cliAs(const QString& login, const QStringList& args);
    std::unique_ptr<Catalog> connectAs(const QString& login) { return m_team.connectAs(login); }
    QString value(const QString& sql) { return m_team.value(sql); }
    // Runs `agent --once` as the agent login.
    bool agentOnce();

    PrivatePostgresServer m_envServer;
    QTemporaryDir m_files;
    QTemporaryDir m_state;
    TeamFixture m_team{QStringLiteral("dataalm_credentials_")};
    QList<CliRun> m_runs; // every CLI run, to search their outputs
    qint64 m_refresh = 0;
};

CliRun TestCredentialStore::cliAs(const QString& login, const QStringList& args)
{
    CliRun run = m_team.cliAs(login, args);
    m_runs.append(run);
    return run;
}

bool TestCredentialStore::agentOnce()
{
    CliOutcome outcome;
    const bool ok = m_team.agentOnce(m_team.login(QStringLiteral("agent")), &outcome.err);
    m_runs.append(outcome);
    return ok;
}

void TestCredentialStore::initTestCase()
{
    QVERIFY(m_files.isValid() && m_state.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    qputenv("DATAALM_STATE_DIR", m_state.path().toLocal8Bit());
    // Nobody's ~/.pgpass or PGPASSWORD helps: the password is the catalog's to give.
    qputenv("PGPASSFILE", m_files.filePath(QStringLiteral("no-pgpass")).toLocal8Bit());
    qunsetenv("PGPASSWORD");
    QString error;
    m_envServer.requirePasswords();
    QVERIFY2(m_envServer.start(&error), qPrintable(error));
    QVERIFY2(m_envServer.execLocal(QStringLiteral("ALTER ROLE postgres PASSWORD '%1'").arg(QString::fromLatin1(Secret)),
                                   &error),
             qPrintable(error));

    QVERIFY2(m_team.create({QStringLiteral("owner"), QStringLiteral("manager"), QStringLiteral("member"),
                            QStringLiteral("agent")},
                           &error),
             qPrintable(error));
    // The demo's databases on the password server: made with the password given once, for the demo alone.
    qputenv("PGPASSWORD", Secret);
    const CliRun run = m_team.demo({QStringLiteral("--postgres"), m_envServer.url()});
    m_runs.append(run);
    qunsetenv("PGPASSWORD");
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const auto& [who, role] : {std::pair{"owner", "ProjectOwner"}, std::pair{"manager", "EnvironmentManager"},
                                    std::pair{"member", "TeamMember"}, std::pair{"agent", "Agent"}})
        QVERIFY2(m_team.addMember(QLatin1String(who), QLatin1String(role), &error), qPrintable(error));
}

void TestCredentialStore::cleanupTestCase()
{
}

void TestCredentialStore::agentNeedsTheKeptPassword()
{
    const QString member = m_team.login(QStringLiteral("member"));
    CliRun run = cliAs(member, {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                                QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                                QStringLiteral("--no-wait"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("id")).toInteger();
    QVERIFY(request > 0);
    // No credential yet: the server wants a password nobody gives.
    QVERIFY(agentOnce());
    const QString failed =
        value(QStringLiteral("SELECT state || ': ' || error FROM operations WHERE request_id = %1").arg(request));
    QVERIFY2(failed.startsWith(QStringLiteral("Aborted: Blocked: Cannot open")) &&
                 failed.contains(QStringLiteral("no password supplied")),
             qPrintable(failed));

    // A Team member may not keep one; an Environment manager may, read from standard input.
    run = runCliWithInput({QStringLiteral("--catalog"), urlAs(member), QStringLiteral("env"), QStringLiteral("credential"),
                           QStringLiteral("set"), QStringLiteral("contoso-uat")},
                          Secret + '\n');
    m_runs.append(run);
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("nly a Project owner or an Environment manager of its project sets")),
             qPrintable(run.describe()));
    for (const QString& env : {QStringLiteral("contoso-uat"), QStringLiteral("contoso-prod")}) {
        run = runCliWithInput({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("manager"))),
                               QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("set"), env},
                              Secret + '\n');
        m_runs.append(run);
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    run = cliAs(member, {QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("list"),
                         QStringLiteral("contoso-uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonArray kept = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(kept.size(), 1);
    QCOMPARE(kept.at(0).toObject().value(QStringLiteral("login")).toString(), QStringLiteral("postgres"));
    QCOMPARE(kept.at(0).toObject().value(QStringLiteral("setBy")).toString(), m_team.login(QStringLiteral("manager")));

    // The member asks again, and watches: an agent now connects with the kept password.
    CliProcess again;
    QVERIFY(again.start({QStringLiteral("--catalog"), urlAs(member), QStringLiteral("refresh"), QStringLiteral("--source"),
                         QStringLiteral("contoso-prod"), QStringLiteral("--target"), QStringLiteral("contoso-uat"),
                         QStringLiteral("--yes"), QStringLiteral("--json")}));
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("agent"))),
                         QStringLiteral("agent")}));
    const CliOutcome ran = again.finish(300000);
    m_runs.append(ran);
    QVERIFY2(ran.exitedWith(0), qPrintable(QString::fromUtf8(ran.err) + value(QStringLiteral(
                                                                            "SELECT string_agg(id || ' ' || state || ' ' || error, '; ') FROM operations"))));
    m_refresh = QJsonDocument::fromJson(ran.out).object().value(QStringLiteral("id")).toInteger();
    QVERIFY(m_refresh > 0);
    QCOMPARE(value(QStringLiteral("SELECT state FROM operations WHERE id = %1").arg(m_refresh)), QStringLiteral("Completed"));
    // The agent holding a password leaves no core dump.
    QFile limits(QStringLiteral("/proc/%1/limits").arg(agent.pid()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    const QString coreLimit = QString::fromLatin1(limits.readAll()).section(QStringLiteral("Max core file size"), 1).section(
        QLatin1Char('\n'), 0, 0);
    QVERIFY2(coreLimit.simplified().startsWith(QStringLiteral("0 0")), qPrintable(coreLimit));
    agent.sendSignal(SIGTERM);
    const CliOutcome stopped = agent.finish(30000);
    m_runs.append(stopped);
    QVERIFY(stopped.exitedWith(0));
    QVERIFY(value(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'credential.use' AND who = '%1'")
                      .arg(m_team.login(QStringLiteral("agent"))))
                .toInt() >= 1);
}

void TestCredentialStore::revealedOnlyOutsideProductionWithAReason()
{
    const QString manager = m_team.login(QStringLiteral("manager"));
    CliRun run = cliAs(manager, {QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("reveal"),
                                 QStringLiteral("contoso-uat"), QStringLiteral("--reason"),
                                 QStringLiteral("tracing a slow query")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.out, Secret + '\n');
    m_runs.removeLast(); // its stdout is the one place the password may be
    QCOMPARE(value(QStringLiteral("SELECT who || ': ' || detail FROM audit WHERE action = 'credential.reveal'")),
             QStringLiteral("%1: the password of postgres for the transactional database: tracing a slow query").arg(manager));
    // Without a reason; production's; a Team member's; a Project owner's of production.
    run = cliAs(manager, {QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("reveal"),
                          QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = cliAs(manager, {QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("reveal"),
                          QStringLiteral("contoso-prod"), QStringLiteral("--reason"), QStringLiteral("curious")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("are for its agents alone")), qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("owner")), {QStringLiteral("env"), QStringLiteral("credential"),
                                                          QStringLiteral("reveal"), QStringLiteral("contoso-prod"),
                                                          QStringLiteral("--reason"), QStringLiteral("audit")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("member")), {QStringLiteral("env"), QStringLiteral("credential"),
                                                           QStringLiteral("reveal"), QStringLiteral("contoso-uat"),
                                                           QStringLiteral("--reason"), QStringLiteral("curious")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    // What psql would try: the column is granted to nobody, the function asks the same questions.
    for (const QString& login : {manager, m_team.login(QStringLiteral("member")), m_team.login(QStringLiteral("owner"))}) {
        auto own = connectAs(login);
        QVERIFY(own);
        QSqlQuery q(own->database());
        QVERIFY(!q.exec(QStringLiteral("SELECT secret FROM environment_credentials")));
        QVERIFY2(q.lastError().text().contains(QStringLiteral("permission denied")), qPrintable(q.lastError().text()));
        QSqlQuery f(own->database());
        QVERIFY(!f.exec(QStringLiteral("SELECT dataalm_reveal_credential('contoso-prod', 'transactional', 'x')")));
        QSqlQuery u(own->database());
        QVERIFY(!u.exec(QStringLiteral("UPDATE environment_credentials SET login = 'x'")));
    }
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'credential.reveal'")), QStringLiteral("1"));
}

void TestCredentialStore::thePasswordIsNowhereElse()
{
    QVERIFY(m_refresh > 0);
    // The runbook archive, entry by entry (it is compressed).
    const QString zip = m_state.filePath(QStringLiteral("logs.zip"));
    const CliRun logs = cliAs(m_team.login(QStringLiteral("member")),
                              {QStringLiteral("logs"), QString::number(m_refresh), QStringLiteral("--out"), zip});
    QVERIFY2(logs.exitedWith(0), qPrintable(logs.describe()));
    QString error;
    const QMap<QString, QByteArray> entries = zipEntries(zip, &error);
    QVERIFY2(!entries.isEmpty(), qPrintable(error));
    for (auto it = entries.begin(); it != entries.end(); ++it)
        QVERIFY2(!it.value().contains(Secret), qPrintable(it.key()));
    QVERIFY(entries.value(QStringLiteral("operation-%1/runbook.log").arg(m_refresh)).size() > 0);
    // Every file the test and its processes left: the files folder and the logs.
    int files = 0;
    for (const QString& root : {m_files.path(), m_state.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            QVERIFY2(!f.readAll().contains(Secret), qPrintable(f.fileName()));
        }
    }
    QVERIFY(files > 0);
    // Every output of every command but the reveal's stdout, --json ones included.
    for (const CliRun& run : std::as_const(m_runs)) {
        QVERIFY2(!run.out.contains(Secret) && !run.err.contains(Secret), qPrintable(run.args.join(QLatin1Char(' '))));
    }
    // The catalog's text: operations, their steps and runbook lines, the audit.
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM operations WHERE params LIKE '%%1%' OR error LIKE '%%1%' OR "
                                  "restore_point LIKE '%%1%'")
                       .arg(QString::fromLatin1(Secret))),
             QStringLiteral("0"));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM runbook_lines WHERE line LIKE '%%1%'").arg(QString::fromLatin1(Secret))),
             QStringLiteral("0"));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM audit WHERE detail LIKE '%%1%'").arg(QString::fromLatin1(Secret))),
             QStringLiteral("0"));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM operation_steps WHERE detail LIKE '%%1%'")
                       .arg(QString::fromLatin1(Secret))),
             QStringLiteral("0"));
}

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
