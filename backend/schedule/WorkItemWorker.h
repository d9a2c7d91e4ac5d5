#pragma once

#include "schedule/WorkItem.h"

#include <QObject>
#include <QString>

// Reads the Work items of a project on a worker thread (WorkerThread): the requests
// that wait and the active schedules, each with its estimate (which measures the
// environments' databases: never on the GUI thread), and whether an agent is alive.
class WorkItemWorker : public QObject
{
    Q_OBJECT

public:
    WorkItemWorker(const QString& catalogFolder, const QString& projectId);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void finished(const WorkItems& items, const QString& error);

private:
    QString m_folder;
    QString m_projectId;
};
