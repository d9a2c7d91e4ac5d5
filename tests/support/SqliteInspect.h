#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

// Read-only views of a SQLite file for the refresh tests, through the sqlite3 C API
// (never the code under test): its schema, its tables' rows as canonical JSON lines,
// digests to compare two databases' content whatever their page layout, and single
// values. Every function opens the file read-only (mode=ro) and closes it again; on an
// error the result says so ("error: ...") instead of looking like data.
namespace SqliteInspect {

// Every schema object as "type|name|tbl_name|sql", sorted; plus "user_version|N".
QStringList schema(const QString& path);
// The tables (not sqlite_*), sorted.
QStringList tables(const QString& path);
// Whether `table` exists (names compare as SQLite does).
bool hasTable(const QString& path, const QString& table);
// Every row of `table` as a compact JSON object (blobs as {"blob": "<hex>"}), the
// columns in `exceptColumns` left out, sorted: equal lists = equal multisets of rows.
QStringList rows(const QString& path, const QString& table, const QStringList& exceptColumns = {});
// SHA-256 of rows(): a table's content in 64 characters.
QByteArray tableDigest(const QString& path, const QString& table, const QStringList& exceptColumns = {});
// tableDigest() of every table, plus "#schema" = digest of schema(): the whole
// logical content of the database.
QMap<QString, QByteArray> digests(const QString& path);
// "ok", or what PRAGMA integrity_check (or opening the file) reported.
QString integrity(const QString& path);
// The first column of the first row of `sql` (an invalid QVariant on an error, *error says why).
QVariant value(const QString& path, const QString& sql, QString* error = nullptr);
// The first column of every row of `sql`, as text.
QStringList column(const QString& path, const QString& sql, QString* error = nullptr);
// An identifier quoted for SQL.
QString quote(const QString& identifier);

} // namespace SqliteInspect
