#include "restorepoint/RestorePointService.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "catalog/RestorePointStore.h"
#include "catalog/TeamAccess.h"
#include "core/Clock.h"
#include "core/TestHooks.h"
#include "engine/DatabaseEngine.h"
#include "operation/OperationRules.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>

#include <spdlog/spdlog.h>

RestorePointService::RestorePointService(Catalog& catalog)
    : m_catalog(catalog)
{
}

QString RestorePointService::folderFor(const QString& environmentId, qint64 id) const
{
    return QDir(m_catalog.folder()).filePath(QStringLiteral("restore-points/%1/%2").arg(environmentId).arg(id));
}

std::optional<qint64> RestorePointService::create(const Environment& environment, const QString& kind,
                                                  const Progress& progress, const Cancelled& cancelled, QString* error)
{
    if (environment.databases.isEmpty()) {
        *error = QStringLiteral("%1 has no database to keep").arg(environment.id);
        return std::nullopt;
    }
    if (const QString denied =
            TeamAccess(m_catalog).refusal(environment.projectId, environment.id, TeamAccess::Right::Operate);
        !denied.isEmpty()) {
        *error = denied;
        return std::nullopt;
    }
    RestorePointStore store(m_catalog);
    RestorePoint planned;
    planned.projectId = environment.projectId;
    planned.environmentId = environment.id;
    planned.kind = kind;
    planned.created = Clock::nowUtc();
    planned.expires = planned.created.addDays(store.retentionDays(environment.projectId, environment.type));
    planned.versions = environment.versions;
    planned.tenant = environment.tenant;
    const std::optional<qint64> id = store.begin(planned, error);
    if (!id)
        return std::nullopt;
    RestorePoint point = planned;
    point.id = *id;
    point.state = RestorePoint::Creating;
    const QString folder = folderFor(environment.id, *id);
    QList<std::shared_ptr<DatabaseEngine>> engines;
    for (const DatabaseRef& db : environment.databases) {
        std::shared_ptr<DatabaseEngine> engine = DatabaseEngine::forDatabase(db);
        if (!engine) {
            *error = QStringLiteral("no engine for %1's %2 database (%3)").arg(environment.id, db.role, db.driver);
            store.remove(*id);
            return std::nullopt;
        }
        point.databases.append(engine->keptCopyFor(db, *id, folder));
        engines.append(engine);
    }
    // Named before anything is written: a crash from here leaves a row that says what to remove.
    if (!store.setDatabases(*id, point.databases, error)) {
        store.remove(*id);
        return std::nullopt;
    }
    TestHooks::crashPoint("restorepoint-recorded");
    const auto fail = [&](const QString& why) {
        *error = why;
        QString e;
        if (dropDatabases(point, &e))
            store.remove(*id);
        else
            spdlog::warn("restore point {}: {} (left for the next cleanup)", *id, e.toStdString());
        return std::nullopt;
    };
    if (environment.databases.first().isSqlite() && !QDir().mkpath(folder))
        return fail(QStringLiteral("cannot create the folder %1").arg(folder));

    qint64 totalBefore = 0;
    for (int i = 0; i < environment.databases.size(); ++i)
        totalBefore += std::max<qint64>(0, engines[i]->sizeBytes(environment.databases[i]));
    qint64 doneBefore = 0;
    qint64 bytes = 0;
    // The instant the first copy starts: what the restore point holds.
    const QDateTime instant = Clock::nowUtc();
    bool midCrashArmed = true;
    for (int i = 0; i < environment.databases.size(); ++i) {
        const DatabaseRef& db = environment.databases[i];
        qint64 copied = 0;
        QString e;
        const bool ok = engines[i]->copySnapshot(
            db, point.databases[i],
            [&](qint64 done, qint64 total, qint64 b) {
                copied = b;
                if (midCrashArmed && done * 2 >= total && done < total) {
                    midCrashArmed = false;
                    TestHooks::crashPoint("restorepoint-copy-mid");
                }
                if (progress)
                    progress(doneBefore + done, std::max(totalBefore, doneBefore + total), doneBefore + b);
                if (const int delay = TestHooks::copyDelayMs(); delay > 0)
                    QThread::msleep(delay);
            },
            cancelled, &e);
        if (!ok)
            return fail(cancelled && cancelled()
                            ? QStringLiteral("cancelled; nothing of restore point %1 is kept").arg(*id)
                            : QStringLiteral("cannot copy %1's %2 database: %3").arg(environment.id, db.role, e));
        TestHooks::crashPoint("restorepoint-copied-one");
        doneBefore += copied;
        const qint64 size = engines[i]->sizeBytes(point.databases[i]);
        bytes += size > 0 ? size : copied;
    }
    const QDateTime expires = instant.addDays(store.retentionDays(environment.projectId, environment.type));
    QString e;
    if (!store.finish(*id, instant, expires, bytes, &e))
        return fail(e);
    m_catalog.audit(QStringLiteral("restorepoint.create"), environment.id,
                    QStringLiteral("restore point %1 (%2)").arg(*id).arg(kind));
    return id;
}

