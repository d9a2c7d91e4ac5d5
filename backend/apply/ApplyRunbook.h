#pragma once

#include <QStringList>

class PackageManifest;

// The steps of Apply updates (docs/ARCHITECTURE.md "Apply updates runbook"): three fixed steps,
// one step per package step, and a last fixed step.
namespace ApplyRunbook {

enum Step
{
    ValidatePackage = 1,
    CheckPrerequisites,
    CreateRestorePoint,
    FirstPackageStep,
};

QStringList stepNames(const PackageManifest& manifest);
// The ordinal of "Update environment versions" for a runbook of `stepCount` steps.
inline int updateVersionsStep(int stepCount)
{
    return stepCount;
}

} // namespace ApplyRunbook
