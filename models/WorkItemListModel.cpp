#include "WorkItemListModel.h"

#include "operation/OperationRules.h"

WorkItemListModel::WorkItemListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void WorkItemListModel::setItems(const QList<WorkItem>& items)
{
    // Rows that left go first, then rows that stay are updated, then new ones are added.
    for (int row = int(m_items.size()) - 1; row >= 0; --row) {
        bool kept = false;
        for (const WorkItem& i : items)
            kept = kept || i.idText() == m_items.at(row).idText();
        if (!kept) {
            beginRemoveRows({}, row, row);
            m_items.removeAt(row);
            endRemoveRows();
        }
    }
    for (const WorkItem& i : items) {
        const int row = rowOf(i.idText());
        if (row >= 0) {
            m_items[row] = i;
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else {
            beginInsertRows({}, int(m_items.size()), int(m_items.size()));
            m_items.append(i);
            endInsertRows();
        }
    }
}

const WorkItem* WorkItemListModel::itemAt(int row) const
{
    return row >= 0 && row < m_items.size() ? &m_items.at(row) : nullptr;
}

int WorkItemListModel::rowOf(const QString& idText) const
{
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).idText() == idText)
            return row;
    }
    return -1;
}

int WorkItemListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int WorkItemListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkItemListModel::data(const QModelIndex& index, int role) const
{
    const WorkItem* item = index.isValid() ? itemAt(index.row()) : nullptr;
    if (!item)
        return {};
    if (role == IdTextRole)
        return item->idText();
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1 %2 of %3").arg(item->isSchedule ? tr("Schedule") : tr("Request"), item->kindTitle(),
                                            item->target());
        if (!item->source().isEmpty())
            tip += tr(" from %1").arg(item->source());
        tip += tr("\nWindow: %1\nEstimate: %2").arg(item->windowText(), item->estimate.text(item->kindTitle()));
        if (item->isSchedule && !item->schedule.note.isEmpty())
            tip += tr("\nNote: %1").arg(item->schedule.note);
        return tip;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return item->idText();
    case OperationColumn:
        return item->kindTitle();
    case EnvironmentsColumn:
        return item->source().isEmpty() ? item->target() : tr("%1 from %2").arg(item->target(), item->source());
    case WindowColumn:
        return item->windowText();
    case EstimateColumn:
        return item->estimate.isKnown() ? OperationRules::durationWords(item->estimate.seconds) : tr("No history yet");
    case StatusColumn:
        if (item->isSchedule)
            return tr("Recurring");
        if (item->request.state == OperationState::AwaitingApproval)
            return tr("Awaiting approval");
        return item->request.approvedBy.isEmpty() ? tr("Scheduled") : tr("Scheduled, approved by %1").arg(item->request.approvedBy);
    case ByColumn:
        return item->requestedBy();
    }
    return {};
}

QVariant WorkItemListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("ID");
    case OperationColumn:
        return tr("Operation");
    case EnvironmentsColumn:
        return tr("Environments");
    case WindowColumn:
        return tr("Window");
    case EstimateColumn:
        return tr("Estimate");
    case StatusColumn:
        return tr("Status");
    case ByColumn:
        return tr("Requested by");
    }
    return {};
}
