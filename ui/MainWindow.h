#pragma once

#include "core/WorkerThread.h"
#include "schedule/RequestWindow.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

class Catalog;
struct Environment;
class EmptyStatePage;
class EnvironmentDetailsPage;
class EnvironmentListModel;
class QSortFilterProxyModel;
class GridView;
class LogTailModel;
class MoveDatabaseWizard;
class OperationCenter;
class OperationsWindow;
class WorkItemsWindow;
class DesktopNotifier;
class OperationProgressView;
class ProjectActions;
class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressDialog;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QThread;

// The console's main window: LCS's project page (the environments of a project, on
// the left) beside the Environment details page of the selected one and the live
// progress of its operation, a Maintain menu (Move database opens the refresh
// wizard), a live log pane, and the catalog folder in the status bar.
//
// Promises: the GUI thread reads only the catalog (a local SQLite file), stats
// database files and reads runbook logs; it never opens an environment database and
// never waits for an operation. Long work (creating the demo project, preflights,
// operations) runs on worker threads. The views follow the catalog: F5 re-reads
// everything, and every two seconds the environments and the selected one's
// operations are re-read in place, keeping the selection; operations left running by
// a process that died are marked interrupted at start and on every re-read. Closing
// the window while an operation runs asks whether to wait, cancel or leave it.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY(MainWindow)

