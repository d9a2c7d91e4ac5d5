#include "demo/DemoPostgresLoader.h"

#include "engine/PostgresConnection.h"
#include "engine/SqliteConnection.h"

#include <libpq-fe.h>
#include <sqlite3.h>

namespace {

QString q(const QString& identifier)
{
    return PostgresConnection::quote(identifier);
}

QString postgresType(const QString& sqliteType)
{
    const QString t = sqliteType.toUpper();
    if (t.contains(QLatin1String("INT")))
        return QStringLiteral("bigint");
    if (t.contains(QLatin1String("REAL")) || t.contains(QLatin1String("FLOA")) || t.contains(QLatin1String("DOUB")))
        return QStringLiteral("double precision");
    if (t.contains(QLatin1String("BLOB")))
        return QStringLiteral("bytea");
    return QStringLiteral("text");
}

// PostgreSQL's spelling of the demo's views and triggers (SQLite's cannot be reused:
// unquoted names fold to lower case there, and triggers are functions).
const char* const ViewsAndTriggers[] = {
    "CREATE VIEW \"SALESORDERTOTALS\" AS SELECT s.\"DATAAREAID\", s.\"SALESID\", s.\"CUSTACCOUNT\", s.\"CURRENCY\", "
    "COUNT(l.\"RECID\") AS \"LINECOUNT\", COALESCE(SUM(l.\"LINEAMOUNT\"), 0) AS \"TOTALAMOUNT\" FROM \"SALESTABLE\" s "
    "LEFT JOIN \"SALESLINE\" l ON l.\"DATAAREAID\" = s.\"DATAAREAID\" AND l.\"SALESID\" = s.\"SALESID\" "
    "GROUP BY s.\"RECID\"",
    "CREATE VIEW \"GENERALJOURNALBALANCE\" AS SELECT a.\"LEDGERACCOUNT\", SUM(a.\"ACCOUNTINGCURRENCYAMOUNT\") AS "
    "\"BALANCE\", COUNT(*) AS \"ENTRIES\" FROM \"GENERALJOURNALACCOUNTENTRY\" a GROUP BY a.\"LEDGERACCOUNT\"",
    "CREATE FUNCTION \"SETMODIFIEDDATETIME\"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.\"MODIFIEDDATETIME\" := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'); RETURN NEW; "
    "END $$",
    "CREATE TRIGGER \"SALESTABLE_MODIFIEDDATETIME\" BEFORE UPDATE ON \"SALESTABLE\" FOR EACH ROW WHEN "
    "(NEW.\"MODIFIEDDATETIME\" IS NOT DISTINCT FROM OLD.\"MODIFIEDDATETIME\") EXECUTE FUNCTION "
    "\"SETMODIFIEDDATETIME\"()",
    "CREATE TRIGGER \"SALESLINE_MODIFIEDDATETIME\" BEFORE UPDATE ON \"SALESLINE\" FOR EACH ROW WHEN "
    "(NEW.\"MODIFIEDDATETIME\" IS NOT DISTINCT FROM OLD.\"MODIFIEDDATETIME\") EXECUTE FUNCTION "
    "\"SETMODIFIEDDATETIME\"()",
    "COMMENT ON TABLE \"USERINFO\" IS 'Users of the environment; Admin is reset to the environment administrator "
    "after a refresh'",
    "COMMENT ON TABLE \"SYSSERVERCONFIG\" IS 'Application servers of this environment (kept by a refresh)'",
};

// Appends one value in COPY's text format.
void appendValue(QByteArray& line, sqlite3_stmt* stmt, int column)
{
    switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
        line += "\\N";
        return;
    case SQLITE_INTEGER:
        line += QByteArray::number(qint64(sqlite3_column_int64(stmt, column)));
        return;
    case SQLITE_FLOAT:
        line += QByteArray::number(sqlite3_column_double(stmt, column), 'g', 17);
        return;
    case SQLITE_BLOB: {
        const QByteArray blob(static_cast<const char*>(sqlite3_column_blob(stmt, column)),
                              sqlite3_column_bytes(stmt, column));
        line += "\\\\x";
        line += blob.toHex();
        return;
    }
    default: {
        const char* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
        const int n = sqlite3_column_bytes(stmt, column);
        for (int i = 0; i < n; ++i) {
            const char c = text[i];
            switch (c) {
            case '\\':
                line += "\\\\";
                break;
            case '\t':
                line += "\\t";
                break;
            case '\n':
                line += "\\n";
                break;
            case '\r':
                line += "\\r";
                break;
            default:
                line += c;
            }
        }
    }
    }
}

