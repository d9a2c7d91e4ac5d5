#pragma once

#include "core/WorkerThread.h"
#include "schedule/WorkItem.h"

#include <QDialog>

class GridView;
class QLabel;
class QPushButton;
class QTimer;
class WorkItemListModel;

// View > Work items: the requests of the project that wait for their downtime window
// or for a second Project owner's approval, and its recurring schedules (LCS's shared
// work items), with Reschedule…, Cancel, Approve… and Reject… enabled by the lifecycle
// rules and the login's role, the words of the CLI, and whether an agent is alive
// to run them. When none is and work is due, it offers to run it in this console.
//
// Promises: the items are read, and a request is moved or cancelled, on worker threads
// (estimates measure the databases); the GUI thread only shows what they report.
class WorkItemsWindow : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(WorkItemsWindow)

public:
    WorkItemsWindow(const QString& catalogFolder, const QString& projectId, QWidget* parent = nullptr);
    ~WorkItemsWindow() override;

    WorkItemListModel* model() const { return m_model; }
    // Re-reads the items (done when it opens, after each action and every 30 seconds).
    void reload();
    // Whether the console runs due work itself (the main window's agent), to say so.
    void setRunningHere(bool running);

Q_SIGNALS:
    void loaded(const WorkItems& items);
    // The user asked this console to run the due work while no agent is alive.
    void runHereRequested();
    // A request was moved or cancelled (the main window re-reads its views).
    void changed();

private:
    void updateButtons();
    void reschedule();
    void cancel();
    // Approve… / Reject…: asks the reason (required to reject), then decides on a worker.
    void decide(bool approve);

    QString m_folder;
    QString m_projectId;
    WorkItemListModel* m_model = nullptr;
    GridView* m_view = nullptr;
    QPushButton* m_reschedule = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_approve = nullptr;
    QPushButton* m_reject = nullptr;
    QPushButton* m_runHere = nullptr;
    QLabel* m_agent = nullptr;
    QLabel* m_message = nullptr;
    QTimer* m_timer = nullptr;
    WorkerThread m_reader;
    WorkerThread m_action;
    WorkItems m_last;
    bool m_runningHere = false;
};
