#include "PostgresPairWriter.h"

PostgresPairWriter::PostgresPairWriter(const DatabaseRef& db, const QString& pairSql, int pauseMs)
    : PairWriter(pauseMs), m_db(db), m_pairSql(pairSql)
{
}

PostgresPairWriter::~PostgresPairWriter()
{
    stop();
}

bool PostgresPairWriter::open(QString* error)
{
    return m_connection.open(m_db, error);
}

bool PostgresPairWriter::writePair(qint64 k, QString* error, bool* lost)
{
    *lost = false;
    if (m_connection.exec(m_pairSql.arg(k), error))
        return true;
    m_connection.exec(QStringLiteral("ROLLBACK"), nullptr);
    *lost = !m_connection.isHealthy();
    return false;
}

void PostgresPairWriter::close()
{
    m_connection.close();
}
