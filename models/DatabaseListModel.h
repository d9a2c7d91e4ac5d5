#pragma once

#include "environment/DatabaseRef.h"

#include <QAbstractTableModel>
#include <QList>

// The databases of one environment, as the Databases table of the Environment details
// page shows them: Role, Engine, Location, Size.
//
// Promises: it never opens a database. The size of a SQLite database is the size of
// its file plus its -wal file, read with a stat when the snapshot is set; a PostgreSQL
// database shows no size. Like the other models, a snapshot with the same databases
// announces only the rows that changed (dataChanged); anything else resets the model.
class DatabaseListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(DatabaseListModel)

public:
    enum Column
    {
        RoleColumn,
        EngineColumn,
        LocationColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role
    {
        RoleIdRole = Qt::UserRole + 1, // "transactional", "financial-reporting"
        SizeBytesRole,                 // qint64; -1 when unknown (PostgreSQL, missing file)
        LocationRole,                  // the full location, never elided
    };

    explicit DatabaseListModel(QObject* parent = nullptr);

    // Takes the snapshot and stats the SQLite files.
    void setDatabases(const QList<DatabaseRef>& databases);
    // Stats the files again; announces the rows whose size changed.
    void refreshSizes();
    QList<DatabaseRef> databases() const;

    // "Transactional", "Financial reporting".
    static QString roleTitle(const QString& role);
    // Bytes of the SQLite file and its -wal file; -1 for PostgreSQL or a missing file.
    static qint64 onDiskSize(const DatabaseRef& database);
    // "2.4 MiB": what a person reads.
    static QString formatSize(qint64 bytes);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        DatabaseRef database;
        qint64 bytes = -1;
    };
    static bool sameRow(const Row& a, const Row& b);

    QList<Row> m_rows;
};
