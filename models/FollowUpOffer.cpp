#include "FollowUpOffer.h"

#include "operation/OperationRules.h"

#include <QJsonArray>

#include <algorithm>

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
    return OperationRules::isReprovisioningApply(operation);
}

FollowUpOffer::Verdict FollowUpOffer::check(const OperationRecord& operation, const QList<OperationRecord>& history)
{
    Verdict v;
    v.reason = tr("Offered after a completed refresh into a Commerce environment: its follow-ups.");
    if (operation.kind != OperationKinds::Refresh ||
        (operation.state != OperationState::Completed && operation.state != OperationState::SignedOff))
        return v;
    v.tasks = tasks(operation);
    if (v.tasks.isEmpty())
        return v;
    v.offered = true;
    // Whether the tool may run now is the lifecycle's rule, the same the Maintain menu
    // and `dataalm refresh --reprovision` ask.
    QList<OperationRecord> all = history;
    if (std::none_of(all.cbegin(), all.cend(), [&](const OperationRecord& o) { return o.id == operation.id; }))
        all.append(operation);
    const OperationRules::Verdict rule = OperationRules::canReprovision(operation.target, true, all, operation.id);
    v.enabled = rule.allowed;
    v.reason = rule.allowed ? rule.reason + tr(" Its progress shows here.") : rule.reason;
    return v;
}
