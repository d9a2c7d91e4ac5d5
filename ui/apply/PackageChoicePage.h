#pragma once

#include <QWizardPage>

class ApplyUpdatesWizard;
class GridView;
class QLabel;

// Apply updates, page 1: the project's packages, each with its prerequisites against
// the environment's versions; the page is complete once an applicable one is chosen.
class PackageChoicePage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(PackageChoicePage)

public:
    explicit PackageChoicePage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

private:
    ApplyUpdatesWizard* wizard() const;
    void selectionChanged();

    QLabel* m_versions = nullptr;
    GridView* m_view = nullptr;
    QLabel* m_summary = nullptr;
};
