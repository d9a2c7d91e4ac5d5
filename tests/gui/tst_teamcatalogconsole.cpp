// The console on a team catalog (the throwaway PostgreSQL server of scripts/test):
// File > Connect to Team Catalog… tests a URL on a worker before it can be opened; an
// environment added by another process appears without waiting for a poll (NOTIFY);
// a dropped connection is said in the status bar, then reconnected and caught up; the
// Move database wizard's Finish submits the refresh to an agent (another process),
// whose steps and runbook log lines the console shows as they are written; the
// console's Rollback is handed to the agents too, and waits for one when none runs; a
// request on a protected environment is approved in Work items by a second Project
// owner, never by its requester.
#include "CliProcess.h"
#include "MainWindow.h"
#include "MessageBox.h"
#include "MoveDatabaseDriver.h"
#include "PostgresTestSupport.h"
#include "RunbookLogModel.h"
#include "ZipEntries.h"

#include "catalog/Catalog.h"
#include "catalog/RunbookArchive.h"
#include "catalog/RunbookLineStore.h"
#include "catalog/TeamCatalogDialog.h"
#include "lifecycle/OperationRunner.h"
#include "logging/Logging.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QAction>
#include <QComboBox>
#include <QDialog>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>
#include <QApplication>
#include <QPushButton>
#include <QScopeGuard>
#include <QStatusBar>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

#include <csignal>

class TestTeamCatalogConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void dialogTestsBeforeItConnects();
    void consoleFollowsAnotherProcessAndReconnects();
    void wizardSubmitsToAnAgentAndShowsItsLog();
    void teamMemberSeesWhatTheRoleDoesNotAllow();
    void secondOwnerApprovesInWorkItems();
    void managerKeepsAndRevealsACredential();

private:
    QTemporaryDir m_files;
    QString m_database;
    QString m_url;
};

void TestTeamCatalogConsole::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_teamcatalogconsole"));
    const DatabaseRef server = PostgresTestSupport::server();
    QVERIFY2(!server.driver.isEmpty(), "DATAALM_TEST_PG_URL is not set: run through scripts/test");
    QVERIFY(m_files.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    m_database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_console_"));
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(m_database, &error), qPrintable(error));
    m_url = QStringLiteral("postgresql://%1@%2:%3/%4").arg(server.user, server.host).arg(server.port).arg(m_database);
}

void TestTeamCatalogConsole::cleanupTestCase()
{
    PostgresTestSupport::dropDatabase(m_database);
}

void TestTeamCatalogConsole::dialogTestsBeforeItConnects()
{
    TeamCatalogDialog dialog{QString()};
    dialog.show();
    auto* url = dialog.findChild<QLineEdit*>(QStringLiteral("teamCatalogUrl"));
    auto* test = dialog.findChild<QPushButton*>(QStringLiteral("teamCatalogTest"));
    auto* connect = dialog.findChild<QPushButton*>(QStringLiteral("teamCatalogConnect"));
    auto* result = dialog.findChild<QLabel*>(QStringLiteral("teamCatalogResult"));
    QVERIFY(url && test && connect && result);
    QVERIFY(!connect->isEnabled());
    // Not a URL: said, nothing opened.
    url->setText(QStringLiteral("/tmp/folder"));
    test->click();
    QVERIFY(result->text().contains(QStringLiteral("postgresql://")));
    QVERIFY(!connect->isEnabled());
    // A server that does not listen: the reason, and Connect stays off.
    url->setText(QStringLiteral("postgresql://postgres@127.0.0.1:1/nothing"));
    test->click();
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("Cannot reach the team catalog")), 20000);
    QVERIFY(!connect->isEnabled());
    // A password in the URL is refused before any connection.
    url->setText(QStringLiteral("postgresql://postgres:secret@127.0.0.1:1/nothing"));
    test->click();
    QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("password")), 20000);
    QVERIFY(!result->text().contains(QStringLiteral("secret")));
    // The test server: what it holds, and Connect on; editing the URL turns it off again.
    url->setText(m_url);
    test->click();
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("Connected: schema version")), 20000);
    QVERIFY(connect->isEnabled());
    // DATAALM_SCREENSHOT_DIR: the dialog as a user sees it, to look at.
    const QString shots = qEnvironmentVariable("DATAALM_SCREENSHOT_DIR");
    if (!shots.isEmpty())
        QVERIFY(dialog.grab().save(shots + QStringLiteral("/team-catalog-dialog.png")));
    url->setText(m_url + QStringLiteral("x"));
    QVERIFY(!connect->isEnabled());
}

