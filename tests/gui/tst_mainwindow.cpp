// The console's main window on a real demo catalog: the project page, the Environment
// details page of contoso-uat, the detailed version dialog, the Maintain menu, the
// live log pane, the empty state and the project selector. Driven like a user does:
// widgets found by objectName, keys and clicks, QTRY_* waits.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "TestSupport.h"

#include "DatabaseListModel.h"
#include "EnvironmentListModel.h"
#include "GridView.h"
#include "MainWindow.h"
#include "OperationHistoryModel.h"
#include "VersionDetailsDialog.h"
#include "catalog/Catalog.h"
#include "logging/Logging.h"
#include "catalog/OperationStore.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QHeaderView>
#include <QTabWidget>
#include <QStyle>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <csignal>

#include <spdlog/spdlog.h>

using namespace TestSupport;

namespace {

// With DATAALM_SCREENSHOT_DIR set, the test leaves pictures of what it checked there
// (for docs and for a human look at dialogs the screenshot mode does not reach).
void saveScreenshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("DATAALM_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))));
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void titleAndProjectPage();
    void selectUatShowsItsDetails();
    void detailedVersionDialog();
    void maintainActionsAreHonestlyDisabled();
    void historyFollowsTheCatalog();
    void logPaneShowsNewLines();
    void nothingClippedAt1280x800();
    void fitsALaptopScreen();
    void tablesSortAndKeysAreOwnedOnce();
    void refreshPicksUpNewEnvironments();
    void projectSelectorWithSeveralProjects();
    void emptyCatalogOffersTheDemo();
    void leftoversOfADeadRollbackAreRemoved();

private:
    std::unique_ptr<Catalog> openCatalog(const QString& folder);
    QTreeView* environmentList() const;
    QString label(const char* objectName) const;
    void selectByKeyboard(const QString& id);

    QTemporaryDir m_dir;
    QString m_catalogFolder;
    std::unique_ptr<MainWindow> m_window;
};

std::unique_ptr<Catalog> TestMainWindow::openCatalog(const QString& folder)
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(folder, &error))
        qWarning("cannot open the catalog %s: %s", qPrintable(folder), qPrintable(error));
    return catalog;
}

void TestMainWindow::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
    m_catalogFolder = m_dir.filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
}

void TestMainWindow::init()
{
    m_window = std::make_unique<MainWindow>(openCatalog(m_catalogFolder));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // Keyboard shortcuts (F5) reach the active window only: on an X server without a
    // window manager nothing activates it by itself.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

QTreeView* TestMainWindow::environmentList() const
{
    return m_window->findChild<QTreeView*>(QStringLiteral("environmentList"));
}

QString TestMainWindow::label(const char* objectName) const
{
    const auto* l = m_window->findChild<QLabel*>(QLatin1String(objectName));
    return l ? l->text() : QStringLiteral("<no label %1>").arg(QLatin1String(objectName));
}

void TestMainWindow::selectByKeyboard(const QString& id)
{
    QTreeView* view = environmentList();
    QVERIFY(view);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Home);
    for (int i = 0; i < view->model()->rowCount(); ++i) {
        if (view->currentIndex().data(EnvironmentListModel::IdRole).toString() == id)
            return;
        QTest::keyClick(view, Qt::Key_Down);
    }
    QFAIL(qPrintable(QStringLiteral("%1 is not in the environment list").arg(id)));
}

void TestMainWindow::titleAndProjectPage()
{
    QCOMPARE(m_window->windowTitle(), QStringLiteral("DataALM Console — contoso"));
    QTreeView* view = environmentList();
    QVERIFY(view);
    QVERIFY(view->isVisible());
    QCOMPARE(view->model()->rowCount(), 5);
    QStringList headers;
    for (int c = 0; c < view->model()->columnCount(); ++c)
        headers << view->model()->headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("State"),
                                   QStringLiteral("Application release")}));
    // Production first; the first environment is selected and shown.
    QCOMPARE(view->model()->index(0, EnvironmentListModel::TypeColumn).data().toString(), QStringLiteral("Production"));
    QCOMPARE(view->currentIndex().row(), 0);
    QTRY_COMPARE(label("typeValue"), QStringLiteral("Production"));
    QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("environmentDetails"))->isVisible());
    // The project selector only appears with several projects.
    auto* selector = m_window->findChild<QComboBox*>(QStringLiteral("projectSelector"));
    QVERIFY(selector);
    QVERIFY(!selector->isVisible());
    // The status bar names the catalog folder.
    QVERIFY2(label("catalogPathLabel").contains(QFileInfo(m_catalogFolder).absoluteFilePath()),
             qPrintable(label("catalogPathLabel")));
}

