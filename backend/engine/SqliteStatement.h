#pragma once

#include <QString>
#include <QVariant>
#include <functional>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;
struct PolicyStatement;

// A prepared sqlite3 statement owned for the length of a scope: the one statement
// wrapper of the project (with SqliteConnection, on the model of Qt Creator's
// src/libs/sqlite). The policy appliers and counters, the package scripts
// (SqliteScript) and the demo generator run their SQL through it, so every value
// reaches SQLite as a bound parameter. Belongs to the thread that owns the connection.
class SqliteStatement
{
public:
    enum class Reuse
    {
        Once, // prepared for a few runs
        Many, // prepared to run many times (SQLITE_PREPARE_PERSISTENT): bulk inserts
    };

    SqliteStatement(sqlite3* db, const QString& sql);
    SqliteStatement(sqlite3* db, const char* sql, Reuse reuse);
    // Prepares the first statement of [sql, end); `next` receives where the next one
    // begins. A text holding only white space and comments gives an invalid statement
    // and no error (isEmpty()).
    SqliteStatement(sqlite3* db, const char* sql, const char* end, const char** next);
    // Prepares statement.sql and binds statement.bindings to ?1..?n.
    SqliteStatement(sqlite3* db, const PolicyStatement& statement);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    SqliteStatement(SqliteStatement&& other) noexcept;

    bool isValid() const { return m_stmt != nullptr; }
    // Nothing to prepare (white space or a comment) and no error.
    bool isEmpty() const { return !m_stmt && m_error.isEmpty(); }
    // The statement does not write (sqlite3_stmt_readonly).
    bool isReadOnly() const;
    int parameterCount() const;
    // ":name" of the 1-based parameter; empty for a positional one (?).
    QString parameterName(int index) const;
    // null -> NULL, bool -> 0/1, integers -> INTEGER, double -> REAL,
    // QByteArray -> BLOB, anything else -> TEXT (UTF-8).
    bool bind(int index, const QVariant& value);
    // SQLITE_ROW, SQLITE_DONE or an error code (see errorMessage()).
    int step();
    // Steps to the end; false (and errorMessage()) on an error.
    bool run();
    void reset();
    // The column of the current row: qint64, double, QString, QByteArray or null.
    QVariant value(int column) const;
    int columnCount() const;
    // SQLite's message for the last failure on this statement's connection.
    QString errorMessage() const;

    // Bulk rows, bound column after column without copying (text and blobs must stay
    // valid until insert()): insert.integer(1).text(name).real(2.5).insert();
    SqliteStatement& integer(qint64 value);
    SqliteStatement& real(double value);
    SqliteStatement& text(std::string_view value);
    SqliteStatement& blob(const void* data, int size);
    SqliteStatement& null();
    // Runs the row bound so far and gets ready for the next; false on an error, which
    // also goes to the error sink, if one is set.
    bool insert();
    // Where failures to prepare or insert are reported, besides errorMessage().
    void setErrorSink(std::function<void(const QString&)> sink);

    // Runs statements without parameters or results (SAVEPOINT, RELEASE ...).
    static bool exec(sqlite3* db, const QString& sql, QString* error);

private:
    void fail(const QString& message);

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    QString m_error;
    int m_column = 0;
    std::function<void(const QString&)> m_sink;
};
