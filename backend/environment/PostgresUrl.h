#pragma once

#include "environment/DatabaseRef.h"

#include <QString>
#include <optional>

// A PostgreSQL server named by a libpq connection URI or keyword/value string, as
// `dataalm demo --postgres URL` takes it: postgresql://user@host:port/dbname?sslmode=require.
//
// Promises:
// - Parsing is libpq's own (PQconninfoParse), so every form libpq accepts is accepted.
// - A password in the URL is refused: passwords come from ~/.pgpass, PGPASSFILE or a
//   service file, never from the catalog or the command line.
// - What the URL leaves out comes from PGHOST, PGPORT, PGUSER as libpq would take it
//   (host "localhost", port 5432 when those are unset too), so the stored reference
//   means the same server later, whatever the environment then.
class PostgresUrl
{
public:
    // The server as a DatabaseRef (driver postgres, `name` = the URL's database or
    // "postgres"); nullopt with `error` set when the URL is not valid.
    static std::optional<DatabaseRef> parse(const QString& url, QString* error);
};
