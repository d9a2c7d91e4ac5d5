#include "OperationFilterModel.h"

#include "OperationHistoryModel.h"

#include <QJsonObject>

OperationFilterModel::OperationFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(OperationHistoryModel::SortRole);
}

void OperationFilterModel::setKind(const QString& kind)
{
    m_kind = kind;
    invalidateFilter();
}

void OperationFilterModel::setStateGroup(StateGroup group)
{
    m_group = group;
    invalidateFilter();
}

void OperationFilterModel::setEnvironment(const QString& id)
{
    m_environment = id;
    invalidateFilter();
}

void OperationFilterModel::setSince(const QDateTime& since)
{
    m_since = since;
    invalidateFilter();
}

void OperationFilterModel::setText(const QString& text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool OperationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const auto* history = qobject_cast<const OperationHistoryModel*>(sourceModel());
    const OperationRecord* op = history ? history->operationAt(sourceRow) : nullptr;
    if (!op)
        return false;
    if (!m_kind.isEmpty() && op->kind != m_kind)
        return false;
    if (!m_environment.isEmpty() && op->target != m_environment && op->source != m_environment)
        return false;
    if (m_since.isValid() && op->created.isValid() && op->created < m_since)
        return false;
    using S = OperationState;
    switch (m_group) {
    case StateGroup::Any:
        break;
    case StateGroup::Running:
        if (op->state != S::NotStarted && op->state != S::InProgress && op->state != S::RollbackInProgress)
            return false;
        break;
    case StateGroup::NeedsAttention:
        if (op->state != S::Failed && op->state != S::RollbackFailed)
            return false;
        break;
    case StateGroup::WaitingForSignOff:
        if (!op->keepsRestorePoint())
            return false;
        break;
    case StateGroup::Finished:
        if (op->state != S::SignedOff && op->state != S::RollbackCompleted && op->state != S::Aborted)
            return false;
        break;
    }
    if (m_text.isEmpty())
        return true;
    const QString package =
        op->params.value(QStringLiteral("package")).toObject().value(QStringLiteral("name")).toString();
    for (const QString& field : {QString::number(op->id), op->target, op->source, op->who, op->error, package,
                                 op->title(), OperationHistoryModel::stateTitle(*op)}) {
        if (field.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}
