#pragma once

#include "PairWriter.h"

#include "engine/PostgresConnection.h"
#include "environment/DatabaseRef.h"

// A PairWriter on a PostgreSQL database through PostgresConnection: `pairSql` is one
// transaction, BEGIN ... COMMIT, with %1 standing for the pair's number. A failed pair
// is rolled back; the writer gives up when the connection is lost.
class PostgresPairWriter : public PairWriter
{
public:
    PostgresPairWriter(const DatabaseRef& db, const QString& pairSql, int pauseMs);
    ~PostgresPairWriter() override;

protected:
    bool open(QString* error) override;
    bool writePair(qint64 k, QString* error, bool* lost) override;
    void close() override;

private:
    DatabaseRef m_db;
    QString m_pairSql;
    PostgresConnection m_connection;
};