void TestMainWindow::selectUatShowsItsDetails()
{
    selectByKeyboard(QStringLiteral("contoso-uat"));
    QCOMPARE(m_window->currentEnvironmentId(), QStringLiteral("contoso-uat"));
    QTRY_COMPARE(label("tenantValue"), QStringLiteral("contoso.onmicrosoft.com"));
    QCOMPARE(label("adminValue"), QStringLiteral("admin@contoso.onmicrosoft.com"));
    QCOMPARE(label("typeValue"), QStringLiteral("Sandbox"));
    QCOMPARE(label("stateValue"), QStringLiteral("Deployed"));
    QCOMPARE(label("applicationValue"), QStringLiteral("10.0.40"));
    QCOMPARE(label("platformValue"), QStringLiteral("Update 64 (7.0.7279.x)"));
    QCOMPARE(label("financialReportingValue"), QStringLiteral("7.0.10040.5"));

    auto* databases = m_window->findChild<QTreeView*>(QStringLiteral("databaseTable"));
    QVERIFY(databases);
    QTRY_COMPARE(databases->model()->rowCount(), 2);
    QCOMPARE(databases->model()->index(0, DatabaseListModel::RoleColumn).data().toString(),
             QStringLiteral("Transactional"));
    QCOMPARE(databases->model()->index(1, DatabaseListModel::RoleColumn).data().toString(),
             QStringLiteral("Financial reporting"));
    QCOMPARE(databases->model()->index(0, DatabaseListModel::EngineColumn).data().toString(), QStringLiteral("SQLite"));
    QVERIFY(databases->model()->index(0, 0).data(DatabaseListModel::SizeBytesRole).toLongLong() > 0);
    QVERIFY(databases->model()
                ->index(0, DatabaseListModel::LocationColumn)
                .data()
                .toString()
                .contains(QStringLiteral("contoso-uat")));

    // With the mouse: dev/test has no Commerce; back to contoso-uat.
    QTreeView* view = environmentList();
    QAbstractItemModel* model = view->model();
    const auto rowOf = [model](const QString& id) {
        const QModelIndexList found =
            model->match(model->index(0, 0), EnvironmentListModel::IdRole, id, 1, Qt::MatchExactly);
        return found.isEmpty() ? QModelIndex() : found.first();
    };
    const QModelIndex dev = rowOf(QStringLiteral("contoso-dev"));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(dev).center());
    QTRY_COMPARE(label("typeValue"), QStringLiteral("Dev/test"));
    QCOMPARE(label("commerceValue"), QStringLiteral("Not deployed"));
    const QModelIndex uat = rowOf(QStringLiteral("contoso-uat"));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(uat).center());
    QTRY_COMPARE(label("typeValue"), QStringLiteral("Sandbox"));
    QVERIFY(label("commerceValue") != QStringLiteral("Not deployed"));
}

void TestMainWindow::detailedVersionDialog()
{
    selectByKeyboard(QStringLiteral("contoso-uat"));
    auto* button = m_window->findChild<QPushButton*>(QStringLiteral("detailedVersionsButton"));
    QVERIFY(button);
    QVERIFY(!button->toolTip().isEmpty());
    QTest::mouseClick(button, Qt::LeftButton);
    VersionDetailsDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<VersionDetailsDialog*>()) && dialog->isVisible());
    auto* table = dialog->findChild<QTableWidget*>(QStringLiteral("versionTable"));
    QVERIFY(table);
    QMap<QString, QString> versions;
    for (int r = 0; r < table->rowCount(); ++r)
        versions.insert(table->item(r, 0)->text(), table->item(r, 1)->text());
    QCOMPARE(versions.value(QStringLiteral("Application release")), QStringLiteral("10.0.40"));
    QCOMPARE(versions.value(QStringLiteral("Platform update")), QStringLiteral("Update 64 (7.0.7279.x)"));
    QCOMPARE(versions.value(QStringLiteral("Financial Reporting (MRApplicationService)")),
             QStringLiteral("7.0.10040.5"));
    QVERIFY(!versions.value(QStringLiteral("Commerce")).isEmpty());
    QCOMPARE(versions.value(QStringLiteral("Transactional database engine")), QStringLiteral("SQLite"));
    QCOMPARE(versions.value(QStringLiteral("Financial reporting database engine")), QStringLiteral("SQLite"));
    QVERIFY(dialog->asText().contains(QStringLiteral("Application release\t10.0.40")));
    // Nothing to scroll: every row and both columns fit.
    QVERIFY(table->viewport()->rect().contains(table->visualItemRect(table->item(table->rowCount() - 1, 1))));
    saveScreenshot(dialog, QStringLiteral("version-details"));

    // Escape closes it, and it goes away.
    QPointer<VersionDetailsDialog> guard(dialog);
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(guard.isNull());
}

