#pragma once

#include "operation/OperationKinds.h"
#include "environment/DatabaseRef.h"
#include "environment/Environment.h"
#include "operation/OperationJob.h"
#include "package/Package.h"

#include <QJsonObject>
#include <memory>
#include <optional>

class DatabaseEngine;
class OperationStore;
struct PackageAsset;

// The Apply updates operation (kind "apply", docs/ARCHITECTURE.md "Deployable packages"):
// Validate package · Check prerequisites · Create restore point · one step per
// package step · Update environment versions.
//
// Promises:
// - Steps 1 and 2 only check: a package that is not valid any more, or a target that
//   does not meet its `requires`, blocks the operation (it ends Aborted) with nothing
//   touched.
// - Step 3 copies the target's transactional database (the only one a package can
//   change) beside it as the restore point; nothing before step 4 changes the target.
// - A `sql` step runs in one transaction (DatabaseEngine::runScript) that also marks
//   the step in the target (dataalm_step_mark): after a crash between that commit and
//   the runbook's record, Resume finds the mark and does not run the step again. The
//   marks go when the versions are updated (the last step) or the apply is aborted.
// - A `sql` step runs in one transaction (DatabaseEngine::runScript), so a failed step leaves
//   nothing of itself behind and Resume runs it again from scratch; a `check` step
//   only reads (a read-only connection).
// - rollback() puts the restore point back (a rename: the bytes of before, at any
//   size) and the environment's versions as they were; release() deletes it.
// - Abort after a failed package step is allowed and means "stop here, keep the
//   environment as it is": the completed steps' changes stay and the restore point
//   is released: its kind says so (OperationKind::abortKeepsChanges), so nothing has
//   to be undone before an apply may end Aborted.
class ApplyJob : public OperationJob
{
public:
    static inline const QString Kind = OperationKinds::Apply;

    explicit ApplyJob(Context& context);
    ~ApplyJob() override;

    // The runbook of applying `manifest`.
    static QStringList stepNames(const PackageManifest& manifest);
    // What the operation stores: the package (file, digest, manifest), the target's
    // transactional database and the values scripts may bind (:environment, :tenant,
    // :administrator).
    static QJsonObject makeParams(const PackageAsset& asset, const PackageManifest& manifest,
                                  const Environment& target);
    // Creates the NotStarted operation that applies `asset` to `target` (what the
    // console and the CLI run then); refused when the package is not valid or another
    // operation holds the target.
    static std::optional<qint64> create(OperationStore& store, const PackageAsset& asset, const Environment& target,
                                        QString* error);

    QStringList stepNames() const override;
    bool runStep(int ordinal, QString* detail, QString* error) override;
    bool rollback(QString* error) override;
    bool release(QString* error) override;
    bool discard() override;

private:
    // Deletes the restore point's database (absent is fine).
    bool dropRestorePoint(QString* error);
    bool validatePackage(QString* detail, QString* error);
    bool checkPrerequisites(QString* detail, QString* error);
    bool createRestorePoint(QString* detail, QString* error);
    bool runPackageStep(int ordinal, const PackageManifest::Step& step, QString* detail, QString* error);
    // Removes the engine's marks of this operation's committed steps (warns on failure).
    void clearStepMarks(DatabaseEngine& engine, const DatabaseRef& database);
    bool updateVersions(QString* detail, QString* error);
    // The package, read and validated once per run.
    const Package* package(QString* error);
    bool persistParams();
    bool packageStepsStarted() const;

    QJsonObject m_params;
    DatabaseRef m_database;
    DatabaseRef m_restorePoint;
    std::shared_ptr<DatabaseEngine> m_engine;
    std::optional<Package> m_package;
};
