#include "schedule/WorkItem.h"

#include "schedule/RequestWindow.h"

#include <QLocale>

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
    // The zone is said once by the view, not on every row.
    const QLocale c = QLocale::c();
    if (isSchedule) {
        const QDateTime next = schedule.nextStart.toTimeZone(zone);
        const QDateTime end = next.addSecs(schedule.windowSeconds);
        const QString day = schedule.every == Schedule::Week ? c.dayName(next.date().dayOfWeek()) : QStringLiteral("day");
        return QStringLiteral("every %1 %2–%3 (next %4)")
            .arg(day, c.toString(next.time(), QStringLiteral("HH:mm")), c.toString(end.time(), QStringLiteral("HH:mm")),
                 c.toString(next.date(), QStringLiteral("ddd d MMM")));
    }
    const QDateTime s = request.windowStart.toTimeZone(zone);
    const QDateTime e = request.windowEnd.toTimeZone(zone);
    return QStringLiteral("%1 – %2").arg(c.toString(s, QStringLiteral("ddd d MMM yyyy HH:mm")),
                                         s.date() == e.date() ? c.toString(e, QStringLiteral("HH:mm"))
                                                              : c.toString(e, QStringLiteral("ddd d MMM HH:mm")));
}
