#pragma once

#include <QString>
#include <QStringList>

class Catalog;

// The programs the product runs, and whether this machine has them: pg_dump and
// pg_restore (Debian package postgresql-client, which the .deb recommends) copy the
// schema of PostgreSQL environments. Checked when the CLI or the console opens a
// catalog, so that the user learns which package to install before a refresh fails
// on it.
//
// Promises: read-only; looks where PostgresTools::find looks (the newest
// /usr/lib/postgresql/*/bin, then PATH).
namespace ClientPrograms {

// pg_dump and pg_restore.
QStringList postgresPrograms();
// A sentence naming the programs the environments of `catalog` need and this machine
// lacks, and the package that brings them; empty when nothing is missing or no
// environment needs them (SQLite files need none).
QString missingFor(const Catalog& catalog);

} // namespace ClientPrograms
