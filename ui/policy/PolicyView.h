#pragma once

#include "core/WorkerThread.h"

#include <QDialog>
#include <QJsonObject>
#include <QPointer>
#include <QThread>

class Catalog;
class DataPolicy;
class GridView;
class PolicyCoverageModel;
class PolicyReviewModel;
class QTabWidget;
class QTreeView;
class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;

// The project's data policy: its rules (title, action, reason, tables, and the
// description of the selected one), which file it comes from (the built-in default
// or the project's own, chosen here through ProjectPolicies), and Validate against an
// environment: per rule, the tables and columns it touches and whether they exist; and,
// on the Coverage tab, every column of that environment's database covered by a rule,
// reviewed or not (a bar per table), the sensitive-looking ones flagged with their
// evidence, where a column is marked reviewed or masked by a new rule (Mark Reviewed,
// Mask Column) in the project's own policy.
//
// Promises: validation reads the environment's schema on a worker thread
// (PolicyValidationWorker), never on the GUI thread; changing the policy goes
// through ProjectPolicies, which refuses it (with the reason, shown here) while an
// operation of the project still reads the policy.
class PolicyView : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(PolicyView)

public:
    // `environmentId`: the environment to validate against first (the one selected in the
    // main window); empty: the project's first.
    PolicyView(Catalog* catalog, const QString& projectId, const QString& environmentId = {}, QWidget* parent = nullptr);
    ~PolicyView() override;

    PolicyReviewModel* model() const { return m_model; }
    PolicyCoverageModel* coverageModel() const { return m_coverageModel; }
    bool isValidating() const { return m_worker.isRunning(); }

public Q_SLOTS:
    void reload();
    void chooseFile();
    void useDefault();
    // Validates the rules against the environment chosen in the combo box, and reads its coverage.
    void validate();
    // The selected column of the Coverage tab: reviewed as safe, or masked as `kind`.
    void markReviewed();
    void maskSelected(const QString& kind);

private:
    void showSelectedRule();
    void validationFinished(bool ok, const QString& message);
    void showCoverage(const QJsonObject& coverage, const QString& error);
    // The buttons and the detail line for the selected row of the coverage tree.
    void updateCoverageSelection();
    // Saves `changed` as the project's policy (ProjectPolicies::installPolicy), then validates again.
    void saveChanged(const DataPolicy& changed, const QString& change);

    Catalog* m_catalog;
    QString m_projectId;
    PolicyReviewModel* m_model;
    QLabel* m_source = nullptr;
    GridView* m_view = nullptr;
    QLabel* m_description = nullptr;
    QPushButton* m_chooseButton = nullptr;
    QPushButton* m_defaultButton = nullptr;
    QComboBox* m_environment = nullptr;
    QPushButton* m_validateButton = nullptr;
    QLabel* m_verdict = nullptr;
    QTreeWidget* m_results = nullptr;
    QTabWidget* m_tabs = nullptr;
    PolicyCoverageModel* m_coverageModel = nullptr;
    QTreeView* m_coverageView = nullptr;
    QLabel* m_coverageSummary = nullptr;
    QPushButton* m_reviewButton = nullptr;
    QPushButton* m_maskButton = nullptr;
    QLabel* m_coverageDetail = nullptr; // the selected row in full: its status and why it needs a look
    WorkerThread m_worker;
};
