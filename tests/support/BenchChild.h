#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// What the benchmarks (tests/bench) share: a child process timed from spawn to exit
// with its peak memory (GNU time's %M), the median of rounds, and the JSON row each
// figure becomes for scripts/bench.
namespace BenchChild {

struct Run
{
    bool started = false;
    int exitCode = -1; // -1 unless it exited normally
    double seconds = 0;
    double peakRssMb = 0;
    double cpuSeconds = 0; // user + system (of the child and GNU time)
    QByteArray out;
    QByteArray err;
    QString command;
    bool ok() const { return started && exitCode == 0; }
    QString describe() const;
};

// Runs `program args...`, stdin from /dev/null, stdout and stderr into files of
// `scratch` (read back into the Run).
Run run(const QString& program, const QStringList& args, const QString& scratch);

// Whether scripts/bench --quick asked for smaller data (DATAALM_BENCH_QUICK).
bool quick();

double median(QList<double> values);
double rounded(double v, int digits = 3);

// One row for scripts/bench, appended to $DATAALM_BENCH_OUT and echoed in the test log:
// {"name", "value", "unit", "baseline", "baseline_value", "ratio"}.
void emitRow(const QString& name, double value, const QString& unit, const QString& baseline, double baselineValue);

// The load average, for the log of a run.
QByteArray loadAverage();

} // namespace BenchChild
