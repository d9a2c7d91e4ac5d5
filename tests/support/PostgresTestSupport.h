#pragma once

#include "environment/DatabaseRef.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <stdexcept>

// Helpers of the tests labelled `postgres`: the throwaway server scripts/test starts
// (DATAALM_TEST_PG_URL), databases with names no other test uses, SQL run through
// libpq, and a dump of a database's schema and rows to compare two instants exactly.
namespace PostgresTestSupport {

// DATAALM_TEST_PG_URL, or empty. The tests fail (never skip) when it is empty.
QString url();
// The server of url() (name "postgres"); driver empty when url() is empty or bad.
DatabaseRef server();
// A database of the test server.
DatabaseRef database(const QString& name);
// `prefix` + a suffix unique to this process and call, lower case, safe as a name.
QString uniqueName(const QString& prefix);

// Runs `sql` (one or more statements) on `db`; false with the server's message.
bool exec(const DatabaseRef& db, const QString& sql, QString* error = nullptr);
// The first value of a query, as text; empty on an error or NULL.
QString value(const DatabaseRef& db, const QString& sql, QString* error = nullptr);
bool createDatabase(const QString& name, QString* error = nullptr);
bool dropDatabase(const QString& name);
bool databaseExists(const QString& name);
// The databases of the server whose names start with `prefix`, sorted.
QStringList databasesLike(const QString& prefix);

// The schema (pg_dump --schema-only, without comments and random keys) and every
// row of every table (sorted), plus each sequence's position: equal dumps = equal
// databases. When the dump cannot be taken, or is empty, `error` is set and DumpFailed
// is thrown, which fails the test (QtTest reports an unhandled exception): a
// comparison of dumps can never pass on a dump that failed.
QByteArray dump(const DatabaseRef& db, QString* error = nullptr);
struct DumpFailed : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

} // namespace PostgresTestSupport
