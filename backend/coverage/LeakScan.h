#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class DataPolicy;
class DatabaseEngine;
class SchemaInfo;
struct DatabaseRef;

// The proof, before the swap, that what the policy hides does not travel by another road
// (a value copied into a notes column, a second table): sampled source values of every
// column the policy hides must appear nowhere in the staging copy's text columns.
// Run by the refresh's Verify step; a leak fails it, naming where the value was found.
//
// Promises:
// - Columns sampled: those a blank or mask rule writes; those a set rule writes, and the
//   text columns of the tables an exclude rule empties, when they look sensitive
//   (SensitiveDataDetector: by the sample itself, or by name for a rule whose reason is
//   security). keep-target and reset-admin rules hide nothing of the source. Up to ValuesPerColumn distinct values per column, of
//   at least MinLength characters, from the rows the rule acts on (its where and except).
// - Every text column of every staging table is searched (as text, ignoring case): one
//   pass per table over its rows' text joined, then column by column in the tables where
//   that found something (nothing else writes the staging copy meanwhile); but not the tables a keep-target rule filled
//   with the target's own rows (they did not come from the source). In the hidden column
//   itself only the rows its rule acts on count (a `where` leaves the others as they are);
//   a value found there is one the rule left in place (a kind that does not change it).
// - Samples stay in memory: results name tables, columns and counts, never a value.
namespace LeakScan {

constexpr int ValuesPerColumn = 10;
constexpr int MinLength = 6;

struct Column
{
    QString ruleId;
    QString action;
    QString table;
    QString column;
    int sampled = 0;       // distinct values sampled in the source
    QStringList foundIn;   // "TABLE.COLUMN" of the staging copy holding one of them
    bool leftInPlace = false; // found in the column itself, in the rows its rule acts on
};

struct Result
{
    QList<Column> columns;
    int tablesSearched = 0;
    int columnsSearched = 0;
    double seconds = 0;
    bool leaked() const;
    // "values of CONTACT.EMAIL (rule contacts) were found in CONTACT.NOTES"; one per leak.
    QStringList leaks() const;
    QJsonObject toJson() const;
};

std::optional<Result> run(DatabaseEngine& engine, const DatabaseRef& source, const SchemaInfo& sourceSchema,
                          const DatabaseRef& staging, const SchemaInfo& stagingSchema, const DataPolicy& policy,
                          QString* error);

} // namespace LeakScan
