#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

// The tables and columns of one database (or one attached schema of a SQLite
// connection), so a policy can be checked against any user schema and its
// identifiers resolved to the database's own spelling.
//
// Promises:
// - CaseInsensitive (SQLite): names compare as SQLite compares identifiers, ASCII
//   letters case-insensitively, every other character exactly ("Order" = "ORDER",
//   "Straße" != "STRASSE").
// - Exact (PostgreSQL, where "USERINFO" and userinfo are two tables): the exact name
//   wins; otherwise a name matches the one table (or column) that differs only in ASCII
//   case, and none when several do: an ambiguous name resolves to nothing and
//   ambiguity() says so, so a rule never acts on a table it did not name.
// - A value type filled by each engine (SqliteSchema::read, PostgresEngine::readSchema).
class SchemaInfo
{
public:
    enum class Names
    {
        CaseInsensitive,
        Exact,
    };
    explicit SchemaInfo(Names names = Names::CaseInsensitive)
        : m_names(names)
    {
    }
    struct Column
    {
        QString name;
        QString type;
        bool notNull = false;
        bool primaryKey = false;
        bool generated = false; // a generated column: cannot be written
    };

    // What a column's declared type holds, for the mask action and the coverage detectors:
    // SQLite's affinity rules (INT, CHAR/CLOB/TEXT, REAL/FLOA/DOUB, NUMERIC; no type: Any)
    // and PostgreSQL's type names (text, character varying, integer, numeric...).
    enum class ValueType
    {
        Text,
        Number,
        Any,  // SQLite's column without a declared type: whatever it is given
        Other // blobs, dates, uuid, json...
    };
    static ValueType valueType(const QString& declaredType);
    // The largest value of a PostgreSQL integer type (smallint 32767, integer 2147483647,
    // bigint 2^63-1); 0 for any other type.
    static qint64 integerMaximum(const QString& declaredType);
    // The scale a PostgreSQL numeric or decimal type declares: s of numeric(p, s) (negative
    // too), 0 of numeric(p); none for any other type (numeric without a precision included).
    static std::optional<int> numericScale(const QString& declaredType);
    // Whether a column holds text the detectors and the leak scan read (Text, or Any).
    static bool holdsText(const Column& column);

    // SQLite's identifier comparison key: ASCII upper case folded to lower case.
    static QString foldCase(const QString& identifier);

    // For engines read elsewhere (and tests): adds or replaces a table.
    void addTable(const QString& table, const QList<Column>& columns);

    QStringList tables() const;
    bool hasTable(const QString& table) const;
    bool hasColumn(const QString& table, const QString& column) const;
    // The database's spelling of a table / column; empty when it does not exist.
    QString tableName(const QString& table) const;
    QString columnName(const QString& table, const QString& column) const;
    std::optional<Column> column(const QString& table, const QString& column) const;
    // The table's columns in declaration order (empty if there is no such table).
    QList<Column> columns(const QString& table) const;
    // PostgreSQL's table families. `members` are the tables (as row counts name them:
    // the bare name when on the search path, else schema.table) whose rows a statement
    // on `table` also reaches: a partitioned table's partitions, an inheritance
    // parent's children, at every depth. A partitioned table holds no rows itself.
    void setFamily(const QString& table, bool partitioned, const QStringList& members);
    QStringList members(const QString& table) const;
    bool isPartitioned(const QString& table) const;
    // Views (and materialized views): not tables a rule can write, named so that a
    // rule naming one is told so.
    void addView(const QString& view);
    bool isView(const QString& name) const;
    // "USERINFO, userinfo" when `table` (or, given, its `column`) matches several names
    // that differ only in case and none exactly; empty otherwise.
    QString ambiguity(const QString& table, const QString& column = {}) const;

private:
    struct Table
    {
        QString name;
        QList<Column> columns;
        bool partitioned = false;
        QStringList members;
    };
    // Position in m_tables of the table `table` names; -1 if none (or ambiguous).
    int find(const QString& table) const;
    // The names of `names` that `name` matches, exactly first, as find() decides.
    QStringList matches(const QStringList& names, const QString& name) const;

    Names m_names = Names::CaseInsensitive;
    QList<Table> m_tables;
    QStringList m_views;
};
