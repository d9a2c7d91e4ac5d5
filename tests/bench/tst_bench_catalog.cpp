// The console and the CLI on a catalog of years (issue 13): CatalogGenerator writes
// 20 projects, 1,000 environments and 100,000 operations with their steps and
// parameters, 10,000 of them on contoso-uat (DATAALM_BENCH_QUICK=1: 5 projects, 100
// environments, 10,000 operations, 1,000 on contoso-uat). The baseline of every figure
// is the same measure on the demo's small catalog, in the same run.
//
// - cliCommands: `operations --env contoso-uat` (text and --json), `operations --json`
//   over the whole catalog and `env list --json`, each a child process (wall time and
//   peak RSS from wait4), the two catalogs interleaved, the median of 5 rounds (quick: 3).
// - consoleOnALargeCatalog, in this process (offscreen): the main window opened on
//   contoso-uat until its history is on screen (median of 5, interleaved with the small
//   catalog); then every key of a walk through the environment list and the history
//   (Down, Up, Page Down, End, Home) timed from press to return; then the Operations
//   window opened on every
//   operation of the project and scrolled through for 3 s, with a heartbeat on the
//   GUI thread (stalls: worst and 99th percentile).
// - consoleProcessAtRest: the real `dataalm-console` on the large catalog, contoso-uat
//   selected, offscreen: once it has settled, its CPU time over 10 s (/proc/PID/stat)
//   and its peak memory (VmHWM), against the same on the small catalog.
//
// The test checks that every measure ran (exit 0, the rows on screen), never the figures.
#include "BenchChild.h"
#include "CatalogGenerator.h"
#include "CliRun.h"
#include "Heartbeat.h"
#include "TestSupport.h"

#include "MainWindow.h"
#include "EnvironmentDetailsPage.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "operations/OperationsWindow.h"

#include <QAbstractItemView>
#include <QElapsedTimer>
#include <QProcess>
#include <QScrollBar>
#include <QThread>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <unistd.h>

using BenchChild::emitRow;
using BenchChild::median;

class BenchCatalog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cliCommands();
    void consoleOnALargeCatalog();
    void consoleProcessAtRest();

private:
    bool m_quick = false;
    int m_rounds = 5;
    QTemporaryDir m_dir;
    QString m_large;
    QString m_small;
    QString m_scratch;
};

namespace {

const QString Busy = QStringLiteral("contoso-uat");

// Opens the main window on `catalogFolder` with `environment` selected, and returns the
// seconds until its history rows are there and the window is exposed; -1 on failure.
double openConsole(const QString& catalogFolder, const QString& environment, std::unique_ptr<MainWindow>* kept)
{
    QElapsedTimer t;
    t.start();
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(catalogFolder, &error))
        return -1;
    auto window = std::make_unique<MainWindow>(std::move(catalog));
    window->resize(1366, 768);
    window->show();
    if (!window->selectEnvironment(environment))
        return -1;
    if (!QTest::qWaitForWindowExposed(window.get()))
        return -1;
    auto* history = window->findChild<QAbstractItemView*>(QStringLiteral("historyTable"));
    if (!history || history->model()->rowCount() == 0)
        return -1;
    QCoreApplication::processEvents();
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    if (kept)
        *kept = std::move(window);
    return seconds;
}

} // namespace

