// Team mode: one catalog on the test server, several `dataalm agent` processes sharing
// its queue. Every operation runs exactly once, no target ever has two operations at
// once (the catalog's constraint, and what is observed while they run), agents killed
// with SIGKILL leave their operations to the others (lease, then resume), dropped
// catalog connections are survived, a CLI submits and watches an operation that an
// agent runs, the catalog's server restarted mid-run is survived by agents and a CLI
// that watches, and two consoles and a CLI acting on one operation at once find
// exactly one of them winning.
#include "CliProcess.h"
#include "CliRun.h"
#include "OperationSession.h"
#include "PostgresTestSupport.h"
#include "PrivatePostgresServer.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "lifecycle/OperationService.h"
#include "refresh/RefreshRequest.h"
#include "schedule/RequestService.h"
#include "core/Clock.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <memory>

namespace {

constexpr int Agents = 8;
constexpr int Environments = 50;
constexpr int OperationsPerEnvironment = 4;

} // namespace

class TestTeamCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cliSubmitsAndWatches();
    void agentsRunEveryOperationOnceUnderKills();
    void oneOperationPerTargetIsAConstraint();
    void agentWithLabelsTakesOnlyItsOwn();
    void anotherMachinesAgentLosesItsLease();
    void serverRestartedMidRun();
    void consolesAndCliRaceOnOneOperation();
    void actionOfAKilledAgentIsReleased();
    void catalogDroppedDuringValidationInterrupts();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 120000);
    // Submits a refresh of `target` from contoso-prod to the agents; its request id.
    qint64 submit(const QString& target);
    // Waits until no operation is Scheduled, NotStarted, running, or interrupted inside
    // its window; samples the running ones meanwhile and fails on a target held twice.
    void waitForSettled(int timeoutMs, const std::function<void()>& meanwhile = {});
    std::unique_ptr<CliProcess> startAgent(const QStringList& extra = {});

    QTemporaryDir m_files;
    QString m_database;
    QString m_url;
    Catalog m_catalog;
    QStringList m_sandboxes;
    int m_maxHeldAtOnce = 0;
};

CliRun TestTeamCatalog::cli(const QStringList& args, int timeoutMs)
{
    return runCli(QStringList{QStringLiteral("--catalog"), m_url} + args, timeoutMs);
}

void TestTeamCatalog::initTestCase()
{
    const DatabaseRef server = PostgresTestSupport::server();
    QVERIFY2(!server.driver.isEmpty(), "DATAALM_TEST_PG_URL is not set: run through scripts/test");
    QVERIFY(m_files.isValid());
    m_database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_team_"));
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(m_database, &error), qPrintable(error));
    m_url = QStringLiteral("postgresql://%1@%2:%3/%4").arg(server.user, server.host).arg(server.port).arg(m_database);
    // Every process of the test (agents, CLIs) shares these: the files folder, and a one-second heartbeat (a
    // three-second lease).
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    qputenv("DATAALM_AGENT_HEARTBEAT_S", "1");

    const CliRun demo = cli({QStringLiteral("demo"), QStringLiteral("--size-mb"), QStringLiteral("1")});
    QVERIFY2(demo.exitedWith(0), qPrintable(demo.describe()));
    QVERIFY2(m_catalog.open(m_url, &error), qPrintable(error));
    QVERIFY(m_catalog.isTeam());
    // 50 sandboxes like contoso-uat, each with databases of its own.
    const auto uat = m_catalog.environment(QStringLiteral("contoso-uat"));
    QVERIFY(uat);
    for (int i = 1; i <= Environments; ++i) {
        Environment e = *uat;
        e.id = QStringLiteral("sbx-%1").arg(i, 2, 10, QLatin1Char('0'));
        e.name = e.id;
        for (DatabaseRef& d : e.databases) {
            QVERIFY(d.isSqlite());
            const QString copy = QDir(m_files.path()).filePath(QStringLiteral("%1-%2.db").arg(e.id, d.role));
            QVERIFY(QFile::copy(d.path, copy));
            d.path = copy;
        }
        QVERIFY2(m_catalog.addEnvironment(e, &error), qPrintable(error));
        m_sandboxes << e.id;
    }
}

void TestTeamCatalog::cleanupTestCase()
{
    m_catalog.~Catalog();
    new (&m_catalog) Catalog;
    PostgresTestSupport::dropDatabase(m_database);
}

std::unique_ptr<CliProcess> TestTeamCatalog::startAgent(const QStringList& extra)
{
    auto agent = std::make_unique<CliProcess>();
    if (!agent->start(QStringList{QStringLiteral("--catalog"), m_url, QStringLiteral("agent")} + extra))
        return nullptr;
    return agent;
}

