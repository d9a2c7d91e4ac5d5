#include "schedule/Schedule.h"

#include <QJsonArray>
#include <QLocale>

QTimeZone Schedule::zone() const
{
    const QTimeZone z(timeZone);
    return z.isValid() ? z : QTimeZone::systemTimeZone();
}

QDateTime Schedule::after(const QDateTime& occurrence) const
{
    const QDateTime local = occurrence.toTimeZone(zone());
    const QDate next = local.date().addDays(every == Week ? 7 : 1);
    return QDateTime(next, local.time(), zone()).toUTC();
}

QDateTime Schedule::firstOpenAt(const QDateTime& now, int* skipped) const
{
    QDateTime at = nextStart;
    int n = 0;
    while (at.addSecs(windowSeconds) <= now && n < 100000) {
        at = after(at);
        ++n;
    }
    if (skipped)
        *skipped = n;
    return at;
}

QList<QDateTime> Schedule::upcoming(int count) const
{
    QList<QDateTime> list;
    QDateTime at = nextStart;
    for (int i = 0; i < count; ++i) {
        list << at;
        at = after(at);
    }
    return list;
}

QString Schedule::text() const
{
    const QDateTime local = nextStart.toTimeZone(zone());
    const QLocale c = QLocale::c();
    const QString day = every == Week ? c.dayName(local.date().dayOfWeek()) : QStringLiteral("day");
    return QStringLiteral("every %1 %2–%3 (%4)")
        .arg(day, c.toString(local.time(), QStringLiteral("HH:mm")),
             c.toString(local.addSecs(windowSeconds).time(), QStringLiteral("HH:mm")),
             QString::fromUtf8(zone().id()));
}

QJsonObject Schedule::toJson() const
{
    QJsonArray next;
    if (active) {
        for (const QDateTime& t : upcoming(3))
            next.append(QJsonObject{{QStringLiteral("start"), t.toUTC().toString(Qt::ISODate)},
                                    {QStringLiteral("end"), t.addSecs(windowSeconds).toUTC().toString(Qt::ISODate)}});
    }
    return QJsonObject{{QStringLiteral("schedule"), id},
                       {QStringLiteral("kind"), kind},
                       {QStringLiteral("project"), projectId},
                       {QStringLiteral("source"), source.isEmpty() ? QJsonValue() : QJsonValue(source)},
                       {QStringLiteral("target"), target},
                       {QStringLiteral("every"), every},
                       {QStringLiteral("windowSeconds"), windowSeconds},
                       {QStringLiteral("timeZone"), QString::fromUtf8(zone().id())},
                       {QStringLiteral("state"), active ? QStringLiteral("Active") : QStringLiteral("Canceled")},
                       {QStringLiteral("who"), who},
                       {QStringLiteral("note"), note.isEmpty() ? QJsonValue() : QJsonValue(note)},
                       {QStringLiteral("next"), next}};
}
