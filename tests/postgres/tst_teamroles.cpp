// Roles on a team catalog (the throwaway server of scripts/test), login by login: a
// Project owner, an Environment manager, a Team member, a Viewer, an outsider and an
// agent, each its own PostgreSQL login. Each tries the same things through the real
// `dataalm` CLI and through raw SQL on its own connection (what `psql` would do): the
// server allows exactly what the role allows, the CLI says the refusal in a sentence
// (exit 5), and the audit, which nobody can change, records both with the server's
// own idea of who wrote each row.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

class TestTeamRoles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void ownerManagesMembersOthersCannot();
    void viewerReadsButChangesNothing();
    void teamMemberOperatesSandboxesNotProduction();
    void outsiderSeesNothing();
    void agentRunsTheTeamsWork();
    void auditIsAppendOnlyAndStampedByTheServer();
    void halfReadIsUnreadable();

private:
    QString urlAs(const QString& login) const;
    CliRun cliAs(const QString& login, const QStringList& args, int timeoutMs = 120000);
    // A connection of its own as `login`: what `psql` as that login would do.
    std::unique_ptr<Catalog> connectAs(const QString& login);
    // Rows an UPDATE or DELETE as `login` changed; -1 with `error` when the server refused it.
    int changed(const QString& login, const QString& sql, QString* error);

    QTemporaryDir m_files;
    QString m_database;
    QString m_admin;
    QHash<QString, QString> m_login; // role in the test -> login name
};

QString TestTeamRoles::urlAs(const QString& login) const
{
    const DatabaseRef server = PostgresTestSupport::server();
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(login, server.host).arg(server.port).arg(m_database);
}

CliRun TestTeamRoles::cliAs(const QString& login, const QStringList& args, int timeoutMs)
{
    return runCli(QStringList{QStringLiteral("--catalog"), urlAs(login)} + args, timeoutMs);
}

std::unique_ptr<Catalog> TestTeamRoles::connectAs(const QString& login)
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(urlAs(login), &error)) {
        qWarning("%s cannot open the catalog: %s", qPrintable(login), qPrintable(error));
        return nullptr;
    }
    return catalog;
}

int TestTeamRoles::changed(const QString& login, const QString& sql, QString* error)
{
    auto catalog = connectAs(login);
    if (!catalog) {
        *error = QStringLiteral("no connection");
        return -1;
    }
    QSqlQuery q(catalog->database());
    if (!q.exec(sql)) {
        *error = q.lastError().text();
        return -1;
    }
    return q.numRowsAffected();
}

