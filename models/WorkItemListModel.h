#pragma once

#include "schedule/WorkItem.h"

#include <QAbstractTableModel>
#include <QList>

// The Work items of a project, as the Work items window lists them: ID, Operation,
// Environments, Window, Estimate, Status, Requested by. Requests waiting for their
// window come first (earliest window first), then recurring schedules.
//
// Promises: it only presents the snapshot it is given (WorkItemWorker); a new snapshot
// keeps the rows that stay (matched by id) instead of resetting, so a selection
// survives the console's periodic re-read.
class WorkItemListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(WorkItemListModel)

public:
    enum Column
    {
        IdColumn,
        OperationColumn,
        EnvironmentsColumn,
        WindowColumn,
        EstimateColumn,
        StatusColumn,
        ByColumn,
        ColumnCount
    };
    enum Role
    {
        IdTextRole = Qt::UserRole + 1, // QString: "12", "S3"
    };

    explicit WorkItemListModel(QObject* parent = nullptr);

    void setItems(const QList<WorkItem>& items);
    const WorkItem* itemAt(int row) const;
    // The row of the item "12" or "S3", -1 if none.
    int rowOf(const QString& idText) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<WorkItem> m_items;
};
