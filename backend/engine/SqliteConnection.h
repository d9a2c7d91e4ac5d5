#pragma once

#include <QString>
#include <QVariant>

struct sqlite3;

// An owned sqlite3 connection for the engine's worker threads and the demo
// generator (QtSql cannot reach the backup API or attach with URIs): the one
// connection wrapper, with SqliteStatement for statements. Opens with URI filenames
// and a busy timeout; closes on destruction. Not shared between threads.
class SqliteConnection
{
public:
    enum Mode { ReadOnly, ReadWrite, Create };

    SqliteConnection() = default;
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    bool open(const QString& path, Mode mode, QString* error);
    void close();
    // Closes, and says why when SQLite cannot (a statement still open).
    bool close(QString* error);
    sqlite3* handle() const { return m_db; }
    bool isOpen() const { return m_db != nullptr; }

    // Runs one or more statements without results.
    bool exec(const QString& sql, QString* error);
    // Runs a query that returns one value (the first column of the first row).
    QVariant scalar(const QString& sql, QString* error, const QVariantList& binds = {});
    // The last error message of the connection.
    QString lastError() const;
    // Quotes an identifier for SQL: double quotes, embedded quotes doubled.
    static QString quote(const QString& identifier);

private:
    sqlite3* m_db = nullptr;
};
