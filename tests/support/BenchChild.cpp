#include "BenchChild.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace BenchChild {

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

QString Run::describe() const
{
    return QStringLiteral("`%1` %2; stderr: %3")
        .arg(command, started ? QStringLiteral("exited %1").arg(exitCode) : QStringLiteral("could not start"),
             QString::fromUtf8(err.right(2000)));
}

Run run(const QString& program, const QStringList& args, const QString& scratch)
{
    Run r;
    r.command = (QStringList{program} + args).join(QLatin1Char(' '));
    const QByteArray outPath = QFile::encodeName(scratch + QStringLiteral("/child.out"));
    const QByteArray errPath = QFile::encodeName(scratch + QStringLiteral("/child.err"));
    const QString rssPath = scratch + QStringLiteral("/child.rss");
    QFile::remove(rssPath);
    // The peak RSS comes from GNU time, a small process that forks the child: Linux
    // starts an exec'd process's ru_maxrss at the RSS of the process it was spawned
    // from, so wait4() from this (large) process would report this process's size.
    QList<QByteArray> argBytes{QByteArrayLiteral("/usr/bin/time"), QByteArrayLiteral("-f"), QByteArrayLiteral("%M"),
                               QByteArrayLiteral("-o"), QFile::encodeName(rssPath), QFile::encodeName(program)};
    for (const QString& a : args)
        argBytes << a.toUtf8();
    std::vector<char*> argv;
    for (QByteArray& a : argBytes)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    QElapsedTimer timer;
    timer.start();
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return r;
    r.started = true;
    int status = 0;
    rusage usage = {};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    r.seconds = double(timer.nsecsElapsed()) / 1e9;
    r.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    if (WIFEXITED(status))
        r.exitCode = WEXITSTATUS(status);
    // GNU time's last line: the child's peak RSS in kilobytes (before it, "Command
    // exited with non-zero status N" when it failed).
    const QList<QByteArray> lines = readAll(rssPath).trimmed().split('\n');
    bool parsed = false;
    const double kb = lines.last().trimmed().toDouble(&parsed);
    if (!parsed) {
        r.exitCode = -1;
        r.err = "no peak RSS from /usr/bin/time (the Debian package time, packaging/debian-build-deps.txt)";
        return r;
    }
    r.peakRssMb = kb / 1024.0;
    r.out = readAll(QString::fromUtf8(outPath));
    r.err = readAll(QString::fromUtf8(errPath));
    return r;
}

bool quick()
{
    return qEnvironmentVariableIntValue("DATAALM_BENCH_QUICK") != 0;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

double rounded(double v, int digits)
{
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
}

void emitRow(const QString& name, double value, const QString& unit, const QString& baseline, double baselineValue)
{
    const QJsonObject row{{QStringLiteral("name"), name},
                          {QStringLiteral("value"), rounded(value)},
                          {QStringLiteral("unit"), unit},
                          {QStringLiteral("baseline"), baseline},
                          {QStringLiteral("baseline_value"), rounded(baselineValue)},
                          {QStringLiteral("ratio"), baselineValue > 0 ? rounded(value / baselineValue, 2) : 0.0}};
    const QByteArray line = QJsonDocument(row).toJson(QJsonDocument::Compact);
    qInfo("%s", line.constData());
    const QString out = qEnvironmentVariable("DATAALM_BENCH_OUT");
    if (out.isEmpty())
        return;
    QFile f(out);
    if (f.open(QIODevice::WriteOnly | QIODevice::Append))
        f.write(line + '\n');
}

QByteArray loadAverage()
{
    return readAll(QStringLiteral("/proc/loadavg")).trimmed();
}

} // namespace BenchChild
