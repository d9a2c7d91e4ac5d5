#include "FollowUpOffer.h"

#include "OperationHistoryModel.h"

#include <QJsonArray>

namespace {

// The states OperationStore::create refuses a new operation behind.
bool unfinished(OperationState s)
{
    return s == OperationState::NotStarted || s == OperationState::InProgress || s == OperationState::Failed ||
           s == OperationState::RollbackInProgress || s == OperationState::RollbackFailed;
}

} // namespace

QStringList FollowUpOffer::tasks(const OperationRecord& operation)
{
    QStringList list;
    const QJsonArray array = operation.params.value(QStringLiteral("followUps")).toArray();
    for (const QJsonValue& v : array) {
        if (!v.toString().isEmpty())
            list << v.toString();
    }
    return list;
}

bool FollowUpOffer::isReprovisioningApply(const OperationRecord& operation)
{
    return operation.kind == QLatin1String("apply") &&
           operation.params.value(QStringLiteral("package")).toObject().value(QStringLiteral("type")).toString() ==
               QLatin1String("reprovisioning");
}

FollowUpOffer::Verdict FollowUpOffer::check(const OperationRecord& operation, const QList<OperationRecord>& history)
{
    Verdict v;
    v.reason = tr("Offered after a completed refresh into a Commerce environment: its follow-ups.");
    if (operation.kind != QLatin1String("refresh") ||
        (operation.state != OperationState::Completed && operation.state != OperationState::SignedOff))
        return v;
    v.tasks = tasks(operation);
    if (v.tasks.isEmpty())
        return v;
    v.offered = true;

    // The newest of each kind of later operation on the same target decides.
    const OperationRecord* toolRun = nullptr;
    const OperationRecord* laterRefresh = nullptr;
    const OperationRecord* blocking = nullptr;
    for (const OperationRecord& op : history) {
        if (op.target != operation.target || op.id <= operation.id)
            continue;
        if (isReprovisioningApply(op) && op.state != OperationState::NotStarted && (!toolRun || op.id > toolRun->id))
            toolRun = &op;
        if (op.kind == QLatin1String("refresh") && op.state != OperationState::Aborted &&
            op.state != OperationState::RollbackCompleted && (!laterRefresh || op.id > laterRefresh->id))
            laterRefresh = &op;
        if (unfinished(op.state) && (!blocking || op.id > blocking->id))
            blocking = &op;
    }
    if (toolRun) {
        v.reason = tr("The tool already ran on %1 after this refresh (apply #%2, %3).")
                       .arg(operation.target)
                       .arg(toolRun->id)
                       .arg(OperationHistoryModel::stateTitle(toolRun->state).toLower());
        return v;
    }
    if (laterRefresh) {
        v.reason = tr("Refresh #%1 replaced %2's databases after this one: its follow-ups offer the tool.")
                       .arg(laterRefresh->id)
                       .arg(operation.target);
        return v;
    }
    if (blocking) {
        v.reason = tr("%1 has an unfinished operation #%2 (%3, %4): finish it first.")
                       .arg(operation.target)
                       .arg(blocking->id)
                       .arg(blocking->title(), OperationHistoryModel::stateTitle(blocking->state).toLower());
        return v;
    }
    v.enabled = true;
    v.reason = tr("Apply the Environment reprovisioning tool to %1 now: it brings the Commerce records in line with "
                  "the environment after the copy (imported from the shared library if the asset library lacks it); "
                  "its progress shows here.")
                   .arg(operation.target);
    return v;
}
