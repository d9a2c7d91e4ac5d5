#pragma once

#include <QWizardPage>

class GridView;
class QLabel;
class RestorePointListModel;

// The Point-in-time restore page of Move database: the restore points the target may go
// back to (its own, newest first) and production's, which go into a sandbox with the
// data policy. A restore point that cannot be used (being created, expired, the wrong
// kind of target) is listed with the rules' sentence and cannot be chosen.
class RestorePointPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(RestorePointPage)

public:
    explicit RestorePointPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    class MoveDatabaseWizard* wizard() const;
    void selectionChanged();
    // Why the selected restore point cannot be restored into the target, empty when it can.
    QString refusal() const;

    GridView* m_view = nullptr;
    RestorePointListModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
};
