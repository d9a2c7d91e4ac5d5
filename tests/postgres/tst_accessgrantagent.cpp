// Just-in-time database access on a team catalog. The environments' databases live on
// a private PostgreSQL server that wants passwords over TCP, the catalog on the
// throwaway server of scripts/test; the agent holds the environment's kept credential.
// A Team member asks for read-only access: the CLI prints a password once, an agent
// makes the login, and it reads but cannot write; read-write writes. Revoked, the login
// is gone. Asked for a few seconds (the requester's clock injected), it stops working at
// its VALID UNTIL, and the agent removes it. A refresh that replaces the database ends
// the grants on it. The catalog keeps a SCRAM verifier, never the password.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "PrivatePostgresServer.h"
#include "TeamFixture.h"

#include "engine/PostgresConnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray Secret = "Kept-admin-Secret-5512";

struct Issued
{
    qint64 id = 0;
    QString login;
    QString password;
};
} // namespace

class TestAccessGrantAgent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void readOnlyReadsAndRevokedIsGone();
    void readWriteWrites();
    void stopsWorkingAtItsValidUntil();
    void aRefreshEndsTheGrantsOnItsDatabase();
    void refusedWhereItMustBe();

private:
    QString urlAs(const QString& login) const { return m_team.urlAs(login); }
    CliRun cliAs(const QString& login, const QStringList& args) { return m_team.cliAs(login, args); }
    QString value(const QString& sql) { return m_team.value(sql); }
    bool agentOnce();
    // `access request` as the member, without waiting; the grant it printed.
    Issued request(const QStringList& options, const QMap<QString, QString>& env = {});
    // Whether `login` with `password` connects to contoso-uat and, with `sql`, runs it.
    bool works(const Issued& grant, const QString& sql, QString* error);

    PrivatePostgresServer m_envServer;
    QTemporaryDir m_files;
    TeamFixture m_team{QStringLiteral("dataalm_access_")};
};

bool TestAccessGrantAgent::agentOnce()
{
    QByteArray err;
    const bool ok = m_team.agentOnce(m_team.login(QStringLiteral("agent")), &err);
    for (const QByteArray& line : err.split('\n')) {
        if (line.contains("access grant"))
            qInfo("agent: %s", line.constData());
    }
    return ok;
}

Issued TestAccessGrantAgent::request(const QStringList& options, const QMap<QString, QString>& env)
{
    CliProcess cli;
    for (auto it = env.begin(); it != env.end(); ++it)
        cli.setEnv(it.key(), it.value());
    Issued issued;
    if (!cli.start(QStringList{QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("member"))),
                               QStringLiteral("access"), QStringLiteral("request"), QStringLiteral("contoso-uat"),
                               QStringLiteral("--no-wait")} +
                   options))
        return issued;
    const CliOutcome outcome = cli.finish(60000);
    if (!outcome.exitedWith(0)) {
        qWarning("%s", outcome.err.constData());
        return issued;
    }
    const QString out = QString::fromUtf8(outcome.out);
    issued.id = out.section(QStringLiteral("grant "), 1).section(QLatin1Char('\n'), 0, 0).toLongLong();
    issued.login = out.section(QStringLiteral("login "), 1).section(QLatin1Char('\n'), 0, 0);
    issued.password = out.section(QStringLiteral("password "), 1).section(QLatin1Char('\n'), 0, 0);
    return issued;
}

bool TestAccessGrantAgent::works(const Issued& grant, const QString& sql, QString* error)
{
    PostgresConnection db;
    if (!db.openConninfo(QStringLiteral("host=127.0.0.1 port=%1 dbname=contoso-uat user=%2 password=%3")
                             .arg(m_envServer.port())
                             .arg(grant.login, grant.password),
                         error))
        return false;
    return sql.isEmpty() || db.exec(sql, error);
}

