#pragma once

#include "environment/DatabaseRef.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>

// Opens databases the way an operation will (DatabaseEngine::test: read-only, the
// schema read) and says, per database, whether it can be reached and why not:
// `dataalm env test`, `env add`/`env edit` before they register anything, and the
// console's "Test connection" button.
//
// Promises:
// - Never writes to a database, never creates a file or a database (a missing
//   SQLite file is reported, not created).
// - Opens its own connections and keeps none: run() may be called from any
//   thread, the GUI thread excepted (a server that does not answer takes up to
//   libpq's connect_timeout, 10 s).
// - A server that wants a password nobody supplied is reported with the way to
//   give one (~/.pgpass): DataALM never takes a password itself.
class DatabaseConnectionTest
{
public:
    struct Result
    {
        DatabaseRef database;
        bool ok = false;
        QString error; // why it cannot be opened (empty when ok)
        qint64 milliseconds = 0;
        qint64 sizeBytes = -1; // -1: unknown or not opened

        // The database's JSON (DatabaseRef::toJson) plus ok, ms, and sizeBytes or error.
        QJsonObject toJson() const;
    };
    // Called as each database's result is known (on the calling thread).
    using Reported = std::function<void(const Result&)>;
    using Cancelled = std::function<bool()>;

    static Result test(const DatabaseRef& database);
    // Tests each database in turn; stops early (the rest unreported) when `cancelled` says so.
    static QList<Result> run(const QList<DatabaseRef>& databases, const Reported& reported = {},
                             const Cancelled& cancelled = {});
    static bool allOk(const QList<Result>& results);
};
