// Requests in downtime windows in the console, on the real main window offscreen: the
// last page of Move database offers Request for a window, whose page shows the
// project's time zone and the estimate and refuses a window too short; the request waits
// as Scheduled (nothing runs, the status bar says no agent runs it); View > Work items
// lists it, Reschedule… moves it and Cancel ends it Canceled; and with no agent alive the
// console runs due work itself when asked.
#include "CliRun.h"
#include "MoveDatabaseDriver.h"
#include "TestSupport.h"
#include "WorkItemListModel.h"
#include "OperationHistoryModel.h"
#include "OperationDurationChart.h"
#include "DesktopNotifier.h"
#include "logging/Logging.h"
#include "MessageBox.h"
#include "operations/RescheduleDialog.h"
#include "operations/WorkItemsWindow.h"
#include "wizard/RequestWindowPage.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTimeEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>

using namespace MoveDatabaseDriver;
using namespace TestSupport;

class TestWorkItems : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void requestedThroughTheWizard();
    void rescheduledAndCancelledInWorkItems();
    void consoleRunsDueWorkWithoutAnAgent();
    void durationsAreDrawn();
    void desktopNotificationsFollowTheCatalog();

private:
    QList<OperationRecord> scheduled() const;
    CliRun cli(const QStringList& args) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_catalogFolder;
    std::unique_ptr<MainWindow> m_window;
};

void TestWorkItems::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_workitems"));
}

void TestWorkItems::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_catalogFolder = m_dir->filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
    auto catalog = std::make_unique<Catalog>();
    QVERIFY2(catalog->open(m_catalogFolder, &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(std::move(catalog));
    m_window->resize(1366, 768);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWorkItems::cleanup()
{
    if (m_window) {
        for (OperationSession* s : m_window->operations()->busySessions())
            QTRY_VERIFY_WITH_TIMEOUT(!s->isBusy(), 120000);
    }
    m_window.reset();
    m_dir.reset();
}

QList<OperationRecord> TestWorkItems::scheduled() const
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_catalogFolder, &error))
        return {};
    return OperationStore(catalog).scheduled();
}

CliRun TestWorkItems::cli(const QStringList& args) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalogFolder});
}

void TestWorkItems::requestedThroughTheWizard()
{
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    auto* exportChoice = wizard->findChild<QRadioButton*>(QStringLiteral("exportChoice"));
    QTest::mouseClick(exportChoice, Qt::LeftButton, {}, QPoint(8, exportChoice->height() / 2));
    QVERIFY(clickNext(wizard));
    QTRY_VERIFY_WITH_TIMEOUT(label(wizard, "policyCountSummary").startsWith(QStringLiteral("All ")), 30000);
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    // The last page offers both: start now, or request for a window.
    QAbstractButton* next = wizard->button(QWizard::NextButton);
    QVERIFY(next->isVisible());
    QCOMPARE(next->text().remove(QLatin1Char('&')), QStringLiteral("Request for a window >"));
    QVERIFY(!next->isEnabled()); // the same acknowledgements first
    acknowledge(wizard, QStringLiteral("Contoso UAT"));
    QVERIFY(next->isEnabled());
    QVERIFY(wizard->button(QWizard::FinishButton)->isEnabled());
    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_RequestWindow));
    QCOMPARE(wizard->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')), QStringLiteral("Request"));
    QVERIFY2(label(wizard, "requestWindowZone").contains(QStringLiteral("project's time zone")),
             qPrintable(label(wizard, "requestWindowZone")));
    // The estimate arrives from its worker; this catalog has no export yet.
    QTRY_VERIFY_WITH_TIMEOUT(label(wizard, "requestWindowEstimate").startsWith(QStringLiteral("no estimate")), 30000);
    // A window that has ended is refused with the rules' words, and Request is disabled.
    auto* start = wizard->findChild<QDateTimeEdit*>(QStringLiteral("requestWindowStart"));
    auto* end = wizard->findChild<QDateTimeEdit*>(QStringLiteral("requestWindowEnd"));
    const QDateTime tomorrow = end->dateTime();
    end->setDateTime(QDateTime::currentDateTime().addSecs(-3600));
    QVERIFY2(label(wizard, "requestWindowProblem").contains(QStringLiteral("before it starts")) ||
                 label(wizard, "requestWindowProblem").contains(QStringLiteral("before now")),
             qPrintable(label(wizard, "requestWindowProblem")));
    QVERIFY(!wizard->button(QWizard::FinishButton)->isEnabled());
    end->setDateTime(tomorrow);
    QVERIFY2(label(wizard, "requestWindowProblem").isEmpty(), qPrintable(label(wizard, "requestWindowProblem")));
    QVERIFY(wizard->button(QWizard::FinishButton)->isEnabled());
    saveScreenshot(wizard, QStringLiteral("request-window-page"));
    const QString wanted = QDateTime(start->date(), start->time()).toUTC().toString(Qt::ISODate); // the wizard goes
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    // A request: Scheduled in its window, nothing run.
    QTRY_COMPARE_WITH_TIMEOUT(scheduled().size(), qsizetype(1), 30000);
    const OperationRecord r = scheduled().first();
    QCOMPARE(r.kind, QStringLiteral("export"));
    QCOMPARE(r.windowStart.toUTC().toString(Qt::ISODate), wanted);
    QVERIFY(r.steps.isEmpty() || r.steps.first().state == StepState::NotStarted);
    auto* agent = m_window->findChild<QLabel*>(QStringLiteral("agentStatusLabel"));
    QTRY_VERIFY(agent->text().startsWith(QStringLiteral("No agent")));
    // The environment's history lists it, as Scheduled.
    auto* history = m_window->findChild<QTreeView*>(QStringLiteral("historyTable"));
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 1, 10000);
    QCOMPARE(history->model()->index(0, OperationHistoryModel::StateColumn).data().toString(), QStringLiteral("Scheduled"));
    saveScreenshot(m_window.get(), QStringLiteral("request-main-window"));
}