void TestTeamRoles::initTestCase()
{
    const DatabaseRef server = PostgresTestSupport::server();
    QVERIFY2(!server.driver.isEmpty(), "DATAALM_TEST_PG_URL is not set: run through scripts/test");
    QVERIFY(m_files.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    m_database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_roles_"));
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(m_database, &error), qPrintable(error));
    m_admin = server.user;
    // Logins are the server's, shared by every database: names no other run uses.
    const QString suffix = m_database.mid(QStringLiteral("dataalm_roles_").size());
    for (const char* role : {"owner", "manager", "member", "viewer", "outsider", "agent"}) {
        const QString login = QStringLiteral("%1_%2").arg(QLatin1String(role), suffix);
        QVERIFY2(PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(login), &error),
                 qPrintable(error));
        m_login.insert(QLatin1String(role), login);
    }
    // The catalog's owner (the server's administrator here) creates it and makes the first Project owner.
    CliRun run = cliAs(m_admin, {QStringLiteral("demo"), QStringLiteral("--size-mb"), QStringLiteral("1")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cliAs(m_admin, {QStringLiteral("member"), QStringLiteral("add"), m_login.value(QStringLiteral("owner")),
                          QStringLiteral("--project"), QStringLiteral("contoso"), QStringLiteral("--role"),
                          QStringLiteral("ProjectOwner")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cliAs(m_admin, {QStringLiteral("member"), QStringLiteral("add"), m_login.value(QStringLiteral("agent")),
                          QStringLiteral("--agent")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestTeamRoles::cleanupTestCase()
{
    PostgresTestSupport::dropDatabase(m_database);
    for (const QString& login : std::as_const(m_login))
        PostgresTestSupport::exec(PostgresTestSupport::server(), QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
}

void TestTeamRoles::ownerManagesMembersOthersCannot()
{
    const QString owner = m_login.value(QStringLiteral("owner"));
    // The Project owner gives the others their roles.
    for (const auto& [who, role] : {std::pair{"manager", "EnvironmentManager"}, std::pair{"member", "TeamMember"},
                                    std::pair{"viewer", "Viewer"}}) {
        const CliRun run = cliAs(owner, {QStringLiteral("member"), QStringLiteral("add"),
                                         m_login.value(QLatin1String(who)), QStringLiteral("--project"),
                                         QStringLiteral("contoso"), QStringLiteral("--role"), QLatin1String(role)});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    CliRun run = cliAs(owner, {QStringLiteral("member"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonArray members = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(members.size(), 5); // four in contoso, and the agent
    // An Environment manager cannot: the CLI says so, and the server refuses the raw INSERT too.
    const QString manager = m_login.value(QStringLiteral("manager"));
    run = cliAs(manager, {QStringLiteral("member"), QStringLiteral("add"), m_login.value(QStringLiteral("outsider")),
                          QStringLiteral("--project"), QStringLiteral("contoso"), QStringLiteral("--role"),
                          QStringLiteral("ProjectOwner")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("%1 is an Environment manager of project contoso").arg(manager)),
             qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("only a Project owner changes the project's members")),
             qPrintable(run.describe()));
    QString error;
    QCOMPARE(changed(manager,
                     QStringLiteral("INSERT INTO project_members (project_id, login, role, added, added_by) VALUES "
                                    "('contoso', '%1', 'ProjectOwner', 'x', 'x')")
                         .arg(m_login.value(QStringLiteral("outsider"))),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("row-level security")), qPrintable(error));
    // Nor may anyone but the catalog's owner make a login an agent.
    run = cliAs(owner, {QStringLiteral("member"), QStringLiteral("add"), m_login.value(QStringLiteral("member")),
                        QStringLiteral("--agent")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QCOMPARE(changed(owner,
                     QStringLiteral("INSERT INTO catalog_roles (login, role, added, added_by) VALUES ('%1', 'Agent', "
                                    "'x', 'x')")
                         .arg(owner),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("permission denied")), qPrintable(error));
}

void TestTeamRoles::viewerReadsButChangesNothing()
{
    const QString viewer = m_login.value(QStringLiteral("viewer"));
    CliRun run = cliAs(viewer, {QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(QJsonDocument::fromJson(run.out).array().size() >= 4, run.out.constData());
    // A refresh, a restore point: refused with the sentence, nothing created.
    run = cliAs(viewer, {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                         QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                         QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("%1 is a Viewer of project contoso").arg(viewer)),
             qPrintable(run.describe()));
    run = cliAs(viewer, {QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                         QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QCOMPARE(PostgresTestSupport::value(PostgresTestSupport::database(m_database),
                                        QStringLiteral("SELECT count(*) FROM operations")),
             QStringLiteral("0"));
    // What the viewer's psql would try: reads work; writes change nothing or are refused.
    auto own = connectAs(viewer);
    QVERIFY(own);
    QSqlQuery q(own->database());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM environments")) && q.next());
    QVERIFY(q.value(0).toInt() >= 4);
    QString error;
    QCOMPARE(changed(viewer, QStringLiteral("UPDATE environments SET name = 'x'"), &error), 0);
    QCOMPARE(changed(viewer, QStringLiteral("DELETE FROM environment_databases"), &error), 0);
    QCOMPARE(changed(viewer,
                     QStringLiteral("INSERT INTO operations (kind, project_id, target, state, who, created) VALUES "
                                    "('refresh', 'contoso', 'contoso-uat', 'NotStarted', 'x', 'x')"),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("row-level security")), qPrintable(error));
}

void TestTeamRoles::teamMemberOperatesSandboxesNotProduction()
{
    const QString member = m_login.value(QStringLiteral("member"));
    // A sandbox: submitted to the agents.
    CliRun run = cliAs(member, {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                                QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                                QStringLiteral("--no-wait"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("who")).toString(), member);
    // Production: a restore point of it is refused, with who may.
    run = cliAs(member, {QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                         QStringLiteral("contoso-prod")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("a Team member does not operate production environments such as "
                                                   "contoso-prod")),
             qPrintable(run.describe()));
    // The member's psql: the sandbox's request may be changed, production's rows may not, and the databases an
    // environment points at are an Environment manager's (a sandbox pointed at production's database would
    // be refreshed over it).
    QString error;
    QCOMPARE(changed(member, QStringLiteral("UPDATE operations SET params = params WHERE target = 'contoso-uat'"), &error),
             1);
    // How it went is an agent's to write (else a person could make it look interrupted, for an agent to resume).
    QCOMPARE(changed(member, QStringLiteral("UPDATE operations SET error = 'x' WHERE target = 'contoso-uat'"), &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only an agent records how operation")), qPrintable(error));
    // Where a rollback takes the databases from is an agent's to write: a sandbox's rollback pointed at
    // production's files would copy production into it, unmasked.
    QCOMPARE(changed(member,
                     QStringLiteral("UPDATE operations SET restore_point = '{\"databases\": []}' WHERE target = "
                                    "'contoso-uat'"),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only an agent records the restore point")), qPrintable(error));
    QCOMPARE(changed(member, QStringLiteral("UPDATE environments SET name = name WHERE id = 'contoso-prod'"), &error),
             0);
    QCOMPARE(changed(member, QStringLiteral("UPDATE environment_databases SET name = 'elsewhere' WHERE "
                                            "environment_id = 'contoso-uat'"),
                     &error),
             0);
    // Nor remove the sandbox, its history, or change what it is.
    QCOMPARE(changed(member, QStringLiteral("DELETE FROM operations WHERE target = 'contoso-uat'"), &error), 0);
    QCOMPARE(changed(member, QStringLiteral("DELETE FROM environments WHERE id = 'contoso-uat'"), &error), 0);
    QCOMPARE(changed(member, QStringLiteral("UPDATE environments SET tenant = 'other' WHERE id = 'contoso-uat'"),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("changes what defines environment contoso-uat")), qPrintable(error));
    QCOMPARE(changed(member, QStringLiteral("UPDATE environments SET application = application WHERE id = "
                                            "'contoso-uat'"),
                     &error),
             1);
    // An Environment manager may do both.
    const QString manager = m_login.value(QStringLiteral("manager"));
    run = cliAs(manager, {QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                          QStringLiteral("contoso-prod"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestTeamRoles::outsiderSeesNothing()
{
    const QString outsider = m_login.value(QStringLiteral("outsider"));
    CliRun run = cliAs(outsider, {QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(QJsonDocument::fromJson(run.out).array().size(), 0);
    auto own = connectAs(outsider);
    QVERIFY(own);
    for (const char* table : {"projects", "environments", "environment_databases", "operations", "operation_steps",
                              "restore_points", "audit", "project_members", "webhooks"}) {
        QSqlQuery q(own->database());
        QVERIFY2(q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) && q.next(), table);
        QVERIFY2(q.value(0).toInt() == 0, table);
    }
    run = cliAs(outsider, {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                           QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes")});
    QVERIFY2(!run.exitedWith(0), qPrintable(run.describe()));
}

void TestTeamRoles::agentRunsTheTeamsWork()
{
    // The Team member's refresh (above) is run by an agent connected as the agent login.
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("--catalog"), urlAs(m_login.value(QStringLiteral("agent"))),
                         QStringLiteral("agent")}));
    auto admin = connectAs(m_admin);
    QVERIFY(admin);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSqlQuery q(admin->database());
            return q.exec(QStringLiteral("SELECT state FROM operations WHERE target = 'contoso-uat'")) && q.next() &&
                   q.value(0).toString() == QLatin1String("Completed");
        }(),
        120000);
    agent.sendSignal(SIGTERM);
    QVERIFY(agent.finish(30000).exitedWith(0));
    QSqlQuery q(admin->database());
    // The agent recorded the restore point (what only an agent may); the member may no longer change what ran.
    QVERIFY(q.exec(QStringLiteral("SELECT restore_point FROM operations WHERE target = 'contoso-uat'")) && q.next());
    QVERIFY2(q.value(0).toString().contains(QStringLiteral("databases")), qPrintable(q.value(0).toString()));
    QString error;
    QCOMPARE(changed(m_login.value(QStringLiteral("member")),
                     QStringLiteral("UPDATE operations SET params = '{}' WHERE target = 'contoso-uat'"), &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("runs as it was asked")), qPrintable(error));
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM audit WHERE who = '%1' AND role = 'Agent' AND action = "
                                  "'operation.claim'")
                       .arg(m_login.value(QStringLiteral("agent")))) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestTeamRoles::auditIsAppendOnlyAndStampedByTheServer()
{
    const QString viewer = m_login.value(QStringLiteral("viewer"));
    // A writer cannot pretend to be someone else: the server sets who, the role and the host.
    QString error;
    QCOMPARE(changed(viewer,
                     QStringLiteral("INSERT INTO audit (at, who, action, subject, detail, role, host) VALUES ('x', "
                                    "'mallory', 'forged', 's', 'd', 'Administrator', 'nowhere')"),
                     &error),
             1);
    auto admin = connectAs(m_admin);
    QVERIFY(admin);
    QSqlQuery q(admin->database());
    QVERIFY(q.exec(QStringLiteral("SELECT who, role, host FROM audit WHERE action = 'forged'")) && q.next());
    QCOMPARE(q.value(0).toString(), viewer);
    QCOMPARE(q.value(1).toString(), QStringLiteral("contoso:Viewer"));
    QVERIFY2(q.value(2).toString().startsWith(QStringLiteral("127.0.0.1 (nowhere)")), qPrintable(q.value(2).toString()));
    // Nobody changes or removes a row: not a Project owner, not the catalog's owner.
    for (const QString& login : {m_login.value(QStringLiteral("owner")), m_admin}) {
        for (const char* sql : {"DELETE FROM audit", "UPDATE audit SET detail = 'x'", "TRUNCATE audit"}) {
            QCOMPARE(changed(login, QLatin1String(sql), &error), -1);
            QVERIFY2(error.contains(QStringLiteral("append-only")) || error.contains(QStringLiteral("permission denied")),
                     qPrintable(error));
        }
    }
    // The refusals of the other tests are there, as well as what was done; `audit` lists them.
    const CliRun run = cliAs(m_login.value(QStringLiteral("owner")),
                             {QStringLiteral("audit"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    int refused = 0;
    int added = 0;
    for (const QJsonValue& v : QJsonDocument::fromJson(run.out).array()) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("action")).toString() == QLatin1String("access.refused") &&
            e.value(QStringLiteral("who")).toString() == viewer)
            ++refused;
        if (e.value(QStringLiteral("action")).toString() == QLatin1String("member.add") &&
            e.value(QStringLiteral("who")).toString() == m_login.value(QStringLiteral("owner")))
            ++added;
    }
    QVERIFY2(refused >= 2, run.out.constData());
    QCOMPARE(added, 3);
    const CliRun csv = cliAs(m_login.value(QStringLiteral("owner")),
                             {QStringLiteral("audit"), QStringLiteral("--csv"), QStringLiteral("--env"),
                              QStringLiteral("contoso-uat")});
    QVERIFY2(csv.exitedWith(0), qPrintable(csv.describe()));
    QVERIFY(csv.out.startsWith("id,at,who,role,host,action,subject,detail\r\n"));
    QVERIFY2(csv.out.contains("operation.claim"), csv.out.constData());
    QVERIFY2(!csv.out.contains("member.add"), csv.out.constData());
}

// An environment's row and its databases are two reads: when the second fails (a dropped
// connection, here a lock it may not wait for), the environment is unreadable, never one
// without databases (an agent refused every operation that named them: the kill test).
void TestTeamRoles::halfReadIsUnreadable()
{
    auto holder = connectAs(m_admin);
    auto reader = connectAs(m_login.value(QStringLiteral("viewer")));
    QVERIFY(holder && reader);
    QVERIFY(reader->environment(QStringLiteral("contoso-uat")).has_value());
    QCOMPARE(reader->environment(QStringLiteral("contoso-uat"))->databases.size(), 2);
    QSqlQuery timeout(reader->database());
    QVERIFY(timeout.exec(QStringLiteral("SET lock_timeout = '200ms'")));
    QVERIFY(holder->database().transaction());
    QSqlQuery lock(holder->database());
    QVERIFY2(lock.exec(QStringLiteral("LOCK TABLE environment_databases IN ACCESS EXCLUSIVE MODE")),
             qPrintable(lock.lastError().text()));
    QVERIFY(!reader->environment(QStringLiteral("contoso-uat")).has_value());
    QVERIFY(reader->environments().isEmpty());
    QVERIFY(holder->database().commit());
    const auto again = reader->environment(QStringLiteral("contoso-uat"));
    QVERIFY(again.has_value());
    QCOMPARE(again->databases.size(), 2);
    QVERIFY(reader->environments().size() >= 4);

    // An operation and its steps likewise: without its steps it would read as one that
    // has done nothing, and be resumed from its first step.
    const OperationStore store(*reader);
    const QList<OperationRecord> history = store.list(QString(), true);
    const auto withSteps = std::find_if(history.begin(), history.end(),
                                        [](const OperationRecord& r) { return !r.steps.isEmpty(); });
    QVERIFY2(withSteps != history.end(), "the tests before this one ran operations");
    QVERIFY(holder->database().transaction());
    QVERIFY2(lock.exec(QStringLiteral("LOCK TABLE operation_steps IN ACCESS EXCLUSIVE MODE")),
             qPrintable(lock.lastError().text()));
    QVERIFY(!store.get(withSteps->id).has_value());
    QVERIFY(store.list(withSteps->target, true).isEmpty());
    QVERIFY(holder->database().commit());
    const auto read = store.get(withSteps->id);
    QVERIFY(read.has_value());
    QCOMPARE(read->steps.size(), withSteps->steps.size());
}

QTEST_GUILESS_MAIN(TestTeamRoles)
#include "tst_teamroles.moc"
