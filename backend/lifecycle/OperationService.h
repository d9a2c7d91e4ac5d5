#pragma once

#include "environment/Environment.h"
#include "environment/RestorePoint.h"
#include "catalog/BackupStore.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationRecord.h"

#include <QString>
#include <optional>

class Catalog;
struct PackageAsset;

// Creates operations for the CLI and the console alike: the one place that asks
// OperationRules whether a new operation may start on a target, resolves what the
// operation needs (the data policy, the package, the reprovisioning tool) and creates
// it NotStarted. Running it is the runner's job (OperationHost); both front ends
// then drive that runner.
//
// Promises: nothing is written when the answer is no (the refusal and its sentence
// come back); OperationStore::create still refuses a second unfinished operation on
// the same target atomically, so two processes cannot both pass.
class OperationService
{
public:
    enum class Refusal
    {
        None,
        NotAllowed,    // the rules say no (a production target, an unfinished operation, ...)
        Forbidden,     // the login's role on a team catalog does not allow it (TeamAccess)
        InvalidPolicy, // the data policy cannot be read or is not valid
        Failed,        // the package cannot be read or imported, the catalog failed
    };

    explicit OperationService(Catalog& catalog, const OperationKinds& kinds = BuiltInOperationKinds::registry());

    // A refresh of `target` from `source` under the policy at `policyPath` (empty: the
    // built-in default; RefreshRequest::policyPathFor resolves the project's).
    // `reviewedSha256`: the policy's SHA-256 when the user reviewed it (the console's
    // wizard); a policy changed since is refused.
    std::optional<qint64> createRefresh(const Environment& source, const Environment& target,
                                        const QString& policyPath, QString* error, Refusal* refusal = nullptr,
                                        const QString& reviewedSha256 = {});
    // A point-in-time restore of `target` from restore point `point` (RestoreRequest):
    // its own restore point, or production's into a sandbox under the project's policy
    // (`policyPath` as for a refresh, ignored for its own).
    std::optional<qint64> createRestore(const RestorePoint& point, const Environment& target,
                                        const QString& policyPath, QString* error, Refusal* refusal = nullptr,
                                        const QString& reviewedSha256 = {});
    // A restore of `target` to `source` (itself, or production) as it was at `instant`,
    // from pgBackRest (RestoreRequest::createAtInstant).
    std::optional<qint64> createRestoreAtInstant(const Environment& source, const Environment& target,
                                                 const QDateTime& instant, const QString& policyPath, QString* error,
                                                 Refusal* refusal = nullptr);
    // An export of `source`'s transactional database into the asset library, under the
    // data policy at `policyPath` (as for a refresh).
    std::optional<qint64> createExport(const Environment& source, const QString& policyPath, QString* error,
                                       Refusal* refusal = nullptr);
    // An import of `backup` (the asset library of `target`'s project) into `target`.
    std::optional<qint64> createImport(const BackupStore::Backup& backup, const Environment& target, QString* error,
                                       Refusal* refusal = nullptr);
    // An apply of `asset` (from the target project's asset library) to `target`.
    std::optional<qint64> createApply(const PackageAsset& asset, const Environment& target, QString* error,
                                      Refusal* refusal = nullptr);
    // The Environment reprovisioning tool applied to `target` after its refresh
    // `afterRefresh` (0: its newest), imported from the shared library into the asset
    // library first if it is not there yet. `imported` tells whether it was, `title`
    // which package ("Environment reprovisioning tool 1.0.0").
    std::optional<qint64> createReprovision(const Environment& target, qint64 afterRefresh, QString* error,
                                            Refusal* refusal = nullptr, bool* imported = nullptr,
                                            QString* title = nullptr);

    // Asks the process running `operation` (this one or another: the CLI, another
    // console) to stop it before its point of no return, when OperationRules allows a
    // cancel; the runner honours it between batches. False with the rules' sentence.
    bool requestCancel(const OperationRecord& operation, QString* error);

private:
    bool allowed(const QString& kind, const Environment& target, QString* error, Refusal* refusal) const;

    Catalog& m_catalog;
    const OperationKinds& m_kinds;
};
