#include "refresh/RefreshRunbook.h"

namespace RefreshRunbook {

QStringList stepNames()
{
    return {
        QStringLiteral("Validate"),
        QStringLiteral("Prepare staging database"),
        QStringLiteral("Copy transactional database"),
        QStringLiteral("Copy financial reporting database"),
        QStringLiteral("Apply data policy"),
        QStringLiteral("Keep environment-specific records"),
        QStringLiteral("Reset environment administrator"),
        QStringLiteral("Verify staging database"),
        QStringLiteral("Swap into target"),
        QStringLiteral("Follow-ups"),
    };
}

QStringList commerceFollowUps()
{
    return {
        QStringLiteral("Run the Environment reprovisioning tool (Maintain > Apply updates)"),
        QStringLiteral("Initialize or redeploy the Commerce Scale Units, then run a full data sync"),
        QStringLiteral("Re-apply the deployable package with the self-service installers"),
        QStringLiteral("Reactivate the POS devices"),
    };
}

} // namespace RefreshRunbook
