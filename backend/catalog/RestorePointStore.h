#pragma once

#include "environment/RestorePoint.h"
#include "environment/EnvironmentType.h"

#include <QList>
#include <optional>

class Catalog;
class RunbookLog;

// Persists restore points in the catalog's restore_points table. A restore point is
// written here before any of its databases exists (state Creating, with the process
// that writes it), so that a crash at any instant leaves a row from which what was
// half-written is found and removed (RestorePointService::sweep); it becomes Available
// only once every database is whole.
//
// Promises: only an Available restore point is ever offered for a restore; a
// restore point's databases are named before they are written; an operation has at
// most one restore point (UNIQUE operation_id).
class RestorePointStore
{
public:
    explicit RestorePointStore(Catalog& catalog);

    // How long `projectId` keeps a restore point of an environment of `type` (28 days
    // for production, 7 for the others unless the project says otherwise).
    int retentionDays(const QString& projectId, EnvironmentType type) const;
    bool setRetention(const QString& projectId, int productionDays, int otherDays, QString* error);

    // Inserts `point` as Creating, owned by this process; its id. Its databases are named
    // with setDatabases() before they are written.
    std::optional<qint64> begin(const RestorePoint& point, QString* error);
    bool setDatabases(qint64 id, const QList<DatabaseRef>& databases, QString* error);
    // Creating -> Available, with the instant the copies hold, their size and expiry.
    bool finish(qint64 id, const QDateTime& created, const QDateTime& expires, qint64 bytes, QString* error);
    // The restore point of an operation (kind `operation`), Available: written by a job
    // before the first database of the target moves (refresh's swap, apply's copy);
    // written again (same row) by a Resume.
    std::optional<qint64> recordForOperation(qint64 operationId, const QString& environmentId,
                                             const QList<DatabaseRef>& databases, qint64 bytes, QString* error);
    // At sign-off: whether operation `operationId`'s replaced databases stay listed as
    // its restore point until it expires (instead of being released); says so in `log`.
    bool keptAfterSignOff(qint64 operationId, RunbookLog* log) const;
    // Available -> Deleting, owned by this process (written before anything is dropped).
    bool markDeleting(qint64 id, QString* error);
    bool remove(qint64 id);

    std::optional<RestorePoint> get(qint64 id) const;
    std::optional<RestorePoint> forOperation(qint64 operationId) const;
    // An environment's restore points (all environments when empty), newest first.
    QList<RestorePoint> list(const QString& environmentId = {}) const;
    // The restore points left Creating or Deleting by a process that is gone.
    QList<RestorePoint> abandoned() const;
    // The Available ones whose expiry is at or before `now`.
    QList<RestorePoint> expired(const QDateTime& now) const;
    // The restore points of operations that ended without needing them any more: rolled
    // back (the databases went back into the target) or aborted.
    QList<RestorePoint> ofEndedOperations() const;

private:
    QList<RestorePoint> select(const QString& where, const QVariantList& values) const;
    Catalog& m_catalog;
};
