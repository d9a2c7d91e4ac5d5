#include "refresh/RefreshRequest.h"

#include "operation/OperationKinds.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "policy/DataPolicy.h"
#include "refresh/RefreshJob.h"
#include "refresh/RefreshRunbook.h"

#include <QFileInfo>

QString RefreshRequest::policyPathFor(const Catalog& catalog, const Environment& target, const QString& explicitPath)
{
    if (!explicitPath.isEmpty())
        return QFileInfo(explicitPath).absoluteFilePath();
    if (auto project = catalog.project(target.projectId))
        return project->policyPath;
    return {};
}

std::optional<qint64> RefreshRequest::create(Catalog& catalog, const Environment& source, const Environment& target,
                                             const QString& policyPath, QString* error, Refusal* refusal)
{
    auto refuse = [&](Refusal why) {
        if (refusal)
            *refusal = why;
        return std::nullopt;
    };
    if (refusal)
        *refusal = Refusal::None;
    if (!RefreshJob::loadPolicy(policyPath, error))
        return refuse(Refusal::InvalidPolicy);
    OperationStore store(catalog);
    auto id = store.create(OperationKinds::Refresh, target.projectId, source.id, target.id,
                           RefreshRunbook::stepNames(), RefreshJob::makeParams(source, target, policyPath), error);
    if (!id)
        return refuse(Refusal::TargetBusy);
    return id;
}
