#pragma once

#include <QWizardPage>

class GridView;
class QLabel;
class QPushButton;

// Page 4 of Move database: "Data that will not be copied". The data policy rule by
// rule (what, which tables, why, what happens in the target) with the number of
// source rows each affects, counted live by the preflight worker. Details… (or
// Enter, or a double-click) opens a rule with its tables and columns.
class PolicyReviewPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(PolicyReviewPage)

public:
    explicit PolicyReviewPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

    // Opens the rule of the current row (window-modal); nullptr without one.
    class PolicyRuleDialog* showRuleDetails();

private:
    class MoveDatabaseWizard* wizard() const;
    void updateSummary();

    QLabel* m_intro = nullptr;
    GridView* m_view = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_details = nullptr;
};