qint64 TestTeamCatalog::submit(const QString& targetId)
{
    const auto source = m_catalog.environment(QStringLiteral("contoso-prod"));
    const auto target = m_catalog.environment(targetId);
    if (!source || !target)
        return 0;
    QString error;
    const auto id = OperationService(m_catalog).createRefresh(*source, *target,
                                                              RefreshRequest::policyPathFor(m_catalog, *target), &error);
    if (!id) {
        qWarning("refresh of %s not created: %s", qPrintable(targetId), qPrintable(error));
        return 0;
    }
    const QDateTime now = Clock::nowUtc();
    if (!RequestService(m_catalog).schedule(*id, RequestWindow{now, now.addDays(1)}, true, &error)) {
        qWarning("refresh %lld not submitted: %s", *id, qPrintable(error));
        return 0;
    }
    return *id;
}

void TestTeamCatalog::waitForSettled(int timeoutMs, const std::function<void()>& meanwhile)
{
    QElapsedTimer clock;
    clock.start();
    qint64 lastReport = 0;
    while (clock.elapsed() < timeoutMs) {
        QSqlQuery held(m_catalog.database());
        // What holds a target right now: two for one target would be a broken promise.
        QVERIFY2(held.exec(QStringLiteral("SELECT target, count(*) FROM operations WHERE state IN ('NotStarted', "
                                          "'InProgress', 'RollbackInProgress') GROUP BY target ORDER BY 2 DESC")),
                 qPrintable(held.lastError().text()));
        int running = 0;
        while (held.next()) {
            QVERIFY2(held.value(1).toInt() == 1, qPrintable(held.value(0).toString() + QStringLiteral(" held twice")));
            ++running;
        }
        m_maxHeldAtOnce = std::max(m_maxHeldAtOnce, running);
        QSqlQuery open(m_catalog.database());
        QVERIFY(open.exec(QStringLiteral("SELECT count(*) FROM operations WHERE state IN ('Scheduled', 'NotStarted', "
                                         "'InProgress', 'RollbackInProgress') OR (state = 'Failed' AND error LIKE "
                                         "'interrupted%')")) &&
                open.next());
        if (open.value(0).toInt() == 0)
            return;
        if (clock.elapsed() / 10000 != lastReport) {
            lastReport = clock.elapsed() / 10000;
            QSqlQuery states(m_catalog.database());
            QStringList counts;
            if (states.exec(QStringLiteral("SELECT state, count(*) FROM operations GROUP BY state ORDER BY state"))) {
                while (states.next())
                    counts << states.value(0).toString() + QLatin1Char('=') + states.value(1).toString();
            }
            qInfo("%llds: %s", clock.elapsed() / 1000, qPrintable(counts.join(QLatin1Char(' '))));
        }
        if (meanwhile)
            meanwhile();
        QTest::qWait(100);
    }
    QFAIL("the operations did not settle in time");
}

