#pragma once

#include "environment/Environment.h"

#include <QJsonObject>
#include <QString>
#include <optional>

class Catalog;

// Creating a Refresh database operation, exactly as the CLI's `refresh` and the
// console's Move database wizard both do it: the data policy is resolved (an explicit
// file, else the project's policy, else the built-in default), loaded and checked,
// and the operation is created NotStarted with the runbook's steps and the
// parameters RefreshJob needs. Running it is the OperationRunner's job.
//
// Promises: nothing is written when the policy is invalid or when the target already
// has an unfinished operation (OperationStore::create refuses it atomically); the
// caller learns which of the two it was.
class RefreshRequest
{
public:
    enum class Refusal
    {
        None,
        InvalidPolicy, // the policy file cannot be read or is not a valid policy
        TargetBusy,    // the store refused: the target has an unfinished operation, or the catalog failed
    };

    // The policy file a refresh of `target` applies: `explicitPath` made absolute, else
    // the target project's policy, else empty (the built-in default policy).
    static QString policyPathFor(const Catalog& catalog, const Environment& target, const QString& explicitPath = {});

    // Checks the policy at `policyPath` and creates the operation; its id, or nullopt
    // with `error` (and `refusal`) saying why. With `reviewedSha256` (hex), the policy
    // must still be the one the user reviewed: a file changed since is refused.
    static std::optional<qint64> create(Catalog& catalog, const Environment& source, const Environment& target,
                                        const QString& policyPath, QString* error, Refusal* refusal = nullptr,
                                        const QString& reviewedSha256 = {});
    // What create() does for any kind whose job is RefreshJob (a restore is a refresh
    // whose source is a restore point): the policy's bytes (`policyBytes`; read from
    // `policyPath` when null) are checked, recorded with the operation, and `extra` is
    // merged into its params.
    static std::optional<qint64> createOfKind(const QString& kind, Catalog& catalog, const Environment& source,
                                              const Environment& target, const QString& policyPath,
                                              const QByteArray* policyBytes, const QJsonObject& extra,
                                              QString* error, Refusal* refusal = nullptr,
                                              const QString& reviewedSha256 = {});
    // The SHA-256 (hex) of the policy a refresh would apply now; empty with `error` when it cannot be read.
    static QString policySha256(const QString& policyPath, QString* error);
};
