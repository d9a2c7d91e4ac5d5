#pragma once

#include "CliRun.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <sys/types.h>

// The result of a CliProcess: a CliRun plus the signal that ended the child (0 when
// it exited normally). QProcess only says "crashed"; the crash tests must know the
// child died of SIGKILL and not of something else.
struct CliOutcome : CliRun
{
    int signal = 0;

    bool killedBy(int sig) const { return started && !timedOut && crashed && signal == sig; }
};

// A `dataalm` child that a test watches while it runs, for the crash, cancel and
// concurrency tests: extra environment variables (the DATAALM_TEST_* hooks), stderr
// readable while the child runs, its pid for signals, and the exact way it ended.
// Started with posix_spawn; stdout and stderr go to files in a temporary folder, so
// a child that is never read from can never block on a full pipe. Like runCli(), it
// never touches the user's catalog or logs (XDG_DATA_HOME and, unless CTest set it,
// DATAALM_STATE_DIR point into a temporary folder). The destructor kills a child
// that still runs and reaps it.
class CliProcess
{
public:
    CliProcess();
    ~CliProcess();
    CliProcess(const CliProcess&) = delete;
    CliProcess& operator=(const CliProcess&) = delete;

    // Sets a variable of the child's environment (before start()).
    void setEnv(const QString& name, const QString& value);
    bool start(const QStringList& args);
    pid_t pid() const { return m_pid; }
    bool isRunning();

    // What the child wrote so far.
    QByteArray errSoFar() const;
    // Polls stderr until it contains `text`; false if the child ended or the time ran out first.
    bool waitForErr(const QString& text, int timeoutMs = 60000);
    // Sends `sig` to the child; false if it is not running.
    bool sendSignal(int sig);
    // Waits for the child to end (killing it after `timeoutMs`) and returns how it ended.
    CliOutcome finish(int timeoutMs = 120000);

private:
    bool reap(int options);

    QTemporaryDir m_dir;
    QMap<QString, QString> m_env;
    QStringList m_args;
    pid_t m_pid = -1;
    bool m_reaped = false;
    int m_status = 0;
};

// runCli() with extra environment variables, and the signal that ended the child.
CliOutcome runCliWith(const QStringList& args, const QMap<QString, QString>& env, int timeoutMs = 120000);
