#include "SqlitePairWriter.h"

#include <QFile>

#include <sqlite3.h>

SqlitePairWriter::SqlitePairWriter(const QString& path, const QString& pairSql, const QString& setupSql, int pauseMs)
    : PairWriter(pauseMs), m_path(QFile::encodeName(path)), m_pairSql(pairSql), m_setupSql(setupSql.toUtf8())
{
}

SqlitePairWriter::~SqlitePairWriter()
{
    stop();
}

bool SqlitePairWriter::open(QString* error)
{
    if (sqlite3_open_v2(m_path.constData(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        *error = QStringLiteral("open: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db)));
        close();
        return false;
    }
    // What any application would do: wait for a lock rather than fail at once.
    sqlite3_busy_timeout(m_db, 5000);
    if (!m_setupSql.isEmpty())
        sqlite3_exec(m_db, m_setupSql.constData(), nullptr, nullptr, nullptr);
    return true;
}

bool SqlitePairWriter::writePair(qint64 k, QString* error, bool* lost)
{
    *lost = false;
    const QByteArray sql = m_pairSql.arg(k).toUtf8();
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, &message) == SQLITE_OK)
        return true;
    *error = QString::fromUtf8(message);
    sqlite3_free(message);
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
}

void SqlitePairWriter::close()
{
    sqlite3_close(m_db);
    m_db = nullptr;
}
