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
    if (target.type == EnvironmentType::Production)
        return QStringLiteral("%1 is a production environment; a point-in-time restore replaces a sandbox's or a "
                              "dev/test environment's database, never production's.")
            .arg(target.id);
    if (source.id != target.id && (source.type != EnvironmentType::Production || target.type != EnvironmentType::Sandbox))
        return QStringLiteral("Only production goes into another environment, and only into a sandbox (Point-in-time "
                              "restore production to sandbox); %1 is a %2 environment and %3 a %4 one.")
            .arg(source.id, environmentTypeTitle(source.type).toLower(), target.id,
                 environmentTypeTitle(target.type).toLower());
    const DatabaseRef* from = source.database(DatabaseRef::Transactional);
    const DatabaseRef* into = target.database(DatabaseRef::Transactional);
    if (!from || !into || !from->isPostgres() || !into->isPostgres())
        return QStringLiteral("A restore to an instant needs PostgreSQL on both sides (pgBackRest archives a server's "
                              "WAL); restore a SQLite environment from one of its restore points instead.");
    const PitrSource pitr = catalog.pitrSource(source.id);
    if (!pitr.isSet())
        return PgBackRest::setupHelp(source.id);
    QString e;
    const std::optional<PgBackRest::Window> window = PgBackRest::window(pitr, &e);
    if (!window)
        return QStringLiteral("%1 %2").arg(e, PgBackRest::setupHelp(source.id));
    if (!instant.isValid() || instant < window->earliest || instant > window->latest)
        return QStringLiteral("%1 can be restored to an instant from %2 to %3 UTC (stanza %4); %5 is outside that "
                              "window.")
            .arg(source.id, window->earliest.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 window->latest.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), pitr.stanza,
                 instant.isValid() ? instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC")
                                   : QStringLiteral("the instant given"));
    return {};
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
