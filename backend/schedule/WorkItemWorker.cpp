#include "schedule/WorkItemWorker.h"

#include "lifecycle/ApprovalService.h"

#include "agent/Agent.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "core/Clock.h"
#include "schedule/RequestService.h"
#include "schedule/ScheduleStore.h"

WorkItemWorker::WorkItemWorker(const QString& catalogFolder, const QString& projectId)
    : m_folder(catalogFolder)
    , m_projectId(projectId)
{
}

void WorkItemWorker::run()
{
    Catalog catalog;
    QString error;
    WorkItems result;
    if (!catalog.open(m_folder, &error)) {
        emit finished(result, error);
        return;
    }
    RequestService service(catalog);
    const QDateTime now = Clock::nowUtc();
    result.agentAlive = Agent::anyAlive(catalog);
    OperationStore store(catalog);
    ApprovalService approvals(catalog);
    for (const OperationRecord& r : store.awaitingApproval() + store.scheduled()) {
        if (!m_projectId.isEmpty() && r.projectId != m_projectId)
            continue;
        WorkItem item;
        item.request = r;
        if (r.state == OperationState::AwaitingApproval) {
            item.approveRefusal = approvals.refusal(r, true);
            item.rejectRefusal = approvals.refusal(r, false);
        }
        item.estimate = service.estimate(r);
        item.zone = service.timeZone(r.projectId);
        // Awaiting approval is not due: no agent may run it yet.
        if (!result.agentAlive && r.state == OperationState::Scheduled && r.windowStart <= now)
            ++result.dueWithoutAgent;
        result.items << item;
    }
    for (const Schedule& s : ScheduleStore(catalog).list()) {
        if (!m_projectId.isEmpty() && s.projectId != m_projectId)
            continue;
        WorkItem item;
        item.isSchedule = true;
        item.schedule = s;
        item.zone = s.zone();
        if (s.kind != Schedule::RestorePoint) {
            const auto target = catalog.environment(s.target);
            const auto source = s.source.isEmpty() ? std::nullopt : catalog.environment(s.source);
            if (target)
                item.estimate = service.estimate(s.kind, source ? &*source : nullptr, *target);
        }
        if (!result.agentAlive && s.nextStart <= now)
            ++result.dueWithoutAgent;
        result.items << item;
    }
    emit finished(result, QString());
}
