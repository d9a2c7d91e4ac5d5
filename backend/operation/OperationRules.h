#pragma once

#include "operation/OperationKinds.h"
#include "operation/OperationRecord.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct Environment;
struct RestorePoint;

// Whether an action is allowed, and the sentence that says what it will do or why
// not: the one place the runner, the CLI and the console ask (kpmcore's
// Operation::canX, called by core and GUI alike). The console's disabled buttons and
// tooltips, the CLI's exit-5 message and the runner's refusal are these sentences.
//
// Promises: pure functions of the values given (an operation with its steps, the
// operations of its target, an environment); no I/O, callable from any thread.
class OperationRules
{
    Q_DECLARE_TR_FUNCTIONS(OperationRules)

public:
    enum class Action
    {
        Run,      // a NotStarted operation
        Cancel,   // stop a running operation, or abort one that failed or never started
        Resume,   // run a failed operation again from its failed step
        Rollback, // put back what the target had before
        SignOff,  // accept: release the restore point
        Reschedule, // move a request's downtime window (or the instant it restores to)
        Approve,    // a second Project owner lets a protected environment's request run
        Reject,     // ... or ends it, with a reason
    };
    struct Verdict
    {
        bool allowed = false;
        QString reason; // what the action does, or why it is not allowed
    };

    // `kinds`: BuiltInOperationKinds::registry() outside tests.
    explicit OperationRules(const OperationKinds& kinds);

    // `history`: operations of the same target (any order; others are ignored).
    Verdict check(Action action, const OperationRecord& operation, const QList<OperationRecord>& history) const;
    // Why `operation` must not run, empty when it may: a database its parameters name
    // (what it was asked to read or write, pinned when it was requested) is none of the
    // databases `environments` (its target's and its source's, as the catalog defines
    // them now) have, by exact name. What an agent checks before it acts: a request
    // whose parameters were written to point at another environment's database (say,
    // production's, from a sandbox's request) is refused.
    static QString foreignDatabase(const OperationRecord& operation, const QList<Environment>& environments);
    // The kinds that change their target enough to need a second person's approval on a
    // protected environment (team catalog): refresh, restore, import and apply. The
    // catalog server's dataalm_needs_approval is built from this list.
    static const QStringList& approvalKinds();
    // Why `login` may not approve or reject `operation`, empty when it may as far as the
    // four-eyes rule goes: nobody decides on their own request (they cancel it). Whether
    // the login is a Project owner is the role's question (TeamAccess, Right::Own).
    static QString ownRequestRefusal(const OperationRecord& operation, const QString& login);
    // "Request 7 (Apply updates of contoso-prod) waits for a Project owner other than
    // alice to approve or reject it." for an operation AwaitingApproval.
    static QString awaitingApprovalWords(const OperationRecord& operation);
    // "roll it back" for a pending action named "rollback" (OperationRecord::pendingAction).
    static QString pendingActionWords(const QString& action);
    // Whether a new operation of `kind` may be created on `target` now.
    Verdict canStart(const QString& kind, const Environment& target, const QList<OperationRecord>& history) const;
    // Whether the Environment reprovisioning tool may be applied to `target` now: its
    // newest refresh that counts completed (`afterRefresh`, when given, must be that
    // refresh), the tool has not run since, and nothing after it is unfinished. Other
    // packages applied in between leave the offer open.
    static Verdict canReprovision(const QString& target, bool commerce, const QList<OperationRecord>& history,
                                  qint64 afterRefresh = 0);

    // Why the environment `id` cannot be removed (or its databases moved) now, empty when
    // it can: an unfinished operation on it, a refresh that may still read it as its
    // source, or (`restorePointsToo`) a completed operation keeping a restore point.
    // `operations`: those that name it as source or target.
    static QString environmentInUse(const QString& id, const QList<OperationRecord>& operations,
                                    bool restorePointsToo);
    // Why the data policy of `projectId` cannot change now, empty when it can: a refresh
    // of the project that has not finished applies the current policy when it resumes.
    static QString policyInUse(const QString& projectId, const QList<OperationRecord>& operations);

