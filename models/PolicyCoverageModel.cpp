#include "PolicyCoverageModel.h"

#include <algorithm>

PolicyCoverageModel::PolicyCoverageModel(QObject* parent) : QAbstractItemModel(parent) {}

void PolicyCoverageModel::setCoverage(const PolicyCoverage& coverage)
{
    beginResetModel();
    m_coverage = coverage;
    m_order.clear();
    for (int i = 0; i < m_coverage.tables().size(); ++i)
        m_order << i;
    const auto& tables = m_coverage.tables();
    std::stable_sort(m_order.begin(), m_order.end(), [&tables](int a, int b) {
        const bool fa = tables.at(a).flaggedCount() > 0;
        const bool fb = tables.at(b).flaggedCount() > 0;
        if (fa != fb)
            return fa;
        return tables.at(a).table.compare(tables.at(b).table, Qt::CaseInsensitive) < 0;
    });
    endResetModel();
}

void PolicyCoverageModel::clear()
{
    setCoverage(PolicyCoverage());
}

const PolicyCoverage::Table* PolicyCoverageModel::tableAt(int row) const
{
    if (row < 0 || row >= m_order.size())
        return nullptr;
    return &m_coverage.tables().at(m_order.at(row));
}

QModelIndex PolicyCoverageModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex PolicyCoverageModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int PolicyCoverageModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return int(m_order.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    const PolicyCoverage::Table* t = tableAt(parent.row());
    return t ? int(t->columns.size()) : 0;
}

int PolicyCoverageModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant PolicyCoverageModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const bool isTable = index.internalId() == 0;
    const PolicyCoverage::Table* t = tableAt(isTable ? index.row() : int(index.internalId() - 1));
    if (!t)
        return {};
    if (isTable) {
        const int covered = t->count(PolicyCoverage::Status::Covered);
        const int reviewed = t->count(PolicyCoverage::Status::Reviewed);
        const int unreviewed = t->count(PolicyCoverage::Status::Unreviewed);
        const int flagged = t->flaggedCount();
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == NameColumn)
                return t->table;
            if (index.column() == CoverageColumn)
                return tr("%1 covered, %2 reviewed, %3 unreviewed").arg(covered).arg(reviewed).arg(unreviewed);
            if (index.column() == WhyColumn && flagged > 0)
                return flagged == 1 ? tr("1 column looks sensitive") : tr("%1 columns look sensitive").arg(flagged);
            return {};
        case Qt::ToolTipRole:
            return tr("%1: %2 of %3 columns covered by a rule, %4 reviewed as safe, %5 unreviewed")
                .arg(t->table)
                .arg(covered)
                .arg(t->columns.size())
                .arg(reviewed)
                .arg(unreviewed);
        case CountsRole:
            return QVariantList{covered, reviewed, unreviewed, flagged};
        case FlaggedRole:
            return flagged > 0;
        case TableRole:
            return t->table;
        default:
            return {};
        }
    }
    if (index.row() < 0 || index.row() >= t->columns.size())
        return {};
    const PolicyCoverage::Column& c = t->columns.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return c.column;
        if (index.column() == CoverageColumn) {
            switch (c.status) {
            case PolicyCoverage::Status::Covered:
                return tr("Covered (rule %1)").arg(c.ruleId);
            case PolicyCoverage::Status::Reviewed:
                return tr("Reviewed as safe");
            case PolicyCoverage::Status::Unreviewed:
                return c.flagged() ? tr("Unreviewed, looks sensitive") : tr("Unreviewed");
            }
        }
        if (index.column() == WhyColumn) {
            QStringList why;
            if (c.status == PolicyCoverage::Status::Unreviewed && !c.nameWord.isEmpty())
                why << tr("its name says %1").arg(c.nameWord);
            if (c.status == PolicyCoverage::Status::Unreviewed && !c.valueHint.isEmpty())
                why << c.valueHint;
            if (c.isNew)
                why << tr("new since the last refresh");
            return why.join(QStringLiteral("; "));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == WhyColumn)
            return data(index, Qt::DisplayRole);
        return c.type.isEmpty() ? c.key() : tr("%1 (%2)").arg(c.key(), c.type);
    case FlaggedRole:
        return c.flagged();
    case TableRole:
        return t->table;
    case ColumnRole:
        return c.column;
    case StatusRole:
        return PolicyCoverage::statusName(c.status);
    case SuggestedMaskRole:
        return c.suggestedMask();
    default:
        return {};
    }
}

QVariant PolicyCoverageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Table / column");
    case CoverageColumn:
        return tr("Coverage");
    case WhyColumn:
        return tr("Why it needs a look");
    default:
        return {};
    }
}
