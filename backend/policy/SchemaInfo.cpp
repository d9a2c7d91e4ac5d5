#include "policy/SchemaInfo.h"

#include "policy/PolicySqliteStatement.h"

#include <sqlite3.h>

std::optional<SchemaInfo> SchemaInfo::read(sqlite3* db, const QString& schema, QString* error)
{
    if (!isAttached(db, schema)) {
        if (error)
            *error = QStringLiteral("no database is attached as \"%1\"").arg(schema);
        return std::nullopt;
    }
    // The schema name cannot be bound in FROM; it is quoted instead.
    const QString quoted =
        QLatin1Char('"') + QString(schema).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
    PolicySqliteStatement tables(db, QLatin1String("SELECT name FROM ") + quoted +
                                         QLatin1String(".sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                                                       "'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"));
    if (!tables.isValid()) {
        if (error)
            *error = tables.errorMessage();
        return std::nullopt;
    }
    QStringList names;
    int rc;
    while ((rc = tables.step()) == SQLITE_ROW)
        names << tables.value(0).toString();
    if (rc != SQLITE_DONE) {
        if (error)
            *error = tables.errorMessage();
        return std::nullopt;
    }

    SchemaInfo info;
    PolicySqliteStatement pragma(db, QStringLiteral("SELECT name, type, \"notnull\", pk, hidden "
                                                    "FROM pragma_table_xinfo(?1, ?2) ORDER BY cid"));
    if (!pragma.isValid()) {
        if (error)
            *error = pragma.errorMessage();
        return std::nullopt;
    }
    for (const QString& table : std::as_const(names)) {
        pragma.reset();
        pragma.bind(1, table);
        pragma.bind(2, schema);
        QList<Column> columns;
        while ((rc = pragma.step()) == SQLITE_ROW) {
            Column c;
            c.name = pragma.value(0).toString();
            c.type = pragma.value(1).toString();
            c.notNull = pragma.value(2).toInt() != 0;
            c.primaryKey = pragma.value(3).toInt() != 0;
            const int hidden = pragma.value(4).toInt();
            c.generated = hidden == 2 || hidden == 3;
            if (hidden == 1) // a hidden column of a virtual table
                continue;
            columns << c;
        }
        if (rc != SQLITE_DONE) {
            if (error)
                *error = pragma.errorMessage();
            return std::nullopt;
        }
        info.addTable(table, columns);
    }
    return info;
}

bool SchemaInfo::isAttached(sqlite3* db, const QString& schema)
{
    PolicySqliteStatement list(db, QStringLiteral("SELECT name FROM pragma_database_list"));
    while (list.isValid() && list.step() == SQLITE_ROW) {
        if (foldCase(list.value(0).toString()) == foldCase(schema))
            return true;
    }
    return false;
}

QString SchemaInfo::foldCase(const QString& identifier)
{
    QString folded = identifier;
    for (QChar& c : folded) {
        if (c.unicode() >= u'A' && c.unicode() <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return folded;
}

void SchemaInfo::addTable(const QString& table, const QList<Column>& columns)
{
    const QString key = foldCase(table);
    const auto it = m_index.constFind(key);
    if (it != m_index.constEnd()) {
        m_tables[*it] = Table{table, columns};
        return;
    }
    m_index.insert(key, int(m_tables.size()));
    m_tables.append(Table{table, columns});
}

QStringList SchemaInfo::tables() const
{
    QStringList names;
    for (const Table& t : m_tables)
        names << t.name;
    return names;
}

bool SchemaInfo::hasTable(const QString& table) const
{
    return m_index.contains(foldCase(table));
}

bool SchemaInfo::hasColumn(const QString& table, const QString& column) const
{
    return this->column(table, column).has_value();
}

QString SchemaInfo::tableName(const QString& table) const
{
    const auto it = m_index.constFind(foldCase(table));
    return it == m_index.constEnd() ? QString() : m_tables.at(*it).name;
}

QString SchemaInfo::columnName(const QString& table, const QString& column) const
{
    const std::optional<Column> c = this->column(table, column);
    return c ? c->name : QString();
}

std::optional<SchemaInfo::Column> SchemaInfo::column(const QString& table, const QString& column) const
{
    const QString key = foldCase(column);
    for (const Column& c : columns(table)) {
        if (foldCase(c.name) == key)
            return c;
    }
    return std::nullopt;
}

QList<SchemaInfo::Column> SchemaInfo::columns(const QString& table) const
{
    const auto it = m_index.constFind(foldCase(table));
    return it == m_index.constEnd() ? QList<Column>() : m_tables.at(*it).columns;
}
