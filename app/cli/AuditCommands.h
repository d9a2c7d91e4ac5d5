#pragma once

#include "CliContext.h"

// `dataalm audit [--since ISO] [--env ENV] [--json|--csv]`: the catalog's audit
// (AuditLog), oldest first.
class AuditCommands
{
public:
    explicit AuditCommands(CliContext& context);

    int run();

private:
    CliContext& m_ctx;
};
