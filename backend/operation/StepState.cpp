#include "operation/StepState.h"

#include <array>
#include <utility>

namespace {
constexpr std::array<std::pair<StepState, const char*>, 6> Names = {{
    {StepState::NotStarted, "NotStarted"},
    {StepState::InProgress, "InProgress"},
    {StepState::Completed, "Completed"},
    {StepState::Skipped, "Skipped"},
    {StepState::Failed, "Failed"},
    {StepState::Cancelled, "Cancelled"},
}};
} // namespace

QString stepStateName(StepState state)
{
    for (const auto& [s, n] : Names) {
        if (s == state)
            return QLatin1String(n);
    }
    return {};
}

std::optional<StepState> stepStateFromName(const QString& name)
{
    for (const auto& [s, n] : Names) {
        if (name == QLatin1String(n))
            return s;
    }
    return std::nullopt;
}

bool isStepDone(StepState state)
{
    return state == StepState::Completed || state == StepState::Skipped;
}
