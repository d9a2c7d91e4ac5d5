#include "schedule/EstimateWorker.h"

#include "catalog/Catalog.h"
#include "schedule/RequestService.h"

EstimateWorker::EstimateWorker(const QString& catalogFolder, const QString& kind, const QString& sourceId,
                               const QString& targetId)
    : m_folder(catalogFolder)
    , m_kind(kind)
    , m_source(sourceId)
    , m_target(targetId)
{
}

void EstimateWorker::run()
{
    Catalog catalog;
    QString error;
    const auto target = catalog.open(m_folder, &error) ? catalog.environment(m_target) : std::nullopt;
    if (!target) {
        emit finished({}, 0, QTimeZone::systemTimeZone().id());
        return;
    }
    RequestService service(catalog);
    const auto source = m_source.isEmpty() ? std::nullopt : catalog.environment(m_source);
    emit finished(service.estimate(m_kind, source ? &*source : nullptr, *target),
                  service.minimumNoticeMinutes(target->projectId), service.timeZone(target->projectId).id());
}
