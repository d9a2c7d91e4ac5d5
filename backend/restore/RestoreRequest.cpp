#include "restore/RestoreRequest.h"

#include "catalog/Catalog.h"
#include "core/Clock.h"
#include "operation/OperationKinds.h"
#include "operation/OperationRules.h"

bool RestoreRequest::appliesPolicy(const RestorePoint& point, const Environment& target)
{
    return point.environmentId != target.id;
}

std::optional<qint64> RestoreRequest::create(Catalog& catalog, const RestorePoint& point, const Environment& target,
                                             const QString& explicitPolicyPath, QString* error, Refusal* refusal,
                                             const QString& reviewedSha256)
{
    if (refusal)
        *refusal = Refusal::None;
    const std::optional<Environment> pointEnvironment = catalog.environment(point.environmentId);
    const QString why = OperationRules::restoreRefusal(point, pointEnvironment ? &*pointEnvironment : nullptr, target,
                                                       Clock::nowUtc());
    if (!why.isEmpty()) {
        *error = why;
        if (refusal)
            *refusal = Refusal::NotAllowed;
        return std::nullopt;
    }
    // Only the transactional database is restored.
    Environment into = target;
    into.databases.clear();
    if (const DatabaseRef* t = target.database(DatabaseRef::Transactional))
        into.databases.append(*t);
    const Environment source = point.asSource(*pointEnvironment);
    const QJsonObject extra{{QStringLiteral("restorePoint"), point.id},
                            {QStringLiteral("restorePointCreated"), point.created.toUTC().toString(Qt::ISODateWithMs)},
                            {QStringLiteral("leaveFinancialReporting"), true}};
    RefreshRequest::Refusal r = RefreshRequest::Refusal::None;
    std::optional<qint64> id;
    if (appliesPolicy(point, target)) {
        id = RefreshRequest::createOfKind(OperationKinds::Restore, catalog, source, into,
                                          RefreshRequest::policyPathFor(catalog, target, explicitPolicyPath), nullptr,
                                          extra, error, &r, reviewedSha256);
    } else {
        // The environment's own data: no rule applies.
        const QByteArray none = QByteArrayLiteral("{\"rules\": []}");
        id = RefreshRequest::createOfKind(OperationKinds::Restore, catalog, source, into, QString(), &none, extra,
                                          error, &r, reviewedSha256);
    }
    if (!id && refusal)
        *refusal = r == RefreshRequest::Refusal::InvalidPolicy ? Refusal::InvalidPolicy : Refusal::TargetBusy;
    return id;
}
