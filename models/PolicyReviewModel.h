#pragma once

#include "policy/DataPolicy.h"

#include <QAbstractTableModel>
#include <QList>
#include <QVariantList>
#include <optional>

// "Data that will not be copied": the review of a data policy, rule by rule, as the
// Move database wizard shows it before the user confirms: what (the rule's title),
// which tables, why (the reason), what happens to it, and how many rows of the
// source it affects. The counts arrive one by one from the worker thread
// (PreflightWorker::ruleCounted); until then a rule says it is being counted.
//
// Promises: setPolicy() resets the model; a count updates its row in place
// (dataChanged on the Rows column only). It never reads a database.
class PolicyReviewModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(PolicyReviewModel)

public:
    enum Column
    {
        DataColumn,
        TablesColumn,
        ReasonColumn,
        ActionColumn,
        RowsColumn,
        ColumnCount
    };
    enum Role
    {
        RuleIdRole = Qt::UserRole + 1,
        RowsRole,        // qint64: the count; -1 could not be counted; -2 not counted yet
        ReasonIdRole,    // "environment-specific", "security", "avoid-side-effects"
        ActionIdRole,    // "exclude", "keep-target", "blank", "set", "reset-admin"
        DescriptionRole, // PolicyRule::describe()
        ColumnsRole,     // QStringList: PolicyRule::columnsUsed()
        TableRowsRole,   // QVariantList of [table, rows] pairs, once counted
    };
    static constexpr qint64 NotCounted = -2;
    static constexpr qint64 CountFailed = -1;

    explicit PolicyReviewModel(QObject* parent = nullptr);

    void setPolicy(const std::optional<DataPolicy>& policy);
    const std::optional<DataPolicy>& policy() const { return m_policy; }
    // Forgets the counts (a new preflight is about to count again).
    void clearCounts();
    // One rule's count (PreflightWorker::ruleCounted).
    void setRuleCount(const QString& ruleId, qint64 rows, const QVariantList& tables, const QString& error = {});

    const PolicyRule* ruleAt(int row) const;
    int countedRules() const;
    // The sum of the counted rules' rows (a row touched by two rules counts twice).
    qint64 countedRows() const;
    bool allCounted() const { return countedRules() == rowCount(); }

    // "Belongs to the target environment: …": why a reason keeps data from travelling.
    static QString reasonExplanation(PolicyRule::Reason reason);
    // "Not copied", "Target's rows kept", "Blanked", "Values set", "Reset to the target's".
    static QString actionTitle(PolicyRule::Action action);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Count
    {
        qint64 rows = NotCounted;
        QVariantList tables;
        QString error;
    };

    std::optional<DataPolicy> m_policy;
    QList<Count> m_counts;
};
