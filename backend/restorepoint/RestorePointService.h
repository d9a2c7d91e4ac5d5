#pragma once

#include "environment/RestorePoint.h"

#include <QDateTime>
#include <QStringList>
#include <functional>
#include <optional>

class Catalog;

// Creates, deletes and expires restore points, for the CLI (`restorepoint create|
// delete`, `cleanup`), the console (on a worker thread) and the agent alike.
//
// Promises:
// - create() records the restore point (Creating) and names its databases in the
//   catalog before it writes any of them, copies each from one consistent instant
//   while writers go on (SQLite: the backup API in one read transaction, into the
//   catalog's folder; PostgreSQL: the exported-snapshot copy into a database beside
//   it on the same server), and marks it Available only when every copy is whole. A
//   failure (a full disk, a cancel, a lost server) removes what it wrote and the row.
// - remove() refuses, with OperationRules' sentence, a restore point that an operation
//   can still be rolled back to or that an unfinished restore reads; it marks the row
//   Deleting before it drops anything, so a crash is finished by the next sweep().
// - sweep() removes what a dead process left Creating or Deleting, the restore points
//   of operations rolled back or aborted, and the expired ones that nothing needs.
// - Nothing here touches an environment's own databases except to read them.
class RestorePointService
{
public:
    using Progress = std::function<void(qint64 done, qint64 total, qint64 bytes)>;
    using Cancelled = std::function<bool()>;

    explicit RestorePointService(Catalog& catalog);

    // The folder under the catalog where the SQLite copies of restore point `id` live.
    QString folderFor(const QString& environmentId, qint64 id) const;

    std::optional<qint64> create(const Environment& environment, const QString& kind, const Progress& progress,
                                 const Cancelled& cancelled, QString* error);
    // `refused` is set when the rules refuse (as opposed to a failure to drop).
    bool remove(qint64 id, QString* error, bool* refused = nullptr);

    struct SweepReport
    {
        QList<qint64> removed;
        QStringList problems; // one sentence per restore point that could not be removed
    };
    SweepReport sweep(const QDateTime& now);
    // Whether sweep() at `now` has anything to do (read from the catalog only).
    bool sweepDue(const QDateTime& now) const;

private:
    bool dropDatabases(const RestorePoint& point, QString* error);
    Catalog& m_catalog;
};
