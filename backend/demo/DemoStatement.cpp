#include "demo/DemoStatement.h"

#include "demo/DemoDatabase.h"

#include <sqlite3.h>

DemoStatement::DemoStatement(DemoDatabase& db, const char* sql) : m_db(db)
{
    if (!db.ok() || !db.handle())
        return;
    if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        db.fail(QStringLiteral("%1 (in: %2)")
                    .arg(QString::fromUtf8(sqlite3_errmsg(db.handle())), QString::fromUtf8(sql).left(80)));
        m_stmt = nullptr;
    }
}

DemoStatement::~DemoStatement()
{
    sqlite3_finalize(m_stmt);
}

DemoStatement& DemoStatement::integer(qint64 value)
{
    if (m_stmt)
        sqlite3_bind_int64(m_stmt, ++m_column, value);
    return *this;
}

DemoStatement& DemoStatement::real(double value)
{
    if (m_stmt)
        sqlite3_bind_double(m_stmt, ++m_column, value);
    return *this;
}

DemoStatement& DemoStatement::text(std::string_view value)
{
    if (m_stmt)
        sqlite3_bind_text(m_stmt, ++m_column, value.empty() ? "" : value.data(), int(value.size()), SQLITE_STATIC);
    return *this;
}

DemoStatement& DemoStatement::blob(const void* data, int size)
{
    if (m_stmt)
        sqlite3_bind_blob(m_stmt, ++m_column, data, size, SQLITE_STATIC);
    return *this;
}

DemoStatement& DemoStatement::null()
{
    if (m_stmt)
        sqlite3_bind_null(m_stmt, ++m_column);
    return *this;
}

void DemoStatement::insert()
{
    m_column = 0;
    if (!m_stmt || !m_db.ok())
        return;
    if (sqlite3_step(m_stmt) != SQLITE_DONE)
        m_db.fail(QString::fromUtf8(sqlite3_errmsg(m_db.handle())));
    sqlite3_reset(m_stmt);
}
