#pragma once

#include <QString>

// What a policy needs to know about the refresh's target environment: the values
// a reset-admin rule writes on the administrator's row. A value type.
struct PolicyContext
{
    QString administrator; // e.g. admin@contoso.onmicrosoft.com
    QString tenant;        // e.g. contoso.onmicrosoft.com
};
