#pragma once

#include "policy/PolicyStatement.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QVariant>
#include <functional>

struct sqlite3;

// Runs the SQL of a package step on a SQLite database, statement by statement
// through SqliteStatement.
//
// Promises:
// - run() executes every statement of the script in ONE transaction: all of them or,
//   on any error, none (the transaction is rolled back and the error names the
//   statement by number and first line). Statements are split by SQLite's own
//   parser (sqlite3_prepare_v2 and its tail), so a semicolon inside a string, a
//   comment or a trigger body is never a break.
// - A script cannot end the transaction itself: BEGIN, COMMIT, END and ROLLBACK are
//   refused before anything runs.
// - Named parameters (:environment, ...) are bound from `parameters`; a statement
//   using a parameter that is not given fails.
// - check() runs a single read-only query and returns its first value (NULL and
//   "no row" as a null QVariant).
class SqliteScript
{
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;
    using Parameters = QMap<QString, QVariant>; // ":name" -> value

    // The statements of `sql` that SQLite's parser sees (text only, for counting and tests).
    static QStringList split(const QByteArray& sql);

    // `beforeCommit` run last inside the same transaction (the engine's step mark).
    static bool run(sqlite3* db, const QByteArray& sql, const Parameters& parameters, const Progress& progress,
                    qint64* statements, QString* error, const QList<PolicyStatement>& beforeCommit = {});
    static bool check(sqlite3* db, const QByteArray& sql, const Parameters& parameters, QVariant* value,
                      QString* error);
};
