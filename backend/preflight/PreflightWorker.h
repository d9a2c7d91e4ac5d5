#pragma once

#include "preflight/CheckResult.h"

#include <QMetaType>
#include <QDateTime>
#include <QObject>
#include <QString>
#include <QVariantList>
#include <atomic>
#include <memory>

class DataPolicy;
struct Environment;

// Runs the refresh (or restore) preflight for the console: every check of Preflight::run, then,
// rule by rule, how many rows of the source the data policy affects. It is moved to
// its own QThread and opens its own catalog and database connections there, so the
// GUI thread never opens an environment database; the results travel as queued
// signals, each check and each rule's count as soon as it is known.
//
// Promises: finished() is emitted exactly once per run(), after every other signal;
// cancel() is thread-safe and is honoured between checks' reports and between
// rules. It writes nothing anywhere (Preflight's promise).
class PreflightWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(PreflightWorker)

public:
    struct Request
    {
        QString catalogFolder;
        QString sourceId;
        QString targetId;
        QString policyPath; // empty: the built-in default policy
        // A Point-in-time restore from this restore point (RestorePointStore): the checks
        // of a restore (Preflight::Input::restoring), its source the restore point's copy;
        // into the target's own restore point no policy applies.
        qint64 restorePointId = 0;
        // Only the rule counts, of the target's own data (an export): no check runs.
        bool countOnly = false;
        // A restore to this instant (pgBackRest), of `sourceId` as it was then.
        QDateTime instant;
    };

    explicit PreflightWorker(const Request& request, QObject* parent = nullptr);

    using CancelToken = std::shared_ptr<std::atomic_bool>;

    // Thread-safe: stop at the next opportunity (finished() still comes).
    void cancel() { *m_cancelled = true; }
    // The flag cancel() sets, for an owner that must not touch the worker once it may
    // have been deleted on its thread: setting the token is the same as cancel().
    CancelToken cancelToken() const { return m_cancelled; }

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // One check's verdict, in the order Preflight runs them.
    void checkReported(const CheckResult& check);
    // Every check has reported; `blocked`: at least one failed.
    void checksFinished(bool blocked, int failures, int warnings);
    // How many source rows rule `ruleId` affects (-1: could not be counted, `error` says
    // why); `tables` holds one [table, rows] pair per table of the rule.
    void ruleCounted(const QString& ruleId, qint64 rows, const QVariantList& tables, const QString& error);
    // The end of the run; `error` is set when the preflight could not run at all.
    void finished(const QString& error);

private:
    void countRules(const Environment& source, const DataPolicy& policy);

    Request m_request;
    CancelToken m_cancelled = std::make_shared<std::atomic_bool>(false);
};

Q_DECLARE_METATYPE(CheckResult)
