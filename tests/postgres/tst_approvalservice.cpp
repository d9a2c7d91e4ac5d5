// Approvals (four eyes) on a team catalog (the throwaway server of scripts/test): two
// Project owners, an Environment manager and an agent, each its own PostgreSQL login.
// A refresh into a protected sandbox and an apply to production wait AwaitingApproval;
// the requester cannot approve their own, an Environment manager cannot approve at
// all, and neither can skip the approval with raw SQL (what `psql` would do): the
// server refuses, records who approved, and fixes what was approved. The real `dataalm`
// CLI is used for every step a user takes; the agent runs what was approved.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "TeamFixture.h"
#include "ZipEntries.h"

#include "catalog/Catalog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

class TestApprovalService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void onlyAProjectOwnerProtects();
    void protectedSandboxRefreshWaitsForASecondOwner();
    void nobodySkipsTheApprovalWithSql();
    void approvedRequestRunsAsApproved();
    void rejectedApplyEndsCanceledWithTheReason();
    void agentRefusesAnotherEnvironmentsDatabase();
    void agentRefusesAForgedRestorePoint();
    void unapprovedRequestExpiresWithItsWindow();
    void oneOwnerCatalogHasNoApprovals();

private:
    QString urlAs(const QString& login) const { return m_team.urlAs(login); }
    CliRun cliAs(const QString& login, const QStringList& args) { return m_team.cliAs(login, args); }
    std::unique_ptr<Catalog> connectAs(const QString& login) { return m_team.connectAs(login); }
    int changed(const QString& login, const QString& sql, QString* error) { return m_team.changed(login, sql, error); }
    QString value(const QString& sql) { return m_team.value(sql); }
    // Submits a refresh of contoso-uat as `login` without waiting; its JSON.
    QJsonObject requestRefresh(const QString& login);

    QTemporaryDir m_files;
    TeamFixture m_team{QStringLiteral("dataalm_approvals_")};
    qint64 m_approved = 0;
};

QJsonObject TestApprovalService::requestRefresh(const QString& login)
{
    const CliRun run = cliAs(login, {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                                     QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                                     QStringLiteral("--no-wait"), QStringLiteral("--json")});
    if (!run.exitedWith(0))
        qWarning("%s", qPrintable(run.describe()));
    return QJsonDocument::fromJson(run.out).object();
}

