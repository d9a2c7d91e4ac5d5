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
// - Names compare as SQLite compares identifiers: ASCII letters case-insensitively,
//   every other character exactly ("Order" = "ORDER", "Straße" != "STRASSE").
// - A value type filled by each engine (SqliteSchema::read, PostgresEngine::readSchema).
class SchemaInfo
{
public:
    struct Column
    {
        QString name;
        QString type;
        bool notNull = false;
        bool primaryKey = false;
        bool generated = false; // a generated column: cannot be written
    };

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

private:
    struct Table
    {
        QString name;
        QList<Column> columns;
    };
    QList<Table> m_tables;
    QHash<QString, int> m_index; // folded name -> position in m_tables
};
