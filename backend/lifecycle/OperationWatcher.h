#pragma once

#include "operation/OperationRecord.h"

#include <QObject>

class Catalog;
class QTimer;

// Follows an operation that another process runs (an agent, on a team catalog) through
// the catalog: a request is followed to the operation that claims it (its new id),
// through an interruption that another agent resumes, to its end.
//
// Promises:
// - No polling faster than every 30 seconds: it reads the operation again when the
//   team catalog announces a change (LISTEN dataalm_changes), and every 30 s besides
//   (every second on a SQLite catalog, which announces nothing).
// - Every step's change is said once (stepChanged), in order; finished() is emitted
//   once, when the operation settles (Completed, Failed and not resumable, Aborted,
//   rolled back, signed off), with the operation as it then is.
// - A catalog that stops answering is said (connectionLost) and opened again.
class OperationWatcher : public QObject
{
    Q_OBJECT

public:
    OperationWatcher(Catalog& catalog, qint64 requestOrOperationId, QObject* parent = nullptr);
    ~OperationWatcher() override;

    void start();
    // Follows the action asked of the agents on the operation (OperationRecord::pendingAction)
    // instead: finished() comes once it ended (actionOutcome, actionResult), however the
    // operation then is.
    void followAction() { m_followAction = true; }
    // The operation's current id (the request's until an agent claims it).
    qint64 operationId() const { return m_operationId; }

Q_SIGNALS:
    void claimed(qint64 operationId, const QString& agent);
    // A request that awaited approval was approved (once; not for one approved before
    // the watcher started).
    void approved(const QString& by, const QString& note);
    // With followAction(): the agent that took the action on.
    void actionClaimed(const QString& agent);
    void stepChanged(int ordinal, int total, const QString& name, const QString& state, const QString& detail);
    void interrupted(const QString& why);
    void finished(const OperationRecord& operation);
    void connectionLost(const QString& why);

private:
    void check();

    Catalog& m_catalog;
    qint64 m_requestId = 0;
    qint64 m_operationId = 0;
    QTimer* m_fallback = nullptr;
    QList<StepRecord> m_steps;
    bool m_done = false;
    bool m_saidInterrupted = false;
    bool m_lost = false;
    bool m_followAction = false;
    bool m_saidActionAgent = false;
    bool m_sawAwaitingApproval = false;
};
