#pragma once

#include "CliContext.h"

#include <QString>
#include <functional>

// The CLI's project commands: `project list`, `project show P` (its environments and
// the rules of the data policy its refreshes apply), and `project policy P FILE` /
// `project policy P --default` (ProjectPolicies). Arguments are checked before the
// catalog is opened.
class ProjectCommands
{
public:
    // `openCatalog` opens the catalog `context` refers to (false with a message).
    ProjectCommands(CliContext& context, std::function<bool(QString*)> openCatalog);

    int run();

private:
    int list();
    int show();
    int policy();
    // project review P TABLE COLUMN / project mask P TABLE COLUMN --as KIND
    int classify(bool mask);
    // How long the project keeps restore points (RestorePointStore::retentionDays).
    int retention();
    // The least notice a request must give, and the time zone its windows are read in
    // (RequestService).
    int requestSettings(bool notice);
    // project webhook add|remove|list PROJECT [URL]: where its notifications go.
    int webhook();
    bool open(int* exitCode);

    CliContext& m_ctx;
    std::function<bool(QString*)> m_openCatalog;
};
