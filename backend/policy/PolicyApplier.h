#pragma once

#include "policy/DataPolicy.h"
#include "policy/PolicyContext.h"
#include "policy/PolicyReport.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <functional>
#include <optional>

struct PolicyStatement;

// What every engine's policy applier shares: the rule loop, the validation against
// the staging schema, the PolicyReport, progress and cancel. The engine supplies the
// hooks below (its transaction or savepoint per rule, running one statement, reading
// a lookup value, copying the target's rows); SqlitePolicyApplier and
// PostgresPolicyApplier state the promises.
//
// Promises of apply(), whatever the engine:
// - Nothing is touched unless checkStaging() passes, the staging schema can be read
//   and the policy is valid against it, and, if a rule keeps target rows, the target
//   schema can be read (openTarget()).
// - Rules run in the policy's order, each between beginRule() and commitRule(); a
//   failing or cancelled rule is rolled back (rollbackRule()), earlier rules stay.
// - The staging tables' own triggers do not fire: a rule's statements on a table run with
//   its triggers off (suspendTriggers()), turned back on as they were in the same
//   transaction. What a rule changes is what the policy says: an audit trigger does not
//   copy the values it hides into another table, a trigger does not queue work or refuse
//   the change. (A trigger-maintained copy of a column is not refreshed either: the leak
//   scan finds it, and a rule of its own hides it.) The report names the triggers.
// - Errors name the rule and carry the engine's message.
// - `cancelled` is asked before each rule and between the tables of a rule; a cancel
//   rolls back the rule in progress. `progress` gets (rule index, rule count, rule id)
//   before each rule and (count, count, "") at the end.
// - closeTarget() is called once when apply() returns, however it returns.
class PolicyApplier
{
public:
    using Progress = std::function<void(int done, int total, const QString& ruleId)>;
    using CancelCheck = std::function<bool()>;

    virtual ~PolicyApplier() = default;

    PolicyReport apply(const DataPolicy& policy, const PolicyContext& context, const Progress& progress = {},
                       const CancelCheck& cancelled = {}) const;

protected:
    // `stagingSchema` qualifies the staging tables in the statements PolicySql builds
    // ("main" for SQLite, empty for the search path).
    PolicyApplier(PolicySql::Dialect dialect, const QString& stagingSchema);
    PolicyApplier(const PolicyApplier&) = default;
    PolicyApplier& operator=(const PolicyApplier&) = default;

    // False with `error` set when the staging connection cannot be written at all.
    virtual bool checkStaging(QString* error) const = 0;
    virtual std::optional<SchemaInfo> readStagingSchema(QString* error) const = 0;
    // Makes the target readable (a keep-target rule runs) and reads its schema.
    virtual std::optional<SchemaInfo> openTarget(QString* error) const = 0;
    virtual void closeTarget() const {}

    // Makes the connection able to mask with `secret` (SQLite: registers dataalm_mask;
    // PostgreSQL: creates the pg_temp functions). Called once, before the first rule, when
    // the policy has a mask rule.
    virtual bool prepareMasking(const QString& secret, QString* error) const = 0;

    // One rule's transaction or savepoint.
    virtual bool beginRule(QString* error) const = 0;
    virtual bool commitRule(QString* error) const = 0;
    virtual bool rollbackRule(QString* error) const = 0;

    // Turns off, until restoreTriggers(), the triggers that would fire on `table` (and on
    // the tables its statements reach), inside the rule's transaction, so that a rollback or
    // a crash leaves them as they were: the names of those it turned off, or nullopt with
    // `error`. restoreTriggers() turns them back on as they were, before the rule commits.
    virtual std::optional<QStringList> suspendTriggers(const QString& table, QString* error) const = 0;
    virtual bool restoreTriggers(QString* error) const = 0;

    // Runs a statement on the staging database: the rows it changed, or -1 with `error`.
    virtual qint64 execute(const PolicyStatement& statement, QString* error) const = 0;
    // Runs a lookup query: how many rows it returned (the first row's first column in
    // `first`), or -1 with `error`.
    virtual qint64 lookup(const PolicyStatement& statement, QVariant* first, QString* error) const = 0;
    // Copies the target table's `targetColumns` into the (already emptied) staging table's
    // `columns` (same order, unquoted names): the rows copied, or -1 with `error`. With
    // `only`, the target table's own rows, not its inheritance children's.
    virtual qint64 copyTargetRows(const QString& targetTable, const QStringList& targetColumns, const QString& table,
                                  const QStringList& columns, bool only, QString* error) const = 0;

    const PolicySql& sql() const { return m_sql; }
    const QString& stagingSchema() const { return m_stagingSchema; }

private:
    class Run;

    PolicySql m_sql;
    QString m_stagingSchema;
};
