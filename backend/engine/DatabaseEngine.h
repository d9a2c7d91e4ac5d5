#pragma once

#include "environment/DatabaseRef.h"

#include <QString>
#include <functional>
#include <memory>

// What an operation needs from a database engine, so that the refresh and apply
// runbooks are written once for SQLite files and PostgreSQL servers alike.
//
// Promises of every implementation:
// - copySnapshot() copies one consistent instant of the source, while the source
//   keeps serving, into a staging database that is never the target.
// - swap() and restore() are idempotent and crash-safe: at every instant the target
//   name holds a whole database (the old one or the new one), so a crash is repaired
//   by running them again.
// - Nothing here ever writes to a source database.
class DatabaseEngine
{
public:
    // done/total in the engine's units (pages, rows), bytes copied so far.
    using Progress = std::function<void(qint64 done, qint64 total, qint64 bytes)>;
    using Cancelled = std::function<bool()>;

    virtual ~DatabaseEngine() = default;
    static std::unique_ptr<DatabaseEngine> forDatabase(const DatabaseRef& ref);

    // Opens the database read-only and reads its schema.
    virtual bool test(const DatabaseRef& ref, QString* error) = 0;
    virtual bool exists(const DatabaseRef& ref) = 0;
    // Size on disk, -1 if unknown.
    virtual qint64 sizeBytes(const DatabaseRef& ref) = 0;
    // Free space where a staging copy of `target` would be written, -1 if unknown.
    virtual qint64 freeBytesFor(const DatabaseRef& target) = 0;

    virtual DatabaseRef stagingFor(const DatabaseRef& target, qint64 operationId) = 0;
    virtual DatabaseRef restorePointFor(const DatabaseRef& target, qint64 operationId) = 0;

    virtual bool copySnapshot(const DatabaseRef& source, const DatabaseRef& staging, const Progress& progress,
                              const Cancelled& cancelled, QString* error) = 0;
    // Removes a staging database or a released restore point; absent is fine.
    virtual bool drop(const DatabaseRef& ref, QString* error) = 0;
    // Puts `staging` in place of `target`, keeping the previous target as `restorePoint`.
    virtual bool swap(const DatabaseRef& target, const DatabaseRef& staging, const DatabaseRef& restorePoint,
                      QString* error) = 0;
    // Puts `restorePoint` back in place of `target` (rollback). No restore point: nothing to do.
    virtual bool restore(const DatabaseRef& target, const DatabaseRef& restorePoint, QString* error) = 0;
};
