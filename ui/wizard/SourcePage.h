#pragma once

#include <QWizardPage>

class GridView;
class QLabel;

// Page 2 of Move database: the source environment. The project's other environments
// with their versions, the target's own row on top to compare with; the production
// environment is chosen to begin with.
class SourcePage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(SourcePage)

public:
    explicit SourcePage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    class MoveDatabaseWizard* wizard() const;
    void selectionChanged();

    GridView* m_view = nullptr;
    QLabel* m_summary = nullptr;
};
