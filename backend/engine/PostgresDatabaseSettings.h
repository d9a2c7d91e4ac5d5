#pragma once

#include <QString>
#include <QStringList>

class PostgresConnection;

// What a PostgreSQL database holds outside its schema and rows, and belongs to the
// environment rather than to the data a refresh brings: its owner, its ACL (who may
// connect), its connection limit, its comment, its `ALTER DATABASE ... SET` settings
// and the per-role settings in it (`ALTER ROLE ... IN DATABASE ... SET`).
//
// Promises:
// - carryStatements() reads `from`'s and `to`'s settings on `conn` (any database of the
//   server) and returns the statements that make `to`'s exactly `from`'s; nothing when
//   they are equal, so a role that may not change what is already right is not asked to.
//   Names and values are quoted (identifiers and literals); a list setting such as
//   search_path is split into its elements, each sent back as a literal (as pg_dump
//   does): nothing read from the catalog is ever spliced in as SQL.
// - The statements are transactional: run in the swap's transaction, the settings move
//   with the name, or nothing changes.
class PostgresDatabaseSettings
{
public:
    static bool carryStatements(PostgresConnection& conn, const QString& from, const QString& to,
                                QStringList* statements, QString* error);
};
