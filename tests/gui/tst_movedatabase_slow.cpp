// Move database while the copy is slowed down (DATAALM_TEST_COPY_DELAY_MS, a few
// pages per batch), so that a test can watch and act mid-copy: the live progress and
// the "Servicing" state, navigating away and back, Cancel before the swap, and closing
// the console during an operation (wait, cancel, or leave it to be resumed later).
#include "MoveDatabaseDriver.h"
#include "TestSupport.h"
#include "RunbookStepModel.h"

#include "MessageBox.h"
#include "environment/DatabaseRef.h"
#include "logging/Logging.h"

#include <QProgressBar>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace TestSupport;
using namespace MoveDatabaseDriver;

class TestMoveDatabaseSlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void progressIsLiveAndSurvivesNavigation();
    void cancelMidCopyLeavesTheTargetUntouched();
    void closeWhileRunningWaits();
    void closeWhileRunningCancels();
    void closeWhileRunningLeavesItForLater();

private:
    std::unique_ptr<Catalog> openCatalog();
    bool hasMarker() const;
    // Starts a refresh of contoso-uat and waits until it copies.
    qint64 startCopying();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_catalogFolder;
    QString m_targetPath;
    std::unique_ptr<MainWindow> m_window;
};

void TestMoveDatabaseSlow::initTestCase()
{
    // Read once per process by the engine: set before the first refresh.
    qputenv("DATAALM_TEST_COPY_DELAY_MS", "40");
    qputenv("DATAALM_TEST_COPY_PAGES", "8");
    Logging::initialise(QStringLiteral("tst_movedatabase_slow"));
}

std::unique_ptr<Catalog> TestMoveDatabaseSlow::openCatalog()
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(m_catalogFolder, &error))
        qWarning("cannot open the catalog %s: %s", qPrintable(m_catalogFolder), qPrintable(error));
    return catalog;
}

void TestMoveDatabaseSlow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_catalogFolder = m_dir->filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
    auto catalog = openCatalog();
    m_targetPath = catalog->environment(QStringLiteral("contoso-uat"))->database(DatabaseRef::Transactional)->path;
    catalog.reset();
    QVERIFY2(execSqlite(m_targetPath, {QStringLiteral("CREATE TABLE gui_test_marker (x INTEGER)")}, &error),
             qPrintable(error));
    m_window = std::make_unique<MainWindow>(openCatalog());
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMoveDatabaseSlow::cleanup()
{
    if (m_window) {
        for (OperationSession* s : m_window->operations()->busySessions())
            QTRY_VERIFY_WITH_TIMEOUT(!s->isBusy(), 120000);
    }
    m_window.reset();
    m_dir.reset();
}

bool TestMoveDatabaseSlow::hasMarker() const
{
    QString error;
    return execSqlite(m_targetPath, {QStringLiteral("SELECT x FROM gui_test_marker")}, &error);
}

qint64 TestMoveDatabaseSlow::startCopying()
{
    const qint64 id = runWizard(m_window.get(), QStringLiteral("contoso-uat"));
    if (id <= 0)
        return 0;
    OperationSession* session = m_window->progressView()->session();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 60000) {
        const RunbookStepModel::Step* copy = session->steps()->step(3);
        if (copy && copy->record.state == StepState::InProgress && copy->record.done > 0)
            return id;
        QTest::qWait(10);
    }
    return 0;
}

void TestMoveDatabaseSlow::progressIsLiveAndSurvivesNavigation()
{
    const qint64 id = startCopying();
    QVERIFY(id > 0);
    QWidget* view = m_window->progressView();
    // While it copies: the target is Servicing, the step's bar and figures move.
    QTRY_COMPARE(environmentState(m_window.get(), QStringLiteral("contoso-uat")), QStringLiteral("Servicing"));
    auto* stepBar = view->findChild<QProgressBar*>(QStringLiteral("stepProgress"));
    QTRY_VERIFY(stepBar->value() > 0 && stepBar->value() < 1000);
    QVERIFY2(stepBar->format().contains(QStringLiteral("Copy transactional database")), qPrintable(stepBar->format()));
    // Bytes done of all (as sizes, like an apply's copy), rate and time remaining (once
    // the runner has measured a rate).
    QTRY_VERIFY(label(view, "stepFigures").contains(QStringLiteral(" left")));
    const QString figures = label(view, "stepFigures");
    QVERIFY2(figures.contains(QRegularExpression(QStringLiteral("[0-9.]+ [kKM]B of [0-9.]+ MB"))) &&
                 figures.contains(QStringLiteral("/s")) && !figures.contains(QStringLiteral("pages")),
             qPrintable(figures));
    QVERIFY(button(view, "progressCancelButton")->isEnabled());
    QVERIFY(!button(view, "progressRollbackButton")->isEnabled());
    QVERIFY(!button(view, "progressSignOffButton")->isEnabled());
    QTreeView* log = view->findChild<QTreeView*>(QStringLiteral("runbookLogView"));
    QTRY_VERIFY(log->model()->rowCount() > 3);
    saveScreenshot(m_window.get(), QStringLiteral("operation-progress-running"));

    // Away to the production environment: nothing of the refresh there.
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-prod")));
    QTRY_VERIFY(m_window->progressView()->session() == nullptr);
    QTRY_VERIFY(label(view, "operationPlaceholder").startsWith(QStringLiteral("No operation")));
    OperationSession* session = m_window->operations()->existingSession(id);
    QVERIFY(session && session->isBusy());
    const int before = session->steps()->overallPercent();
    QTest::qWait(600);
    // Back: the same live operation, further on.
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    QTRY_COMPARE(m_window->progressView()->session(), session);
    QTRY_VERIFY(session->steps()->overallPercent() > before || !session->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::Completed, 120000);
    QTRY_COMPARE(environmentState(m_window.get(), QStringLiteral("contoso-uat")), QStringLiteral("Deployed"));
    QVERIFY(!hasMarker());
}