void TestMainWindow::maintainActionsAreHonestlyDisabled()
{
    auto* menu = m_window->findChild<QMenu*>(QStringLiteral("maintainMenu"));
    QVERIFY(menu);
    for (const char* name : {"moveDatabaseAction", "applyUpdatesAction"}) {
        auto* action = m_window->findChild<QAction*>(QLatin1String(name));
        QVERIFY2(action, name);
        QVERIFY2(menu->actions().contains(action), name);
        QCOMPARE(action->statusTip(), action->toolTip());
    }
    // Apply updates works on any environment; Move database is disabled on production, and says why.
    auto* apply = m_window->findChild<QAction*>(QStringLiteral("applyUpdatesAction"));
    QVERIFY(apply->isEnabled());
    QVERIFY2(apply->toolTip().contains(QStringLiteral("Apply a package")), qPrintable(apply->toolTip()));
    QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("moveDatabaseAction"))->isEnabled());
    QCOMPARE(m_window->currentEnvironmentId(), QStringLiteral("contoso-prod"));
    QVERIFY(m_window->findChild<QAction*>(QStringLiteral("moveDatabaseAction"))
                ->toolTip()
                .contains(QStringLiteral("only sandboxes can be refreshed")));
    // The details page reaches the same menu through its own Maintain button, as on LCS.
    auto* button = m_window->findChild<QPushButton*>(QStringLiteral("maintainButton"));
    QVERIFY(button);
    QCOMPARE(button->menu(), menu);
    QVERIFY(button->isEnabled());
    // Every action of the window explains itself.
    for (QAction* action : m_window->findChildren<QAction*>()) {
        if (action->isSeparator() || action->text().isEmpty() || action->menu())
            continue;
        QVERIFY2(action->toolTip() != action->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")),
                 qPrintable(action->text()));
    }
}

void TestMainWindow::historyFollowsTheCatalog()
{
    selectByKeyboard(QStringLiteral("contoso-uat"));
    auto* history = m_window->findChild<QTreeView*>(QStringLiteral("historyTable"));
    QVERIFY(history);
    QTRY_COMPARE(history->model()->rowCount(), 0);
    // An empty history says so rather than showing a blank grid.
    auto* grid = qobject_cast<GridView*>(history);
    QVERIFY(grid);
    QVERIFY2(grid->placeholderText().startsWith(QStringLiteral("No operations yet")),
             qPrintable(grid->placeholderText()));

    // Idle, the live refresh re-reads nothing: the catalog did not change.
    QSignalSpy resets(history->model(), &QAbstractItemModel::modelReset);
    QTest::qWait(4500); // two ticks and more
    QCOMPARE(resets.count(), 0);

    // Another process (here: another connection) starts a refresh on contoso-uat; the
    // page follows within the live refresh interval, without a key press.
    auto catalog = openCatalog(m_catalogFolder);
    OperationStore store(*catalog);
    QString error;
    const auto id = store.create(QStringLiteral("refresh"), QStringLiteral("contoso"), QStringLiteral("contoso-prod"),
                                 QStringLiteral("contoso-uat"), {QStringLiteral("Validate")}, {}, &error);
    QVERIFY2(id, qPrintable(error));
    QVERIFY2(store.transition(*id, OperationState::InProgress, &error), qPrintable(error));

    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 1, 6000);
    QCOMPARE(history->model()->index(0, OperationHistoryModel::OperationColumn).data().toString(),
             QStringLiteral("Refresh database"));
    QCOMPARE(history->model()->index(0, OperationHistoryModel::SourceColumn).data().toString(),
             QStringLiteral("contoso-prod"));
    QTRY_COMPARE(label("stateValue"), QStringLiteral("Servicing"));
    QCOMPARE(m_window->currentEnvironmentId(), QStringLiteral("contoso-uat"));

    // Clean up for the other tests: the operation ends and is signed off.
    QVERIFY2(store.transition(*id, OperationState::Completed, &error), qPrintable(error));
    QVERIFY2(store.transition(*id, OperationState::SignedOff, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->index(0, OperationHistoryModel::StateColumn).data().toString(),
                              QStringLiteral("Signed off"), 6000);
    QTRY_COMPARE(label("stateValue"), QStringLiteral("Deployed"));
}

