#pragma once

#include <QList>
#include <QWizardPage>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

// Page 5 of Move database: what LCS asks the user to acknowledge before a refresh
// (the target's databases are replaced, it goes offline during the swap, users other
// than Admin are disabled, batch jobs are withheld, documents are not copied), each
// a checkbox that must be ticked, and the target's name typed in to confirm.
class AcknowledgementsPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(AcknowledgementsPage)

public:
    explicit AcknowledgementsPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

public:
    // What is about to run, as text a user can copy into a change ticket: source,
    // target, the policy and its SHA-256, the checks' warnings, the restore point and
    // an estimate from the target's last refresh.
    QString summaryText() const;

private:
    class MoveDatabaseWizard* wizard() const;
    QCheckBox* addAcknowledgement(const char* objectName);
    void updateHint();

    QList<QCheckBox*> m_boxes;
    QLabel* m_confirmLabel = nullptr;
    QLineEdit* m_confirm = nullptr;
    QLabel* m_hint = nullptr;
    QPlainTextEdit* m_summary = nullptr;
};
