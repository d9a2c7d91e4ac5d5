#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimeZone>

// A recurring request ("every Sunday 02:00 to 06:00, refresh contoso-uat from
// contoso-prod"), as the `schedules` table keeps it. Its occurrences are not rows until
// one is due: then the agent makes it a request (OperationService, RequestService) for
// that occurrence's window, or takes the restore point, and moves `nextStart` on.
struct Schedule
{
    static inline const QString Day = QStringLiteral("day");
    static inline const QString Week = QStringLiteral("week");
    // What a schedule may run: the operation kinds "refresh" and "export", and a
    // scheduled restore point.
    static inline const QString RestorePoint = QStringLiteral("restorepoint");

    qint64 id = 0;
    QString projectId;
    QString kind;
    QString source;
    QString target;
    QJsonObject request; // what the occurrence is made with: {"policy": path}
    QString every;       // Day or Week
    QDateTime firstStart;
    qint64 windowSeconds = 0;
    QByteArray timeZone;
    QDateTime nextStart; // the next occurrence not yet made
    bool active = true;
    QString who;
    QString note; // what the agent last had to say (occurrences skipped, one that failed)

    QTimeZone zone() const;
    // The occurrence after `occurrence` (the same wall-clock time in the schedule's
    // time zone a day or a week later, whatever daylight saving does in between).
    QDateTime after(const QDateTime& occurrence) const;
    // The first occurrence from nextStart on whose window has not ended at `now`, and
    // how many were passed over to reach it.
    QDateTime firstOpenAt(const QDateTime& now, int* skipped) const;
    // The next `count` occurrences from nextStart.
    QList<QDateTime> upcoming(int count) const;
    // "every Sunday 02:00–06:00 (Europe/Amsterdam)".
    QString text() const;
    QJsonObject toJson() const;
};
