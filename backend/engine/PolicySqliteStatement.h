#pragma once

#include <QString>
#include <QVariant>

struct sqlite3;
struct sqlite3_stmt;
struct PolicyStatement;

// A prepared sqlite3 statement owned for the length of a scope: the policy
// module's only way to run SQL, so every value reaches SQLite as a bound
// parameter. Belongs to the thread that owns the connection.
class PolicySqliteStatement
{
public:
    PolicySqliteStatement(sqlite3* db, const QString& sql);
    // Prepares statement.sql and binds statement.bindings to ?1..?n.
    PolicySqliteStatement(sqlite3* db, const PolicyStatement& statement);
    ~PolicySqliteStatement();
    PolicySqliteStatement(const PolicySqliteStatement&) = delete;
    PolicySqliteStatement& operator=(const PolicySqliteStatement&) = delete;

    bool isValid() const { return m_stmt != nullptr; }
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

    // Runs statements without parameters or results (SAVEPOINT, RELEASE ...).
    static bool exec(sqlite3* db, const QString& sql, QString* error);

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    QString m_error;
};
