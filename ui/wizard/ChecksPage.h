#pragma once

#include <QWizardPage>

class GridView;
class QLabel;
class QPushButton;

// Page 3 of Move database: the preflight, run in the background, as a live
// checklist (waiting, checking, passed, warning, failed, each with its sentence). A
// blocked refresh cannot go on: the page says which checks failed and what to do.
class ChecksPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(ChecksPage)

public:
    explicit ChecksPage(QWidget* parent = nullptr);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    // The checks as "Check: result" lines: the selected one, else all of them.
    QString checksText() const;
    class MoveDatabaseWizard* wizard() const;
    void updateStatus();

    GridView* m_view = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_advice = nullptr;
    QPushButton* m_rerun = nullptr;
};