void TestAccessGrantAgent::initTestCase()
{
    QVERIFY(m_files.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    qputenv("PGPASSFILE", m_files.filePath(QStringLiteral("no-pgpass")).toLocal8Bit());
    qunsetenv("PGPASSWORD");
    QString error;
    m_envServer.requirePasswords();
    QVERIFY2(m_envServer.start(&error), qPrintable(error));
    QVERIFY2(m_envServer.execLocal(QStringLiteral("ALTER ROLE postgres PASSWORD '%1'").arg(QString::fromLatin1(Secret)),
                                   &error),
             qPrintable(error));
    QVERIFY2(m_team.create({QStringLiteral("manager"), QStringLiteral("member"), QStringLiteral("viewer"),
                            QStringLiteral("agent")},
                           &error),
             qPrintable(error));
    qputenv("PGPASSWORD", Secret);
    CliRun run = m_team.demo({QStringLiteral("--postgres"), m_envServer.url()});
    qunsetenv("PGPASSWORD");
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const auto& [who, role] : {std::pair{"manager", "EnvironmentManager"}, std::pair{"member", "TeamMember"},
                                    std::pair{"viewer", "Viewer"}, std::pair{"agent", "Agent"}})
        QVERIFY2(m_team.addMember(QLatin1String(who), QLatin1String(role), &error), qPrintable(error));
    for (const QString& env : {QStringLiteral("contoso-uat"), QStringLiteral("contoso-prod")}) {
        run = runCliWithInput({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("manager"))),
                               QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("set"), env},
                              Secret + '\n');
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
}

void TestAccessGrantAgent::cleanupTestCase()
{
}

