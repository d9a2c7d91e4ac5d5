#include "DatabaseListModel.h"
#include "core/ByteSize.h"

#include <QFileInfo>
#include <QLocale>

DatabaseListModel::DatabaseListModel(QObject* parent) : QAbstractTableModel(parent) {}

void DatabaseListModel::setDatabases(const QList<DatabaseRef>& databases)
{
    QList<Row> rows;
    rows.reserve(databases.size());
    for (const auto& db : databases)
        rows.append({db, onDiskSize(db)});

    bool sameRows = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameRows && i < rows.size(); ++i)
        sameRows = rows.at(i).database.role == m_rows.at(i).database.role;
    if (!sameRows) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (sameRow(rows.at(i), m_rows.at(i)))
            continue;
        m_rows[i] = rows.at(i);
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

void DatabaseListModel::refreshSizes()
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        const qint64 bytes = onDiskSize(m_rows.at(i).database);
        if (bytes == m_rows.at(i).bytes)
            continue;
        m_rows[i].bytes = bytes;
        Q_EMIT dataChanged(index(int(i), SizeColumn), index(int(i), SizeColumn));
    }
}

QList<DatabaseRef> DatabaseListModel::databases() const
{
    QList<DatabaseRef> result;
    for (const auto& r : m_rows)
        result.append(r.database);
    return result;
}

bool DatabaseListModel::sameRow(const Row& a, const Row& b)
{
    return a.bytes == b.bytes && a.database.toJson() == b.database.toJson() && a.database.user == b.database.user;
}

QString DatabaseListModel::roleTitle(const QString& role)
{
    if (role == DatabaseRef::Transactional)
        return tr("Transactional");
    if (role == DatabaseRef::FinancialReporting)
        return tr("Financial reporting");
    return role;
}

qint64 DatabaseListModel::onDiskSize(const DatabaseRef& database)
{
    if (!database.isSqlite() || database.path.isEmpty())
        return -1;
    const QFileInfo file(database.path);
    if (!file.exists())
        return -1;
    const QFileInfo wal(database.path + QStringLiteral("-wal"));
    return file.size() + (wal.exists() ? wal.size() : 0);
}

QString DatabaseListModel::formatSize(qint64 bytes)
{
    if (bytes < 0)
        return {};
    return ByteSize::text(bytes);
}

int DatabaseListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DatabaseListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatabaseListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    const DatabaseRef& db = r.database;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RoleColumn:
            return roleTitle(db.role);
        case EngineColumn:
            return db.engineTitle();
        case LocationColumn:
            return db.location();
        case SizeColumn:
            if (r.bytes >= 0)
                return formatSize(r.bytes);
            return db.isSqlite() ? tr("File missing") : tr("n/a");
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case LocationColumn:
            return db.location();
        case SizeColumn:
            if (r.bytes >= 0)
                return tr("%1 bytes on disk (database file and its write-ahead log)").arg(QLocale().toString(r.bytes));
            return db.isSqlite() ? tr("%1 does not exist").arg(db.path)
                                 : tr("The size of a PostgreSQL database is not read from the console.");
        default:
            return tr("%1 database: %2 at %3").arg(roleTitle(db.role), db.engineTitle(), db.location());
        }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RoleIdRole:
        return db.role;
    case SizeBytesRole:
        return r.bytes;
    case LocationRole:
        return db.location();
    }
    return {};
}

QVariant DatabaseListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == SizeColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RoleColumn:
        return tr("Role");
    case EngineColumn:
        return tr("Engine");
    case LocationColumn:
        return tr("Location");
    case SizeColumn:
        return tr("Size");
    }
    return {};
}
