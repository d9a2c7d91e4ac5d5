#pragma once

#include "operation/OperationRecord.h"

#include <QList>
#include <QObject>
#include <QString>

// Reads a project's operations (OperationStore::listProjectSummaries) off the GUI
// thread, with a catalog connection of its own, for the Operations window: a project
// of years holds tens of thousands, whose reading would stall the console. A worker for
// WorkerThread: run() reads, finished() hands the rows over, queued, and ends the task.
class OperationListWorker : public QObject
{
    Q_OBJECT

public:
    OperationListWorker(const QString& catalogFolder, const QString& projectId);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `error` is empty unless the catalog could not be opened.
    void finished(const QList<OperationRecord>& operations, const QString& error);

private:
    QString m_catalogFolder;
    QString m_projectId;
};
