#pragma once

#include "operation/OperationRecord.h"

#include <QString>
#include <QStringList>
#include <functional>

class Catalog;
class OperationStore;
class RunbookLog;

// What one kind of operation does, step by step (kpmcore's Job): the runner owns the
// state machine and the persistence; a job runs steps and knows how to undo them.
//
// Promises of every job:
// - runStep() is idempotent: running a step again after a failure or a crash
//   finishes it correctly (the basis of Resume).
// - Nothing before its kind's point of no return (operation/OperationKind.h) changes
//   the target; rollback() restores it whatever step failed; release() forgets the
//   restore point (sign off).
// What the lifecycle needs to know of a kind without a job (its point of no return,
// its validation steps, whether it changed its target) is data in OperationKind.
// - The constructor does nothing but remember its arguments.
class OperationJob
{
public:
    struct Context
    {
        Catalog* catalog = nullptr;
        OperationStore* store = nullptr;
        RunbookLog* log = nullptr;
        OperationRecord operation;
        // done/total in `unit`, bytes moved so far.
        std::function<void(qint64 done, qint64 total, qint64 bytes, const QString& unit)> progress;
        std::function<bool()> cancelled;
    };

    explicit OperationJob(Context& context)
        : m_ctx(context)
    {
    }
    virtual ~OperationJob() = default;
    OperationJob(const OperationJob&) = delete;
    OperationJob& operator=(const OperationJob&) = delete;

    virtual QStringList stepNames() const = 0;
    // Runs step `ordinal` (1-based). `detail` is what the runbook shows for the step; a
    // step with nothing to do sets it to skipped(why) and is recorded Skipped, with `why`.
    virtual bool runStep(int ordinal, QString* detail, QString* error) = 0;
    // The detail of a step that had nothing to do, and how the runner reads it back.
    static QString skipped(const QString& why) { return SkippedMark + why; }
    static bool isSkipped(const QString& detail, QString* why)
    {
        if (!detail.startsWith(SkippedMark))
            return false;
        *why = detail.mid(SkippedMark.size());
        return true;
    }
    static inline const QString SkippedMark = QStringLiteral("skipped: ");
    // The step a resume starts from, when `failedOrdinal` failed (or was interrupted).
    virtual int resumeFrom(int failedOrdinal) const { return failedOrdinal; }
    virtual bool rollback(QString* error) = 0;
    virtual bool release(QString* error) = 0;
    // Removes what an aborted or rolled-back operation left behind (staging data);
    // false if some of it is still there (the runner keeps the operation marked).
    virtual bool discard() = 0;
    // Called once the operation is Completed (e.g. to record new versions).
    virtual void completed() {}

protected:
    Context& m_ctx;
};
