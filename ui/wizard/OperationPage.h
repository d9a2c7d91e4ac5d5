#pragma once

#include <QWizardPage>

class QRadioButton;

// Page 1 of Move database: which database operation. Refresh database is the one
// this version runs; LCS's others (export to the asset library, import, point-in-time
// restore) are listed, disabled, each with a sentence saying they are not yet
// available, so no button is dead and nothing is hidden.
class OperationPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationPage)

public:
    explicit OperationPage(QWidget* parent = nullptr);

    int nextId() const override;

private:
    QRadioButton* addChoice(class QVBoxLayout* layout, const QString& text, const QString& explanation,
                            const char* objectName, bool available);
};
