#include "MainWindow.h"

#include "catalog/TeamCatalogDialog.h"
#include "operation/OperationKinds.h"
#include "operations/OperationsWindow.h"
#include "catalog/OperationListWorker.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "lifecycle/OperationHost.h"
#include "operation/OperationRules.h"

#include "demo/DemoCreationWorker.h"
#include "EmptyStatePage.h"
#include "EnvironmentDetailsPage.h"
#include "EnvironmentListModel.h"
#include "GridView.h"
#include "LogTailModel.h"
#include "MessageBox.h"
#include "OperationAvailability.h"
#include "OperationHistoryModel.h"
#include "OperationSession.h"
#include "ProjectActions.h"
#include "registration/ClientPrograms.h"
#include "catalog/Catalog.h"
#include "catalog/TeamAccess.h"
#include "catalog/OperationStore.h"
#include "catalog/RestorePointStore.h"
#include "catalog/BackupStore.h"
#include "core/ByteSize.h"
#include "core/Clock.h"
#include "restorepoint/RestorePointService.h"
#include "restorepoint/RestorePointWorker.h"
#include "progress/OperationActions.h"
#include "progress/OperationCenter.h"
#include "progress/OperationProgressView.h"
#include "refresh/RefreshRequest.h"
#include "wizard/MoveDatabaseWizard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QScreen>
#include <QSortFilterProxyModel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

#include "agent/Agent.h"
#include "agent/AgentWorker.h"
#include "core/Clock.h"
#include "operations/WorkItemsWindow.h"
#include "audit/AuditLogDialog.h"
#include "DesktopNotifier.h"
#include "schedule/ScheduleStore.h"
#include <QStyle>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

#include <unistd.h>

namespace {

constexpr int LiveRefreshMs = 2000;

// Tool tip and status tip together, so that hovering a menu entry explains it in the
// status bar and hovering a toolbar button explains it in a tip.
void describe(QAction* action, const QString& text)
{
    action->setToolTip(text);
    action->setStatusTip(text);
}

// "Leave it to be resumed later": the runner threads are not joined (that would wait
// for the whole copy); the process ends here, and the next start finds the operation
// interrupted, with Resume and Rollback.
std::function<void()>& leaveHandler()
{
    static std::function<void()> handler = [] {
        spdlog::warn("console closed during an operation; it is left to be resumed later");
        spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
        ::_exit(0);
    };
    return handler;
}

} // namespace

void MainWindow::setLeaveHandler(const std::function<void()>& handler)
{
    leaveHandler() = handler;
}

MainWindow::MainWindow(std::unique_ptr<Catalog> catalog, QWidget* parent)
    : QMainWindow(parent), m_catalog(std::move(catalog))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QApplication::windowIcon());
    m_center = new OperationCenter(m_catalog.get(), this, this);
    connect(m_center, &OperationCenter::operationChanged, this, [this] {
        scheduleLoadEnvironments();
        updateOperationTab();
        updateOperationsWindow();
    });
    connect(m_center, &OperationCenter::actionFinished, this, &MainWindow::operationFinished);
    connect(m_center, &OperationCenter::notice, this,
            [this](const QString& message) { statusBar()->showMessage(message, 15000); });

    createActions();
    createMenus();
    createToolBar();
    createCentralWidget();
    createLogDock();

    m_catalogLabel = new QLabel(this);
    m_catalogLabel->setObjectName(QStringLiteral("catalogPathLabel"));
    m_catalogLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Permanent: the operations' messages on the left never hide or overlap it.
    m_notifier = new DesktopNotifier(this);
    m_notifier->setCatalog(m_catalog.get());
    // A team catalog says what changed (LISTEN/NOTIFY): shown at once, not at the next tick.
    if (m_catalog && m_catalog->isTeam())
        m_catalog->listen(QStringLiteral("dataalm_changes"), [this](const QString&) { onCatalogChanged(); });
    m_agentLabel = new QLabel(this);
    m_agentLabel->setObjectName(QStringLiteral("agentStatusLabel"));
    // Wide enough for its longest words, whatever the message beside it.
    m_agentLabel->setMinimumWidth(m_agentLabel->fontMetrics().horizontalAdvance(tr("Running due work in this console")) + 12);
    statusBar()->addPermanentWidget(m_agentLabel);
    statusBar()->addPermanentWidget(m_catalogLabel);

    m_liveTimer.setInterval(LiveRefreshMs);
    connect(&m_liveTimer, &QTimer::timeout, this, &MainWindow::liveRefresh);
    m_liveTimer.start();

    // 1280x800, or the screen's free area (less a title bar) when that is smaller: a
    // 1366x768 laptop shows the whole window.
    const QSize screenRoom = screen() ? screen()->availableGeometry().size() - QSize(0, 32) : QSize(1280, 800);
    resize(QSize(1280, 800).boundedTo(screenRoom).expandedTo(minimumSizeHint()));
    recoverInterrupted(true);
    removeLeftovers();
    reload();
    // Arrow keys move through the environments straight away.
    m_environmentView->setFocus();
}

MainWindow::~MainWindow()
{
    // closeEvent() let no action run unless the user left it to the process's end.
    m_center->cancelAll();
    // The generator cannot be interrupted: m_demoWorker lets it finish rather than
    // kill the thread.
}

