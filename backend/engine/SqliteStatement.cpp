#include "engine/SqliteStatement.h"

#include "policy/PolicyStatement.h"

#include <QMetaType>

#include <sqlite3.h>

SqliteStatement::SqliteStatement(sqlite3* db, const QString& sql) : m_db(db)
{
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &m_stmt, nullptr) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql, Reuse reuse) : m_db(db)
{
    if (!db) {
        m_error = QStringLiteral("no database");
        return;
    }
    const unsigned flags = reuse == Reuse::Many ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(db, sql, -1, flags, &m_stmt, nullptr) != SQLITE_OK) {
        m_error = QStringLiteral("%1 (in: %2)")
                      .arg(QString::fromUtf8(sqlite3_errmsg(db)), QString::fromUtf8(sql).left(80));
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql, const char* end, const char** next) : m_db(db)
{
    if (sqlite3_prepare_v2(db, sql, int(end - sql), &m_stmt, next) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_error(std::move(other.m_error)), m_column(other.m_column),
      m_sink(std::move(other.m_sink))
{
    other.m_stmt = nullptr;
}

SqliteStatement::SqliteStatement(sqlite3* db, const PolicyStatement& statement)
    : SqliteStatement(db, statement.sql)
{
    for (int i = 0; isValid() && i < statement.bindings.size(); ++i) {
        if (!bind(i + 1, statement.bindings.at(i))) {
            sqlite3_finalize(m_stmt);
            m_stmt = nullptr;
        }
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

bool SqliteStatement::bind(int index, const QVariant& value)
{
    if (!m_stmt)
        return false;
    int rc;
    if (value.isNull()) {
        rc = sqlite3_bind_null(m_stmt, index);
    } else {
        switch (value.typeId()) {
        case QMetaType::Bool:
            rc = sqlite3_bind_int(m_stmt, index, value.toBool() ? 1 : 0);
            break;
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::ULongLong:
            rc = sqlite3_bind_int64(m_stmt, index, value.toLongLong());
            break;
        case QMetaType::Double:
            rc = sqlite3_bind_double(m_stmt, index, value.toDouble());
            break;
        case QMetaType::QByteArray: {
            const QByteArray bytes = value.toByteArray();
            rc = sqlite3_bind_blob64(m_stmt, index, bytes.isEmpty() ? "" : bytes.constData(),
                                     sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
            break;
        }
        default: {
            // An empty string must stay '' (a null pointer would bind NULL).
            const QByteArray text = value.toString().toUtf8();
            rc = sqlite3_bind_text64(m_stmt, index, text.isEmpty() ? "" : text.constData(), sqlite3_uint64(text.size()),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
            break;
        }
        }
    }
    if (rc != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return false;
    }
    return true;
}

int SqliteStatement::step()
{
    if (!m_stmt)
        return SQLITE_MISUSE;
    const int rc = sqlite3_step(m_stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    return rc;
}

bool SqliteStatement::run()
{
    int rc;
    while ((rc = step()) == SQLITE_ROW) {
    }
    return rc == SQLITE_DONE;
}

void SqliteStatement::reset()
{
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

QVariant SqliteStatement::value(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_column_int64(m_stmt, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_stmt, column));
    case SQLITE_TEXT:
        return QVariant(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column)),
                                          sqlite3_column_bytes(m_stmt, column)));
    case SQLITE_BLOB: {
        const void* data = sqlite3_column_blob(m_stmt, column);
        return QVariant(QByteArray(static_cast<const char*>(data), sqlite3_column_bytes(m_stmt, column)));
    }
    default:
        return QVariant();
    }
}

int SqliteStatement::columnCount() const
{
    return m_stmt ? sqlite3_column_count(m_stmt) : 0;
}

QString SqliteStatement::errorMessage() const
{
    if (!m_error.isEmpty())
        return m_error;
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

bool SqliteStatement::exec(sqlite3* db, const QString& sql, QString* error)
{
    char* message = nullptr;
    if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        if (error)
            *error = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_free(message);
        return false;
    }
    return true;
}

bool SqliteStatement::isReadOnly() const
{
    return m_stmt && sqlite3_stmt_readonly(m_stmt) != 0;
}

int SqliteStatement::parameterCount() const
{
    return m_stmt ? sqlite3_bind_parameter_count(m_stmt) : 0;
}

QString SqliteStatement::parameterName(int index) const
{
    const char* name = m_stmt ? sqlite3_bind_parameter_name(m_stmt, index) : nullptr;
    return name ? QString::fromUtf8(name) : QString();
}

void SqliteStatement::setErrorSink(std::function<void(const QString&)> sink)
{
    m_sink = std::move(sink);
    if (m_sink && !m_error.isEmpty())
        m_sink(m_error);
}

void SqliteStatement::fail(const QString& message)
{
    m_error = message;
    if (m_sink)
        m_sink(message);
}

SqliteStatement& SqliteStatement::integer(qint64 value)
{
    if (m_stmt)
        sqlite3_bind_int64(m_stmt, ++m_column, value);
    return *this;
}

SqliteStatement& SqliteStatement::real(double value)
{
    if (m_stmt)
        sqlite3_bind_double(m_stmt, ++m_column, value);
    return *this;
}

SqliteStatement& SqliteStatement::text(std::string_view value)
{
    if (m_stmt)
        sqlite3_bind_text(m_stmt, ++m_column, value.empty() ? "" : value.data(), int(value.size()), SQLITE_STATIC);
    return *this;
}

SqliteStatement& SqliteStatement::blob(const void* data, int size)
{
    if (m_stmt)
        sqlite3_bind_blob(m_stmt, ++m_column, data, size, SQLITE_STATIC);
    return *this;
}

SqliteStatement& SqliteStatement::null()
{
    if (m_stmt)
        sqlite3_bind_null(m_stmt, ++m_column);
    return *this;
}

bool SqliteStatement::insert()
{
    m_column = 0;
    if (!m_stmt)
        return false;
    const bool ok = sqlite3_step(m_stmt) == SQLITE_DONE;
    if (!ok)
        fail(QString::fromUtf8(sqlite3_errmsg(m_db)));
    sqlite3_reset(m_stmt);
    return ok;
}
