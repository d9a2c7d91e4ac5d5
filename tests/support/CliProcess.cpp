#include "CliProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace {

QByteArray readWhole(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

CliProcess::CliProcess() = default;

CliProcess::~CliProcess()
{
    if (m_pid > 0 && !m_reaped) {
        ::kill(m_pid, SIGKILL);
        reap(0);
    }
}

void CliProcess::setEnv(const QString& name, const QString& value)
{
    m_env.insert(name, value);
}

bool CliProcess::start(const QStringList& args)
{
    m_args = args;
    if (!m_dir.isValid() || m_pid > 0)
        return false;

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
    if (!env.contains(QStringLiteral("DATAALM_STATE_DIR")))
        env.insert(QStringLiteral("DATAALM_STATE_DIR"), m_dir.filePath(QStringLiteral("state")));
    for (auto it = m_env.cbegin(); it != m_env.cend(); ++it)
        env.insert(it.key(), it.value());

    std::vector<QByteArray> envStorage;
    for (const QString& key : env.keys())
        envStorage.push_back((key + QLatin1Char('=') + env.value(key)).toLocal8Bit());
    std::vector<char*> envp;
    for (QByteArray& e : envStorage)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    std::vector<QByteArray> argStorage;
    argStorage.push_back(QFile::encodeName(cliPath()));
    for (const QString& a : args)
        argStorage.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& a : argStorage)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    const QByteArray outPath = QFile::encodeName(m_dir.filePath(QStringLiteral("stdout")));
    const QByteArray errPath = QFile::encodeName(m_dir.filePath(QStringLiteral("stderr")));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // The child starts with default signal handling: the test runner may ignore SIGINT.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigdefault(&attr, &all);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    const int rc = ::posix_spawn(&m_pid, argv.front(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        m_pid = -1;
        return false;
    }
    return true;
}

bool CliProcess::reap(int options)
{
    if (m_reaped)
        return true;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(m_pid, &status, options);
    } while (r < 0 && errno == EINTR);
    if (r == m_pid) {
        m_reaped = true;
        m_status = status;
        return true;
    }
    return false;
}

bool CliProcess::isRunning()
{
    return m_pid > 0 && !reap(WNOHANG);
}

QByteArray CliProcess::errSoFar() const
{
    return readWhole(m_dir.filePath(QStringLiteral("stderr")));
}

bool CliProcess::waitForErr(const QString& text, int timeoutMs)
{
    const QByteArray needle = text.toUtf8();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (errSoFar().contains(needle))
            return true;
        if (!isRunning())
            return errSoFar().contains(needle);
        QThread::msleep(5);
    }
    return false;
}

bool CliProcess::sendSignal(int sig)
{
    return isRunning() && ::kill(m_pid, sig) == 0;
}

CliOutcome CliProcess::finish(int timeoutMs)
{
    CliOutcome o;
    o.args = m_args;
    if (m_pid <= 0) {
        o.err = "could not be started";
        return o;
    }
    o.started = true;
    QElapsedTimer t;
    t.start();
    while (!reap(WNOHANG)) {
        if (t.elapsed() > timeoutMs) {
            o.timedOut = true;
            ::kill(m_pid, SIGKILL);
            reap(0);
            break;
        }
        QThread::msleep(5);
    }
    o.out = readWhole(m_dir.filePath(QStringLiteral("stdout")));
    o.err = errSoFar();
    if (o.timedOut)
        return o;
    if (WIFSIGNALED(m_status)) {
        o.crashed = true;
        o.signal = WTERMSIG(m_status);
    } else if (WIFEXITED(m_status)) {
        o.exitCode = WEXITSTATUS(m_status);
    }
    if (o.exitCode == 0 && !waitForBackgroundCleanup(m_args, m_dir.filePath(QStringLiteral("data"))))
        qWarning("the background cleanup after `dataalm %s` did not finish in a minute", qPrintable(m_args.join(QLatin1Char(' '))));
    return o;
}

CliOutcome runCliWith(const QStringList& args, const QMap<QString, QString>& env, int timeoutMs)
{
    CliProcess p;
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        p.setEnv(it.key(), it.value());
    p.start(args);
    return p.finish(timeoutMs);
}
