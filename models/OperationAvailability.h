#pragma once

#include "operation/OperationRecord.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

// Which of LCS's operation buttons the state machine allows for one operation, and a
// sentence for each: what it will do, or why it is not available. The answer and the
// sentence are OperationRules' (the runner and the CLI ask the same), plus what only a
// console knows: whether it is itself running an action on the operation. The
// progress view and the operation history both ask here.
//
// Promises: pure functions of the values given (the operation with its steps, the
// target's history, whether this console is running an action on it); no I/O.
class OperationAvailability
{
    Q_DECLARE_TR_FUNCTIONS(OperationAvailability)

public:
    enum Action
    {
        Cancel,
        Resume,
        Rollback,
        SignOff,
        DownloadLogs,
        MaskingReport
    };
    struct Verdict
    {
        bool enabled = false;
        QString reason;
    };

    // `history`: operations of the target (to find a later one that blocks a rollback);
    // `busyHere`: this console is running an action on the operation right now;
    // `roleRefusal`: on a team catalog, why the login may not operate the operation's
    // target (TeamAccess::whyNot; empty: it may).
    static Verdict check(Action action, const OperationRecord& operation, const QList<OperationRecord>& history,
                         bool busyHere, const QString& roleRefusal = {});
    // The kind's point of no return (the swap, a package's first step) has begun.
    static bool pointOfNoReturnReached(const OperationRecord& operation);
    // The newest operation on the same target after `operation` that is neither
    // aborted nor rolled back (OperationStore::laterOperation, on a list).
    static const OperationRecord* laterOperation(const OperationRecord& operation,
                                                 const QList<OperationRecord>& history);
};