void TestTeamCatalogConsole::consoleFollowsAnotherProcessAndReconnects()
{
    QString error;
    Catalog other; // another process's connection (a CLI, an agent)
    QVERIFY2(other.open(m_url, &error), qPrintable(error));
    QVERIFY2(other.addProject({QStringLiteral("team"), QStringLiteral("Team"), QString()}, &error), qPrintable(error));
    auto catalog = std::make_unique<Catalog>();
    QVERIFY2(catalog->open(m_url, &error), qPrintable(error));
    MainWindow window(std::move(catalog));
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* list = window.findChild<QAbstractItemView*>(QStringLiteral("environmentList"));
    QVERIFY(list);
    auto* label = window.findChild<QLabel*>(QStringLiteral("catalogPathLabel"));
    QVERIFY(label && label->text().contains(m_url));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 0, 10000);

    // Another process adds an environment: shown well before the next 2-second tick would show it.
    Environment e;
    e.id = QStringLiteral("team-uat");
    e.projectId = QStringLiteral("team");
    e.name = QStringLiteral("Team UAT");
    e.type = EnvironmentType::Sandbox;
    e.tenant = QStringLiteral("team.example");
    e.admin = QStringLiteral("admin@team.example");
    e.versions.application = QStringLiteral("10.0.40");
    e.versions.platform = 40;
    DatabaseRef db;
    db.role = DatabaseRef::Transactional;
    db.driver = DatabaseRef::Sqlite;
    db.path = m_files.filePath(QStringLiteral("team-uat.db"));
    e.databases << db;
    QTest::qWait(500); // just after a tick
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(other.addEnvironment(e, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 1, 10000);
    const qint64 shownAfter = clock.elapsed();
    qInfo("another process's change shown after %lld ms", shownAfter);
    QVERIFY2(shownAfter < 1500, qPrintable(QStringLiteral("%1 ms").arg(shownAfter)));

    // The catalog drops every connection of the console (a server restart): said, reconnected, caught up.
    QSqlQuery self(other.database());
    QVERIFY(self.exec(QStringLiteral("SELECT pg_backend_pid()")) && self.next());
    QVERIFY2(PostgresTestSupport::exec(PostgresTestSupport::server(),
                                       QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                                      "datname = '%1' AND pid <> %2")
                                           .arg(m_database)
                                           .arg(self.value(0).toLongLong()),
                                       &error),
             qPrintable(error));
    e.id = QStringLiteral("team-uat2");
    e.name = QStringLiteral("Team UAT 2");
    e.databases.first().path = m_files.filePath(QStringLiteral("team-uat2.db")); // one database, one environment
    QVERIFY2(other.addEnvironment(e, &error), qPrintable(error));
    // The change was announced while the console had no connection: the fallback (30 s) or the reconnection
    // finds it; the reconnection is tried at the next refresh that fails.
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, 45000);
    QVERIFY(label->text().contains(m_url));
    const QString shots = qEnvironmentVariable("DATAALM_SCREENSHOT_DIR");
    for (const QSize& size : {QSize(1366, 768), QSize(1920, 1080)}) {
        if (shots.isEmpty())
            break;
        window.resize(size);
        QTest::qWait(200);
        QVERIFY(window.grab().save(shots + QStringLiteral("/team-console-%1.png").arg(size.width())));
    }
}