void TestTeamCatalog::cliSubmitsAndWatches()
{
    auto agent = startAgent();
    QVERIFY(agent);
    QVERIFY2(agent->waitForErr(QStringLiteral("on the team catalog")), agent->errSoFar().constData());
    // The CLI submits, an agent runs, the CLI prints the steps and the result, and exits as the operation ended.
    CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                      QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("is submitted to the agents")), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Agent %1").arg(QSysInfo::machineHostName())),
             qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Swap into target: Completed")), qPrintable(run.describe()));
    QSqlQuery q(m_catalog.database());
    QVERIFY(q.exec(QStringLiteral("SELECT state, agent_id, request_id FROM operations WHERE target = 'contoso-uat'")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("Completed"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(agent->pid()));
    QVERIFY(q.value(2).toLongLong() > 0);
    QVERIFY(!q.next());
    // `agents` names it, alive, with its version.
    run = cli({QStringLiteral("agents"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonArray agents = QJsonDocument::fromJson(run.out).array();
    QCOMPARE(agents.size(), 1);
    QVERIFY(agents.at(0).toObject().value(QStringLiteral("alive")).toBool());
    QCOMPARE(agents.at(0).toObject().value(QStringLiteral("version")).toString(), QStringLiteral(DATAALM_VERSION));
    // --no-wait submits and returns at once.
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
               QStringLiteral("--target"), QStringLiteral("fabrikam-uat"), QStringLiteral("--yes"),
               QStringLiteral("--no-wait"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // Scheduled, or already what an agent made of it (a claim gives the request a new id).
    const QJsonObject submitted = QJsonDocument::fromJson(run.out).object();
    QVERIFY2(QStringList({QStringLiteral("Scheduled"), QStringLiteral("NotStarted"), QStringLiteral("InProgress"),
                          QStringLiteral("Completed")})
                 .contains(submitted.value(QStringLiteral("state")).toString()),
             run.out.constData());
    QCOMPARE(submitted.value(QStringLiteral("target")).toString(), QStringLiteral("fabrikam-uat"));
    waitForSettled(60000);
    agent->sendSignal(SIGTERM);
    QVERIFY(agent->finish(30000).exitedWith(0));
}

void TestTeamCatalog::agentsRunEveryOperationOnceUnderKills()
{
    // 200 operations on 50 sandboxes, four queued for each (a request holds nothing until it is claimed; a
    // target being refreshed refuses a new operation, so they are submitted before the agents start).
    QList<qint64> requests;
    for (int round = 0; round < OperationsPerEnvironment; ++round) {
        for (const QString& target : std::as_const(m_sandboxes)) {
            const qint64 id = submit(target);
            QVERIFY(id > 0);
            requests << id;
        }
    }
    std::vector<std::unique_ptr<CliProcess>> agents;
    for (int i = 0; i < Agents; ++i) {
        agents.push_back(startAgent());
        QVERIFY(agents.back());
    }
    QCOMPARE(requests.size(), Environments * OperationsPerEnvironment);

    // SIGKILL an agent at a random instant ten times, paced by progress rather than by the clock (a fast machine
    // would otherwise finish before the tenth): the k-th kill comes once k/12 of the operations completed, at a
    // random moment after that, a new agent taking the victim's place; once, every connection to the catalog is
    // dropped (what agents see when the server restarts).
    QElapsedTimer clock;
    clock.start();
    int kills = 0;
    bool dropped = false;
    qint64 notBefore = 0;
    waitForSettled(900000, [&] {
        if (kills >= 10 || clock.elapsed() < notBefore)
            return;
        QSqlQuery done(m_catalog.database());
        QVERIFY(done.exec(QStringLiteral("SELECT count(*) FROM operations WHERE target LIKE 'sbx-%' AND state = "
                                         "'Completed'")) &&
                done.next());
        if (done.value(0).toInt() * 12 < (kills + 1) * int(requests.size()))
            return;
        const int victim = int(QRandomGenerator::global()->bounded(quint32(agents.size())));
        agents[size_t(victim)]->sendSignal(SIGKILL);
        agents[size_t(victim)]->finish(10000);
        agents[size_t(victim)] = startAgent();
        ++kills;
        notBefore = clock.elapsed() + QRandomGenerator::global()->bounded(400);
        if (!dropped && kills == 5) {
            dropped = true;
            QString e;
            QSqlQuery self(m_catalog.database());
            QVERIFY(self.exec(QStringLiteral("SELECT pg_backend_pid()")) && self.next());
            QVERIFY2(PostgresTestSupport::exec(
                         PostgresTestSupport::server(),
                         QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%1' AND "
                                        "pid <> %2")
                             .arg(m_database)
                             .arg(self.value(0).toLongLong()),
                         &e),
                     qPrintable(e));
            // This test's own connection was spared; it reads on.
        }
    });
    const double seconds = clock.elapsed() / 1000.0;
    QCOMPARE(kills, 10);

    // Every request became exactly one operation, claimed once, and completed.
    QSqlQuery q(m_catalog.database());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*), count(*) FILTER (WHERE state = 'Completed') FROM operations "
                                  "WHERE target LIKE 'sbx-%'")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), requests.size());
    if (q.value(1).toInt() != requests.size()) {
        QSqlQuery why(m_catalog.database());
        QStringList ends;
        if (why.exec(QStringLiteral("SELECT id, target, state, error FROM operations WHERE target LIKE 'sbx-%' AND "
                                    "state <> 'Completed'"))) {
            while (why.next())
                ends << QStringLiteral("%1 %2 %3: %4")
                            .arg(why.value(0).toString(), why.value(1).toString(), why.value(2).toString(),
                                 why.value(3).toString());
        }
        QFAIL(qPrintable(QStringLiteral("not completed: ") + ends.join(QStringLiteral("; "))));
    }
    for (qint64 id : std::as_const(requests)) {
        QSqlQuery r(m_catalog.database());
        r.prepare(QStringLiteral("SELECT count(*) FROM operations WHERE request_id = ?"));
        r.addBindValue(id);
        QVERIFY(r.exec() && r.next());
        QCOMPARE(r.value(0).toInt(), 1);
        QSqlQuery a(m_catalog.database());
        a.prepare(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'operation.claim' AND detail LIKE ?"));
        a.addBindValue(QStringLiteral("request %1 claimed by %").arg(id));
        QVERIFY(a.exec() && a.next());
        QCOMPARE(a.value(0).toInt(), 1);
    }
    // Interrupted ones were resumed (by another agent) to Completed.
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'operation.interrupted'")) && q.next());
    const int interrupted = q.value(0).toInt();
    qInfo("%d operations by %d agents (SIGKILL x%d, connections dropped once) in %.1f s: %.2f operations/s; %d "
          "interrupted and resumed; at most %d targets held at once",
          int(requests.size()), Agents, kills, seconds, requests.size() / seconds, interrupted, m_maxHeldAtOnce);
    QVERIFY2(m_maxHeldAtOnce > 1, "the agents never ran two operations at once");
    for (auto& agent : agents) {
        agent->sendSignal(SIGTERM);
        QVERIFY(agent->finish(30000).exitedWith(0));
    }
}

void TestTeamCatalog::oneOperationPerTargetIsAConstraint()
{
    // A writer that skips the rules (raw SQL, as a buggy or hostile client would) still cannot commit a second
    // operation holding a target: the catalog refuses it.
    QSqlQuery q(m_catalog.database());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO operations (kind, target, state, who, created) VALUES ('refresh', "
                                  "'sbx-01', 'InProgress', 'x', '2026-01-01T00:00:00Z')")));
    QSqlQuery second(m_catalog.database());
    QVERIFY(!second.exec(QStringLiteral("INSERT INTO operations (kind, target, state, who, created) VALUES ('refresh', "
                                        "'sbx-01', 'NotStarted', 'x', '2026-01-01T00:00:00Z')")));
    QVERIFY2(Catalog::isUniqueViolation(second.lastError()), qPrintable(second.lastError().text()));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM operations WHERE who = 'x'")));
}