void BenchCatalog::initTestCase()
{
    m_quick = BenchChild::quick();
    m_rounds = m_quick ? 3 : 5;
    QVERIFY(m_dir.isValid());
    m_large = m_dir.filePath(QStringLiteral("large"));
    m_small = m_dir.filePath(QStringLiteral("small"));
    m_scratch = m_dir.filePath(QStringLiteral("scratch"));
    QVERIFY(QDir().mkpath(m_scratch));
    CatalogGenerator::Shape shape;
    if (m_quick) {
        shape.projects = 5;
        shape.environments = 100;
        shape.operations = 10000;
        shape.busyOperations = 1000;
    }
    QElapsedTimer t;
    t.start();
    QString error;
    // DATAALM_BENCH_CATALOG: an existing catalog folder to measure instead (read, never written).
    const QString given = qEnvironmentVariable("DATAALM_BENCH_CATALOG");
    if (!given.isEmpty())
        m_large = given;
    else
        QVERIFY2(CatalogGenerator::generate(m_large, shape, &error), qPrintable(error));
    qInfo("generated %d projects, %d environments, %d operations (%d on %s) in %.1f s: %.0f MB",
          shape.projects, shape.environments, shape.operations, shape.busyOperations, qPrintable(Busy),
          double(t.elapsed()) / 1000.0,
          double(QFileInfo(m_large + QStringLiteral("/catalog.db")).size()) / (1024.0 * 1024.0));
    // The small catalog: the demo's, with a few operations of its own.
    QVERIFY2(TestSupport::createDemoCatalog(m_small, 2, &error), qPrintable(error));
    for (int i = 0; i < 3; ++i) {
        const CliRun run = runCli({QStringLiteral("--catalog"), m_small, QStringLiteral("refresh"),
                                   QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                                   QStringLiteral("--target"), Busy, QStringLiteral("--yes")});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        const CliRun signoff = runCli({QStringLiteral("--catalog"), m_small, QStringLiteral("signoff"),
                                       QString::number(i + 1)});
        QVERIFY2(signoff.exitedWith(0), qPrintable(signoff.describe()));
    }
    qInfo("mode: %s, %d rounds; load average: %s", m_quick ? "quick" : "full", m_rounds,
          BenchChild::loadAverage().constData());
}

void BenchCatalog::cliCommands()
{
    struct Command
    {
        QString name;
        QStringList args;
        double targetSeconds;
        double targetMb;
    };
    const QList<Command> commands = {
        {QStringLiteral("operations-env"), {QStringLiteral("operations"), QStringLiteral("--env"), Busy}, 0.1, 100},
        {QStringLiteral("operations-env-json"),
         {QStringLiteral("--json"), QStringLiteral("operations"), QStringLiteral("--env"), Busy},
         0.1,
         100},
        {QStringLiteral("operations-json"), {QStringLiteral("--json"), QStringLiteral("operations")}, 2, 100},
        {QStringLiteral("env-list-json"), {QStringLiteral("--json"), QStringLiteral("env"), QStringLiteral("list")}, 0.1,
         100},
    };
    for (const Command& c : commands) {
        QList<double> largeS, smallS, largeMb, smallMb;
        qsizetype largeBytes = 0;
        for (int round = 0; round < m_rounds; ++round) {
            for (int turn = 0; turn < 2; ++turn) {
                const bool large = (round + turn) % 2 == 0;
                const BenchChild::Run r = BenchChild::run(
                    cliPath(), QStringList{QStringLiteral("--catalog"), large ? m_large : m_small} + c.args, m_scratch);
                QVERIFY2(r.ok(), qPrintable(r.describe()));
                QVERIFY2(!r.out.isEmpty(), qPrintable(r.command));
                (large ? largeS : smallS) << r.seconds;
                (large ? largeMb : smallMb) << r.peakRssMb;
                if (large)
                    largeBytes = r.out.size();
            }
        }
        qInfo("%s: large %.3f s, %.1f MB (printed %.1f MB); small %.3f s, %.1f MB", qPrintable(c.name),
              median(largeS), median(largeMb), double(largeBytes) / (1024.0 * 1024.0), median(smallS),
              median(smallMb));
        emitRow(QStringLiteral("catalog-%1-seconds").arg(c.name), median(largeS), QStringLiteral("s"),
                QStringLiteral("small catalog"), median(smallS));
        emitRow(QStringLiteral("catalog-%1-seconds-vs-target").arg(c.name), median(largeS), QStringLiteral("s"),
                QStringLiteral("target"), c.targetSeconds);
        emitRow(QStringLiteral("catalog-%1-peak-rss-mb").arg(c.name), median(largeMb), QStringLiteral("MB"),
                QStringLiteral("small catalog"), median(smallMb));
    }
}

