#pragma once

#include "operation/OperationJob.h"

#include <QString>
#include <functional>
#include <memory>

struct Environment;

// One kind of operation described as data (kpmcore's Operation types): what the
// runner, the rules and the console need to know of it, and how to make its job.
// Adding a kind is adding one of these to the registry (OperationKinds), its job and
// its console page; nothing else names a kind (docs/ARCHITECTURE.md "Adding an
// operation kind").
struct OperationKind
{
    QString id;    // the catalog's operations.kind: "refresh", "apply"
    QString title; // "Refresh database"
    // The first step that changes the target: a cancel is honoured before it starts,
    // refused from then on.
    int pointOfNoReturn = 1;
    // How the sentences name that step and what a cancel before it removes:
    // "the swap into %1" (%1: the target) and "the staging copy" for a refresh.
    QString pointOfNoReturnWords;
    QString cancelRemoves;
    // How long each step takes relative to the others (a runbook of `stepCount` steps),
    // for the overall progress bar and its time left: a copy weighs more than a check.
    // Empty: every step weighs the same.
    std::function<QList<double>(int stepCount)> stepWeights;
    // Steps up to this one only check: a failure there blocks the operation (it ends
    // Aborted, nothing touched) instead of failing it.
    int lastValidationStep = 1;
    // Abort after a failure keeps what the completed steps changed ("stop here, keep the
    // environment as it is"), where other kinds must be rolled back once they changed
    // the target.
    bool abortKeepsChanges = false;
    // Sandboxes only (a refresh replaces the target's data), or any environment.
    bool sandboxTargetsOnly = false;
    // Whether an operation of this kind has changed its target (what Abort and the
    // Rollback sentence ask); by default: a step at or after pointOfNoReturn started.
    std::function<bool(const OperationRecord&)> targetChanged;
    // The job that runs its steps (the runner's only way to one).
    std::function<std::unique_ptr<OperationJob>(OperationJob::Context&)> makeJob;
};