void TestTeamCatalog::agentWithLabelsTakesOnlyItsOwn()
{
    auto labelled = startAgent({QStringLiteral("--labels"), QStringLiteral("sbx-01")});
    QVERIFY(labelled);
    QVERIFY2(labelled->waitForErr(QStringLiteral("(labels: sbx-01)")), labelled->errSoFar().constData());
    const qint64 other = submit(QStringLiteral("sbx-02"));
    const qint64 own = submit(QStringLiteral("sbx-01"));
    QVERIFY(other > 0 && own > 0);
    QElapsedTimer clock;
    clock.start();
    OperationStore store(m_catalog);
    while (clock.elapsed() < 60000) {
        const auto id = store.currentIdOf(own);
        const auto op = id ? store.get(*id) : std::nullopt;
        if (op && op->state == OperationState::Completed)
            break;
        QTest::qWait(100);
    }
    const auto ownId = store.currentIdOf(own);
    QVERIFY(ownId);
    QCOMPARE(operationStateName(store.get(*ownId)->state), QStringLiteral("Completed"));
    // sbx-02 is not its own: it still waits.
    QCOMPARE(operationStateName(store.get(other)->state), QStringLiteral("Scheduled"));
    auto any = startAgent();
    QVERIFY(any);
    waitForSettled(60000);
    const auto otherId = store.currentIdOf(other);
    QCOMPARE(operationStateName(store.get(*otherId)->state), QStringLiteral("Completed"));
    for (auto* agent : {labelled.get(), any.get()}) {
        agent->sendSignal(SIGTERM);
        QVERIFY(agent->finish(30000).exitedWith(0));
    }
}

void TestTeamCatalog::anotherMachinesAgentLosesItsLease()
{
    // An operation run by an agent on another machine (whose process this one cannot ask about): left alone while
    // its agent heartbeats, marked interrupted once three heartbeats (3 s here) pass without one.
    QSqlQuery q(m_catalog.database());
    const QString seen = Clock::nowUtc().toString(Qt::ISODateWithMs);
    QVERIFY(q.exec(QStringLiteral("INSERT INTO agents (id, host, pid, started, seen) VALUES ('far:42', 'far', 42, '%1', "
                                  "'%1')")
                       .arg(seen)));
    QVERIFY(q.exec(QStringLiteral("INSERT INTO operations (kind, target, state, who, created, started, owner_pid, "
                                  "owner_host, agent_id) VALUES ('refresh', 'sbx-03', 'InProgress', 'x', '%1', '%1', 42, "
                                  "'far', 'far:42') RETURNING id")
                       .arg(seen)) &&
            q.next());
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    OperationStore store(m_catalog);
    QVERIFY(!store.recoverInterrupted().contains(id));
    QCOMPARE(operationStateName(store.get(id)->state), QStringLiteral("InProgress"));
    QTest::qWait(3500);
    QVERIFY(store.recoverInterrupted().contains(id));
    const auto op = store.get(id);
    QCOMPARE(operationStateName(op->state), QStringLiteral("Failed"));
    QVERIFY2(op->error.startsWith(QStringLiteral("interrupted")), qPrintable(op->error));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM operations WHERE id = %1").arg(id)));
}