void TestTeamCatalogConsole::wizardSubmitsToAnAgentAndShowsItsLog()
{
    using namespace MoveDatabaseDriver;
    const DatabaseRef server = PostgresTestSupport::server();
    const QString database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_console_agent_"));
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(database, &error), qPrintable(error));
    const QString url =
        QStringLiteral("postgresql://%1@%2:%3/%4").arg(server.user, server.host).arg(server.port).arg(database);
    const CliRun demo = runCli({QStringLiteral("--catalog"), url, QStringLiteral("demo"), QStringLiteral("--size-mb"),
                                QStringLiteral("1")});
    QVERIFY2(demo.exitedWith(0), qPrintable(demo.describe()));
    CliProcess agent;
    QVERIFY(agent.start({QStringLiteral("--catalog"), url, QStringLiteral("agent")}));
    QVERIFY2(agent.waitForErr(QStringLiteral("on the team catalog")), agent.errSoFar().constData());

    auto catalog = std::make_unique<Catalog>();
    QVERIFY2(catalog->open(url, &error), qPrintable(error));
    auto window = std::make_unique<MainWindow>(std::move(catalog));
    window->resize(1366, 768);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    const qint64 request = runWizard(window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(request > 0);
    // Submitted, not run by the console: the agent claims it (as a new operation id, which the console may
    // already show) and runs it.
    OperationStore store(*window->catalog());
    QString agentId;
    QTRY_VERIFY2_WITH_TIMEOUT((store.currentIdOf(request, &agentId), !agentId.isEmpty()),
                              qPrintable(QStringLiteral("operation %1 is %2; the agent said: %3")
                                             .arg(request)
                                             .arg(operationStateName(store.get(request)->state),
                                                  QString::fromLocal8Bit(agent.errSoFar()))),
                              30000);
    const qint64 id = store.currentIdOf(request, &agentId).value_or(0);
    QVERIFY(store.get(id)->requestId > 0);
    QCOMPARE(agentId, QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(agent.pid()));
    QTRY_COMPARE_WITH_TIMEOUT(store.get(id)->state, OperationState::Completed, 120000);
    for (OperationSession* busy : window->operations()->busySessions())
        QVERIFY2(false, qPrintable(QStringLiteral("the console runs operation %1 itself").arg(busy->operationId())));

    // The Operation tab follows the agent's operation: every step done, and the agent's log lines, from the
    // catalog (the agent's runbook log file is on its machine).
    QTRY_VERIFY_WITH_TIMEOUT(window->progressView()->session() &&
                                 window->progressView()->session()->operationId() == id,
                             10000);
    OperationSession* session = window->progressView()->session();
    QTRY_COMPARE_WITH_TIMEOUT(session->record().state, OperationState::Completed, 10000);
    // On the Operation tab, however soon the agent claimed the request.
    auto* tabs = window->findChild<QTabWidget*>(QStringLiteral("environmentTabs"));
    QVERIFY(tabs);
    QTRY_COMPARE_WITH_TIMEOUT(tabs->currentIndex(), 1, 10000); // it follows the claim: later on a loaded machine
    const QList<RunbookLineStore::Line> lines = RunbookLineStore(*window->catalog()).after(id);
    QVERIFY2(lines.size() > 5, qPrintable(QString::number(lines.size())));
    QTRY_COMPARE_WITH_TIMEOUT(session->log()->rowCount(), int(lines.size()), 10000);
    QCOMPARE(session->log()->lastMessage(), lines.constLast().text);
    QTreeView* logView = window->progressView()->findChild<QTreeView*>(QStringLiteral("runbookLogView"));
    QVERIFY(logView && logView->model()->rowCount() == int(lines.size()));
    saveScreenshot(window.get(), QStringLiteral("team-console-agent-operation"));

    // Download runbook logs: the catalog's lines, in the runbook log's own format.
    QTemporaryDir out;
    const QString zip = out.filePath(QStringLiteral("logs.zip"));
    QVERIFY2(RunbookArchive::write(*window->catalog(), *store.get(id), zip, &error), qPrintable(error));
    const QByteArray log = zipEntries(zip, &error).value(QStringLiteral("operation-%1/runbook.log").arg(id));
    QCOMPARE(log, RunbookLineStore(*window->catalog()).text(id));
    QVERIFY(log.contains(lines.constLast().text.toUtf8()));
    const QByteArray firstTime =
        lines.constFirst().at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")).toUtf8();
    QVERIFY(log.startsWith(QByteArray(firstTime + QByteArray(" "))));

    // Rollback from the console: handed to the agents, not run here. With no agent alive it waits (the view
    // says so, the buttons say why they are off), then the next agent carries it out in this user's name.
    agent.sendSignal(SIGTERM);
    QVERIFY(agent.finish(30000).exitedWith(0));
    QWidget* view = window->progressView();
    QAbstractButton* rollback = button(view, "progressRollbackButton");
    QVERIFY(rollback);
    QTRY_VERIFY(rollback->isEnabled());
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(rollback, Qt::LeftButton);
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmRollbackBox"));
    QTRY_VERIFY_WITH_TIMEOUT(session->isAwaitingAgent(), 10000);
    QCOMPARE(store.get(id)->pendingAction, QStringLiteral("rollback"));
    QVERIFY(window->operations()->busySessions().isEmpty());
    auto* subtitle = view->findChild<QLabel*>(QStringLiteral("operationSubtitle"));
    QVERIFY(subtitle);
    QTRY_VERIFY2(subtitle->text().contains(QStringLiteral("asked the agents to roll it back; waiting for one")),
                 qPrintable(subtitle->text()));
    QTRY_VERIFY(!rollback->isEnabled());
    QVERIFY2(rollback->toolTip().contains(QStringLiteral("is waiting for an agent to roll it back")),
             qPrintable(rollback->toolTip()));
    window->resize(1920, 1080);
    saveScreenshot(window.get(), QStringLiteral("team-console-rollback-waits-for-an-agent"));

    CliProcess carrier;
    QVERIFY(carrier.start({QStringLiteral("--catalog"), url, QStringLiteral("agent")}));
    QTRY_COMPARE_WITH_TIMEOUT(store.get(id)->state, OperationState::RollbackCompleted, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!session->isAwaitingAgent(), 10000);
    QCOMPARE(session->lastOutcome(), int(OperationRunner::Done));
    auto* state = view->findChild<QLabel*>(QStringLiteral("operationState"));
    QVERIFY(state);
    QTRY_VERIFY2(state->text().contains(QStringLiteral("Rollback completed")), qPrintable(state->text()));
    QVERIFY2(session->log()->lastMessage().contains(QStringLiteral("(agent %1:%2)")
                                                        .arg(QSysInfo::machineHostName())
                                                        .arg(carrier.pid())) ||
                 RunbookLineStore(*window->catalog()).text(id).contains(
                     QStringLiteral("(agent %1:%2)").arg(QSysInfo::machineHostName()).arg(carrier.pid()).toUtf8()),
             "the agent's lines do not say on whose behalf it rolled back");
    saveScreenshot(window.get(), QStringLiteral("team-console-rollback-done-by-an-agent"));

    window.reset();
    carrier.sendSignal(SIGTERM);
    QVERIFY(carrier.finish(30000).exitedWith(0));
    PostgresTestSupport::dropDatabase(database);
}

