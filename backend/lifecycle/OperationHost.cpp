#include "lifecycle/OperationHost.h"

OperationHost::OperationHost(const QString& catalogFolder, const OperationKinds& kinds, QObject* parent)
    : QObject(parent)
    , m_runner(new OperationRunner(catalogFolder, kinds))
{
    m_thread.setObjectName(QStringLiteral("operation-runner"));
    m_runner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    connect(m_runner, &OperationRunner::finished, this, [this] {
        m_busy = false;
        Q_EMIT busyChanged(false);
    });
    m_thread.start();
}

OperationHost::~OperationHost()
{
    m_thread.quit();
    m_thread.wait();
}

void OperationHost::execute(qint64 operationId, OperationRunner::Action action)
{
    m_busy = true;
    Q_EMIT busyChanged(true);
    OperationRunner* runner = m_runner;
    QMetaObject::invokeMethod(
        runner, [runner, operationId, action] { runner->execute(operationId, action); }, Qt::QueuedConnection);
}

void OperationHost::cancel()
{
    m_runner->requestCancel();
}
