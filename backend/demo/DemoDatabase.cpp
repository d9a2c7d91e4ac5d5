#include "demo/DemoDatabase.h"

#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

DemoDatabase::~DemoDatabase()
{
    close();
}

void DemoDatabase::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

void DemoDatabase::fail(const QString& what)
{
    if (m_error.isEmpty())
        m_error = QStringLiteral("%1: %2").arg(m_path, what);
}

bool DemoDatabase::create(const QString& path)
{
    m_path = path;
    if (QFileInfo::exists(path)) {
        fail(QStringLiteral("the file already exists"));
        return false;
    }
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        fail(m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(rc)));
        close();
        return false;
    }
    // Nothing else sees the file until it is registered, and a failure deletes it:
    // no journal, no fsync, no locking round-trips while loading.
    exec("PRAGMA page_size = 4096");
    exec("PRAGMA journal_mode = OFF");
    exec("PRAGMA synchronous = OFF");
    exec("PRAGMA locking_mode = EXCLUSIVE");
    exec("PRAGMA cache_size = -65536");
    exec("PRAGMA temp_store = MEMORY");
    exec("PRAGMA threads = 2");
    exec("BEGIN");
    return ok();
}

void DemoDatabase::exec(const char* sql)
{
    if (!ok() || !m_db)
        return;
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        fail(QStringLiteral("%1 (in: %2)")
                 .arg(QString::fromUtf8(message ? message : sqlite3_errmsg(m_db)), QString::fromUtf8(sql).left(80)));
    }
    sqlite3_free(message);
}

qint64 DemoDatabase::pragmaValue(const char* sql)
{
    if (!ok() || !m_db)
        return 0;
    sqlite3_stmt* stmt = nullptr;
    qint64 value = 0;
    if (sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    else
        fail(QString::fromUtf8(sqlite3_errmsg(m_db)));
    sqlite3_finalize(stmt);
    return value;
}

qint64 DemoDatabase::size()
{
    return pragmaValue("PRAGMA page_count") * pragmaValue("PRAGMA page_size");
}

bool DemoDatabase::finish()
{
    exec("COMMIT");
    // WAL lets a refresh copy one instant of the database while others write to it.
    // Leaving exclusive locking mode first lets closing checkpoint and delete the -wal.
    exec("PRAGMA locking_mode = NORMAL");
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA wal_checkpoint(TRUNCATE)");
    if (ok() && m_db && sqlite3_close(m_db) != SQLITE_OK)
        fail(QString::fromUtf8(sqlite3_errmsg(m_db)));
    else
        m_db = nullptr;
    if (!ok())
        return false;
    // The file was written without syncs; make it durable before the catalog points at it.
    const int fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0)
        fail(QStringLiteral("cannot sync the file to disk"));
    if (fd >= 0)
        ::close(fd);
    return ok();
}
