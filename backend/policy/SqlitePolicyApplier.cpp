#include "policy/SqlitePolicyApplier.h"

#include "policy/PolicySql.h"
#include "policy/PolicySqliteStatement.h"
#include "policy/SchemaInfo.h"

#include <sqlite3.h>

namespace {

const QString MainSchema = QStringLiteral("main");
const QString Savepoint = QStringLiteral("SAVEPOINT dataalm_policy_rule");
const QString Release = QStringLiteral("RELEASE dataalm_policy_rule");
const QString Rollback = QStringLiteral("ROLLBACK TO dataalm_policy_rule; RELEASE dataalm_policy_rule");

// Why a rule stopped: a failure (with a message) or a cancel.
struct Stop
{
    bool cancelled = false;
    QString message;
};

// Runs the rules of one apply() call; holds what every rule needs.
class RuleRunner
{
public:
    RuleRunner(sqlite3* db, const SchemaInfo& staging, const std::optional<SchemaInfo>& target,
               const QString& targetSchema, const PolicyContext& context,
               const SqlitePolicyApplier::CancelCheck& cancelled)
        : m_db(db), m_staging(staging), m_target(target), m_targetSchema(targetSchema), m_context(context),
          m_cancelled(cancelled)
    {
    }

    // Applies `rule` into `result`; false with `stop` set when it failed or was cancelled.
    bool run(const PolicyRule& rule, PolicyReport::Rule& result, Stop& stop)
    {
        for (const QString& policyTable : rule.tables) {
            if (m_cancelled && m_cancelled()) {
                stop.cancelled = true;
                stop.message =
                    QStringLiteral("cancelled during rule \"%1\"; its changes were rolled back").arg(rule.id);
                return false;
            }
            const QString table = m_staging.tableName(policyTable);
            PolicyReport::Table t;
            t.table = table;
            bool ok = false;
            switch (rule.action) {
            case PolicyRule::Action::Exclude:
                ok = exec(m_sql.deleteAll(MainSchema, table), QStringLiteral("emptying ") + table, &t.deleted, stop);
                break;
            case PolicyRule::Action::KeepTarget:
                ok = keepTarget(table, t, stop);
                break;
            case PolicyRule::Action::Blank: {
                PolicySql::Assignments assignments;
                for (const QString& c : rule.columns)
                    assignments << qMakePair(m_staging.columnName(table, c), QVariant(QString(QLatin1String(""))));
                ok = exec(m_sql.update(MainSchema, table, assignments, resolved(table, rule.where),
                                       resolved(table, rule.except)),
                          QStringLiteral("blanking ") + table, &t.updated, stop);
                break;
            }
            case PolicyRule::Action::Set: {
                PolicySql::Assignments assignments;
                for (const PolicyRule::Assignment& a : rule.values) {
                    QVariant value = a.literal;
                    if (a.lookup && !resolveLookup(a, &value, stop))
                        return false;
                    assignments << qMakePair(m_staging.columnName(table, a.column), value);
                }
                ok = exec(m_sql.update(MainSchema, table, assignments, resolved(table, rule.where),
                                       resolved(table, rule.except)),
                          QStringLiteral("updating ") + table, &t.updated, stop);
                break;
            }
            case PolicyRule::Action::ResetAdmin:
                ok = resetAdmin(rule, table, t, stop);
                break;
            }
            if (!ok)
                return false;
            result.tables << t;
        }
        return true;
    }

private:
    // Runs a statement; `what` names it in an error ("updating USERINFO: <SQLite's message>").
    bool exec(const PolicyStatement& statement, const QString& what, qint64* changes, Stop& stop)
    {
        PolicySqliteStatement s(m_db, statement);
        if (!s.isValid() || !s.run()) {
            stop.message = what + QLatin1String(": ") + s.errorMessage();
            return false;
        }
        if (changes)
            *changes = sqlite3_changes64(m_db);
        return true;
    }

    QList<PolicyRule::Condition> resolved(const QString& table, QList<PolicyRule::Condition> conditions) const
    {
        for (PolicyRule::Condition& c : conditions)
            c.column = m_staging.columnName(table, c.column);
        return conditions;
    }

