#include "demo/DemoDatabase.h"

#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <unistd.h>

DemoDatabase::~DemoDatabase() = default;

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
    QString error;
    if (!m_connection.open(path, SqliteConnection::Create, &error)) {
        fail(error);
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
    if (!ok() || !m_connection.isOpen())
        return;
    QString error;
    if (!m_connection.exec(QString::fromUtf8(sql), &error))
        fail(QStringLiteral("%1 (in: %2)").arg(error, QString::fromUtf8(sql).left(80)));
}

qint64 DemoDatabase::pragmaValue(const char* sql)
{
    if (!ok() || !m_connection.isOpen())
        return 0;
    QString error;
    const QVariant value = m_connection.scalar(QString::fromUtf8(sql), &error);
    if (!value.isValid())
        fail(error);
    return value.toLongLong();
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
    QString error;
    if (ok() && !m_connection.close(&error))
        fail(error);
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

SqliteStatement DemoDatabase::prepare(const char* sql)
{
    SqliteStatement statement(ok() ? m_connection.handle() : nullptr, sql, SqliteStatement::Reuse::Many);
    if (ok())
        statement.setErrorSink([this](const QString& message) { fail(message); });
    return statement;
}
