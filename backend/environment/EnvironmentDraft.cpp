#include "environment/EnvironmentDraft.h"

#include "environment/DatabaseUrl.h"

bool EnvironmentDraft::isEmpty() const
{
    return !project && !name && !type && !tenant && !admin && !application && !platform && !financialReporting &&
           !commerce && databases.isEmpty();
}

EnvironmentDraft EnvironmentDraft::fromEnvironment(const Environment& e)
{
    EnvironmentDraft d;
    d.id = e.id;
    d.project = e.projectId;
    d.name = e.name;
    d.type = environmentTypeId(e.type);
    d.tenant = e.tenant;
    d.admin = e.admin;
    d.application = e.versions.application;
    d.platform = QString::number(e.versions.platform);
    d.financialReporting = e.versions.financialReporting.isEmpty() ? None : e.versions.financialReporting;
    d.commerce = e.versions.commerce.isEmpty() ? None : e.versions.commerce;
    for (const DatabaseRef& db : e.databases)
        d.databases.insert(db.role, DatabaseUrl::format(db));
    return d;
}
