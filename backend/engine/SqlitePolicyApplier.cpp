#include "engine/SqlitePolicyApplier.h"
#include "engine/SqliteMaskFunction.h"
#include "engine/SqliteSchema.h"

#include "engine/SqliteStatement.h"
#include "policy/PolicyStatement.h"

#include <sqlite3.h>

namespace {

const QString MainSchema = QStringLiteral("main");
const QString Savepoint = QStringLiteral("SAVEPOINT dataalm_policy_rule");
const QString Release = QStringLiteral("RELEASE dataalm_policy_rule");
const QString Rollback = QStringLiteral("ROLLBACK TO dataalm_policy_rule; RELEASE dataalm_policy_rule");

} // namespace

SqlitePolicyApplier::SqlitePolicyApplier(sqlite3* staging, const QString& targetSchema)
    : PolicyApplier(PolicySql::Dialect::Sqlite, MainSchema), m_db(staging), m_targetSchema(targetSchema)
{
}

bool SqlitePolicyApplier::checkStaging(QString* error) const
{
    if (!m_db) {
        *error = QStringLiteral("no staging database connection");
        return false;
    }
    if (sqlite3_db_readonly(m_db, "main") != 0) {
        *error = QStringLiteral("the staging database is open read-only");
        return false;
    }
    return true;
}

std::optional<SchemaInfo> SqlitePolicyApplier::readStagingSchema(QString* error) const
{
    return SqliteSchema::read(m_db, MainSchema, error);
}

std::optional<SchemaInfo> SqlitePolicyApplier::openTarget(QString* error) const
{
    return SqliteSchema::read(m_db, m_targetSchema, error);
}

bool SqlitePolicyApplier::prepareMasking(const QString& secret, QString* error) const
{
    return SqliteMaskFunction::install(m_db, secret, error);
}

bool SqlitePolicyApplier::beginRule(QString* error) const
{
    return SqliteStatement::exec(m_db, Savepoint, error);
}

bool SqlitePolicyApplier::commitRule(QString* error) const
{
    return SqliteStatement::exec(m_db, Release, error);
}

bool SqlitePolicyApplier::rollbackRule(QString* error) const
{
    return SqliteStatement::exec(m_db, Rollback, error);
}

std::optional<QStringList> SqlitePolicyApplier::suspendTriggers(const QString& table, QString* error) const
{
    // SQLite cannot turn a trigger off: it is dropped and created again from its own
    // statement, both inside the rule's savepoint. Names compare as SQLite's do (ASCII case).
    m_droppedTriggers.clear();
    QStringList names;
    {
        SqliteStatement s(m_db, PolicyStatement{QStringLiteral("SELECT name, sql FROM main.sqlite_master WHERE type = "
                                                               "'trigger' AND tbl_name = ?1 COLLATE NOCASE ORDER BY rowid"),
                                                {table}});
        int rc;
        while ((rc = s.step()) == SQLITE_ROW) {
            names << s.value(0).toString();
            m_droppedTriggers << s.value(1).toString();
        }
        if (!s.isValid() || rc != SQLITE_DONE) {
            *error = s.errorMessage();
            return std::nullopt;
        }
    }
    for (const QString& name : std::as_const(names)) {
        if (execute(PolicyStatement{QStringLiteral("DROP TRIGGER main.") + PolicySql::quoteIdentifier(name), {}},
                    error) < 0)
            return std::nullopt;
    }
    return names;
}

bool SqlitePolicyApplier::restoreTriggers(QString* error) const
{
    for (const QString& create : std::as_const(m_droppedTriggers)) {
        if (execute(PolicyStatement{create, {}}, error) < 0)
            return false;
    }
    m_droppedTriggers.clear();
    return true;
}

qint64 SqlitePolicyApplier::execute(const PolicyStatement& statement, QString* error) const
{
    SqliteStatement s(m_db, statement);
    if (!s.isValid() || !s.run()) {
        *error = s.errorMessage();
        return -1;
    }
    return sqlite3_changes64(m_db);
}

qint64 SqlitePolicyApplier::lookup(const PolicyStatement& statement, QVariant* first, QString* error) const
{
    SqliteStatement s(m_db, statement);
    qint64 rows = 0;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        if (rows++ == 0)
            *first = s.value(0);
    }
    if (!s.isValid() || rc != SQLITE_DONE) {
        *error = s.errorMessage();
        return -1;
    }
    return rows;
}

qint64 SqlitePolicyApplier::copyTargetRows(const QString& targetTable, const QStringList& targetColumns,
                                           const QString& table, const QStringList& columns, bool, QString* error) const
{
    return execute(sql().copyRows(m_targetSchema, targetTable, targetColumns, MainSchema, table, columns), error);
}
