#include "lifecycle/OperationRunner.h"

#include "registration/CredentialLoader.h"

#include "catalog/Catalog.h"
#include "catalog/RestorePointStore.h"
#include "core/TestHooks.h"
#include "operation/OperationKinds.h"
#include "operation/OperationRules.h"
#include "operation/OperationJob.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookLineStore.h"
#include "catalog/RunbookLog.h"
#include "catalog/TeamAccess.h"

#include <QThread>

#include <spdlog/spdlog.h>

#include <exception>

namespace {

constexpr int EmitIntervalMs = 50;
constexpr int PersistIntervalMs = 500;
constexpr int CancelPollMs = 250;

} // namespace

OperationRunner::OperationRunner(const QString& catalogFolder, const OperationKinds& kinds, QObject* parent)
    : QObject(parent), m_catalogFolder(catalogFolder), m_kinds(kinds)
{
    qRegisterMetaType<OperationProgress>();
}

OperationRunner::~OperationRunner() = default;

QString OperationRunner::actionName(Action action)
{
    switch (action) {
    case Run:
        return QStringLiteral("run");
    case Resume:
        return QStringLiteral("resume");
    case Rollback:
        return QStringLiteral("rollback");
    case Cleanup:
        return QStringLiteral("cleanup");
    case SignOff:
        return QStringLiteral("sign off");
    case Abort:
        return QStringLiteral("abort");
    }
    return {};
}

std::optional<OperationRunner::Action> OperationRunner::actionFromName(const QString& name)
{
    for (Action a : {Run, Resume, Rollback, SignOff, Abort, Cleanup}) {
        if (actionName(a) == name)
            return a;
    }
    return std::nullopt;
}

void OperationRunner::requestCancel()
{
    m_cancel = true;
}

bool OperationRunner::ensureCatalog(QString* error)
{
    // A team catalog's connection dropped since the last run is opened again.
    if (m_catalog && m_catalog->ensureConnected())
        return true;
    if (m_catalog) {
        *error = QStringLiteral("the team catalog %1 does not answer").arg(m_catalog->location());
        return false;
    }
    auto catalog = std::make_unique<Catalog>();
    if (!catalog->open(m_catalogFolder, error))
        return false;
    m_catalog = std::move(catalog);
    m_store = std::make_unique<OperationStore>(*m_catalog);
    return true;
}

void OperationRunner::finish(qint64 id, Outcome outcome, const QString& message)
{
    QString state;
    if (m_store) {
        if (auto op = m_store->get(id))
            state = operationStateName(op->state);
    }
    Q_EMIT finished(id, outcome, state, message);
}

bool OperationRunner::cancelled(qint64 id)
{
    if (m_cancel)
        return true;
    if (!m_lastCancelPoll.isValid() || m_lastCancelPoll.elapsed() >= CancelPollMs) {
        m_lastCancelPoll.restart();
        if (m_store->cancelRequested(id))
            m_cancel = true;
    }
    return m_cancel;
}

void OperationRunner::reportProgress(qint64 id, int ordinal, qint64 done, qint64 total, qint64 bytes,
                                     const QString& unit)
{
    const bool last = total > 0 && done >= total;
    if (!last && m_lastEmit.isValid() && m_lastEmit.elapsed() < EmitIntervalMs)
        return;
    m_lastEmit.restart();
    OperationProgress p;
    p.operationId = id;
    p.ordinal = ordinal;
    p.stepCount = m_stepCount;
    p.stepName = m_stepNames.value(ordinal - 1);
    p.done = done;
    p.total = total;
    p.unit = unit;
    p.bytes = bytes;
    const double seconds = double(m_stepTimer.elapsed()) / 1000.0;
    if (seconds > 0.05) {
        p.bytesPerSecond = double(bytes) / seconds;
        if (done > 0 && total > done)
            p.secondsRemaining = seconds * double(total - done) / double(done);
        else if (last)
            p.secondsRemaining = 0;
    }
    Q_EMIT progressed(p);
    if (last || !m_lastPersist.isValid() || m_lastPersist.elapsed() >= PersistIntervalMs) {
        m_lastPersist.restart();
        m_store->setStepProgress(id, ordinal, done, total, bytes);
    }
}