void TestWorkItems::rescheduledAndCancelledInWorkItems()
{
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(2);
    CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                      QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                      QStringLiteral("--window-start"), start.toString(Qt::ISODate), QStringLiteral("--window-end"),
                      start.addSecs(3600).toString(Qt::ISODate)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
               QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"), QStringLiteral("--every"),
               QStringLiteral("week"), QStringLiteral("--window-start"), start.addDays(1).toString(Qt::ISODate),
               QStringLiteral("--window-end"), start.addDays(1).addSecs(3600).toString(Qt::ISODate)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    WorkItemsWindow* items = m_window->openWorkItemsWindow();
    QVERIFY(items);
    QVERIFY(QTest::qWaitForWindowExposed(items));
    QAbstractItemModelTester tester(items->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(items->model()->rowCount(), 2, 30000);
    auto* table = items->findChild<QTreeView*>(QStringLiteral("workItemsTable"));
    auto* reschedule = items->findChild<QPushButton*>(QStringLiteral("rescheduleButton"));
    auto* cancel = items->findChild<QPushButton*>(QStringLiteral("cancelRequestButton"));
    // Nothing chosen: nothing to act on.
    table->setCurrentIndex(QModelIndex());
    QVERIFY(!reschedule->isEnabled() && !cancel->isEnabled());
    QVERIFY2(label(items, "workItemsAgent").startsWith(QStringLiteral("No agent is running")),
             qPrintable(label(items, "workItemsAgent")));
    // The request: Reschedule… and Cancel request.
    const int requestRow = items->model()->rowOf(QString::number(scheduled().first().id));
    QVERIFY(requestRow >= 0);
    table->setCurrentIndex(items->model()->index(requestRow, 0));
    QVERIFY(reschedule->isEnabled() && cancel->isEnabled());
    QCOMPARE(cancel->text(), QStringLiteral("Cancel request"));
    saveScreenshot(items, QStringLiteral("work-items"));
    // The schedule: Cancel schedule only.
    table->setCurrentIndex(items->model()->index(1 - requestRow, 0));
    QVERIFY(!reschedule->isEnabled());
    QCOMPARE(cancel->text(), QStringLiteral("Cancel schedule"));
    table->setCurrentIndex(items->model()->index(requestRow, 0));
    // Reschedule…: an hour later.
    QTimer::singleShot(0, this, [] {
        auto* dialog = qobject_cast<RescheduleDialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto* end = dialog->findChild<QDateTimeEdit*>(QStringLiteral("windowEndEdit"));
        end->setDateTime(end->dateTime().addSecs(3600));
        dialog->accept();
    });
    QTest::mouseClick(reschedule, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(scheduled().first().windowEnd.toSecsSinceEpoch(),
                              start.addSecs(7200).toSecsSinceEpoch(), 30000);
    QTRY_VERIFY(label(items, "workItemsMessage").contains(QStringLiteral("moved")));
    // Cancel request: asked, then Canceled.
    const qint64 id = scheduled().first().id;
    // Enabled once the reschedule's worker (it measures the databases again) has ended: slow on a loaded machine.
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isEnabled(), 30000);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(items->model()->rowCount(), 1, 30000);
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("cancelRequestQuestion"));
    Catalog catalog;
    QString error;
    QVERIFY(catalog.open(m_catalogFolder, &error));
    QCOMPARE(OperationStore(catalog).get(id)->state, OperationState::Aborted);
}

