#pragma once

#include "environment/DatabaseRef.h"

#include <QString>
#include <atomic>
#include <functional>

// Loads one demo database, written as SQLite by the demo's writers (so the rows are
// the very rows of the SQLite demo, deterministic), into a new PostgreSQL database:
// tables with their keys and unique constraints (identifiers quoted in the demo's
// upper case), rows streamed with COPY FROM STDIN, then the secondary indexes, the
// views and triggers in PostgreSQL's dialect and a few comments.
//
// Promises: creates `target` (it must not exist) and nothing else; on a failure the
// caller drops it. The SQLite file is only read.
class DemoPostgresLoader
{
public:
    // `bytes`: bytes sent so far. Returning false stops the load (load() fails).
    using Progress = std::function<bool(qint64 bytes)>;

    bool load(const QString& sqlitePath, const DatabaseRef& target, QString* error, const Progress& progress = {});
};
