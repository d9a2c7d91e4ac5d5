#pragma once

#include "preflight/CheckResult.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

// The live checklist of the Move database wizard: every preflight check, in the order
// Preflight runs them, first "waiting", then the one being run, then each verdict with
// its sentence as the worker reports it (PreflightWorker::checkReported).
//
// Promises: the rows are known before the first verdict arrives (Preflight::checkIds),
// so the list never jumps; a verdict updates its row in place (dataChanged); a check
// id the list does not know yet is appended. reset() starts a new run.
class PreflightCheckModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(PreflightCheckModel)

public:
    enum Column
    {
        CheckColumn,
        ResultColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // the stable check id ("same-tenant")
        StatusRole,                // "pending", "running", "pass", "warn", "fail"
    };

    explicit PreflightCheckModel(QObject* parent = nullptr);

    // Every check waiting again, the first one running.
    void reset();
    // Records one verdict; the next waiting check becomes the running one.
    void addResult(const CheckResult& result);
    // No more verdicts will come: checks still waiting are marked as not run.
    void finish();

    bool isFinished() const { return m_finished; }
    int count(CheckResult::Verdict verdict) const;
    QList<CheckResult> results(CheckResult::Verdict verdict) const;

    // "Same tenant", "Application release": what a person reads for a check id.
    static QString checkTitle(const QString& id);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString id;
        QString status; // pending, running, pass, warn, fail, skipped
        QString message;
    };
    void markRunning();

    QList<Row> m_rows;
    bool m_finished = false;
};
