#pragma once

#include <QString>

// An LCS project: a named group of environments sharing a data policy and an
// asset library. `policyPath` is empty for the built-in default policy.
struct Project
{
    QString id;
    QString name;
    QString policyPath;
};
