#include "catalog/BackupStore.h"

#include "catalog/Catalog.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>

namespace {
const QString Columns = QStringLiteral("project_id, name, file, sha256, bytes, source_environment, engine, "
                                       "application, created, who, COALESCE(operation_id, 0)");

BackupStore::Backup fromQuery(const QSqlQuery& q)
{
    BackupStore::Backup b;
    b.projectId = q.value(0).toString();
    b.name = q.value(1).toString();
    b.file = q.value(2).toString();
    b.sha256 = q.value(3).toString();
    b.bytes = q.value(4).toLongLong();
    b.sourceEnvironment = q.value(5).toString();
    b.engine = q.value(6).toString();
    b.application = q.value(7).toString();
    b.created = QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs);
    b.who = q.value(9).toString();
    b.operationId = q.value(10).toLongLong();
    return b;
}
} // namespace

BackupStore::BackupStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

QString BackupStore::folderFor(const QString& projectId) const
{
    return QDir(m_catalog.folder()).filePath(QStringLiteral("assets/%1/backups").arg(projectId));
}

bool BackupStore::add(const Backup& b, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO backups (project_id, name, file, sha256, bytes, source_environment, engine, "
                             "application, created, who, operation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(b.projectId);
    q.addBindValue(b.name);
    q.addBindValue(b.file);
    q.addBindValue(b.sha256);
    q.addBindValue(b.bytes);
    q.addBindValue(b.sourceEnvironment);
    q.addBindValue(b.engine);
    q.addBindValue(b.application);
    q.addBindValue(b.created.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(Catalog::currentUser());
    q.addBindValue(b.operationId > 0 ? QVariant(b.operationId) : QVariant(QMetaType(QMetaType::LongLong)));
    if (!q.exec()) {
        *error = q.lastError().text().contains(QLatin1String("UNIQUE"))
                     ? QStringLiteral("the asset library of %1 already holds a backup named %2").arg(b.projectId, b.name)
                     : QStringLiteral("cannot record the backup: %1").arg(q.lastError().text());
        return false;
    }
    m_catalog.audit(QStringLiteral("backup.add"), b.projectId, b.name);
    return true;
}

bool BackupStore::remove(const QString& projectId, const QString& name)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("DELETE FROM backups WHERE project_id = ? AND name = ?"));
    q.addBindValue(projectId);
    q.addBindValue(name);
    return q.exec();
}

std::optional<BackupStore::Backup> BackupStore::get(const QString& projectId, const QString& name) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM backups WHERE project_id = ? AND name = ?").arg(Columns));
    q.addBindValue(projectId);
    q.addBindValue(name);
    if (q.exec() && q.next())
        return fromQuery(q);
    return std::nullopt;
}

std::optional<BackupStore::Backup> BackupStore::ofOperation(qint64 operationId) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM backups WHERE operation_id = ?").arg(Columns));
    q.addBindValue(operationId);
    if (q.exec() && q.next())
        return fromQuery(q);
    return std::nullopt;
}

QList<BackupStore::Backup> BackupStore::list(const QString& projectId) const
{
    QSqlQuery q(m_catalog.database());
    if (projectId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT %1 FROM backups ORDER BY created DESC").arg(Columns));
    } else {
        q.prepare(QStringLiteral("SELECT %1 FROM backups WHERE project_id = ? ORDER BY created DESC").arg(Columns));
        q.addBindValue(projectId);
    }
    QList<Backup> result;
    if (q.exec()) {
        while (q.next())
            result.append(fromQuery(q));
    }
    return result;
}
