#include "PolicyReviewModel.h"

#include <QLocale>

PolicyReviewModel::PolicyReviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void PolicyReviewModel::setPolicy(const std::optional<DataPolicy>& policy)
{
    beginResetModel();
    m_policy = policy;
    m_counts = QList<Count>(policy ? policy->rules().size() : 0);
    endResetModel();
}

void PolicyReviewModel::clearCounts()
{
    for (Count& c : m_counts)
        c = Count{};
    if (!m_counts.isEmpty())
        Q_EMIT dataChanged(index(0, RowsColumn), index(int(m_counts.size()) - 1, RowsColumn));
}

void PolicyReviewModel::setRuleCount(const QString& ruleId, qint64 rows, const QVariantList& tables,
                                     const QString& error)
{
    if (!m_policy)
        return;
    const QList<PolicyRule>& rules = m_policy->rules();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        if (rules.at(i).id != ruleId)
            continue;
        m_counts[i] = Count{rows < 0 ? CountFailed : rows, tables, error};
        Q_EMIT dataChanged(index(int(i), RowsColumn), index(int(i), RowsColumn));
        return;
    }
}

const PolicyRule* PolicyReviewModel::ruleAt(int row) const
{
    if (!m_policy || row < 0 || row >= m_policy->rules().size())
        return nullptr;
    return &m_policy->rules().at(row);
}

int PolicyReviewModel::countedRules() const
{
    return int(std::count_if(m_counts.begin(), m_counts.end(), [](const Count& c) { return c.rows != NotCounted; }));
}

qint64 PolicyReviewModel::countedRows() const
{
    qint64 total = 0;
    for (const Count& c : m_counts)
        total += std::max<qint64>(0, c.rows);
    return total;
}

QString PolicyReviewModel::reasonExplanation(PolicyRule::Reason reason)
{
    switch (reason) {
    case PolicyRule::Reason::EnvironmentSpecific:
        return tr("Environment-specific: it belongs to the target environment (its servers, printers, channels, "
                  "attachments), so the target keeps its own instead of getting the source's.");
    case PolicyRule::Reason::Security:
        return tr("Security: credentials and accounts must not travel from the source into a less protected "
                  "sandbox.");
    case PolicyRule::Reason::AvoidSideEffects:
        return tr("Avoiding side effects: copied as is, it would make the sandbox act on the real world (send "
                  "email, run batch jobs, call integrations).");
    }
    return {};
}

QString PolicyReviewModel::actionTitle(PolicyRule::Action action)
{
    switch (action) {
    case PolicyRule::Action::Exclude:
        return tr("Not copied");
    case PolicyRule::Action::KeepTarget:
        return tr("Target's rows kept");
    case PolicyRule::Action::Blank:
        return tr("Blanked");
    case PolicyRule::Action::Set:
        return tr("Values set");
    case PolicyRule::Action::ResetAdmin:
        return tr("Reset to the target's");
    case PolicyRule::Action::Mask:
        return tr("Masked");
    }
    return {};
}

int PolicyReviewModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_policy ? 0 : int(m_policy->rules().size());
}

int PolicyReviewModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PolicyReviewModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PolicyRule& rule = m_policy->rules().at(index.row());
    const Count& count = m_counts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case DataColumn:
            return rule.title;
        case TablesColumn:
            return rule.tables.join(QStringLiteral(", "));
        case ReasonColumn:
            return PolicyRule::reasonTitle(rule.reason);
        case ActionColumn:
            return actionTitle(rule.action);
        case RowsColumn:
            if (count.rows == NotCounted)
                return tr("Counting…");
            if (count.rows == CountFailed)
                return tr("Unknown");
            return QLocale().toString(count.rows);
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case ReasonColumn:
            return reasonExplanation(rule.reason);
        case RowsColumn:
            if (count.rows == CountFailed)
                return tr("The rows could not be counted: %1").arg(count.error);
            if (count.rows == NotCounted)
                return tr("The source's rows are being counted.");
            return count.rows == 1
                       ? tr("1 row of the source is affected by this rule.")
                       : tr("%1 rows of the source are affected by this rule.").arg(QLocale().toString(count.rows));
        default:
            return tr("%1: %2\nTables: %3").arg(rule.title, rule.describe(), rule.tables.join(QStringLiteral(", ")));
        }
    case Qt::TextAlignmentRole:
        if (index.column() == RowsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RuleIdRole:
        return rule.id;
    case RowsRole:
        return count.rows;
    case ReasonIdRole:
        return PolicyRule::reasonName(rule.reason);
    case ActionIdRole:
        return PolicyRule::actionName(rule.action);
    case DescriptionRole:
        return rule.describe();
    case ColumnsRole:
        return rule.columnsUsed();
    case TableRowsRole:
        return count.tables;
    }
    return {};
}

QVariant PolicyReviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == RowsColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DataColumn:
        return tr("Data");
    case TablesColumn:
        return tr("Tables");
    case ReasonColumn:
        return tr("Why");
    case ActionColumn:
        return tr("In the target");
    case RowsColumn:
        return tr("Source rows");
    }
    return {};
}