void TestTeamCatalog::serverRestartedMidRun()
{
    // A catalog server of this test's own, restarted (pg_ctl restart -m fast) while two agents copy and a CLI
    // watches: the agents reconnect, every operation completes, the CLI prints the end.
    PrivatePostgresServer server;
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString url = server.url();
    QTemporaryDir files;
    const QByteArray sharedFiles = qgetenv("DATAALM_FILES");
    qputenv("DATAALM_FILES", files.path().toLocal8Bit());
    const CliRun demo = runCli({QStringLiteral("--catalog"), url, QStringLiteral("demo"), QStringLiteral("--size-mb"),
                                QStringLiteral("1")});
    QVERIFY2(demo.exitedWith(0), qPrintable(demo.describe()));
    {
        // A second sandbox like contoso-uat, so that two refreshes run at once.
        Catalog catalog;
        QVERIFY2(catalog.open(url, &error), qPrintable(error));
        Environment e = *catalog.environment(QStringLiteral("contoso-uat"));
        e.id = QStringLiteral("contoso-uat3");
        e.name = e.id;
        for (DatabaseRef& d : e.databases) {
            const QString copy = files.filePath(QStringLiteral("uat3-%1.db").arg(d.role));
            QVERIFY(QFile::copy(d.path, copy));
            d.path = copy;
        }
        QVERIFY2(catalog.addEnvironment(e, &error), qPrintable(error));
    }
    auto slow = [&](CliProcess& p) {
        p.setEnv(QStringLiteral("DATAALM_FILES"), files.path());
        p.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("8"));
        p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("60"));
    };
    std::vector<std::unique_ptr<CliProcess>> agents;
    for (int i = 0; i < 2; ++i) {
        agents.push_back(std::make_unique<CliProcess>());
        slow(*agents.back());
        QVERIFY(agents.back()->start({QStringLiteral("--catalog"), url, QStringLiteral("agent")}));
        QVERIFY2(agents.back()->waitForErr(QStringLiteral("on the team catalog")), agents.back()->errSoFar().constData());
    }
    CliProcess watcher;
    watcher.setEnv(QStringLiteral("DATAALM_FILES"), files.path());
    QVERIFY(watcher.start({QStringLiteral("--catalog"), url, QStringLiteral("refresh"), QStringLiteral("--source"),
                           QStringLiteral("contoso-prod"), QStringLiteral("--target"), QStringLiteral("contoso-uat"),
                           QStringLiteral("--yes")}));
    const CliRun second = runCli({QStringLiteral("--catalog"), url, QStringLiteral("refresh"), QStringLiteral("--source"),
                                  QStringLiteral("contoso-prod"), QStringLiteral("--target"),
                                  QStringLiteral("contoso-uat3"), QStringLiteral("--yes"), QStringLiteral("--no-wait")});
    QVERIFY2(second.exitedWith(0), qPrintable(second.describe()));
    QVERIFY2(watcher.waitForErr(QStringLiteral("Copy")), watcher.errSoFar().constData());

    // Mid-copy: the server goes down and comes back.
    QVERIFY2(server.restart(&error), qPrintable(error));
    const CliOutcome watched = watcher.finish(240000);
    QVERIFY2(watched.exitedWith(0), qPrintable(watched.describe()));
    QVERIFY2(watched.errText().contains(QStringLiteral("Swap into target: Completed")), qPrintable(watched.describe()));

    Catalog catalog;
    QVERIFY2(catalog.open(url, &error), qPrintable(error));
    QElapsedTimer clock;
    clock.start();
    int completed = 0;
    while (clock.elapsed() < 180000) {
        QSqlQuery q(catalog.database());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FILTER (WHERE state = 'Completed'), count(*) FROM operations")) &&
                q.next());
        completed = q.value(0).toInt();
        if (completed == 2 && q.value(1).toInt() == 2)
            break;
        QTest::qWait(200);
    }
    if (completed != 2) {
        QSqlQuery q(catalog.database());
        QVERIFY(q.exec(QStringLiteral("SELECT id, target, state, error, agent_id, request_id FROM operations")));
        while (q.next()) {
            QStringList row;
            for (int c = 0; c < 6; ++c)
                row << q.value(c).toString();
            qWarning("operation %s", qPrintable(row.join(QStringLiteral(" | "))));
        }
        for (auto& agent : agents)
            qWarning("agent: %s", agent->errSoFar().constData());
    }
    QCOMPARE(completed, 2);
    // Both agents are still there, heartbeating on new connections.
    QTest::qWait(1500);
    const CliRun listed = runCli({QStringLiteral("--catalog"), url, QStringLiteral("agents"), QStringLiteral("--json")});
    QVERIFY2(listed.exitedWith(0), qPrintable(listed.describe()));
    int alive = 0;
    for (const QJsonValue& a : QJsonDocument::fromJson(listed.out).array())
        alive += a.toObject().value(QStringLiteral("alive")).toBool();
    QCOMPARE(alive, 2);
    for (auto& agent : agents) {
        QVERIFY(agent->isRunning());
        agent->sendSignal(SIGTERM);
        QVERIFY(agent->finish(30000).exitedWith(0));
    }
    qputenv("DATAALM_FILES", sharedFiles);
}

