#pragma once

#include "CliContext.h"

// `dataalm approve ID [--reason TEXT]` and `dataalm reject ID --reason TEXT`: a second
// Project owner's decision on a request that awaits approval (ApprovalService; the
// catalog server enforces it). Exit 5 with the sentence when the rules, the role or the
// four-eyes rule refuse; 4 for an unknown operation.
class ApprovalCommands
{
public:
    explicit ApprovalCommands(CliContext& context);

    int approve();
    int reject();

private:
    int decide(bool approve);

    CliContext& m_ctx;
};
