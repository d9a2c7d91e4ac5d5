#include "schedule/WorkItem.h"

#include "schedule/RequestWindow.h"

QString WorkItem::idText() const
{
    return isSchedule ? QStringLiteral("S%1").arg(schedule.id) : QString::number(request.id);
}

QString WorkItem::kindTitle() const
{
    if (isSchedule && schedule.kind == Schedule::RestorePoint)
        return QStringLiteral("Restore point");
    OperationRecord r = isSchedule ? OperationRecord{} : request;
    if (isSchedule) {
        r.kind = schedule.kind;
        r.source = schedule.source;
        r.target = schedule.target;
    }
    return r.title();
}

QString WorkItem::windowText() const
{
    if (isSchedule)
        return schedule.text() + QStringLiteral(", next ") +
               RequestWindow{schedule.nextStart, schedule.nextStart.addSecs(schedule.windowSeconds)}.text(zone);
    return RequestWindow{request.windowStart, request.windowEnd}.text(zone);
}

QString WorkItem::statusText() const
{
    if (isSchedule)
        return QStringLiteral("Recurring");
    return QStringLiteral("Scheduled");
}
