#pragma once

#include "policy/PolicyCoverage.h"

#include <QAbstractItemModel>

// What a data policy covers of a source database (PolicyCoverage), as the Data Policy
// view's Coverage tab shows it: one row per table (flagged tables first, then by name) with
// its columns as children. Columns: Table / column, Coverage (a table: its counts, which
// CountsRole gives the bar; a column: "Mask (rule customers)", "Reviewed", "Unreviewed"),
// Why (a flagged column's evidence; "new since the last refresh").
//
// Promises: presents the PolicyCoverage it is given and nothing else (no value of a row,
// only names, counts and the detectors' sentences); FlaggedRole says which rows need a
// decision (a table: any of its columns).
class PolicyCoverageModel : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY(PolicyCoverageModel)

public:
    enum Column
    {
        NameColumn,
        CoverageColumn,
        WhyColumn,
        ColumnCount
    };
    enum Role
    {
        CountsRole = Qt::UserRole + 1, // table rows: QVariantList{covered, reviewed, unreviewed, flagged}
        FlaggedRole,                   // bool
        TableRole,                     // the table's name (on its columns too)
        ColumnRole,                    // column rows: the column's name
        StatusRole,                    // column rows: PolicyCoverage::statusName
        SuggestedMaskRole,             // column rows: the Masker kind to suggest
    };

    explicit PolicyCoverageModel(QObject* parent = nullptr);

    void setCoverage(const PolicyCoverage& coverage);
    void clear();
    const PolicyCoverage& coverage() const { return m_coverage; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    // A column row's internal id is its table's row + 1; a table row's is 0.
    const PolicyCoverage::Table* tableAt(int row) const;

    PolicyCoverage m_coverage;
    QList<int> m_order; // table rows: indexes into m_coverage.tables(), flagged first
};
