#pragma once

#include "environment/Environment.h"
#include "operation/OperationRecord.h"
#include "policy/PolicyCoverage.h"
#include "preflight/CheckResult.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <functional>
#include <optional>

class DataPolicy;
class DatabaseEngine;

// The refresh's preflight (docs/ARCHITECTURE.md "Preflight checks"): every check with its
// stable id, a verdict and a sentence a person can act on, plus, per data policy
// rule, how many source rows it will touch.
//
// Promises: reads the environments' databases read-only and writes nothing,
// anywhere; opens its own connections, so it runs on any thread (the console runs
// it on a worker, never on the GUI thread).
class Preflight
{
public:
    struct Input
    {
        Environment source;
        Environment target;
        // The target's unfinished operation, if any (OperationStore::blockingOperation).
        std::optional<OperationRecord> blocking;
        // The target's operations that keep a restore point (OperationStore::keepingRestorePoints).
        QList<OperationRecord> keeping;
        const DataPolicy* policy = nullptr;
        bool countRows = true;
        // A point-in-time restore: `source` is the restore point's environment as it was
        // (RestorePoint::asSource); it may be the target itself, a dev/test target is
        // allowed, and the Financial Reporting database is left as it is.
        bool restoring = false;
        // The source's columns at the target's last refresh (OperationStore::lastSourceColumns):
        // the policy-coverage check names the columns that are new since.
        QSet<QString> previousColumns;
    };

    struct RuleCount
    {
        QString ruleId;
        QString title;
        QString reason;
        QString action;
        QStringList tables;
        qint64 rows = -1; // -1: could not be counted
    };

    struct Result
    {
        QList<CheckResult> checks;
        QList<RuleCount> counts;
        // What the policy covers of the source, column by column (the policy-coverage check).
        std::optional<PolicyCoverage> coverage;

        bool blocked() const;
        QList<CheckResult> failures() const;
        QJsonObject toJson() const;
    };

    using CheckReported = std::function<void(const CheckResult&)>;

    // Runs every check; `reported` is called as each verdict is known.
    static Result run(const Input& input, const CheckReported& reported = {});
    // Ids in the order they run.
    static QStringList checkIds();
    // The checks that need only the two environments' records (nothing opened): same
    // tenant, releases, versions, a sandbox target. What the source page marks with.
    static QList<CheckResult> environmentChecks(const Environment& source, const Environment& target,
                                               bool restoring = false);

private:
    static void countRows(DatabaseEngine& engine, const DatabaseRef& source, const DataPolicy& policy,
                          QList<RuleCount>& counts);
};