void TestMoveDatabaseSlow::cancelMidCopyLeavesTheTargetUntouched()
{
    const qint64 id = startCopying();
    QVERIFY(id > 0);
    QWidget* view = m_window->progressView();
    QAbstractButton* cancel = button(view, "progressCancelButton");
    QTRY_VERIFY(cancel->isEnabled());
    // "Keep it running" first: nothing happens.
    MessageBox::setNextAnswer(QMessageBox::No);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmCancelBox"));
    QVERIFY2(MessageBox::lastQuestion().contains(QStringLiteral("stays exactly as it is")),
             qPrintable(MessageBox::lastQuestion()));
    QVERIFY(m_window->progressView()->session()->isBusy());
    // Then cancel, for real.
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::Aborted, 60000);
    QTRY_VERIFY(!m_window->progressView()->session()->isBusy());
    QVERIFY(hasMarker()); // the target is untouched
    const auto op = operation(m_window.get(), id);
    QCOMPARE(stepStateName(op->steps.at(2).state), QStringLiteral("Cancelled"));
    // On screen, the step and the operation name the one outcome alike.
    auto* stepList = view->findChild<QTreeView*>(QStringLiteral("stepList"));
    QCOMPARE(stepList->model()->index(2, RunbookStepModel::StateColumn).data().toString(), QStringLiteral("Aborted"));
    QCOMPARE(stepStateName(op->steps.at(8).state), QStringLiteral("NotStarted"));
    QTRY_VERIFY(label(view, "operationState").contains(QStringLiteral("Aborted")));
    QVERIFY(!cancel->isEnabled());
    QVERIFY(!button(view, "progressResumeButton")->isEnabled());
    QVERIFY(!button(view, "progressRollbackButton")->isEnabled());
    QTRY_COMPARE(environmentState(m_window.get(), QStringLiteral("contoso-uat")), QStringLiteral("Deployed"));
    // No staging copy is left behind.
    QVERIFY(!QFile::exists(m_targetPath + QStringLiteral(".staging-op%1").arg(id)));
}

void TestMoveDatabaseSlow::closeWhileRunningWaits()
{
    const qint64 id = startCopying();
    QVERIFY(id > 0);
    MessageBox::setNextAnswer(QMessageBox::Yes); // wait, then close
    QVERIFY(!m_window->close());
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("closeWhileRunningBox"));
    const QString question = MessageBox::lastQuestion();
    QVERIFY2(question.contains(QStringLiteral("still running")), qPrintable(question));
    QVERIFY(question.contains(QStringLiteral("leave it")));
    QVERIFY(m_window->isVisible());
    QVERIFY(m_window->operations()->isBusy());
    // It closes by itself once the refresh has ended, whole.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), 120000);
    QCOMPARE(operation(m_window.get(), id)->state, OperationState::Completed);
}

void TestMoveDatabaseSlow::closeWhileRunningCancels()
{
    const qint64 id = startCopying();
    QVERIFY(id > 0);
    MessageBox::setNextAnswer(QMessageBox::Abort); // cancel it, then close
    QVERIFY(!m_window->close());
    QVERIFY(MessageBox::lastQuestion().contains(QStringLiteral("cancel it")));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), 60000);
    QCOMPARE(operation(m_window.get(), id)->state, OperationState::Aborted);
    QVERIFY(hasMarker());
}

void TestMoveDatabaseSlow::closeWhileRunningLeavesItForLater()
{
    const qint64 id = startCopying();
    QVERIFY(id > 0);
    bool left = false;
    MainWindow::setLeaveHandler([&left] { left = true; }); // the real one ends the process
    MessageBox::setNextAnswer(QMessageBox::Ignore);        // leave it, resume later
    QVERIFY(m_window->close());
    MainWindow::setLeaveHandler({});
    QVERIFY(left);
    QVERIFY(!m_window->isVisible());
    // Nothing cancelled it: it is still running in this process, never joined.
    QCOMPARE(operation(m_window.get(), id)->state, OperationState::InProgress);
    m_window.reset(); // does not block on the detached runner
    // Stop it through the catalog (the way another process would), for a clean end.
    auto catalog = openCatalog();
    QVERIFY(OperationStore(*catalog).requestCancel(id));
    QTRY_COMPARE_WITH_TIMEOUT(OperationStore(*catalog).get(id)->state, OperationState::Aborted, 60000);
    QVERIFY(hasMarker());
}

QTEST_MAIN(TestMoveDatabaseSlow)
#include "tst_movedatabase_slow.moc"
