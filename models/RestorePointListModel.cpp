#include "RestorePointListModel.h"

#include "core/ByteSize.h"

#include <QLocale>

RestorePointListModel::RestorePointListModel(QObject* parent) : QAbstractTableModel(parent)
{
}

bool RestorePointListModel::same(const RestorePoint& a, const RestorePoint& b)
{
    return a.id == b.id && a.state == b.state && a.bytes == b.bytes && a.expires == b.expires &&
           a.created == b.created && a.kind == b.kind;
}

void RestorePointListModel::setPoints(const QList<RestorePoint>& points, const QDateTime& now)
{
    bool sameIds = points.size() == m_points.size();
    for (int i = 0; sameIds && i < points.size(); ++i)
        sameIds = points[i].id == m_points[i].id;
    if (!sameIds) {
        beginResetModel();
        m_points = points;
        m_now = now;
        endResetModel();
        return;
    }
    const QList<RestorePoint> before = m_points;
    const bool expiryMoved = m_now.isValid() != now.isValid();
    m_points = points;
    m_now = now;
    for (int row = 0; row < points.size(); ++row) {
        if (!same(before[row], points[row]) || expiryMoved)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

const RestorePoint* RestorePointListModel::pointAt(int row) const
{
    return row >= 0 && row < m_points.size() ? &m_points[row] : nullptr;
}

int RestorePointListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int RestorePointListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RestorePointListModel::data(const QModelIndex& index, int role) const
{
    const RestorePoint* p = index.isValid() && index.column() < ColumnCount ? pointAt(index.row()) : nullptr;
    if (!p)
        return {};
    const bool available = p->state == RestorePoint::Available && !p->expiredAt(m_now);
    if (role == IdRole)
        return p->id;
    if (role == AvailableRole)
        return available;
    if (role == Qt::TextAlignmentRole && index.column() == SizeColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return p->kind == RestorePoint::Operation
                   ? tr("%1: what operation %2 replaced").arg(p->title()).arg(p->operationId)
                   : tr("%1: %2").arg(p->title(), p->kindTitle());
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    // The year only when it is not this one: a panel beside the databases has little room.
    const auto format = [this](const QDateTime& t) {
        return t.toLocalTime().date().year() == m_now.toLocalTime().date().year() ? QStringLiteral("d MMM HH:mm")
                                                                                  : QStringLiteral("d MMM yyyy HH:mm");
    };
    switch (index.column()) {
    case EnvironmentColumn:
        return p->environmentId;
    case TakenColumn:
        return locale.toString(p->created.toLocalTime(), format(p->created));
    case KindColumn: {
        // Short, for a panel beside the databases (the tooltip says it whole); its state
        // too when it is not Available, for a view that hides the State column.
        const QString kind = p->kind == RestorePoint::Operation ? tr("Operation %1").arg(p->operationId) : p->kindTitle();
        if (p->state == RestorePoint::Creating)
            return tr("%1 (being created)").arg(kind);
        if (p->state == RestorePoint::Deleting)
            return tr("%1 (being deleted)").arg(kind);
        return p->expiredAt(m_now) ? tr("%1 (expired)").arg(kind) : kind;
    }
    case SizeColumn:
        return p->bytes > 0 ? ByteSize::text(p->bytes) : QStringLiteral("—");
    case ExpiresColumn:
        return locale.toString(p->expires.toLocalTime(), format(p->expires));
    case StateColumn:
        if (p->state == RestorePoint::Creating)
            return tr("Being created");
        if (p->state == RestorePoint::Deleting)
            return tr("Being deleted");
        return p->expiredAt(m_now) ? tr("Expired") : tr("Available");
    }
    return {};
}

QVariant RestorePointListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case EnvironmentColumn:
        return tr("Environment");
    case TakenColumn:
        return tr("Taken");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Size");
    case ExpiresColumn:
        return tr("Expires");
    case StateColumn:
        return tr("State");
    }
    return {};
}
