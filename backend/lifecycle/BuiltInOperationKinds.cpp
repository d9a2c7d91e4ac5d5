// The one file that names the jobs of this build: the registry the runner is handed.
#include "lifecycle/BuiltInOperationKinds.h"

#include "apply/ApplyJob.h"
#include "apply/ApplyRunbook.h"
#include "export/ExportJob.h"
#include "export/ExportRunbook.h"
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
        // Measured on the 1 GB demo: the transactional copy is most of a refresh, then Verify and the policy.
        refresh.stepWeights = [](int stepCount) {
            const QList<double> w{1, 1, 60, 4, 10, 3, 1, 15, 2, 1};
            return stepCount == int(w.size()) ? w : QList<double>();
        };
        refresh.lastValidationStep = RefreshRunbook::Validate;
        refresh.sandboxTargetsOnly = true;
        // The swap records the restore point before it moves the first database: without
        // that record nothing was moved, even if the swap step was started.
        refresh.targetChanged = [](const OperationRecord& op) { return !op.restorePoint.isEmpty(); };
        refresh.makeJob = [](OperationJob::Context& ctx) -> std::unique_ptr<OperationJob> {
            return std::make_unique<RefreshJob>(ctx);
        };
        k.add(refresh);

        // A refresh whose source is a restore point (RestoreRequest): the same runbook
        // and job, into a sandbox or a dev/test environment.
        OperationKind restore = refresh;
        restore.id = OperationKinds::Restore;
        restore.title = QStringLiteral("Point-in-time restore");
        restore.sandboxTargetsOnly = false;
        k.add(restore);

        // A refresh whose source is a backup of the asset library (ImportRequest).
        OperationKind import = refresh;
        import.id = OperationKinds::Import;
        import.title = QStringLiteral("Import database");
        import.sandboxTargetsOnly = false;
        k.add(import);

        // Export database: a sandbox's data, with the policy applied, into a backup file.
        // It changes no environment; a cancel is honoured until the backup is added to
        // the library, and a rollback takes the backup out of it again.
        OperationKind exportKind;
        exportKind.id = OperationKinds::Export;
        exportKind.title = QStringLiteral("Export database");
        exportKind.pointOfNoReturn = ExportRunbook::AddToLibrary;
        exportKind.pointOfNoReturnWords = QStringLiteral("adding the backup to the asset library");
        exportKind.cancelRemoves = QStringLiteral("the staging copy and the unfinished backup file");
        exportKind.stepWeights = [](int stepCount) {
            const QList<double> w{1, 1, 45, 10, 10, 30, 1};
            return stepCount == int(w.size()) ? w : QList<double>();
        };
        exportKind.lastValidationStep = ExportRunbook::Validate;
        exportKind.sandboxTargetsOnly = true;
        exportKind.targetChanged = [](const OperationRecord&) { return false; };
        exportKind.makeJob = [](OperationJob::Context& ctx) -> std::unique_ptr<OperationJob> {
            return std::make_unique<ExportJob>(ctx);
        };
        k.add(exportKind);

        OperationKind apply;
        apply.id = OperationKinds::Apply;
        apply.title = QStringLiteral("Apply updates");
        apply.pointOfNoReturn = ApplyRunbook::FirstPackageStep;
        apply.pointOfNoReturnWords = QStringLiteral("its first package step");
        apply.cancelRemoves = QStringLiteral("the restore point");
        // The restore point's copy and the package's steps share most of the time.
        apply.stepWeights = [](int stepCount) {
            QList<double> w{1, 1, 30};
            const int packageSteps = stepCount - 4;
            if (packageSteps < 1)
                return QList<double>();
            for (int i = 0; i < packageSteps; ++i)
                w << 60.0 / packageSteps;
            w << 1;
            return w;
        };
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
