#pragma once

#include "operation/OperationRecord.h"

#include <QAbstractTableModel>
#include <QList>

// The operation history of one environment, newest first, as the Environment details
// page shows it: Operation, Source, State, Started, Duration, By.
//
// Promises: setOperations() takes a value snapshot (OperationStore::list()). When the
// snapshot holds the same operations in the same order, only the rows whose values
// changed are announced (dataChanged), so a periodic re-read of a running operation
// updates its state and duration in place; anything else resets the model.
class OperationHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationHistoryModel)

public:
    enum Column
    {
        OperationColumn,
        TargetColumn, // the environment it acts on (hidden where the environment is known)
        SourceColumn,
        StateColumn,
        StartedColumn,
        DurationColumn,
        ByColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // the operation id (qint64), in every column
        StateNameRole,             // the LCS API name of the state: "InProgress", ...
        DurationSecondsRole,       // qint64; -1 if it never started
        SortRole,                  // what a sorted column compares (times and durations as numbers)
    };

    explicit OperationHistoryModel(QObject* parent = nullptr);

    void setOperations(const QList<OperationRecord>& operations);
    const QList<OperationRecord>& operations() const { return m_operations; }
    const OperationRecord* operationAt(int row) const;

    // "In progress", "Rollback completed": LCS's API names as a person reads them.
    static QString stateTitle(OperationState state);
    // "< 1 s", "42 s", "3 min 05 s", "2 h 07 min"; empty for a negative duration.
    static QString formatDuration(qint64 seconds);
    // The state as the console names it: "Interrupted" for an operation whose process stopped.
    static QString stateTitle(const OperationRecord& op);
    // The Source column: a refresh's source environment, an apply's package and version.
    static QString sourceText(const OperationRecord& op);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static bool sameOperation(const OperationRecord& a, const OperationRecord& b);

    QList<OperationRecord> m_operations;
};
