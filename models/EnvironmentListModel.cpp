#include "EnvironmentListModel.h"

#include <algorithm>

namespace {

int typeRank(EnvironmentType type)
{
    switch (type) {
    case EnvironmentType::Production:
        return 0;
    case EnvironmentType::Sandbox:
        return 1;
    case EnvironmentType::DevTest:
        return 2;
    }
    return 3;
}

} // namespace

EnvironmentListModel::EnvironmentListModel(QObject* parent) : QAbstractTableModel(parent) {}

void EnvironmentListModel::setEnvironments(const QList<Environment>& environments)
{
    QList<Environment> sorted = environments;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Environment& a, const Environment& b) { return typeRank(a.type) < typeRank(b.type); });

    bool sameRows = sorted.size() == m_environments.size();
    for (qsizetype i = 0; sameRows && i < sorted.size(); ++i)
        sameRows = sorted.at(i).id == m_environments.at(i).id;
    if (!sameRows) {
        beginResetModel();
        m_environments = sorted;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        // toJson() is the CLI's contract, which leaves the protection mark out.
        if (sorted.at(i).toJson() == m_environments.at(i).toJson() &&
            sorted.at(i).markedProtected == m_environments.at(i).markedProtected)
            continue;
        m_environments[i] = sorted.at(i);
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

const Environment* EnvironmentListModel::environmentAt(int row) const
{
    return row >= 0 && row < m_environments.size() ? &m_environments.at(row) : nullptr;
}

int EnvironmentListModel::rowOf(const QString& id) const
{
    for (qsizetype i = 0; i < m_environments.size(); ++i) {
        if (m_environments.at(i).id == id)
            return int(i);
    }
    return -1;
}

int EnvironmentListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_environments.size());
}

int EnvironmentListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EnvironmentListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Environment& e = m_environments.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return e.name;
        case TypeColumn:
            return environmentTypeTitle(e.type);
        case StateColumn:
            return e.state;
        case ApplicationColumn:
            return e.versions.application;
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1 (%2)\n%3 · %4\nTenant: %5")
            .arg(e.name, e.id, environmentTypeTitle(e.type), e.state.isEmpty() ? tr("unknown state") : e.state,
                 e.tenant);
    case IdRole:
        return e.id;
    case TypeIdRole:
        return environmentTypeId(e.type);
    case StateRole:
        return e.state;
    case SortRole:
        if (index.column() == ApplicationColumn) {
            // "10.0.9" before "10.0.40": each number padded.
            QStringList parts;
            for (const QString& p : e.versions.application.split(QLatin1Char('.')))
                parts << p.rightJustified(8, QLatin1Char('0'));
            return parts.join(QLatin1Char('.'));
        }
        return data(index, Qt::DisplayRole).toString().toLower();
    }
    return {};
}

QVariant EnvironmentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case StateColumn:
        return tr("State");
    case ApplicationColumn:
        return tr("Application release");
    }
    return {};
}

QHash<int, QByteArray> EnvironmentListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "environmentId");
    names.insert(TypeIdRole, "typeId");
    names.insert(StateRole, "state");
    return names;
}
