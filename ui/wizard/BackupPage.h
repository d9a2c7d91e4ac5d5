#pragma once

#include <QWizardPage>

class BackupListModel;
class GridView;
class QLabel;

// The Import database page of Move database: the database backups of the project's
// asset library; one that cannot go into the target (another engine, release or
// project; a production target) is listed with ImportRequest's sentence and cannot be
// chosen. The backup is validated in full when the import starts.
class BackupPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(BackupPage)

public:
    explicit BackupPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    class MoveDatabaseWizard* wizard() const;
    void selectionChanged();
    QString refusal() const;

    GridView* m_view = nullptr;
    BackupListModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
};
