#pragma once

#include "operation/OperationRecord.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QStringList>
#include <functional>
#include <optional>

class Catalog;

// Persists operations and their runbook steps in the catalog. The runner writes
// every transition here, and it is committed, before it acts on it: the catalog is
// the operation's journal, from which a crashed operation is resumed or rolled back.
//
// Promises:
// - create() refuses a second unfinished operation on the same target, atomically
//   across threads and processes (BEGIN IMMEDIATE on the catalog).
// - transition() refuses what the state machine does not allow, with a message.
// - recoverInterrupted() marks operations whose owning process is gone as Failed
//   ("interrupted"), so Resume and Rollback are offered.
class OperationStore
{
public:
    explicit OperationStore(Catalog& catalog);

    std::optional<qint64> create(const QString& kind, const QString& projectId, const QString& source,
                                 const QString& target, const QStringList& stepNames, const QJsonObject& params,
                                 QString* error);
    std::optional<OperationRecord> get(qint64 id) const;
    // Newest first; all environments when `environmentId` is empty (as source or target).
    QList<OperationRecord> list(const QString& environmentId = {}, bool withSteps = false) const;
    // The same for screens that list them: each record's params hold only what a list
    // shows or decides with (`followUps`, `package`), not the policy copy, reports and
    // counts a refresh keeps; OperationStore::get() has them all.
    // With `newest` > 0 and an environment: a page of its history that a screen can
    // hold whatever the catalog's age, and that every rule still decides with (the
    // rules of OperationRules look at an operation and every one after it, and the
    // reprovisioning rule at the newest refresh that counts and what followed it): every
    // operation from the oldest of its `newest`-th newest, its oldest operation whose
    // state is not final (isFinalState) and its newest refresh as a target that was
    // not aborted or rolled back. A catalog that is looked after keeps few unsettled
    // operations, so the page stays near `newest`.
    QList<OperationRecord> listSummaries(const QString& environmentId, bool withSteps = true, int newest = 0) const;
    // The page a screen shows (listSummaries' `newest`).
    static constexpr int HistoryPage = 200;
    // Every operation of `environmentId` (of the catalog if empty) whose state is not
    // final, as listSummaries gives them, without steps: what a rule about an
    // environment or a policy in use looks at, read through the index on state.
    QList<OperationRecord> listUnsettled(const QString& environmentId = {}) const;
    // Every operation of project `projectId`, as listSummaries gives them, with their
    // steps: the Operations window's rows.
    QList<OperationRecord> listProjectSummaries(const QString& projectId) const;
    // How many operations `environmentId` has (as source or target); all of them if empty.
    qint64 count(const QString& environmentId) const;
    // The same, one operation at a time, without holding them all: two queries (the
    // operations and, merged with them, their steps), memory bounded by one operation.
    // Without `withParams`, each record's params and restore point are left empty (a
    // listing never needs the policy copy, the reports and counts an operation keeps).
    void forEach(const QString& environmentId, bool withSteps, bool withParams,
                 const std::function<void(const OperationRecord&)>& visit) const;

private:
    enum class Params
    {
        None,
        Summary,
        All,
    };
    // Which operations walk() reads: of an environment (as source or target) or of a
    // project or all; `newest` > 0: listSummaries' page; `unsettledOnly`: listUnsettled's.
    struct Selection
    {
        QString environmentId;
        QString projectId;
        int newest = 0;
        bool unsettledOnly = false;
    };
    void walk(const Selection& selection, bool withSteps, Params params,
              const std::function<void(const OperationRecord&)>& visit) const;

public:
    // The unfinished operation on `target` that blocks another one, if any.
    std::optional<OperationRecord> blockingOperation(const QString& target) const;
    // The operations of `target` that keep a restore point (completed, not signed off
    // or rolled back), oldest first, steps not read.
    QList<OperationRecord> keepingRestorePoints(const QString& target) const;
    // The source's columns ("table.column", folded) at the target's last refresh that got as
    // far as its Verify step and was not rolled back (Completed or SignedOff); empty if none
    // recorded them. What the preflight's policy-coverage check calls new is what is not here.
    QSet<QString> lastSourceColumns(const QString& target) const;
    // The operations left failed by an interruption (OperationRecord::wasInterrupted)
    // that nobody has resumed, rolled back or aborted since, by id.
    QList<qint64> interruptedUnresolved() const;
    // The newest operation on `target` after `id` that is not rolled back or aborted.
    std::optional<OperationRecord> laterOperation(const QString& target, qint64 id) const;

    bool transition(qint64 id, OperationState to, QString* error, const QString& errorText = {});
    bool setStep(qint64 id, int ordinal, StepState state, const QString& detail = {});
    bool setStepProgress(qint64 id, int ordinal, qint64 done, qint64 total, qint64 bytes);
    bool resetStepsFrom(qint64 id, int ordinal);
    bool setRestorePoint(qint64 id, const QJsonObject& restorePoint);
    bool setParams(qint64 id, const QJsonObject& params);
    bool requestCancel(qint64 id);
    bool cancelRequested(qint64 id) const;
    // Whether operation `id` may have left on disk what it no longer needs (written
    // before a rollback or a sign-off acts, cleared once it is removed), and the
    // operations that have, by id: what OperationRunner's Cleanup removes.
    // With `onlyIn`, only while the operation is in that state.
    bool setLeftovers(qint64 id, bool left, std::optional<OperationState> onlyIn = std::nullopt);
    QList<qint64> withLeftovers() const;

