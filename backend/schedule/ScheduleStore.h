#pragma once

#include "schedule/Schedule.h"

#include <optional>

class Catalog;

// The `schedules` table: recurring requests.
//
// Promises: advance() moves a schedule's next occurrence only from the value the caller
// read (compare-and-set), so that of two agents one makes an occurrence and the other
// sees it made; an occurrence is made at most once.
class ScheduleStore
{
public:
    explicit ScheduleStore(Catalog& catalog);

    std::optional<qint64> create(const Schedule& schedule, QString* error);
    std::optional<Schedule> get(qint64 id) const;
    // Active ones, the earliest next occurrence first; all of them with `withCanceled`.
    QList<Schedule> list(bool withCanceled = false) const;
    bool cancel(qint64 id, QString* error);
    // Sets next_start to `next` (and the note) if it is still `expected`.
    bool advance(qint64 id, const QDateTime& expected, const QDateTime& next, const QString& note);
    // The earliest next occurrence of an active schedule (invalid: none).
    QDateTime nextStart() const;

private:
    Catalog& m_catalog;
};
