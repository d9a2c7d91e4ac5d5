#include "restorepoint/RestorePointWorker.h"

#include "catalog/Catalog.h"
#include "catalog/RestorePointStore.h"
#include "core/ByteSize.h"
#include "core/Clock.h"
#include "restorepoint/RestorePointService.h"

#include <QElapsedTimer>
#include <QThread>

RestorePointWorker::RestorePointWorker(const QString& catalogFolder, Task task, const QString& subject)
    : m_catalogFolder(catalogFolder), m_task(task), m_subject(subject)
{
}

void RestorePointWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_catalogFolder, &error)) {
        Q_EMIT finished(false, error, false);
        return;
    }
    RestorePointService service(catalog);
    switch (m_task) {
    case Create: {
        const std::optional<Environment> env = catalog.environment(m_subject);
        if (!env) {
            Q_EMIT finished(false, tr("Unknown environment %1.").arg(m_subject), true);
            return;
        }
        QElapsedTimer shown;
        shown.start();
        const std::optional<qint64> id = service.create(
            *env, RestorePoint::Manual,
            [&](qint64 done, qint64 total, qint64) {
                if (shown.elapsed() < 100 && done < total)
                    return;
                shown.restart();
                Q_EMIT progressed(done, total);
            },
            [] { return QThread::currentThread()->isInterruptionRequested(); }, &error);
        if (!id) {
            Q_EMIT finished(false, error, false);
            return;
        }
        const std::optional<RestorePoint> p = RestorePointStore(catalog).get(*id);
        Q_EMIT finished(true,
                        tr("Restore point %1 of %2: %3, kept until %4 UTC.")
                            .arg(*id)
                            .arg(m_subject, ByteSize::text(p ? p->bytes : 0),
                                 p ? p->expires.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString()),
                        false);
        return;
    }
    case Delete: {
        bool refused = false;
        const bool ok = service.remove(m_subject.toLongLong(), &error, &refused);
        Q_EMIT finished(ok, ok ? tr("Deleted restore point %1.").arg(m_subject) : error, refused);
        return;
    }
    case Sweep: {
        const RestorePointService::SweepReport r = service.sweep(Clock::nowUtc());
        Q_EMIT finished(r.problems.isEmpty(),
                        r.problems.isEmpty() ? tr("Removed %n restore point(s) nothing needs.", nullptr,
                                                  int(r.removed.size()))
                                             : r.problems.join(QLatin1Char(' ')),
                        false);
        return;
    }
    }
}
