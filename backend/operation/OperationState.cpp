#include "operation/OperationState.h"

#include <array>
#include <utility>

namespace {
constexpr std::array<std::pair<OperationState, const char*>, 11> Names = {{
    {OperationState::NotStarted, "NotStarted"},
    {OperationState::InProgress, "InProgress"},
    {OperationState::Completed, "Completed"},
    {OperationState::Failed, "Failed"},
    {OperationState::SignedOff, "SignedOff"},
    {OperationState::Aborted, "Aborted"},
    {OperationState::RollbackInProgress, "RollbackInProgress"},
    {OperationState::RollbackCompleted, "RollbackCompleted"},
    {OperationState::RollbackFailed, "RollbackFailed"},
    {OperationState::Scheduled, "Scheduled"},
    {OperationState::AwaitingApproval, "AwaitingApproval"},
}};
} // namespace

QString operationStateName(OperationState state)
{
    for (const auto& [s, n] : Names) {
        if (s == state)
            return QLatin1String(n);
    }
    return {};
}

std::optional<OperationState> operationStateFromName(const QString& name)
{
    for (const auto& [s, n] : Names) {
        if (name == QLatin1String(n))
            return s;
    }
    return std::nullopt;
}

bool isFinalState(OperationState state)
{
    return state == OperationState::SignedOff || state == OperationState::Aborted ||
           state == OperationState::RollbackCompleted;
}

bool isActiveState(OperationState state)
{
    return state == OperationState::InProgress || state == OperationState::RollbackInProgress;
}

bool isUnfinishedState(OperationState s)
{
    return s == OperationState::NotStarted || s == OperationState::InProgress || s == OperationState::Failed ||
           s == OperationState::RollbackInProgress || s == OperationState::RollbackFailed;
}

bool isWaitingState(OperationState s)
{
    return s == OperationState::Scheduled || s == OperationState::AwaitingApproval;
}

QList<OperationState> allOperationStates()
{
    QList<OperationState> all;
    for (const auto& [s, n] : Names)
        all << s;
    return all;
}

bool canTransition(OperationState from, OperationState to)
{
    using S = OperationState;
    switch (from) {
    case S::NotStarted:
        return to == S::InProgress || to == S::Aborted || to == S::Failed || to == S::AwaitingApproval;
    case S::InProgress:
        return to == S::Completed || to == S::Failed || to == S::Aborted;
    case S::Completed:
        return to == S::SignedOff || to == S::RollbackInProgress;
    case S::Failed:
        return to == S::InProgress || to == S::RollbackInProgress || to == S::Aborted;
    case S::RollbackInProgress:
        return to == S::RollbackCompleted || to == S::RollbackFailed;
    case S::RollbackFailed:
        return to == S::RollbackInProgress;
    case S::Scheduled:
        // Claimed when its window opens; cancelled; or its window missed.
        return to == S::NotStarted || to == S::Aborted || to == S::Failed;
    case S::AwaitingApproval:
        // Approved (it then waits for its window), rejected or withdrawn, or its window
        // ended before anyone decided.
        return to == S::Scheduled || to == S::Aborted;
    case S::SignedOff:
    case S::Aborted:
    case S::RollbackCompleted:
        return false;
    }
    return false;
}