void TestAccessGrantAgent::readOnlyReadsAndRevokedIsGone()
{
    const Issued g = request({QStringLiteral("--read-only"), QStringLiteral("--reason"), QStringLiteral("a support case")});
    QVERIFY(g.id > 0 && g.login.startsWith(QStringLiteral("jit_")) && g.password.size() == 24);
    QString error;
    QVERIFY(!works(g, {}, &error)); // not made yet
    QVERIFY(agentOnce());
    QCOMPARE(value(QStringLiteral("SELECT state FROM access_grants WHERE id = %1").arg(g.id)), QStringLiteral("Active"));
    QVERIFY2(works(g, QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\""), &error), qPrintable(error));
    QVERIFY(!works(g, QStringLiteral("DELETE FROM \"CUSTTABLE\""), &error));
    QVERIFY2(error.contains(QStringLiteral("permission denied")), qPrintable(error));
    // The catalog keeps the verifier, never the password.
    QVERIFY(value(QStringLiteral("SELECT verifier FROM access_grants WHERE id = %1").arg(g.id)).startsWith(
        QStringLiteral("SCRAM-SHA-256$")));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM access_grants WHERE verifier LIKE '%%1%' OR detail LIKE '%%1%' OR "
                                  "reason LIKE '%%1%'")
                       .arg(g.password)),
             QStringLiteral("0"));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM audit WHERE detail LIKE '%%1%'").arg(g.password)),
             QStringLiteral("0"));
    // A Viewer may not end it; its requester may.
    CliRun run = cliAs(m_team.login(QStringLiteral("viewer")),
                       {QStringLiteral("access"), QStringLiteral("revoke"), QString::number(g.id), QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("member")),
                {QStringLiteral("access"), QStringLiteral("revoke"), QString::number(g.id), QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(agentOnce());
    QCOMPARE(value(QStringLiteral("SELECT state FROM access_grants WHERE id = %1").arg(g.id)), QStringLiteral("Revoked"));
    QVERIFY(!works(g, {}, &error));
    QVERIFY2(error.contains(QStringLiteral("password authentication failed")), qPrintable(error));
}

void TestAccessGrantAgent::readWriteWrites()
{
    const Issued g = request({QStringLiteral("--read-write"), QStringLiteral("--reason"), QStringLiteral("fix a row")});
    QVERIFY(g.id > 0);
    QVERIFY(agentOnce());
    QString error;
    QVERIFY2(works(g, QStringLiteral("UPDATE \"CUSTTABLE\" SET \"CREDITMAX\" = \"CREDITMAX\" WHERE false"), &error), qPrintable(error));
    CliRun run = cliAs(m_team.login(QStringLiteral("member")),
                       {QStringLiteral("access"), QStringLiteral("list"), QStringLiteral("--env"),
                        QStringLiteral("contoso-uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(!run.out.contains(g.password.toUtf8()) && !run.out.contains("SCRAM"), run.out.constData());
    QCOMPARE(QJsonDocument::fromJson(run.out).array().first().toObject().value(QStringLiteral("mode")).toString(),
             QStringLiteral("read-write"));
}

void TestAccessGrantAgent::stopsWorkingAtItsValidUntil()
{
    // The requester's clock nearly eight hours behind: the login is valid for a few seconds from now.
    const Issued g = request({QStringLiteral("--read-only"), QStringLiteral("--reason"), QStringLiteral("a quick look")},
                             {{QStringLiteral("DATAALM_TEST_CLOCK_SKEW_S"), QString::number(-(8 * 3600 - 6))}});
    QVERIFY(g.id > 0);
    QVERIFY(agentOnce());
    QString error;
    QVERIFY2(works(g, QStringLiteral("SELECT 1"), &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!works(g, {}, &error), 20000);
    QVERIFY2(error.contains(QStringLiteral("password authentication failed")), qPrintable(error));
    QVERIFY(agentOnce());
    QCOMPARE(value(QStringLiteral("SELECT state || ': ' || detail FROM access_grants WHERE id = %1").arg(g.id)),
             QStringLiteral("Expired: login %1 removed: it expired").arg(g.login));
    QVERIFY(m_envServer.execLocal(QStringLiteral("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1') "
                                                 "THEN RAISE EXCEPTION 'still there'; END IF; END $$")
                                      .arg(g.login),
                                  &error));
}

void TestAccessGrantAgent::aRefreshEndsTheGrantsOnItsDatabase()
{
    const Issued g = request({QStringLiteral("--read-only"), QStringLiteral("--reason"), QStringLiteral("before a refresh")});
    QVERIFY(g.id > 0);
    QVERIFY(agentOnce());
    QCOMPARE(value(QStringLiteral("SELECT state FROM access_grants WHERE id = %1").arg(g.id)), QStringLiteral("Active"));
    CliRun run = cliAs(m_team.login(QStringLiteral("member")),
                       {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                        QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                        QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(agentOnce()); // runs the refresh
    QVERIFY(agentOnce()); // and then sees the database replaced
    const QString state = value(QStringLiteral("SELECT state || ': ' || detail FROM access_grants WHERE id = %1").arg(g.id));
    QVERIFY2(QRegularExpression(QStringLiteral("^Revoked: login \\S+ (removed|disabled): operation \\d+ replaced the database"))
                 .match(state)
                 .hasMatch(),
             qPrintable(state + QLatin1Char(' ') +
                        value(QStringLiteral("SELECT string_agg(id || ' ' || kind || ' ' || state || ' ' || finished || ' ' || "
                                             "error, '; ') FROM operations"))));
    QString error;
    QVERIFY(!works(g, {}, &error));
}

void TestAccessGrantAgent::refusedWhereItMustBe()
{
    // A Viewer may not ask; read-write on production is refused; --json never carries a password; a SQLite
    // database has no logins to make.
    CliRun run = cliAs(m_team.login(QStringLiteral("viewer")),
                       {QStringLiteral("access"), QStringLiteral("request"), QStringLiteral("contoso-uat"),
                        QStringLiteral("--read-only"), QStringLiteral("--reason"), QStringLiteral("x"),
                        QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("manager")),
                {QStringLiteral("access"), QStringLiteral("request"), QStringLiteral("contoso-prod"),
                 QStringLiteral("--read-write"), QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("is production: just-in-time access to it is read-only")),
             qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("member")),
                {QStringLiteral("access"), QStringLiteral("request"), QStringLiteral("contoso-uat"),
                 QStringLiteral("--read-only"), QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("member")),
                {QStringLiteral("access"), QStringLiteral("request"), QStringLiteral("contoso-uat"),
                 QStringLiteral("--read-only"), QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--hours"),
                 QStringLiteral("9")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    // The server refuses a grant filed in another's name, or one already Active.
    QString error;
    QVERIFY(!PostgresTestSupport::exec(PostgresTestSupport::database(m_team.database()),
                                       QStringLiteral("SET ROLE %1; INSERT INTO access_grants (project_id, "
                                                      "environment_id, db_role, login, mode, reason, requested_by, "
                                                      "requested_at, valid_until, verifier, state) VALUES ('contoso', "
                                                      "'contoso-uat', 'transactional', 'x', 'read-only', 'x', 'someone', "
                                                      "'x', 'x', 'x', 'Active')")
                                           .arg(m_team.login(QStringLiteral("member"))),
                                       &error));
    QVERIFY2(error.contains(QStringLiteral("row-level security")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestAccessGrantAgent)
#include "tst_accessgrantagent.moc"
