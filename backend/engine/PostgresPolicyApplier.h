#pragma once

#include "environment/DatabaseRef.h"
#include "policy/DataPolicy.h"
#include "policy/PolicyContext.h"
#include "policy/PolicyReport.h"
#include "policy/SchemaInfo.h"

#include <QString>
#include <functional>
#include <optional>

class PostgresConnection;

// Applies a data policy to a PostgreSQL staging database: the PostgreSQL twin of
// SqlitePolicyApplier, with the statements PolicySql builds for Dialect::Postgres.
//
// Promises (the same as SqlitePolicyApplier's):
// - Nothing is touched unless the policy is valid against the staging schema.
// - Rules run in the policy's order, each in its own transaction: a rule is applied
//   whole or not at all; earlier rules stay applied when a later one fails.
// - keep-target: the staging table's rows are deleted and the target's rows streamed
//   in (COPY out of the target database, COPY into the staging one, the columns both
//   tables have, matched by name): no dblink, no extension, constant memory. A table
//   the target lacks arrives empty, and the report says so.
// - Values are bound ($1..$n), never spliced. Errors name the rule and carry the
//   server's message. `cancelled` is asked before each rule and between tables.
// - The object and its connections belong to the calling thread.
class PostgresPolicyApplier
{
public:
    using Progress = std::function<void(int done, int total, const QString& ruleId)>;
    using CancelCheck = std::function<bool()>;

    // `staging` is open on the staging database; `target` names the pre-refresh
    // target, opened (read-only) only when a keep-target rule runs.
    PostgresPolicyApplier(PostgresConnection& staging, const DatabaseRef& target);

    PolicyReport apply(const DataPolicy& policy, const PolicyContext& context, const Progress& progress = {},
                       const CancelCheck& cancelled = {}) const;

    // Reads the tables and columns visible on the connection's search path.
    static std::optional<SchemaInfo> readSchema(PostgresConnection& db, QString* error);
    // Streams the rows of `query` (a COPY ... TO STDOUT on `from`) into `into` (a
    // COPY ... FROM STDIN on `to`); the rows written, or -1 with `error` set.
    static qint64 pipeCopy(PostgresConnection& from, const QString& copyOut, PostgresConnection& to,
                           const QString& copyIn, QString* error);

private:
    PostgresConnection& m_db;
    DatabaseRef m_target;
};