void MainWindow::createActions()
{
    m_openCatalogAction = new QAction(tr("&Open Catalog Folder…"), this);
    m_openCatalogAction->setObjectName(QStringLiteral("openCatalogAction"));
    m_openCatalogAction->setShortcut(QKeySequence::Open);
    m_openCatalogAction->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    describe(m_openCatalogAction, tr("Open another catalog folder (Ctrl+O)"));
    connect(m_openCatalogAction, &QAction::triggered, this, &MainWindow::chooseCatalogFolder);
    m_teamCatalogAction = new QAction(tr("Connect to &Team Catalog…"), this);
    m_teamCatalogAction->setObjectName(QStringLiteral("teamCatalogAction"));
    describe(m_teamCatalogAction, tr("Open a team catalog on PostgreSQL, shared with the team's agents"));
    connect(m_teamCatalogAction, &QAction::triggered, this, &MainWindow::connectTeamCatalog);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    describe(m_quitAction, tr("Close DataALM Console (Ctrl+Q)"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_refreshAction = new QAction(tr("&Refresh"), this);
    m_refreshAction->setObjectName(QStringLiteral("refreshAction"));
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    describe(m_refreshAction, tr("Read the projects, environments and operations from the catalog again (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::reload);

    m_moveDatabaseAction = new QAction(tr("&Move Database…"), this);
    m_moveDatabaseAction->setObjectName(QStringLiteral("moveDatabaseAction"));
    m_moveDatabaseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(m_moveDatabaseAction, &QAction::triggered, this, [this] { openMoveDatabase(); });

    m_applyUpdatesAction = new QAction(tr("&Apply Updates…"), this);
    m_applyUpdatesAction->setObjectName(QStringLiteral("applyUpdatesAction"));
    m_applyUpdatesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    // Asset library, Apply updates, environments and data policy (it drives m_applyUpdatesAction).
    m_projectActions = new ProjectActions(this, m_applyUpdatesAction);

    m_aboutAction = new QAction(tr("&About DataALM Console"), this);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    describe(m_aboutAction, tr("Version and licence of DataALM Console"));
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->setToolTipsVisible(true);
    file->addAction(m_openCatalogAction);
    file->addAction(m_teamCatalogAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    m_maintainMenu = menuBar()->addMenu(tr("&Maintain"));
    m_maintainMenu->setObjectName(QStringLiteral("maintainMenu"));
    m_maintainMenu->setToolTipsVisible(true);
    m_maintainMenu->addAction(m_moveDatabaseAction);
    m_maintainMenu->addAction(m_applyUpdatesAction);
    m_maintainMenu->addAction(m_projectActions->reprovisionAction());
    m_maintainMenu->addSeparator();
    m_maintainMenu->addAction(m_projectActions->assetLibraryAction());
    m_maintainMenu->addAction(m_projectActions->dataPolicyAction());
    m_maintainMenu->addAction(m_projectActions->membersAction());
    m_maintainMenu->addAction(m_projectActions->protectAction());
    m_maintainMenu->addAction(m_projectActions->credentialsAction());
    m_maintainMenu->addAction(m_projectActions->requestAccessAction());

    QMenu* environments = menuBar()->addMenu(tr("&Environments"));
    environments->setObjectName(QStringLiteral("environmentsMenu"));
    environments->setToolTipsVisible(true);
    environments->addAction(m_projectActions->addEnvironmentAction());
    environments->addAction(m_projectActions->editEnvironmentAction());
    environments->addAction(m_projectActions->removeEnvironmentAction());

    // View and Help are filled once the log dock exists (createLogDock).
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    describe(bar->toggleViewAction(), tr("Show or hide the toolbar"));

    auto* projectLabel = new QLabel(tr(" &Project: "), bar);
    m_projectCombo = new QComboBox(bar);
    m_projectCombo->setObjectName(QStringLiteral("projectSelector"));
    m_projectCombo->setToolTip(tr("The project whose environments are shown"));
    m_projectCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_projectCombo->setMinimumContentsLength(12);
    projectLabel->setBuddy(m_projectCombo);
    m_projectLabelAction = bar->addWidget(projectLabel);
    m_projectComboAction = bar->addWidget(m_projectCombo);
    connect(m_projectCombo, &QComboBox::activated, this,
            [this](int index) { setProject(m_projectCombo->itemData(index).toString()); });
    bar->addAction(m_openCatalogAction);
    bar->addAction(m_refreshAction);
}

void MainWindow::createCentralWidget()
{
    m_stack = new QStackedWidget(this);

    m_emptyPage = new EmptyStatePage(m_stack);
    connect(m_emptyPage, &EmptyStatePage::createDemoRequested, this, &MainWindow::createDemo);

    // Left: the project's environments.
    auto* listPane = new QWidget;
    m_environmentsHeading = new QLabel(tr("Environments"), listPane);
    QFont headingFont = m_environmentsHeading->font();
    headingFont.setWeight(QFont::DemiBold);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_environmentsHeading->setFont(headingFont);

    m_environmentModel = new EnvironmentListModel(this);
    m_environmentView = new GridView(listPane);
    m_environmentView->setObjectName(QStringLiteral("environmentList"));
    // Sortable by any column (header click); unsorted, the catalog's order.
    m_environmentSort = new QSortFilterProxyModel(this);
    m_environmentSort->setSourceModel(m_environmentModel);
    m_environmentSort->setSortRole(EnvironmentListModel::SortRole);
    m_environmentView->setModel(m_environmentSort);
    m_environmentView->setSortingEnabled(true);
    m_environmentView->header()->setSortIndicator(-1, Qt::AscendingOrder);
    m_environmentView->setTextElideMode(Qt::ElideRight);
    m_environmentView->setPlaceholderText(tr("This project has no environments."));
    QHeaderView* header = m_environmentView->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(EnvironmentListModel::NameColumn, QHeaderView::Stretch);
    for (int c = EnvironmentListModel::TypeColumn; c < EnvironmentListModel::ColumnCount; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_environmentsHeading->setBuddy(m_environmentView);
    connect(m_environmentView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showSelectedEnvironment);

    auto* listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(12, 12, 6, 12);
    listLayout->setSpacing(8);
    auto* headingRow = new QHBoxLayout;
    headingRow->addWidget(m_environmentsHeading, 1);
    for (QAction* a : {m_projectActions->addEnvironmentAction(), m_projectActions->editEnvironmentAction(),
                       m_projectActions->removeEnvironmentAction()}) {
        auto* button = new QToolButton(listPane);
        button->setDefaultAction(a);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(true);
        headingRow->addWidget(button);
    }
    listLayout->addLayout(headingRow);
    listLayout->addWidget(m_environmentView);

    // Right: the selected environment's details page.
    m_details = new EnvironmentDetailsPage;
    m_details->setMaintainMenu(m_maintainMenu);
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("detailsScrollArea"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_details);
    connect(m_details, &EnvironmentDetailsPage::operationActivated, this, &MainWindow::showOperation);
    connect(m_details, &EnvironmentDetailsPage::createRestorePointRequested, this,
            [this](const QString& id) { startRestorePointTask(RestorePointWorker::Create, id); });
    connect(m_details, &EnvironmentDetailsPage::deleteRestorePointRequested, this,
            &MainWindow::confirmDeleteRestorePoint);
    connect(m_details, &EnvironmentDetailsPage::restoreRequested, this,
            [this](const QString&, qint64 pointId) { openMoveDatabase(pointId); });
    connect(m_details->historyActions(), &OperationActions::requested, m_center, &OperationCenter::perform);
    connect(m_details, &EnvironmentDetailsPage::reprovisioningRequested, m_projectActions,
            [this](const QString& id) { m_projectActions->applyReprovisioningTool(id); });

    // Beside the details: the live progress of the environment's operation.
    m_progressView = new OperationProgressView;
    connect(m_progressView->actions(), &OperationActions::requested, m_center, &OperationCenter::perform);
    connect(m_progressView, &OperationProgressView::reprovisioningRequested, m_projectActions,
            [this](const QString& id) { m_projectActions->applyReprovisioningTool(id); });
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("environmentTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(scroll, tr("E&nvironment")); // Alt+E opens the Environments menu
    // Scrolled, like the details: the follow-ups or an error line never make the
    // window taller than the screen, and a laptop screen holds it whole.
    auto* progressScroll = new QScrollArea;
    progressScroll->setObjectName(QStringLiteral("progressScrollArea"));
    progressScroll->setWidgetResizable(true);
    progressScroll->setFrameShape(QFrame::NoFrame);
    progressScroll->setWidget(m_progressView);
    m_tabs->addTab(progressScroll, tr("O&peration"));
    m_tabs->setTabToolTip(0, tr("The environment's details, databases and operation history"));
    m_tabs->setTabToolTip(1, tr("The live progress of the environment's latest (or chosen) operation"));

    m_splitter = new QSplitter(Qt::Horizontal, m_stack);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(listPane);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 36);
    m_splitter->setStretchFactor(1, 64);
    m_splitter->setSizes({36 * 1280 / 100, 64 * 1280 / 100});

    m_stack->addWidget(m_emptyPage);
    m_stack->addWidget(m_splitter);
    setCentralWidget(m_stack);
}

void MainWindow::createLogDock()
{
    m_logDock = new QDockWidget(tr("Log"), this);
    m_logDock->setObjectName(QStringLiteral("logDock"));
    m_logDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::TopDockWidgetArea);
    m_logDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);

    m_logModel = new LogTailModel(this);
    m_logView = new GridView(m_logDock);
    m_logView->setObjectName(QStringLiteral("logView"));
    m_logView->setModel(m_logModel);
    m_logView->setAlternatingRowColors(false);
    m_logView->setTextElideMode(Qt::ElideRight);
    m_logView->setPlaceholderText(tr("Nothing logged yet."));
    m_logView->setHeightInRows(4, 6);
    m_logView->header()->setStretchLastSection(true);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(m_logView->font().pointSizeF());
    m_logView->setFont(mono);
    // Fixed widths: measuring every line again for each new one stalls a busy window.
    m_logView->setColumnWidthFor(LogTailModel::TimeColumn, {QStringLiteral("00:00:00.000")});
    m_logView->setColumnWidthFor(LogTailModel::LevelColumn,
                                 {QStringLiteral("Level"), QStringLiteral("warning"), QStringLiteral("critical")});

    // Follow new lines while the view is scrolled to the end; stay put once the user scrolls up.
    connect(m_logModel, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* bar = m_logView->verticalScrollBar();
        m_logAtBottom = bar->value() >= bar->maximum();
    });
    connect(m_logModel, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_logAtBottom)
            m_logView->scrollToBottom();
    });
    m_logDock->setWidget(m_logView);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logView->scrollToBottom();

    QAction* toggleLog = m_logDock->toggleViewAction();
    toggleLog->setText(tr("&Log Pane"));
    toggleLog->setObjectName(QStringLiteral("toggleLogAction"));
    toggleLog->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    describe(toggleLog, tr("Show or hide the application log (Ctrl+Shift+L)"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    view->setToolTipsVisible(true);
    view->addAction(toggleLog);
    auto* operations = new QAction(tr("&Operations…"), this);
    operations->setObjectName(QStringLiteral("operationsAction"));
    operations->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    describe(operations, tr("Every running and recent operation of the project, with filters (Ctrl+Shift+O)"));
    connect(operations, &QAction::triggered, this, [this] { openOperationsWindow(); });
    view->addAction(operations);
    auto* workItems = new QAction(tr("&Work items…"), this);
    workItems->setObjectName(QStringLiteral("workItemsAction"));
    workItems->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    describe(workItems, tr("Requests waiting for their downtime window or an approval, and recurring schedules, with "
                           "Reschedule, Cancel, Approve and Reject (Ctrl+Shift+W)"));
    connect(workItems, &QAction::triggered, this, [this] { openWorkItemsWindow(); });
    view->addAction(workItems);
    auto* auditLog = new QAction(tr("&Audit log…"), this);
    auditLog->setObjectName(QStringLiteral("auditLogAction"));
    describe(auditLog, tr("Who did what, with which role and from which host; filter it and export it as CSV"));
    connect(auditLog, &QAction::triggered, this, [this] { openAuditLog(); });
    view->addAction(auditLog);
    view->addSeparator();
    view->addAction(m_refreshAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->setToolTipsVisible(true);
    help->addAction(m_aboutAction);
}

void MainWindow::reload()
{
    if (!m_catalog)
        return;
    m_catalogLabel->setText(tr("Catalog: %1").arg(m_catalog->location()));
    m_catalogLabel->setToolTip(m_catalog->databasePath());
    m_emptyPage->setCatalogFolder(m_catalog->location());

    const QList<Project> projects = m_catalog->projects();
    QString projectId = m_projectId;
    const bool known =
        std::any_of(projects.begin(), projects.end(), [&](const Project& p) { return p.id == projectId; });
    if (!known)
        projectId = projects.isEmpty() ? QString() : projects.constFirst().id;

    m_projectCombo->clear();
    for (const auto& p : projects)
        m_projectCombo->addItem(p.name.isEmpty() ? p.id : p.name, p.id);
    m_projectCombo->setCurrentIndex(m_projectCombo->findData(projectId));
    m_projectComboAction->setVisible(projects.size() > 1);
    m_projectLabelAction->setVisible(projects.size() > 1);

    m_stack->setCurrentWidget(projects.isEmpty() ? static_cast<QWidget*>(m_emptyPage) : m_splitter);
    m_maintainMenu->setEnabled(!projects.isEmpty());
    setProject(projectId);
}

OperationsWindow* MainWindow::openOperationsWindow()
{
    if (!m_catalog || m_projectId.isEmpty())
        return nullptr;
    if (!m_operationsWindow) {
        QStringList ids;
        for (const Environment& e : m_catalog->environments(m_projectId))
            ids << e.id;
        m_operationsWindow = new OperationsWindow(ids, this);
        m_operationsWindow->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_operationsWindow, &OperationsWindow::operationActivated, this, [this](qint64 id) {
            showOperation(id);
            raise();
            activateWindow();
        });
    }
    updateOperationsWindow();
    m_operationsWindow->show();
    m_operationsWindow->raise();
    return m_operationsWindow;
}

AuditLogDialog* MainWindow::openAuditLog()
{
    if (!m_catalog)
        return nullptr;
    if (!m_auditLog) {
        QStringList environments;
        for (const Environment& e : m_environmentModel->environments())
            environments << e.id;
        m_auditLog = new AuditLogDialog(m_catalog->location(), m_catalog->isTeam(), environments, this);
        m_auditLog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_auditLog->show();
    m_auditLog->raise();
    return m_auditLog;
}

WorkItemsWindow* MainWindow::openWorkItemsWindow()
{
    if (!m_catalog || m_projectId.isEmpty())
        return nullptr;
    if (!m_workItemsWindow) {
        m_workItemsWindow = new WorkItemsWindow(m_catalog->location(), m_projectId, this);
        m_workItemsWindow->setAttribute(Qt::WA_DeleteOnClose);
        m_workItemsWindow->setRunningHere(m_runDueHere);
        connect(m_workItemsWindow, &WorkItemsWindow::runHereRequested, this, [this] { runDueWorkHere(true); });
        connect(m_workItemsWindow, &WorkItemsWindow::changed, this, [this] {
            updateAgentStatus();
            scheduleLoadEnvironments();
        });
    }
    m_workItemsWindow->show();
    m_workItemsWindow->raise();
    return m_workItemsWindow;
}

void MainWindow::runDueWorkHere(bool keepDoing)
{
    m_runDueHere = m_runDueHere || keepDoing;
    if (m_workItemsWindow)
        m_workItemsWindow->setRunningHere(m_runDueHere);
    if (!m_catalog || m_agentPass.isRunning())
        return;
    auto* worker = new AgentWorker(m_catalog->location());
    m_agentWorker = worker;
    connect(worker, &AgentWorker::message, this, [this](const QString& text) {
        statusBar()->showMessage(tr("Due work: %1").arg(text), 15000);
    });
    connect(worker, &AgentWorker::finished, this, [this] {
        updateAgentStatus();
        scheduleLoadEnvironments();
        if (m_workItemsWindow)
            m_workItemsWindow->reload();
        if (m_closeWhenIdle && m_center->busySessions().isEmpty())
            QTimer::singleShot(0, this, &QWidget::close);
    });
    m_agentPass.start(worker, QStringLiteral("agent pass"), &AgentWorker::finished);
    updateAgentStatus();
}

void MainWindow::updateAgentStatus()
{
    if (!m_catalog || !m_agentLabel)
        return;
    const bool alive = Agent::anyAlive(*m_catalog);
    const QDateTime now = Clock::nowUtc();
    int waiting = 0;
    int due = 0;
    for (const OperationRecord& r : OperationStore(*m_catalog).scheduled()) {
        ++waiting;
        due += r.windowStart <= now;
    }
    for (const Schedule& s : ScheduleStore(*m_catalog).list()) {
        ++waiting;
        due += s.nextStart <= now;
    }
    if (m_agentPass.isRunning())
        m_agentLabel->setText(tr("Running due work in this console"));
    else if (alive)
        m_agentLabel->setText(tr("Agent running"));
    else if (waiting == 0)
        m_agentLabel->setText(tr("No agent"));
    else
        m_agentLabel->setText(due > 0 ? (due == 1 ? tr("No agent: 1 request due") : tr("No agent: %1 requests due").arg(due))
                                      : (waiting == 1 ? tr("No agent: 1 request waits")
                                                      : tr("No agent: %1 requests wait").arg(waiting)));
    m_agentLabel->setToolTip(alive ? tr("An agent runs each request when its window opens (dataalm agents lists it).")
                                   : tr("Requests run only while an agent runs: dataalm agent, its systemd user unit, "
                                        "or View > Work items > Run due work in this console."));
    // While no agent is alive, this console runs what is due if the user asked it to.
    if (m_runDueHere && !alive && due > 0 && !m_agentPass.isRunning())
        runDueWorkHere(true);
}

void MainWindow::updateOperationsWindow()
{
    if (!m_operationsWindow || !m_catalog)
        return;
    // Read off the GUI thread; a change while a read runs is read again after it.
    if (m_operationsLoading) {
        m_operationsReloadPending = true;
        return;
    }
    m_operationsLoading = true;
    m_operationsReloadPending = false;
    auto* worker = new OperationListWorker(m_catalog->location(), m_projectId);
    const QString project = m_projectId;
    const QString folder = m_catalog->location();
    connect(worker, &OperationListWorker::finished, this,
            [this, project, folder](const QList<OperationRecord>& operations, const QString& error) {
                m_operationsLoading = false;
                // Another catalog or project opened meanwhile: read again, for it.
                const bool current = m_catalog && folder == m_catalog->location() && project == m_projectId;
                if (!error.isEmpty())
                    statusBar()->showMessage(tr("The operations could not be read: %1").arg(error), 15000);
                else if (m_operationsWindow && current)
                    m_operationsWindow->setOperations(operations);
                if (m_operationsReloadPending || !current)
                    QTimer::singleShot(0, this, &MainWindow::updateOperationsWindow);
            });
    m_operationsLoader.start(worker, QStringLiteral("operations-list"), &OperationListWorker::finished);
}

void MainWindow::onCatalogChanged()
{
    // A burst of changes (a running operation's steps) gives one refresh per 50 ms.
    if (!m_changeTimer) {
        m_changeTimer = new QTimer(this);
        m_changeTimer->setSingleShot(true);
        m_changeTimer->setInterval(50);
        connect(m_changeTimer, &QTimer::timeout, this, &MainWindow::liveRefresh);
    }
    if (!m_changeTimer->isActive())
        m_changeTimer->start();
}

void MainWindow::liveRefresh()
{
    // A team catalog that stopped answering is said, tried again at each tick, and read
    // again in full once it answers.
    if (m_catalog && m_catalog->isTeam()) {
        const qint64 version = m_catalog->dataVersion();
        if (version != m_lastDataVersion || m_catalogLost) {
            if (!m_catalog->ensureConnected()) {
                if (!m_catalogLost)
                    spdlog::warn("the team catalog {} does not answer", m_catalog->location().toStdString());
                m_catalogLost = true;
                m_catalogLabel->setText(tr("Team catalog not answering: reconnecting…"));
                return;
            }
            if (m_catalogLost) {
                m_catalogLost = false;
                m_catalogLabel->setText(tr("Catalog: %1").arg(m_catalog->location()));
                statusBar()->showMessage(tr("Reconnected to the team catalog; what changed meanwhile is shown."), 10000);
                m_lastDataVersion = -2; // read everything again
            }
        }
    }
    recoverInterrupted(false);
    // Nothing re-read unless the catalog changed: another process or this console's
    // runner committed (data_version moves), or a tick saw no catalog yet. Idle, a tick
    // costs one PRAGMA.
    const qint64 version = m_catalog ? m_catalog->dataVersion() : -1;
    // A window opens with no change to the catalog: the agent status is read every 30 s too.
    if (++m_agentTicks >= 15) {
        m_agentTicks = 0;
        updateAgentStatus();
    }
    if (version >= 0 && version == m_lastDataVersion)
        return;
    m_lastDataVersion = version;
    m_notifier->poll();
    updateOperationsWindow();
    updateAgentStatus();
    // Without a project, watch for one created from a terminal (`dataalm demo`).
    if (m_projectId.isEmpty())
        reload();
    else
        scheduleLoadEnvironments(); // merged with the reload an idle session's change asks for
    m_center->reloadIdle();
}

void MainWindow::removeLeftovers()
{
    if (!m_catalog)
        return;
    sweepRestorePoints();
    // What a rolled-back or signed-off operation still marks as left on disk (its
    // process died before removing it): the runner's Cleanup removes it, on its thread.
    OperationStore store(*m_catalog);
    QList<qint64> ids;
    for (const qint64 id : store.withLeftovers()) {
        const auto op = store.get(id);
        if (op && (op->state == OperationState::RollbackCompleted || op->state == OperationState::SignedOff))
            ids << id;
    }
    if (ids.isEmpty())
        return;
    auto* host = new OperationHost(m_catalog->location(), BuiltInOperationKinds::registry(), this);
    auto left = std::make_shared<int>(int(ids.size()));
    connect(host->runner(), &OperationRunner::finished, host, [host, left] {
        if (--*left == 0)
            host->deleteLater();
    });
    for (const qint64 id : std::as_const(ids))
        host->execute(id, OperationRunner::Cleanup);
    spdlog::info("console: removing what operations {} left behind", ids.size());
}

void MainWindow::recoverInterrupted(bool atStart)
{
    if (!m_catalog)
        return;
    OperationStore store(*m_catalog);
    QList<qint64> ids = store.recoverInterrupted();
    // At start, also those another process found interrupted while the console was away.
    if (atStart) {
        for (qint64 id : store.interruptedUnresolved()) {
            if (!ids.contains(id))
                ids << id;
        }
        std::sort(ids.begin(), ids.end());
    }
    if (ids.isEmpty())
        return;
    QStringList names;
    for (qint64 id : ids)
        names << QString::number(id);
    statusBar()->showMessage(
        atStart ? tr("Operation %1 was interrupted when its process stopped, while the console was away: open it in "
                     "the Operation tab to resume or roll it back.")
                      .arg(names.join(QStringLiteral(", ")))
                : tr("Operation %1 stopped: its process is gone. Resume or roll it back.")
                      .arg(names.join(QStringLiteral(", "))),
        30000);
}

void MainWindow::setProject(const QString& projectId)
{
    if (projectId != m_projectId) {
        m_projectId = projectId;
        m_environmentModel->setEnvironments({});
    }
    updateTitle();
    loadEnvironments();
}

void MainWindow::scheduleLoadEnvironments()
{
    if (m_loadScheduled)
        return;
    m_loadScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_loadScheduled = false;
        loadEnvironments();
    });
}

void MainWindow::loadEnvironments()
{
    if (!m_catalog || m_projectId.isEmpty()) {
        m_environmentModel->setEnvironments({});
        showSelectedEnvironment();
        return;
    }
    const QString selected = currentEnvironmentId();
    m_environmentModel->setEnvironments(m_catalog->environments(m_projectId));
    m_environmentsHeading->setText(tr("Environments (%1)").arg(m_environmentModel->rowCount()));
    for (int c = EnvironmentListModel::TypeColumn; c < EnvironmentListModel::ColumnCount; ++c)
        m_environmentView->resizeColumnToContents(c);
    // However narrow the window, every name stays whole: the list is never narrower
    // than its longest name plus the other columns.
    int wanted = 2 * m_environmentView->frameWidth() + m_environmentView->verticalScrollBar()->sizeHint().width();
    for (int c = 0; c < EnvironmentListModel::ColumnCount; ++c)
        wanted += std::max(static_cast<QAbstractItemView*>(m_environmentView)->sizeHintForColumn(c),
                           m_environmentView->header()->sectionSizeHint(c));
    m_environmentView->setMinimumWidth(wanted);

    // A reset loses the selection: put it back on the same environment, or on the first.
    if (currentEnvironmentId().isEmpty() && m_environmentModel->rowCount() > 0) {
        const int row = std::max(0, m_environmentModel->rowOf(selected));
        m_environmentView->setCurrentIndex(m_environmentSort->mapFromSource(m_environmentModel->index(row, 0)));
        return; // currentRowChanged shows it
    }
    showSelectedEnvironment();
}

void MainWindow::showSelectedEnvironment()
{
    const Environment* environment = currentEnvironment();
    if (!environment || !m_catalog) {
        m_details->setEnvironment(std::nullopt);
        m_progressView->setSession(nullptr);
        updateOperationTab();
        updateMaintainActions();
        return;
    }
    m_details->setEnvironment(*environment);
    if (m_catalog->isTeam()) {
        const TeamAccess access(*m_catalog);
        m_operateRefusal = access.whyNot(environment->projectId, environment->id, TeamAccess::Right::Operate);
        m_manageRefusal = access.whyNot(environment->projectId, environment->id, TeamAccess::Right::Manage);
        m_ownRefusal = access.whyNot(environment->projectId, environment->id, TeamAccess::Right::Own);
        // Who this console is on the catalog, and what that makes it in the project.
        if (!m_catalogLost)
            m_catalogLabel->setText(tr("Catalog: %1 · %2, %3 of %4")
                                        .arg(m_catalog->location(), Catalog::currentUser(),
                                             TeamAccess::roleTitle(access.role(environment->projectId)),
                                             environment->projectId));
    } else {
        m_operateRefusal.clear();
        m_manageRefusal.clear();
        m_ownRefusal.clear();
    }
    m_details->setRoleRefusal(m_operateRefusal);
    // With their steps: the buttons' rules look at them (a cancel refused after the swap).
    // A page of the history (the newest, and every one not final), whatever its length;
    // the operation shown on the Operation tab with them even if it is older.
    const OperationStore store(*m_catalog);
    QList<OperationRecord> history = store.listSummaries(environment->id, true, OperationStore::HistoryPage);
    const qint64 total = store.count(environment->id);
    if (m_shownOperationId > 0 &&
        std::none_of(history.cbegin(), history.cend(),
                     [this](const OperationRecord& op) { return op.id == m_shownOperationId; })) {
        const auto shown = store.get(m_shownOperationId);
        if (shown && (shown->target == environment->id || shown->source == environment->id)) {
            const auto older = std::find_if(history.begin(), history.end(),
                                            [&](const OperationRecord& op) { return op.id < shown->id; });
            history.insert(older, *shown);
        }
    }
    m_details->setOperations(history, total);
    m_details->setRestorePoints(RestorePointStore(*m_catalog).list(environment->id), Clock::nowUtc());
    QSet<qint64> busy;
    for (OperationSession* s : m_center->busySessions())
        busy.insert(s->operationId());
    m_details->setBusyOperations(busy);
    showOperationOf(environment->id, history);
    updateMaintainActions();
}

void MainWindow::showOperationOf(const QString& environmentId, const QList<OperationRecord>& history)
{
    // The operation chosen for this environment, else its newest one as the target.
    const OperationRecord* shown = nullptr;
    for (const OperationRecord& op : history) {
        if (op.target != environmentId)
            continue;
        if (op.id == m_shownOperationId) {
            shown = &op;
            break;
        }
        if (!shown)
            shown = &op;
    }
    OperationSession* session = shown ? m_center->session(shown->id) : nullptr;
    if (session)
        m_shownOperationId = shown->id;
    QList<OperationRecord> targetHistory;
    for (const OperationRecord& op : history) {
        if (op.target == environmentId)
            targetHistory.append(op);
    }
    m_progressView->setSession(session, targetHistory);
    updateOperationTab();
}

void MainWindow::updateOperationTab()
{
    const OperationSession* s = m_progressView->session();
    m_tabs->setTabText(
        1, s ? tr("O&peration #%1 · %2").arg(s->record().id).arg(OperationHistoryModel::stateTitle(s->record()))
             : tr("O&peration"));
}

void MainWindow::showOperation(qint64 id)
{
    if (!m_catalog)
        return;
    const OperationStore store(*m_catalog);
    // A request an agent already claimed goes on under a new id: that operation is shown.
    auto op = store.get(store.currentIdOf(id).value_or(id));
    if (!op)
        return;
    m_shownOperationId = op->id;
    if (currentEnvironmentId() != op->target)
        selectEnvironment(op->target); // shows it through currentRowChanged
    else
        showSelectedEnvironment();
    m_tabs->setCurrentIndex(1);
}

void MainWindow::updateMaintainActions()
{
    const Environment* e = currentEnvironment();
    QString why;
    if (!e)
        why = tr("Select a sandbox to refresh its databases.");
    else if (e->type != EnvironmentType::Sandbox)
        why = tr("%1 is a %2 environment: only sandboxes can be refreshed. Select a sandbox.")
                  .arg(e->name, environmentTypeTitle(e->type).toLower());
    else if (!m_operateRefusal.isEmpty())
        why = m_operateRefusal;
    m_moveDatabaseAction->setEnabled(why.isEmpty());
    m_projectActions->update(e, e ? m_operateRefusal : QString(), e ? m_manageRefusal : QString(),
                             e ? m_ownRefusal : QString());
    describe(m_moveDatabaseAction,
             why.isEmpty() ? tr("Refresh %1's databases from another environment of the project: checks, the data "
                                "that will not be copied, then the live progress")
                                 .arg(e->name)
                           : why);
}

MoveDatabaseWizard* MainWindow::openMoveDatabase(qint64 restorePointId)
{
    const Environment* target = currentEnvironment();
    if (!target || !m_catalog || target->type == EnvironmentType::Production ||
        (target->type != EnvironmentType::Sandbox && restorePointId == 0))
        return nullptr;
    if (m_wizard) {
        m_wizard->raise();
        return m_wizard;
    }
    const QList<Environment> environments = m_catalog->environments(target->projectId);
    auto* wizard = new MoveDatabaseWizard(m_catalog->location(), *target, environments,
                                          RefreshRequest::policyPathFor(*m_catalog, *target), this);
    // The restore points a Point-in-time restore may start from: the target's own, and
    // (into a sandbox) production's. Read from the catalog only.
    const RestorePointStore points(*m_catalog);
    QList<RestorePoint> choices;
    for (const RestorePoint& p : points.list(target->id)) {
        if (p.state == RestorePoint::Available)
            choices << p;
    }
    if (target->type == EnvironmentType::Sandbox) {
        for (const Environment& e : environments) {
            if (e.type != EnvironmentType::Production)
                continue;
            for (const RestorePoint& p : points.list(e.id)) {
                if (p.state == RestorePoint::Available)
                    choices << p;
            }
        }
    }
    wizard->setRestorePointChoices(choices, Clock::nowUtc());
    wizard->setBackupChoices(BackupStore(*m_catalog).list(target->projectId));
    // The servers pgBackRest archives: the target's own, and (into a sandbox) production's.
    QMap<QString, PitrSource> instants;
    for (const Environment& e : environments) {
        const bool candidate = e.id == target->id ||
                               (target->type == EnvironmentType::Sandbox && e.type == EnvironmentType::Production);
        const PitrSource pitr = candidate ? m_catalog->pitrSource(e.id) : PitrSource{};
        if (pitr.isSet())
            instants.insert(e.id, pitr);
    }
    wizard->setInstantSources(instants);
    if (restorePointId > 0) {
        wizard->setRestorePointId(restorePointId);
        wizard->setStartId(MoveDatabaseWizard::Page_RestorePoint);
    }
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setWindowModality(Qt::WindowModal);
    // The estimate of the summary: how long the target's last completed refresh ran, from
    // the history the details page already holds (the target is the selected environment).
    for (const OperationRecord& op : m_details->historyModel()->operations()) {
        if (op.kind == OperationKinds::Refresh && op.target == target->id &&
            (op.state == OperationState::Completed || op.state == OperationState::SignedOff)) {
            wizard->setEstimate(op.runSeconds());
            break; // newest first
        }
    }
    connect(wizard, &QDialog::accepted, this, [this, wizard] { moveDatabaseAccepted(wizard); });
    m_wizard = wizard;
    wizard->show();
    return wizard;
}

void MainWindow::startInNextTurn(const QString& failure, const QString& boxName,
                                 const std::function<std::optional<qint64>(QString*)>& start)
{
    const std::optional<RequestWindow> window = m_pendingWindow;
    const bool force = m_pendingForce;
    m_pendingWindow.reset();
    QTimer::singleShot(0, this, [=] {
        QString error;
        if (window)
            m_center->requestNextStart(*window, force);
        const std::optional<qint64> id = start(&error);
        m_center->clearNextRequest();
        if (!id) {
            MessageBox::notify(this, QMessageBox::Warning, tr("Move Database"), failure, error, boxName);
            return;
        }
        const qint64 started = *id;
        if (window) {
            statusBar()->showMessage(tr("Request %1 waits for its window, %2 (View > Work items)")
                                         .arg(started)
                                         .arg(window->text(QTimeZone::systemTimeZone())),
                                     15000);
            updateAgentStatus();
        }
        QTimer::singleShot(0, this, [this, started] { showOperation(started); });
    });
}

void MainWindow::moveDatabaseAccepted(MoveDatabaseWizard* wizard)
{
    // What was reviewed, taken now: the wizard is deleted once closed. The operation starts
    // in the next turn of the event loop, and is shown in the one after, so that closing
    // the wizard, starting the runner and showing its progress are three short pauses of
    // the GUI thread rather than one long one.
    const QString sourceId = wizard->sourceId();
    const QString targetId = wizard->target().id;
    const QString targetName = wizard->target().name;
    m_pendingWindow = wizard->requestWindow();
    m_pendingForce = wizard->requestForce();
    const QString policyPath = wizard->policyPath();
    const QString policySha256 = wizard->policySha256();
    // A restore into its own environment applies no policy: no digest to hold it to.
    const QString reviewed = wizard->appliesPolicy() ? policySha256 : QString();
    // The environments, read again when the operation starts: either may be gone.
    const auto environments = [this, sourceId, targetId](std::optional<Environment>* source,
                                                         std::optional<Environment>* target, QString* error) {
        if (source)
            *source = m_catalog ? m_catalog->environment(sourceId) : std::nullopt;
        *target = m_catalog ? m_catalog->environment(targetId) : std::nullopt;
        const bool found = (!source || *source) && *target;
        if (!found)
            *error = tr("The environment %1 is no longer in the catalog.")
                         .arg(source && !*source ? sourceId : targetId);
        return found;
    };
    const MoveDatabaseWizard::Mode mode = wizard->mode();
    if (mode == MoveDatabaseWizard::Mode::Export || mode == MoveDatabaseWizard::Mode::Import) {
        const bool exporting = mode == MoveDatabaseWizard::Mode::Export;
        const std::optional<BackupStore::Backup> backup =
            wizard->backup() ? std::optional<BackupStore::Backup>(*wizard->backup()) : std::nullopt;
        startInNextTurn(exporting ? tr("The export of %1 could not start.").arg(targetName)
                                  : tr("The import into %1 could not start.").arg(targetName),
                        QStringLiteral("backupStartErrorBox"), [=](QString* error) -> std::optional<qint64> {
                            std::optional<Environment> target;
                            if (!environments(nullptr, &target, error))
                                return std::nullopt;
                            if (exporting)
                                return m_center->startExport(*target, policyPath, error);
                            return backup ? m_center->startImport(*backup, *target, error) : std::nullopt;
                        });
        return;
    }
    if (wizard->instant().isValid()) {
        const QDateTime instant = wizard->instant();
        startInNextTurn(tr("The restore of %1 could not start.").arg(targetName), QStringLiteral("restoreStartErrorBox"),
                        [=](QString* error) -> std::optional<qint64> {
                            std::optional<Environment> source;
                            std::optional<Environment> target;
                            if (!environments(&source, &target, error))
                                return std::nullopt;
                            return m_center->startRestoreAtInstant(*source, *target, instant, reviewed, error);
                        });
        return;
    }
    if (const RestorePoint* chosen = wizard->restorePoint()) {
        const RestorePoint point = *chosen;
        startInNextTurn(tr("The restore of %1 could not start.").arg(targetName), QStringLiteral("restoreStartErrorBox"),
                        [=](QString* error) -> std::optional<qint64> {
                            std::optional<Environment> target;
                            if (!environments(nullptr, &target, error))
                                return std::nullopt;
                            return m_center->startRestore(point, *target, reviewed, error);
                        });
        return;
    }
    startInNextTurn(tr("The refresh of %1 could not start.").arg(targetName), QStringLiteral("refreshStartErrorBox"),
                    [=](QString* error) -> std::optional<qint64> {
                        std::optional<Environment> source;
                        std::optional<Environment> target;
                        if (!environments(&source, &target, error))
                            return std::nullopt;
                        return m_center->startRefresh(*source, *target, policyPath, policySha256, error);
                    });
}

void MainWindow::operationFinished(qint64 id, int outcome, const QString& state, const QString& message)
{
    Q_UNUSED(outcome)
    // The state as every other screen names it ("Rollback completed", not RollbackCompleted).
    const std::optional<OperationState> s = operationStateFromName(state);
    const QString title = s ? OperationHistoryModel::stateTitle(*s) : state;
    statusBar()->showMessage(message.isEmpty() ? tr("Operation %1: %2").arg(id).arg(title)
                                               : tr("Operation %1: %2 — %3").arg(id).arg(title, message),
                             15000);
    scheduleLoadEnvironments();
    sweepRestorePoints();
    if (m_closeWhenIdle && !m_center->isBusy())
        QTimer::singleShot(0, this, &QWidget::close);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Due work this console runs for its window: asked to stop before its point of no
    // return, and the window closes once it has.
    if (m_agentPass.isRunning()) {
        m_closeWhenIdle = true;
        m_runDueHere = false;
        if (m_agentWorker)
            QMetaObject::invokeMethod(m_agentWorker, "shutdown", Qt::QueuedConnection);
        statusBar()->showMessage(tr("Stopping the due work this console runs; DataALM Console closes once it has."));
        event->ignore();
        return;
    }
    const QList<OperationSession*> busy = m_center->busySessions();
    if (busy.isEmpty()) {
        event->accept();
        return;
    }
    const OperationSession* first = busy.constFirst();
    const OperationRecord& op = first->record();
    bool cancellable = true;
    for (const OperationSession* s : busy) {
        const bool running =
            s->currentAction() == OperationRunner::Run || s->currentAction() == OperationRunner::Resume;
        cancellable = cancellable && running && !OperationAvailability::pointOfNoReturnReached(s->record());
    }
    QList<MessageBox::Choice> choices{
        {QMessageBox::Yes, tr("Wait, then close"), tr("Keep the window open until the operation ends, then close it")}};
    if (cancellable)
        choices.append({QMessageBox::Abort, tr("Cancel it, then close"),
                        OperationRules(BuiltInOperationKinds::registry()).cancelConsequence(op)});
    choices.append({QMessageBox::Ignore, tr("Leave it, resume later"),
                    tr("Close now; the next start shows the operation interrupted, with Resume and Rollback")});
    choices.append({QMessageBox::Cancel, tr("Don't close"), {}});
    const QString text = busy.size() == 1
                             ? tr("%1 #%2 on %3 is still running.").arg(op.title()).arg(op.id).arg(op.target)
                             : tr("%1 operations are still running.").arg(busy.size());
    const QString info =
        tr("Closing the console would stop it in the middle. Wait for it to end, %1or leave it: it stops now and the "
           "next start offers to resume it or roll it back.")
            .arg(cancellable ? tr("cancel it (the target stays untouched), ") : QString());
    const auto answer = MessageBox::ask(this, QMessageBox::Warning, tr("Operation Running"), text, info, choices,
                                        QMessageBox::Yes, QMessageBox::Cancel, QStringLiteral("closeWhileRunningBox"));
    switch (answer) {
    case QMessageBox::Yes:
        m_closeWhenIdle = true;
        statusBar()->showMessage(tr("DataALM Console closes when the operation ends."));
        event->ignore();
        return;
    case QMessageBox::Abort:
        m_closeWhenIdle = true;
        m_center->cancelAll();
        statusBar()->showMessage(tr("Cancelling; DataALM Console closes once the operation has stopped."));
        event->ignore();
        return;
    case QMessageBox::Ignore:
        m_center->detachAll();
        event->accept();
        leaveHandler()();
        return;
    default:
        m_closeWhenIdle = false;
        event->ignore();
        return;
    }
}

QString MainWindow::currentEnvironmentId() const
{
    const QModelIndex current = m_environmentView->currentIndex();
    return current.isValid() ? current.data(EnvironmentListModel::IdRole).toString() : QString();
}

bool MainWindow::selectEnvironment(const QString& id)
{
    const int row = m_environmentModel->rowOf(id);
    if (row < 0)
        return false;
    m_environmentView->setCurrentIndex(m_environmentSort->mapFromSource(m_environmentModel->index(row, 0)));
    return true;
}

const Environment* MainWindow::currentEnvironment() const
{
    const QModelIndex current = m_environmentSort->mapToSource(m_environmentView->currentIndex());
    return m_environmentModel->environmentAt(current.isValid() ? current.row() : -1);
}

void MainWindow::updateTitle()
{
    // The project id, as the CLI names projects (`dataalm demo --project contoso`).
    setWindowTitle(m_projectId.isEmpty() ? tr("DataALM Console") : tr("DataALM Console — %1").arg(m_projectId));
}

bool MainWindow::openCatalog(const QString& folder, QString* error)
{
    if (m_center->isBusy()) {
        *error = tr("An operation is running: wait for it to end before opening another catalog.");
        return false;
    }
    auto catalog = std::make_unique<Catalog>();
    if (!catalog->open(folder, error))
        return false;
    m_environmentModel->setEnvironments({});
    m_progressView->setSession(nullptr);
    m_center->setCatalog(catalog.get());
    m_shownOperationId = 0;
    m_catalog = std::move(catalog);
    m_notifier->setCatalog(m_catalog.get());
    m_projectId.clear();
    m_catalogLost = false;
    if (m_catalog->isTeam())
        m_catalog->listen(QStringLiteral("dataalm_changes"), [this](const QString&) { onCatalogChanged(); });
    recoverInterrupted(true);
    removeLeftovers();
    spdlog::info("console opened the catalog {}", m_catalog->location().toStdString());
    reload();
    // The programs this catalog's environments need (ClientPrograms): said in the
    // status bar until another message replaces it, and in the log.
    const QString missing = ClientPrograms::missingFor(*m_catalog);
    if (!missing.isEmpty()) {
        spdlog::warn("{}", missing.toStdString());
        statusBar()->showMessage(missing);
    }
    return true;
}

void MainWindow::chooseCatalogFolder()
{
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Open Catalog Folder"), m_catalog ? m_catalog->folder() : QString());
    if (folder.isEmpty())
        return;
    QString error;
    if (!openCatalog(folder, &error))
        QMessageBox::warning(this, tr("Open Catalog Folder"), error);
}

void MainWindow::connectTeamCatalog()
{
    TeamCatalogDialog dialog(m_catalog && m_catalog->isTeam() ? m_catalog->location() : QString(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!openCatalog(dialog.url(), &error))
        QMessageBox::warning(this, tr("Connect to Team Catalog"), error);
}

void MainWindow::createDemo()
{
    if (m_demoWorker.isRunning() || !m_catalog)
        return;
    DemoGenerator::Options options;
    options.sizeMb = m_demoSizeMb;

    auto* worker = new DemoCreationWorker(m_catalog->location(), options);
    connect(worker, &DemoCreationWorker::finished, this, &MainWindow::demoFinished);

    auto* progress = new QProgressDialog(tr("Creating the demo project…"), QString(), 0, 100, this);
    progress->setObjectName(QStringLiteral("demoProgress"));
    progress->setWindowTitle(tr("Create Demo Project"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(0);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setMinimumWidth(420);
    connect(worker, &DemoCreationWorker::progress, progress, [progress](const QString& what, int percent) {
        progress->setLabelText(what);
        progress->setValue(percent);
    });
    progress->show();

    m_demoProgress = progress;
    m_emptyPage->setBusy(true);
    m_demoWorker.start(worker, QStringLiteral("demo-generator"), &DemoCreationWorker::finished);
}

void MainWindow::demoFinished(bool ok, const QString& error)
{
    if (m_demoProgress)
        m_demoProgress->deleteLater();
    m_emptyPage->setBusy(false);
    reload();
    if (!ok) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Create Demo Project"),
                                    tr("The demo project could not be created."), QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("demoErrorBox"));
        box->setInformativeText(error);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About DataALM Console"),
        tr("<h3>DataALM Console %1</h3>"
           "<p>Database lifecycle for the environments you run yourself: refresh a sandbox from "
           "production with a data policy, roll back, sign off, apply packages.</p>"
           "<p>Built with Qt %2 (running on Qt %3).</p>")
            .arg(QStringLiteral(DATAALM_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
}

void MainWindow::startRestorePointTask(int task, const QString& subject)
{
    if (!m_catalog || m_restorePointWorker.isRunning())
        return;
    auto* worker = new RestorePointWorker(m_catalog->location(), RestorePointWorker::Task(task), subject);
    m_restorePointTask = task;
    m_restorePointSubject = subject;
    const QString what = task == RestorePointWorker::Create   ? tr("Creating a restore point of %1…").arg(subject)
                         : task == RestorePointWorker::Delete ? tr("Deleting restore point %1…").arg(subject)
                                                              : tr("Removing expired restore points…");
    if (task != RestorePointWorker::Sweep)
        m_details->setRestorePointBusy(true, what);
    connect(worker, &RestorePointWorker::progressed, this, [this, what](qint64 done, qint64 total) {
        m_details->setRestorePointBusy(
            true, total > 0 ? tr("%1 %2 of %3").arg(what, ByteSize::text(done), ByteSize::text(total)) : what);
    });
    connect(worker, &RestorePointWorker::finished, this, &MainWindow::restorePointTaskFinished);
    m_restorePointWorker.start(worker, QStringLiteral("restore-point"), &RestorePointWorker::finished);
    // The Creating row is in the catalog now or soon: the panel shows it.
    scheduleLoadEnvironments();
}

void MainWindow::restorePointTaskFinished(bool ok, const QString& message, bool refused)
{
    const int task = m_restorePointTask;
    m_restorePointTask = -1;
    m_details->setRestorePointBusy(false, ok && task != RestorePointWorker::Sweep ? message : QString());
    if (task != RestorePointWorker::Sweep || !ok)
        statusBar()->showMessage(message, 15000);
    if (!ok && task != RestorePointWorker::Sweep)
        MessageBox::notify(this, QMessageBox::Warning, tr("Restore points"),
                           task == RestorePointWorker::Create
                               ? tr("The restore point of %1 was not created.").arg(m_restorePointSubject)
                               : tr("Restore point %1 was not deleted.").arg(m_restorePointSubject),
                           refused ? message : message + QLatin1Char(' ') + tr("Nothing half-written is kept."),
                           QStringLiteral("restorePointErrorBox"));
    scheduleLoadEnvironments();
}

void MainWindow::confirmDeleteRestorePoint(qint64 id)
{
    if (!m_catalog)
        return;
    const std::optional<RestorePoint> point = RestorePointStore(*m_catalog).get(id);
    if (!point)
        return;
    QMessageBox box(QMessageBox::Question, tr("Delete restore point"),
                    tr("Delete %1?").arg(point->title()), QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("deleteRestorePointBox"));
    box.setInformativeText(tr("Its copies (%1) are removed; %2 can no longer go back to that instant.")
                               .arg(ByteSize::text(point->bytes), point->environmentId));
    QPushButton* remove = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDeleteRestorePointButton"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == remove)
        startRestorePointTask(RestorePointWorker::Delete, QString::number(id));
}

void MainWindow::sweepRestorePoints()
{
    if (!m_catalog || m_restorePointWorker.isRunning())
        return;
    if (RestorePointService(*m_catalog).sweepDue(Clock::nowUtc()))
        startRestorePointTask(RestorePointWorker::Sweep, QString());
}