public:
    // Takes an opened catalog.
    explicit MainWindow(std::unique_ptr<Catalog> catalog, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Switches to the catalog in `folder`; on failure the current one stays.
    bool openCatalog(const QString& folder, QString* error);
    Catalog* catalog() const { return m_catalog.get(); }
    QString currentProjectId() const { return m_projectId; }
    // View > Operations: opens (or raises) the project's operations window.
    OperationsWindow* openOperationsWindow();
    // View > Work items: opens (or raises) the project's requests and schedules.
    WorkItemsWindow* openWorkItemsWindow();
    // View > Audit log: who did what, with which role, from which host.
    class AuditLogDialog* openAuditLog();
    // Runs the work that is due now in this console (one agent pass on a worker thread),
    // and (`keepDoing`) again whenever work is due while no agent is alive and the
    // console is open.
    void runDueWorkHere(bool keepDoing = true);
    QString currentEnvironmentId() const;
    // Selects the environment with `id` in the current project; false if it is not there.
    bool selectEnvironment(const QString& id);
    // The size of the production database of a demo created from the empty state.
    void setDemoSizeMb(int sizeMb) { m_demoSizeMb = sizeMb; }
    OperationCenter* operations() const { return m_center; }
    OperationProgressView* progressView() const { return m_progressView; }
    // Asset library, Apply updates, Add/Edit/Remove environment, Data policy.
    ProjectActions* projectActions() const { return m_projectActions; }
    // Shows the live progress of operation `id` (selecting its target environment).
    void showOperation(qint64 id);
    // What "leave it to be resumed later" does once the runners are detached: by
    // default, flush the logs and end the process at once (never joining a runner).
    static void setLeaveHandler(const std::function<void()>& handler);

public Q_SLOTS:
    // Re-reads projects, environments and operations (F5).
    void reload();
    // Creates the demo project on a worker thread, with a progress dialog.
    void createDemo();
    // Maintain > Move database on the selected sandbox: opens the wizard (window-modal)
    // and starts the refresh when it is accepted; nullptr when not possible.
    // With `restorePointId`, a Point-in-time restore from it, chosen already (a sandbox's
    // or a dev/test environment's own restore point, from its Restore points panel).
    MoveDatabaseWizard* openMoveDatabase(qint64 restorePointId = 0);

protected:
    void closeEvent(class QCloseEvent* event) override;

private:
    void updateOperationsWindow();
    // The status bar's word on the agent: alive, or how many requests wait for none.
    void updateAgentStatus();
    // loadEnvironments() in the next turn of the event loop, once however many times it
    // is asked in this one (an operation that ends changes its session, its state and
    // the environment at once).
    void scheduleLoadEnvironments();
    // Runs the runner's Cleanup for the operations a dead process left marked
    // (OperationStore::withLeftovers), off the GUI thread.
    void removeLeftovers();
    // The selected environment (through the list's sorting), or nullptr.
    const Environment* currentEnvironment() const;
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentralWidget();
    void createLogDock();
    void liveRefresh();
    void setProject(const QString& projectId);
    void loadEnvironments();
    void showSelectedEnvironment();
    void updateTitle();
    void chooseCatalogFolder();
    // File > Connect to team catalog…: a team catalog's URL, tested, then opened.
    void connectTeamCatalog();
    // A team catalog's change (NOTIFY): the live refresh runs soon, merged with others.
    void onCatalogChanged();
    void showAbout();
    void demoFinished(bool ok, const QString& error);
    void updateMaintainActions();
    void showOperationOf(const QString& environmentId, const QList<class OperationRecord>& history);
    void recoverInterrupted(bool atStart);
    void moveDatabaseAccepted(MoveDatabaseWizard* wizard);
    // In the next turn of the event loop, `start` creates and runs an operation; in the one
    // after, it is shown. A failure is said in a box named `boxName`, under `failure`.
    void startInNextTurn(const QString& failure, const QString& boxName,
                         const std::function<std::optional<qint64>(QString*)>& start);
    void operationFinished(qint64 id, int outcome, const QString& state, const QString& message);
    void updateOperationTab();
    // Runs a RestorePointWorker task (create, delete, sweep) off the GUI thread; one at a time.
    void startRestorePointTask(int task, const QString& subject);
    void restorePointTaskFinished(bool ok, const QString& message, bool refused);
    void confirmDeleteRestorePoint(qint64 id);
    // Sweeps the restore points nothing needs when there are any (after an operation, at open).
    void sweepRestorePoints();

    std::unique_ptr<Catalog> m_catalog;
    QString m_projectId;
    int m_demoSizeMb = 32;

    QStackedWidget* m_stack = nullptr;
    EmptyStatePage* m_emptyPage = nullptr;
    QSplitter* m_splitter = nullptr;
    QLabel* m_environmentsHeading = nullptr;
    GridView* m_environmentView = nullptr;
    EnvironmentListModel* m_environmentModel = nullptr;
    QSortFilterProxyModel* m_environmentSort = nullptr;
    EnvironmentDetailsPage* m_details = nullptr;
    QTabWidget* m_tabs = nullptr;
    OperationProgressView* m_progressView = nullptr;
    OperationCenter* m_center = nullptr;
    qint64 m_shownOperationId = 0;
    // On a team catalog, why the login may not operate / manage the selected environment.
    QString m_operateRefusal;
    QString m_manageRefusal;
    QString m_ownRefusal; // ... or do what only a Project owner does (mark it protected)
    QPointer<MoveDatabaseWizard> m_wizard;
    QPointer<OperationsWindow> m_operationsWindow;
    QPointer<WorkItemsWindow> m_workItemsWindow;
    QPointer<class AuditLogDialog> m_auditLog;
    QLabel* m_agentLabel = nullptr;
    DesktopNotifier* m_notifier = nullptr;
    WorkerThread m_agentPass;
    QPointer<QObject> m_agentWorker;
    bool m_runDueHere = false;
    // The downtime window the wizard that just closed asked for (startInNextTurn takes it).
    std::optional<RequestWindow> m_pendingWindow;
    bool m_pendingForce = false;
    int m_agentTicks = 0; // live refreshes since the agent status was last read
    qint64 m_lastDataVersion = -1; // the catalog's data_version at the last live refresh
    bool m_closeWhenIdle = false;
    QComboBox* m_projectCombo = nullptr;
    QAction* m_projectComboAction = nullptr;
    QAction* m_projectLabelAction = nullptr;
    QDockWidget* m_logDock = nullptr;
    GridView* m_logView = nullptr;
    LogTailModel* m_logModel = nullptr;
    bool m_logAtBottom = true;
    QLabel* m_catalogLabel = nullptr;

    QAction* m_openCatalogAction = nullptr;
    QAction* m_teamCatalogAction = nullptr;
    bool m_catalogLost = false;
    QTimer* m_changeTimer = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_moveDatabaseAction = nullptr;
    QAction* m_applyUpdatesAction = nullptr;
    ProjectActions* m_projectActions = nullptr;
    QAction* m_aboutAction = nullptr;
    QMenu* m_maintainMenu = nullptr;

    QTimer m_liveTimer;
    WorkerThread m_demoWorker;
    WorkerThread m_restorePointWorker;
    int m_restorePointTask = -1;
    QString m_restorePointSubject;
    // Reads the Operations window's rows (OperationListWorker); a change seen meanwhile
    // is read once it is done.
    WorkerThread m_operationsLoader;
    bool m_operationsLoading = false;
    bool m_loadScheduled = false;
    bool m_operationsReloadPending = false;
    QPointer<QProgressDialog> m_demoProgress;
};
