#include "AuditLogModel.h"

#include "catalog/TeamAccess.h"

#include <QLocale>
#include <algorithm>

AuditLogModel::AuditLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void AuditLogModel::setEntries(const QList<AuditLog::Entry>& entries)
{
    beginResetModel();
    m_entries = entries;
    std::reverse(m_entries.begin(), m_entries.end());
    endResetModel();
}

QString AuditLogModel::roleText(const QString& role)
{
    QStringList parts;
    for (const QString& part : role.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const int colon = part.indexOf(QLatin1Char(':'));
        parts << (colon < 0 ? TeamAccess::roleTitle(part)
                            : part.left(colon) + QStringLiteral(": ") + TeamAccess::roleTitle(part.mid(colon + 1)));
    }
    return parts.join(QStringLiteral(", "));
}

int AuditLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const AuditLog::Entry& e = m_entries.at(index.row());
    if (role == AtRole)
        return e.at;
    if (role == Qt::ToolTipRole) {
        if (index.column() == AtColumn)
            return e.at.toUTC().toString(Qt::ISODateWithMs);
        if (index.column() == DetailColumn)
            return e.detail;
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case AtColumn:
        return e.at.isValid() ? QLocale().toString(e.at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                              : QString();
    case WhoColumn:
        return e.who;
    case RoleColumn:
        return roleText(e.role);
    case HostColumn:
        return e.host;
    case ActionColumn:
        return e.action;
    case SubjectColumn:
        return e.subject;
    case DetailColumn:
        return e.detail;
    }
    return {};
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AtColumn:
        return tr("When");
    case WhoColumn:
        return tr("Who");
    case RoleColumn:
        return tr("Role");
    case HostColumn:
        return tr("Host");
    case ActionColumn:
        return tr("Action");
    case SubjectColumn:
        return tr("Subject");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}
