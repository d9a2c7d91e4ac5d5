#include "environment/RestorePoint.h"

#include <QJsonArray>

const DatabaseRef* RestorePoint::database(const QString& role) const
{
    for (const DatabaseRef& d : databases) {
        if (d.role == role)
            return &d;
    }
    return nullptr;
}

Environment RestorePoint::asSource(const Environment& environment) const
{
    Environment e = environment;
    e.versions = versions;
    if (!tenant.isEmpty())
        e.tenant = tenant;
    e.databases = databases;
    return e;
}

QString RestorePoint::title() const
{
    return QStringLiteral("restore point %1 of %2 (%3 UTC)")
        .arg(id)
        .arg(environmentId, created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
}

QString RestorePoint::kindTitle() const
{
    if (kind == Operation)
        return QStringLiteral("Before operation %1").arg(operationId);
    if (kind == Scheduled)
        return QStringLiteral("Scheduled");
    return QStringLiteral("Manual");
}

QJsonObject RestorePoint::toJson() const
{
    QJsonArray dbs;
    for (const DatabaseRef& d : databases)
        dbs.append(QJsonObject{{QStringLiteral("role"), d.role}, {QStringLiteral("location"), d.location()}});
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("environment"), environmentId},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("state"), state},
                  {QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("expires"), expires.toUTC().toString(Qt::ISODateWithMs)},
                  {QStringLiteral("bytes"), bytes},
                  {QStringLiteral("databases"), dbs},
                  {QStringLiteral("versions"), versions.toJson()}};
    if (kind == Operation)
        o.insert(QStringLiteral("operation"), operationId);
    return o;
}
