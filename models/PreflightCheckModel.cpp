#include "PreflightCheckModel.h"

#include "preflight/Preflight.h"

namespace {

const QString Pending = QStringLiteral("pending");
const QString Running = QStringLiteral("running");
const QString Skipped = QStringLiteral("skipped");

QString statusOf(CheckResult::Verdict verdict)
{
    switch (verdict) {
    case CheckResult::Pass:
        return QStringLiteral("pass");
    case CheckResult::Warn:
        return QStringLiteral("warn");
    case CheckResult::Fail:
        return QStringLiteral("fail");
    }
    return Pending;
}

} // namespace

PreflightCheckModel::PreflightCheckModel(QObject* parent) : QAbstractTableModel(parent)
{
    reset();
}

void PreflightCheckModel::reset()
{
    beginResetModel();
    m_rows.clear();
    for (const QString& id : Preflight::checkIds())
        m_rows.append({id, Pending, QString()});
    m_finished = false;
    markRunning();
    endResetModel();
}

void PreflightCheckModel::markRunning()
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).status == Running)
            return;
        if (m_rows.at(i).status == Pending) {
            m_rows[i].status = Running;
            return;
        }
    }
}

void PreflightCheckModel::addResult(const CheckResult& result)
{
    qsizetype row = -1;
    for (qsizetype i = 0; i < m_rows.size() && row < 0; ++i) {
        if (m_rows.at(i).id == result.id)
            row = i;
    }
    if (row < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append({result.id, statusOf(result.verdict), result.message});
        endInsertRows();
    } else {
        m_rows[row].status = statusOf(result.verdict);
        m_rows[row].message = result.message;
        Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
    // The next waiting check is the one running now.
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).status == Pending) {
            m_rows[i].status = Running;
            Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            break;
        }
        if (m_rows.at(i).status == Running)
            break;
    }
}

void PreflightCheckModel::finish()
{
    m_finished = true;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).status != Pending && m_rows.at(i).status != Running)
            continue;
        m_rows[i].status = Skipped;
        m_rows[i].message = tr("Not run.");
        Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

int PreflightCheckModel::count(CheckResult::Verdict verdict) const
{
    return int(results(verdict).size());
}

QList<CheckResult> PreflightCheckModel::results(CheckResult::Verdict verdict) const
{
    QList<CheckResult> found;
    const QString status = statusOf(verdict);
    for (const Row& r : m_rows) {
        if (r.status == status)
            found.append({r.id, verdict, r.message});
    }
    return found;
}

QString PreflightCheckModel::checkTitle(const QString& id)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("distinct-environments"), tr("Source is not the target")},
        {QStringLiteral("target-is-sandbox"), tr("Target is a sandbox")},
        {QStringLiteral("same-tenant"), tr("Same tenant")},
        {QStringLiteral("application-release"), tr("Application release")},
        {QStringLiteral("financial-reporting-version"), tr("Financial Reporting version")},
        {QStringLiteral("platform-update"), tr("Platform update")},
        {QStringLiteral("target-idle"), tr("No operation in progress")},
        {QStringLiteral("connectivity"), tr("Databases reachable")},
        {QStringLiteral("distinct-databases"), tr("Databases are distinct")},
        {QStringLiteral("same-engine"), tr("Same database engine")},
        {QStringLiteral("privileges"), tr("Database privileges")},
        {QStringLiteral("capacity"), tr("Free space for staging")},
        {QStringLiteral("restore-points"), tr("Restore points kept")},
        {QStringLiteral("dmf-recurring-jobs"), tr("Recurring data jobs")},
        {QStringLiteral("commerce-defaults"), tr("Commerce defaults")},
        {QStringLiteral("data-policy"), tr("Data policy fits the source")},
        {QStringLiteral("policy-coverage"), tr("Sensitive columns reviewed")},
    };
    return titles.value(id, id);
}

int PreflightCheckModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PreflightCheckModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PreflightCheckModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == CheckColumn)
            return checkTitle(r.id);
        if (r.status == Pending)
            return tr("Waiting…");
        if (r.status == Running)
            return tr("Checking…");
        return r.message;
    case Qt::ToolTipRole: {
        QString verdict;
        if (r.status == QLatin1String("pass"))
            verdict = tr("Passed");
        else if (r.status == QLatin1String("warn"))
            verdict = tr("Warning: the refresh can go on");
        else if (r.status == QLatin1String("fail"))
            verdict = tr("Failed: the refresh is blocked");
        else if (r.status == Skipped)
            verdict = tr("Not run");
        else
            verdict = tr("Not checked yet");
        return tr("%1 (%2)\n%3%4")
            .arg(checkTitle(r.id), r.id, verdict, r.message.isEmpty() ? QString() : QStringLiteral("\n") + r.message);
    }
    case IdRole:
        return r.id;
    case StatusRole:
        return r.status;
    }
    return {};
}

QVariant PreflightCheckModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CheckColumn:
        return tr("Check");
    case ResultColumn:
        return tr("Result");
    }
    return {};
}
