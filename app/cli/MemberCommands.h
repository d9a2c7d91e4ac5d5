#pragma once

#include "CliContext.h"

// `dataalm member add|remove|list`: a team catalog's project roles and agents
// (MemberStore); the server decides who may change them.
class MemberCommands
{
public:
    explicit MemberCommands(CliContext& context);

    int run();

private:
    int add();
    int remove();
    int list();

    CliContext& m_ctx;
};
