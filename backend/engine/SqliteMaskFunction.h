#pragma once

#include <QString>

struct sqlite3;

// Registers dataalm_mask(kind, value) on one SQLite connection: the `mask` action's
// pseudonyms (Masker) with the project's secret held by the connection, never passed in SQL.
//
// Promises: deterministic (SQLite may evaluate it once per distinct argument); NULL and empty
// text come back as they are, a blob's bytes are masked as text; integers masked as numbers stay integers, reals
// stay reals; an unknown kind is an error that names it. The secret is freed with the
// connection.
namespace SqliteMaskFunction {

bool install(sqlite3* db, const QString& secret, QString* error);

} // namespace SqliteMaskFunction
