#pragma once

#include "PairWriter.h"

#include <QByteArray>

struct sqlite3;

// A PairWriter on a SQLite file through the sqlite3 C API, as any application would
// write to it: it waits up to 5 s for a lock rather than fail at once. `setupSql` runs
// once after opening (e.g. "PRAGMA foreign_keys = ON"; empty: nothing); `pairSql` is one
// transaction, BEGIN IMMEDIATE ... COMMIT, with %1 standing for the pair's number.
class SqlitePairWriter : public PairWriter
{
public:
    SqlitePairWriter(const QString& path, const QString& pairSql, const QString& setupSql, int pauseMs);
    ~SqlitePairWriter() override;

protected:
    bool open(QString* error) override;
    bool writePair(qint64 k, QString* error, bool* lost) override;
    void close() override;

private:
    QByteArray m_path;
    QString m_pairSql;
    QByteArray m_setupSql;
    sqlite3* m_db = nullptr;
};
