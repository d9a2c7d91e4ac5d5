#pragma once

#include "CliContext.h"

// `dataalm agent [--once]` and `dataalm agents`: the agent runs in this process on
// the backend's Agent (the same OperationHost and runner as every other command) until
// SIGTERM or SIGINT, which cancels a running operation before its point of no return.
class AgentCommands
{
public:
    explicit AgentCommands(CliContext& context);

    int agent();
    int agents();

private:
    CliContext& m_ctx;
};
