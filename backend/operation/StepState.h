#pragma once

#include <QString>
#include <optional>

// The state of one runbook step, as the catalog's operation_steps.state stores it by
// name. Every decision about steps compares these values, never their names.
enum class StepState {
    NotStarted,
    InProgress,
    Completed,
    Skipped, // nothing to do (a package that sets no version): counts as done
    Failed,
    Cancelled,
};

// "NotStarted", "InProgress", ...: the name the catalog and the CLI's JSON use.
QString stepStateName(StepState state);
std::optional<StepState> stepStateFromName(const QString& name);
// Completed or Skipped: a resume starts after it.
bool isStepDone(StepState state);
