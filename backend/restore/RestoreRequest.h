#pragma once

#include "environment/Environment.h"
#include "environment/RestorePoint.h"
#include "refresh/RefreshRequest.h"

#include <optional>

class Catalog;

// Creating a Point-in-time restore operation (kind `restore`), as the CLI's `restore`
// and the console's Move database wizard both do it. A restore is a refresh whose
// source is a restore point (RefreshJob runs it: staging, copy, policy, verify, swap,
// rollback and sign-off as a refresh): only the transactional database is restored,
// the Financial Reporting database is left as it is (LCS's rule), and
// - into its own environment (a sandbox or dev/test environment back to one of its
//   restore points) no data policy applies: it is the environment's own data;
// - production's restore point into a sandbox ("Point-in-time restore production to
//   sandbox") applies the project's data policy, as a refresh from the past.
//
// Promises: nothing is written when the rules refuse (OperationRules::restoreRefusal),
// the policy is invalid, or the target has an unfinished operation.
class RestoreRequest
{
public:
    enum class Refusal
    {
        None,
        NotAllowed,    // the rules refuse this restore point for this target
        InvalidPolicy, // the policy file cannot be read or is not valid
        TargetBusy,    // the target has an unfinished operation, or the catalog failed
    };

    // The policy a restore of `point` into `target` applies: none (empty) into its own
    // environment, else as a refresh (`explicitPath`, the project's, the default).
    static bool appliesPolicy(const RestorePoint& point, const Environment& target);

    static std::optional<qint64> create(Catalog& catalog, const RestorePoint& point, const Environment& target,
                                        const QString& explicitPolicyPath, QString* error,
                                        Refusal* refusal = nullptr, const QString& reviewedSha256 = {});
    // True point-in-time restore: `target` as `source` (itself, or production into a
    // sandbox) was at `instant`, from the pgBackRest stanza that archives `source`'s
    // server (Catalog::pitrSource). Refused when the stanza is not set up, or the instant
    // is outside its window, with the sentence that says so.
    static std::optional<qint64> createAtInstant(Catalog& catalog, const Environment& source, const Environment& target,
                                                 const QDateTime& instant, const QString& explicitPolicyPath,
                                                 QString* error, Refusal* refusal = nullptr);
    // Why `source` at `instant` cannot go into `target`, empty when it can (reads the stanza's window).
    static QString instantRefusal(const Catalog& catalog, const Environment& source, const Environment& target,
                                  const QDateTime& instant);
};
