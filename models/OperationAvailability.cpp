#include "OperationAvailability.h"

#include "OperationHistoryModel.h"
#include "refresh/RefreshRunbook.h"

bool OperationAvailability::pointOfNoReturnReached(const OperationRecord& op)
{
    if (!op.restorePoint.isEmpty() && op.kind != QLatin1String("refresh"))
        return true;
    if (op.kind != QLatin1String("refresh"))
        return false;
    for (const StepRecord& s : op.steps) {
        if (s.ordinal >= RefreshRunbook::SwapIntoTarget && s.state != QLatin1String("NotStarted"))
            return true;
    }
    return false;
}

const OperationRecord* OperationAvailability::laterOperation(const OperationRecord& op,
                                                             const QList<OperationRecord>& history)
{
    const OperationRecord* later = nullptr;
    for (const OperationRecord& o : history) {
        if (o.target != op.target || o.id <= op.id)
            continue;
        if (o.state == OperationState::Aborted || o.state == OperationState::RollbackCompleted)
            continue;
        if (!later || o.id > later->id)
            later = &o;
    }
    return later;
}

OperationAvailability::Verdict OperationAvailability::check(Action action, const OperationRecord& op,
                                                            const QList<OperationRecord>& history, bool busyHere)
{
    using S = OperationState;
    const QString state = OperationHistoryModel::stateTitle(op.state).toLower();
    if (op.id <= 0)
        return {false, tr("No operation is selected.")};
    if (action == DownloadLogs)
        return {true, tr("Save the runbook log and the operation's steps of operation %1 as a zip file.").arg(op.id)};
    if (busyHere && action != Cancel)
        return {false, tr("This console is running an action on operation %1; wait for it to end.").arg(op.id)};

    switch (action) {
    case Cancel:
        if (op.state == S::InProgress) {
            if (pointOfNoReturnReached(op))
                return {false, tr("The swap into %1 has begun: operation %2 can no longer be cancelled. Roll it "
                                  "back once it ends.")
                                   .arg(op.target)
                                   .arg(op.id)};
            return {true, tr("Stop operation %1 before the swap; %2 stays untouched.").arg(op.id).arg(op.target)};
        }
        if (busyHere)
            return {false, tr("This console is running an action on operation %1; wait for it to end.").arg(op.id)};
        if (op.state == S::NotStarted)
            return {true, tr("Abort operation %1, which never started; %2 is untouched.").arg(op.id).arg(op.target)};
        if (op.state == S::Failed) {
            // An apply may stop at its failed step: what the completed steps did stays (ApplyJob).
            if (op.kind == QLatin1String("apply"))
                return {true, tr("Abort operation %1: %2 stays as it is now, with the package's completed steps, and "
                                 "the restore point is deleted.")
                                  .arg(op.id)
                                  .arg(op.target)};
            if (pointOfNoReturnReached(op))
                return {false, tr("Operation %1 already changed %2: roll it back instead of cancelling it.")
                                   .arg(op.id)
                                   .arg(op.target)};
            return {true, tr("Abort operation %1: %2 stays as it was and the staging copy is removed.")
                              .arg(op.id)
                              .arg(op.target)};
        }
        return {false, tr("Operation %1 is %2; only a running, failed or not started operation can be cancelled.")
                           .arg(op.id)
                           .arg(state)};
    case Resume:
        if (op.state != S::Failed)
            return {false, tr("Operation %1 is %2; only a failed operation can be resumed.").arg(op.id).arg(state)};
        for (const StepRecord& s : op.steps) {
            if (s.state != QLatin1String("Completed") && s.state != QLatin1String("Skipped"))
                return {true, tr("Run operation %1 again from step %2, %3.").arg(op.id).arg(s.ordinal).arg(s.name)};
        }
        return {true, tr("Run operation %1 again from its failed step.").arg(op.id)};
    case Rollback:
        if (op.state != S::Completed && op.state != S::Failed && op.state != S::RollbackFailed)
            return {false, tr("Operation %1 is %2; only a completed or failed operation can be rolled back.")
                               .arg(op.id)
                               .arg(state)};
        if (const OperationRecord* later = laterOperation(op, history))
            return {false, tr("Operation %1 (%2) changed %3 after this one; roll that back first.")
                               .arg(later->id)
                               .arg(later->title(), op.target)};
        return {true, pointOfNoReturnReached(op)
                          ? tr("Put back the databases %1 had before operation %2.").arg(op.target).arg(op.id)
                          : tr("Remove what operation %1 left behind; %2 was not changed.").arg(op.id).arg(op.target)};
    case SignOff:
        if (op.state != S::Completed)
            return {false,
                    tr("Operation %1 is %2; only a completed operation can be signed off.").arg(op.id).arg(state)};
        return {
            true,
            tr("Accept operation %1: its restore point is released and it can no longer be rolled back.").arg(op.id)};
    case DownloadLogs:
        break;
    }
    return {};
}
