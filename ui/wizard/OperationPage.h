#pragma once

#include <QWizardPage>

class QRadioButton;

// Page 1 of Move database: which database operation. Refresh database (sandboxes
// only) and Point-in-time restore (when the wizard has restore points to offer) are the
// ones this version runs; LCS's others (export to the asset library, import) are
// listed, disabled, each with a sentence saying they are not yet available, so no
// button is dead and nothing is hidden.
class OperationPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationPage)

public:
    explicit OperationPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    class MoveDatabaseWizard* wizard() const;
    QRadioButton* m_refresh = nullptr;
    QRadioButton* m_restore = nullptr;
    class QLabel* m_restoreExplanation = nullptr;
    class QLabel* m_refreshExplanation = nullptr;
    QRadioButton* addChoice(class QVBoxLayout* layout, const QString& text, const QString& explanation,
                            const char* objectName, bool available);
};
