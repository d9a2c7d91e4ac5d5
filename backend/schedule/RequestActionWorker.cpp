#include "schedule/RequestActionWorker.h"

#include "catalog/Catalog.h"
#include "schedule/RequestService.h"
#include "schedule/ScheduleStore.h"

RequestActionWorker::RequestActionWorker(const Request& request)
    : m_request(request)
{
}

void RequestActionWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_request.catalogFolder, &error)) {
        emit finished(false, false, error);
        return;
    }
    RequestService service(catalog);
    bool refused = false;
    bool ok = false;
    switch (m_request.action) {
    case Action::Reschedule:
        ok = service.reschedule(m_request.id, m_request.window, m_request.instant, m_request.force, &error, &refused);
        break;
    case Action::Cancel:
        ok = service.cancel(m_request.id, &error, &refused);
        break;
    case Action::CancelSchedule:
        ok = ScheduleStore(catalog).cancel(m_request.id, &error);
        refused = !ok;
        if (ok)
            service.touch();
        break;
    }
    emit finished(ok, refused, ok ? QString() : error);
}