void TestWorkItems::consoleRunsDueWorkWithoutAnAgent()
{
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(2);
    const CliRun run = cli({QStringLiteral("export"), QStringLiteral("--source"), QStringLiteral("contoso-uat"),
                            QStringLiteral("--window-start"), start.toString(Qt::ISODate), QStringLiteral("--window-end"),
                            start.addSecs(3600).toString(Qt::ISODate)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QTest::qWait(2500);
    m_window->runDueWorkHere(true);
    QTRY_VERIFY_WITH_TIMEOUT(scheduled().isEmpty(), 30000);
    Catalog catalog;
    QString error;
    QVERIFY(catalog.open(m_catalogFolder, &error));
    QTRY_VERIFY_WITH_TIMEOUT(OperationStore(catalog).list().first().state == OperationState::Completed, 60000);
    QCOMPARE(OperationStore(catalog).list().first().kind, QStringLiteral("export"));
    QVERIFY(OperationStore(catalog).list().first().requestId > 0);
}

void TestWorkItems::durationsAreDrawn()
{
    // No chart for fewer than two operations to compare.
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("historyTabs"));
    QVERIFY(tabs);
    QVERIFY(!tabs->isTabEnabled(1));
    for (int i = 0; i < 2; ++i) {
        const CliRun run = cli({QStringLiteral("export"), QStringLiteral("--source"), QStringLiteral("contoso-uat")});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    m_window->reload();
    QTRY_VERIFY_WITH_TIMEOUT(tabs->isTabEnabled(1), 10000);
    auto* chart = m_window->findChild<OperationDurationChart*>(QStringLiteral("durationChart"));
    QCOMPARE(chart->pointCount(), 2);
    tabs->setCurrentIndex(1);
    saveScreenshot(chart, QStringLiteral("duration-chart-alone"));
    saveScreenshot(m_window.get(), QStringLiteral("duration-chart"));
}

void TestWorkItems::desktopNotificationsFollowTheCatalog()
{
    auto* notifier = m_window->findChild<DesktopNotifier*>(QStringLiteral("desktopNotifier"));
    QVERIFY(notifier);
    QSignalSpy spy(notifier, &DesktopNotifier::notified);
    // A request made and cancelled from a terminal, and an export run there: the console
    // says each, whoever did it.
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(1);
    CliRun run = cli({QStringLiteral("export"), QStringLiteral("--source"), QStringLiteral("contoso-uat"),
                      QStringLiteral("--window-start"), start.toString(Qt::ISODate), QStringLiteral("--window-end"),
                      start.addSecs(3600).toString(Qt::ISODate), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(cli({QStringLiteral("cancel"), QString::number(run.json().object().value(QStringLiteral("id")).toInteger())})
                .exitedWith(0));
    QVERIFY(cli({QStringLiteral("export"), QStringLiteral("--source"), QStringLiteral("contoso-uat")}).exitedWith(0));
    QTRY_VERIFY_WITH_TIMEOUT(notifier->recent().size() >= 4, 15000);
    const QStringList said = notifier->recent();
    QVERIFY2(said.at(0).contains(QStringLiteral("Export database of contoso-uat was requested")), qPrintable(said.join(QLatin1Char('\n'))));
    QVERIFY2(said.at(1).contains(QStringLiteral("was canceled")), qPrintable(said.join(QLatin1Char('\n'))));
    QVERIFY2(said.at(2).contains(QStringLiteral("started")), qPrintable(said.join(QLatin1Char('\n'))));
    QVERIFY2(said.at(3).contains(QStringLiteral("completed")), qPrintable(said.join(QLatin1Char('\n'))));
    QCOMPARE(spy.count(), said.size());
}

QTEST_MAIN(TestWorkItems)
#include "tst_workitems.moc"
