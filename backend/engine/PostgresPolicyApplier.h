#pragma once

#include "environment/DatabaseRef.h"
#include "policy/PolicyApplier.h"
#include "policy/SchemaInfo.h"

#include <QString>
#include <memory>
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
// The rule loop, report, progress and cancel are PolicyApplier's; this class runs the
// statements on PostgreSQL. The target connection lives for one apply() call only.
class PostgresPolicyApplier : public PolicyApplier
{
public:
    // `staging` is open on the staging database; `target` names the pre-refresh
    // target, opened (read-only) only when a keep-target rule runs.
    PostgresPolicyApplier(PostgresConnection& staging, const DatabaseRef& target);
    // A copy shares the staging connection, never the target one of a call in progress.
    PostgresPolicyApplier(const PostgresPolicyApplier& other);
    PostgresPolicyApplier& operator=(const PostgresPolicyApplier&) = delete;
    ~PostgresPolicyApplier() override;

    // Reads the tables and columns visible on the connection's search path.
    static std::optional<SchemaInfo> readSchema(PostgresConnection& db, QString* error);
    // Streams the rows of `query` (a COPY ... TO STDOUT on `from`) into `into` (a
    // COPY ... FROM STDIN on `to`); the rows written, or -1 with `error` set.
    static qint64 pipeCopy(PostgresConnection& from, const QString& copyOut, PostgresConnection& to,
                           const QString& copyIn, QString* error);

protected:
    bool checkStaging(QString* error) const override;
    std::optional<SchemaInfo> readStagingSchema(QString* error) const override;
    std::optional<SchemaInfo> openTarget(QString* error) const override;
    void closeTarget() const override;
    bool prepareMasking(const QString& secret, QString* error) const override;
    bool beginRule(QString* error) const override;
    bool commitRule(QString* error) const override;
    bool rollbackRule(QString* error) const override;
    std::optional<QStringList> suspendTriggers(const QString& table, QString* error) const override;
    bool restoreTriggers(QString* error) const override;
    qint64 execute(const PolicyStatement& statement, QString* error) const override;
    qint64 lookup(const PolicyStatement& statement, QVariant* first, QString* error) const override;
    qint64 copyTargetRows(const QString& targetTable, const QStringList& targetColumns, const QString& table,
                          const QStringList& columns, bool only, QString* error) const override;

private:
    PostgresConnection& m_db;
    DatabaseRef m_target;
    // Open (read-only, one snapshot) from openTarget() to closeTarget() of one apply().
    mutable std::unique_ptr<PostgresConnection> m_targetConnection;
    // The ALTER TABLE ... ENABLE statements that turn back on what suspendTriggers() turned off.
    mutable QStringList m_enableTriggers;
};
