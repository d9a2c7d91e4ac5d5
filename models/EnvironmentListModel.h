#pragma once

#include "environment/Environment.h"

#include <QAbstractTableModel>
#include <QList>

// The environments of a project as LCS's project page lists them: Name, Type, State,
// Application release; production first, then sandboxes, then dev/test.
//
// Promises: setEnvironments() takes a value snapshot. When the snapshot holds the same
// environments in the same order, only the rows whose values changed are announced
// (dataChanged), so views keep their selection across periodic refreshes; any other
// change resets the model.
class EnvironmentListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(EnvironmentListModel)

public:
    enum Column
    {
        NameColumn,
        TypeColumn,
        StateColumn,
        ApplicationColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // the environment id, in every column
        TypeIdRole,                // "production", "sandbox", "devtest"
        StateRole,                 // "Deployed", "Servicing", "Failed"
        SortRole,                  // what a sorted column compares (releases by their numbers)
    };

    explicit EnvironmentListModel(QObject* parent = nullptr);

    void setEnvironments(const QList<Environment>& environments);
    const QList<Environment>& environments() const { return m_environments; }
    // The environment of `row`, or nullptr.
    const Environment* environmentAt(int row) const;
    // The row of the environment with `id`, or -1.
    int rowOf(const QString& id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<Environment> m_environments;
};
