// Benchmark of the agent and the estimates (issue 15).
// - agentIdleCost: a demo catalog with 100 requests waiting for windows in the coming
//   days; `dataalm agent` runs, and over a minute (20 s with DATAALM_BENCH_QUICK=1) we
//   read from /proc what it costs while nothing is due: CPU time, and wake-ups (the
//   context switches of all its threads). The baseline is its heartbeat, one wake-up
//   a minute: a ratio near 1 means it does not poll.
// - estimateError: demos of several sizes, one refresh each; the estimate of each
//   refresh from the others (DurationEstimate, leave one size out) against the
//   duration it really had.
// The test checks that everything ran, never the figures (they go to
// $DATAALM_BENCH_OUT, see scripts/bench).
#include "BenchChild.h"
#include "CliProcess.h"
#include "CliRun.h"
#include "TestSupport.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "schedule/DurationEstimate.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <csignal>
#include <unistd.h>

class BenchAgent : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void agentIdleCost();
    void estimateError();

private:
    bool m_quick = false;
};

namespace {

using BenchChild::emitRow;

// utime + stime of the process (clock ticks), and the context switches of all its threads.
struct Cost
{
    double cpuSeconds = 0;
    qint64 switches = 0;
};

Cost costOf(pid_t pid)
{
    Cost c;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        // Fields after the name start at 3 (state): utime is 14, stime 15.
        if (fields.size() > 13)
            c.cpuSeconds = double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(::sysconf(_SC_CLK_TCK));
    }
    const QStringList tasks = QDir(QStringLiteral("/proc/%1/task").arg(pid)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& t : tasks) {
        QFile status(QStringLiteral("/proc/%1/task/%2/status").arg(pid).arg(t));
        if (!status.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray& l : status.readAll().split('\n')) {
            if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:"))
                c.switches += l.mid(l.indexOf(':') + 1).trimmed().toLongLong();
        }
    }
    return c;
}

bool benchCli(const QString& catalog, const QStringList& args, QJsonObject* out, QString* why)
{
    const BenchChild::Run r = BenchChild::run(cliPath(),
                                              QStringList{QStringLiteral("--catalog"), catalog, QStringLiteral("--json")} + args,
                                              catalog + QStringLiteral("/../scratch"));
    if (!r.ok()) {
        *why = r.describe();
        return false;
    }
    if (out)
        *out = QJsonDocument::fromJson(r.out).object();
    return true;
}

} // namespace

void BenchAgent::initTestCase()
{
    m_quick = BenchChild::quick();
    qInfo("mode: %s; load average: %s", m_quick ? "quick" : "full", BenchChild::loadAverage().constData());
}

void BenchAgent::agentIdleCost()
{
    QTemporaryDir dir;
    const QString catalog = dir.filePath(QStringLiteral("catalog"));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("scratch"))));
    QString e;
    QVERIFY2(TestSupport::createDemoCatalog(catalog, 2, &e), qPrintable(e));
    const QDateTime base = QDateTime::currentDateTimeUtc().addDays(1);
    for (int i = 0; i < 100; ++i) {
        const QDateTime start = base.addSecs(qint64(i) * 3600);
        QVERIFY2(benchCli(catalog,
                        {QStringLiteral("request"), QStringLiteral("refresh"), QStringLiteral("--source"),
                         QStringLiteral("contoso-prod"), QStringLiteral("--target"), QStringLiteral("contoso-uat"),
                         QStringLiteral("--yes"), QStringLiteral("--window-start"), start.toString(Qt::ISODate),
                         QStringLiteral("--window-end"), start.addSecs(3000).toString(Qt::ISODate)},
                        nullptr, &e),
                 qPrintable(e));
    }
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("agent"), QStringLiteral("--catalog"), catalog}));
    QVERIFY2(agent.waitForErr(QStringLiteral("watching")), agent.errSoFar().constData());
    QThread::sleep(3); // its first pass and arming
    const Cost before = costOf(agent.pid());
    const int seconds = m_quick ? 20 : 60;
    QThread::sleep(seconds);
    const Cost after = costOf(agent.pid());
    QVERIFY(agent.isRunning());
    const double minutes = seconds / 60.0;
    const double wakeUps = double(after.switches - before.switches) / minutes;
    const double cpuMs = (after.cpuSeconds - before.cpuSeconds) * 1000.0 / minutes;
    qInfo("agent with 100 future requests, %d s idle: %.1f wake-ups/min, %.1f ms CPU/min", seconds, wakeUps, cpuMs);
    emitRow(QStringLiteral("agent idle wake-ups per minute (100 future requests)"), BenchChild::rounded(wakeUps, 1),
            QStringLiteral("1/min"), QStringLiteral("heartbeat"), 1.0);
    emitRow(QStringLiteral("agent idle CPU per minute (100 future requests)"), BenchChild::rounded(cpuMs, 1),
            QStringLiteral("ms"), QStringLiteral("none"), 0.0);
    QVERIFY(agent.sendSignal(SIGTERM));
    QVERIFY(agent.finish(60000).exitedWith(0));
}

void BenchAgent::estimateError()
{
    const QList<int> sizes = m_quick ? QList<int>{8, 16, 32} : QList<int>{128, 256, 512, 1024};
    QList<OperationRecord> refreshes;
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("scratch"))));
    for (int mb : sizes) {
        const QString catalog = dir.filePath(QStringLiteral("catalog-%1").arg(mb));
        QString e;
        QVERIFY2(TestSupport::createDemoCatalog(catalog, mb, &e), qPrintable(e));
        QJsonObject op;
        QVERIFY2(benchCli(catalog,
                        {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                         QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes")},
                        &op, &e),
                 qPrintable(e));
        Catalog c;
        QVERIFY2(c.open(catalog, &e), qPrintable(e));
        const auto record = OperationStore(c).get(op.value(QStringLiteral("id")).toInteger());
        QVERIFY(record);
        refreshes << *record;
        QDir(catalog).removeRecursively(); // the disk of the next size
    }
    QList<double> errors;
    for (qsizetype i = 0; i < refreshes.size(); ++i) {
        QList<OperationRecord> others = refreshes;
        others.removeAt(i);
        const OperationRecord& r = refreshes.at(i);
        const DurationEstimate e =
            DurationEstimate::estimate(others, r.kind, r.target, DurationEstimate::bytesOf(r));
        QVERIFY(e.isKnown());
        const double actual = double(std::max<qint64>(r.runSeconds(), 1));
        errors << std::abs(double(e.seconds) - actual) / actual;
        qInfo("%d MB: estimated %lld s from the other sizes, took %.0f s", sizes.at(i), e.seconds, actual);
        emitRow(QStringLiteral("estimate of a %1 MB refresh, from the other sizes").arg(sizes.at(i)), double(e.seconds),
                QStringLiteral("s"), QStringLiteral("its real duration"), actual);
    }
    emitRow(QStringLiteral("estimate error, median over sizes"), BenchChild::rounded(BenchChild::median(errors) * 100, 1),
            QStringLiteral("%"), QStringLiteral("none"), 0.0);
}

QTEST_GUILESS_MAIN(BenchAgent)
#include "tst_bench_agent.moc"
