#pragma once

#include "operation/OperationState.h"
#include "operation/StepState.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

// One runbook step of an operation as persisted in the catalog.
struct StepRecord
{
    int ordinal = 0;
    QString name;
    StepState state = StepState::NotStarted;
    QDateTime started;
    QDateTime finished;
    qint64 done = 0;
    qint64 total = 0;
    qint64 bytes = 0;
    QString detail;

    QJsonObject toJson() const;
};

// One operation (a refresh, an apply, ...) with its steps, as persisted in the
// catalog: a value type, safe to pass between threads.
struct OperationRecord
{
    qint64 id = 0;
    QString kind; // "refresh", "apply"
    QString projectId;
    QString source;
    QString target;
    OperationState state = OperationState::NotStarted;
    QString who;
    QDateTime created;
    QDateTime started;
    QDateTime finished;
    QString error;
    qint64 ownerPid = 0;
    bool cancelRequested = false;
    QJsonObject params;
    QJsonObject restorePoint;
    QList<StepRecord> steps;
    // A request's downtime window (both invalid: started when it was created), the
    // recurring schedule it is an occurrence of (0: none), and the id it had while it
    // was Scheduled (0: never a request; a request takes a new id when its window opens,
    // so that ids follow the order operations ran in).
    QDateTime windowStart;
    QDateTime windowEnd;
    qint64 scheduleId = 0;
    qint64 requestId = 0;
    // On a team catalog, an action a person asked the agents to carry out (the runner's
    // actionName: "resume", "rollback", "sign off", "abort"; empty: none), who asked,
    // the agent carrying it out (empty: none has claimed it yet), and, once it ended,
    // how (actionOutcome: an OperationRunner::Outcome's name, "Released" when its agent
    // stopped, "Withdrawn" when the asker took it back) and the sentence that says why.
    QString pendingAction;
    QString actionBy;
    QString actionAgent;
    QString actionResult;
    QString actionOutcome;
    // On a team catalog, a request on a protected environment: the Project owner who
    // approved it (set by the catalog server, never by the writer; empty: not approved),
    // when, and what the approver or a rejecter wrote as the reason.
    QString approvedBy;
    QDateTime approvedAt;
    QString approvalNote;

    // The JSON of the CLI contract: id, kind, source, target, state, started,
    // finished, error, steps [{name, state, started, finished, detail}].
    QJsonObject toJson() const;
    // Seconds between started and finished (or now, while it runs); -1 if never started.
    // `finished` moves on when it is signed off or rolled back: runSeconds() is how long
    // it ran.
    qint64 durationSeconds() const;
    // Seconds from its start to the end of its last step that ended (now, while a step
    // runs); durationSeconds() when no step is known; -1 if never started.
    qint64 runSeconds() const;
    // Failed (or rollback failed) because the process running it stopped (a crash, a
    // kill, the console closed), as OperationStore::recoverInterrupted records it.
    bool wasInterrupted() const;
    // Human title: "Refresh database" / "Apply updates".
    QString title() const;
    // Whether the operation keeps a restore point of its target (completed, not yet
    // signed off or rolled back), and its size in bytes as recorded when it was made
    // (-1: not recorded, an operation made before sizes were).
    // Whether it holds its target against another operation (OperationRules):
    // unfinished, and not a request that failed before it started (a missed window),
    // which touched nothing.
    bool holdsTarget() const;
    // A request whose window was missed or that failed before it began: it ran nothing.
    bool neverRan() const { return !started.isValid(); }
    bool keepsRestorePoint() const { return state == OperationState::Completed && !restorePoint.isEmpty(); }
    qint64 restorePointBytes() const;
};