void TestTeamCatalog::consolesAndCliRaceOnOneOperation()
{
    // Two consoles (OperationSessions, each with its runner and connection, as the console's Operation tab
    // drives them) and a CLI act on one operation at the same instant: all three read it, pause, then ask the
    // agents for their action. Exactly one wins and an agent carries it out; the others are refused with the
    // lifecycle's sentence and change nothing.
    QString error;
    qputenv("DATAALM_TEST_PAUSE_AT", "before-claim");
    qputenv("DATAALM_TEST_PAUSE_MS", "1500");
    struct Race
    {
        QString target;
        OperationRunner::Action first;
        OperationRunner::Action second;
        QString cliVerb;
    };
    // Rollback vs sign off on a completed refresh; abort (the console's Cancel of a failed operation) vs resume
    // on an interrupted one.
    const QList<Race> races = {{QStringLiteral("sbx-10"), OperationRunner::Rollback, OperationRunner::SignOff,
                                QStringLiteral("signoff")},
                               {QStringLiteral("sbx-11"), OperationRunner::Abort, OperationRunner::Resume,
                                QStringLiteral("resume")}};
    for (const Race& race : races) {
        // Slow copies, so that an agent can be killed mid-run.
        auto agent = std::make_unique<CliProcess>();
        agent->setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("8"));
        agent->setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("50"));
        QVERIFY(agent->start({QStringLiteral("--catalog"), m_url, QStringLiteral("agent")}));
        const qint64 request = submit(race.target);
        QVERIFY(request > 0);
        OperationStore store(m_catalog);
        qint64 id = 0;
        if (race.first == OperationRunner::Rollback) {
            QTRY_VERIFY_WITH_TIMEOUT(store.currentIdOf(request).value_or(request) != request &&
                                         store.get(*store.currentIdOf(request))->state == OperationState::Completed,
                                     60000);
            id = *store.currentIdOf(request);
            agent->sendSignal(SIGTERM);
            QVERIFY(agent->finish(30000).exitedWith(0));
        } else {
            // Interrupted: its agent killed mid-run, no other agent to resume it.
            QTRY_VERIFY_WITH_TIMEOUT(store.currentIdOf(request).value_or(request) != request, 60000);
            id = *store.currentIdOf(request);
            // Killed while it copies (step 3).
            QTRY_VERIFY_WITH_TIMEOUT(store.get(id)->steps.size() > 2 &&
                                         store.get(id)->steps.at(2).state == StepState::InProgress,
                                     60000);
            agent->sendSignal(SIGKILL);
            QVERIFY(agent->finish(10000).killedBy(SIGKILL));
            store.recoverInterrupted();
            const auto op = store.get(id);
            QVERIFY(op);
            QCOMPARE(operationStateName(op->state), QStringLiteral("Failed"));
        }
        // On a team catalog the consoles and the CLI hand the action to the agents: the race is for the
        // request (a compare-and-set on the operation); no agent runs yet.
        OperationSession consoleA(m_catalog, id);
        OperationSession consoleB(m_catalog, id);
        CliProcess cli;
        cli.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("before-claim"));
        cli.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("1500"));
        consoleA.execute(race.first);
        consoleB.execute(race.second);
        QVERIFY(cli.start({QStringLiteral("--catalog"), m_url, race.cliVerb, QString::number(id)}));
        QTRY_VERIFY_WITH_TIMEOUT(!consoleA.isBusy() && !consoleB.isBusy(), 120000);
        QTRY_VERIFY_WITH_TIMEOUT(!cli.isRunning() || cli.errSoFar().contains("is waiting for an agent"), 120000);
        QVERIFY2(store.get(id)->actionAgent.isEmpty(), "an action was carried out before any agent ran");
        const QString asked = store.get(id)->pendingAction;
        QVERIFY2(!asked.isEmpty(), "nobody's action was recorded for the agents");

        // An agent carries out the winner's action, in the winner's name.
        auto carrier = startAgent();
        QVERIFY(carrier);
        QTRY_VERIFY_WITH_TIMEOUT((consoleA.reload(), consoleB.reload(),
                                  !consoleA.isAwaitingAgent() && !consoleB.isAwaitingAgent()),
                                 120000);
        const CliOutcome cliRun = cli.finish(120000);
        const bool cliWon = cliRun.exitedWith(0);
        const bool aWon = consoleA.lastOutcome() == OperationRunner::Done;
        const bool bWon = consoleB.lastOutcome() == OperationRunner::Done;
        QVERIFY2(int(cliWon) + int(aWon) + int(bWon) == 1,
                 qPrintable(QStringLiteral("A: %1 %2; B: %3 %4; CLI: %5")
                                .arg(consoleA.lastOutcome())
                                .arg(consoleA.lastMessage())
                                .arg(consoleB.lastOutcome())
                                .arg(consoleB.lastMessage())
                                .arg(cliRun.describe())));
        const QString sentence = QStringLiteral("Operation %1 is ").arg(id);
        for (OperationSession* s : {&consoleA, &consoleB}) {
            if (s->lastOutcome() == OperationRunner::Done)
                continue;
            QCOMPARE(s->lastOutcome(), int(OperationRunner::Refused));
            QVERIFY2(s->lastMessage().startsWith(sentence), qPrintable(s->lastMessage()));
        }
        if (cliWon) {
            QVERIFY2(cliRun.errText().contains(QStringLiteral("Agent %1:%2 carries it out")
                                                   .arg(QSysInfo::machineHostName())
                                                   .arg(carrier->pid())),
                     qPrintable(cliRun.describe()));
        } else {
            QVERIFY2(cliRun.exitedWith(5), qPrintable(cliRun.describe()));
            QVERIFY2(cliRun.errText().contains(sentence), qPrintable(cliRun.describe()));
        }
        const OperationRunner::Action won = cliWon ? *OperationRunner::actionFromName(asked) : aWon ? race.first : race.second;
        QCOMPARE(asked, OperationRunner::actionName(won));
        qInfo("%s: %s won", qPrintable(race.target),
              cliWon ? qPrintable(QStringLiteral("the CLI's ") + race.cliVerb) : qPrintable(OperationRunner::actionName(won)));
        // The winner's end; one request and one claim in the audit; the agent's runbook lines name who asked.
        const auto op = store.get(id);
        QVERIFY(op);
        QVERIFY(op->pendingAction.isEmpty() && op->actionAgent.isEmpty() && op->actionResult.isEmpty());
        const QString end = operationStateName(op->state);
        const QString expected = won == OperationRunner::Rollback  ? QStringLiteral("RollbackCompleted")
                                 : won == OperationRunner::SignOff ? QStringLiteral("SignedOff")
                                 : won == OperationRunner::Abort   ? QStringLiteral("Aborted")
                                                                   : QStringLiteral("Completed");
        QCOMPARE(end, expected);
        QSqlQuery q(m_catalog.database());
        for (const char* action : {"operation.action-requested", "operation.action-claimed"}) {
            q.prepare(QStringLiteral("SELECT count(*) FROM audit WHERE action = ? AND subject = ?"));
            q.addBindValue(QString::fromLatin1(action));
            q.addBindValue(QString::number(id));
            QVERIFY(q.exec() && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        }
        q.prepare(QStringLiteral("SELECT count(*) FROM runbook_lines WHERE operation_id = ? AND line LIKE ?"));
        q.addBindValue(id);
        // Who asked is the catalog's login (this test connects as the server's administrator).
        q.addBindValue(QStringLiteral("%by %1 (agent %2:%3)%")
                           .arg(PostgresTestSupport::server().user, QSysInfo::machineHostName())
                           .arg(carrier->pid()));
        QVERIFY(q.exec() && q.next());
        QVERIFY2(q.value(0).toInt() >= 1, "the agent's runbook lines do not say who asked");
        carrier->sendSignal(SIGTERM);
        QVERIFY(carrier->finish(30000).exitedWith(0));
    }
    qunsetenv("DATAALM_TEST_PAUSE_AT");
    qunsetenv("DATAALM_TEST_PAUSE_MS");
}

