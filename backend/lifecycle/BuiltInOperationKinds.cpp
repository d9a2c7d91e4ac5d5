// The one file that names the jobs of this build: the registry the runner is handed.
#include "lifecycle/BuiltInOperationKinds.h"

#include "apply/ApplyJob.h"
#include "apply/ApplyRunbook.h"
#include "refresh/RefreshJob.h"
#include "refresh/RefreshRunbook.h"

const OperationKinds& BuiltInOperationKinds::registry()
{
    static const OperationKinds kinds = [] {
        OperationKinds k;
        OperationKind refresh;
        refresh.id = OperationKinds::Refresh;
        refresh.title = QStringLiteral("Refresh database");
        refresh.pointOfNoReturn = RefreshRunbook::SwapIntoTarget;
        refresh.pointOfNoReturnWords = QStringLiteral("the swap into %1");
        refresh.cancelRemoves = QStringLiteral("the staging copy");
        refresh.lastValidationStep = RefreshRunbook::Validate;
        refresh.sandboxTargetsOnly = true;
        // The swap records the restore point before it moves the first database: without
        // that record nothing was moved, even if the swap step was started.
        refresh.targetChanged = [](const OperationRecord& op) { return !op.restorePoint.isEmpty(); };
        refresh.makeJob = [](OperationJob::Context& ctx) -> std::unique_ptr<OperationJob> {
            return std::make_unique<RefreshJob>(ctx);
        };
        k.add(refresh);

        OperationKind apply;
        apply.id = OperationKinds::Apply;
        apply.title = QStringLiteral("Apply updates");
        apply.pointOfNoReturn = ApplyRunbook::FirstPackageStep;
        apply.pointOfNoReturnWords = QStringLiteral("its first package step");
        apply.cancelRemoves = QStringLiteral("the restore point");
        apply.lastValidationStep = ApplyRunbook::CheckPrerequisites;
        apply.abortKeepsChanges = true;
        apply.makeJob = [](OperationJob::Context& ctx) -> std::unique_ptr<OperationJob> {
            return std::make_unique<ApplyJob>(ctx);
        };
        k.add(apply);
        return k;
    }();
    return kinds;
}