void BenchCatalog::consoleOnALargeCatalog()
{
    // Opening, interleaved with the small catalog.
    QList<double> largeS, smallS;
    for (int round = 0; round < m_rounds; ++round) {
        for (int turn = 0; turn < 2; ++turn) {
            const bool large = (round + turn) % 2 == 0;
            const double s = openConsole(large ? m_large : m_small, Busy, nullptr);
            QVERIFY2(s > 0, "the console did not show contoso-uat's history");
            (large ? largeS : smallS) << s;
        }
    }
    emitRow(QStringLiteral("console-open-seconds"), median(largeS), QStringLiteral("s"),
            QStringLiteral("small catalog"), median(smallS));
    emitRow(QStringLiteral("console-open-seconds-vs-target"), median(largeS), QStringLiteral("s"),
            QStringLiteral("target"), 1);

    std::unique_ptr<MainWindow> window;
    QVERIFY(openConsole(m_large, Busy, &window) > 0);
    window->activateWindow();
    auto* environments = window->findChild<QAbstractItemView*>(QStringLiteral("environmentList"));
    auto* history = window->findChild<QAbstractItemView*>(QStringLiteral("historyTable"));
    QVERIFY(environments && history);

    // Keys: a walk through the environment list (each selection shows another
    // environment's page of history) and through contoso-uat's history.
    QList<double> keyMs;
    const auto press = [&](QWidget* w, Qt::Key key) {
        w->setFocus();
        QElapsedTimer t;
        t.start();
        QTest::keyClick(w, key);
        keyMs << double(t.nsecsElapsed()) / 1e6;
    };
    for (int i = 0; i < 10; ++i)
        press(environments, Qt::Key_Down);
    for (int i = 0; i < 10; ++i)
        press(environments, Qt::Key_Up);
    QVERIFY(window->selectEnvironment(Busy));
    for (const Qt::Key key : {Qt::Key_Down, Qt::Key_Down, Qt::Key_PageDown, Qt::Key_PageDown, Qt::Key_End,
                              Qt::Key_Home, Qt::Key_Down, Qt::Key_Up})
        press(history, key);
    std::sort(keyMs.begin(), keyMs.end());
    qInfo("%lld keys: median %.1f ms, worst %.1f ms", qlonglong(keyMs.size()), median(keyMs), keyMs.last());
    emitRow(QStringLiteral("console-key-worst-ms"), keyMs.last(), QStringLiteral("ms"), QStringLiteral("target"), 50);
    emitRow(QStringLiteral("console-key-median-ms"), median(keyMs), QStringLiteral("ms"), QStringLiteral("target"), 50);

    // The Operations window over every operation of the project, scrolled.
    Heartbeat heartbeat;
    heartbeat.start();
    QElapsedTimer t;
    t.start();
    OperationsWindow* operations = window->openOperationsWindow();
    QVERIFY(operations);
    auto* table = operations->findChild<QAbstractItemView*>(QStringLiteral("operationsTable"));
    QVERIFY(table);
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() > 1000, 60000);
    const double openSeconds = double(t.nsecsElapsed()) / 1e9;
    QTest::qWait(50); // a beat after the rows came: a window filled in one go stalls until then
    heartbeat.stop();
    const double openStall = heartbeat.max();
    qInfo("Operations window: %d rows in %.3f s; %s", table->model()->rowCount(), openSeconds,
          qPrintable(heartbeat.worst()));
    emitRow(QStringLiteral("operations-window-open-stall-ms"), openStall, QStringLiteral("ms"),
            QStringLiteral("target"), 30);

    // Scrolled as a mouse wheel scrolls (three rows a notch, 60 notches a second), then
    // in jumps of a page at the same rate (a fling of the scroll bar): each step
    // repaints what it brings into view.
    QScrollBar* bar = table->verticalScrollBar();
    const auto scroll = [&](int step, int forMs) {
        heartbeat.start();
        QElapsedTimer clock;
        clock.start();
        int value = 0;
        while (clock.elapsed() < forMs) {
            value = (value + step) % std::max(1, bar->maximum());
            bar->setValue(value);
            QTest::qWait(16);
        }
        heartbeat.stop();
    };
    scroll(3 * bar->singleStep(), 3000);
    QVERIFY2(heartbeat.beats() > 100, "the heartbeat must have run while scrolling");
    qInfo("scrolling %d rows a wheel notch at a time for 3 s: %s; p99 %.1f ms", table->model()->rowCount(),
          qPrintable(heartbeat.worst()), heartbeat.percentile(0.99));
    emitRow(QStringLiteral("operations-window-scroll-stall-max-ms"), heartbeat.max(), QStringLiteral("ms"),
            QStringLiteral("target"), 30);
    emitRow(QStringLiteral("operations-window-scroll-stall-p99-ms"), heartbeat.percentile(0.99), QStringLiteral("ms"),
            QStringLiteral("target"), 10);
    scroll(bar->pageStep(), 2000);
    qInfo("scrolling a page at a time for 2 s: %s; p99 %.1f ms", qPrintable(heartbeat.worst()),
          heartbeat.percentile(0.99));
    emitRow(QStringLiteral("operations-window-page-jumps-stall-max-ms"), heartbeat.max(), QStringLiteral("ms"),
            QStringLiteral("target"), 30);
    emitRow(QStringLiteral("operations-window-page-jumps-stall-p99-ms"), heartbeat.percentile(0.99),
            QStringLiteral("ms"), QStringLiteral("target"), 10);
}

