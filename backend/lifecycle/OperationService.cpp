#include "lifecycle/OperationService.h"

#include "apply/ApplyJob.h"
#include "catalog/Catalog.h"
#include "operation/OperationRules.h"
#include "catalog/OperationStore.h"
#include "catalog/TeamAccess.h"
#include "package/AssetLibrary.h"
#include "package/SharedLibrary.h"
#include "refresh/RefreshRequest.h"
#include "restore/RestoreRequest.h"
#include "export/ExportJob.h"
#include "import/ImportRequest.h"

namespace {

template<typename T>
std::optional<T> refuse(OperationService::Refusal why, OperationService::Refusal* refusal)
{
    if (refusal)
        *refusal = why;
    return std::nullopt;
}

} // namespace

OperationService::OperationService(Catalog& catalog, const OperationKinds& kinds)
    : m_catalog(catalog), m_kinds(kinds)
{
}

bool OperationService::allowed(const QString& kind, const Environment& target, QString* error,
                               Refusal* refusal) const
{
    if (refusal)
        *refusal = Refusal::None;
    // Whether this login may operate the target at all (a team catalog's roles), before the lifecycle's rules.
    const QString denied = TeamAccess(m_catalog).refusal(target.projectId, target.id, TeamAccess::Right::Operate);
    if (!denied.isEmpty()) {
        *error = denied;
        if (refusal)
            *refusal = Refusal::Forbidden;
        return false;
    }
    const OperationRules::Verdict v =
        OperationRules(m_kinds).canStart(
            kind, target, OperationStore(m_catalog).listSummaries(target.id, true, OperationStore::HistoryPage));
    if (v.allowed)
        return true;
    *error = v.reason;
    if (refusal)
        *refusal = Refusal::NotAllowed;
    return false;
}

std::optional<qint64> OperationService::createRefresh(const Environment& source, const Environment& target,
                                                      const QString& policyPath, QString* error, Refusal* refusal,
                                                      const QString& reviewedSha256)
{
    if (!allowed(OperationKinds::Refresh, target, error, refusal))
        return std::nullopt;
    RefreshRequest::Refusal why = RefreshRequest::Refusal::None;
    auto id = RefreshRequest::create(m_catalog, source, target, policyPath, error, &why, reviewedSha256);
    if (!id)
        return refuse<qint64>(why == RefreshRequest::Refusal::InvalidPolicy ? Refusal::InvalidPolicy
                                                                             : Refusal::NotAllowed,
                              refusal);
    return id;
}

std::optional<qint64> OperationService::createRestore(const RestorePoint& point, const Environment& target,
                                                      const QString& policyPath, QString* error, Refusal* refusal,
                                                      const QString& reviewedSha256)
{
    if (!allowed(OperationKinds::Restore, target, error, refusal))
        return std::nullopt;
    RestoreRequest::Refusal why = RestoreRequest::Refusal::None;
    auto id = RestoreRequest::create(m_catalog, point, target, policyPath, error, &why, reviewedSha256);
    if (!id)
        return refuse<qint64>(why == RestoreRequest::Refusal::InvalidPolicy ? Refusal::InvalidPolicy
                                                                             : Refusal::NotAllowed,
                              refusal);
    return id;
}

std::optional<qint64> OperationService::createRestoreAtInstant(const Environment& source, const Environment& target,
                                                               const QDateTime& instant, const QString& policyPath,
                                                               QString* error, Refusal* refusal)
{
    if (!allowed(OperationKinds::Restore, target, error, refusal))
        return std::nullopt;
    RestoreRequest::Refusal why = RestoreRequest::Refusal::None;
    auto id = RestoreRequest::createAtInstant(m_catalog, source, target, instant, policyPath, error, &why);
    if (!id)
        return refuse<qint64>(why == RestoreRequest::Refusal::InvalidPolicy ? Refusal::InvalidPolicy
                                                                             : Refusal::NotAllowed,
                              refusal);
    return id;
}

std::optional<qint64> OperationService::createExport(const Environment& source, const QString& policyPath,
                                                     QString* error, Refusal* refusal)
{
    if (!allowed(OperationKinds::Export, source, error, refusal))
        return std::nullopt;
    bool invalidPolicy = false;
    auto id = ExportJob::create(m_catalog, source, policyPath, error, &invalidPolicy);
    if (!id)
        return refuse<qint64>(invalidPolicy ? Refusal::InvalidPolicy : Refusal::NotAllowed, refusal);
    return id;
}

std::optional<qint64> OperationService::createImport(const BackupStore::Backup& backup, const Environment& target,
                                                     QString* error, Refusal* refusal)
{
    if (!allowed(OperationKinds::Import, target, error, refusal))
        return std::nullopt;
    bool refused = false;
    auto id = ImportRequest::create(m_catalog, backup, target, error, &refused);
    if (!id)
        return refuse<qint64>(refused ? Refusal::NotAllowed : Refusal::Failed, refusal);
    return id;
}

std::optional<qint64> OperationService::createApply(const PackageAsset& asset, const Environment& target,
                                                    QString* error, Refusal* refusal)
{
    if (!allowed(OperationKinds::Apply, target, error, refusal))
        return std::nullopt;
    OperationStore store(m_catalog);
    auto id = ApplyJob::create(store, asset, target, error);
    if (!id)
        return refuse<qint64>(Refusal::NotAllowed, refusal);
    return id;
}

std::optional<qint64> OperationService::createReprovision(const Environment& target, qint64 afterRefresh,
                                                          QString* error, Refusal* refusal, bool* imported,
                                                          QString* title)
{
    if (imported)
        *imported = false;
    const OperationRules::Verdict v = OperationRules(m_kinds).canReprovision(
        target.id, target.hasCommerce(),
        OperationStore(m_catalog).listSummaries(target.id, true, OperationStore::HistoryPage), afterRefresh);
    if (!v.allowed) {
        *error = v.reason;
        return refuse<qint64>(Refusal::NotAllowed, refusal);
    }
    AssetLibrary library(m_catalog);
    auto asset = library.find(target.projectId, SharedLibrary::ReprovisioningTool, error);
    if (!asset) {
        auto builtIn = SharedLibrary(m_catalog.folder()).find(SharedLibrary::ReprovisioningTool, error);
        if (builtIn)
            asset = library.importFile(target.projectId, builtIn->path, error);
        if (!asset) {
            *error = QStringLiteral("the %1 cannot be imported: %2").arg(SharedLibrary::ReprovisioningTool, *error);
            return refuse<qint64>(Refusal::Failed, refusal);
        }
        if (imported)
            *imported = true;
    }
    if (title)
        *title = asset->title();
    return createApply(*asset, target, error, refusal);
}

bool OperationService::requestCancel(const OperationRecord& operation, QString* error)
{
    OperationStore store(m_catalog);
    if (const QString denied = TeamAccess(m_catalog).refusal(operation.projectId, operation.target,
                                                             TeamAccess::Right::Operate);
        !denied.isEmpty()) {
        *error = denied;
        return false;
    }
    const OperationRules::Verdict v =
        OperationRules(m_kinds).check(OperationRules::Action::Cancel, operation,
                                      store.listSummaries(operation.target, true, OperationStore::HistoryPage));
    if (!v.allowed || operation.state != OperationState::InProgress) {
        *error = v.allowed ? QStringLiteral("Operation %1 is not running.").arg(operation.id) : v.reason;
        return false;
    }
    if (!store.requestCancel(operation.id)) {
        *error = QStringLiteral("The catalog could not record the cancel of operation %1.").arg(operation.id);
        return false;
    }
    return true;
}
