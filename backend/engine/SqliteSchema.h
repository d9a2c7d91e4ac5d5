#pragma once

#include "policy/SchemaInfo.h"

#include <QString>
#include <optional>

struct sqlite3;

// Reads a SchemaInfo from a SQLite connection (the engine's side of SchemaInfo,
// which is a value type every engine fills).
//
// Promises: read-only (sqlite_schema and pragma table_xinfo, names bound as
// parameters), so it works on a connection opened read-only, from the thread that
// owns the connection. Internal sqlite_* tables and views are not listed.
namespace SqliteSchema {

// Reads `schema` ("main", or the name a database was attached under).
std::optional<SchemaInfo> read(sqlite3* db, const QString& schema, QString* error);
// Whether `schema` is attached to the connection (case-insensitive).
bool isAttached(sqlite3* db, const QString& schema);

} // namespace SqliteSchema
