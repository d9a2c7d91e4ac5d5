#pragma once

#include "operation/OperationProgress.h"
#include "operation/OperationRecord.h"

#include <QAbstractTableModel>
#include <QList>

// The runbook of one operation, step by step, as the live progress view shows it:
// Step, State, Started, Duration, Detail. Fed by catalog snapshots (setSteps) and by
// the runner's live events (applyStep, applyProgress), whichever comes first.
//
// Promises: a snapshot with the same steps updates rows in place (dataChanged), so a
// view keeps its selection and scroll position; a live progress report is never
// overwritten by an older snapshot of the same running step. tick() re-announces
// only the Duration cell of the running step. It never reads a database.
class RunbookStepModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(RunbookStepModel)

public:
    enum Column
    {
        StepColumn,
        StateColumn,
        StartedColumn,
        DurationColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role
    {
        OrdinalRole = Qt::UserRole + 1, // int, 1-based
        StateRole,                      // the step state as persisted: NotStarted, InProgress, Completed, ...
        PercentRole,                    // int 0..100 of the step, -1 when unknown
    };

    // One step with its live figures.
    struct Step
    {
        StepRecord record;
        QString unit;
        double bytesPerSecond = 0;
        double secondsRemaining = -1;
    };

    explicit RunbookStepModel(QObject* parent = nullptr);

    void setSteps(const QList<StepRecord>& steps);
    // Each step's share of the whole (OperationKind::stepWeights); empty or of another
    // length: every step weighs the same.
    void setWeights(const QList<double>& weights) { m_weights = weights; }
    void applyStep(int ordinal, StepState state, const QString& detail);
    void applyProgress(const OperationProgress& progress);
    // Re-announces the running step's duration.
    void tick();

    const QList<Step>& steps() const { return m_steps; }
    // The running step (1-based), or 0.
    int currentOrdinal() const;
    // The step that runs or ran last: the running one, else the last one that started.
    int latestOrdinal() const;
    const Step* step(int ordinal) const;
    // Steps that completed or were skipped.
    int finishedCount() const;
    // 0..100 over the whole runbook, counting the running step's own progress, each
    // step weighted by its share of the time (setWeights).
    int overallPercent() const;
    // The same as a fraction 0..1.
    double overallFraction() const;
    // "1.8 s", "2 min 05 s": a step's duration to the tenth of a second under a minute.
    static QString stepDuration(qint64 milliseconds);

    // "Not started", "In progress", "Completed", "Failed", "Skipped", "Cancelled".
    static QString stateTitle(StepState state);
    // "1,234 of 5,678 pages" for a step's done/total.
    static QString unitsText(qint64 done, qint64 total, const QString& unit);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<double> m_weights;
    qsizetype rowOf(int ordinal) const;
    static int percentOf(const Step& step);
    void announce(qsizetype row, int firstColumn = 0, int lastColumn = ColumnCount - 1);

    QList<Step> m_steps;
};