void TestTeamCatalogConsole::teamMemberSeesWhatTheRoleDoesNotAllow()
{
    // A Team member's console: production's buttons are off and say why (the role), a sandbox's are on; the
    // environment's definition is an Environment manager's. The server would refuse the same (tst_teamroles).
    using namespace MoveDatabaseDriver;
    const DatabaseRef server = PostgresTestSupport::server();
    const QString database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_console_roles_"));
    const QString login = QStringLiteral("member_") + database.mid(QStringLiteral("dataalm_console_roles_").size());
    // Its own files folder: the demo's databases of the other tests stay theirs.
    QTemporaryDir files;
    QVERIFY(files.isValid());
    const QByteArray savedFiles = qgetenv("DATAALM_FILES");
    qputenv("DATAALM_FILES", files.path().toLocal8Bit());
    const auto restoreFiles = qScopeGuard([&] { qputenv("DATAALM_FILES", savedFiles); });
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(database, &error), qPrintable(error));
    QVERIFY2(PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(login), &error),
             qPrintable(error));
    const auto dropBoth = qScopeGuard([&] {
        PostgresTestSupport::dropDatabase(database);
        PostgresTestSupport::exec(server, QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
    });
    const QString adminUrl =
        QStringLiteral("postgresql://%1@%2:%3/%4").arg(server.user, server.host).arg(server.port).arg(database);
    CliRun run = runCli({QStringLiteral("--catalog"), adminUrl, QStringLiteral("demo"), QStringLiteral("--size-mb"),
                         QStringLiteral("1")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = runCli({QStringLiteral("--catalog"), adminUrl, QStringLiteral("member"), QStringLiteral("add"), login,
                  QStringLiteral("--project"), QStringLiteral("contoso"), QStringLiteral("--role"),
                  QStringLiteral("TeamMember")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));

    auto catalog = std::make_unique<Catalog>();
    QVERIFY2(catalog->open(QStringLiteral("postgresql://%1@%2:%3/%4").arg(login, server.host).arg(server.port).arg(database),
                           &error),
             qPrintable(error));
    auto window = std::make_unique<MainWindow>(std::move(catalog));
    window->resize(1366, 768);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QAction* apply = window->findChild<QAction*>(QStringLiteral("applyUpdatesAction"));
    QAction* edit = window->findChild<QAction*>(QStringLiteral("editEnvironmentAction"));
    QAction* move = window->findChild<QAction*>(QStringLiteral("moveDatabaseAction"));
    QVERIFY(apply && edit && move);

    QTRY_VERIFY(selectByKeyboard(window.get(), QStringLiteral("contoso-prod")));
    QTRY_VERIFY(!apply->isEnabled());
    QVERIFY2(apply->toolTip().contains(QStringLiteral("%1 is a Team member of project contoso").arg(login)) &&
                 apply->toolTip().contains(QStringLiteral("does not operate production environments such as "
                                                          "contoso-prod")),
             qPrintable(apply->toolTip()));
    QVERIFY(!edit->isEnabled());
    QVERIFY2(edit->toolTip().contains(QStringLiteral("only a Project owner or an Environment manager adds, edits or "
                                                     "removes environments")),
             qPrintable(edit->toolTip()));
    QAbstractButton* createPoint = button(window.get(), "createRestorePointButton");
    QVERIFY(createPoint);
    QVERIFY(!createPoint->isEnabled());
    QVERIFY2(createPoint->toolTip().contains(QStringLiteral("does not operate production")),
             qPrintable(createPoint->toolTip()));
    // The status bar says who the console is and what that makes it.
    bool saysRole = false;
    for (QLabel* l : window->statusBar()->findChildren<QLabel*>())
        saysRole = saysRole || l->text().contains(QStringLiteral("%1, Team member of contoso").arg(login));
    QVERIFY(saysRole);
    saveScreenshot(window.get(), QStringLiteral("team-member-production"));

    QTRY_VERIFY(selectByKeyboard(window.get(), QStringLiteral("contoso-uat")));
    QTRY_VERIFY(apply->isEnabled());
    QVERIFY(move->isEnabled());
    QVERIFY(!edit->isEnabled());
    QTRY_VERIFY(createPoint->isEnabled());
    window->resize(1920, 1080);
    saveScreenshot(window.get(), QStringLiteral("team-member-sandbox"));

    // Maintain > Project Members…: the Team member sees who is who, and why it cannot change it.
    QAction* membersAction = window->findChild<QAction*>(QStringLiteral("projectMembersAction"));
    QVERIFY(membersAction && membersAction->isEnabled());
    membersAction->trigger();
    auto* members = window->findChild<QDialog*>(QStringLiteral("projectMembersDialog"));
    QVERIFY(members);
    auto* view = members->findChild<QTreeView*>(QStringLiteral("membersView"));
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, 0).data().toString(), login);
    auto* add = members->findChild<QPushButton*>(QStringLiteral("memberAdd"));
    auto* message = members->findChild<QLabel*>(QStringLiteral("membersMessage"));
    QVERIFY(add && message);
    QVERIFY(!add->isEnabled());
    QVERIFY2(message->text().contains(QStringLiteral("only a Project owner changes the project's members")),
             qPrintable(message->text()));
    saveScreenshot(members, QStringLiteral("team-member-members"));
    members->close();
    window.reset();

    // The catalog's owner adds a Viewer and removes it again, from the same dialog.
    auto asOwner = std::make_unique<Catalog>();
    QVERIFY2(asOwner->open(adminUrl, &error), qPrintable(error));
    auto ownerWindow = std::make_unique<MainWindow>(std::move(asOwner));
    ownerWindow->show();
    QVERIFY(QTest::qWaitForWindowExposed(ownerWindow.get()));
    QAction* ownerMembers = ownerWindow->findChild<QAction*>(QStringLiteral("projectMembersAction"));
    QTRY_VERIFY(ownerMembers && ownerMembers->isEnabled());
    ownerMembers->trigger();
    members = ownerWindow->findChild<QDialog*>(QStringLiteral("projectMembersDialog"));
    QVERIFY(members);
    view = members->findChild<QTreeView*>(QStringLiteral("membersView"));
    add = members->findChild<QPushButton*>(QStringLiteral("memberAdd"));
    auto* remove = members->findChild<QPushButton*>(QStringLiteral("memberRemove"));
    auto* newLogin = members->findChild<QLineEdit*>(QStringLiteral("memberLogin"));
    auto* role = members->findChild<QComboBox*>(QStringLiteral("memberRole"));
    QVERIFY(view && add && remove && newLogin && role);
    QTest::keyClicks(newLogin, QStringLiteral("auditor"));
    role->setCurrentIndex(role->findData(QStringLiteral("Viewer")));
    QVERIFY(add->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);
    QTRY_COMPARE(view->model()->rowCount(), 2);
    saveScreenshot(members, QStringLiteral("team-owner-members"));
    QSqlQuery q(ownerWindow->catalog()->database());
    QVERIFY(q.exec(QStringLiteral("SELECT role, added_by FROM project_members WHERE login = 'auditor'")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("Viewer"));
    QCOMPARE(q.value(1).toString(), server.user);
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, 0).data().toString() == QLatin1String("auditor"))
            view->setCurrentIndex(view->model()->index(row, 0));
    }
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    members->close();
}