void TestMainWindow::logPaneShowsNewLines()
{
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("logDock"));
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    auto* view = dock->findChild<QTreeView*>(QStringLiteral("logView"));
    QVERIFY(view);
    const QString marker = QStringLiteral("gui test marker %1").arg(QDateTime::currentMSecsSinceEpoch());
    spdlog::info("{}", marker.toStdString());
    QTRY_VERIFY(view->model()->rowCount() > 0 &&
                view->model()->index(view->model()->rowCount() - 1, 2).data().toString() == marker);
    // Auto-scroll: the newest line is in view.
    const QModelIndex last = view->model()->index(view->model()->rowCount() - 1, 0);
    QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(last)));

    // View > Log Pane hides and shows it.
    auto* toggle = m_window->findChild<QAction*>(QStringLiteral("toggleLogAction"));
    QVERIFY(toggle);
    toggle->trigger();
    QTRY_VERIFY(!dock->isVisible());
    toggle->trigger();
    QTRY_VERIFY(dock->isVisible());
}

void TestMainWindow::nothingClippedAt1280x800()
{
    selectByKeyboard(QStringLiteral("contoso-uat"));
    QTRY_COMPARE(label("typeValue"), QStringLiteral("Sandbox"));
    QCoreApplication::processEvents();
    // The environment list takes about a third of the width.
    auto* splitter = m_window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
    QVERIFY(splitter);
    const QList<int> sizes = splitter->sizes();
    const double share = double(sizes.at(0)) / double(sizes.at(0) + sizes.at(1));
    QVERIFY2(share > 0.28 && share < 0.42, qPrintable(QString::number(share)));
    // Every visible label of the details page gets at least the width its text needs.
    auto* details = m_window->findChild<QWidget*>(QStringLiteral("environmentDetails"));
    for (QLabel* l : details->findChildren<QLabel*>()) {
        if (!l->isVisible() || l->wordWrap())
            continue;
        QVERIFY2(l->width() >= l->sizeHint().width(), qPrintable(QStringLiteral("%1 '%2': %3 < %4")
                                                                     .arg(l->objectName(), l->text())
                                                                     .arg(l->width())
                                                                     .arg(l->sizeHint().width())));
    }
    // Every column of the environment list shows its whole text.
    QTreeView* view = environmentList();
    for (int c = 0; c < view->model()->columnCount(); ++c) {
        for (int r = 0; r < view->model()->rowCount(); ++r) {
            const QString text = view->model()->index(r, c).data().toString();
            // Plus the style's text margins on both sides.
            QVERIFY2(view->columnWidth(c) >= view->fontMetrics().horizontalAdvance(text) + 6,
                     qPrintable(QStringLiteral("column %1 row %2 '%3'").arg(c).arg(r).arg(text)));
        }
    }
    // The two databases are both visible without scrolling.
    auto* databases = m_window->findChild<QTreeView*>(QStringLiteral("databaseTable"));
    const QModelIndex second = databases->model()->index(1, 0);
    QVERIFY(databases->viewport()->rect().contains(databases->visualRect(second)));
}