    // A running operation honours a cancel: it has not begun its point of no return.
    bool cancelHonoured(const OperationRecord& operation) const;
    // The operation changed its target (its kind's own test).
    bool targetChanged(const OperationRecord& operation) const;
    const OperationKind* kind(const OperationRecord& operation) const { return m_kinds.find(operation.kind); }

    // Unfinished: still holds its target (running, failed awaiting a decision, a
    // rollback that has not completed). OperationStore::create refuses behind one.
    static bool isUnfinished(OperationState state);
    // The newest operation on the same target after `operation` that is neither
    // aborted nor rolled back: it blocks the rollback of `operation`.
    static const OperationRecord* laterOperation(const OperationRecord& operation,
                                                 const QList<OperationRecord>& history);
    // Why no operation may start on `target` while `blocking`, an unfinished one, holds
    // it (OperationStore::create says the same when it loses a race).
    static QString busyRefusal(const QString& target, const OperationRecord& blocking);
    // What cancelling `op` now does, in the words of its kind ("Operation 5 (Refresh
    // database) stops before the swap into contoso-uat: ..."), for the confirmation and
    // the close dialog.
    QString cancelConsequence(const OperationRecord& op) const;
    // "contoso-uat keeps the restore points of operations 3 (Refresh database) and 5
    // (Apply updates), 6.1 GB in all, until they are signed off or rolled back." for the
    // operations that keep one (OperationStore::keepingRestorePoints); empty when none.
    static QString restorePointsKept(const QString& target, const QList<OperationRecord>& keeping);
    // Why no operation may change `target` while `reader`, an unfinished refresh of
    // another environment, may still read it as its source.
    static QString readBySourceRefusal(const QString& target, const OperationRecord& reader);
    // Whether `operation` is a refresh that may still read its source.
    static bool readsItsSource(const OperationRecord& operation);
    // Why `target` cannot take a kind that only sandboxes may take (a refresh); empty
    // for a sandbox. The preflight's target-is-sandbox check says the same words.
    static QString sandboxTargetRefusal(const Environment& target);
    // "failed", "rollback completed": a state as a sentence says it (the console's state
    // column, lower case).
    static QString stateWords(OperationState state);
    // Why restore point `point` cannot be deleted now, empty when it can: it is an
    // operation's that can still be rolled back to it (`owner`, that operation), or an
    // unfinished restore reads it (`readers`: unsettled operations, any environment).
    static QString restorePointDeletionRefusal(const RestorePoint& point, const std::optional<OperationRecord>& owner,
                                               const QList<OperationRecord>& readers);
    // Why `point` (of `pointEnvironment`, null when that is gone) cannot be restored into
    // `target` at `now`, empty when it can: it is
    // not available (being written or deleted), it expired, the target is production,
    // it is another environment's that is not production (only production's may go
    // into a sandbox, as LCS's "Point-in-time restore production to sandbox"), or its
    // databases are on another engine than the target's.
    static QString restoreRefusal(const RestorePoint& point, const Environment* pointEnvironment,
                                  const Environment& target, const QDateTime& now);
    // The operations in `operations` that read restore point `pointId` (a restore's params).
    static QList<OperationRecord> readersOf(qint64 pointId, const QList<OperationRecord>& operations);
    // An apply of a reprovisioning package (the Environment reprovisioning tool).
    static bool isReprovisioningApply(const OperationRecord& operation);

    // Why a request for the downtime window [start, end) cannot be made (or moved
    // there) at `now`, empty when it can: an end before its start or in the past, less
    // notice than the project asks (`minimumNoticeMinutes`), or a window shorter than
    // the operation's estimate (`estimateSeconds`, -1 when there is none) unless the
    // user insists (`force`). The sentence names both durations.
    static QString windowRefusal(const QDateTime& start, const QDateTime& end, const QDateTime& now,
                                 int minimumNoticeMinutes, qint64 estimateSeconds, bool force);
    // Why request `request`, whose window opened, must not start at `now`, empty when it
    // may: its window has ended, or what is left of it is shorter than its estimate.
    // The sentence begins "missed its window".
    static QString missedWindow(const OperationRecord& request, const QDateTime& now, qint64 estimateSeconds);
    // "1 h 05 min", "40 min", "50 s": a duration as the rules' sentences say it.
    static QString durationWords(qint64 seconds);

private:
    const OperationKinds& m_kinds;
};
