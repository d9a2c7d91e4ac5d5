#include "RunbookStepModel.h"
#include "core/ByteSize.h"

#include "OperationHistoryModel.h"

#include <QDateTime>
#include <QLocale>

namespace {

constexpr StepState InProgress = StepState::InProgress;

bool isDone(StepState state)
{
    return isStepDone(state);
}

} // namespace

RunbookStepModel::RunbookStepModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunbookStepModel::setSteps(const QList<StepRecord>& steps)
{
    bool sameRows = steps.size() == m_steps.size();
    for (qsizetype i = 0; sameRows && i < steps.size(); ++i)
        sameRows = steps.at(i).ordinal == m_steps.at(i).record.ordinal && steps.at(i).name == m_steps.at(i).record.name;
    if (!sameRows) {
        beginResetModel();
        m_steps.clear();
        for (const StepRecord& s : steps)
            m_steps.append({s, QString(), 0, -1});
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < steps.size(); ++i) {
        Step& mine = m_steps[i];
        StepRecord fresh = steps.at(i);
        // The catalog stores progress every 500 ms; the live report may be newer.
        const bool sameRun = fresh.state == mine.record.state;
        if (sameRun && fresh.state == InProgress && mine.record.done > fresh.done) {
            fresh.done = mine.record.done;
            fresh.total = mine.record.total;
            fresh.bytes = mine.record.bytes;
        }
        const StepRecord& old = mine.record;
        const bool changed = fresh.state != old.state || fresh.started != old.started ||
                             fresh.finished != old.finished || fresh.detail != old.detail || fresh.done != old.done ||
                             fresh.total != old.total || fresh.bytes != old.bytes;
        if (!sameRun) {
            mine.bytesPerSecond = 0;
            mine.secondsRemaining = -1;
        }
        mine.record = fresh;
        if (changed)
            announce(i);
    }
}

void RunbookStepModel::applyStep(int ordinal, StepState state, const QString& detail)
{
    const qsizetype row = rowOf(ordinal);
    if (row < 0)
        return;
    Step& s = m_steps[row];
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (state == InProgress) {
        s.record.started = now;
        s.record.finished = QDateTime();
        s.record.done = 0;
        s.record.total = 0;
        s.record.bytes = 0;
        s.bytesPerSecond = 0;
        s.secondsRemaining = -1;
        s.unit.clear();
    } else if (state != StepState::NotStarted) {
        s.record.finished = now;
        if (!s.record.started.isValid())
            s.record.started = now;
    }
    s.record.state = state;
    if (!detail.isEmpty())
        s.record.detail = detail;
    announce(row);
}

void RunbookStepModel::applyProgress(const OperationProgress& p)
{
    const qsizetype row = rowOf(p.ordinal);
    if (row < 0)
        return;
    Step& s = m_steps[row];
    s.record.done = p.done;
    s.record.total = p.total;
    s.record.bytes = p.bytes;
    s.unit = p.unit;
    s.bytesPerSecond = p.bytesPerSecond;
    s.secondsRemaining = p.secondsRemaining;
    announce(row, DurationColumn, DetailColumn);
}

void RunbookStepModel::tick()
{
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        if (m_steps.at(i).record.state == InProgress)
            announce(i, DurationColumn, DurationColumn);
    }
}

qsizetype RunbookStepModel::rowOf(int ordinal) const
{
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        if (m_steps.at(i).record.ordinal == ordinal)
            return i;
    }
    return -1;
}

void RunbookStepModel::announce(qsizetype row, int firstColumn, int lastColumn)
{
    Q_EMIT dataChanged(index(int(row), firstColumn), index(int(row), lastColumn));
}

int RunbookStepModel::currentOrdinal() const
{
    for (const Step& s : m_steps) {
        if (s.record.state == InProgress)
            return s.record.ordinal;
    }
    return 0;
}

int RunbookStepModel::latestOrdinal() const
{
    const int current = currentOrdinal();
    if (current > 0)
        return current;
    int latest = 0;
    for (const Step& s : m_steps) {
        if (s.record.started.isValid())
            latest = s.record.ordinal;
    }
    return latest;
}

const RunbookStepModel::Step* RunbookStepModel::step(int ordinal) const
{
    const qsizetype row = rowOf(ordinal);
    return row < 0 ? nullptr : &m_steps.at(row);
}

