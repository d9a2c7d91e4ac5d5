#include "OperationHistoryModel.h"
#include "operation/OperationKinds.h"

#include <QJsonObject>
#include <QLocale>

#include <limits>

OperationHistoryModel::OperationHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void OperationHistoryModel::setOperations(const QList<OperationRecord>& operations)
{
    bool sameRows = operations.size() == m_operations.size();
    for (qsizetype i = 0; sameRows && i < operations.size(); ++i)
        sameRows = operations.at(i).id == m_operations.at(i).id;
    if (!sameRows) {
        beginResetModel();
        m_operations = operations;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < operations.size(); ++i) {
        const bool changed = !sameOperation(operations.at(i), m_operations.at(i));
        // A running operation's duration grows even when nothing else changes.
        const bool running = !operations.at(i).finished.isValid() && operations.at(i).started.isValid();
        m_operations[i] = operations.at(i);
        if (changed)
            Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        else if (running)
            Q_EMIT dataChanged(index(int(i), DurationColumn), index(int(i), DurationColumn));
    }
}

const OperationRecord* OperationHistoryModel::operationAt(int row) const
{
    return row >= 0 && row < m_operations.size() ? &m_operations.at(row) : nullptr;
}

bool OperationHistoryModel::sameOperation(const OperationRecord& a, const OperationRecord& b)
{
    return a.state == b.state && a.started == b.started && a.finished == b.finished && a.error == b.error &&
           a.source == b.source && a.target == b.target && a.who == b.who && a.kind == b.kind;
}

QString OperationHistoryModel::stateTitle(OperationState state)
{
    switch (state) {
    case OperationState::NotStarted:
        return tr("Not started");
    case OperationState::InProgress:
        return tr("In progress");
    case OperationState::Completed:
        return tr("Completed");
    case OperationState::Failed:
        return tr("Failed");
    case OperationState::SignedOff:
        return tr("Signed off");
    case OperationState::Aborted:
        return tr("Aborted");
    case OperationState::RollbackInProgress:
        return tr("Rollback in progress");
    case OperationState::RollbackCompleted:
        return tr("Rollback completed");
    case OperationState::RollbackFailed:
        return tr("Rollback failed");
    case OperationState::Scheduled:
        return tr("Scheduled");
    case OperationState::AwaitingApproval:
        return tr("Awaiting approval");
    }
    return operationStateName(state);
}

QString OperationHistoryModel::sourceText(const OperationRecord& op)
{
    // An apply's source is its package.
    if (op.kind == OperationKinds::Apply) {
        const QJsonObject p = op.params.value(QStringLiteral("package")).toObject();
        const QString name = p.value(QStringLiteral("name")).toString();
        const QString version = p.value(QStringLiteral("version")).toString();
        return name.isEmpty() ? QStringLiteral("—") : version.isEmpty() ? name : tr("%1 %2").arg(name, version);
    }
    return op.source.isEmpty() ? QStringLiteral("—") : op.source;
}

QString OperationHistoryModel::stateTitle(const OperationRecord& op)
{
    if (op.wasInterrupted())
        return op.state == OperationState::RollbackFailed ? tr("Rollback interrupted") : tr("Interrupted");
    // A request cancelled before its window (LCS shows it as Canceled).
    if (op.state == OperationState::Aborted && op.windowStart.isValid() && !op.started.isValid())
        return tr("Canceled");
    if (op.state == OperationState::Failed && op.windowStart.isValid() && !op.started.isValid())
        return tr("Missed its window");
    return stateTitle(op.state);
}

QString OperationHistoryModel::formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds == 0)
        return tr("< 1 s");
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

int OperationHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_operations.size());
}

int OperationHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OperationHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OperationRecord& op = m_operations.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case OperationColumn:
            return op.title();
        case TargetColumn:
            return op.target;
        case SourceColumn:
            return sourceText(op);
        case StateColumn:
            return stateTitle(op);
        case StartedColumn:
            if (isWaitingState(op.state) && op.windowStart.isValid())
                return tr("Window %1").arg(op.windowStart.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
            return op.started.isValid() ? op.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                        : tr("Not started");
        case DurationColumn:
            return formatDuration(op.runSeconds());
        case ByColumn:
            return op.who;
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = tr("Operation %1: %2 of %3").arg(op.id).arg(op.title(), op.target);
        if (!op.source.isEmpty())
            tip += tr(" from %1").arg(op.source);
        tip += tr("\nState: %1").arg(stateTitle(op));
        const auto when = [](const QDateTime& t) { return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat); };
        if (op.started.isValid())
            tip += tr("\nStarted: %1").arg(when(op.started));
        if (op.runSeconds() >= 0)
            tip += tr("\nRan for: %1").arg(formatDuration(op.runSeconds()));
        if (op.finished.isValid())
            tip += (op.state == OperationState::SignedOff           ? tr("\nSigned off: %1")
                    : op.state == OperationState::RollbackCompleted ? tr("\nRolled back: %1")
                                                                    : tr("\nFinished: %1"))
                       .arg(when(op.finished));
        if (!op.error.isEmpty())
            tip += tr("\nError: %1").arg(op.error);
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return op.id;
    case StateNameRole:
        return operationStateName(op.state);
    case DurationSecondsRole:
        return op.runSeconds();
    case SortRole:
        switch (index.column()) {
        case StartedColumn:
            return op.started.isValid() ? op.started.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        case DurationColumn:
            return op.runSeconds();
        case OperationColumn:
            return op.id;
        }
        return data(index, Qt::DisplayRole).toString().toLower();
    }
    return {};
}

QVariant OperationHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == DurationColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case OperationColumn:
        return tr("Operation");
    case TargetColumn:
        return tr("Environment");
    case SourceColumn:
        return tr("Source");
    case StateColumn:
        return tr("State");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ByColumn:
        return tr("By");
    }
    return {};
}