void TestTeamCatalogConsole::secondOwnerApprovesInWorkItems()
{
    const DatabaseRef server = PostgresTestSupport::server();
    const QString database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_console_approval_"));
    const QString suffix = database.mid(QStringLiteral("dataalm_console_approval_").size());
    const QString alice = QStringLiteral("alice_") + suffix;
    const QString bob = QStringLiteral("bob_") + suffix;
    QTemporaryDir files;
    QVERIFY(files.isValid());
    const QByteArray savedFiles = qgetenv("DATAALM_FILES");
    qputenv("DATAALM_FILES", files.path().toLocal8Bit());
    const auto restoreFiles = qScopeGuard([&] { qputenv("DATAALM_FILES", savedFiles); });
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(database, &error), qPrintable(error));
    for (const QString& login : {alice, bob})
        QVERIFY2(PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(login), &error),
                 qPrintable(error));
    const auto dropAll = qScopeGuard([&] {
        PostgresTestSupport::dropDatabase(database);
        for (const QString& login : {alice, bob})
            PostgresTestSupport::exec(server, QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
    });
    const auto urlOf = [&](const QString& login) {
        return QStringLiteral("postgresql://%1@%2:%3/%4").arg(login, server.host).arg(server.port).arg(database);
    };
    CliRun run = runCli({QStringLiteral("--catalog"), urlOf(server.user), QStringLiteral("demo"),
                         QStringLiteral("--size-mb"), QStringLiteral("1")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const QString& login : {alice, bob}) {
        run = runCli({QStringLiteral("--catalog"), urlOf(server.user), QStringLiteral("member"), QStringLiteral("add"),
                      login, QStringLiteral("--project"), QStringLiteral("contoso"), QStringLiteral("--role"),
                      QStringLiteral("ProjectOwner")});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    // The requester's console: Maintain > Protected marks the sandbox (production's is on, and cannot be unchecked).
    using namespace MoveDatabaseDriver;
    const auto openAs = [&](const QString& login, const QSize& size) {
        auto catalog = std::make_unique<Catalog>();
        QString e;
        if (!catalog->open(urlOf(login), &e))
            qWarning("%s", qPrintable(e));
        auto window = std::make_unique<MainWindow>(std::move(catalog));
        window->resize(size);
        window->show();
        return window;
    };
    auto aliceWindow = openAs(alice, QSize(1366, 768));
    QVERIFY(QTest::qWaitForWindowExposed(aliceWindow.get()));
    QAction* protect = aliceWindow->findChild<QAction*>(QStringLiteral("protectEnvironmentAction"));
    QVERIFY(protect);
    QTRY_VERIFY(selectByKeyboard(aliceWindow.get(), QStringLiteral("contoso-prod")));
    QTRY_VERIFY(protect->isChecked() && !protect->isEnabled());
    QTRY_VERIFY(selectByKeyboard(aliceWindow.get(), QStringLiteral("contoso-uat")));
    QTRY_VERIFY(!protect->isChecked() && protect->isEnabled());
    protect->trigger();
    QTRY_VERIFY(protect->isChecked());
    QCOMPARE(PostgresTestSupport::value(PostgresTestSupport::database(database),
                                        QStringLiteral("SELECT protected FROM environments WHERE id = 'contoso-uat'")),
             QStringLiteral("1"));
    auto* type = aliceWindow->findChild<QLabel*>(QStringLiteral("typeValue"));
    QTRY_VERIFY(type && type->text().contains(QStringLiteral("protected")));
    saveScreenshot(aliceWindow.get(), QStringLiteral("team-protected-sandbox"));
    run = runCli({QStringLiteral("--catalog"), urlOf(alice), QStringLiteral("refresh"), QStringLiteral("--source"),
                  QStringLiteral("contoso-prod"), QStringLiteral("--target"), QStringLiteral("contoso-uat"),
                  QStringLiteral("--yes"), QStringLiteral("--no-wait"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("id")).toInteger();
    QVERIFY(id > 0);

    // The request is listed, awaiting approval; Approve… is off for its requester, and says why.
    const auto openItems = [&](MainWindow* window) -> QDialog* {
        QAction* action = window->findChild<QAction*>(QStringLiteral("workItemsAction"));
        if (!action)
            return nullptr;
        action->trigger();
        return window->findChild<QDialog*>(QStringLiteral("workItemsWindow"));
    };
    const auto selectRequest = [&](QDialog* items) {
        auto* table = items->findChild<QTreeView*>(QStringLiteral("workItemsTable"));
        for (int row = 0; table && row < table->model()->rowCount(); ++row) {
            if (table->model()->index(row, 0).data().toString() == QString::number(id)) {
                table->setCurrentIndex(table->model()->index(row, 0));
                return true;
            }
        }
        return false;
    };
    QDialog* items = openItems(aliceWindow.get());
    QVERIFY(items);
    QTRY_VERIFY_WITH_TIMEOUT(selectRequest(items), 30000);
    auto* approve = items->findChild<QPushButton*>(QStringLiteral("approveRequestButton"));
    auto* reject = items->findChild<QPushButton*>(QStringLiteral("rejectRequestButton"));
    auto* cancel = items->findChild<QPushButton*>(QStringLiteral("cancelRequestButton"));
    QVERIFY(approve && reject && cancel);
    QVERIFY(!approve->isEnabled() && !reject->isEnabled());
    QVERIFY2(approve->toolTip().contains(QStringLiteral("is %1's own: a second Project owner approves").arg(alice)),
             qPrintable(approve->toolTip()));
    QVERIFY2(cancel->isEnabled() && cancel->toolTip().startsWith(QStringLiteral("Withdraw request")),
             qPrintable(cancel->toolTip()));
    auto* table = items->findChild<QTreeView*>(QStringLiteral("workItemsTable"));
    QCOMPARE(table->model()->index(table->currentIndex().row(), 5).data().toString(), QStringLiteral("Awaiting approval"));
    saveScreenshot(items, QStringLiteral("team-approval-requester"));
    aliceWindow.reset();

    // A second Project owner: Approve… asks why, and the request is Scheduled, approved by them.
    auto bobWindow = openAs(bob, QSize(1920, 1080));
    QVERIFY(QTest::qWaitForWindowExposed(bobWindow.get()));
    items = openItems(bobWindow.get());
    QVERIFY(items);
    QTRY_VERIFY_WITH_TIMEOUT(selectRequest(items), 30000);
    approve = items->findChild<QPushButton*>(QStringLiteral("approveRequestButton"));
    QVERIFY2(approve->isEnabled(), qPrintable(approve->toolTip()));
    saveScreenshot(items, QStringLiteral("team-approval-second-owner"));
    bool asked = false;
    QTimer::singleShot(0, this, [&] {
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!dialog || dialog->objectName() != QLatin1String("approveReasonDialog"))
            return;
        asked = dialog->labelText().contains(QStringLiteral("Approve request %1").arg(id));
        saveScreenshot(dialog, QStringLiteral("team-approval-reason"));
        dialog->setTextValue(QStringLiteral("checked with finance"));
        dialog->accept();
    });
    QTest::mouseClick(approve, Qt::LeftButton);
    QVERIFY(asked);
    table = items->findChild<QTreeView*>(QStringLiteral("workItemsTable"));
    QTRY_VERIFY_WITH_TIMEOUT(selectRequest(items) && table->model()->index(table->currentIndex().row(), 5).data().toString() ==
                                 QStringLiteral("Scheduled, approved by %1").arg(bob),
                             30000);
    QSqlQuery q(bobWindow->catalog()->database());
    QVERIFY(q.exec(QStringLiteral("SELECT state, approved_by, approval_note FROM operations WHERE id = %1").arg(id)) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("Scheduled"));
    QCOMPARE(q.value(1).toString(), bob);
    QCOMPARE(q.value(2).toString(), QStringLiteral("checked with finance"));
    saveScreenshot(items, QStringLiteral("team-approval-approved"));
}

void TestTeamCatalogConsole::managerKeepsAndRevealsACredential()
{
    // Maintain > Database Credentials… as an Environment manager: a sandbox's password is kept, then revealed for a
    // reason; production's may be kept but never revealed; a Team member's dialog says why it may do neither.
    using namespace MoveDatabaseDriver;
    const DatabaseRef server = PostgresTestSupport::server();
    const QString database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_console_cred_"));
    const QString suffix = database.mid(QStringLiteral("dataalm_console_cred_").size());
    const QString project = QStringLiteral("cred") + suffix;
    const QString manager = QStringLiteral("manager_") + suffix;
    const QString member = QStringLiteral("member_") + suffix;
    QTemporaryDir files;
    QVERIFY(files.isValid());
    const QByteArray savedFiles = qgetenv("DATAALM_FILES");
    qputenv("DATAALM_FILES", files.path().toLocal8Bit());
    const auto restoreFiles = qScopeGuard([&] { qputenv("DATAALM_FILES", savedFiles); });
    QString error;
    QVERIFY2(PostgresTestSupport::createDatabase(database, &error), qPrintable(error));
    for (const QString& login : {manager, member})
        QVERIFY2(PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(login), &error),
                 qPrintable(error));
    const auto dropAll = qScopeGuard([&] {
        PostgresTestSupport::dropDatabase(database);
        for (const QString& name : PostgresTestSupport::databasesLike(project + QLatin1Char('-')))
            PostgresTestSupport::dropDatabase(name);
        for (const QString& login : {manager, member})
            PostgresTestSupport::exec(server, QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
    });
    const auto urlOf = [&](const QString& login) {
        return QStringLiteral("postgresql://%1@%2:%3/%4").arg(login, server.host).arg(server.port).arg(database);
    };
    CliRun run = runCli({QStringLiteral("--catalog"), urlOf(server.user), QStringLiteral("demo"), QStringLiteral("--project"),
                         project, QStringLiteral("--size-mb"), QStringLiteral("1"), QStringLiteral("--postgres"),
                         QStringLiteral("postgresql://%1@%2:%3/postgres").arg(server.user, server.host).arg(server.port)},
                        600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const auto& [login, role] : {std::pair{manager, QStringLiteral("EnvironmentManager")},
                                      std::pair{member, QStringLiteral("TeamMember")}}) {
        run = runCli({QStringLiteral("--catalog"), urlOf(server.user), QStringLiteral("member"), QStringLiteral("add"),
                      login, QStringLiteral("--project"), project, QStringLiteral("--role"), role});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    const auto openAs = [&](const QString& login) {
        auto catalog = std::make_unique<Catalog>();
        QString e;
        if (!catalog->open(urlOf(login), &e))
            qWarning("%s", qPrintable(e));
        auto window = std::make_unique<MainWindow>(std::move(catalog));
        window->resize(1366, 768);
        window->show();
        return window;
    };
    const auto openCredentials = [&](MainWindow* window, const QString& env) -> QDialog* {
        if (!selectByKeyboard(window, env))
            return nullptr;
        QAction* action = window->findChild<QAction*>(QStringLiteral("databaseCredentialsAction"));
        if (!action || !action->isEnabled())
            return nullptr;
        action->trigger();
        const QList<QDialog*> dialogs = window->findChildren<QDialog*>(QStringLiteral("credentialsDialog"));
        return dialogs.isEmpty() ? nullptr : dialogs.last();
    };
    const QString secret = QStringLiteral("Console-Secret-77");
    auto window = openAs(manager);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = openCredentials(window.get(), project + QStringLiteral("-uat"))) != nullptr);
    auto* view = dialog->findChild<QTreeWidget*>(QStringLiteral("credentialsView"));
    auto* set = dialog->findChild<QPushButton*>(QStringLiteral("credentialSet"));
    auto* reveal = dialog->findChild<QPushButton*>(QStringLiteral("credentialReveal"));
    auto* revealed = dialog->findChild<QLineEdit*>(QStringLiteral("credentialRevealed"));
    QVERIFY(view && set && reveal && revealed);
    QCOMPARE(view->topLevelItemCount(), 2);
    view->setCurrentItem(view->topLevelItem(0));
    QVERIFY(set->isEnabled() && !reveal->isEnabled());
    QTimer::singleShot(0, this, [&] {
        auto* ask = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!ask || ask->objectName() != QLatin1String("credentialPasswordDialog"))
            return;
        ask->setTextValue(secret);
        ask->accept();
    });
    QTest::mouseClick(set, Qt::LeftButton);
    QCOMPARE(view->currentItem()->text(2), QStringLiteral("yes"));
    QCOMPARE(view->currentItem()->text(3), manager);
    QVERIFY(reveal->isEnabled());
    QTimer::singleShot(0, this, [&] {
        auto* ask = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        if (!ask || ask->objectName() != QLatin1String("credentialReasonDialog"))
            return;
        ask->setTextValue(QStringLiteral("checking a report"));
        ask->accept();
    });
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(revealed->text(), secret);
    QVERIFY(revealed->isVisible());
    saveScreenshot(dialog, QStringLiteral("team-credentials-revealed"));
    QSqlQuery q(window->catalog()->database());
    QVERIFY(q.exec(QStringLiteral("SELECT who, detail FROM audit WHERE action = 'credential.reveal'")) && q.next());
    QCOMPARE(q.value(0).toString(), manager);
    QVERIFY2(q.value(1).toString().endsWith(QStringLiteral(": checking a report")), qPrintable(q.value(1).toString()));
    dialog->close();
    // Production: kept for its agents, never revealed.
    QTRY_VERIFY((dialog = openCredentials(window.get(), project + QStringLiteral("-prod"))) != nullptr);
    reveal = dialog->findChild<QPushButton*>(QStringLiteral("credentialReveal"));
    set = dialog->findChild<QPushButton*>(QStringLiteral("credentialSet"));
    QVERIFY(set->isEnabled() && !reveal->isEnabled());
    QVERIFY2(reveal->toolTip().contains(QStringLiteral("for its agents alone")), qPrintable(reveal->toolTip()));
    dialog->close();
    window.reset();
    // A Team member: sees what is kept, may neither set nor reveal, and is told why.
    window = openAs(member);
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QTRY_VERIFY((dialog = openCredentials(window.get(), project + QStringLiteral("-uat"))) != nullptr);
    view = dialog->findChild<QTreeWidget*>(QStringLiteral("credentialsView"));
    set = dialog->findChild<QPushButton*>(QStringLiteral("credentialSet"));
    reveal = dialog->findChild<QPushButton*>(QStringLiteral("credentialReveal"));
    QCOMPARE(view->topLevelItem(0)->text(2), QStringLiteral("yes"));
    QVERIFY(!set->isEnabled() && !reveal->isEnabled());
    QVERIFY2(set->toolTip().contains(QStringLiteral("is a Team member of project %1").arg(project)),
             qPrintable(set->toolTip()));
    saveScreenshot(dialog, QStringLiteral("team-credentials-member"));
    dialog->close();

    // The Team member asks for read-only access: the password shows once, and an agent makes the login.
    QAction* access = window->findChild<QAction*>(QStringLiteral("requestAccessAction"));
    QVERIFY(access);
    QTRY_VERIFY(access->isEnabled());
    access->trigger();
    auto* ask = window->findChild<QDialog*>(QStringLiteral("accessRequestDialog"));
    QVERIFY(ask);
    auto* reason = ask->findChild<QLineEdit*>(QStringLiteral("accessReason"));
    auto* request = ask->findChild<QPushButton*>(QStringLiteral("accessRequest"));
    auto* password = ask->findChild<QLineEdit*>(QStringLiteral("accessPassword"));
    auto* login = ask->findChild<QLineEdit*>(QStringLiteral("accessLogin"));
    auto* state = ask->findChild<QLabel*>(QStringLiteral("accessState"));
    QVERIFY(reason && request && password && login && state);
    QVERIFY(!request->isEnabled()); // no reason yet
    QTest::keyClicks(reason, QStringLiteral("support case 1234"));
    QVERIFY(request->isEnabled());
    QTest::mouseClick(request, Qt::LeftButton);
    QCOMPARE(password->text().size(), 24);
    QVERIFY(login->text().startsWith(QStringLiteral("jit_member_")));
    QVERIFY2(state->text().contains(QStringLiteral("waiting for an agent")), qPrintable(state->text()));
    run = runCli({QStringLiteral("--catalog"), urlOf(server.user), QStringLiteral("member"), QStringLiteral("add"),
                  QStringLiteral("agent_") + suffix, QStringLiteral("--agent")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE agent_%1 LOGIN").arg(suffix), &error),
             qPrintable(error));
    const auto dropAgent = qScopeGuard([&] {
        PostgresTestSupport::exec(server, QStringLiteral("DROP ROLE IF EXISTS %1").arg(login->text()));
        PostgresTestSupport::exec(server, QStringLiteral("DROP ROLE IF EXISTS agent_%1").arg(suffix));
    });
    run = runCli({QStringLiteral("--catalog"), urlOf(QStringLiteral("agent_") + suffix), QStringLiteral("agent"),
                  QStringLiteral("--once")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QTRY_VERIFY_WITH_TIMEOUT(state->text().contains(QStringLiteral("is active")), 10000);
    saveScreenshot(ask, QStringLiteral("team-access-active"));
    QString revokeError;
    run = runCli({QStringLiteral("--catalog"), urlOf(member), QStringLiteral("access"), QStringLiteral("list"),
                  QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0) && !run.out.contains(password->text().toUtf8()), qPrintable(run.describe()));
    run = runCli({QStringLiteral("--catalog"), urlOf(member), QStringLiteral("access"), QStringLiteral("revoke"),
                  QString::number(QJsonDocument::fromJson(run.out).array().first().toObject().value(QStringLiteral("id")).toInteger()),
                  QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = runCli({QStringLiteral("--catalog"), urlOf(QStringLiteral("agent_") + suffix), QStringLiteral("agent"),
                  QStringLiteral("--once")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(PostgresTestSupport::value(server, QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'")
                                                    .arg(login->text())),
             QStringLiteral("0"));
}

QTEST_MAIN(TestTeamCatalogConsole)
#include "tst_teamcatalogconsole.moc"
