#pragma once

#include "environment/DatabaseRef.h"

#include <QString>
#include <optional>

// One database of an environment named by a URL, as `dataalm env add --db ROLE=URL`
// and the console's environment dialog take it:
//
//     sqlite:///absolute/path/to/file.db
//     postgresql://user@host:port/dbname[?sslmode=require]   (postgres:// too)
//
// Promises:
// - parse() is pure (no file or server is touched): it can run on any thread, on
//   every keystroke of a dialog. Whether the database opens is DatabaseConnectionTest's job.
// - A SQLite URL names an absolute path on this machine (percent-encoding decoded,
//   "." and ".." resolved); anything else is refused with the form to use.
// - A PostgreSQL URL is libpq's URI form, parsed by libpq (PostgresUrl): it must
//   name its database, and neither a password nor a maintenance database
//   (postgres, template0, template1) is accepted: a refresh renames its target.
//   sslmode, when given, must be one libpq knows.
// - format() gives back a URL that parse() turns into the same reference.
class DatabaseUrl
{
public:
    // The database `url` names, without a role; nullopt with `error` set otherwise.
    static std::optional<DatabaseRef> parse(const QString& url, QString* error);
    // "ROLE=URL" (the --db option): role transactional or financial-reporting.
    static std::optional<DatabaseRef> parseAssignment(const QString& roleAndUrl, QString* error);
    // The URL of `ref` (sqlite:///... or postgresql://...).
    static QString format(const DatabaseRef& ref);
    // transactional, financial-reporting.
    static QStringList roles();
};
