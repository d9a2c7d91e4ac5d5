#pragma once

#include "environment/Environment.h"

// What the demo generator will create for one environment: the catalog entry (with
// its database files) and how big its transactional database should be.
struct DemoEnvironmentPlan
{
    Environment environment;
    int ordinal = 0;               // 0..4: keeps each environment's session numbers apart
    int aosCount = 1;              // application servers named in the environment-specific tables
    qint64 transactionalBytes = 0; // size the transactional database aims at
};
