#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <memory>

class Catalog;
class EmptyStatePage;
class EnvironmentDetailsPage;
class EnvironmentListModel;
class GridView;
class LogTailModel;
class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressDialog;
class QSplitter;
class QStackedWidget;
class QThread;

// The console's main window: LCS's project page (the environments of a project, on
// the left) beside the Environment details page of the selected one, a Maintain menu,
// a live log pane, and the catalog folder in the status bar.
//
// Promises: the GUI thread reads only the catalog (a local SQLite file) and stats
// database files; it never opens an environment database and never waits for an
// operation. Long work (creating the demo project) runs on a worker thread. The views
// follow the catalog: F5 re-reads everything, and every two seconds the environments
// and the selected one's operations are re-read in place, keeping the selection.
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
    QString currentEnvironmentId() const;
    // Selects the environment with `id` in the current project; false if it is not there.
    bool selectEnvironment(const QString& id);
    // The size of the production database of a demo created from the empty state.
    void setDemoSizeMb(int sizeMb) { m_demoSizeMb = sizeMb; }

public Q_SLOTS:
    // Re-reads projects, environments and operations (F5).
    void reload();
    // Creates the demo project on a worker thread, with a progress dialog.
    void createDemo();

private:
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
    void showAbout();
    void demoFinished(bool ok, const QString& error);

    std::unique_ptr<Catalog> m_catalog;
    QString m_projectId;
    int m_demoSizeMb = 32;

    QStackedWidget* m_stack = nullptr;
    EmptyStatePage* m_emptyPage = nullptr;
    QSplitter* m_splitter = nullptr;
    QLabel* m_environmentsHeading = nullptr;
    GridView* m_environmentView = nullptr;
    EnvironmentListModel* m_environmentModel = nullptr;
    EnvironmentDetailsPage* m_details = nullptr;
    QComboBox* m_projectCombo = nullptr;
    QAction* m_projectComboAction = nullptr;
    QAction* m_projectLabelAction = nullptr;
    QDockWidget* m_logDock = nullptr;
    GridView* m_logView = nullptr;
    LogTailModel* m_logModel = nullptr;
    bool m_logAtBottom = true;
    QLabel* m_catalogLabel = nullptr;

    QAction* m_openCatalogAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_refreshAction = nullptr;
    QAction* m_moveDatabaseAction = nullptr;
    QAction* m_applyUpdatesAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QMenu* m_maintainMenu = nullptr;

    QTimer m_liveTimer;
    QPointer<QThread> m_demoThread;
    QPointer<QProgressDialog> m_demoProgress;
};