struct Column
{
    QString name;
    QString type;
    bool notNull = false;
    int pk = 0;
};

} // namespace

bool DemoPostgresLoader::load(const QString& sqlitePath, const DatabaseRef& target, QString* error,
                              const Progress& progress)
{
    SqliteConnection src;
    QString e;
    if (!src.open(sqlitePath, SqliteConnection::ReadOnly, &e)) {
        *error = e;
        return false;
    }
    {
        PostgresConnection server;
        if (!server.openMaintenance(target, &e) ||
            !server.exec(QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING 'UTF8'").arg(q(target.name)),
                         &e)) {
            *error = QStringLiteral("cannot create the database %1: %2").arg(target.location(), e);
            return false;
        }
    }
    PostgresConnection db;
    if (!db.open(target, &e) || !db.exec(QStringLiteral("SET synchronous_commit = off"), &e)) {
        *error = QStringLiteral("%1: %2").arg(target.location(), e);
        return false;
    }

    // Tables in creation order, with their primary keys and unique constraints.
    QStringList tables;
    {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(src.handle(),
                           "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                           "ESCAPE '\\' ORDER BY rowid",
                           -1, &s, nullptr);
        while (s && sqlite3_step(s) == SQLITE_ROW)
            tables << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        sqlite3_finalize(s);
    }
    QStringList indexes;
    qint64 sent = 0;
    for (const QString& table : std::as_const(tables)) {
        QList<Column> columns;
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(src.handle(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid",
                           -1, &s, nullptr);
        const QByteArray name = table.toUtf8();
        sqlite3_bind_text(s, 1, name.constData(), int(name.size()), SQLITE_TRANSIENT);
        while (s && sqlite3_step(s) == SQLITE_ROW)
            columns << Column{QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))),
                              QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 1))),
                              sqlite3_column_int(s, 2) != 0, sqlite3_column_int(s, 3)};
        sqlite3_finalize(s);
        QStringList parts;
        QStringList keys;
        for (const Column& c : std::as_const(columns)) {
            parts << q(c.name) + QLatin1Char(' ') + postgresType(c.type) +
                         (c.notNull ? QStringLiteral(" NOT NULL") : QString());
            if (c.pk > 0)
                keys << q(c.name);
        }
        if (!keys.isEmpty())
            parts << QStringLiteral("PRIMARY KEY (%1)").arg(keys.join(QStringLiteral(", ")));

        // Indexes: UNIQUE constraints go with the table, the others are built after the rows.
        sqlite3_prepare_v2(src.handle(), "SELECT name, \"unique\", origin FROM pragma_index_list(?1) ORDER BY seq",
                           -1, &s, nullptr);
        sqlite3_bind_text(s, 1, name.constData(), int(name.size()), SQLITE_TRANSIENT);
        QList<QStringList> found;
        while (s && sqlite3_step(s) == SQLITE_ROW)
            found << QStringList{QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))),
                                 QString::number(sqlite3_column_int(s, 1)),
                                 QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 2)))};
        sqlite3_finalize(s);
        for (const QStringList& index : std::as_const(found)) {
            if (index.at(2) == QLatin1String("pk"))
                continue;
            QStringList indexColumns;
            sqlite3_prepare_v2(src.handle(), "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", -1, &s, nullptr);
            const QByteArray indexName = index.at(0).toUtf8();
            sqlite3_bind_text(s, 1, indexName.constData(), int(indexName.size()), SQLITE_TRANSIENT);
            while (s && sqlite3_step(s) == SQLITE_ROW)
                indexColumns << q(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))));
            sqlite3_finalize(s);
            if (index.at(2) == QLatin1String("u"))
                parts << QStringLiteral("UNIQUE (%1)").arg(indexColumns.join(QStringLiteral(", ")));
            else
                indexes << QStringLiteral("CREATE %1INDEX %2 ON %3 (%4)")
                               .arg(index.at(1) == QLatin1String("1") ? QStringLiteral("UNIQUE ") : QString(),
                                    q(index.at(0)), q(table), indexColumns.join(QStringLiteral(", ")));
        }
        if (!db.exec(QStringLiteral("CREATE TABLE %1 (%2)").arg(q(table), parts.join(QStringLiteral(", "))), &e)) {
            *error = QStringLiteral("%1: creating %2: %3").arg(target.location(), table, e);
            return false;
        }

        // The rows, streamed in COPY's text format in 256 KiB messages.
        PGresult* r = PQexec(db.handle(), QStringLiteral("COPY %1 FROM STDIN").arg(q(table)).toUtf8().constData());
        const bool copying = PQresultStatus(r) == PGRES_COPY_IN;
        PQclear(r);
        if (!copying) {
            *error = QStringLiteral("%1: loading %2: %3").arg(target.location(), table, db.lastError());
            return false;
        }
        sqlite3_prepare_v2(src.handle(), (QStringLiteral("SELECT * FROM ") + SqliteConnection::quote(table)).toUtf8(),
                           -1, &s, nullptr);
        const int n = sqlite3_column_count(s);
        QByteArray buffer;
        buffer.reserve(300 * 1024);
        bool ok = true;
        bool stopped = false;
        while (ok && s && sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < n; ++c) {
                if (c > 0)
                    buffer += '\t';
                appendValue(buffer, s, c);
            }
            buffer += '\n';
            if (buffer.size() >= 256 * 1024) {
                ok = PQputCopyData(db.handle(), buffer.constData(), int(buffer.size())) == 1;
                sent += buffer.size();
                buffer.clear();
                if (progress && !progress(sent)) {
                    stopped = true;
                    ok = false;
                }
            }
        }
        sqlite3_finalize(s);
        if (ok && !buffer.isEmpty()) {
            ok = PQputCopyData(db.handle(), buffer.constData(), int(buffer.size())) == 1;
            sent += buffer.size();
        }
        PQputCopyEnd(db.handle(), ok ? nullptr : "stopped");
        QString copyError;
        while (PGresult* x = PQgetResult(db.handle())) {
            if (PQresultStatus(x) != PGRES_COMMAND_OK && copyError.isEmpty())
                copyError = QString::fromUtf8(PQresultErrorMessage(x)).trimmed();
            PQclear(x);
        }
        if (stopped) {
            *error = QStringLiteral("stopped");
            return false;
        }
        if (!ok || !copyError.isEmpty()) {
            *error = QStringLiteral("%1: loading %2: %3")
                         .arg(target.location(), table, copyError.isEmpty() ? db.lastError() : copyError);
            return false;
        }
    }

    const bool transactional = tables.contains(QLatin1String("SALESTABLE"));
    QStringList statements = indexes;
    if (transactional) {
        for (const char* sql : ViewsAndTriggers)
            statements << QString::fromUtf8(sql);
    }
    statements << QStringLiteral("ANALYZE");
    for (const QString& sql : std::as_const(statements)) {
        if (!db.exec(sql, &e)) {
            *error = QStringLiteral("%1: %2 (in: %3)").arg(target.location(), e, sql.left(80));
            return false;
        }
    }
    if (progress)
        progress(sent);
    return true;
}
