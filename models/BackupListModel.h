#pragma once

#include "catalog/BackupStore.h"

#include <QAbstractTableModel>
#include <QList>

// The database backups of a project's asset library, as the Import page of Move
// database lists them: Name, Source, Taken, Release, Engine, Size.
//
// Promises: it only presents the snapshot it is given (BackupStore::list); times in the
// user's local time; a new snapshot resets the model.
class BackupListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(BackupListModel)

public:
    enum Column
    {
        NameColumn,
        SourceColumn,
        TakenColumn,
        ReleaseColumn,
        EngineColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role
    {
        NameRole = Qt::UserRole + 1, // QString
    };

    explicit BackupListModel(QObject* parent = nullptr);

    void setBackups(const QList<BackupStore::Backup>& backups);
    const BackupStore::Backup* backupAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<BackupStore::Backup> m_backups;
};
