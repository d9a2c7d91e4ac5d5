#include "policy/PolicyApplier.h"

#include "policy/PolicyStatement.h"

#include <algorithm>

namespace {

// Why a rule stopped: a failure (with a message) or a cancel.
struct Stop
{
    bool cancelled = false;
    QString message;
};

QString describeWhere(const QList<PolicyRule::Condition>& where)
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

} // namespace

// Runs the rules of one apply() call; holds what every rule needs.
class PolicyApplier::Run
{
public:
    Run(const PolicyApplier& applier, const SchemaInfo& staging, const std::optional<SchemaInfo>& target,
        const PolicyContext& context, const CancelCheck& cancelled)
        : m_applier(applier), m_staging(staging), m_target(target), m_context(context), m_cancelled(cancelled),
          m_sql(applier.sql()), m_schema(applier.stagingSchema())
    {
    }

    // Applies `rule` into `result`; false with `stop` set when it failed or was cancelled.
    bool rule(const PolicyRule& rule, PolicyReport::Rule& result, Stop& stop)
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
            // A statement on a partitioned table or an inheritance parent reaches its whole family.
            t.reached = m_staging.members(table);
            QList<PolicyReport::Table> children; // keep-target: an inheritance parent's children, each copied
            QString error;
            const std::optional<QStringList> off = m_applier.suspendTriggers(table, &error);
            if (!off) {
                stop.message = QStringLiteral("turning off the triggers of %1: %2").arg(table, error);
                return false;
            }
            t.triggersOff = *off;
            bool ok = false;
            switch (rule.action) {
            case PolicyRule::Action::Exclude:
                ok = exec(m_sql.deleteAll(m_schema, table), QStringLiteral("emptying ") + table, &t.deleted, stop);
                break;
            case PolicyRule::Action::KeepTarget:
                ok = keepTarget(table, t, children, stop);
                break;
            case PolicyRule::Action::Blank: {
                PolicySql::Assignments assignments;
                for (const QString& c : rule.columns)
                    assignments << qMakePair(m_staging.columnName(table, c), QVariant(QString(QLatin1String(""))));
                ok = exec(m_sql.update(m_schema, table, assignments, resolved(table, rule.where),
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
                ok = exec(m_sql.update(m_schema, table, assignments, resolved(table, rule.where),
                                       resolved(table, rule.except)),
                          QStringLiteral("updating ") + table, &t.updated, stop);
                break;
            }
            case PolicyRule::Action::ResetAdmin:
                ok = resetAdmin(rule, table, t, stop);
                break;
            case PolicyRule::Action::Mask: {
                if (m_context.maskSecret.isEmpty()) {
                    stop.message = QStringLiteral("the project's masking secret is not known, so nothing can be masked");
                    return false;
                }
                QList<QPair<QString, QString>> masks;
                // Integer columns (PostgreSQL) are masked in bigint arithmetic, several times faster
                // than numeric, and within what their type holds; numeric ones within their scale.
                QMap<QString, PolicySql::NumberColumn> numbers;
                for (int i = 0; i < rule.columns.size(); ++i) {
                    masks << qMakePair(m_staging.columnName(table, rule.columns.at(i)), rule.maskKinds.value(i));
                    if (const auto c = m_staging.column(table, rule.columns.at(i)))
                        numbers.insert(masks.last().first, PolicySql::NumberColumn{SchemaInfo::integerMaximum(c->type),
                                                                                   SchemaInfo::numericScale(c->type)});
                }
                ok = exec(m_sql.mask(m_schema, table, masks, m_context.maskSecret, resolved(table, rule.where),
                                     resolved(table, rule.except), numbers),
                          QStringLiteral("masking ") + table, &t.updated, stop);
                const bool unique = stop.message.contains(QLatin1String("UNIQUE"), Qt::CaseInsensitive) ||
                                    stop.message.contains(QLatin1String("duplicate key"));
                if (!ok && unique)
                    stop.message += QStringLiteral(" (different values can share a pseudonym as name, first-name or "
                                                   "last-name; mask a unique column as email or text)");
                else if (!ok && stop.message.contains(QLatin1String("foreign key constraint"), Qt::CaseInsensitive))
                    stop.message += QStringLiteral(" (a foreign key links this column to another table's, and the "
                                                   "database checks it when each rule ends, before the other table is "
                                                   "masked: mask a column no foreign key uses)");
                break;
            }
            }
            if (!ok)
                return false;
            if (!t.triggersOff.isEmpty() && !m_applier.restoreTriggers(&error)) {
                stop.message = QStringLiteral("turning the triggers of %1 back on: %2").arg(table, error);
                return false;
            }
            result.tables << t << children;
        }
        return true;
    }

private:
    // Runs a statement; `what` names it in an error ("updating USERINFO: <the engine's message>").
    bool exec(const PolicyStatement& statement, const QString& what, qint64* changes, Stop& stop)
    {
        QString error;
        const qint64 n = m_applier.execute(statement, &error);
        if (n < 0) {
            stop.message = what + QLatin1String(": ") + error;
            return false;
        }
        if (changes)
            *changes = n;
        return true;
    }

    QList<PolicyRule::Condition> resolved(const QString& table, QList<PolicyRule::Condition> conditions) const
    {
        for (PolicyRule::Condition& c : conditions)
            c.column = m_staging.columnName(table, c.column);
        return conditions;
    }

