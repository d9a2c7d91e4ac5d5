#pragma once

#include <QList>
#include <QString>
#include <optional>

// The states of an operation, with LCS's API names. The allowed transitions are the
// state machine of docs/ARCHITECTURE.md; OperationStore refuses any other.
enum class OperationState {
    NotStarted,
    InProgress,
    Completed,
    Failed,
    SignedOff,
    Aborted,
    RollbackInProgress,
    RollbackCompleted,
    RollbackFailed,
    // A request waiting for its downtime window (docs/ARCHITECTURE.md, Requests): it
    // holds nothing until the agent claims it when the window opens.
    Scheduled,
    // A request on a protected environment (production always) that a second person,
    // a Project owner other than the requester, approves before it is Scheduled, or
    // rejects (docs/ARCHITECTURE.md, Approvals). It holds nothing while it waits.
    AwaitingApproval,
};

QString operationStateName(OperationState state);
std::optional<OperationState> operationStateFromName(const QString& name);
// A state from which nothing more can happen to the operation.
bool isFinalState(OperationState state);
// The operation is running (or was, until its process died).
bool isActiveState(OperationState state);
// Unfinished: the operation still holds its target (running, failed awaiting a
// decision, a rollback that has not completed); no other operation may start there.
bool isUnfinishedState(OperationState state);
// A request that has not begun and holds nothing yet: Scheduled (waiting for its
// window) or AwaitingApproval (waiting for a second person).
bool isWaitingState(OperationState state);
// Every state, in the order of the enum.
QList<OperationState> allOperationStates();
// Whether the state machine allows from -> to.
bool canTransition(OperationState from, OperationState to);
