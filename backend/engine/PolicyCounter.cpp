#include "engine/PolicyCounter.h"
#include "engine/SqliteSchema.h"

#include "policy/PolicySql.h"
#include "engine/SqliteStatement.h"
#include "policy/SchemaInfo.h"

#include <sqlite3.h>

qint64 PolicyCounter::RuleCount::total() const
{
    qint64 rows = 0;
    for (const TableCount& t : tables)
        rows += t.rows;
    return rows;
}

PolicyCounter::PolicyCounter(sqlite3* source, const QString& schema) : m_db(source), m_schema(schema) {}

bool PolicyCounter::count(const DataPolicy& policy, QList<RuleCount>* counts, QString* error,
                          const CancelCheck& cancelled) const
{
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (!m_db)
        return fail(QStringLiteral("no source database connection"));

    // One snapshot for every count, unless the caller already holds a transaction.
    const bool ownTransaction = sqlite3_get_autocommit(m_db) != 0;
    QString sqlError;
    if (ownTransaction && !SqliteStatement::exec(m_db, QStringLiteral("BEGIN DEFERRED"), &sqlError))
        return fail(QStringLiteral("cannot start a read transaction: ") + sqlError);
    auto finish = [this, ownTransaction](bool ok) {
        if (ownTransaction)
            SqliteStatement::exec(m_db, QStringLiteral("COMMIT"), nullptr);
        return ok;
    };

    const std::optional<SchemaInfo> schema = SqliteSchema::read(m_db, m_schema, &sqlError);
    if (!schema)
        return finish(fail(QStringLiteral("cannot read the source database's schema: ") + sqlError));
    if (!policy.validateAgainst(*schema, &sqlError))
        return finish(fail(QStringLiteral("the policy does not fit the source database:\n") + sqlError));

    const PolicySql sql(PolicySql::Dialect::Sqlite);
    QList<RuleCount> result;
    for (const PolicyRule& rule : policy.rules()) {
        RuleCount rc{rule.id, rule.title, rule.describe(), rule.action, rule.reason, {}};
        for (const QString& policyTable : rule.tables) {
            if (cancelled && cancelled())
                return finish(fail(QStringLiteral("cancelled while counting rule \"%1\"").arg(rule.id)));
            const QString table = schema->tableName(policyTable);
            auto resolved = [&](QList<PolicyRule::Condition> conditions) {
                for (PolicyRule::Condition& c : conditions)
                    c.column = schema->columnName(table, c.column);
                return conditions;
            };
            PolicyStatement statement;
            switch (rule.action) {
            case PolicyRule::Action::Exclude:
            case PolicyRule::Action::KeepTarget:
                statement = sql.countRows(m_schema, table, {});
                break;
            case PolicyRule::Action::Blank:
            case PolicyRule::Action::Set:
            case PolicyRule::Action::Mask:
                statement = sql.countRows(m_schema, table, resolved(rule.where), resolved(rule.except));
                break;
            case PolicyRule::Action::ResetAdmin:
                statement = sql.countRows(m_schema, table, resolved(rule.where));
                break;
            }
            SqliteStatement s(m_db, statement);
            if (!s.isValid() || s.step() != SQLITE_ROW)
                return finish(fail(
                    QStringLiteral("rule \"%1\": counting the rows of %2: %3").arg(rule.id, table, s.errorMessage())));
            rc.tables << TableCount{table, s.value(0).toLongLong()};
        }
        result << rc;
    }
    if (counts)
        *counts = result;
    return finish(true);
}