bool RestorePointService::dropDatabases(const RestorePoint& point, QString* error)
{
    bool ok = true;
    for (const DatabaseRef& db : point.databases) {
        std::unique_ptr<DatabaseEngine> engine = DatabaseEngine::forDatabase(db);
        QString e;
        if (!engine || !engine->drop(db, &e)) {
            ok = false;
            *error = QStringLiteral("cannot remove %1: %2").arg(db.location(), e);
        }
    }
    if (ok && point.kind != RestorePoint::Operation && !point.databases.isEmpty() &&
        point.databases.first().isSqlite())
    {
        const QString folder = folderFor(point.environmentId, point.id);
        QDir().rmdir(folder);
        QDir().rmdir(QFileInfo(folder).path()); // the environment's, once empty
    }
    return ok;
}

bool RestorePointService::remove(qint64 id, QString* error, bool* refused)
{
    if (refused)
        *refused = false;
    RestorePointStore store(m_catalog);
    const std::optional<RestorePoint> point = store.get(id);
    if (!point) {
        *error = QStringLiteral("unknown restore point %1").arg(id);
        if (refused)
            *refused = true;
        return false;
    }
    OperationStore operations(m_catalog);
    std::optional<OperationRecord> owner;
    if (point->kind == RestorePoint::Operation)
        owner = operations.get(point->operationId);
    const QString why =
        point->state == RestorePoint::Deleting
            ? QString()
            : OperationRules::restorePointDeletionRefusal(*point, owner, operations.listUnsettled());
    if (!why.isEmpty()) {
        *error = why;
        if (refused)
            *refused = true;
        return false;
    }
    if (!store.markDeleting(id, error))
        return false;
    TestHooks::crashPoint("restorepoint-deleting");
    if (!dropDatabases(*point, error))
        return false;
    store.remove(id);
    m_catalog.audit(QStringLiteral("restorepoint.delete"), point->environmentId,
                    QStringLiteral("restore point %1").arg(id));
    return true;
}

bool RestorePointService::sweepDue(const QDateTime& now) const
{
    RestorePointStore store(m_catalog);
    return !store.abandoned().isEmpty() || !store.ofEndedOperations().isEmpty() || !store.expired(now).isEmpty();
}

RestorePointService::SweepReport RestorePointService::sweep(const QDateTime& now)
{
    SweepReport report;
    RestorePointStore store(m_catalog);
    OperationStore operations(m_catalog);
    const auto drop = [&](const RestorePoint& p, const QString& why) {
        QString e;
        if (!store.markDeleting(p.id, &e) || !dropDatabases(p, &e)) {
            report.problems << QStringLiteral("restore point %1: %2").arg(p.id).arg(e);
            return;
        }
        store.remove(p.id);
        m_catalog.audit(QStringLiteral("restorepoint.remove"), p.environmentId,
                        QStringLiteral("restore point %1: %2").arg(p.id).arg(why));
        report.removed << p.id;
    };
    for (const RestorePoint& p : store.abandoned())
        drop(p, p.state == RestorePoint::Creating ? QStringLiteral("its creation was interrupted")
                                                  : QStringLiteral("its deletion was interrupted"));
    for (const RestorePoint& p : store.ofEndedOperations())
        drop(p, QStringLiteral("its operation was rolled back or aborted"));
    const QList<RestorePoint> expired = store.expired(now);
    if (!expired.isEmpty()) {
        const QList<OperationRecord> unsettled = operations.listUnsettled();
        for (const RestorePoint& p : expired) {
            std::optional<OperationRecord> owner;
            if (p.kind == RestorePoint::Operation)
                owner = operations.get(p.operationId);
            // Kept while an operation can still roll back to it or a restore reads it.
            if (!OperationRules::restorePointDeletionRefusal(p, owner, unsettled).isEmpty())
                continue;
            drop(p, QStringLiteral("it expired"));
        }
    }
    return report;
}
