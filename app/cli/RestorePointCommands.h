#pragma once

#include "CliContext.h"

class OperationCommands;

// The CLI's restore point commands: `restorepoint list|create|delete` and `restore`
// (Point-in-time restore, and production to sandbox). They use the same backend
// objects as the console (RestorePointService, OperationService), and `restore` runs
// on the same OperationHost as every operation (OperationCommands::drive).
class RestorePointCommands
{
public:
    RestorePointCommands(CliContext& context, OperationCommands& operations);
    int restorePoint();
    int restore();

private:
    int list();
    int create();
    int remove();

    CliContext& m_ctx;
    OperationCommands& m_operations;
};
