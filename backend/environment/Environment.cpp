#include "environment/Environment.h"

#include <QJsonArray>

QJsonObject EnvironmentVersions::toJson() const
{
    return {{QStringLiteral("application"), application},
            {QStringLiteral("platform"), platform},
            {QStringLiteral("financialReporting"), financialReporting},
            {QStringLiteral("commerce"), commerce.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(commerce)}};
}

EnvironmentVersions EnvironmentVersions::fromJson(const QJsonObject& o)
{
    EnvironmentVersions v;
    v.application = o.value(QStringLiteral("application")).toString();
    v.platform = o.value(QStringLiteral("platform")).toInt();
    v.financialReporting = o.value(QStringLiteral("financialReporting")).toString();
    v.commerce = o.value(QStringLiteral("commerce")).toString();
    return v;
}

const DatabaseRef* Environment::database(const QString& role) const
{
    for (const auto& db : databases) {
        if (db.role == role)
            return &db;
    }
    return nullptr;
}

QJsonObject Environment::toJson() const
{
    QJsonArray dbs;
    for (const auto& db : databases)
        dbs.append(db.toJson());
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("type"), environmentTypeId(type)},
            {QStringLiteral("state"), state},
            {QStringLiteral("tenant"), tenant},
            {QStringLiteral("admin"), admin},
            {QStringLiteral("versions"), versions.toJson()},
            {QStringLiteral("databases"), dbs}};
}