void TestApprovalService::initTestCase()
{
    QVERIFY(m_files.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    QString error;
    QVERIFY2(m_team.create({QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("manager"),
                            QStringLiteral("agent")},
                           &error),
             qPrintable(error));
    CliRun run = m_team.demo();
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const auto& [who, role] : {std::pair{"alice", "ProjectOwner"}, std::pair{"bob", "ProjectOwner"},
                                    std::pair{"manager", "EnvironmentManager"}, std::pair{"agent", "Agent"}})
        QVERIFY2(m_team.addMember(QLatin1String(who), QLatin1String(role), &error), qPrintable(error));
    run = cliAs(m_team.admin(), {QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--shared"),
                                 QStringLiteral("Application update")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestApprovalService::cleanupTestCase()
{
}

void TestApprovalService::onlyAProjectOwnerProtects()
{
    const QString manager = m_team.login(QStringLiteral("manager"));
    CliRun run = cliAs(manager, {QStringLiteral("env"), QStringLiteral("protect"), QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("marks environments protected")), qPrintable(run.describe()));
    QString error;
    QCOMPARE(changed(manager, QStringLiteral("UPDATE environments SET protected = 1 WHERE id = 'contoso-uat'"), &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only a Project owner of contoso marks environment contoso-uat protected")),
             qPrintable(error));
    // Nor may a manager turn production into a sandbox to escape its approvals.
    QCOMPARE(changed(manager, QStringLiteral("UPDATE environments SET type = 'sandbox' WHERE id = 'contoso-prod'"),
                     &error),
             -1);
    QCOMPARE(value(QStringLiteral("SELECT type FROM environments WHERE id = 'contoso-prod'")), QStringLiteral("production"));

    const QString alice = m_team.login(QStringLiteral("alice"));
    run = cliAs(alice, {QStringLiteral("env"), QStringLiteral("unprotect"), QStringLiteral("contoso-prod")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("production is always protected")), qPrintable(run.describe()));
    run = cliAs(alice, {QStringLiteral("env"), QStringLiteral("protect"), QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cliAs(manager, {QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("contoso-uat"),
                          QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("protected")).toBool(), true);
    // The server wrote the audit row, with who did it.
    QCOMPARE(value(QStringLiteral("SELECT who || ' ' || detail FROM audit WHERE action = 'environment.protect' AND "
                                  "subject = 'contoso-uat'")),
             QStringLiteral("%1 type sandbox, protected no -> type sandbox, protected yes").arg(alice));
}

void TestApprovalService::protectedSandboxRefreshWaitsForASecondOwner()
{
    const QString alice = m_team.login(QStringLiteral("alice"));
    const QJsonObject op = requestRefresh(alice);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("AwaitingApproval"));
    const QString id = QString::number(op.value(QStringLiteral("id")).toInteger());
    QVERIFY(op.value(QStringLiteral("approval")).toObject().value(QStringLiteral("by")).isNull());
    // The requester: refused, with the four-eyes sentence, and audited.
    CliRun run = cliAs(alice, {QStringLiteral("approve"), id});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Request %1 is %2's own: a second Project owner approves").arg(id, alice)),
             qPrintable(run.describe()));
    // An Environment manager: not a Project owner.
    run = cliAs(m_team.login(QStringLiteral("manager")), {QStringLiteral("approve"), id});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("is an Environment manager of project contoso")),
             qPrintable(run.describe()));
    // A rejection without a reason is a usage error; an unknown request is unknown.
    run = cliAs(m_team.login(QStringLiteral("bob")), {QStringLiteral("reject"), id});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = cliAs(m_team.login(QStringLiteral("bob")), {QStringLiteral("approve"), QStringLiteral("99999")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
    // requests lists it with who may decide.
    run = cliAs(m_team.login(QStringLiteral("manager")), {QStringLiteral("requests")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QStringLiteral("awaiting approval by a Project owner other than %1").arg(alice)),
             qPrintable(run.outText()));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'operation.approve.refused' AND subject = "
                                  "'%1'")
                       .arg(id)),
             QStringLiteral("2"));
    m_approved = id.toLongLong();
}

void TestApprovalService::nobodySkipsTheApprovalWithSql()
{
    QVERIFY(m_approved > 0);
    const QString alice = m_team.login(QStringLiteral("alice"));
    const QString manager = m_team.login(QStringLiteral("manager"));
    QString error;
    // The requester's psql: approving their own, or pretending someone else asked.
    QCOMPARE(changed(alice, QStringLiteral("UPDATE operations SET state = 'Scheduled' WHERE id = %1").arg(m_approved),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("a second Project owner approves or rejects it (four eyes)")), qPrintable(error));
    QCOMPARE(changed(alice, QStringLiteral("UPDATE operations SET who = '%1' WHERE id = %2")
                                .arg(m_team.login(QStringLiteral("bob")))
                                .arg(m_approved),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("is never changed")), qPrintable(error));
    QCOMPARE(changed(alice, QStringLiteral("UPDATE operations SET approved_by = 'bob' WHERE id = %1").arg(m_approved),
                     &error),
             -1);
    // What waits for approval is what will be approved: its parameters stay as asked.
    QCOMPARE(changed(alice, QStringLiteral("UPDATE operations SET params = '{}' WHERE id = %1").arg(m_approved), &error),
             -1);
    // The manager's psql: not a Project owner.
    QCOMPARE(changed(manager, QStringLiteral("UPDATE operations SET state = 'Scheduled' WHERE id = %1").arg(m_approved),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only a Project owner of contoso approves or rejects request")),
             qPrintable(error));
    // Nor may anyone launder it into a state an agent resumes, forge a rejection, or swap its id.
    QCOMPARE(changed(manager, QStringLiteral("UPDATE operations SET state = 'Failed', error = 'interrupted: x' WHERE id = "
                                             "%1")
                                  .arg(m_approved),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only an agent moves operation %1 from AwaitingApproval to Failed").arg(m_approved)),
             qPrintable(error));
    QCOMPARE(changed(alice, QStringLiteral("UPDATE operations SET state = 'Aborted', approval_note = 'no' WHERE id = %1")
                                .arg(m_approved),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("four eyes")), qPrintable(error));
    QCOMPARE(changed(manager, QStringLiteral("UPDATE operations SET id = id + 1000 WHERE id = %1").arg(m_approved), &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only an agent changes what operation")), qPrintable(error));
    // An environment's operations are its own project's: nobody files one under another project.
    QCOMPARE(changed(m_team.admin(),
                     QStringLiteral("INSERT INTO operations (kind, project_id, target, state, who, created) VALUES "
                                    "('apply', 'fabrikam', 'contoso-prod', 'NotStarted', 'x', 'x')"),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("environment contoso-prod belongs to project contoso")), qPrintable(error));
    // Nor remove production to add it back as a sandbox, nor give a sandbox production's database.
    QCOMPARE(changed(manager, QStringLiteral("DELETE FROM environments WHERE id = 'contoso-prod'"), &error), -1);
    QVERIFY2(error.contains(QStringLiteral("only a Project owner of contoso removes protected environment contoso-prod")),
             qPrintable(error));
    QCOMPARE(changed(manager,
                     QStringLiteral("UPDATE environment_databases SET path = (SELECT path FROM environment_databases WHERE "
                                    "environment_id = 'contoso-prod' AND role = 'transactional') WHERE environment_id = "
                                    "'contoso-uat2' AND role = 'transactional'"),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("that database is environment contoso-prod's already")), qPrintable(error));
    // Around the request: an operation inserted already Scheduled, or NotStarted and then moved on.
    QCOMPARE(changed(manager,
                     QStringLiteral("INSERT INTO operations (kind, project_id, target, state, who, created) VALUES "
                                    "('refresh', 'contoso', 'contoso-uat', 'Scheduled', 'x', 'x')"),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("an operation begins NotStarted")), qPrintable(error));
    auto own = connectAs(manager);
    QVERIFY(own);
    QSqlQuery q(own->database());
    QVERIFY2(q.exec(QStringLiteral("INSERT INTO operations (kind, project_id, target, state, who, created) VALUES "
                                   "('apply', 'contoso', 'contoso-prod', 'NotStarted', 'someone', 'x') RETURNING id, who")) &&
                 q.next(),
             qPrintable(q.lastError().text()));
    const qint64 sneaky = q.value(0).toLongLong();
    QCOMPARE(q.value(1).toString(), manager); // who asked is the login, whatever it claims
    q.finish();
    QCOMPARE(changed(manager, QStringLiteral("UPDATE operations SET state = 'Scheduled' WHERE id = %1").arg(sneaky),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("waits for a second Project owner's approval first")), qPrintable(error));
    QCOMPARE(changed(manager, QStringLiteral("UPDATE operations SET state = 'InProgress' WHERE id = %1").arg(sneaky),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("only an agent moves operation %1 from NotStarted to InProgress").arg(sneaky)),
             qPrintable(error));
    // Even the catalog's owner cannot approve on anyone's behalf: approved_by is the server's.
    QCOMPARE(changed(m_team.admin(), QStringLiteral("UPDATE operations SET approved_by = 'x' WHERE id = %1").arg(sneaky), &error),
             -1);
    QVERIFY(changed(m_team.admin(), QStringLiteral("UPDATE operations SET state = 'Aborted' WHERE id = %1").arg(sneaky), &error) ==
            1);
}

void TestApprovalService::approvedRequestRunsAsApproved()
{
    QVERIFY(m_approved > 0);
    const QString bob = m_team.login(QStringLiteral("bob"));
    const QString id = QString::number(m_approved);
    CliRun run = cliAs(bob, {QStringLiteral("approve"), id, QStringLiteral("--reason"), QStringLiteral("change 4711"),
                             QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Scheduled"));
    QCOMPARE(op.value(QStringLiteral("approval")).toObject().value(QStringLiteral("by")).toString(), bob);
    QCOMPARE(op.value(QStringLiteral("approval")).toObject().value(QStringLiteral("reason")).toString(),
             QStringLiteral("change 4711"));
    // Approved once: a second approval finds nothing awaiting.
    run = cliAs(m_team.login(QStringLiteral("alice")), {QStringLiteral("approve"), id});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    // What was approved is fixed, for its requester too.
    QString error;
    QCOMPARE(changed(m_team.login(QStringLiteral("alice")),
                     QStringLiteral("UPDATE operations SET window_end = window_start WHERE id = %1").arg(m_approved),
                     &error),
             -1);
    QVERIFY2(error.contains(QStringLiteral("runs as it was asked and approved by %1").arg(bob)), qPrintable(error));
    run = cliAs(m_team.login(QStringLiteral("alice")), {QStringLiteral("reschedule"), id,
                                                         QStringLiteral("--window-start"), QStringLiteral("2030-01-01T00:00"),
                                                         QStringLiteral("--window-end"), QStringLiteral("2030-01-02T00:00")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("was approved by %1 for its window").arg(bob)),
             qPrintable(run.describe()));
    // An agent runs it.
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("agent"))),
                         QStringLiteral("agent")}));
    auto admin = connectAs(m_team.admin());
    QVERIFY(admin);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QSqlQuery q(admin->database());
            return q.exec(QStringLiteral("SELECT state FROM operations WHERE request_id = %1").arg(m_approved)) &&
                   q.next() && q.value(0).toString() == QLatin1String("Completed");
        }(),
        120000);
    agent.sendSignal(SIGTERM);
    QVERIFY(agent.finish(30000).exitedWith(0));
    QCOMPARE(value(QStringLiteral("SELECT approved_by || ' ' || approval_note FROM operations WHERE request_id = %1")
                       .arg(m_approved)),
             QStringLiteral("%1 change 4711").arg(bob));
    QCOMPARE(value(QStringLiteral("SELECT who || ' ' || detail FROM audit WHERE action = 'operation.approve' AND "
                                  "subject = '%1'")
                       .arg(m_approved)),
             QStringLiteral("%1 change 4711").arg(bob));
    // Its runbook log archive is the evidence: who asked, who approved it and why, and the audit of both.
    const QString ran = value(QStringLiteral("SELECT id FROM operations WHERE request_id = %1").arg(m_approved));
    const QString zip = m_files.filePath(QStringLiteral("evidence.zip"));
    run = cliAs(bob, {QStringLiteral("logs"), ran, QStringLiteral("--out"), zip});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QMap<QString, QByteArray> entries = zipEntries(zip, &error);
    const QJsonObject evidence =
        QJsonDocument::fromJson(entries.value(QStringLiteral("operation-%1/evidence.json").arg(ran))).object();
    QCOMPARE(evidence.value(QStringLiteral("request")).toObject().value(QStringLiteral("by")).toString(),
             m_team.login(QStringLiteral("alice")));
    const QJsonObject approval = evidence.value(QStringLiteral("approval")).toObject();
    QCOMPARE(approval.value(QStringLiteral("status")).toString(), QStringLiteral("approved"));
    QCOMPARE(approval.value(QStringLiteral("by")).toString(), bob);
    QCOMPARE(approval.value(QStringLiteral("reason")).toString(), QStringLiteral("change 4711"));
    QVERIFY(!evidence.value(QStringLiteral("policy")).toObject().value(QStringLiteral("sha256")).toString().isEmpty());
    QStringList trail;
    for (const QJsonValue& a : evidence.value(QStringLiteral("audit")).toArray())
        trail << a.toObject().value(QStringLiteral("who")).toString() + QLatin1Char(' ') +
                     a.toObject().value(QStringLiteral("action")).toString();
    QVERIFY2(trail.contains(QStringLiteral("%1 operation.create").arg(m_team.login(QStringLiteral("alice")))) &&
                 trail.contains(QStringLiteral("%1 operation.approve").arg(bob)) &&
                 trail.contains(QStringLiteral("%1 operation.claim").arg(m_team.login(QStringLiteral("agent")))),
             qPrintable(trail.join(QLatin1String(", "))));
}

