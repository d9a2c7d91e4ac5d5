#pragma once

#include <QDialog>

class PolicyReviewModel;
class QLabel;
class QTreeWidget;

// One rule of the data policy, opened from the review page: what it does (the rule's
// own sentence), why (its reason, explained), its tables with the source rows each
// holds for the rule, and the columns it reads or writes. It follows the review
// model, so a count that arrives while it is open shows at once.
class PolicyRuleDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(PolicyRuleDialog)

public:
    PolicyRuleDialog(PolicyReviewModel* model, int row, const QString& sourceName, QWidget* parent = nullptr);

private:
    void fill();

    PolicyReviewModel* m_model;
    int m_row;
    QString m_sourceName;
    QLabel* m_title = nullptr;
    QLabel* m_what = nullptr;
    QLabel* m_why = nullptr;
    QLabel* m_columns = nullptr;
    QTreeWidget* m_tables = nullptr;
};
