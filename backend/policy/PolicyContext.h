#pragma once

#include <QString>

// What a policy needs to know beyond the databases: the values a reset-admin rule writes
// on the target's administrator's row, and the project's masking secret a mask rule
// derives its pseudonyms from (ProjectSecrets). A value type.
struct PolicyContext
{
    QString administrator; // e.g. admin@contoso.onmicrosoft.com
    QString tenant;        // e.g. contoso.onmicrosoft.com
    QString maskSecret;    // 64 hex characters; empty when the policy has no mask rule
};