int RunbookStepModel::finishedCount() const
{
    return int(std::count_if(m_steps.begin(), m_steps.end(), [](const Step& s) { return isDone(s.record.state); }));
}

int RunbookStepModel::percentOf(const Step& s)
{
    if (isDone(s.record.state))
        return 100;
    if (s.record.total <= 0)
        return s.record.state == InProgress ? -1 : 0;
    return int(std::clamp<qint64>(100 * s.record.done / s.record.total, 0, 100));
}

double RunbookStepModel::overallFraction() const
{
    if (m_steps.isEmpty())
        return 0;
    const bool weighted = m_weights.size() == m_steps.size();
    double total = 0;
    double done = 0;
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        const double w = weighted ? m_weights.at(i) : 1.0;
        total += w;
        const StepState s = m_steps.at(i).record.state;
        if (s == StepState::Completed || s == StepState::Skipped)
            done += w;
        else if (s == StepState::InProgress)
            done += w * std::max(0, percentOf(m_steps.at(i))) / 100.0;
    }
    return total > 0 ? done / total : 0;
}

int RunbookStepModel::overallPercent() const
{
    return int(100.0 * overallFraction());
}

QString RunbookStepModel::stepDuration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 100)
        return tr("< 0.1 s");
    if (ms < 60000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    return OperationHistoryModel::formatDuration(ms / 1000);
}

QString RunbookStepModel::stateTitle(StepState state)
{
    switch (state) {
    case StepState::NotStarted:
        return tr("Not started");
    case StepState::InProgress:
        return tr("In progress");
    case StepState::Completed:
        return tr("Completed");
    case StepState::Failed:
        return tr("Failed");
    case StepState::Skipped:
        return tr("Skipped");
    case StepState::Cancelled:
        // One word for one outcome: a cancel ends the operation Aborted, and its step with it.
        return tr("Aborted");
    }
    return {};
}

QString RunbookStepModel::unitsText(qint64 done, qint64 total, const QString& unit)
{
    // Bytes as every size is written (KB, MB, GB), whichever step counts them.
    if (unit == QLatin1String("bytes")) {
        if (total <= 0)
            return done > 0 ? ByteSize::text(done) : QString();
        return tr("%1 of %2").arg(ByteSize::text(done), ByteSize::text(total));
    }
    const QLocale locale;
    if (total <= 0)
        return done > 0 ? QStringLiteral("%1 %2").arg(locale.toString(done), unit) : QString();
    return tr("%1 of %2 %3").arg(locale.toString(done), locale.toString(total), unit);
}

int RunbookStepModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_steps.size());
}

int RunbookStepModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunbookStepModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Step& s = m_steps.at(index.row());
    const StepRecord& r = s.record;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StepColumn:
            return QStringLiteral("%1. %2").arg(r.ordinal).arg(r.name);
        case StateColumn:
            return stateTitle(r.state);
        case StartedColumn:
            return r.started.isValid() ? r.started.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QString();
        case DurationColumn: {
            if (!r.started.isValid())
                return QString();
            const QDateTime end = r.finished.isValid() ? r.finished : QDateTime::currentDateTimeUtc();
            return stepDuration(std::max<qint64>(0, r.started.msecsTo(end)));
        }
        case DetailColumn:
            if (r.state == InProgress) {
                const QString units = unitsText(r.done, r.total, s.unit);
                return units.isEmpty() ? r.detail : units;
            }
            return r.detail;
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = tr("Step %1: %2\nState: %3").arg(r.ordinal).arg(r.name, stateTitle(r.state));
        if (r.started.isValid())
            tip += tr("\nStarted: %1").arg(r.started.toLocalTime().toString(Qt::ISODate));
        if (r.finished.isValid())
            tip += tr("\nFinished: %1").arg(r.finished.toLocalTime().toString(Qt::ISODate));
        if (!r.detail.isEmpty())
            tip += QStringLiteral("\n") + r.detail;
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case OrdinalRole:
        return r.ordinal;
    case StateRole:
        return stepStateName(r.state);
    case PercentRole:
        return percentOf(s);
    }
    return {};
}

QVariant RunbookStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == DurationColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StepColumn:
        return tr("Step");
    case StateColumn:
        return tr("State");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}
