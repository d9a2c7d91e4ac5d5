#pragma once

#include <QWizardPage>

#include "core/WorkerThread.h"

#include <QDateTime>

class GridView;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QRadioButton;
class RestorePointListModel;

// The Point-in-time restore page of Move database: the restore points the target may go
// back to (its own, newest first) and production's, which go into a sandbox with the
// data policy. A restore point that cannot be used (being created, expired, the wrong
// kind of target) is listed with the rules' sentence and cannot be chosen. Where
// pgBackRest archives the target's (or production's) server, an instant instead: a
// date-time field bounded by the stanza's window, which a PitrWindowWorker reads off
// the GUI thread.
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
    void modeChanged();
    void readWindow();
    void instantChanged();
    // Why the selected restore point cannot be restored into the target, empty when it can.
    QString refusal() const;

    GridView* m_view = nullptr;
    RestorePointListModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
    QRadioButton* m_pointChoice = nullptr;
    QRadioButton* m_instantChoice = nullptr;
    QComboBox* m_instantSource = nullptr;
    QDateTimeEdit* m_instant = nullptr;
    QLabel* m_window = nullptr;
    WorkerThread m_windowReader;
    QDateTime m_earliest;
    QDateTime m_latest;
    QString m_windowError;
};
