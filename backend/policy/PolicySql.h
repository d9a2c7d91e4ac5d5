#pragma once

#include "policy/PolicyRule.h"
#include "policy/PolicyStatement.h"

#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

// Builds the statements that carry out (or count) a policy rule, for any engine
// that speaks standard SQL; executing them is someone else's job (SqlitePolicyApplier,
// PolicyCounter, a later PostgreSQL executor).
//
// Promises:
// - Every identifier is double-quoted with embedded quotes doubled, so any table or
//   column name (spaces, quotes, keywords, mixed case, non-ASCII) is taken literally.
// - Every value is a bind parameter: no value is ever part of the SQL text.
//   Markers follow the dialect: ?1, ?2... for SQLite, $1, $2... for PostgreSQL.
// - `except` leaves alone the rows on which every except condition is true; a row
//   where a condition is NULL (unknown) is not excepted.
// - Stateless and const: one object can serve several threads.
class PolicySql
{
public:
    enum class Dialect
    {
        Sqlite,
        Postgres
    };
    using Assignments = QList<QPair<QString, QVariant>>; // column -> value
    // What a PostgreSQL column's type asks of the pseudonyms of `number` (SchemaInfo):
    // an integer type's largest value, or a numeric's declared scale.
    struct NumberColumn
    {
        qint64 integerMaximum = 0; // smallint, integer, bigint; 0 for the others
        std::optional<int> scale;  // numeric(p, s): s (PostgreSQL allows s < 0)
    };

    explicit PolicySql(Dialect dialect = Dialect::Sqlite);
    Dialect dialect() const { return m_dialect; }

    // "name" with embedded double quotes doubled.
    static QString quoteIdentifier(const QString& identifier);
    // "schema"."table", or "table" when schema is empty.
    static QString tableRef(const QString& schema, const QString& table);

    // DELETE FROM table: every row.
    PolicyStatement deleteAll(const QString& schema, const QString& table) const;
    // SELECT COUNT(*) of the rows matching `where` but not `except` (every row when both are empty).
    PolicyStatement countRows(const QString& schema, const QString& table, const QList<PolicyRule::Condition>& where,
                              const QList<PolicyRule::Condition>& except = {}) const;
    // UPDATE table SET column = value, ... on the rows matching `where` but not `except`.
    PolicyStatement update(const QString& schema, const QString& table, const Assignments& assignments,
                           const QList<PolicyRule::Condition>& where,
                           const QList<PolicyRule::Condition>& except = {}) const;
    // UPDATE table SET column = <its pseudonym>, ... on the rows matching `where` but not
    // `except`: `masks` pairs each column with its Masker kind. SQLite calls dataalm_mask(kind,
    // column), a function the connection registered with the secret (SqliteMaskFunction);
    // PostgreSQL calls pg_temp.dataalm_mask(secret, kind, column) (Masker::postgresFunctions),
    // the secret bound like any value. PostgreSQL masks the `number` columns `numberColumns`
    // names with an integer maximum in bigint arithmetic and within that value, the others in
    // numeric, cutting (not rounding) the two decimals of a fraction to a smaller declared
    // scale: a numeric(3, 1) holds 99.9 but not 99.97, which would round to 100.0.
    PolicyStatement mask(const QString& schema, const QString& table, const QList<QPair<QString, QString>>& masks,
                         const QString& secret, const QList<PolicyRule::Condition>& where,
                         const QList<PolicyRule::Condition>& except = {},
                         const QMap<QString, NumberColumn>& numberColumns = {}) const;
    // SELECT the columns (as text) of the first `limit` rows: a sample for the detectors.
    PolicyStatement sampleText(const QString& schema, const QString& table, const QStringList& columns,
                               int limit) const;
    // SELECT DISTINCT column (as text) FROM table WHERE <where, not except> and the value has at
    // least `minLength` characters, at most `limit` of them: what a rule is about to change.
    PolicyStatement sampleChanged(const QString& schema, const QString& table, const QString& column,
                                  const QList<PolicyRule::Condition>& where,
                                  const QList<PolicyRule::Condition>& except, int minLength, int limit) const;
    // One row, one column: 1 when the text of some row's `columns` contains one of `needles`
    // (ignoring case, as containsAny), else 0. A row's columns are joined (a few dozen at a
    // time) and searched once, so a table is read in one pass that costs little more than
    // reading it: the screen that tells which tables containsAny() must look at column by
    // column. It can say 1 where containsAny() finds nothing. SQLite's statement calls
    // dataalm_contains_any(), which the connection must have (SqliteSearchFunction).
    PolicyStatement rowContainsAny(const QString& schema, const QString& table, const QStringList& columns,
                                   const QStringList& needles) const;
    // One row with, per column, 1 when some value of that column contains one of `needles`
    // (as text, ignoring case: lower() on both sides) and 0 otherwise; only the rows matching
    // `where` and not `except` when given.
    PolicyStatement containsAny(const QString& schema, const QString& table, const QStringList& columns,
                                const QStringList& needles, const QList<PolicyRule::Condition>& where = {},
                                const QList<PolicyRule::Condition>& except = {}) const;
    // INSERT INTO to (toColumns) SELECT fromColumns FROM from: the two lists pair up by position.
    PolicyStatement copyRows(const QString& fromSchema, const QString& fromTable, const QStringList& fromColumns,
                             const QString& toSchema, const QString& toTable, const QStringList& toColumns) const;
    // SELECT column FROM table WHERE ... LIMIT 2: the caller checks that exactly one row came back.
    PolicyStatement lookup(const QString& schema, const PolicyRule::Lookup& lookup) const;

private:
    // Appends the filter's SQL (" WHERE ..." or nothing) and its bindings.
    void appendFilter(PolicyStatement& statement, const QList<PolicyRule::Condition>& where,
                      const QList<PolicyRule::Condition>& except) const;
    QString condition(PolicyStatement& statement, const PolicyRule::Condition& c) const;
    QString bind(PolicyStatement& statement, const QVariant& value) const;
    // A column as text (PostgreSQL casts it; SQLite's instr and lower take any value).
    QString asText(const QString& column) const;
    // `subquery` in parentheses, kept from being merged into the query around it.
    QString keptApart(const QString& subquery) const;
    // "<text> contains lower(needle 1) OR ..." with the needles bound into `statement`.
    QString anyNeedle(PolicyStatement& statement, const QString& text, const QStringList& needles) const;

    Dialect m_dialect;
};
