#pragma once

#include "CliContext.h"

#include <QString>

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
    bool m_printResult = true;
    qint64 m_lastOperationId = 0;
};
