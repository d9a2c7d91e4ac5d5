#pragma once

#include "CliContext.h"

#include "schedule/RequestWindow.h"

#include <QString>
#include <QStringList>
#include <optional>

struct Environment;
struct OperationRecord;

// The CLI's operation commands: preflight, refresh, operations, operation, resume,
// rollback, signoff, abort, logs, cleanup. They drive the same OperationHost and
// OperationRunner as the console: there is no second code path.
class OperationCommands
{
public:
    explicit OperationCommands(CliContext& context);

    int preflight();
    int refresh();
    int list();
    int show();
    int act(const QString& verb);
    int logs();
    // Removes what rolled-back and signed-off operations left on disk (the runner's
    // Cleanup, for every operation the store marks). `rollback` and `signoff` return
    // once the state is recorded and start it in the background.
    int cleanup();

    // Runs `action` on operation `id` to its end on an OperationHost, printing
    // step progress to stderr and then the operation (unless `print` is false);
    // returns the contract's exit code. Shared with the package commands.
    int drive(qint64 id, int action, bool print = true);

    // Requests in downtime windows. `allowed` plus the options of a request
    // (--window-start, --window-end, --force).
    static QStringList withRequestOptions(QStringList allowed);
    // Reads the window of the command line, if any, and checks it for an operation of
    // `kind` on `target` before anything is created: -1 to go on, else the exit code
    // (the refusal printed). `required`: the command is `request KIND`.
    int checkRequest(const QString& kind, const Environment* source, const Environment& target);
    void setRequestRequired(bool required) { m_requestRequired = required; }
    bool requestRequired() const { return m_requestRequired; }
    // What an operation command does with the operation it created: runs it now, or
    // (with a window) turns it into a request and prints it.
    int start(qint64 id);
    // On a team catalog: submits operation `id` to the agents (a request whose window is
    // open now, for a day), then watches it to its end (unless --no-wait).
    int submit(qint64 id);
    // Follows operation or request `id`, run elsewhere, to its end, printing its steps.
    // `action`: follows the action asked of the agents on operation `id` (OperationWatcher::followAction).
    int watch(qint64 id, bool print, bool action = false);
    // requests, reschedule ID, cancel ID.
    int requests();
    int reschedule();
    int cancelRequest();
    void printOperation(const OperationRecord& op);
    // Whether refresh() prints the operation it ran (refresh --reprovision prints both
    // operations itself), and the operation the last refresh() created (0: none).
    void setPrintResult(bool print) { m_printResult = print; }
    qint64 lastOperationId() const { return m_lastOperationId; }

private:
    bool operationId(int position, qint64* id, int* exitCode);
    // Starts `dataalm cleanup` on this catalog as a detached process; false if it could
    // not be started.
    bool startBackgroundCleanup();

    CliContext& m_ctx;
    std::optional<RequestWindow> m_window;
    bool m_force = false;
    bool m_requestRequired = false;
    bool m_printResult = true;
    qint64 m_lastOperationId = 0;
};
