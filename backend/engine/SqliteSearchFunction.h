#pragma once

#include <QString>

struct sqlite3;

// Registers dataalm_contains_any(text, needles) on one SQLite connection: 1 when `text`
// contains one of `needles` (a JSON array of strings), ignoring the case of ASCII letters
// as SQLite's lower() does, else 0; 0 for NULL. What the leak scan's one pass per table
// (PolicySql::rowContainsAny) asks of every row: the needles are read once per statement,
// and each is sought with memmem(), not with one instr() call per needle and row.
//
// Promises: deterministic; an argument that is not a JSON array of strings is an error
// that says so.
namespace SqliteSearchFunction {

bool install(sqlite3* db, QString* error);

} // namespace SqliteSearchFunction
