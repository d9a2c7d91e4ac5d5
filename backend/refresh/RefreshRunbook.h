#pragma once

#include <QStringList>

// The steps of a database refresh (docs/ARCHITECTURE.md "Refresh database runbook"), in order.
namespace RefreshRunbook {

enum Step {
    Validate = 1,
    PrepareStaging,
    CopyTransactional,
    CopyFinancialReporting,
    ApplyDataPolicy,
    KeepEnvironmentRecords,
    ResetAdministrator,
    VerifyStaging,
    SwapIntoTarget,
    FollowUps,
};

QStringList stepNames();
// The post-refresh tasks of a Commerce environment (step 10).
QStringList commerceFollowUps();

} // namespace RefreshRunbook
