#pragma once

#include "policy/PolicyStatement.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <functional>

class PostgresConnection;

// Runs the SQL of a package step on a PostgreSQL database: the PostgreSQL twin of
// SqliteScript, with the same promises.
//
// Promises:
// - run() executes every statement of the script in ONE transaction: all of them or,
//   on any error, none (the transaction is rolled back and the error names the
//   statement by number and first line).
// - Statements are split where PostgreSQL's own lexer would end them: a ';' inside a
//   '...' or E'...' string, a "quoted identifier", a $tag$ dollar-quoted body (CREATE
//   FUNCTION ... AS $$ ... $$), a -- or nested /* */ comment, or parentheses is never a
//   break. Each statement is then sent alone through the extended query protocol,
//   which refuses more than one command: a statement the split got wrong fails; it
//   can never smuggle a second command (a COMMIT) past the checks.
// - A script cannot end the transaction itself: BEGIN, START, COMMIT, END, ROLLBACK,
//   ABORT and PREPARE TRANSACTION are refused before anything runs, and the
//   connection is checked to still be inside the step's transaction after every
//   statement.
// - Named parameters (:environment, ...) outside strings, identifiers and comments
//   become $1, $2... and are sent as values, never spliced into the SQL; `::` casts
//   are left alone. A :name that is not given fails before anything runs.
// - check() runs a single query in a READ ONLY transaction (the server refuses any
//   write) and returns its first value (NULL and "no row" as a null QVariant).
class PostgresScript
{
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;
    using Parameters = QMap<QString, QVariant>; // ":name" -> value

    // The statements of `sql`, without the ';' that ends them; empty ones (white
    // space and comments only) are left out.
    static QStringList split(const QByteArray& sql);
    // `statement` with each given :name replaced by $n; `values` receives the values in
    // order. False (and `error`) for a :name not in `parameters`.
    static bool bind(const QString& statement, const Parameters& parameters, QString* bound, QVariantList* values,
                     QString* error);
    // Whether `statement` begins or ends a transaction (refused in a step).
    static bool endsTransaction(const QString& statement);

    // `beforeCommit` run last inside the same transaction (the engine's step mark).
    static bool run(PostgresConnection& db, const QByteArray& sql, const Parameters& parameters,
                    const Progress& progress, qint64* statements, QString* error,
                    const QList<PolicyStatement>& beforeCommit = {});
    static bool check(PostgresConnection& db, const QByteArray& sql, const Parameters& parameters, QVariant* value,
                      QString* error);
};
