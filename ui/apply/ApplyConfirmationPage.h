#pragma once

#include <QWizardPage>

class ApplyUpdatesWizard;
class QCheckBox;
class QLabel;

// Apply updates, page 2: what the apply will do to the environment (the package, the
// versions before and after, the restore point) and a confirmation to tick.
class ApplyConfirmationPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(ApplyConfirmationPage)

public:
    explicit ApplyConfirmationPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

private:
    ApplyUpdatesWizard* wizard() const;

    QLabel* m_summary = nullptr;
    QCheckBox* m_confirm = nullptr;
};
