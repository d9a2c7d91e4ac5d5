#pragma once

#include <QObject>
#include <QString>

// Runs one RestorePointService task on the thread it is moved to (WorkerThread), for
// the console: creating a restore point (a whole copy of an environment's databases),
// deleting one (dropping its copies), or sweeping the ones nothing needs. The GUI
// thread never waits on a copy or a DROP DATABASE.
//
// Promises: opens its own Catalog on its thread; progressed() at most every 100 ms;
// finished() exactly once per run(); a create stops at the next batch once the thread
// is asked to stop (QThread::requestInterruption), and then keeps nothing.
class RestorePointWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(RestorePointWorker)

public:
    enum Task
    {
        Create,
        Delete,
        Sweep,
    };
    // `subject`: the environment id (Create), the restore point id (Delete), unused (Sweep).
    RestorePointWorker(const QString& catalogFolder, Task task, const QString& subject);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void progressed(qint64 done, qint64 total);
    // `ok`; `message`: what was done ("Restore point 4 of contoso-uat: 1.1 GB") or why not.
    // `refused`: the rules refused (nothing was tried).
    void finished(bool ok, const QString& message, bool refused);

private:
    QString m_catalogFolder;
    Task m_task;
    QString m_subject;
};