    bool keepTarget(const QString& table, PolicyReport::Table& t, Stop& stop)
    {
        if (!exec(m_sql.deleteAll(MainSchema, table), QStringLiteral("emptying ") + table, &t.deleted, stop))
            return false;
        if (!m_target || !m_target->hasTable(table)) {
            t.note = QStringLiteral("the target has no table %1: it arrives empty").arg(table);
            return true;
        }
        const QString targetTable = m_target->tableName(table);
        QStringList to;
        QStringList from;
        QStringList stagingOnly;
        for (const SchemaInfo::Column& c : m_staging.columns(table)) {
            if (c.generated)
                continue;
            const std::optional<SchemaInfo::Column> other = m_target->column(targetTable, c.name);
            if (other && !other->generated) {
                to << c.name;
                from << other->name;
            } else {
                stagingOnly << c.name;
            }
        }
        QStringList targetOnly;
        for (const SchemaInfo::Column& c : m_target->columns(targetTable)) {
            if (!c.generated && !m_staging.hasColumn(table, c.name))
                targetOnly << c.name;
        }
        QStringList notes;
        if (!stagingOnly.isEmpty())
            notes << QStringLiteral("columns the target lacks keep their defaults: %1")
                         .arg(stagingOnly.join(QLatin1String(", ")));
        if (!targetOnly.isEmpty())
            notes << QStringLiteral("target columns the source lacks are dropped: %1")
                         .arg(targetOnly.join(QLatin1String(", ")));
        t.note = notes.join(QLatin1String("; "));
        if (to.isEmpty()) {
            t.note = QStringLiteral("the target's table %1 has no column in common: it arrives empty").arg(table);
            return true;
        }
        return exec(m_sql.copyRows(m_targetSchema, targetTable, from, MainSchema, table, to),
                    QStringLiteral("copying the target's rows into ") + table, &t.inserted, stop);
    }

    bool resolveLookup(const PolicyRule::Assignment& a, QVariant* value, Stop& stop)
    {
        PolicyRule::Lookup lookup = *a.lookup;
        lookup.table = m_staging.tableName(lookup.table);
        lookup.column = m_staging.columnName(lookup.table, lookup.column);
        lookup.where = resolved(lookup.table, lookup.where);
        PolicySqliteStatement s(m_db, m_sql.lookup(MainSchema, lookup));
        const QString what = QStringLiteral("the %1 of the %2 row where %3 (the value of %4)")
                                 .arg(lookup.column, lookup.table, describeWhere(lookup.where), a.column);
        int rows = 0;
        int rc;
        while ((rc = s.step()) == SQLITE_ROW) {
            if (rows++ == 0)
                *value = s.value(0);
        }
        if (!s.isValid() || rc != SQLITE_DONE) {
            stop.message = QStringLiteral("reading %1: %2").arg(what, s.errorMessage());
            return false;
        }
        if (rows != 1) {
            stop.message = rows == 0 ? QStringLiteral("cannot find %1: no such row").arg(what)
                                     : QStringLiteral("cannot find %1: more than one row matches").arg(what);
            return false;
        }
        return true;
    }

    static QString describeWhere(const QList<PolicyRule::Condition>& where)
    {
        QStringList parts;
        for (const PolicyRule::Condition& c : where) {
            QStringList values;
            for (const QVariant& v : c.values)
                values << PolicyRule::displayValue(v);
            if (c.isList)
                parts << c.column + QLatin1String(" in (") + values.join(QLatin1String(", ")) + QLatin1Char(')');
            else
                parts << c.column + QLatin1String(" = ") + values.value(0);
        }
        return parts.join(QLatin1String(" and "));
    }

    bool resetAdmin(const PolicyRule& rule, const QString& table, PolicyReport::Table& t, Stop& stop)
    {
        if (m_context.administrator.isEmpty() || m_context.tenant.isEmpty()) {
            stop.message = QStringLiteral("the target environment's administrator and tenant are not known");
            return false;
        }
        const PolicySql::Assignments assignments{
            {m_staging.columnName(table, rule.adminColumns.enable), QVariant(qint64(1))},
            {m_staging.columnName(table, rule.adminColumns.administrator), QVariant(m_context.administrator)},
            {m_staging.columnName(table, rule.adminColumns.tenant), QVariant(m_context.tenant)}};
        const QList<PolicyRule::Condition> where = resolved(table, rule.where);
        if (!exec(m_sql.update(MainSchema, table, assignments, where), QStringLiteral("updating ") + table, &t.updated,
                  stop))
            return false;
        if (t.updated == 0) {
            stop.message = QStringLiteral("no %1 row where %2: the administrator cannot be reset")
                               .arg(table, describeWhere(where));
            return false;
        }
        return true;
    }

