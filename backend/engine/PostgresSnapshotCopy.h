#pragma once

#include "engine/DatabaseEngine.h"

#include <QJsonObject>
#include <QString>

class PostgresConnection;

// Copies one instant of a PostgreSQL database into a new staging database on the
// target's server, fast and whole:
//  1. a coordinator connection opens a REPEATABLE READ transaction on the source and
//     exports its snapshot (pg_export_snapshot);
//  2. pg_dump --snapshot --exclude-table-data='*.*' -Fc takes the schema and the large
//     objects of that instant, and pg_restore --section=pre-data creates the schema in
//     the staging database (tables, types, functions, views, sequences, comments,
//     large objects), --section=data the large objects' contents;
//  3. worker threads, each with its own pair of connections bound to the same
//     snapshot (SET TRANSACTION SNAPSHOT), stream the tables, largest first, from
//     COPY ... TO STDOUT (FORMAT binary) into COPY ... FROM STDIN (FORMAT binary, FREEZE):
//     constant memory, every row of that instant and no other; a table larger than
//     splitBytes() is split into ranges of its heap pages that several workers copy at
//     once (COPY (SELECT ... WHERE ctid in the range), without FREEZE);
//  4. sequences get the positions they had (setval);
//  5. pg_restore --section=post-data -j N builds indexes, constraints and triggers
//     after the data, in parallel.
// Every statement waits at most lockTimeoutSeconds() for a lock; a cancel also cancels
// the statements running in the server (PQcancel), so neither a lock nor a long COPY
// holds a cancelled copy.
// When asked, the coordinator counts every table's own rows (count(*) FROM ONLY, the statement
// PostgresEngine::tableRowCounts() runs) in the snapshot it exported, while step 3 runs:
// the source's rows at the copied instant, counted apart from the COPY stream.
//
// Promises: never writes to the source; on a failure or a cancel the staging
// database is dropped (when the server still answers) and the error carries the
// server's or the tool's message. Progress is reported on the calling thread only.
class PostgresSnapshotCopy
{
public:
    struct Result
    {
        QJsonObject rows;       // table -> rows copied (from COPY's command tags)
        QJsonObject sourceRows; // table -> count(*) in the source's snapshot (when asked)
        qint64 bytes = 0;
        qint64 totalRows = 0;
        int tables = 0;
        int sequences = 0;
        int splitTables = 0; // copied by several workers, by ranges of pages
    };

    // With `countSource`, run() also counts every table's rows on the coordinator's
    // connection, in the exported snapshot itself, while the workers copy (Result::sourceRows).
    PostgresSnapshotCopy(const DatabaseRef& source, const DatabaseRef& staging, int jobs, bool countSource = false);

    bool run(const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled, Result* result,
             QString* error);

    // The SQL listing the tables whose rows a copy moves and a verification counts:
    // ordinary tables outside the system schemas and extensions. Columns: schema,
    // table, key (the bare name when visible on the search path, else schema.table),
    // bytes (heap + TOAST).
    static QString tablesQuery();
    // Creates the empty database `database` with the encoding and locale of the one `like` is connected to.
    static bool createDatabaseLike(PostgresConnection& like, const DatabaseRef& database, QString* error);
    // The key under which row counts hold the number of large objects (pg_catalog's
    // table: no table of a user schema is counted under that bare name), present
    // only when there are some.
    static QString largeObjectsKey();
    // How long a statement of the copy waits for a lock another session holds on a
    // table of the source before the copy fails with words: DATAALM_PG_LOCK_TIMEOUT
    // seconds, else 60.
    static int lockTimeoutSeconds();
    // Tables larger than this are copied by several workers at once, each a range of
    // the table's heap pages (PostgreSQL 14 and later: TID range scans), at most one
    // part per worker: DATAALM_PG_SPLIT_MB megabytes (0: every table of two pages or
    // more). Unset: -1, no table is split: a whole table is copied with FREEZE, and the
    // benchmark (tst_bench_postgres) measured splitting slower on a 2-core machine;
    // it pays where the servers have cores to spare, as pgcopydb's
    // --split-tables-larger-than (off by default too).
    static qint64 splitBytes();

    // A piece of the copy's work (PostgresSnapshotCopy.cpp).
    struct Part;

private:
    bool createStaging(PostgresConnection& source, QString* error);
    bool copyTables(const QString& snapshot, const QList<QStringList>& tables, const QList<Part>& parts,
                    const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled,
                    Result* result, QString* error);

    DatabaseRef m_source;
    DatabaseRef m_staging;
    int m_jobs;
    bool m_countSource;
};
