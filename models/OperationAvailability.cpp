#include "OperationAvailability.h"

#include "catalog/MaskingReport.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationRules.h"

bool OperationAvailability::pointOfNoReturnReached(const OperationRecord& op)
{
    return !OperationRules(BuiltInOperationKinds::registry()).cancelHonoured(op);
}

const OperationRecord* OperationAvailability::laterOperation(const OperationRecord& op,
                                                             const QList<OperationRecord>& history)
{
    return OperationRules::laterOperation(op, history);
}

OperationAvailability::Verdict OperationAvailability::check(Action action, const OperationRecord& op,
                                                            const QList<OperationRecord>& history, bool busyHere,
                                                            const QString& roleRefusal)
{
    if (op.id <= 0)
        return {false, tr("No operation is selected.")};
    if (action == DownloadLogs)
        return {true, tr("Save the runbook log and the operation's steps of operation %1 as a zip file.").arg(op.id)};
    if (action == MaskingReport)
        return MaskingReport::hasContent(MaskingReport::build(op))
                   ? Verdict{true, tr("What operation %1's data policy hid, column by column, with the leak scan's "
                                      "result and the policy's coverage of the source.")
                                       .arg(op.id)}
                   : Verdict{false, tr("Operation %1 applied no policy that hides data: it has no masking report.")
                                        .arg(op.id)};
    if (!roleRefusal.isEmpty())
        return {false, roleRefusal};
    // This console's own action in flight: only a cancel of a running operation goes
    // through (the runner honours it between batches).
    if (busyHere && !(action == Cancel && op.state == OperationState::InProgress))
        return {false, tr("This console is running an action on operation %1; wait for it to end.").arg(op.id)};
    OperationRules::Action rule = OperationRules::Action::Cancel;
    switch (action) {
    case Cancel:
        rule = OperationRules::Action::Cancel;
        break;
    case Resume:
        rule = OperationRules::Action::Resume;
        break;
    case Rollback:
        rule = OperationRules::Action::Rollback;
        break;
    case SignOff:
        rule = OperationRules::Action::SignOff;
        break;
    case DownloadLogs:
    case MaskingReport:
        break;
    }
    const OperationRules::Verdict v = OperationRules(BuiltInOperationKinds::registry()).check(rule, op, history);
    return {v.allowed, v.reason};
}