    // The newest `limit` operations of `kind` that completed (signed off or not), with
    // their steps and without params: what an estimate is made from. Read through the
    // index on state, whatever the catalog's age.
    QList<OperationRecord> completedOfKind(const QString& kind, int limit) const;
    // Requests (docs/ARCHITECTURE.md, Requests in downtime windows).
    // Turns operation `id`, just created NotStarted by this process, into a request
    // waiting for the window [start, end): it holds nothing until claimed. On a team
    // catalog the server decides (dataalm_needs_approval) whether it is Scheduled or,
    // on a protected environment, AwaitingApproval; `became` says which.
    bool schedule(qint64 id, const QDateTime& start, const QDateTime& end, qint64 scheduleId, QString* error,
                  OperationState* became = nullptr);
    // Approvals (team catalog; docs/ARCHITECTURE.md, Approvals). Request `id`, awaiting
    // approval, becomes Scheduled for its window; the server records who approved it
    // (session_user) and refuses the requester and anyone who is not a Project owner.
    // `note`: the approver's reason. False with the server's or the state's sentence.
    // `refused`: the server or the state said no (as opposed to a catalog that failed).
    bool approve(qint64 id, const QString& note, QString* error, bool* refused = nullptr);
    // Request `id`, awaiting approval, ends Aborted (Canceled) with `note` as the reason.
    bool reject(qint64 id, const QString& note, QString* error, bool* refused = nullptr);
    // Requests still awaiting approval whose window ended before `now` end Aborted,
    // with the sentence that says so (what an agent does on each pass); their ids.
    QList<qint64> expireApprovals(const QDateTime& now);
    // Every request awaiting approval, the oldest first (steps not read).
    QList<OperationRecord> awaitingApproval() const;
    // Moves request `id`'s window (and, when not empty, merges `params` into its
    // parameters: the instant a restore goes back to). Only while it is Scheduled.
    bool reschedule(qint64 id, const QDateTime& start, const QDateTime& end, const QJsonObject& params,
                    QString* error);
    // Every request waiting for its window, the earliest window first (steps not read).
    QList<OperationRecord> scheduled() const;
    // The operation a request became (its id once claimed), or the operation itself;
    // with the agent running it (empty: none).
    std::optional<qint64> currentIdOf(qint64 requestOrOperationId, QString* agentId = nullptr) const;
    // The earliest window start of a waiting request (invalid: none).
    QDateTime nextWindowStart() const;
    // Claims request `id` for this process when its window has opened: atomically, it
    // becomes a NotStarted operation with a new id (the next one: ids follow the order
    // operations run in; requestId keeps the old one) if nothing holds its target.
    // Returns the new id; nullopt with `busy` set to the rules' sentence when the
    // target is held (the request stays Scheduled), or with `error` when it is no
    // longer Scheduled (another agent claimed or someone cancelled it).
    std::optional<qint64> claim(qint64 id, QString* busy, QString* error, const QString& agentId = {});

    // Actions asked of the agents (team catalog; docs/ARCHITECTURE.md, Team mode).
    // Records that `who` asks for `action` (OperationRunner::actionName) on operation `id`,
    // if it is still `expected` and no other action waits or runs (a compare-and-set: of
    // two people asking at once, one wins); false with `error` otherwise.
    bool requestAction(qint64 id, OperationState expected, const QString& action, const QString& who,
                       QString* error);
    // Operations with an action no agent has claimed yet, by id.
    QList<OperationRecord> pendingActions() const;
    // Claims the action waiting on operation `id` for agent `agentId`; false if another
    // agent did first or it is gone.
    bool claimAction(qint64 id, const QString& agentId);
    // Ends the action agent `agentId` carried out: `outcome` (an OperationRunner::Outcome's
    // name) and the sentence that says why it was not done (empty when it was).
    bool finishAction(qint64 id, const QString& agentId, const QString& outcome, const QString& result);
    // Takes back an action no agent has claimed yet; false once one has.
    bool withdrawAction(qint64 id, const QString& who);
    // The operations whose action agent `agentId` holds.
    QList<qint64> actionsHeldBy(const QString& agentId) const;

    QList<qint64> recoverInterrupted();
    // How often an agent says it lives (DATAALM_AGENT_HEARTBEAT_S, default 60 s), and how
    // long its lease on the operations it runs lasts without one: three intervals.
    static int agentHeartbeatSeconds();
    // The agent this process is (empty: none). What it starts or claims is recorded as
    // run by it, and is taken over by another agent once its lease expires.
    static void setAgentId(const QString& id);
    static QString agentId();
    static int agentLeaseSeconds() { return 3 * agentHeartbeatSeconds(); }
    // Whether the process that claimed the operation still runs.
    static bool ownerAlive(qint64 pid, const QString& host, const QString& startMark);
    // An identifier of this process's start, so that a reused pid is not taken for it.
    static QString processStartMark(qint64 pid);

private:
    // After a failed `write` on a team catalog: reconnects (Catalog::ensureConnected) and
    // writes once more.
    bool retried(const std::function<bool()>& write);
    bool transitionOnce(qint64 id, OperationState to, QString* error, const QString& errorText);
    bool setStepOnce(qint64 id, int ordinal, StepState state, const QString& detail);
    bool setStepProgressOnce(qint64 id, int ordinal, qint64 done, qint64 total, qint64 bytes);
    bool setRestorePointOnce(qint64 id, const QJsonObject& restorePoint);
    bool setParamsOnce(qint64 id, const QJsonObject& params);

    // Whether agent `agentId` ("host:pid") is gone: on this machine its process answers,
    // on another its lease (agents.seen) does.
    bool agentGone(const QString& agentId) const;
    // Releases the actions claimed by agents that are gone: each ends with a sentence
    // saying so, for the person who asked to ask again.
    void releaseActionsOfGoneAgents();
    Catalog& m_catalog;
};
