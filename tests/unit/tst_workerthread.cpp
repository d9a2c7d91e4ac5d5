// WorkerThread: a worker runs on a thread of its own and is deleted with it; the
// owner's destruction asks a running worker to stop and waits for it; a released task
// finishes and cleans up on its own.
#include "core/WorkerThread.h"

#include <QAtomicInt>
#include <QElapsedTimer>
#include <QPointer>
#include <QtTest>

namespace {

QAtomicInt g_alive;

// Loops until asked to stop (or `rounds` rounds of 5 ms pass), then says where it ran.
class LoopWorker : public QObject
{
    Q_OBJECT

public:
    explicit LoopWorker(int rounds) : m_rounds(rounds) { g_alive.ref(); }
    ~LoopWorker() override { g_alive.deref(); }

public Q_SLOTS:
    void run()
    {
        int i = 0;
        while (i < m_rounds && !QThread::currentThread()->isInterruptionRequested()) {
            QThread::msleep(5);
            ++i;
        }
        Q_EMIT finished(QThread::currentThread()->objectName(), i < m_rounds);
    }

Q_SIGNALS:
    void finished(const QString& threadName, bool interrupted);

private:
    int m_rounds;
};

} // namespace

class TestWorkerThread : public QObject
{
    Q_OBJECT

private slots:
    void runsOffTheCallersThreadAndCleansUp();
    void destructionInterruptsAndWaits();
    void releasedTaskFinishesOnItsOwn();
};

void TestWorkerThread::runsOffTheCallersThreadAndCleansUp()
{
    WorkerThread thread;
    QVERIFY(!thread.isRunning());
    auto* worker = new LoopWorker(2);
    QPointer<LoopWorker> watched(worker);
    // Queued to this thread, as an owner's slots are.
    QStringList done;
    connect(worker, &LoopWorker::finished, this, [&](const QString& name, bool interrupted) {
        done << name << (interrupted ? QStringLiteral("interrupted") : QStringLiteral("ran to its end"));
    });
    thread.start(worker, QStringLiteral("loop-worker"), &LoopWorker::finished);
    QVERIFY(thread.isRunning());
    QTRY_COMPARE(done, (QStringList{QStringLiteral("loop-worker"), QStringLiteral("ran to its end")}));
    QTRY_VERIFY(!thread.isRunning());
    QTRY_VERIFY(watched.isNull()); // the worker is deleted with its thread
}

void TestWorkerThread::destructionInterruptsAndWaits()
{
    QElapsedTimer t;
    t.start();
    {
        WorkerThread thread;
        thread.start(new LoopWorker(100000), QStringLiteral("endless"), &LoopWorker::finished);
        QThread::msleep(20);
    } // asks it to stop and waits: the loop ended long before its 500 s
    QVERIFY(t.elapsed() < 5000);
    QTRY_COMPARE(g_alive.loadRelaxed(), 0);
}

void TestWorkerThread::releasedTaskFinishesOnItsOwn()
{
    auto* worker = new LoopWorker(10);
    QStringList done;
    connect(worker, &LoopWorker::finished, this, [&](const QString& name, bool interrupted) {
        done << name << (interrupted ? QStringLiteral("interrupted") : QStringLiteral("ran to its end"));
    });
    {
        WorkerThread thread;
        thread.start(worker, QStringLiteral("released"), &LoopWorker::finished);
        thread.release();
        QVERIFY(!thread.isRunning()); // no longer this owner's
    } // does not wait, does not interrupt
    QTRY_COMPARE(done, (QStringList{QStringLiteral("released"), QStringLiteral("ran to its end")}));
    QTRY_COMPARE(g_alive.loadRelaxed(), 0);
}

QTEST_GUILESS_MAIN(TestWorkerThread)
#include "tst_workerthread.moc"
