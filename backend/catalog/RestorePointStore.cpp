#include "catalog/RestorePointStore.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

#include <unistd.h>

namespace {

QString timeText(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QString databasesText(const QList<DatabaseRef>& databases)
{
    QJsonArray a;
    for (const DatabaseRef& d : databases)
        a.append(d.toJson());
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

const QString Columns = QStringLiteral(
    "id, project_id, environment_id, kind, COALESCE(operation_id, 0), state, created, expires, bytes, databases, "
    "versions, tenant, who, COALESCE((SELECT o.state FROM operations o WHERE o.id = restore_points.operation_id), '')");

} // namespace

RestorePointStore::RestorePointStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

int RestorePointStore::retentionDays(const QString& projectId, EnvironmentType type) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT retention_production_days, retention_other_days FROM projects WHERE id = ?"));
    q.addBindValue(projectId);
    const bool production = type == EnvironmentType::Production;
    if (q.exec() && q.next())
        return q.value(production ? 0 : 1).toInt();
    return production ? 28 : 7;
}

bool RestorePointStore::setRetention(const QString& projectId, int productionDays, int otherDays, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral(
        "UPDATE projects SET retention_production_days = ?, retention_other_days = ? WHERE id = ?"));
    q.addBindValue(productionDays);
    q.addBindValue(otherDays);
    q.addBindValue(projectId);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    if (q.numRowsAffected() != 1) {
        *error = QStringLiteral("unknown project %1").arg(projectId);
        return false;
    }
    return true;
}

std::optional<qint64> RestorePointStore::begin(const RestorePoint& point, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO restore_points (project_id, environment_id, kind, operation_id, state, "
                             "created, expires, databases, versions, tenant, who, owner_pid, owner_host, owner_start) "
                             "VALUES (?, ?, ?, NULL, 'Creating', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(point.projectId);
    q.addBindValue(point.environmentId);
    q.addBindValue(point.kind);
    q.addBindValue(timeText(point.created));
    q.addBindValue(timeText(point.expires));
    q.addBindValue(databasesText(point.databases));
    q.addBindValue(QString::fromUtf8(QJsonDocument(point.versions.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(point.tenant);
    q.addBindValue(Catalog::currentUser());
    q.addBindValue(qint64(::getpid()));
    q.addBindValue(QSysInfo::machineHostName());
    q.addBindValue(OperationStore::processStartMark(::getpid()));
    if (!q.exec() || !q.next()) {
        *error = QStringLiteral("cannot record the restore point in the catalog: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    return q.value(0).toLongLong();
}

bool RestorePointStore::setDatabases(qint64 id, const QList<DatabaseRef>& databases, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE restore_points SET databases = ? WHERE id = ?"));
    q.addBindValue(databasesText(databases));
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("cannot record restore point %1's databases: %2").arg(id).arg(q.lastError().text());
        return false;
    }
    return true;
}

bool RestorePointStore::finish(qint64 id, const QDateTime& created, const QDateTime& expires, qint64 bytes,
                               QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE restore_points SET state = 'Available', created = ?, expires = ?, bytes = ?, "
                             "owner_pid = 0 WHERE id = ? AND state = 'Creating'"));
    q.addBindValue(timeText(created));
    q.addBindValue(timeText(expires));
    q.addBindValue(bytes);
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("cannot record restore point %1 as available: %2")
                     .arg(id)
                     .arg(q.lastError().text().isEmpty() ? QStringLiteral("it is no longer being created")
                                                         : q.lastError().text());
        return false;
    }
    return true;
}

std::optional<qint64> RestorePointStore::recordForOperation(qint64 operationId, const QString& environmentId,
                                                            const QList<DatabaseRef>& databases, qint64 bytes,
                                                            QString* error)
{
    const std::optional<Environment> env = m_catalog.environment(environmentId);
    if (!env) {
        *error = QStringLiteral("unknown environment %1").arg(environmentId);
        return std::nullopt;
    }
    const QDateTime created = QDateTime::currentDateTimeUtc();
    const QDateTime expires = created.addDays(retentionDays(env->projectId, env->type));
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral(
        "INSERT INTO restore_points (project_id, environment_id, kind, operation_id, state, created, expires, bytes, "
        "databases, versions, tenant, who) VALUES (?, ?, 'operation', ?, 'Available', ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (operation_id) DO UPDATE SET databases = excluded.databases, bytes = excluded.bytes"));
    q.addBindValue(env->projectId);
    q.addBindValue(environmentId);
    q.addBindValue(operationId);
    q.addBindValue(timeText(created));
    q.addBindValue(timeText(expires));
    q.addBindValue(bytes);
    q.addBindValue(databasesText(databases));
    q.addBindValue(QString::fromUtf8(QJsonDocument(env->versions.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(env->tenant);
    q.addBindValue(Catalog::currentUser());
    if (!q.exec()) {
        *error = QStringLiteral("cannot record the restore point in the catalog: %1").arg(q.lastError().text());
        return std::nullopt;
    }
    const auto point = forOperation(operationId);
    if (!point) {
        *error = QStringLiteral("the restore point of operation %1 is not in the catalog").arg(operationId);
        return std::nullopt;
    }
    return point->id;
}

bool RestorePointStore::keptAfterSignOff(qint64 operationId, RunbookLog* log) const
{
    const std::optional<RestorePoint> point = forOperation(operationId);
    if (!point || point->state != RestorePoint::Available)
        return false;
    if (log)
        log->info(QStringLiteral("the replaced databases stay as restore point %1 until %2 UTC (delete it sooner with "
                                 "dataalm restorepoint delete %1)")
                      .arg(point->id)
                      .arg(point->expires.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    return true;
}

bool RestorePointStore::markDeleting(qint64 id, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE restore_points SET state = 'Deleting', owner_pid = ?, owner_host = ?, "
                             "owner_start = ? WHERE id = ? AND state IN ('Available','Deleting','Creating')"));
    q.addBindValue(qint64(::getpid()));
    q.addBindValue(QSysInfo::machineHostName());
    q.addBindValue(OperationStore::processStartMark(::getpid()));
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("restore point %1 cannot be deleted: it is not in the catalog").arg(id);
        return false;
    }
    return true;
}

bool RestorePointStore::remove(qint64 id)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("DELETE FROM restore_points WHERE id = ?"));
    q.addBindValue(id);
    return q.exec();
}

QList<RestorePoint> RestorePointStore::select(const QString& where, const QVariantList& values) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM restore_points %2").arg(Columns, where));
    for (const QVariant& v : values)
        q.addBindValue(v);
    QList<RestorePoint> result;
    if (!q.exec())
        return result;
    while (q.next()) {
        RestorePoint p;
        p.id = q.value(0).toLongLong();
        p.projectId = q.value(1).toString();
        p.environmentId = q.value(2).toString();
        p.kind = q.value(3).toString();
        p.operationId = q.value(4).toLongLong();
        p.state = q.value(5).toString();
        p.created = QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs);
        p.expires = QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs);
        p.bytes = q.value(8).toLongLong();
        for (const QJsonValue& v : QJsonDocument::fromJson(q.value(9).toString().toUtf8()).array())
            p.databases.append(DatabaseRef::fromJson(v.toObject()));
        p.versions = EnvironmentVersions::fromJson(QJsonDocument::fromJson(q.value(10).toString().toUtf8()).object());
        p.tenant = q.value(11).toString();
        p.who = q.value(12).toString();
        p.operationState = q.value(13).toString();
        result.append(p);
    }
    return result;
}

