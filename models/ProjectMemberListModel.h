#pragma once

#include "catalog/MemberStore.h"

#include <QAbstractTableModel>
#include <QList>

// The members of a project and the catalog's agents, as Project > Members shows
// them: Login, Role, Added by, Added.
//
// Promises: it only presents the snapshot it is given (MemberStore::list); roles in
// words ("Environment manager"); times in the user's local time.
class ProjectMemberListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(ProjectMemberListModel)

public:
    enum Column
    {
        LoginColumn,
        RoleColumn,
        AddedByColumn,
        AddedColumn,
        ColumnCount
    };
    enum Role
    {
        LoginRole = Qt::UserRole + 1, // QString
        RoleNameRole,                 // QString: "TeamMember", as stored
    };

    explicit ProjectMemberListModel(QObject* parent = nullptr);

    void setMembers(const QList<MemberStore::Member>& members);
    const MemberStore::Member* memberAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<MemberStore::Member> m_members;
};
