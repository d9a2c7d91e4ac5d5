// Team catalog benchmarks (issue 16), on the throwaway PostgreSQL server:
// - latency from a state change written by one process's catalog connection (an agent's
//   runner) to another connection's re-read of the operation after NOTIFY (a console's
//   view), p50 and p99, against the goal of 200 ms;
// - queue throughput: the same operations run by 8 agents and by 1 agent, side by side;
// - catalog queries with 1,000 environments and 100,000 operations: opening the catalog
//   and listing a project's environments (what the console does before its window is
//   usable), and `dataalm operations --env`, against the goals of 1 s and 100 ms.
#include "BenchChild.h"
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "core/Clock.h"
#include "lifecycle/OperationService.h"
#include "refresh/RefreshRequest.h"
#include "schedule/RequestService.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSqlError>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>

using BenchChild::emitRow;

class TestBenchTeam : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void notifyLatency();
    void queueThroughput();
    void largeCatalogQueries();

private:
    QString newCatalog(const QString& prefix);
    double runQueue(const QString& url, int agents, int operations);

    QTemporaryDir m_files;
    QStringList m_databases;
};

QString TestBenchTeam::newCatalog(const QString& prefix)
{
    const DatabaseRef server = PostgresTestSupport::server();
    const QString name = PostgresTestSupport::uniqueName(prefix);
    QString error;
    if (!PostgresTestSupport::createDatabase(name, &error))
        return {};
    m_databases << name;
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(server.user, server.host).arg(server.port).arg(name);
}

