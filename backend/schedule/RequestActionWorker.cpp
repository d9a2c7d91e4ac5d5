#include "schedule/RequestActionWorker.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "lifecycle/ApprovalService.h"
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
    case Action::Approve:
    case Action::Reject: {
        const auto op = OperationStore(catalog).get(m_request.id);
        if (!op) {
            error = QStringLiteral("There is no operation %1.").arg(m_request.id);
            break;
        }
        ApprovalService approvals(catalog);
        const ApprovalService::Outcome outcome = m_request.action == Action::Approve
                                                     ? approvals.approve(*op, m_request.reason, &error)
                                                     : approvals.reject(*op, m_request.reason, &error);
        ok = outcome == ApprovalService::Outcome::Done;
        refused = outcome == ApprovalService::Outcome::NotAllowed;
        if (ok)
            service.touch();
        break;
    }
    }
    emit finished(ok, refused, ok ? QString() : error);
}
