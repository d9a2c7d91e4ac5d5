#include "restore/RestoreRequest.h"

#include "catalog/Catalog.h"
#include "core/Clock.h"
#include "operation/OperationKinds.h"
#include "operation/OperationRules.h"
#include "restorepoint/PgBackRest.h"

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

QString RestoreRequest::instantRefusal(const Catalog& catalog, const Environment& source, const Environment& target,
                                       const QDateTime& instant)
{
    return PgBackRest::instantRefusal(catalog, source, target, instant);
}

std::optional<qint64> RestoreRequest::createAtInstant(Catalog& catalog, const Environment& source,
                                                      const Environment& target, const QDateTime& instant,
                                                      const QString& explicitPolicyPath, QString* error,
                                                      Refusal* refusal)
{
    if (refusal)
        *refusal = Refusal::None;
    const QString why = instantRefusal(catalog, source, target, instant);
    if (!why.isEmpty()) {
        *error = why;
        if (refusal)
            *refusal = Refusal::NotAllowed;
        return std::nullopt;
    }
    Environment from = source;
    from.databases = {*source.database(DatabaseRef::Transactional)};
    Environment into = target;
    into.databases = {*target.database(DatabaseRef::Transactional)};
    const QJsonObject extra{
        {QStringLiteral("pitr"), QJsonObject{{QStringLiteral("instant"), instant.toUTC().toString(Qt::ISODateWithMs)},
                                             {QStringLiteral("source"), catalog.pitrSource(source.id).toJson()}}},
        {QStringLiteral("leaveFinancialReporting"), true}};
    RefreshRequest::Refusal r = RefreshRequest::Refusal::None;
    std::optional<qint64> id;
    if (source.id != target.id) {
        id = RefreshRequest::createOfKind(OperationKinds::Restore, catalog, from, into,
                                          RefreshRequest::policyPathFor(catalog, target, explicitPolicyPath), nullptr,
                                          extra, error, &r);
    } else {
        const QByteArray none = QByteArrayLiteral("{\"rules\": []}");
        id = RefreshRequest::createOfKind(OperationKinds::Restore, catalog, from, into, QString(), &none, extra, error,
                                          &r);
    }
    if (!id && refusal)
        *refusal = r == RefreshRequest::Refusal::InvalidPolicy ? Refusal::InvalidPolicy : Refusal::TargetBusy;
    return id;
}
