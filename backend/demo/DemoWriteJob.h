#pragma once

#include "demo/DemoEnvironmentPlan.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <mutex>

// One thread's share of the demo databases: writes the transactional and financial
// reporting databases of its environments, one after the other, and tells the thread
// that owns it how far it got (done(), what()) and which files and folders it created,
// so that a failure can remove them.
//
// run() is called on the worker thread; the accessors may be called from any thread
// while it runs. The first job to fail raises `stop`, which makes the others stop at
// their next batch of rows.
class DemoWriteJob
{
public:
    QList<DemoEnvironmentPlan> plans;

    DemoWriteJob() = default;
    DemoWriteJob(const DemoWriteJob&) = delete;
    DemoWriteJob& operator=(const DemoWriteJob&) = delete;

    // `tick` (may be empty) is called on the worker thread every few thousand rows.
    void run(std::atomic<bool>& stop, const std::function<void()>& tick);

    // Bytes written so far, counted against the plans' budgets.
    qint64 done() const { return m_done; }
    // What the job is writing now, for progress messages.
    QString what() const;

    // Valid once run() returned.
    bool ok() const { return m_error.isEmpty(); }
    bool failedFirst() const { return m_failedFirst; }
    QString error() const { return m_error; }
    QStringList createdFiles() const { return m_files; }
    QStringList createdFolders() const { return m_folders; }

private:
    bool writeEnvironment(const DemoEnvironmentPlan& plan, std::atomic<bool>& stop, const std::function<void()>& tick);
    void setWhat(const QString& what);

    std::atomic<qint64> m_done{0};
    mutable std::mutex m_mutex;
    QString m_what;
    QString m_error;
    bool m_failedFirst = false;
    QStringList m_files;
    QStringList m_folders;
};