void TestMainWindow::fitsALaptopScreen()
{
    // A 1366x768 laptop screen less a 40-pixel taskbar and a 30-pixel title bar.
    const QSize laptop(1366, 768 - 40 - 30);
    selectByKeyboard(QStringLiteral("contoso-uat"));
    QTRY_COMPARE(label("typeValue"), QStringLiteral("Sandbox"));
    const QSize minimum = m_window->minimumSizeHint().expandedTo(m_window->minimumSize());
    QVERIFY2(minimum.width() <= laptop.width() && minimum.height() <= laptop.height(),
             qPrintable(QStringLiteral("minimum %1x%2").arg(minimum.width()).arg(minimum.height())));
    // At that size, and at its smallest, every environment's name is whole in the list.
    for (const QSize size : {laptop, minimum}) {
        m_window->resize(size);
        QCoreApplication::processEvents();
        QTRY_COMPARE(m_window->size(), size);
        QTreeView* list = environmentList();
        const QFontMetrics fm(list->font());
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            const QModelIndex name = list->model()->index(row, 0);
            // What QStyledItemDelegate needs to draw the text without eliding it.
            const int margin = list->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, list) + 1;
            const int needed = fm.horizontalAdvance(name.data().toString()) + 2 * margin +
                               (list->rootIsDecorated() ? list->indentation() : 0);
            QVERIFY2(list->columnWidth(0) >= needed,
                     qPrintable(QStringLiteral("%1 at %2x%3: column %4 < %5")
                                    .arg(name.data().toString())
                                    .arg(size.width())
                                    .arg(size.height())
                                    .arg(list->columnWidth(0))
                                    .arg(needed)));
        }
    }
}

void TestMainWindow::tablesSortAndKeysAreOwnedOnce()
{
    selectByKeyboard(QStringLiteral("contoso-uat"));
    QTreeView* list = environmentList();
    QAbstractItemModel* model = list->model();
    const auto column = [model](int c) {
        QStringList values;
        for (int r = 0; r < model->rowCount(); ++r)
            values << model->index(r, c).data().toString();
        return values;
    };
    // A click on a header sorts by it; a second click reverses; releases sort by their numbers.
    QHeaderView* header = list->header();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(EnvironmentListModel::NameColumn) + 5, header->height() / 2));
    QStringList names = column(EnvironmentListModel::NameColumn);
    QStringList sorted = names;
    std::sort(sorted.begin(), sorted.end(),
              [](const QString& a, const QString& b) { return a.toLower() < b.toLower(); });
    QCOMPARE(names, sorted);
    list->sortByColumn(EnvironmentListModel::NameColumn, Qt::DescendingOrder);
    std::reverse(sorted.begin(), sorted.end());
    QCOMPARE(column(EnvironmentListModel::NameColumn), sorted);
    // The selection stays on the same environment, and its details with it.
    QCOMPARE(m_window->currentEnvironmentId(), QStringLiteral("contoso-uat"));
    QCOMPARE(label("idValue"), QStringLiteral("contoso-uat"));
    list->sortByColumn(EnvironmentListModel::ApplicationColumn, Qt::AscendingOrder);
    const QStringList releases = column(EnvironmentListModel::ApplicationColumn);
    QVERIFY2(releases.first() == QStringLiteral("10.0.39"), qPrintable(releases.join(QLatin1Char(' '))));
    // The history sorts too.
    auto* history = m_window->findChild<QTreeView*>(QStringLiteral("historyTable"));
    QVERIFY(history && history->isSortingEnabled());

    // Alt+E belongs to the Environments menu alone; the operations have shortcuts.
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("environmentTabs"));
    QVERIFY(tabs);
    for (int i = 0; i < tabs->count(); ++i)
        QVERIFY2(!tabs->tabText(i).contains(QStringLiteral("&E")), qPrintable(tabs->tabText(i)));
    for (const char* name : {"moveDatabaseAction", "applyUpdatesAction", "historyRollbackAction",
                             "historySignOffAction", "progressRollbackAction", "progressSignOffAction"}) {
        auto* a = m_window->findChild<QAction*>(QLatin1String(name));
        QVERIFY2(a && !a->shortcut().isEmpty(), name);
    }
}

void TestMainWindow::refreshPicksUpNewEnvironments()
{
    QTreeView* view = environmentList();
    QCOMPARE(view->model()->rowCount(), 5);
    {
        auto catalog = openCatalog(m_catalogFolder);
        QString error;
        Environment e = sampleEnvironment(QStringLiteral("contoso-uat9"), QStringLiteral("contoso"),
                                          EnvironmentType::Sandbox, m_dir.path());
        QVERIFY2(catalog->addEnvironment(e, &error), qPrintable(error));
    }
    selectByKeyboard(QStringLiteral("contoso-uat"));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F5);
    QCOMPARE(view->model()->rowCount(), 6);
    // The selection survives the reset.
    QCOMPARE(m_window->currentEnvironmentId(), QStringLiteral("contoso-uat"));
    {
        auto catalog = openCatalog(m_catalogFolder);
        QString error;
        QVERIFY2(catalog->removeEnvironment(QStringLiteral("contoso-uat9"), &error), qPrintable(error));
    }
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 5, 6000);
}