void OperationRunner::execute(qint64 id, OperationRunner::Action action)
{
    m_cancel = false;
    QString error;
    if (!ensureCatalog(&error)) {
        Q_EMIT finished(id, Failed, QString(), error);
        return;
    }
    auto op = m_store->get(id);
    if (!op) {
        Q_EMIT finished(id, Refused, QString(), QStringLiteral("Unknown operation %1.").arg(id));
        return;
    }
    const bool team = m_catalog->isTeam();
    // An agent connects with the credentials the team catalog keeps for the databases it works on; a
    // one-person catalog's runner with those its OS keychain keeps.
    if (!team || m_asAgent)
        CredentialLoader::load(*m_catalog, {op->target, op->source},
                               QStringLiteral("operation %1 (%2)").arg(id).arg(actionName(action)));
    // The agent carrying out an action someone asked for acts in their name; the action
    // it carries out is no longer "waiting" to it.
    const bool carryingOut =
        team && m_asAgent && !op->actionAgent.isEmpty() && op->actionAgent == OperationStore::agentId();
    const QString who = carryingOut ? QStringLiteral("%1 (agent %2)").arg(op->actionBy, op->actionAgent)
                                    : Catalog::currentUser();
    if (carryingOut) {
        op->pendingAction.clear();
        op->actionAgent.clear();
    }
    RunbookLog log(m_catalog->folder(), id);
    log.lineWritten = [this, id, team](const QString& level, const QString& line, const QDateTime& at) {
        // On a team catalog every console sees the line, wherever this runner is.
        if (team)
            RunbookLineStore(*m_catalog).append(id, at, level, line);
        Q_EMIT logLine(id, level, line, at);
    };

    OperationJob::Context ctx;
    ctx.catalog = m_catalog.get();
    ctx.store = m_store.get();
    ctx.log = &log;
    ctx.operation = *op;
    ctx.cancelled = [this, id] { return cancelled(id); };
    ctx.progress = [this, id](qint64 done, qint64 total, qint64 bytes, const QString& unit) {
        reportProgress(id, m_currentOrdinal, done, total, bytes, unit);
    };
    const OperationKind* kind = m_kinds.find(op->kind);
    auto job = kind ? kind->makeJob(ctx) : nullptr;
    if (!job) {
        Q_EMIT finished(id, Refused, operationStateName(op->state),
                        QStringLiteral("Operation %1 is of a kind this build cannot run (%2).").arg(id).arg(op->kind));
        return;
    }
    m_stepNames = job->stepNames();
    m_stepCount = int(m_stepNames.size());
    // An agent works only on the databases of the environments an operation names: its
    // parameters are a person's writing on a team catalog.
    if (team && m_asAgent && (action == Run || action == Resume || action == Rollback)) {
        // Interrupted, not refused, when the catalog cannot be read: an agent tries again
        // while its window lasts.
        auto interrupted = [&](const QString& why) {
            if (op->state == OperationState::NotStarted) {
                QString ignored;
                m_store->transition(id, OperationState::Failed, &ignored, why);
            }
            finish(id, Failed, why);
        };
        QList<Environment> environments;
        for (const QString& envId : {op->target, op->source}) {
            if (envId.isEmpty())
                continue;
            auto e = m_catalog->environment(envId);
            if (!e && m_catalog->ensureConnected()) // a dropped connection is not a missing environment
                e = m_catalog->environment(envId);
            if (!e)
                return interrupted(QStringLiteral("interrupted: environment %1 could not be read from the catalog").arg(envId));
            environments << *e;
        }
        // A restore reads its restore point's copies: known too (the job checks that they are
        // the copies DataALM makes of that environment's databases).
        if (op->params.contains(QStringLiteral("restorePoint"))) {
            const qint64 pointId = op->params.value(QStringLiteral("restorePoint")).toInteger();
            auto point = RestorePointStore(*m_catalog).get(pointId);
            if (!point && !m_catalog->ensureConnected())
                return interrupted(QStringLiteral("interrupted: restore point %1 could not be read from the catalog").arg(pointId));
            if (!point)
                point = RestorePointStore(*m_catalog).get(pointId);
            if (point) {
                Environment copies;
                copies.id = point->environmentId;
                copies.databases = point->databases;
                environments << copies;
            }
        }
        const QString foreign = OperationRules::foreignDatabase(*op, environments);
        if (!foreign.isEmpty()) {
            m_catalog->audit(QStringLiteral("operation.refused"), QString::number(id), foreign);
            if (op->state == OperationState::NotStarted) {
                QString e;
                m_store->transition(id, OperationState::Aborted, &e, QStringLiteral("refused: ") + foreign);
                Q_EMIT stateChanged(id, operationStateName(OperationState::Aborted));
            }
            finish(id, Refused, foreign);
            return;
        }
    }

    auto refuse = [&](const QString& why) { finish(id, Refused, why); };
    auto move = [&](OperationState to, const QString& errorText = {}) {
        QString e;
        if (!m_store->transition(id, to, &e, errorText)) {
            log.error(e);
            return false;
        }
        Q_EMIT stateChanged(id, operationStateName(to));
        return true;
    };
    // Whether the action is allowed, and why not: the rules every caller shows.
    const OperationRules rules(m_kinds);
    // The target's history is read when an action asks (Cleanup needs none).
    auto verdict = [&](OperationRules::Action a) {
        return rules.check(a, *op, m_store->listSummaries(op->target, true, OperationStore::HistoryPage));
    };

    // Claiming the operation and moving its state are one atomic step of the store: of
    // two processes acting on it at once, the one that loses gets the rules' sentence
    // for the state the winner left, and never becomes its owner.
    auto start = [&](OperationState to, OperationRules::Action asked) {
        TestHooks::pausePoint("before-claim");
        QString e;
        if (m_store->transition(id, to, &e)) {
            Q_EMIT stateChanged(id, operationStateName(to));
            return true;
        }
        auto now = m_store->get(id);
        if (now && carryingOut)
            now->pendingAction.clear();
        const OperationRules::Verdict again =
            now ? rules.check(asked, *now, m_store->listSummaries(now->target, true, OperationStore::HistoryPage))
                : OperationRules::Verdict{};
        refuse(now && !again.allowed ? again.reason : e);
        return false;
    };

    // A team catalog's roles first: whoever asks must be allowed to operate the target.
    // An agent runs what people asked for: their right was checked when they asked (by
    // the server's policies too), and its own is the Agent role the server gave it.
    if (team && !m_asAgent && action != Cleanup) {
        const QString denied =
            TeamAccess(*m_catalog).refusal(op->projectId, op->target, TeamAccess::Right::Operate);
        if (!denied.isEmpty())
            return refuse(denied);
    }
    const bool handedToAgents = team && !m_asAgent &&
                                (action == Resume || action == Rollback || action == SignOff ||
                                 (action == Abort && op->state != OperationState::InProgress &&
                                  !isWaitingState(op->state)));
    if (handedToAgents) {
        const OperationRules::Action asked = action == Resume     ? OperationRules::Action::Resume
                                             : action == Rollback ? OperationRules::Action::Rollback
                                             : action == SignOff  ? OperationRules::Action::SignOff
                                                                  : OperationRules::Action::Cancel;
        const OperationRules::Verdict v = verdict(asked);
        if (!v.allowed)
            return refuse(v.reason);
        TestHooks::pausePoint("before-claim");
        QString e;
        if (!m_store->requestAction(id, op->state, actionName(action), who, &e)) {
            const auto now = m_store->get(id);
            const OperationRules::Verdict again =
                now ? rules.check(asked, *now, m_store->listSummaries(now->target, true, OperationStore::HistoryPage))
                    : OperationRules::Verdict{};
            return refuse(now && !again.allowed ? again.reason : e);
        }
        const QString verb = action == Rollback ? QStringLiteral("roll back") : actionName(action);
        log.info(QStringLiteral("%1 asked the agents of the team catalog to %2 operation %3").arg(who, verb).arg(id));
        return finish(id, Submitted, QStringLiteral("Operation %1 is waiting for an agent to %2.")
                                         .arg(id)
                                         .arg(OperationRules::pendingActionWords(actionName(action))));
    }
    switch (action) {
    case Run:
    case Resume: {
        const OperationRules::Verdict v = verdict(action == Run ? OperationRules::Action::Run
                                                                : OperationRules::Action::Resume);
        if (!v.allowed)
            return refuse(v.reason);
        int from = 1;
        if (action == Resume) {
            int failed = 1;
            for (const auto& s : op->steps) {
                if (!isStepDone(s.state)) {
                    failed = s.ordinal;
                    break;
                }
            }
            from = job->resumeFrom(failed);
        }
        if (!start(OperationState::InProgress,
                   action == Run ? OperationRules::Action::Run : OperationRules::Action::Resume))
            return;
        if (action == Resume)
            m_store->resetStepsFrom(id, from);
        log.info(QStringLiteral("%1 %2 #%3 by %4, from step %5")
                     .arg(action == Run ? QStringLiteral("Starting") : QStringLiteral("Resuming"), op->title())
                     .arg(id)
                     .arg(who)
                     .arg(from));
        // Read back as claimed (its state, the steps reset): a connection dropped just now
        // leaves it interrupted, for an agent to resume, rather than run on what is not known.
        auto claimed = m_store->get(id);
        if (!claimed && m_catalog->ensureConnected())
            claimed = m_store->get(id);
        if (!claimed) {
            const QString why = QStringLiteral("interrupted: operation %1 could not be read back from the catalog").arg(id);
            QString ignored;
            m_store->transition(id, OperationState::Failed, &ignored, why);
            finish(id, Failed, why);
            return;
        }
        ctx.operation = *claimed;
        runSteps(*job, log, id, from, kind->pointOfNoReturn, kind->lastValidationStep);
        return;
    }
    case Rollback: {
        const OperationRules::Verdict v = verdict(OperationRules::Action::Rollback);
        if (!v.allowed)
            return refuse(v.reason);
        if (!start(OperationState::RollbackInProgress, OperationRules::Action::Rollback))
            return;
        log.info(QStringLiteral("Rolling back operation %1 by %2").arg(id).arg(who));
        // Recorded before anything moves: whatever the rollback sets aside is found and
        // removed by a Cleanup, even if this process dies.
        m_store->setLeftovers(id, true);
        TestHooks::pausePoint("rollback-running");
        QElapsedTimer t;
        t.start();
        bool ok = false;
        try {
            ok = job->rollback(&error);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        if (!ok) {
            log.error(QStringLiteral("Rollback failed: %1").arg(error));
            move(OperationState::RollbackFailed, error);
            return finish(id, Failed, error);
        }
        log.info(QStringLiteral("Rolled back in %1 ms: %2 is as it was before operation %3")
                     .arg(t.elapsed())
                     .arg(op->target)
                     .arg(id));
        move(OperationState::RollbackCompleted);
        // The target is back; what the rollback set aside is removed after the state
        // is recorded (a crash here leaves only a file to delete, never a wrong state).
        TestHooks::crashPoint("rollback-recorded");
        removeLeftovers(*job, log, id);
        return finish(id, Done, QString());
    }
    case Cleanup: {
        if (!m_store->withLeftovers().contains(id))
            return finish(id, Done, QString());
        if (op->state != OperationState::RollbackCompleted && op->state != OperationState::SignedOff)
            return refuse(QStringLiteral("Operation %1 is %2: what it left on disk may still be needed.")
                              .arg(id)
                              .arg(operationStateName(op->state)));
        m_deferLeftovers = false;
        removeLeftovers(*job, log, id);
        return finish(id, Done, QString());
    }
    case SignOff: {
        const OperationRules::Verdict v = verdict(OperationRules::Action::SignOff);
        if (!v.allowed)
            return refuse(v.reason);
        // The state is written first: a crash after it leaves an unused restore point
        // on disk, never a Completed operation whose restore point is gone.
        m_store->setLeftovers(id, true);
        if (!move(OperationState::SignedOff)) {
            // Only while it is still Completed: a rollback that won the race keeps its mark.
            m_store->setLeftovers(id, false, OperationState::Completed);
            return finish(id, Failed, QStringLiteral("cannot sign off"));
        }
        log.info(QStringLiteral("Signed off by %1; the restore point is released").arg(who));
        removeLeftovers(*job, log, id);
        return finish(id, Done, QString());
    }
    case Abort: {
        const OperationRules::Verdict v = verdict(OperationRules::Action::Cancel);
        if (!v.allowed)
            return refuse(v.reason);
        if (op->state == OperationState::InProgress) {
            // Running elsewhere: ask its process to stop before the point of no return.
            m_store->requestCancel(id);
            return refuse(QStringLiteral("Operation %1 is running in process %2; a cancel was requested.")
                              .arg(id)
                              .arg(op->ownerPid));
        }
        if (!move(OperationState::Aborted, QStringLiteral("Aborted by %1").arg(who)))
            return finish(id, Failed, QStringLiteral("cannot abort"));
        job->discard();
        log.info(QStringLiteral("Aborted by %1; %2 stays as it is now").arg(who, op->target));
        return finish(id, Done, QString());
    }
    }
}

void OperationRunner::removeLeftovers(OperationJob& job, RunbookLog& log, qint64 id)
{
    // Deferred only if the mark is there for the cleanup to find.
    if (m_deferLeftovers && m_store->withLeftovers().contains(id)) {
        log.info(QStringLiteral("What operation %1 left behind is removed in the background (dataalm cleanup)").arg(id));
        return;
    }
    QElapsedTimer cleanup;
    cleanup.start();
    const auto op = m_store->get(id);
    QString error;
    if (op && op->state == OperationState::SignedOff) {
        if (!job.release(&error)) {
            // Kept marked: the next Cleanup tries again.
            log.warn(QStringLiteral("The restore point of operation %1 could not be removed: %2").arg(id).arg(error));
            return;
        }
    } else if (!job.discard()) {
        // Kept marked: the next Cleanup tries again.
        log.warn(QStringLiteral("What operation %1 left behind could not all be removed; dataalm cleanup tries again")
                     .arg(id));
        return;
    }
    m_store->setLeftovers(id, false);
    log.info(QStringLiteral("Removed what operation %1 left behind in %2 ms").arg(id).arg(cleanup.elapsed()));
}

void OperationRunner::runSteps(OperationJob& job, RunbookLog& log, qint64 id, int from, int pointOfNoReturn,
                               int lastValidationStep)
{
    for (int ordinal = from; ordinal <= m_stepCount; ++ordinal) {
        m_currentOrdinal = ordinal;
        const QString name = m_stepNames.at(ordinal - 1);
        const QString step = QStringLiteral("Step %1/%2 %3").arg(ordinal).arg(m_stepCount).arg(name);
        if (ordinal < pointOfNoReturn && cancelled(id))
            return abortCancelled(job, log, id, ordinal);
        log.info(step + QStringLiteral(": started"));
        m_store->setStep(id, ordinal, StepState::InProgress);
        Q_EMIT stepChanged(id, ordinal, stepStateName(StepState::InProgress), QString());
        m_stepTimer.restart();
        m_lastEmit.invalidate();
        m_lastPersist.invalidate();
        TestHooks::crashPoint(QStringLiteral("step-%1").arg(ordinal).toLatin1().constData());
        // The team catalog's connection as the step starts: a step that fails after it dropped
        // failed for want of the catalog (an environment read as missing), not on its merits.
        const QString connection = m_catalog->database().connectionName();
        TestHooks::pausePoint(QStringLiteral("step-%1").arg(ordinal).toLatin1().constData());

        QString detail;
        QString error;
        bool ok = false;
        try {
            ok = job.runStep(ordinal, &detail, &error);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        // A crash here: the step's work is done (committed) but not yet recorded.
        TestHooks::crashPoint(QStringLiteral("step-%1-ran").arg(ordinal).toLatin1().constData());
        if (!ok && ordinal < pointOfNoReturn && m_cancel)
            return abortCancelled(job, log, id, ordinal);
        if (!ok) {
            log.error(QStringLiteral("%1: Failed: %2").arg(step, error));
            m_store->setStep(id, ordinal, StepState::Failed, error);
            Q_EMIT stepChanged(id, ordinal, stepStateName(StepState::Failed), error);
            QString e;
            // (A server that is restarting is waited for: the operation's state is written there.)
            if (m_catalog->isTeam() &&
                (!m_catalog->ensureConnected(Catalog::ReconnectWaitMs) || m_catalog->database().connectionName() != connection)) {
                // Interrupted: an agent resumes it (from this step) while its window lasts.
                const QString why = QStringLiteral("interrupted: the team catalog's connection dropped during %1 (%2)")
                                        .arg(name, error);
                log.warn(why);
                m_store->transition(id, OperationState::Failed, &e, why);
                Q_EMIT stateChanged(id, operationStateName(OperationState::Failed));
                return finish(id, Failed, why);
            }
            if (ordinal <= lastValidationStep) {
                m_store->transition(id, OperationState::Aborted, &e, QStringLiteral("Blocked: %1").arg(error));
                Q_EMIT stateChanged(id, operationStateName(OperationState::Aborted));
                return finish(id, Blocked, error);
            }
            m_store->transition(id, OperationState::Failed, &e, QStringLiteral("%1: %2").arg(name, error));
            Q_EMIT stateChanged(id, operationStateName(OperationState::Failed));
            return finish(id, Failed, QStringLiteral("%1: %2").arg(name, error));
        }
        QString why;
        const StepState done = OperationJob::isSkipped(detail, &why) ? StepState::Skipped : StepState::Completed;
        if (done == StepState::Skipped)
            detail = why;
        const QString state = stepStateName(done);
        log.info(detail.isEmpty() ? QStringLiteral("%1: %2").arg(step, state)
                                  : QStringLiteral("%1: %2 (%3)").arg(step, state, detail));
        m_store->setStep(id, ordinal, done, detail);
        Q_EMIT stepChanged(id, ordinal, state, detail);
        TestHooks::crashPoint(QStringLiteral("step-%1-done").arg(ordinal).toLatin1().constData());
    }
    QString e;
    m_store->transition(id, OperationState::Completed, &e);
    log.info(QStringLiteral("Operation %1 Completed").arg(id));
    job.completed();
    Q_EMIT stateChanged(id, operationStateName(OperationState::Completed));
    finish(id, Done, QString());
}

void OperationRunner::abortCancelled(OperationJob& job, RunbookLog& log, qint64 id, int ordinal)
{
    log.warn(QStringLiteral("Step %1/%2 %3: cancelled by %4 before it changed the target; the target is untouched")
                 .arg(ordinal)
                 .arg(m_stepCount)
                 .arg(m_stepNames.value(ordinal - 1), Catalog::currentUser()));
    job.discard();
    QString e;
    m_store->setStep(id, ordinal, StepState::Cancelled, QStringLiteral("cancelled"));
    Q_EMIT stepChanged(id, ordinal, stepStateName(StepState::Cancelled), QString());
    m_store->transition(
        id, OperationState::Aborted, &e,
        QStringLiteral("Cancelled by %1 before it changed the target; the target is untouched").arg(Catalog::currentUser()));
    Q_EMIT stateChanged(id, operationStateName(OperationState::Aborted));
    finish(id, Cancelled, QStringLiteral("cancelled; the target is untouched"));
}