std::optional<RestorePoint> RestorePointStore::get(qint64 id) const
{
    const QList<RestorePoint> r = select(QStringLiteral("WHERE id = ?"), {id});
    return r.isEmpty() ? std::nullopt : std::optional<RestorePoint>(r.first());
}

std::optional<RestorePoint> RestorePointStore::forOperation(qint64 operationId) const
{
    const QList<RestorePoint> r = select(QStringLiteral("WHERE operation_id = ?"), {operationId});
    return r.isEmpty() ? std::nullopt : std::optional<RestorePoint>(r.first());
}

QList<RestorePoint> RestorePointStore::list(const QString& environmentId) const
{
    if (environmentId.isEmpty())
        return select(QStringLiteral("ORDER BY id DESC"), {});
    return select(QStringLiteral("WHERE environment_id = ? ORDER BY id DESC"), {environmentId});
}

QList<RestorePoint> RestorePointStore::abandoned() const
{
    QSqlQuery q(m_catalog.database());
    q.exec(QStringLiteral("SELECT id, owner_pid, owner_host, owner_start FROM restore_points WHERE state IN "
                          "('Creating','Deleting')"));
    QVariantList ids;
    while (q.next()) {
        if (!OperationStore::ownerAlive(q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString()))
            ids.append(q.value(0));
    }
    QList<RestorePoint> result;
    for (const QVariant& id : ids) {
        if (auto p = get(id.toLongLong()))
            result.append(*p);
    }
    return result;
}

QList<RestorePoint> RestorePointStore::expired(const QDateTime& now) const
{
    return select(QStringLiteral("WHERE state = 'Available' AND expires <= ? ORDER BY id"), {timeText(now)});
}

QList<RestorePoint> RestorePointStore::ofEndedOperations() const
{
    return select(QStringLiteral("WHERE kind = 'operation' AND operation_id IN (SELECT id FROM operations WHERE "
                                 "state IN ('RollbackCompleted','Aborted')) ORDER BY id"),
                  {});
}
