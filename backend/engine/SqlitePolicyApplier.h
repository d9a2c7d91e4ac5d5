#pragma once

#include "policy/PolicyApplier.h"

#include <QString>

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
// The rule loop, report, progress and cancel are PolicyApplier's; this class runs the
// statements on SQLite.
class SqlitePolicyApplier : public PolicyApplier
{
public:
    static inline const QString DefaultTargetSchema = QStringLiteral("target");

    explicit SqlitePolicyApplier(sqlite3* staging, const QString& targetSchema = DefaultTargetSchema);

protected:
    bool checkStaging(QString* error) const override;
    std::optional<SchemaInfo> readStagingSchema(QString* error) const override;
    std::optional<SchemaInfo> openTarget(QString* error) const override;
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
    sqlite3* m_db;
    QString m_targetSchema;
    // The CREATE TRIGGER statements suspendTriggers() dropped, in their order, for restoreTriggers().
    mutable QStringList m_droppedTriggers;
};
