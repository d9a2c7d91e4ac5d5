#include "ProjectMemberListModel.h"

#include "catalog/TeamAccess.h"

#include <QLocale>

ProjectMemberListModel::ProjectMemberListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ProjectMemberListModel::setMembers(const QList<MemberStore::Member>& members)
{
    beginResetModel();
    m_members = members;
    endResetModel();
}

const MemberStore::Member* ProjectMemberListModel::memberAt(int row) const
{
    return row >= 0 && row < m_members.size() ? &m_members.at(row) : nullptr;
}

int ProjectMemberListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

int ProjectMemberListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectMemberListModel::data(const QModelIndex& index, int role) const
{
    const MemberStore::Member* m = index.isValid() ? memberAt(index.row()) : nullptr;
    if (!m)
        return {};
    if (role == LoginRole)
        return m->login;
    if (role == RoleNameRole)
        return m->role;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case LoginColumn:
        return m->login;
    case RoleColumn:
        return m->projectId.isEmpty() ? tr("%1 (every project)").arg(TeamAccess::roleTitle(m->role))
                                      : TeamAccess::roleTitle(m->role);
    case AddedByColumn:
        return m->addedBy;
    case AddedColumn:
        return m->added.isValid() ? QLocale().toString(m->added.toLocalTime(), QLocale::ShortFormat) : QString();
    default:
        return {};
    }
}

QVariant ProjectMemberListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LoginColumn:
        return tr("Login");
    case RoleColumn:
        return tr("Role");
    case AddedByColumn:
        return tr("Added by");
    case AddedColumn:
        return tr("Added");
    default:
        return {};
    }
}
