#pragma once

#include "CliContext.h"

class OperationCommands;

// The CLI's Export database and Import database commands and the asset library's
// database backups: `export`, `import`, `backup list|download|upload`. `export` and
// `import` create their operation with OperationService and run it on the same
// OperationHost as every operation (OperationCommands::drive).
class BackupCommands
{
public:
    BackupCommands(CliContext& context, OperationCommands& operations);
    int exportDatabase();
    int importDatabase();
    int backup();

private:
    int list();
    int download();
    int upload();
    // The project a backup command acts on: --project, else the only project.
    bool project(QString* id, int* exitCode);

    CliContext& m_ctx;
    OperationCommands& m_operations;
};
