#pragma once

#include "policy/DataPolicy.h"
#include "policy/PolicyContext.h"
#include "policy/PolicyReport.h"

#include <QString>
#include <functional>

struct sqlite3;

// Applies a data policy to a SQLite staging database: the "Apply data policy",
// "Keep environment-specific records" and "Reset environment administrator" steps
// of the refresh runbook, on a connection the caller opened (read-write) with the
// pre-refresh target database attached under `targetSchema` ("target").
//
// Promises:
// - Nothing is touched unless the policy is valid against the staging schema (every
//   table and column exists) and, if a rule keeps target rows, the target is attached.
// - Rules run in the policy's order, each in its own savepoint: a rule is applied
//   whole or not at all, also inside a transaction the caller holds.
// - keep-target: the staging table's rows are deleted and the target's rows copied in,
//   column by column for the columns both tables have (by name, as SQLite compares
//   names); a table the target lacks arrives empty, and the report says so.
// - Values are bound, never spliced into SQL. Errors name the rule and carry SQLite's
//   message; the failing rule is rolled back, earlier rules stay applied.
// - `cancelled` is asked before each rule and between the tables of a rule; a cancel
//   rolls back the rule in progress. `progress` gets (rule index, rule count, rule id)
//   before each rule and (count, count, "") at the end.
// - No global state and no QtSql: the object and the connection belong to the calling
//   thread (typically the refresh runner's worker); several appliers on different
//   connections may run at once.
class SqlitePolicyApplier
{
public:
    using Progress = std::function<void(int done, int total, const QString& ruleId)>;
    using CancelCheck = std::function<bool()>;

    static inline const QString DefaultTargetSchema = QStringLiteral("target");

    explicit SqlitePolicyApplier(sqlite3* staging, const QString& targetSchema = DefaultTargetSchema);

    PolicyReport apply(const DataPolicy& policy, const PolicyContext& context, const Progress& progress = {},
                       const CancelCheck& cancelled = {}) const;

private:
    sqlite3* m_db;
    QString m_targetSchema;
};
