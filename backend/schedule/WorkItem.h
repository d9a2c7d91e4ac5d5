#pragma once

#include "operation/OperationRecord.h"
#include "schedule/DurationEstimate.h"
#include "schedule/Schedule.h"

#include <QList>
#include <QMetaType>
#include <QTimeZone>

// One row of the Work items view: a request waiting for its window or an approval, or a recurring
// schedule, with what the view shows of it (its estimate, its time zone). A value type,
// read on a worker thread (WorkItemWorker: estimates measure the databases).
struct WorkItem
{
    bool isSchedule = false;
    OperationRecord request; // when !isSchedule
    Schedule schedule;       // when isSchedule
    DurationEstimate estimate;
    QTimeZone zone;
    // A request awaiting approval: why this login may not approve it (ApprovalService's
    // sentence, read on the worker thread; empty: it may) and may not reject it.
    QString approveRefusal;
    QString rejectRefusal;

    qint64 id() const { return isSchedule ? schedule.id : request.id; }
    // "123" for a request, "S4" for a schedule: what the CLI's cancel takes.
    QString idText() const;
    QString kindTitle() const;
    QString target() const { return isSchedule ? schedule.target : request.target; }
    QString source() const { return isSchedule ? schedule.source : request.source; }
    QString windowText() const;
    QString requestedBy() const { return isSchedule ? schedule.who : request.who; }
};

// What the Work items view and the status bar show: the items of a project, and whether
// an agent is alive to run them.
struct WorkItems
{
    QList<WorkItem> items;
    bool agentAlive = false;
    int dueWithoutAgent = 0; // requests whose window is open while no agent runs
};

Q_DECLARE_METATYPE(WorkItems)