void TestTeamCatalog::actionOfAKilledAgentIsReleased()
{
    // An agent killed while it carries out the rollback a CLI asked for: the action is released with a sentence
    // (the CLI exits 1 with it), the operation is left RollbackFailed (interrupted), and asking again, another
    // agent puts the target back.
    auto agent = startAgent();
    QVERIFY(agent);
    const qint64 request = submit(QStringLiteral("sbx-12"));
    QVERIFY(request > 0);
    OperationStore store(m_catalog);
    QTRY_VERIFY_WITH_TIMEOUT(store.currentIdOf(request).value_or(request) != request &&
                                 store.get(*store.currentIdOf(request))->state == OperationState::Completed,
                             60000);
    const qint64 id = *store.currentIdOf(request);
    agent->sendSignal(SIGTERM);
    QVERIFY(agent->finish(30000).exitedWith(0));

    CliProcess stuck;
    stuck.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("rollback-running"));
    stuck.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("120000"));
    QVERIFY(stuck.start({QStringLiteral("--catalog"), m_url, QStringLiteral("agent")}));
    CliProcess asker;
    QVERIFY(asker.start({QStringLiteral("--catalog"), m_url, QStringLiteral("rollback"), QString::number(id)}));
    QTRY_VERIFY_WITH_TIMEOUT(store.get(id)->state == OperationState::RollbackInProgress, 60000);
    QCOMPARE(store.get(id)->actionAgent, QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(stuck.pid()));
    stuck.sendSignal(SIGKILL);
    QVERIFY(stuck.finish(10000).killedBy(SIGKILL));
    // What any agent's or console's next look at the catalog does.
    store.recoverInterrupted();
    auto op = store.get(id);
    QVERIFY(op);
    QCOMPARE(operationStateName(op->state), QStringLiteral("RollbackFailed"));
    QVERIFY(op->pendingAction.isEmpty() && op->actionAgent.isEmpty());
    QVERIFY2(op->actionResult.contains(QStringLiteral("stopped while it carried out the rollback")),
             qPrintable(op->actionResult));
    const CliOutcome asked = asker.finish(60000);
    QVERIFY2(asked.exitedWith(1), qPrintable(asked.describe()));
    QVERIFY2(asked.errText().contains(QStringLiteral("ask again")), qPrintable(asked.describe()));

    auto another = startAgent();
    QVERIFY(another);
    const CliRun again = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(again.exitedWith(0), qPrintable(again.describe()));
    op = store.get(id);
    QCOMPARE(operationStateName(op->state), QStringLiteral("RollbackCompleted"));
    QVERIFY(op->actionResult.isEmpty());
    another->sendSignal(SIGTERM);
    QVERIFY(another->finish(30000).exitedWith(0));
}