namespace {

// utime + stime of `pid`, in clock ticks; -1 if it is gone.
qint64 cpuTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // The fields after the command (which may hold spaces) in parentheses.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 13 ? fields.at(11).toLongLong() + fields.at(12).toLongLong() : -1;
}

double peakMemoryMb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

struct AtRest
{
    double settleSeconds = -1; // until its CPU time stopped growing
    double idlePercent = -1;   // of a core, over 10 s
    double peakMb = -1;
};

AtRest consoleAtRest(const QString& catalog)
{
    AtRest r;
    QProcess console;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    console.setProcessEnvironment(env);
    console.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer t;
    t.start();
    console.start(QFileInfo(cliPath()).absolutePath() + QStringLiteral("/dataalm-console"),
                  {QStringLiteral("--catalog"), catalog, QStringLiteral("--select"), Busy});
    if (!console.waitForStarted(10000))
        return r;
    const qint64 pid = console.processId();
    // Settled: no CPU time spent for 1 s (checked every 100 ms), within 60 s.
    qint64 last = cpuTicks(pid);
    QElapsedTimer still;
    still.start();
    while (t.elapsed() < 60000 && still.elapsed() < 1000) {
        QThread::msleep(100);
        const qint64 now = cpuTicks(pid);
        if (now != last) {
            last = now;
            still.restart();
        }
    }
    r.settleSeconds = double(t.elapsed() - 1000) / 1000.0;
    const qint64 before = cpuTicks(pid);
    QThread::sleep(10);
    const qint64 after = cpuTicks(pid);
    r.idlePercent = double(after - before) / double(sysconf(_SC_CLK_TCK)) / 10.0 * 100.0;
    r.peakMb = peakMemoryMb(pid);
    console.kill();
    console.waitForFinished(10000);
    return r;
}

} // namespace

void BenchCatalog::consoleProcessAtRest()
{
    const AtRest large = consoleAtRest(m_large);
    const AtRest small = consoleAtRest(m_small);
    QVERIFY2(large.peakMb > 0 && small.peakMb > 0, "the console did not run");
    qInfo("console at rest: large catalog settled in %.1f s, %.2f%% of a core idle, %.0f MB peak; small: %.1f s, "
          "%.2f%%, %.0f MB",
          large.settleSeconds, large.idlePercent, large.peakMb, small.settleSeconds, small.idlePercent, small.peakMb);
    emitRow(QStringLiteral("console-process-idle-cpu-percent"), large.idlePercent, QStringLiteral("%"),
            QStringLiteral("small catalog"), small.idlePercent);
    emitRow(QStringLiteral("console-process-peak-mb"), large.peakMb, QStringLiteral("MB"),
            QStringLiteral("small catalog"), small.peakMb);
    emitRow(QStringLiteral("console-process-settled-seconds"), large.settleSeconds, QStringLiteral("s"),
            QStringLiteral("small catalog"), small.settleSeconds);
}

QTEST_MAIN(BenchCatalog)
#include "tst_bench_catalog.moc"
