#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <QStringList>

// One run of the real `dataalm` binary (DATAALM_CLI_PATH), seen as a script sees it:
// exit code, stdout and stderr. runCli() never touches the user's own catalog or
// logs: XDG_DATA_HOME (the default catalog) points into a temporary folder of the
// test process, and DATAALM_STATE_DIR does too unless CTest already set it.
struct CliRun
{
    bool started = false;  // the binary could be started
    bool timedOut = false; // it was killed after the timeout
    bool crashed = false;  // it died of a signal
    int exitCode = -1;     // meaningful only if started, neither timed out nor crashed
    QByteArray out;        // stdout
    QByteArray err;        // stderr

    // Exited normally (no timeout, no crash) with `code`.
    bool exitedWith(int code) const { return started && !timedOut && !crashed && exitCode == code; }
    QString outText() const { return QString::fromUtf8(out); }
    QString errText() const { return QString::fromUtf8(err); }
    // The non-empty lines of stderr.
    QStringList errLines() const;
    // stdout parsed as one JSON document; a null document (and *error says why) if it is not one.
    QJsonDocument json(QString* error = nullptr) const;
    // "`dataalm ARGS` exited 2; stderr: ...": for QVERIFY2(cond, qPrintable(run.describe())).
    QString describe() const;

    QStringList args;
};

// The path of the `dataalm` binary under test.
QString cliPath();

// Runs `dataalm args...`, stdin empty, and waits at most `timeoutMs` before killing it.
// Then waits for the background cleanup a rollback or signoff starts
// (waitForBackgroundCleanup()).
CliRun runCli(const QStringList& args, int timeoutMs = 120000);
// The same with `input` on its standard input (then closed): a password a command reads.
CliRun runCliWithInput(const QStringList& args, const QByteArray& input, int timeoutMs = 120000);

// `dataalm rollback` and `signoff` return once the state is recorded and leave the
// removal of what they freed to `dataalm cleanup` in the background; after one of them
// (by `args`), waits up to a minute until the catalog (`--catalog`, else
// `defaultDataHome`/dataalm) marks no rolled-back or signed-off operation as having
// files left: what a test then sees on disk is settled. False on a timeout.
bool waitForBackgroundCleanup(const QStringList& args, const QString& defaultDataHome);