    sqlite3* m_db;
    const SchemaInfo& m_staging;
    const std::optional<SchemaInfo>& m_target;
    QString m_targetSchema;
    const PolicyContext& m_context;
    const SqlitePolicyApplier::CancelCheck& m_cancelled;
    PolicySql m_sql{PolicySql::Dialect::Sqlite};
};

} // namespace

SqlitePolicyApplier::SqlitePolicyApplier(sqlite3* staging, const QString& targetSchema)
    : m_db(staging), m_targetSchema(targetSchema)
{
}

PolicyReport SqlitePolicyApplier::apply(const DataPolicy& policy, const PolicyContext& context,
                                        const Progress& progress, const CancelCheck& cancelled) const
{
    PolicyReport report;
    auto fail = [&report](const QString& message, const QString& ruleId = {}) {
        report.status = PolicyReport::Status::Failed;
        report.error = message;
        report.failedRuleId = ruleId;
        return report;
    };
    if (!m_db)
        return fail(QStringLiteral("no staging database connection"));
    if (sqlite3_db_readonly(m_db, "main") != 0)
        return fail(QStringLiteral("the staging database is open read-only"));

    QString error;
    const std::optional<SchemaInfo> staging = SchemaInfo::read(m_db, MainSchema, &error);
    if (!staging)
        return fail(QStringLiteral("cannot read the staging database's schema: ") + error);
    if (!policy.validateAgainst(*staging, &error))
        return fail(QStringLiteral("the policy does not fit the staging database:\n") + error);

    std::optional<SchemaInfo> target;
    for (const PolicyRule& rule : policy.rules()) {
        if (rule.action != PolicyRule::Action::KeepTarget)
            continue;
        target = SchemaInfo::read(m_db, m_targetSchema, &error);
        if (!target)
            return fail(QStringLiteral("rule \"%1\" keeps the target's rows, but the target database cannot be "
                                       "read: %2")
                            .arg(rule.id, error),
                        rule.id);
        break;
    }

    RuleRunner runner(m_db, *staging, target, m_targetSchema, context, cancelled);
    const int total = int(policy.rules().size());
    for (int i = 0; i < total; ++i) {
        const PolicyRule& rule = policy.rules().at(i);
        if (cancelled && cancelled()) {
            report.status = PolicyReport::Status::Cancelled;
            report.error = QStringLiteral("cancelled before rule \"%1\"").arg(rule.id);
            return report;
        }
        if (progress)
            progress(i, total, rule.id);
        if (!PolicySqliteStatement::exec(m_db, Savepoint, &error))
            return fail(QStringLiteral("rule \"%1\": cannot start its transaction: %2").arg(rule.id, error), rule.id);
        PolicyReport::Rule result{rule.id, rule.title, rule.action, {}};
        Stop stop;
        if (!runner.run(rule, result, stop)) {
            QString rollbackError;
            const bool rolledBack = PolicySqliteStatement::exec(m_db, Rollback, &rollbackError);
            if (stop.cancelled) {
                report.status = PolicyReport::Status::Cancelled;
                report.error = stop.message;
                return report;
            }
            QString message = QStringLiteral("rule \"%1\": %2").arg(rule.id, stop.message);
            if (!rolledBack)
                message += QStringLiteral(" (and its changes could not be rolled back: %1)").arg(rollbackError);
            return fail(message, rule.id);
        }
        if (!PolicySqliteStatement::exec(m_db, Release, &error)) {
            PolicySqliteStatement::exec(m_db, Rollback, nullptr);
            return fail(QStringLiteral("rule \"%1\": cannot commit: %2").arg(rule.id, error), rule.id);
        }
        report.rules << result;
    }
    if (progress)
        progress(total, total, QString());
    return report;
}
