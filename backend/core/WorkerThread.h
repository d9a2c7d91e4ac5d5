#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

// The one way to run a long task off the GUI thread (Tiled's FolderScanner pattern):
// a worker object with a run() slot and a finished(...) signal is moved to a QThread
// of its own, run() is invoked when the thread starts, finished(...) ends the
// thread's loop, and the worker and the thread delete themselves once it has ended.
// The runner of operations (OperationHost) is the long-lived variant of the same.
//
// Promises:
// - start() returns at once. Connect the worker's signals before or right after it:
//   they arrive queued on the receivers' threads.
// - The destructor (and stop()) ends a task still running: requestInterruption(),
//   quit(), wait(). A worker that loops checks QThread::isInterruptionRequested().
//   So an owner holding a WorkerThread never outlives its worker's use of it...
// - ...unless it release()s the task first: for one that may finish after its owner
//   is gone (the wizard's row counts); it cleans up after itself.
// - isRunning() is true from start() until the worker has finished.
class WorkerThread
{
public:
    WorkerThread() = default;
    ~WorkerThread() { stop(); }
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    // Runs `worker` (no parent; it becomes the thread's) on a new thread named `name`;
    // `finished` is the worker's signal that ends the task.
    template<typename Worker, typename Finished>
    void start(Worker* worker, const QString& name, Finished finished)
    {
        stop();
        auto* thread = new QThread;
        thread->setObjectName(name);
        worker->moveToThread(thread);
        QObject::connect(thread, &QThread::started, worker, &Worker::run);
        QObject::connect(worker, finished, thread, &QThread::quit);
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        m_thread = thread;
        thread->start();
    }

    bool isRunning() const { return m_thread && !m_thread->isFinished(); }

    // Ends the task now: asks it to stop, ends the loop once run() returns, waits.
    void stop()
    {
        if (!m_thread)
            return;
        m_thread->requestInterruption();
        m_thread->quit();
        m_thread->wait();
        m_thread = nullptr;
    }

    // Forgets a running task: it finishes (and deletes itself) on its own.
    void release() { m_thread = nullptr; }

private:
    QPointer<QThread> m_thread;
};
