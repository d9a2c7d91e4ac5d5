#pragma once

#include "operation/OperationProgress.h"
#include "operation/OperationRecord.h"
#include "lifecycle/OperationRunner.h"

#include <QObject>
#include <memory>

class Catalog;
class OperationHost;
class RunbookLogModel;
class RunbookStepModel;

// One operation as the console follows it: its record, its runbook steps, the tail
// of its runbook log and its latest progress report, kept up to date from two
// sources: the catalog (reload(), for operations run by another process or before
// this console started; on a team catalog its log lines too, from every agent) and,
// while this console runs an action on it, the live signals of its own
// OperationRunner (the same OperationHost the CLI drives). On a team catalog the
// runner hands a resume, rollback, sign off or abort to the agents; the session then
// follows it through the catalog and says finished() when an agent has carried it out.
//
// Promises: the runner lives on its own thread (OperationHost); this object only
// reads the catalog and the runbook log file, never an environment database, and
// never waits for the runner. The destructor joins the runner's thread: destroy a
// session only when it is not busy, or detach() it first.
class OperationSession : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationSession)

public:
    OperationSession(Catalog& catalog, qint64 operationId, QObject* parent = nullptr);
    ~OperationSession() override;

    qint64 operationId() const { return m_id; }
    const OperationRecord& record() const { return m_record; }
    RunbookStepModel* steps() const { return m_steps; }
    RunbookLogModel* log() const { return m_log; }

    // Reads the operation again from the catalog and, unless this console is running
    // it, the end of its runbook log. False if the operation is gone.
    bool reload();
    // Starts `action` on this console's runner; returns at once.
    void execute(OperationRunner::Action action);
    // Asks the running action to stop before the point of no return (thread-safe).
    void cancel();
    bool isBusy() const { return m_busy; }
    // On a team catalog: the action this console asked for waits for, or runs on, an
    // agent (the runner finished Submitted); finished() comes when the agent is done.
    bool isAwaitingAgent() const { return m_awaitingAgent; }
    // On a team catalog, why this login may not act on the operation (its role on the
    // target; TeamAccess::whyNot), asked when the session first reads it; empty: it may.
    const QString& roleRefusal() const { return m_roleRefusal; }
    OperationRunner::Action currentAction() const { return m_action; }
    // The latest progress report of the running step (operationId 0: none yet).
    const OperationProgress& lastProgress() const { return m_progress; }
    // The outcome (OperationRunner::Outcome) and message of the last finished action; -1: none.
    int lastOutcome() const { return m_lastOutcome; }
    QString lastMessage() const { return m_lastMessage; }

    // Leaves the running action to the end of the process: the runner's thread is
    // never joined (for "leave it to be resumed later" when the console closes).
    void detach();

Q_SIGNALS:
    // The record changed (state, steps, error): views re-read record().
    void changed();
    void progressed(const OperationProgress& progress);
    void busyChanged(bool busy);
    void finished(int outcome, const QString& state, const QString& message);

private:
    void onStepChanged(qint64 id, int ordinal, const QString& state, const QString& detail);
    void onStateChanged(qint64 id, const QString& state);
    void onFinished(qint64 id, int outcome, const QString& state, const QString& message);
    // Appends (or, with `skip`, only passes over) the team catalog's runbook lines not seen yet.
    void followCatalogLines(bool skip);

    Catalog& m_catalog;
    qint64 m_id;
    OperationRecord m_record;
    RunbookStepModel* m_steps;
    RunbookLogModel* m_log;
    std::unique_ptr<OperationHost> m_host;
    OperationProgress m_progress;
    OperationRunner::Action m_action = OperationRunner::Run;
    bool m_busy = false;
    bool m_awaitingAgent = false;
    QString m_roleRefusal;
    bool m_roleAsked = false;
    int m_lastOutcome = -1;
    qint64 m_lastLine = 0; // the last runbook_lines id shown (team catalog)
    QString m_lastMessage;
};