void TestApprovalService::rejectedApplyEndsCanceledWithTheReason()
{
    // Production is protected without anyone marking it: alice's apply waits, and her
    // CLI waits with it, until bob rejects it.
    const QString alice = m_team.login(QStringLiteral("alice"));
    CliProcess watching;
    QVERIFY(watching.start({QStringLiteral("--catalog"), urlAs(alice), QStringLiteral("apply"),
                            QStringLiteral("--package"), QStringLiteral("Application update"),
                            QStringLiteral("--target"), QStringLiteral("contoso-prod"), QStringLiteral("--yes")}));
    QVERIFY2(watching.waitForErr(QStringLiteral("waits for a Project owner other than %1").arg(alice)),
             watching.errSoFar().constData());
    const QString id = value(QStringLiteral("SELECT id FROM operations WHERE target = 'contoso-prod' AND state = "
                                            "'AwaitingApproval'"));
    QVERIFY(!id.isEmpty());
    const CliRun run = cliAs(m_team.login(QStringLiteral("bob")),
                             {QStringLiteral("reject"), id, QStringLiteral("--reason"), QStringLiteral("change freeze")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const CliOutcome ended = watching.finish(60000);
    QVERIFY2(ended.exitedWith(5), ended.err.constData());
    QVERIFY2(QString::fromUtf8(ended.err).contains(QStringLiteral("rejected by %1: change freeze")
                                                       .arg(m_team.login(QStringLiteral("bob")))),
             ended.err.constData());
    QCOMPARE(value(QStringLiteral("SELECT state FROM operations WHERE id = %1").arg(id)), QStringLiteral("Aborted"));
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM operation_steps s JOIN operations o ON o.id = s.operation_id "
                                  "WHERE o.id = %1 AND s.state <> 'NotStarted'")
                       .arg(id)),
             QStringLiteral("0"));
}

