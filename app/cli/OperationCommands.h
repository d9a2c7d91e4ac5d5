#pragma once

#include "CliContext.h"

#include <QString>

struct OperationRecord;

// The CLI's operation commands: preflight, refresh, operations, operation, resume,
// rollback, signoff, abort, logs. They drive the same OperationHost and
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

private:
    // Runs `action` on operation `id` to its end on an OperationHost, printing
    // step progress to stderr; returns the contract's exit code.
    int drive(qint64 id, int action);
    bool operationId(int position, qint64* id, int* exitCode);
    void printOperation(const OperationRecord& op);

    CliContext& m_ctx;
};
