#include "SourceEnvironmentModel.h"
#include "preflight/Preflight.h"

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

SourceEnvironmentModel::SourceEnvironmentModel(QObject* parent) : QAbstractTableModel(parent) {}

void SourceEnvironmentModel::setEnvironments(const Environment& target, const QList<Environment>& environments)
{
    beginResetModel();
    m_target = target;
    m_candidates.clear();
    for (const Environment& e : environments) {
        if (e.id != target.id)
            m_candidates.append(e);
    }
    std::stable_sort(m_candidates.begin(), m_candidates.end(),
                     [](const Environment& a, const Environment& b) { return typeRank(a.type) < typeRank(b.type); });
    endResetModel();
}

const Environment* SourceEnvironmentModel::candidateAt(int row) const
{
    return row >= 1 && row <= m_candidates.size() ? &m_candidates.at(row - 1) : nullptr;
}

const Environment& SourceEnvironmentModel::environmentAt(int row) const
{
    return row == 0 ? m_target : m_candidates.at(row - 1);
}

int SourceEnvironmentModel::rowOf(const QString& id) const
{
    for (qsizetype i = 0; i < m_candidates.size(); ++i) {
        if (m_candidates.at(i).id == id)
            return int(i) + 1;
    }
    return -1;
}

int SourceEnvironmentModel::defaultRow() const
{
    for (qsizetype i = 0; i < m_candidates.size(); ++i) {
        if (m_candidates.at(i).type == EnvironmentType::Production)
            return int(i) + 1;
    }
    return m_candidates.isEmpty() ? -1 : 1;
}

bool SourceEnvironmentModel::differs(const Environment& e, int column) const
{
    switch (column) {
    case ApplicationColumn:
        return e.versions.application != m_target.versions.application;
    case PlatformColumn:
        return e.versions.platform != m_target.versions.platform;
    case FinancialReportingColumn:
        return e.versions.financialReporting != m_target.versions.financialReporting;
    }
    return false;
}

QString SourceEnvironmentModel::blockedBecause(const Environment& e) const
{
    for (const CheckResult& c : Preflight::environmentChecks(e, m_target)) {
        if (c.verdict == CheckResult::Fail)
            return c.message;
    }
    return {};
}

QString SourceEnvironmentModel::comparison(const Environment& e) const
{
    QStringList parts;
    if (differs(e, ApplicationColumn))
        parts << tr("application");
    if (differs(e, PlatformColumn))
        parts << tr("platform");
    if (differs(e, FinancialReportingColumn))
        parts << tr("Financial Reporting");
    if (e.tenant.compare(m_target.tenant, Qt::CaseInsensitive) != 0)
        parts << tr("tenant");
    return parts.isEmpty() ? tr("Same versions as the target")
                           : tr("Differs: %1").arg(parts.join(QStringLiteral(", ")));
}

int SourceEnvironmentModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || m_target.id.isEmpty() ? 0 : int(m_candidates.size()) + 1;
}

int SourceEnvironmentModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags SourceEnvironmentModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    // The target's row is there to compare with, not to choose.
    return index.row() == 0 ? Qt::ItemNeverHasChildren
                            : Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant SourceEnvironmentModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Environment& e = environmentAt(index.row());
    const bool isTarget = index.row() == 0;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return isTarget ? tr("%1 (target)").arg(e.name) : e.name;
        case TypeColumn:
            return environmentTypeTitle(e.type);
        case ApplicationColumn:
            return e.versions.application;
        case PlatformColumn:
            return e.versions.platform > 0 ? QString::number(e.versions.platform) : QString();
        case FinancialReportingColumn:
            return e.versions.financialReporting;
        case ComparisonColumn:
            if (isTarget)
                return tr("The environment being refreshed");
            return blockedBecause(e).isEmpty() ? comparison(e) : tr("Blocked: %1").arg(comparison(e));
        }
        return {};
    case Qt::ToolTipRole:
        if (isTarget)
            return tr("%1 is the target: its databases are replaced by a copy of the source's.").arg(e.id);
        if (const QString why = blockedBecause(e); !why.isEmpty())
            return tr("A refresh from %1 will be blocked: %2").arg(e.id, why);
        if (differs(e, index.column()))
            return tr("Differs from the target's %1")
                .arg(index.column() == ApplicationColumn ? m_target.versions.application
                     : index.column() == PlatformColumn  ? QString::number(m_target.versions.platform)
                                                         : m_target.versions.financialReporting);
        return tr("%1 (%2) · tenant %3").arg(e.name, environmentTypeTitle(e.type), e.tenant);
    case IdRole:
        return e.id;
    case IsTargetRole:
        return isTarget;
    case DiffersRole:
        return !isTarget && differs(e, index.column());
    case BlockedRole:
        return isTarget ? QString() : blockedBecause(e);
    }
    return {};
}

QVariant SourceEnvironmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Environment");
    case TypeColumn:
        return tr("Type");
    case ApplicationColumn:
        return tr("Application");
    case PlatformColumn:
        return tr("Platform");
    case FinancialReportingColumn:
        return tr("Financial Reporting");
    case ComparisonColumn:
        return tr("Compared with the target");
    }
    return {};
}
