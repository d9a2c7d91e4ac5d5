#include "engine/SqliteSchema.h"

#include "engine/SqliteStatement.h"

#include <sqlite3.h>

std::optional<SchemaInfo> SqliteSchema::read(sqlite3* db, const QString& schema, QString* error)
{
    if (!isAttached(db, schema)) {
        if (error)
            *error = QStringLiteral("no database is attached as \"%1\"").arg(schema);
        return std::nullopt;
    }
    // The schema name cannot be bound in FROM; it is quoted instead.
    const QString quoted =
        QLatin1Char('"') + QString(schema).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
    SqliteStatement tables(db, QLatin1String("SELECT name FROM ") + quoted +
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
    SqliteStatement pragma(db, QStringLiteral("SELECT name, type, \"notnull\", pk, hidden "
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
        QList<SchemaInfo::Column> columns;
        while ((rc = pragma.step()) == SQLITE_ROW) {
            SchemaInfo::Column c;
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
    SqliteStatement views(db, QLatin1String("SELECT name FROM ") + quoted +
                                  QLatin1String(".sqlite_schema WHERE type = 'view'"));
    while (views.isValid() && views.step() == SQLITE_ROW)
        info.addView(views.value(0).toString());
    return info;
}

bool SqliteSchema::isAttached(sqlite3* db, const QString& schema)
{
    SqliteStatement list(db, QStringLiteral("SELECT name FROM pragma_database_list"));
    while (list.isValid() && list.step() == SQLITE_ROW) {
        if (SchemaInfo::foldCase(list.value(0).toString()) == SchemaInfo::foldCase(schema))
            return true;
    }
    return false;
}
