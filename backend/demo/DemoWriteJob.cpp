#include "demo/DemoWriteJob.h"

#include "demo/DemoFinancialReportingWriter.h"
#include "demo/DemoTransactionalWriter.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <exception>

QString DemoWriteJob::what() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_what;
}

void DemoWriteJob::setWhat(const QString& what)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_what = what;
}

void DemoWriteJob::run(std::atomic<bool>& stop, const std::function<void()>& tick)
{
    try {
        for (const auto& plan : plans) {
            if (stop) {
                m_error = QStringLiteral("stopped");
                break;
            }
            if (!writeEnvironment(plan, stop, tick))
                break;
        }
    } catch (const std::exception& e) {
        m_error = QStringLiteral("Generating the demo databases failed: %1").arg(QString::fromUtf8(e.what()));
    }
    if (!ok())
        m_failedFirst = !stop.exchange(true);
}

bool DemoWriteJob::writeEnvironment(const DemoEnvironmentPlan& plan, std::atomic<bool>& stop,
                                    const std::function<void()>& tick)
{
    const Environment& e = plan.environment;
    const DatabaseRef* transactional = e.database(DatabaseRef::Transactional);
    const DatabaseRef* reporting = e.database(DatabaseRef::FinancialReporting);
    const QString folder = QFileInfo(transactional->path).absolutePath();
    if (!QFileInfo(folder).isDir()) {
        if (!QDir().mkdir(folder)) {
            m_error = QStringLiteral("Cannot create the folder %1 for environment %2.").arg(folder, e.id);
            return false;
        }
        m_folders.append(folder);
    }

    const qint64 base = m_done;
    setWhat(QStringLiteral("Writing %1 transactional database").arg(e.id));
    m_files.append(transactional->path);
    DemoTransactionalWriter writer(plan);
    const bool written = writer.write(transactional->path, &m_error, [&](qint64 bytes) {
        m_done = base + std::min(bytes, plan.transactionalBytes);
        if (tick)
            tick();
        return !stop;
    });
    if (!written)
        return false;
    m_done = base + plan.transactionalBytes;

    setWhat(QStringLiteral("Writing %1 financial reporting database").arg(e.id));
    m_files.append(reporting->path);
    DemoFinancialReportingWriter reportingWriter(plan);
    if (!reportingWriter.write(reporting->path, &m_error))
        return false;
    m_done = m_done + DemoFinancialReportingWriter::ApproximateBytes;
    return true;
}
