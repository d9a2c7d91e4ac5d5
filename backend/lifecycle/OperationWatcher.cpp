#include "lifecycle/OperationWatcher.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "core/Clock.h"

#include <QTimer>

OperationWatcher::OperationWatcher(Catalog& catalog, qint64 id, QObject* parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_requestId(id)
    , m_operationId(id)
{
}

OperationWatcher::~OperationWatcher() = default;

void OperationWatcher::start()
{
    m_fallback = new QTimer(this);
    m_fallback->setTimerType(Qt::CoarseTimer);
    connect(m_fallback, &QTimer::timeout, this, &OperationWatcher::check);
    const bool notified = m_catalog.listen(QStringLiteral("dataalm_changes"), [this](const QString& table) {
        if (table == QLatin1String("operations") || table == QLatin1String("operation_steps"))
            QTimer::singleShot(0, this, &OperationWatcher::check);
    });
    m_fallback->start(notified ? 30000 : 1000);
    QTimer::singleShot(0, this, &OperationWatcher::check);
}

void OperationWatcher::check()
{
    if (m_done)
        return;
    OperationStore store(m_catalog);
    QString agent;
    std::optional<qint64> current = store.currentIdOf(m_requestId, &agent);
    if (!current) {
        // Not found: the catalog did not answer (a dropped connection, a server that
        // restarts), or the row is gone. Reconnect (LISTEN again) and read again; until
        // the catalog answers, try every two seconds.
        if (m_catalog.ensureConnected())
            current = store.currentIdOf(m_requestId, &agent);
        if (!current) {
            if (!m_lost)
                emit connectionLost(m_catalog.isOpen() ? QStringLiteral("operation %1 cannot be read").arg(m_requestId)
                                                       : QStringLiteral("the connection is lost"));
            m_lost = true;
            QTimer::singleShot(2000, this, &OperationWatcher::check);
            return;
        }
    }
    m_lost = false;
    if (*current != m_operationId) {
        m_operationId = *current;
        m_steps.clear();
        emit claimed(m_operationId, agent);
    }
    const std::optional<OperationRecord> op = store.get(m_operationId);
    if (!op)
        return;
    for (const StepRecord& s : op->steps) {
        const StepRecord* before = nullptr;
        for (const StepRecord& b : std::as_const(m_steps)) {
            if (b.ordinal == s.ordinal)
                before = &b;
        }
        if (!before ? s.state != StepState::NotStarted : (before->state != s.state))
            emit stepChanged(s.ordinal, int(op->steps.size()), s.name, stepStateName(s.state), s.detail);
    }
    m_steps = op->steps;
    if (m_followAction) {
        // The action, not the operation: done once its agent says how it ended.
        if (!op->pendingAction.isEmpty()) {
            if (!op->actionAgent.isEmpty() && !m_saidActionAgent) {
                m_saidActionAgent = true;
                emit actionClaimed(op->actionAgent);
            }
            return;
        }
        m_done = true;
        m_fallback->stop();
        emit finished(*op);
        return;
    }
    if (op->state == OperationState::AwaitingApproval) {
        m_sawAwaitingApproval = true;
        return;
    }
    if (m_sawAwaitingApproval && !op->approvedBy.isEmpty()) {
        m_sawAwaitingApproval = false;
        emit approved(op->approvedBy, op->approvalNote);
    }
    switch (op->state) {
    case OperationState::Scheduled:
    case OperationState::NotStarted:
    case OperationState::InProgress:
    case OperationState::RollbackInProgress:
        m_saidInterrupted = false;
        return;
    default:
        break;
    }
    // Interrupted inside its window: an agent resumes it (its lease expired, or it was killed).
    if (op->state == OperationState::Failed && op->wasInterrupted() && op->windowEnd.isValid() &&
        Clock::nowUtc() < op->windowEnd) {
        if (!m_saidInterrupted)
            emit interrupted(op->error);
        m_saidInterrupted = true;
        return;
    }
    m_done = true;
    m_fallback->stop();
    emit finished(*op);
}
