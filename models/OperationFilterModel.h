#pragma once

#include <QDateTime>
#include <QSortFilterProxyModel>
#include <QString>

// The Operations view's filters over an OperationHistoryModel (pgAdmin's Processes, LCS's
// environment history across a project): by kind, by what the state asks of the user,
// by environment (as target or source), since a time, and by a text found in the id,
// the environments, the user, the package or the error. Sortable by any column with the
// history model's SortRole.
//
// Promises: filters only (the source model is never changed); an empty filter lets
// every operation through; each setter re-filters at once.
class OperationFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationFilterModel)

public:
    enum class StateGroup
    {
        Any,
        Running,           // not started yet, in progress, rolling back
        NeedsAttention,    // failed or interrupted, rollback failed: resume, roll back or abort
        WaitingForSignOff, // completed, keeping a restore point
        Finished,          // signed off, rolled back, aborted
    };

    explicit OperationFilterModel(QObject* parent = nullptr);

    void setKind(const QString& kind); // "refresh", "apply"; empty: any
    void setStateGroup(StateGroup group);
    void setEnvironment(const QString& id); // target or source; empty: any
    void setSince(const QDateTime& since);  // created at or after; invalid: any time
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_kind;
    StateGroup m_group = StateGroup::Any;
    QString m_environment;
    QDateTime m_since;
    QString m_text;
};
