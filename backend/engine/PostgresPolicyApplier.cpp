#include "engine/PostgresPolicyApplier.h"

#include "policy/Masker.h"
#include "engine/PostgresConnection.h"
#include "policy/PolicySql.h"

#include <libpq-fe.h>

namespace {

// Tables of the default schema: policy statements name them unqualified.
const QString NoSchema;

QString resultMessage(PGconn* conn, PGresult* res)
{
    const char* m = res ? PQresultErrorMessage(res) : nullptr;
    if (!m || !*m)
        m = PQerrorMessage(conn);
    return QString::fromUtf8(m).trimmed();
}

} // namespace

PostgresPolicyApplier::PostgresPolicyApplier(PostgresConnection& staging, const DatabaseRef& target)
    : PolicyApplier(PolicySql::Dialect::Postgres, NoSchema), m_db(staging), m_target(target)
{
}

PostgresPolicyApplier::PostgresPolicyApplier(const PostgresPolicyApplier& other)
    : PolicyApplier(other), m_db(other.m_db), m_target(other.m_target)
{
}

PostgresPolicyApplier::~PostgresPolicyApplier() = default;

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
    SchemaInfo info(SchemaInfo::Names::Exact); // "USERINFO" and userinfo are two tables here
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
    // Families: what a statement on a partitioned table or an inheritance parent also
    // reaches (named as row counts name tables), at every depth.
    QList<PostgresConnection::Row> families;
    if (!db.query(QStringLiteral(
                      "WITH RECURSIVE tree(root, rel) AS (SELECT inhparent, inhrelid FROM pg_inherits "
                      "UNION SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.rel) "
                      "SELECT p.relname, p.relkind = 'p', CASE WHEN pg_table_is_visible(c.oid) THEN c.relname::text "
                      "ELSE n.nspname || '.' || c.relname END, c.relkind = 'r' "
                      "FROM tree JOIN pg_class p ON p.oid = tree.root JOIN pg_class c ON c.oid = tree.rel "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE p.relkind IN ('r', 'p') AND pg_table_is_visible(p.oid) ORDER BY p.oid, c.oid"),
                  &families, error))
        return std::nullopt;
    QString parent;
    bool partitioned = false;
    QStringList members;
    for (int i = 0; i <= families.size(); ++i) {
        const bool next = i == families.size() || families.at(i).at(0).toString() != parent;
        if (next && !parent.isEmpty())
            info.setFamily(parent, partitioned, members);
        if (i == families.size())
            break;
        const auto& f = families.at(i);
        if (next) {
            parent = f.at(0).toString();
            partitioned = f.at(1).toBool();
            members.clear();
        }
        if (f.at(3).toBool()) // a partitioned child holds no rows: its own partitions are listed
            members << f.at(2).toString();
    }
    QList<PostgresConnection::Row> views;
    if (!db.query(QStringLiteral("SELECT c.relname FROM pg_class c WHERE c.relkind IN ('v', 'm') AND "
                                 "pg_table_is_visible(c.oid) AND c.relnamespace <> 'pg_catalog'::regnamespace"),
                  &views, error))
        return std::nullopt;
    for (const auto& v : std::as_const(views))
        info.addView(v.at(0).toString());
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

bool PostgresPolicyApplier::checkStaging(QString* error) const
{
    if (!m_db.isOpen()) {
        *error = QStringLiteral("no staging database connection");
        return false;
    }
    return true;
}

std::optional<SchemaInfo> PostgresPolicyApplier::readStagingSchema(QString* error) const
{
    return readSchema(m_db, error);
}

std::optional<SchemaInfo> PostgresPolicyApplier::openTarget(QString* error) const
{
    m_targetConnection = std::make_unique<PostgresConnection>();
    if (!m_targetConnection->open(m_target, error) ||
        !m_targetConnection->exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), error))
        return std::nullopt;
    return readSchema(*m_targetConnection, error);
}

void PostgresPolicyApplier::closeTarget() const
{
    m_targetConnection.reset();
}

bool PostgresPolicyApplier::prepareMasking(const QString& /*secret: bound with each statement*/, QString* error) const
{
    // The functions live in this session's temporary schema and end with it.
    for (const QString& statement : Masker::postgresFunctions()) {
        if (!m_db.exec(statement, error))
            return false;
    }
    return true;
}

