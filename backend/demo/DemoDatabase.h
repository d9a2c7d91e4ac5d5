#pragma once

#include "engine/SqliteConnection.h"
#include "engine/SqliteStatement.h"

#include <QString>

struct sqlite3;

// One SQLite database file being generated (SqliteConnection, SqliteStatement): the whole
// file is written in one transaction with journaling and syncing off (the file is
// thrown away on failure anyway), then switched to WAL and closed cleanly.
//
// Errors do not throw: the first one is kept (error()) and every later call is a
// no-op, so a writer checks ok() at the end of each table or batch.
class DemoDatabase
{
public:
    DemoDatabase() = default;
    ~DemoDatabase();
    DemoDatabase(const DemoDatabase&) = delete;
    DemoDatabase& operator=(const DemoDatabase&) = delete;

    // Creates the file (it must not exist) and begins the bulk-load transaction.
    bool create(const QString& path);
    // Commits, switches the file to WAL, checkpoints, closes and syncs it to disk.
    bool finish();

    void exec(const char* sql);
    // A bulk INSERT (SqliteStatement::Reuse::Many) whose failures are recorded here
    // (fail()); once the database has failed, a statement that does nothing.
    SqliteStatement prepare(const char* sql);
    // The bytes the file will have once committed (page count times page size).
    qint64 size();

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    // Records a failure (the first one wins) naming the database file.
    void fail(const QString& what);
    sqlite3* handle() const { return m_connection.handle(); }

private:
    qint64 pragmaValue(const char* sql);

    SqliteConnection m_connection;
    QString m_path;
    QString m_error;
};
