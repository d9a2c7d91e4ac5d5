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
// Every state, in the order of the enum.
QList<OperationState> allOperationStates();
// Whether the state machine allows from -> to.
bool canTransition(OperationState from, OperationState to);