void TestTeamCatalog::catalogDroppedDuringValidationInterrupts()
{
    // An agent pauses as step 1 (Validate) starts, and meanwhile every connection of the catalog but this
    // test's is ended. The step's reads fail for want of the catalog, not on the operation's merits: the
    // operation is interrupted and resumed to Completed, never Aborted as blocked (the kill test found
    // "Blocked: unknown environment contoso-prod" once, on CI).
    const QString target = QStringLiteral("sbx-30");
    qputenv("DATAALM_TEST_PAUSE_AT", "step-1");
    qputenv("DATAALM_TEST_PAUSE_MS", "3000");
    auto agent = startAgent();
    qunsetenv("DATAALM_TEST_PAUSE_AT");
    qunsetenv("DATAALM_TEST_PAUSE_MS");
    QVERIFY(agent);
    QSqlQuery before(m_catalog.database());
    QVERIFY(before.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM operations")) && before.next());
    const qint64 newerThan = before.value(0).toLongLong();
    QVERIFY(submit(target) > 0);
    QElapsedTimer clock;
    clock.start();
    bool validating = false;
    while (!validating && clock.elapsed() < 60000) {
        QSqlQuery q(m_catalog.database());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM operations o JOIN operation_steps s ON s.operation_id = o.id "
                                      "WHERE o.target = '%1' AND o.state = 'InProgress' AND s.ordinal = 1 AND s.state = "
                                      "'InProgress'")
                           .arg(target)) &&
                q.next());
        validating = q.value(0).toInt() == 1;
        if (!validating)
            QTest::qWait(50);
    }
    QVERIFY2(validating, "the agent never started validating");
    QSqlQuery self(m_catalog.database());
    QVERIFY(self.exec(QStringLiteral("SELECT pg_backend_pid()")) && self.next());
    QString e;
    QVERIFY2(PostgresTestSupport::exec(PostgresTestSupport::server(),
                                       QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                                      "datname = '%1' AND pid <> %2")
                                           .arg(m_database)
                                           .arg(self.value(0).toLongLong()),
                                       &e),
             qPrintable(e));
    waitForSettled(120000);
    QSqlQuery q(m_catalog.database());
    QVERIFY(q.exec(QStringLiteral("SELECT state, error FROM operations WHERE target = '%1' ORDER BY id DESC LIMIT 1")
                       .arg(target)) &&
            q.next());
    QVERIFY2(q.value(0).toString() == QLatin1String("Completed"),
             qPrintable(q.value(0).toString() + QStringLiteral(": ") + q.value(1).toString()));
    // It was interrupted, then resumed (Failed, then InProgress again), and never blocked.
    QVERIFY(q.exec(QStringLiteral("SELECT string_agg(detail, ', ' ORDER BY id) FROM audit WHERE action = "
                                  "'operation.state' AND subject IN (SELECT id::text FROM operations WHERE target = '%1' "
                                  "AND id > %2)")
                       .arg(target)
                       .arg(newerThan)) &&
            q.next());
    const QString path = q.value(0).toString();
    QVERIFY2(path.contains(QStringLiteral("InProgress -> Failed, Failed -> InProgress")), qPrintable(path));
    QVERIFY2(!path.contains(QStringLiteral("Aborted")), qPrintable(path));
    agent->sendSignal(SIGTERM);
    QVERIFY(agent->finish(30000).exitedWith(0));
}

int main(int argc, char** argv)
{
    // The load test runs for minutes on two cores: QtTest's watchdog (5 min by default) waits as long as CTest.
    qputenv("QTEST_FUNCTION_TIMEOUT", "1200000");
    QCoreApplication app(argc, argv);
    TestTeamCatalog test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_teamcatalog.moc"
