#include "engine/PostgresPolicyApplier.h"

#include "engine/PostgresConnection.h"
#include "policy/PolicySql.h"

#include <libpq-fe.h>

namespace {

// Tables of the default schema: policy statements name them unqualified.
const QString NoSchema;

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

QString resultMessage(PGconn* conn, PGresult* res)
{
    const char* m = res ? PQresultErrorMessage(res) : nullptr;
    if (!m || !*m)
        m = PQerrorMessage(conn);
    return QString::fromUtf8(m).trimmed();
}

class RuleRunner
{
public:
    RuleRunner(PostgresConnection& db, const SchemaInfo& staging, PostgresConnection* target,
               const std::optional<SchemaInfo>& targetSchema, const PolicyContext& context,
               const PostgresPolicyApplier::CancelCheck& cancelled)
        : m_db(db), m_staging(staging), m_target(target), m_targetSchema(targetSchema), m_context(context),
          m_cancelled(cancelled)
    {
    }

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
                ok = exec(m_sql.deleteAll(NoSchema, table), QStringLiteral("emptying ") + table, &t.deleted, stop);
                break;
            case PolicyRule::Action::KeepTarget:
                ok = keepTarget(table, t, stop);
                break;
            case PolicyRule::Action::Blank: {
                PolicySql::Assignments assignments;
                for (const QString& c : rule.columns)
                    assignments << qMakePair(m_staging.columnName(table, c), QVariant(QString(QLatin1String(""))));
                ok = exec(m_sql.update(NoSchema, table, assignments, resolved(table, rule.where),
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
                ok = exec(m_sql.update(NoSchema, table, assignments, resolved(table, rule.where),
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
    bool exec(const PolicyStatement& statement, const QString& what, qint64* changes, Stop& stop)
    {
        QString e;
        const qint64 n = m_db.execCount(statement.sql, &e, statement.bindings);
        if (n < 0) {
            stop.message = what + QLatin1String(": ") + e;
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

    bool keepTarget(const QString& table, PolicyReport::Table& t, Stop& stop)
    {
        if (!exec(m_sql.deleteAll(NoSchema, table), QStringLiteral("emptying ") + table, &t.deleted, stop))
            return false;
        if (!m_target || !m_targetSchema || !m_targetSchema->hasTable(table)) {
            t.note = QStringLiteral("the target has no table %1: it arrives empty").arg(table);
            return true;
        }
        const QString targetTable = m_targetSchema->tableName(table);
        QStringList to;
        QStringList from;
        QStringList stagingOnly;
        for (const SchemaInfo::Column& c : m_staging.columns(table)) {
            if (c.generated)
                continue;
            const std::optional<SchemaInfo::Column> other = m_targetSchema->column(targetTable, c.name);
            if (other && !other->generated) {
                to << PolicySql::quoteIdentifier(c.name);
                from << PolicySql::quoteIdentifier(other->name);
            } else {
                stagingOnly << c.name;
            }
        }
        QStringList targetOnly;
        for (const SchemaInfo::Column& c : m_targetSchema->columns(targetTable)) {
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
        QString e;
        const qint64 n = PostgresPolicyApplier::pipeCopy(
            *m_target,
            QStringLiteral("COPY (SELECT %1 FROM %2) TO STDOUT")
                .arg(from.join(QLatin1String(", ")), PolicySql::tableRef(NoSchema, targetTable)),
            m_db,
            QStringLiteral("COPY %1 (%2) FROM STDIN").arg(PolicySql::tableRef(NoSchema, table), to.join(QLatin1String(", "))),
            &e);
        if (n < 0) {
            stop.message = QStringLiteral("copying the target's rows into %1: %2").arg(table, e);
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
        const PolicyStatement s = m_sql.lookup(NoSchema, lookup);
        const QString what = QStringLiteral("the %1 of the %2 row where %3 (the value of %4)")
                                 .arg(lookup.column, lookup.table, describeWhere(lookup.where), a.column);
        QList<PostgresConnection::Row> rows;
        QString e;
        if (!m_db.query(s.sql, &rows, &e, s.bindings)) {
            stop.message = QStringLiteral("reading %1: %2").arg(what, e);
            return false;
        }
        if (rows.size() != 1) {
            stop.message = rows.isEmpty() ? QStringLiteral("cannot find %1: no such row").arg(what)
                                          : QStringLiteral("cannot find %1: more than one row matches").arg(what);
            return false;
        }
        *value = rows.first().value(0);
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
        if (!exec(m_sql.update(NoSchema, table, assignments, where), QStringLiteral("updating ") + table, &t.updated,
                  stop))
            return false;
        if (t.updated == 0) {
            stop.message = QStringLiteral("no %1 row where %2: the administrator cannot be reset")
                               .arg(table, describeWhere(where));
            return false;
        }
        return true;
    }

    PostgresConnection& m_db;
    const SchemaInfo& m_staging;
    PostgresConnection* m_target;
    const std::optional<SchemaInfo>& m_targetSchema;
    const PolicyContext& m_context;
    const PostgresPolicyApplier::CancelCheck& m_cancelled;
    PolicySql m_sql{PolicySql::Dialect::Postgres};
};

} // namespace

PostgresPolicyApplier::PostgresPolicyApplier(PostgresConnection& staging, const DatabaseRef& target)
    : m_db(staging), m_target(target)
{
}

std::optional<SchemaInfo> PostgresPolicyApplier::readSchema(PostgresConnection& db, QString* error)
{
    QList<PostgresConnection::Row> rows;
    if (!db.query(QStringLiteral(
                      "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                      "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = "
                      "ANY (i.indkey)), a.attgenerated <> '' "
                      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                      "WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
                      "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                      "ORDER BY c.oid, a.attnum"),
                  &rows, error))
        return std::nullopt;
    SchemaInfo info;
    QString current;
    QList<SchemaInfo::Column> columns;
    for (const auto& r : std::as_const(rows)) {
        const QString table = r.at(0).toString();
        if (table != current && !current.isEmpty()) {
            info.addTable(current, columns);
            columns.clear();
        }
        current = table;
        SchemaInfo::Column c;
        c.name = r.at(1).toString();
        c.type = r.at(2).toString();
        c.notNull = r.at(3).toBool();
        c.primaryKey = r.at(4).toBool();
        c.generated = r.at(5).toBool();
        columns << c;
    }
    if (!current.isEmpty())
        info.addTable(current, columns);
    return info;
}

qint64 PostgresPolicyApplier::pipeCopy(PostgresConnection& from, const QString& copyOut, PostgresConnection& to,
                                       const QString& copyIn, QString* error)
{
    PGconn* src = from.handle();
    PGconn* dst = to.handle();
    PGresult* r = PQexec(dst, copyIn.toUtf8().constData());
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        *error = resultMessage(dst, r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    r = PQexec(src, copyOut.toUtf8().constData());
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        *error = resultMessage(src, r);
        PQclear(r);
        PQputCopyEnd(dst, "the source failed");
        while (PGresult* x = PQgetResult(dst))
            PQclear(x);
        return -1;
    }
    PQclear(r);
    QString failure;
    while (true) {
        char* buffer = nullptr;
        const int n = PQgetCopyData(src, &buffer, 0);
        if (n == -1)
            break;
        if (n < 0) {
            failure = resultMessage(src, nullptr);
            break;
        }
        const int put = PQputCopyData(dst, buffer, n);
        PQfreemem(buffer);
        if (put != 1) {
            failure = resultMessage(dst, nullptr);
            break;
        }
    }
    while (PGresult* x = PQgetResult(src)) {
        if (failure.isEmpty() && PQresultStatus(x) != PGRES_COMMAND_OK)
            failure = resultMessage(src, x);
        PQclear(x);
    }
    PQputCopyEnd(dst, failure.isEmpty() ? nullptr : failure.toUtf8().constData());
    qint64 rows = -1;
    while (PGresult* x = PQgetResult(dst)) {
        if (PQresultStatus(x) == PGRES_COMMAND_OK)
            rows = QByteArray(PQcmdTuples(x)).toLongLong();
        else if (failure.isEmpty())
            failure = resultMessage(dst, x);
        PQclear(x);
    }
    if (!failure.isEmpty()) {
        *error = failure;
        return -1;
    }
    return rows;
}

PolicyReport PostgresPolicyApplier::apply(const DataPolicy& policy, const PolicyContext& context,
                                          const Progress& progress, const CancelCheck& cancelled) const
{
    PolicyReport report;
    auto fail = [&report](const QString& message, const QString& ruleId = {}) {
        report.status = PolicyReport::Status::Failed;
        report.error = message;
        report.failedRuleId = ruleId;
        return report;
    };
    if (!m_db.isOpen())
        return fail(QStringLiteral("no staging database connection"));
    QString error;
    const std::optional<SchemaInfo> staging = readSchema(m_db, &error);
    if (!staging)
        return fail(QStringLiteral("cannot read the staging database's schema: ") + error);
    if (!policy.validateAgainst(*staging, &error))
        return fail(QStringLiteral("the policy does not fit the staging database:\n") + error);

    PostgresConnection target;
    std::optional<SchemaInfo> targetSchema;
    for (const PolicyRule& rule : policy.rules()) {
        if (rule.action != PolicyRule::Action::KeepTarget)
            continue;
        if (target.open(m_target, &error) &&
            target.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), &error))
            targetSchema = readSchema(target, &error);
        if (!targetSchema)
            return fail(QStringLiteral("rule \"%1\" keeps the target's rows, but the target database cannot be "
                                       "read: %2")
                            .arg(rule.id, error),
                        rule.id);
        break;
    }

    RuleRunner runner(m_db, *staging, target.isOpen() ? &target : nullptr, targetSchema, context, cancelled);
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
        if (!m_db.exec(QStringLiteral("BEGIN"), &error))
            return fail(QStringLiteral("rule \"%1\": cannot start its transaction: %2").arg(rule.id, error), rule.id);
        PolicyReport::Rule result{rule.id, rule.title, rule.action, {}};
        Stop stop;
        if (!runner.run(rule, result, stop)) {
            QString rollbackError;
            const bool rolledBack = m_db.exec(QStringLiteral("ROLLBACK"), &rollbackError);
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
        if (!m_db.exec(QStringLiteral("COMMIT"), &error)) {
            m_db.exec(QStringLiteral("ROLLBACK"), nullptr);
            return fail(QStringLiteral("rule \"%1\": cannot commit: %2").arg(rule.id, error), rule.id);
        }
        report.rules << result;
    }
    if (progress)
        progress(total, total, QString());
    return report;
}
