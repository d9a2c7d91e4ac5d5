#include "SqliteInspect.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <sqlite3.h>

namespace SqliteInspect {

namespace {

// One read-only connection; closed by the destructor.
class ReadOnly
{
public:
    explicit ReadOnly(const QString& path)
    {
        if (!QFile::exists(path)) {
            m_error = QStringLiteral("%1 does not exist").arg(path);
            return;
        }
        const QByteArray uri = QUrl::fromLocalFile(path).toEncoded() + "?mode=ro";
        if (sqlite3_open_v2(uri.constData(), &m_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
            m_error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(m_db)));
            sqlite3_close(m_db);
            m_db = nullptr;
            return;
        }
        sqlite3_busy_timeout(m_db, 10000);
    }
    ~ReadOnly() { sqlite3_close(m_db); }
    ReadOnly(const ReadOnly&) = delete;
    ReadOnly& operator=(const ReadOnly&) = delete;

    sqlite3* db() const { return m_db; }
    QString error() const { return m_error; }

    // Runs `sql`, calling `row` for each result row; false (and error()) on a failure.
    template <typename F> bool query(const QString& sql, F row)
    {
        if (!m_db)
            return false;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.toUtf8().constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
            return false;
        }
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
            row(stmt);
        if (rc != SQLITE_DONE)
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
        sqlite3_finalize(stmt);
        return rc == SQLITE_DONE;
    }

private:
    sqlite3* m_db = nullptr;
    QString m_error;
};

QString text(sqlite3_stmt* stmt, int i)
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(stmt, i)) : QString();
}

QJsonValue jsonValue(sqlite3_stmt* stmt, int i)
{
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
        return qint64(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT:
        return text(stmt, i);
    case SQLITE_BLOB: {
        const QByteArray blob(static_cast<const char*>(sqlite3_column_blob(stmt, i)), sqlite3_column_bytes(stmt, i));
        return QJsonObject{{QStringLiteral("blob"), QString::fromLatin1(blob.toHex())}};
    }
    default:
        return QJsonValue(QJsonValue::Null);
    }
}

QStringList tablesOf(ReadOnly& c)
{
    QStringList result;
    c.query(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
                           "ESCAPE '\\' ORDER BY name"),
            [&](sqlite3_stmt* s) { result << text(s, 0); });
    return result;
}

QStringList rowsOf(ReadOnly& c, const QString& table, const QStringList& exceptColumns)
{
    QStringList columns;
    if (!c.query(QStringLiteral("SELECT name FROM pragma_table_info(%1)")
                     .arg(QLatin1Char('\'') + QString(table).replace(QLatin1Char('\''), QLatin1String("''")) +
                          QLatin1Char('\'')),
                 [&](sqlite3_stmt* s) { columns << text(s, 0); }) ||
        columns.isEmpty())
        return {QStringLiteral("error: cannot read the columns of %1: %2").arg(table, c.error())};
    QStringList kept;
    for (const QString& col : std::as_const(columns)) {
        if (!exceptColumns.contains(col, Qt::CaseInsensitive))
            kept << col;
    }
    QStringList select;
    for (const QString& col : std::as_const(kept))
        select << quote(col);
    QStringList result;
    const bool ok = c.query(QStringLiteral("SELECT %1 FROM %2").arg(select.join(QStringLiteral(", ")), quote(table)),
                            [&](sqlite3_stmt* s) {
                                QJsonObject row;
                                for (int i = 0; i < kept.size(); ++i)
                                    row.insert(kept.at(i), jsonValue(s, i));
                                result << QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact));
                            });
    if (!ok)
        return {QStringLiteral("error: cannot read %1: %2").arg(table, c.error())};
    result.sort();
    return result;
}

QByteArray sha256(const QStringList& lines)
{
    return QCryptographicHash::hash(lines.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha256).toHex();
}

} // namespace

QString quote(const QString& identifier)
{
    return QLatin1Char('"') + QString(identifier).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
}

QStringList schema(const QString& path)
{
    ReadOnly c(path);
    QStringList result;
    const bool ok = c.query(
        QStringLiteral("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema"), [&](sqlite3_stmt* s) {
            result << QStringList{text(s, 0), text(s, 1), text(s, 2), text(s, 3)}.join(QLatin1Char('|'));
        });
    if (!ok)
        return {QStringLiteral("error: %1").arg(c.error())};
    result.sort();
    c.query(QStringLiteral("PRAGMA user_version"),
            [&](sqlite3_stmt* s) { result << QStringLiteral("user_version|") + text(s, 0); });
    return result;
}

QStringList tables(const QString& path)
{
    ReadOnly c(path);
    return tablesOf(c);
}

bool hasTable(const QString& path, const QString& table)
{
    return value(path, QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%1' "
                                      "COLLATE NOCASE")
                           .arg(QString(table).replace(QLatin1Char('\''), QLatin1String("''"))))
               .toLongLong() > 0;
}

QStringList rows(const QString& path, const QString& table, const QStringList& exceptColumns)
{
    ReadOnly c(path);
    if (!c.db())
        return {QStringLiteral("error: %1").arg(c.error())};
    return rowsOf(c, table, exceptColumns);
}

QByteArray tableDigest(const QString& path, const QString& table, const QStringList& exceptColumns)
{
    return sha256(rows(path, table, exceptColumns));
}

QMap<QString, QByteArray> digests(const QString& path)
{
    QMap<QString, QByteArray> result;
    result.insert(QStringLiteral("#schema"), sha256(schema(path)));
    ReadOnly c(path);
    if (!c.db()) {
        result.insert(QStringLiteral("#error"), c.error().toUtf8());
        return result;
    }
    for (const QString& t : tablesOf(c))
        result.insert(t, sha256(rowsOf(c, t, {})));
    return result;
}

QString integrity(const QString& path)
{
    ReadOnly c(path);
    if (!c.db())
        return c.error();
    QStringList lines;
    if (!c.query(QStringLiteral("PRAGMA integrity_check"), [&](sqlite3_stmt* s) { lines << text(s, 0); }))
        return c.error();
    return lines.join(QLatin1Char('\n'));
}

QVariant value(const QString& path, const QString& sql, QString* error)
{
    ReadOnly c(path);
    QVariant result;
    bool first = true;
    const bool ok = c.query(sql, [&](sqlite3_stmt* s) {
        if (!first)
            return;
        first = false;
        switch (sqlite3_column_type(s, 0)) {
        case SQLITE_INTEGER:
            result = qint64(sqlite3_column_int64(s, 0));
            break;
        case SQLITE_FLOAT:
            result = sqlite3_column_double(s, 0);
            break;
        case SQLITE_NULL:
            result = QVariant(QString());
            break;
        default:
            result = text(s, 0);
        }
    });
    if (!ok) {
        if (error)
            *error = c.error();
        return {};
    }
    return first ? QVariant(QString()) : result;
}

QStringList column(const QString& path, const QString& sql, QString* error)
{
    ReadOnly c(path);
    QStringList result;
    if (!c.query(sql, [&](sqlite3_stmt* s) { result << text(s, 0); })) {
        if (error)
            *error = c.error();
        return {QStringLiteral("error: %1").arg(c.error())};
    }
    return result;
}

} // namespace SqliteInspect