void TestApprovalService::agentRefusesAnotherEnvironmentsDatabase()
{
    // An Environment manager's psql files a request on an unprotected sandbox whose parameters name production's
    // database (copied from the rejected apply): the agent refuses it, and production's files are untouched.
    const QString manager = m_team.login(QStringLiteral("manager"));
    const QString prodParams = value(QStringLiteral("SELECT params FROM operations WHERE target = 'contoso-prod' AND kind "
                                                    "= 'apply' AND approval_note <> '' ORDER BY id DESC LIMIT 1"));
    QVERIFY2(prodParams.contains(QStringLiteral("contoso-prod")), qPrintable(prodParams));
    auto own = connectAs(manager);
    QVERIFY(own);
    QSqlQuery q(own->database());
    q.prepare(QStringLiteral("INSERT INTO operations (kind, project_id, target, state, who, created, params) VALUES "
                             "('apply', 'contoso', 'contoso-uat2', 'NotStarted', 'x', 'x', ?) RETURNING id"));
    q.addBindValue(prodParams);
    QVERIFY2(q.exec() && q.next(), qPrintable(q.lastError().text()));
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    q.prepare(QStringLiteral("INSERT INTO operation_steps (operation_id, ordinal, name, state) SELECT ?, ordinal, name, "
                             "'NotStarted' FROM operation_steps WHERE operation_id = (SELECT id FROM operations WHERE "
                             "target = 'contoso-prod' AND kind = 'apply' ORDER BY id DESC LIMIT 1)"));
    q.addBindValue(id);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QString error;
    QCOMPARE(changed(manager, QStringLiteral("UPDATE operations SET state = 'Scheduled', window_start = '2020-01-01T00:00:00.000Z', "
                                             "window_end = '2099-01-01T00:00:00.000Z' WHERE id = %1")
                                  .arg(id),
                     &error),
             1);
    const QDir prod(QFileInfo(value(QStringLiteral("SELECT path FROM environment_databases WHERE environment_id = "
                                                   "'contoso-prod' AND role = 'transactional'")))
                        .absolutePath());
    const QStringList before = prod.entryList(QDir::Files);
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("agent"))),
                         QStringLiteral("agent"), QStringLiteral("--once")}));
    QVERIFY(agent.finish(120000).exitedWith(0));
    const QString state = value(QStringLiteral("SELECT state || ': ' || error FROM operations WHERE request_id = %1").arg(id));
    QVERIFY2(state.startsWith(QStringLiteral("Aborted: refused: Operation ")) &&
                 state.contains(QStringLiteral("which is none of contoso-uat2's")),
             qPrintable(state));
    QCOMPARE(prod.entryList(QDir::Files), before);
    QCOMPARE(value(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'operation.refused'")), QStringLiteral("1"));
}

void TestApprovalService::agentRefusesAForgedRestorePoint()
{
    // A restore point row written with raw SQL for an unprotected sandbox, naming production's database as its
    // copy: a restore from it would put production's data, unmasked, into the sandbox. The agent refuses it: the
    // point's databases are not the copies DataALM makes of the sandbox's.
    const QString manager = m_team.login(QStringLiteral("manager"));
    const QString prodPath = value(QStringLiteral("SELECT path FROM environment_databases WHERE environment_id = "
                                                  "'contoso-prod' AND role = 'transactional'"));
    const QString sandboxPath = value(QStringLiteral("SELECT path FROM environment_databases WHERE environment_id = "
                                                     "'contoso-uat2' AND role = 'transactional'"));
    auto own = connectAs(manager);
    QVERIFY(own);
    QSqlQuery q(own->database());
    q.prepare(QStringLiteral("INSERT INTO restore_points (project_id, environment_id, kind, state, created, expires, "
                             "databases, who) VALUES ('contoso', 'contoso-uat2', 'manual', 'Available', ?, ?, ?, 'x') "
                             "RETURNING id"));
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    q.addBindValue(QDateTime::currentDateTimeUtc().addDays(3).toString(Qt::ISODateWithMs));
    q.addBindValue(QStringLiteral("[{\"role\": \"transactional\", \"driver\": \"sqlite\", \"path\": \"%1\"}]").arg(prodPath));
    QVERIFY2(q.exec() && q.next(), qPrintable(q.lastError().text()));
    const QString point = q.value(0).toString();
    q.finish();
    QFile sandbox(sandboxPath);
    QVERIFY(sandbox.open(QIODevice::ReadOnly));
    const QByteArray before = QCryptographicHash::hash(sandbox.readAll(), QCryptographicHash::Sha256);
    sandbox.close();
    CliRun run = cliAs(manager, {QStringLiteral("restore"), QStringLiteral("--target"), QStringLiteral("contoso-uat2"),
                                 QStringLiteral("--point"), point, QStringLiteral("--yes"), QStringLiteral("--no-wait"),
                                 QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("id")).toInteger();
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("agent"))),
                         QStringLiteral("agent"), QStringLiteral("--once")}));
    QVERIFY(agent.finish(120000).exitedWith(0));
    const QString ended = value(QStringLiteral("SELECT state || ': ' || error FROM operations WHERE request_id = %1 OR id = %1 "
                                               "ORDER BY id DESC LIMIT 1")
                                    .arg(request));
    QVERIFY2(ended.contains(QStringLiteral("which is not where DataALM keeps contoso-uat2's restore points")),
             qPrintable(ended));
    QVERIFY(sandbox.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(sandbox.readAll(), QCryptographicHash::Sha256), before);
    sandbox.close();
    // A restore point DataALM made is restored from, by the agent, as before.
    run = cliAs(manager, {QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                          QStringLiteral("contoso-uat2"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QString made = QString::number(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("id")).toInteger());
    run = cliAs(manager, {QStringLiteral("restore"), QStringLiteral("--target"), QStringLiteral("contoso-uat2"),
                          QStringLiteral("--point"), made, QStringLiteral("--yes"), QStringLiteral("--no-wait"),
                          QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 good = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("id")).toInteger();
    CliProcess again;
    QVERIFY(again.start({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("agent"))),
                         QStringLiteral("agent"), QStringLiteral("--once")}));
    QVERIFY(again.finish(120000).exitedWith(0));
    QCOMPARE(value(QStringLiteral("SELECT state FROM operations WHERE request_id = %1").arg(good)), QStringLiteral("Completed"));
}

