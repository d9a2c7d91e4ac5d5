#pragma once

#include "environment/Environment.h"

#include <QAbstractTableModel>
#include <QList>

// The environments a refresh of `target` may copy from, for the wizard's Source page:
// the target's own row first (not selectable) so that every candidate's versions sit
// side by side with the target's, then the other environments of its project,
// production first. A last column says how each one differs from the target.
//
// Promises: value snapshots only; it never reads a database. The target is never a
// candidate. A candidate the preflight will certainly block (another tenant, another
// release) says so in the last column, with the preflight's own sentence.
class SourceEnvironmentModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(SourceEnvironmentModel)

public:
    enum Column
    {
        NameColumn,
        TypeColumn,
        ApplicationColumn,
        PlatformColumn,
        FinancialReportingColumn,
        ComparisonColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        IsTargetRole, // bool: the target's own row
        DiffersRole,  // bool: this version differs from the target's (version columns)
        BlockedRole,  // QString: why a refresh from this candidate will be blocked (Preflight::environmentChecks), or empty
    };

    explicit SourceEnvironmentModel(QObject* parent = nullptr);

    // `environments`: the project's environments (the target among them or not).
    void setEnvironments(const Environment& target, const QList<Environment>& environments);
    const Environment& target() const { return m_target; }
    // The candidate in `row`, nullptr for the target's row or an invalid row.
    const Environment* candidateAt(int row) const;
    int rowOf(const QString& id) const;
    // The row a user most likely wants: the production environment, else the first candidate; -1 if none.
    int defaultRow() const;

    // "Same versions as the target" or "Differs: application release, platform update".
    QString comparison(const Environment& candidate) const;
    // The preflight's sentence for why a refresh from `candidate` will certainly be
    // blocked (same tenant, releases, versions), or empty.
    QString blockedBecause(const Environment& candidate) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    const Environment& environmentAt(int row) const;
    bool differs(const Environment& e, int column) const;

    Environment m_target;
    QList<Environment> m_candidates;
};