    // Empties `table` (its whole family) and copies the target's rows in. A partitioned
    // table takes the target table's rows through itself (PostgreSQL routes each to its
    // partition); an inheritance parent and each of its children take the target's
    // same-named table's own rows (ONLY), so that no row changes table.
    bool keepTarget(const QString& table, PolicyReport::Table& t, QList<PolicyReport::Table>& children, Stop& stop)
    {
        if (!exec(m_sql.deleteAll(m_schema, table), QStringLiteral("emptying ") + table, &t.deleted, stop))
            return false;
        const bool inheritance = !t.reached.isEmpty() && !m_staging.isPartitioned(table);
        if (!copyFromTarget(table, inheritance, t, stop))
            return false;
        if (!inheritance)
            return true;
        for (const QString& member : std::as_const(t.reached)) {
            PolicyReport::Table c;
            c.table = member;
            c.note = QStringLiteral("a child of %1").arg(table);
            if (!m_staging.hasTable(member))
                c.note += QStringLiteral(", outside the search path: it arrives empty");
            else if (!copyFromTarget(member, true, c, stop))
                return false;
            children << c;
        }
        return true;
    }

    bool copyFromTarget(const QString& table, bool only, PolicyReport::Table& t, Stop& stop)
    {
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
        if (!t.note.isEmpty())
            notes << t.note;
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
        QString error;
        const qint64 n = m_applier.copyTargetRows(targetTable, from, table, to, only, &error);
        if (n < 0) {
            stop.message = QStringLiteral("copying the target's rows into %1: %2").arg(table, error);
            return false;
        }
        t.inserted = n;
        return true;
    }

    bool resolveLookup(const PolicyRule::Assignment& a, QVariant* value, Stop& stop)
    {
        PolicyRule::Lookup lookup = *a.lookup;
        lookup.table = m_staging.tableName(lookup.table);
        lookup.column = m_staging.columnName(lookup.table, lookup.column);
        lookup.where = resolved(lookup.table, lookup.where);
        const QString what = QStringLiteral("the %1 of the %2 row where %3 (the value of %4)")
                                 .arg(lookup.column, lookup.table, describeWhere(lookup.where), a.column);
        QString error;
        QVariant first;
        const qint64 rows = m_applier.lookup(m_sql.lookup(m_schema, lookup), &first, &error);
        if (rows < 0) {
            stop.message = QStringLiteral("reading %1: %2").arg(what, error);
            return false;
        }
        if (rows != 1) {
            stop.message = rows == 0 ? QStringLiteral("cannot find %1: no such row").arg(what)
                                     : QStringLiteral("cannot find %1: more than one row matches").arg(what);
            return false;
        }
        *value = first;
        return true;
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
        if (!exec(m_sql.update(m_schema, table, assignments, where), QStringLiteral("updating ") + table, &t.updated,
                  stop))
            return false;
        if (t.updated == 0) {
            stop.message = QStringLiteral("no %1 row where %2: the administrator cannot be reset")
                               .arg(table, describeWhere(where));
            return false;
        }
        return true;
    }

    const PolicyApplier& m_applier;
    const SchemaInfo& m_staging;
    const std::optional<SchemaInfo>& m_target;
    const PolicyContext& m_context;
    const CancelCheck& m_cancelled;
    const PolicySql& m_sql;
    const QString& m_schema;
};

PolicyApplier::PolicyApplier(PolicySql::Dialect dialect, const QString& stagingSchema)
    : m_sql(dialect), m_stagingSchema(stagingSchema)
{
}

PolicyReport PolicyApplier::apply(const DataPolicy& policy, const PolicyContext& context, const Progress& progress,
                                  const CancelCheck& cancelled) const
{
    // The target stays open for the whole call and is closed however it returns.
    struct TargetCloser
    {
        const PolicyApplier& applier;
        ~TargetCloser() { applier.closeTarget(); }
    } targetCloser{*this};

    PolicyReport report;
    auto fail = [&report](const QString& message, const QString& ruleId = {}) {
        report.status = PolicyReport::Status::Failed;
        report.error = message;
        report.failedRuleId = ruleId;
        return report;
    };
    QString error;
    if (!checkStaging(&error))
        return fail(error);
    const std::optional<SchemaInfo> staging = readStagingSchema(&error);
    if (!staging)
        return fail(QStringLiteral("cannot read the staging database's schema: ") + error);
    if (!policy.validateAgainst(*staging, &error))
        return fail(QStringLiteral("the policy does not fit the staging database:\n") + error);

    std::optional<SchemaInfo> target;
    for (const PolicyRule& rule : policy.rules()) {
        if (rule.action != PolicyRule::Action::KeepTarget)
            continue;
        target = openTarget(&error);
        if (!target)
            return fail(QStringLiteral("rule \"%1\" keeps the target's rows, but the target database cannot be "
                                       "read: %2")
                            .arg(rule.id, error),
                        rule.id);
        break;
    }

    if (policy.hasAction(PolicyRule::Action::Mask) && !context.maskSecret.isEmpty() &&
        !prepareMasking(context.maskSecret, &error))
        return fail(QStringLiteral("cannot prepare masking: ") + error);

    Run run(*this, *staging, target, context, cancelled);
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
        if (!beginRule(&error))
            return fail(QStringLiteral("rule \"%1\": cannot start its transaction: %2").arg(rule.id, error), rule.id);
        PolicyReport::Rule result{rule.id, rule.title, rule.action, {}};
        Stop stop;
        if (!run.rule(rule, result, stop)) {
            QString rollbackError;
            const bool rolledBack = rollbackRule(&rollbackError);
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
        if (!commitRule(&error)) {
            rollbackRule(nullptr);
            return fail(QStringLiteral("rule \"%1\": cannot commit: %2").arg(rule.id, error), rule.id);
        }
        report.rules << result;
    }
    if (progress)
        progress(total, total, QString());
    return report;
}