void TestMainWindow::projectSelectorWithSeveralProjects()
{
    QTemporaryDir dir;
    auto catalog = openCatalog(dir.path());
    QString error;
    for (const char* id : {"alpha", "beta"}) {
        const QString project = QLatin1String(id);
        QVERIFY2(catalog->addProject({project, project, {}}, &error), qPrintable(error));
        QVERIFY2(catalog->addEnvironment(sampleEnvironment(project + QStringLiteral("-prod"), project,
                                                           EnvironmentType::Production, dir.path()),
                                         &error),
                 qPrintable(error));
    }
    QString error2;
    QVERIFY2(m_window->openCatalog(dir.path(), &error2), qPrintable(error2));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("DataALM Console — alpha"));
    auto* selector = m_window->findChild<QComboBox*>(QStringLiteral("projectSelector"));
    QVERIFY(selector);
    QTRY_VERIFY(selector->isVisible());
    QCOMPARE(selector->count(), 2);
    QCOMPARE(environmentList()->currentIndex().data(EnvironmentListModel::IdRole).toString(),
             QStringLiteral("alpha-prod"));

    selector->setFocus();
    QTest::keyClick(selector, Qt::Key_Down);
    QTRY_COMPARE(m_window->windowTitle(), QStringLiteral("DataALM Console — beta"));
    QTRY_COMPARE(m_window->currentEnvironmentId(), QStringLiteral("beta-prod"));
    QCOMPARE(environmentList()->model()->rowCount(), 1);
    QVERIFY(label("catalogPathLabel").contains(QFileInfo(dir.path()).absoluteFilePath()));
    m_window.reset(); // before the folder goes
}

void TestMainWindow::emptyCatalogOffersTheDemo()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY2(m_window->openCatalog(dir.path(), &error), qPrintable(error));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("DataALM Console"));
    auto* empty = m_window->findChild<QWidget*>(QStringLiteral("emptyState"));
    QVERIFY(empty);
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(!environmentList()->isVisible());
    QCOMPARE(label("emptyStateCommand"),
             QStringLiteral("dataalm demo --catalog ") + QFileInfo(dir.path()).absoluteFilePath());
    auto* text = m_window->findChild<QLabel*>(QStringLiteral("emptyStateText"));
    QTRY_VERIFY(text->height() >= text->heightForWidth(text->width()));
    saveScreenshot(m_window.get(), QStringLiteral("empty-state"));

    // The button creates the demo on a worker thread; the window stays responsive and
    // then shows the project.
    m_window->setDemoSizeMb(2);
    auto* button = m_window->findChild<QPushButton*>(QStringLiteral("createDemoButton"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(m_window->findChild<QWidget*>(QStringLiteral("demoProgress")));
    QTRY_VERIFY_WITH_TIMEOUT(environmentList()->isVisible(), 120000);
    QVERIFY(!m_window->findChild<QWidget*>(QStringLiteral("demoErrorBox")));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("DataALM Console — contoso"));
    QCOMPARE(environmentList()->model()->rowCount(), 5);
    QTRY_VERIFY(!m_window->findChild<QWidget*>(QStringLiteral("demoProgress")));
    m_window.reset(); // before the folder goes
}

void TestMainWindow::leftoversOfADeadRollbackAreRemoved()
{
    // A `dataalm rollback` killed after it recorded the rollback, before it removed the
    // rolled-back databases: the console, opened on that catalog, removes them (the
    // runner's Cleanup, off the GUI thread), and the catalog no longer marks them.
    m_window.reset();
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");
    const CliOutcome killed = f.cliWith({QStringLiteral("rollback"), QStringLiteral("1")},
                                        {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("rollback-recorded")}});
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    const QString uat = QStringLiteral("contoso-uat");
    QCOMPARE(f.leftovers(uat).size(), 2);
    MainWindow window(openCatalog(f.folder()));
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(f.leftovers(uat), QStringList(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(OperationStore(*window.catalog()).withLeftovers().isEmpty(), 20000);
    QCOMPARE(OperationStore(*window.catalog()).get(1)->state, OperationState::RollbackCompleted);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
