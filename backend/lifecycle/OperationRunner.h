#pragma once

#include "operation/OperationProgress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

class Catalog;
class OperationJob;
class OperationKinds;
class OperationStore;
class RunbookLog;

// Runs operations: a worker object that lives on its own thread (OperationHost
// puts it there) with its own catalog and database connections. It knows no job by
// name: the kinds it is handed (OperationKinds) make them, and whether an action is
// allowed is OperationRules' answer, the same the console and the CLI show. It drives the
// state machine of docs/ARCHITECTURE.md, persisting every transition and step before acting,
// and delegates the steps to the operation's job (RefreshJob, ...).
//
// Promises:
// - Talks to the outside only through its queued signals; progress is throttled
//   to at most one report per 50 ms per operation (the last one always arrives).
// - requestCancel() is thread-safe; a cancel is honoured between batches before
//   the point of no return (the swap) and refused after it. A cancel requested
//   from another process (OperationStore::requestCancel) is honoured too.
// - finished() is emitted exactly once per execute().
// - On a team catalog the agents do the work: a resume, rollback, sign off or abort
//   asked of a runner that is not the agent carrying it out is recorded for the agents
//   (the rules checked, then a compare-and-set: one of several asking at once wins) and
//   finishes Submitted; OperationWatcher follows it to its end.
class OperationRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationRunner)

public:
    // Cleanup removes what a rolled-back or signed-off operation left on disk (the
    // database the rollback set aside, the released restore point): at the end of
    // Rollback and SignOff, or later if setDeferLeftovers() says so.
    enum Action { Run, Resume, Rollback, SignOff, Abort, Cleanup };
    Q_ENUM(Action)
    // Submitted: on a team catalog, a person's resume, rollback, sign off or abort is
    // handed to the agents (OperationStore::requestAction); one of them carries it out.
    enum Outcome { Done, Failed, Refused, Blocked, Cancelled, Submitted };
    Q_ENUM(Outcome)

    OperationRunner(const QString& catalogFolder, const OperationKinds& kinds, QObject* parent = nullptr);
    ~OperationRunner() override;

    void requestCancel();
    // Rollback and SignOff finish once the state is recorded and leave the removal of
    // what they freed (seconds for a large database) to a later Cleanup; the store
    // keeps the mark (OperationStore::withLeftovers) until it is done. For the CLI,
    // which starts `dataalm cleanup` in the background. Call before execute().
    void setDeferLeftovers(bool defer) { m_deferLeftovers = defer; }
    // The runner of an agent (Agent): it runs what it claimed itself, on a team catalog
    // too, and carries out the actions people asked for in their name. Call before execute().
    void setActingAsAgent(bool agent) { m_asAgent = agent; }
    static QString actionName(Action action);
    static std::optional<Action> actionFromName(const QString& name);

public Q_SLOTS:
    void execute(qint64 operationId, OperationRunner::Action action);

Q_SIGNALS:
    // state: the step state's name (stepStateName).
    void stepChanged(qint64 operationId, int ordinal, const QString& state, const QString& detail);
    void progressed(const OperationProgress& progress);
    // `at`: the time the runbook log file holds for the line.
    void logLine(qint64 operationId, const QString& level, const QString& line, const QDateTime& at);
    void stateChanged(qint64 operationId, const QString& state);
    // outcome: an Outcome; state: the operation's state after the action.
    void finished(qint64 operationId, int outcome, const QString& state, const QString& message);

private:
    bool ensureCatalog(QString* error);
    // Runs the steps from `from` on; each step's start and end goes to the runbook log.
    void runSteps(OperationJob& job, RunbookLog& log, qint64 id, int from, int pointOfNoReturn,
                  int lastValidationStep);
    bool cancelled(qint64 id);
    void reportProgress(qint64 id, int ordinal, qint64 done, qint64 total, qint64 bytes, const QString& unit);
    void finish(qint64 id, Outcome outcome, const QString& message);
    // Removes what a rolled-back or signed-off operation left on disk and clears its
    // mark, unless m_deferLeftovers; a failure keeps the mark for the next Cleanup.
    void removeLeftovers(OperationJob& job, RunbookLog& log, qint64 id);
    void abortCancelled(OperationJob& job, RunbookLog& log, qint64 id, int ordinal);

    QString m_catalogFolder;
    const OperationKinds& m_kinds;
    std::unique_ptr<Catalog> m_catalog;
    std::unique_ptr<OperationStore> m_store;
    std::atomic_bool m_cancel{false};
    QElapsedTimer m_stepTimer;
    QElapsedTimer m_lastEmit;
    QElapsedTimer m_lastPersist;
    QElapsedTimer m_lastCancelPoll;
    bool m_cancelSeen = false;
    int m_stepCount = 0;
    int m_currentOrdinal = 0;
    bool m_deferLeftovers = false;
    bool m_asAgent = false;
    QStringList m_stepNames;
};