bool PostgresPolicyApplier::beginRule(QString* error) const
{
    return m_db.exec(QStringLiteral("BEGIN"), error);
}

bool PostgresPolicyApplier::commitRule(QString* error) const
{
    return m_db.exec(QStringLiteral("COMMIT"), error);
}

bool PostgresPolicyApplier::rollbackRule(QString* error) const
{
    return m_db.exec(QStringLiteral("ROLLBACK"), error);
}

std::optional<QStringList> PostgresPolicyApplier::suspendTriggers(const QString& table, QString* error) const
{
    // The triggers that fire here (enabled, or ALWAYS; a REPLICA one does not) on the table
    // and every table it reaches (a partition has its own copy of a partitioned table's
    // trigger), each turned off by name: ALTER TABLE is transactional, and the rule's
    // transaction takes it back if it fails. Foreign keys' triggers are internal: they stay.
    m_enableTriggers.clear();
    QList<PostgresConnection::Row> rows;
    if (!m_db.query(QStringLiteral("WITH RECURSIVE family(oid, depth) AS (SELECT to_regclass($1), 0 UNION ALL "
                                   "SELECT i.inhrelid, f.depth + 1 FROM pg_inherits i JOIN family f ON i.inhparent = "
                                   "f.oid) SELECT t.tgrelid::regclass::text, quote_ident(t.tgname), t.tgenabled, "
                                   "CASE WHEN f.depth = 0 THEN t.tgname ELSE t.tgrelid::regclass::text || '.' || "
                                   "t.tgname END FROM family f JOIN pg_trigger t ON t.tgrelid = f.oid WHERE NOT "
                                   "t.tgisinternal AND t.tgenabled IN ('O', 'A') ORDER BY f.depth, t.tgrelid, t.tgname"),
                    &rows, error, {PolicySql::quoteIdentifier(table)}))
        return std::nullopt;
    QStringList names;
    for (const auto& r : std::as_const(rows)) {
        const QString on = QStringLiteral("ALTER TABLE ONLY %1 ").arg(r.at(0).toString());
        if (!m_db.exec(on + QStringLiteral("DISABLE TRIGGER ") + r.at(1).toString(), error))
            return std::nullopt;
        m_enableTriggers << on + (r.at(2).toString() == QLatin1String("A") ? QStringLiteral("ENABLE ALWAYS TRIGGER ")
                                                                           : QStringLiteral("ENABLE TRIGGER ")) +
                                r.at(1).toString();
        names << r.at(3).toString();
    }
    return names;
}

bool PostgresPolicyApplier::restoreTriggers(QString* error) const
{
    for (const QString& enable : std::as_const(m_enableTriggers)) {
        if (!m_db.exec(enable, error))
            return false;
    }
    m_enableTriggers.clear();
    return true;
}

qint64 PostgresPolicyApplier::execute(const PolicyStatement& statement, QString* error) const
{
    return m_db.execCount(statement.sql, error, statement.bindings);
}

qint64 PostgresPolicyApplier::lookup(const PolicyStatement& statement, QVariant* first, QString* error) const
{
    QList<PostgresConnection::Row> rows;
    if (!m_db.query(statement.sql, &rows, error, statement.bindings))
        return -1;
    if (!rows.isEmpty())
        *first = rows.first().value(0);
    return rows.size();
}

qint64 PostgresPolicyApplier::copyTargetRows(const QString& targetTable, const QStringList& targetColumns,
                                             const QString& table, const QStringList& columns, bool only,
                                             QString* error) const
{
    if (!m_targetConnection || !m_targetConnection->isOpen()) {
        *error = QStringLiteral("the target database is not open");
        return -1;
    }
    QStringList from;
    for (const QString& c : targetColumns)
        from << PolicySql::quoteIdentifier(c);
    QStringList to;
    for (const QString& c : columns)
        to << PolicySql::quoteIdentifier(c);
    return pipeCopy(*m_targetConnection,
                    QStringLiteral("COPY (SELECT %1 FROM %2%3) TO STDOUT")
                        .arg(from.join(QLatin1String(", ")), only ? QStringLiteral("ONLY ") : QString(),
                             PolicySql::tableRef(NoSchema, targetTable)),
                    m_db,
                    QStringLiteral("COPY %1 (%2) FROM STDIN")
                        .arg(PolicySql::tableRef(NoSchema, table), to.join(QLatin1String(", "))),
                    error);
}
