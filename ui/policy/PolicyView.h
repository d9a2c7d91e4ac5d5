#pragma once

#include "core/WorkerThread.h"

#include <QDialog>
#include <QPointer>
#include <QThread>

class Catalog;
class GridView;
class PolicyReviewModel;
class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;

// The project's data policy: its rules (title, action, reason, tables, and the
// description of the selected one), which file it comes from (the built-in default
// or the project's own, chosen here through ProjectPolicies), and Validate against an
// environment: per rule, the tables and columns it touches and whether they exist.
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
    bool isValidating() const { return m_worker.isRunning(); }

public Q_SLOTS:
    void reload();
    void chooseFile();
    void useDefault();
    // Validates the rules against the environment chosen in the combo box.
    void validate();

private:
    void showSelectedRule();
    void validationFinished(bool ok, const QString& message);

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
    WorkerThread m_worker;
};
