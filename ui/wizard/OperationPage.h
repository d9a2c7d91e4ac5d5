#pragma once

#include <QWizardPage>

class QRadioButton;

// Page 1 of Move database: which database operation: Refresh database and Export to
// the asset library (sandboxes only), Import from the asset library (when it holds a
// backup) and Point-in-time restore (when there are restore points to offer). A choice
// that cannot be made says why under it, so no button is dead and nothing is hidden.
class OperationPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationPage)

public:
    explicit OperationPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    int nextId() const override;

private:
    class MoveDatabaseWizard* wizard() const;
    QRadioButton* m_refresh = nullptr;
    QRadioButton* m_restore = nullptr;
    QRadioButton* m_export = nullptr;
    QRadioButton* m_import = nullptr;
    class QLabel* m_exportExplanation = nullptr;
    class QLabel* m_importExplanation = nullptr;
    class QLabel* m_restoreExplanation = nullptr;
    class QLabel* m_refreshExplanation = nullptr;
    QRadioButton* addChoice(class QVBoxLayout* layout, const QString& text, const QString& explanation,
                            const char* objectName, bool available);
};
