#include "BackupListModel.h"

#include "core/ByteSize.h"

#include <QLocale>

BackupListModel::BackupListModel(QObject* parent) : QAbstractTableModel(parent)
{
}

void BackupListModel::setBackups(const QList<BackupStore::Backup>& backups)
{
    beginResetModel();
    m_backups = backups;
    endResetModel();
}

const BackupStore::Backup* BackupListModel::backupAt(int row) const
{
    return row >= 0 && row < m_backups.size() ? &m_backups[row] : nullptr;
}

int BackupListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_backups.size());
}

int BackupListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BackupListModel::data(const QModelIndex& index, int role) const
{
    const BackupStore::Backup* b = index.isValid() && index.column() < ColumnCount ? backupAt(index.row()) : nullptr;
    if (!b)
        return {};
    if (role == NameRole)
        return b->name;
    if (role == Qt::TextAlignmentRole && index.column() == SizeColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return b->name;
    case SourceColumn:
        return b->sourceEnvironment;
    case TakenColumn:
        return QLocale().toString(b->created.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm"));
    case ReleaseColumn:
        return b->application;
    case EngineColumn:
        return b->engine == QLatin1String("postgres") ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
    case SizeColumn:
        return ByteSize::text(b->bytes);
    }
    return {};
}

QVariant BackupListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Backup");
    case SourceColumn:
        return tr("Source");
    case TakenColumn:
        return tr("Taken");
    case ReleaseColumn:
        return tr("Release");
    case EngineColumn:
        return tr("Engine");
    case SizeColumn:
        return tr("Size");
    }
    return {};
}
