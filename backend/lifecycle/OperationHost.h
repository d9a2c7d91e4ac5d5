#pragma once

#include "lifecycle/BuiltInOperationKinds.h"
#include "lifecycle/OperationRunner.h"

#include <QObject>
#include <QThread>

// Owns an OperationRunner on its own QThread (Tiled's FolderScanner pattern): the
// console and the CLI start operations here and listen to runner()'s signals, which
// arrive queued on their thread. The destructor lets the running action finish and
// joins the thread: callers that must not block (the GUI) cancel() or wait first.
class OperationHost : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationHost)

public:
    // `kinds`: the operation kinds the runner may run (this build's, unless a test
    // hands its own).
    explicit OperationHost(const QString& catalogFolder, const OperationKinds& kinds = BuiltInOperationKinds::registry(),
                           QObject* parent = nullptr);
    ~OperationHost() override;

    OperationRunner* runner() const { return m_runner; }
    // Queues `action` on the runner's thread; returns at once.
    void execute(qint64 operationId, OperationRunner::Action action);
    // Thread-safe: asks the running operation to stop before its point of no return.
    void cancel();
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    QThread m_thread;
    OperationRunner* m_runner;
    bool m_busy = false;
};