void TestBenchTeam::initTestCase()
{
    QVERIFY2(!PostgresTestSupport::server().driver.isEmpty(), "DATAALM_TEST_PG_URL is not set: run through scripts/bench");
    QVERIFY(m_files.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    qputenv("DATAALM_AGENT_HEARTBEAT_S", "5");
}

void TestBenchTeam::cleanupTestCase()
{
    for (const QString& name : std::as_const(m_databases))
        PostgresTestSupport::dropDatabase(name);
}

void TestBenchTeam::notifyLatency()
{
    const QString url = newCatalog(QStringLiteral("dataalm_bench_notify_"));
    QVERIFY(!url.isEmpty());
    Catalog agent, console;
    QString error;
    QVERIFY2(agent.open(url, &error), qPrintable(error));
    QVERIFY2(console.open(url, &error), qPrintable(error));
    QVERIFY(agent.addProject({QStringLiteral("p"), QStringLiteral("P"), QString()}, &error));
    OperationStore writer(agent);
    const auto id = writer.create(QStringLiteral("refresh"), QStringLiteral("p"), QStringLiteral("a"),
                                  QStringLiteral("b"), {QStringLiteral("Copy")}, {}, &error);
    QVERIFY2(id, qPrintable(error));
    OperationStore reader(console);
    QElapsedTimer clock;
    qint64 sentAt = 0;
    QList<double> latencies;
    QEventLoop loop;
    bool seen = false;
    StepState expected = StepState::InProgress;
    QVERIFY(console.listen(QStringLiteral("dataalm_changes"), [&](const QString&) {
        // What the console does on a change: read the operation again.
        const auto op = reader.get(*id);
        if (!seen && op && !op->steps.isEmpty() && op->steps.first().state == expected) {
            seen = true;
            latencies << double(clock.nsecsElapsed() - sentAt) / 1e6;
            loop.quit();
        }
    }));
    clock.start();
    const int rounds = 300;
    for (int i = 0; i < rounds; ++i) {
        expected = i % 2 ? StepState::Completed : StepState::InProgress;
        seen = false;
        sentAt = clock.nsecsElapsed();
        QVERIFY(writer.setStep(*id, 1, expected));
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        if (!seen)
            loop.exec();
        QVERIFY2(seen, "a change was not heard within 5 s");
    }
    std::sort(latencies.begin(), latencies.end());
    const double p50 = latencies.at(latencies.size() / 2);
    const double p99 = latencies.at(qMin(latencies.size() - 1, int(latencies.size() * 0.99)));
    qInfo("state change to another connection's view, %d changes: p50 %.2f ms, p99 %.2f ms, max %.2f ms", rounds, p50,
          p99, latencies.last());
    emitRow(QStringLiteral("team: change to another console's view, p50"), BenchChild::rounded(p50, 2),
            QStringLiteral("ms"), QStringLiteral("goal"), 200.0);
    emitRow(QStringLiteral("team: change to another console's view, p99"), BenchChild::rounded(p99, 2),
            QStringLiteral("ms"), QStringLiteral("goal"), 200.0);
}

double TestBenchTeam::runQueue(const QString& url, int agentCount, int operations)
{
    Catalog catalog;
    QString error;
    if (!catalog.open(url, &error))
        return -1;
    const auto source = catalog.environment(QStringLiteral("contoso-prod"));
    const auto uat = catalog.environment(QStringLiteral("contoso-uat"));
    if (!source || !uat)
        return -1;
    // One sandbox per operation, like contoso-uat.
    const QString tag = QString::number(agentCount);
    for (int i = 0; i < operations; ++i) {
        Environment e = *uat;
        e.id = QStringLiteral("q%1-%2").arg(tag).arg(i);
        for (DatabaseRef& d : e.databases) {
            const QString copy = QDir(m_files.path()).filePath(QStringLiteral("%1-%2.db").arg(e.id, d.role));
            QFile::copy(d.path, copy);
            d.path = copy;
        }
        if (!catalog.addEnvironment(e, &error))
            return -1;
        const auto target = catalog.environment(e.id);
        const auto id = OperationService(catalog).createRefresh(*source, *target,
                                                                RefreshRequest::policyPathFor(catalog, *target), &error);
        const QDateTime now = Clock::nowUtc();
        if (!id || !RequestService(catalog).schedule(*id, RequestWindow{now, now.addDays(1)}, true, &error))
            return -1;
    }
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<CliProcess>> agents;
    for (int i = 0; i < agentCount; ++i) {
        agents.push_back(std::make_unique<CliProcess>());
        agents.back()->start({QStringLiteral("--catalog"), url, QStringLiteral("agent")});
    }
    const QString like = QStringLiteral("q%1-%%").arg(tag);
    while (clock.elapsed() < 600000) {
        QSqlQuery q(catalog.database());
        q.prepare(QStringLiteral("SELECT count(*) FROM operations WHERE target LIKE ? AND state = 'Completed'"));
        q.addBindValue(like);
        if (q.exec() && q.next() && q.value(0).toInt() == operations)
            break;
        QTest::qWait(50);
    }
    const double seconds = clock.elapsed() / 1000.0;
    for (auto& agent : agents) {
        agent->sendSignal(SIGTERM);
        agent->finish(30000);
    }
    return operations / seconds;
}

void TestBenchTeam::queueThroughput()
{
    const QString url = newCatalog(QStringLiteral("dataalm_bench_queue_"));
    QVERIFY(!url.isEmpty());
    const CliRun demo = runCli({QStringLiteral("--catalog"), url, QStringLiteral("demo"), QStringLiteral("--size-mb"),
                                QStringLiteral("1")});
    QVERIFY2(demo.exitedWith(0), qPrintable(demo.describe()));
    const int operations = 48;
    const double one = runQueue(url, 1, operations);
    const double eight = runQueue(url, 8, operations);
    QVERIFY(one > 0 && eight > 0);
    qInfo("%d refreshes of the 1 MB demo: 1 agent %.2f/s, 8 agents %.2f/s (%.2fx) on %d cores", operations, one, eight,
          eight / one, QThread::idealThreadCount());
    emitRow(QStringLiteral("team: queue throughput, 8 agents"), BenchChild::rounded(eight, 2), QStringLiteral("op/s"),
            QStringLiteral("1 agent"), BenchChild::rounded(one, 2));
}

void TestBenchTeam::largeCatalogQueries()
{
    const QString url = newCatalog(QStringLiteral("dataalm_bench_large_"));
    QVERIFY(!url.isEmpty());
    {
        Catalog catalog;
        QString error;
        QVERIFY2(catalog.open(url, &error), qPrintable(error));
        // 1,000 environments in 10 projects and 100,000 settled operations with 10 steps each, written by the
        // server itself.
        QSqlQuery q(catalog.database());
        for (const QString& sql :
             {QStringLiteral("INSERT INTO projects (id, name, created) SELECT 'p' || i, 'Project ' || i, '2026-01-01' FROM "
                             "generate_series(0, 9) i"),
              QStringLiteral("INSERT INTO environments (id, project_id, name, type, tenant, admin, application, platform, "
                             "created) SELECT 'env-' || i, 'p' || (i % 10), 'Env ' || i, CASE WHEN i % 100 = 0 THEN "
                             "'production' ELSE 'sandbox' END, 't', 'a', '10.0.40', 40, '2026-01-01' FROM "
                             "generate_series(0, 999) i"),
              QStringLiteral("INSERT INTO environment_databases (environment_id, role, driver, path) SELECT 'env-' || i, "
                             "'transactional', 'sqlite', '/nonexistent/env-' || i || '.db' FROM generate_series(0, 999) i"),
              QStringLiteral("INSERT INTO operations (kind, project_id, source, target, state, who, created, started, "
                             "finished) SELECT 'refresh', 'p' || (i % 10), 'env-' || ((i % 10) * 100), 'env-' || (i % "
                             "1000), CASE WHEN i % 7 = 0 THEN 'Aborted' ELSE 'SignedOff' END, 'bench', "
                             "to_char(timestamp '2025-01-01' + i * interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
                             "to_char(timestamp '2025-01-01' + i * interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
                             "to_char(timestamp '2025-01-01' + i * interval '1 minute' + interval '20 second', "
                             "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM generate_series(1, 100000) i"),
              QStringLiteral("INSERT INTO operation_steps (operation_id, ordinal, name, state) SELECT o.id, s, 'Step ' || "
                             "s, 'Completed' FROM operations o, generate_series(1, 10) s"),
              QStringLiteral("ANALYZE")})
            QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    }
    // A Viewer of project p5 reads the same through the row-level security policies (TeamAccess).
    const DatabaseRef server = PostgresTestSupport::server();
    const QString viewer = PostgresTestSupport::uniqueName(QStringLiteral("bench_viewer_"));
    QString error;
    QVERIFY2(PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(viewer), &error),
             qPrintable(error));
    const auto dropViewer = qScopeGuard([&] {
        PostgresTestSupport::exec(server, QStringLiteral("DROP ROLE IF EXISTS %1").arg(viewer));
    });
    const QString database = url.mid(url.lastIndexOf(QLatin1Char('/')) + 1);
    QVERIFY2(PostgresTestSupport::exec(PostgresTestSupport::database(database),
                                       QStringLiteral("INSERT INTO project_members (project_id, login, role, added, "
                                                      "added_by) VALUES ('p5', '%1', 'Viewer', 'x', 'bench')")
                                           .arg(viewer),
                                       &error),
             qPrintable(error));
    QString viewerUrl = url;
    viewerUrl.replace(QStringLiteral("//%1@").arg(server.user), QStringLiteral("//%1@").arg(viewer));
    // What the console does before its window is usable: open the catalog, list the projects and the first
    // project's environments with their states; and what `dataalm operations --env` reads.
    QList<double> opens, lists, clis, viewerLists;
    for (int round = 0; round < 5; ++round) {
        {
            // Interleaved with the administrator's rounds: the same query through the policies.
            Catalog asViewer;
            QVERIFY2(asViewer.open(viewerUrl, &error), qPrintable(error));
            QElapsedTimer clock;
            clock.start();
            const auto seen = OperationStore(asViewer).listSummaries(QStringLiteral("env-5"), true, 50);
            viewerLists << clock.nsecsElapsed() / 1e6;
            QCOMPARE(seen.size(), 50);
            QCOMPARE(seen.constFirst().steps.size(), 10);
        }
        QElapsedTimer clock;
        clock.start();
        Catalog catalog;
        QString error;
        QVERIFY2(catalog.open(url, &error), qPrintable(error));
        const auto projects = catalog.projects();
        const auto environments = catalog.environments(projects.first().id);
        opens << clock.nsecsElapsed() / 1e6;
        QCOMPARE(environments.size(), 100);
        clock.restart();
        const auto operations = OperationStore(catalog).listSummaries(QStringLiteral("env-5"), true, 50);
        lists << clock.nsecsElapsed() / 1e6;
        QVERIFY(!operations.isEmpty());
        clock.restart();
        const CliRun run = runCli({QStringLiteral("--catalog"), url, QStringLiteral("operations"), QStringLiteral("--env"),
                                   QStringLiteral("env-5")});
        clis << clock.nsecsElapsed() / 1e6;
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    const double open = BenchChild::median(opens), list = BenchChild::median(lists), cli = BenchChild::median(clis);
    const double viewerList = BenchChild::median(viewerLists);
    qInfo("the same operations as a Viewer, through row-level security: %.1f ms (%.2fx the administrator's)",
          viewerList, viewerList / list);
    emitRow(QStringLiteral("team: operations --env query as a Viewer (RLS)"), BenchChild::rounded(viewerList, 1),
            QStringLiteral("ms"), QStringLiteral("goal"), 100.0);
    qInfo("1,000 environments, 100,000 operations: open + projects + 100 environments %.1f ms; an environment's "
          "operations (newest 50, with steps) %.1f ms; `dataalm operations --env` process %.1f ms",
          open, list, cli);
    emitRow(QStringLiteral("team: open catalog + 100 environments (1k env, 100k ops)"), BenchChild::rounded(open, 1),
            QStringLiteral("ms"), QStringLiteral("goal"), 1000.0);
    emitRow(QStringLiteral("team: operations --env query (1k env, 100k ops)"), BenchChild::rounded(list, 1),
            QStringLiteral("ms"), QStringLiteral("goal"), 100.0);
    emitRow(QStringLiteral("team: dataalm operations --env, whole process"), BenchChild::rounded(cli, 1),
            QStringLiteral("ms"), QStringLiteral("goal"), 1000.0);
}

QTEST_GUILESS_MAIN(TestBenchTeam)
#include "tst_bench_team.moc"