void TestApprovalService::unapprovedRequestExpiresWithItsWindow()
{
    const QString alice = m_team.login(QStringLiteral("alice"));
    const QJsonObject op = requestRefresh(alice);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("AwaitingApproval"));
    const qint64 id = op.value(QStringLiteral("id")).toInteger();
    // The agent's clock two days on: the request's window (a day from its submission) ended unapproved.
    CliProcess agent;
    agent.setEnv(QStringLiteral("DATAALM_TEST_CLOCK_SKEW_S"), QString::number(2 * 24 * 3600));
    QVERIFY(agent.start({QStringLiteral("--catalog"), urlAs(m_team.login(QStringLiteral("agent"))),
                         QStringLiteral("agent"), QStringLiteral("--once")}));
    QVERIFY(agent.finish(60000).exitedWith(0));
    QCOMPARE(value(QStringLiteral("SELECT state || ': ' || error FROM operations WHERE id = %1").arg(id)).section(QLatin1Char('('), 0, 0),
             QStringLiteral("Aborted: not approved before its window ended "));
    const CliRun run = cliAs(m_team.login(QStringLiteral("bob")), {QStringLiteral("approve"), QString::number(id)});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
}

void TestApprovalService::oneOwnerCatalogHasNoApprovals()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QString catalog = folder.filePath(QStringLiteral("catalog"));
    CliRun run = runCli({QStringLiteral("--catalog"), catalog, QStringLiteral("demo"), QStringLiteral("--size-mb"),
                         QStringLiteral("1")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = runCli({QStringLiteral("--catalog"), catalog, QStringLiteral("env"), QStringLiteral("protect"),
                  QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("a one-person catalog has nobody else to approve")),
             qPrintable(run.describe()));
    // Production's apply runs when its owner asks: there is nobody else to ask.
    run = runCli({QStringLiteral("--catalog"), catalog, QStringLiteral("package"), QStringLiteral("import"),
                  QStringLiteral("--shared"), QStringLiteral("Application update")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = runCli({QStringLiteral("--catalog"), catalog, QStringLiteral("apply"), QStringLiteral("--package"),
                  QStringLiteral("Application update"), QStringLiteral("--target"), QStringLiteral("contoso-prod"),
                  QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QVERIFY(!op.contains(QStringLiteral("approval")));
    run = runCli({QStringLiteral("--catalog"), catalog, QStringLiteral("approve"),
                  QString::number(op.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Approvals are a team catalog's")), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(TestApprovalService)
#include "tst_approvalservice.moc"
