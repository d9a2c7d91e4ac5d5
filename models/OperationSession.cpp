#include "OperationSession.h"
#include "lifecycle/BuiltInOperationKinds.h"

#include "RunbookLogModel.h"
#include "RunbookStepModel.h"
#include "catalog/Catalog.h"
#include "lifecycle/OperationHost.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLineStore.h"
#include "catalog/RunbookLog.h"
#include "catalog/TeamAccess.h"

#include <QMetaEnum>

#include <spdlog/spdlog.h>

OperationSession::OperationSession(Catalog& catalog, qint64 operationId, QObject* parent)
    : QObject(parent), m_catalog(catalog), m_id(operationId), m_steps(new RunbookStepModel(this)),
      m_log(new RunbookLogModel(this))
{
    m_record.id = operationId;
    reload();
}

OperationSession::~OperationSession()
{
    if (m_host && m_busy)
        m_host->cancel(); // the host's destructor then joins a runner that is already stopping
}

bool OperationSession::reload()
{
    auto op = OperationStore(m_catalog).get(m_id);
    if (!op)
        return false;
    m_record = *op;
    // The operation's target never changes: the role on it is asked once, not at every
    // change the catalog announces.
    if (m_catalog.isTeam() && !m_roleAsked) {
        m_roleRefusal = TeamAccess(m_catalog).whyNot(op->projectId, op->target, TeamAccess::Right::Operate);
        m_roleAsked = true;
    }
    m_steps->setSteps(op->steps);
    if (const OperationKind* kind = BuiltInOperationKinds::registry().find(op->kind); kind && kind->stepWeights)
        m_steps->setWeights(kind->stepWeights(int(op->steps.size())));
    if (!m_busy) {
        if (m_catalog.isTeam())
            followCatalogLines(false);
        else
            m_log->reloadIfChanged(RunbookLog::pathFor(m_catalog.folder(), m_id));
    }
    Q_EMIT changed();
    if (m_awaitingAgent && op->pendingAction.isEmpty()) {
        // The agent carried out (or refused) what this console asked for.
        m_awaitingAgent = false;
        // The agent's runner's outcome; an agent that stopped midway, or an action taken
        // back, did not do it.
        bool known = false;
        const int outcome = QMetaEnum::fromType<OperationRunner::Outcome>().keyToValue(
            op->actionOutcome.toLatin1().constData(), &known);
        m_lastOutcome = known ? outcome : OperationRunner::Failed;
        m_lastMessage = op->actionResult.isEmpty() && m_lastOutcome != OperationRunner::Done ? op->error
                                                                                            : op->actionResult;
        Q_EMIT finished(m_lastOutcome, operationStateName(op->state), m_lastMessage);
    }
    return true;
}

void OperationSession::execute(OperationRunner::Action action)
{
    if (m_busy)
        return;
    if (!m_host) {
        m_host = std::make_unique<OperationHost>(m_catalog.location());
        OperationRunner* runner = m_host->runner();
        connect(runner, &OperationRunner::stepChanged, this, &OperationSession::onStepChanged);
        connect(runner, &OperationRunner::stateChanged, this, &OperationSession::onStateChanged);
        connect(runner, &OperationRunner::finished, this, &OperationSession::onFinished);
        connect(runner, &OperationRunner::logLine, this,
                [this](qint64 id, const QString& level, const QString& line, const QDateTime& at) {
                    if (id == m_id)
                        m_log->append(level, line, at); // the runbook log's own time, not the arrival's
                });
        connect(runner, &OperationRunner::progressed, this, [this](const OperationProgress& p) {
            if (p.operationId != m_id)
                return;
            m_progress = p;
            m_steps->applyProgress(p);
            Q_EMIT progressed(p);
        });
    }
    // Everything logged so far, then the live lines.
    if (m_catalog.isTeam()) {
        m_log->clear();
        m_lastLine = 0;
        followCatalogLines(false);
    } else {
        m_log->loadFile(RunbookLog::pathFor(m_catalog.folder(), m_id));
    }
    m_action = action;
    m_busy = true;
    m_progress = OperationProgress{};
    spdlog::info("console: {} operation {}", OperationRunner::actionName(action).toStdString(), m_id);
    m_host->execute(m_id, action);
    Q_EMIT busyChanged(true);
    Q_EMIT changed();
}

void OperationSession::followCatalogLines(bool skip)
{
    // A team catalog's runbook lines, written by whichever agent runs the operation;
    // reload() comes with every change the catalog announces.
    const QList<RunbookLineStore::Line> lines = RunbookLineStore(m_catalog).after(m_id, m_lastLine);
    for (const RunbookLineStore::Line& l : lines) {
        if (!skip)
            m_log->append(l.level, l.text, l.at.toLocalTime());
        m_lastLine = l.id;
    }
}

void OperationSession::cancel()
{
    if (m_host && m_busy)
        m_host->cancel();
}

void OperationSession::detach()
{
    // Deliberately leaked: joining would wait for the whole copy.
    (void)m_host.release();
}

void OperationSession::onStepChanged(qint64 id, int ordinal, const QString& state, const QString& detail)
{
    if (id != m_id)
        return;
    const StepState step = stepStateFromName(state).value_or(StepState::NotStarted);
    m_steps->applyStep(ordinal, step, detail);
    for (StepRecord& s : m_record.steps) {
        if (s.ordinal == ordinal) {
            s.state = step;
            if (!detail.isEmpty())
                s.detail = detail;
        }
    }
    if (state == QLatin1String("InProgress"))
        m_progress = OperationProgress{};
    Q_EMIT changed();
}

void OperationSession::onStateChanged(qint64 id, const QString& state)
{
    if (id != m_id)
        return;
    // A state change is rare and the runner wrote it before announcing it: read the
    // whole record again (start and end times, error), not just the state.
    if (!reload()) {
        if (auto s = operationStateFromName(state))
            m_record.state = *s;
        Q_EMIT changed();
    }
}

void OperationSession::onFinished(qint64 id, int outcome, const QString& state, const QString& message)
{
    if (id != m_id)
        return;
    m_busy = false;
    if (m_catalog.isTeam())
        followCatalogLines(true); // this console's runner already showed them
    m_lastOutcome = outcome;
    m_lastMessage = message;
    // Handed to the agents: finished() comes once one of them has carried it out.
    m_awaitingAgent = outcome == OperationRunner::Submitted;
    if (m_awaitingAgent)
        spdlog::info("console: {}", message.toStdString());
    reload(); // error text, finish time, every step as persisted
    Q_EMIT busyChanged(false);
    if (outcome != OperationRunner::Submitted)
        Q_EMIT finished(outcome, state, message);
}
