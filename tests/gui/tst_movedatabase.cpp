// Maintain > Move database in the console, on a real 2 MB demo catalog: the wizard
// (operation, source, live checks, the review of the data that will not be copied,
// acknowledgements), a real refresh with its live progress view, rollback, sign off,
// runbook log download, and an operation interrupted by a crash of the CLI. Driven
// like a user does: widgets by objectName, clicks and keys, QTRY_* waits; dialogs
// answered through MessageBox::setNextAnswer and FileDialog::setNextSaveFileName.
#include "MoveDatabaseDriver.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "RunbookLogModel.h"
#include "catalog/RunbookLog.h"

#include "FileDialog.h"
#include "MessageBox.h"
#include "OperationHistoryModel.h"
#include "PolicyReviewModel.h"
#include "PreflightCheckModel.h"
#include "environment/DatabaseRef.h"
#include "logging/Logging.h"
#include "wizard/PolicyRuleDialog.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QProgressBar>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QStatusBar>
#include <QTimer>

using namespace TestSupport;
using namespace MoveDatabaseDriver;

class TestMoveDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void actionFollowsTheSelection();
    void operationPageOffersRefreshAndRestore();
    void exportThenImportThroughTheWizard();
    void sourcePageComparesVersions();
    void blockedCheckSaysWhyAndWhatToDo();
    void reviewShowsLiveCountsAndRuleDetails();
    void acknowledgementsGateTheFinish();
    void refreshRollbackThenSignOffASecondOne();
    void logsDownloadedAndSignOffFromTheHistory();
    void interruptedOperationResumes();
    void interruptedOperationRollsBack();

private:
    std::unique_ptr<Catalog> openCatalog();
    void newWindow();
    QString targetPath(const QString& environmentId) const;
    bool hasMarker(const QString& environmentId) const;
    void crashCliRefresh(const QString& crashAt);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_catalogFolder;
    std::unique_ptr<MainWindow> m_window;
};

void TestMoveDatabase::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_movedatabase"));
}

std::unique_ptr<Catalog> TestMoveDatabase::openCatalog()
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(m_catalogFolder, &error))
        qWarning("cannot open the catalog %s: %s", qPrintable(m_catalogFolder), qPrintable(error));
    return catalog;
}

void TestMoveDatabase::newWindow()
{
    m_window.reset();
    m_window = std::make_unique<MainWindow>(openCatalog());
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMoveDatabase::init()
{
    // Every test starts on a fresh demo: refreshes change it.
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_catalogFolder = m_dir->filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
    // A table only contoso-uat has: gone after a refresh, back after a rollback.
    QVERIFY2(execSqlite(targetPath(QStringLiteral("contoso-uat")),
                        {QStringLiteral("CREATE TABLE gui_test_marker (x INTEGER)")}, &error),
             qPrintable(error));
    newWindow();
}

void TestMoveDatabase::cleanup()
{
    // Whatever a test left running ends before the window goes.
    if (m_window) {
        for (OperationSession* s : m_window->operations()->busySessions())
            QTRY_VERIFY_WITH_TIMEOUT(!s->isBusy(), 120000);
    }
    m_window.reset();
    m_dir.reset();
}

QString TestMoveDatabase::targetPath(const QString& environmentId) const
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_catalogFolder, &error))
        return {};
    auto e = catalog.environment(environmentId);
    const DatabaseRef* db = e ? e->database(DatabaseRef::Transactional) : nullptr;
    return db ? db->path : QString();
}

bool TestMoveDatabase::hasMarker(const QString& environmentId) const
{
    QString error;
    return execSqlite(targetPath(environmentId), {QStringLiteral("SELECT x FROM gui_test_marker")}, &error);
}

void TestMoveDatabase::actionFollowsTheSelection()
{
    auto* action = m_window->findChild<QAction*>(QStringLiteral("moveDatabaseAction"));
    QVERIFY(action);
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-prod")));
    QTRY_VERIFY(!action->isEnabled());
    QVERIFY2(action->toolTip().contains(QStringLiteral("only sandboxes can be refreshed")),
             qPrintable(action->toolTip()));
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-dev")));
    QTRY_VERIFY(!action->isEnabled());
    QVERIFY2(action->toolTip().contains(QStringLiteral("dev/test")), qPrintable(action->toolTip()));
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    QTRY_VERIFY(action->isEnabled());
    QVERIFY2(action->toolTip().contains(QStringLiteral("Contoso UAT")), qPrintable(action->toolTip()));
    QCOMPARE(action->statusTip(), action->toolTip());
    // The details page's Maintain button opens the same menu.
    auto* maintain = m_window->findChild<QPushButton*>(QStringLiteral("maintainButton"));
    QVERIFY(maintain && maintain->menu() && maintain->menu()->actions().contains(action));
}

void TestMoveDatabase::operationPageOffersRefreshAndRestore()
{
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Operation));
    auto* refresh = wizard->findChild<QRadioButton*>(QStringLiteral("refreshChoice"));
    QVERIFY(refresh && refresh->isEnabled() && refresh->isChecked());
    // A sandbox can be exported; nothing to import before a first export.
    auto* exportChoice = wizard->findChild<QRadioButton*>(QStringLiteral("exportChoice"));
    QVERIFY(exportChoice && exportChoice->isEnabled());
    auto* importChoice = wizard->findChild<QRadioButton*>(QStringLiteral("importChoice"));
    QVERIFY(importChoice && !importChoice->isEnabled());
    QVERIFY2(label(wizard, "importChoiceExplanation").contains(QStringLiteral("has no database backup yet")),
             qPrintable(label(wizard, "importChoiceExplanation")));
    // No restore point yet, here or on production: the restore says how to get one.
    auto* restore = wizard->findChild<QRadioButton*>(QStringLiteral("pointInTimeChoice"));
    QVERIFY(restore && !restore->isEnabled());
    QVERIFY2(label(wizard, "pointInTimeChoiceExplanation").contains(QStringLiteral("Create one on the Environment "
                                                                                   "details page")),
             qPrintable(label(wizard, "pointInTimeChoiceExplanation")));
    saveScreenshot(wizard, QStringLiteral("move-database-operation"));
    // Escape closes the wizard and nothing is created.
    QPointer<MoveDatabaseWizard> guard(wizard);
    QTest::keyClick(wizard, Qt::Key_Escape);
    QTRY_VERIFY(guard.isNull());
    QCOMPARE(OperationStore(*m_window->catalog()).list().size(), 0);
}

void TestMoveDatabase::exportThenImportThroughTheWizard()
{
    // Export contoso-uat: the review of the rules the export applies, the acknowledgements, Start export.
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    auto* exportChoice = wizard->findChild<QRadioButton*>(QStringLiteral("exportChoice"));
    QTest::mouseClick(exportChoice, Qt::LeftButton, {}, QPoint(8, exportChoice->height() / 2));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Review));
    QVERIFY2(label(wizard, "policyIntro").contains(QStringLiteral("before anything is written to the backup")),
             qPrintable(label(wizard, "policyIntro")));
    QTRY_VERIFY_WITH_TIMEOUT(label(wizard, "policyCountSummary").startsWith(QStringLiteral("All ")), 30000);
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    QCOMPARE(wizard->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')), QStringLiteral("Start export"));
    acknowledge(wizard, QStringLiteral("Contoso UAT"));
    saveScreenshot(wizard, QStringLiteral("export-acknowledgements"));
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), 1) &&
                                 operation(m_window.get(), 1)->state == OperationState::Completed,
                             60000);
    QCOMPARE(operation(m_window.get(), 1)->kind, QStringLiteral("export"));
    QTRY_VERIFY(!m_window->operations()->isBusy());

    // Import it into contoso-uat again, after a change: the backup page, the
    // acknowledgements, Start import; the change is gone, and a rollback brings it back.
    QString error;
    QVERIFY2(execSqlite(targetPath(QStringLiteral("contoso-uat")), {QStringLiteral("DELETE FROM CUSTTABLE")}, &error),
             qPrintable(error));
    wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    auto* importChoice = wizard->findChild<QRadioButton*>(QStringLiteral("importChoice"));
    QVERIFY(importChoice->isEnabled());
    QTest::mouseClick(importChoice, Qt::LeftButton, {}, QPoint(8, importChoice->height() / 2));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Backup));
    QCOMPARE(view(wizard, "backupList")->model()->rowCount(), 1);
    saveScreenshot(wizard, QStringLiteral("import-backup-page"));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    QCOMPARE(wizard->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')), QStringLiteral("Start import"));
    acknowledge(wizard, QStringLiteral("Contoso UAT"));
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), 2) &&
                                 operation(m_window.get(), 2)->state == OperationState::Completed,
                             60000);
    QCOMPARE(operation(m_window.get(), 2)->kind, QStringLiteral("import"));
    QString e;
    QVERIFY(SqliteInspect::value(targetPath(QStringLiteral("contoso-uat")), QStringLiteral("SELECT count(*) FROM CUSTTABLE"), &e)
                .toLongLong() > 0);
}

void TestMoveDatabase::sourcePageComparesVersions()
{
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat2"));
    QVERIFY(wizard);
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Source));
    QTreeView* list = view(wizard, "sourceList");
    QVERIFY(list && list->isVisible());
    const QAbstractItemModel* model = list->model();
    // The target's own row first, then the four other environments; production chosen.
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(model->index(0, SourceEnvironmentModel::NameColumn).data().toString(),
             QStringLiteral("Contoso UAT 2 (target)"));
    QVERIFY(!(model->flags(model->index(0, 0)) & Qt::ItemIsSelectable));
    QCOMPARE(model->index(0, SourceEnvironmentModel::ApplicationColumn).data().toString(), QStringLiteral("10.0.39"));
    QCOMPARE(wizard->sourceId(), QStringLiteral("contoso-prod"));
    const int prod = 1;
    QCOMPARE(model->index(prod, SourceEnvironmentModel::ApplicationColumn).data().toString(),
             QStringLiteral("10.0.40"));
    QVERIFY(model->index(prod, SourceEnvironmentModel::ApplicationColumn)
                .data(SourceEnvironmentModel::DiffersRole)
                .toBool());
    QVERIFY(model->index(prod, SourceEnvironmentModel::ComparisonColumn)
                .data()
                .toString()
                .contains(QStringLiteral("Differs: application")));
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->index(row, 0).data(SourceEnvironmentModel::IdRole).toString() != QStringLiteral("contoso-uat2"));
    // Choosing another source with a click.
    QVERIFY(chooseSource(wizard, QStringLiteral("contoso-uat")));
    QCOMPARE(wizard->sourceId(), QStringLiteral("contoso-uat"));
    QVERIFY(label(wizard, "sourceSummary").contains(QStringLiteral("Contoso UAT")));
    saveScreenshot(wizard, QStringLiteral("move-database-source"));
}

void TestMoveDatabase::blockedCheckSaysWhyAndWhatToDo()
{
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat2"));
    QVERIFY(wizard);
    QVERIFY(clickNext(wizard));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Checks));
    QTreeView* list = view(wizard, "checkList");
    QVERIFY(list);
    const QAbstractItemModel* model = list->model();
    QVERIFY(model->rowCount() >= 12);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->checksDone(), 60000);
    QVERIFY(wizard->isBlocked());
    QMap<QString, QString> status;
    for (int row = 0; row < model->rowCount(); ++row)
        status.insert(model->index(row, 0).data(PreflightCheckModel::IdRole).toString(),
                      model->index(row, 0).data(PreflightCheckModel::StatusRole).toString());
    QCOMPARE(status.value(QStringLiteral("application-release")), QStringLiteral("fail"));
    QCOMPARE(status.value(QStringLiteral("same-tenant")), QStringLiteral("pass"));
    // Every check has an icon and a sentence.
    for (int row = 0; row < model->rowCount(); ++row) {
        QVERIFY(!model->index(row, 0).data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(!model->index(row, 1).data().toString().isEmpty());
    }
    // Blocked: Next stays disabled, and the page says why and what to do.
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
    QTRY_VERIFY(label(wizard, "checksStatus").contains(QStringLiteral("blocked")));
    const QString advice = label(wizard, "checksAdvice");
    QVERIFY2(advice.contains(QStringLiteral("What to do")), qPrintable(advice));
    QVERIFY2(advice.contains(QStringLiteral("Update the target first")), qPrintable(advice));
    // The checks' words can be copied: Ctrl+C on the list gives every check's line.
    list->clearSelection();
    list->setFocus();
    QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains(QStringLiteral("Update the target first")) &&
                 copied.count(QLatin1Char('\n')) == model->rowCount() - 1,
             qPrintable(copied));
    saveScreenshot(wizard, QStringLiteral("move-database-blocked"));

    // Back to the source page, another source, and the checks run again.
    QTest::mouseClick(wizard->button(QWizard::BackButton), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Source));
    QVERIFY(chooseSource(wizard, QStringLiteral("fabrikam-uat")));
    QVERIFY(clickNext(wizard));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->checksDone(), 60000);
    QVERIFY(wizard->isBlocked());
    QVERIFY(label(wizard, "checksAdvice").contains(QStringLiteral("tenant")));
}

void TestMoveDatabase::reviewShowsLiveCountsAndRuleDetails()
{
    // What the CLI counts is what the console shows.
    const CliRun cli = runCli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                               QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--json"),
                               QStringLiteral("--catalog"), m_catalogFolder});
    QVERIFY2(cli.exitedWith(0), qPrintable(cli.describe()));
    QMap<QString, qint64> expected;
    for (const QJsonValue& v : cli.json().object().value(QStringLiteral("policy")).toArray())
        expected.insert(v[QStringLiteral("rule")].toString(), v[QStringLiteral("rows")].toInteger());
    QVERIFY(expected.size() >= 10);

    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    QVERIFY(clickNext(wizard));
    QVERIFY(clickNext(wizard));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->button(QWizard::NextButton)->isEnabled(), 60000);
    saveScreenshot(wizard, QStringLiteral("move-database-checks"));
    QVERIFY(clickNext(wizard)); // the checks pass (with warnings: recurring messages, unreviewed personal data)
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Review));
    QTreeView* list = view(wizard, "policyReviewList");
    QVERIFY(list && list->isVisible());
    const QAbstractItemModel* model = list->model();
    QCOMPARE(model->rowCount(), int(expected.size()));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->reviewModel()->allCounted(), 60000);
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString rule = model->index(row, 0).data(PolicyReviewModel::RuleIdRole).toString();
        QCOMPARE(model->index(row, PolicyReviewModel::RowsColumn).data(PolicyReviewModel::RowsRole).toLongLong(),
                 expected.value(rule, -99));
        QVERIFY(!model->index(row, PolicyReviewModel::ReasonColumn).data().toString().isEmpty());
        QVERIFY(!model->index(row, PolicyReviewModel::TablesColumn).data().toString().isEmpty());
    }
    QTRY_VERIFY(label(wizard, "policyCountSummary").startsWith(QStringLiteral("All ")));
    saveScreenshot(wizard, QStringLiteral("move-database-review"));

    // Open a rule: its tables with their rows, its columns.
    int emails = -1;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(PolicyReviewModel::RuleIdRole).toString() == QLatin1String("emails"))
            emails = row;
    }
    QVERIFY(emails >= 0);
    list->setFocus();
    list->setCurrentIndex(model->index(emails, 0));
    QTest::mouseClick(button(wizard, "ruleDetailsButton"), Qt::LeftButton);
    PolicyRuleDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = wizard->findChild<PolicyRuleDialog*>()) && dialog->isVisible());
    QCOMPARE(label(dialog, "ruleTitle"), QStringLiteral("Email addresses"));
    QVERIFY2(label(dialog, "ruleColumns").contains(QStringLiteral("LOCATOR")),
             qPrintable(label(dialog, "ruleColumns")));
    QVERIFY(label(dialog, "ruleColumns").contains(QStringLiteral("TYPE")));
    QVERIFY(label(dialog, "ruleReason").startsWith(QStringLiteral("Avoiding side effects")));
    auto* tables = dialog->findChild<QTreeWidget*>(QStringLiteral("ruleTables"));
    QVERIFY(tables);
    QCOMPARE(tables->topLevelItemCount(), 1);
    QCOMPARE(tables->topLevelItem(0)->text(0), QStringLiteral("LOGISTICSELECTRONICADDRESS"));
    QCOMPARE(tables->topLevelItem(0)->text(1), QLocale().toString(expected.value(QStringLiteral("emails"))));
    saveScreenshot(dialog, QStringLiteral("move-database-rule"));
    QPointer<PolicyRuleDialog> guard(dialog);
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(guard.isNull());
}

void TestMoveDatabase::acknowledgementsGateTheFinish()
{
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    for (int i = 0; i < 4; ++i)
        QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    QAbstractButton* finish = wizard->button(QWizard::FinishButton);
    QVERIFY(finish->isVisible());
    QCOMPARE(finish->text().remove(QLatin1Char('&')), QStringLiteral("Start refresh"));
    QVERIFY(!finish->isEnabled());
    QList<QCheckBox*> boxes;
    for (const char* name : {"ackReplaced", "ackOffline", "ackUsers", "ackBatch", "ackDocuments"})
        boxes << wizard->findChild<QCheckBox*>(QLatin1String(name));
    QVERIFY(boxes.at(0)->text().contains(QStringLiteral("Contoso UAT")));
    QVERIFY(boxes.at(2)->text().contains(QStringLiteral("Admin")));
    // Each statement must be ticked, and the name typed exactly.
    auto* confirm = wizard->findChild<QLineEdit*>(QStringLiteral("confirmName"));
    QTest::keyClicks(confirm, QStringLiteral("Contoso UAT"));
    QVERIFY(!finish->isEnabled());
    for (QCheckBox* box : boxes) {
        QVERIFY(!finish->isEnabled());
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Space);
    }
    QVERIFY(finish->isEnabled());
    QTest::keyClick(confirm, Qt::Key_Backspace);
    QVERIFY(!finish->isEnabled());
    QTest::keyClicks(confirm, QStringLiteral("T"));
    QVERIFY(finish->isEnabled());
    // The summary of what starts, with the policy's digest, copied in one click.
    const QString summary = wizard->findChild<QPlainTextEdit*>(QStringLiteral("refreshSummary"))->toPlainText();
    QVERIFY2(summary.startsWith(QStringLiteral("Refresh Contoso UAT (contoso-uat) from contoso-prod")) &&
                 summary.contains(QStringLiteral("SHA-256 ") + wizard->policySha256()) &&
                 summary.contains(QStringLiteral("Restore point: The refresh keeps contoso-uat's databases")) &&
                 summary.contains(QStringLiteral("Estimated duration: unknown (no earlier refresh of contoso-uat)")),
             qPrintable(summary));
    QCOMPARE(wizard->policySha256().size(), 64);
    QTest::mouseClick(button(wizard, "copySummaryButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), summary);
    saveScreenshot(wizard, QStringLiteral("move-database-acknowledgements"));
    QTest::mouseClick(wizard->button(QWizard::CancelButton), Qt::LeftButton);
    QCOMPARE(OperationStore(*m_window->catalog()).list().size(), 0);
}

void TestMoveDatabase::refreshRollbackThenSignOffASecondOne()
{
    QVERIFY(hasMarker(QStringLiteral("contoso-uat")));
    const qint64 id = runWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(id > 0);
    // The Operation tab shows it, live.
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("environmentTabs"));
    QVERIFY(tabs);
    QCOMPARE(tabs->currentIndex(), 1); // the Operation tab
    OperationSession* session = m_window->progressView()->session();
    QVERIFY(session && session->operationId() == id);
    QTreeView* steps = view(m_window->progressView(), "stepList");
    QVERIFY(steps && steps->isVisible());
    QCOMPARE(steps->model()->rowCount(), 10);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::Completed, 120000);
    QTRY_VERIFY(!session->isBusy());
    for (int row = 0; row < steps->model()->rowCount(); ++row) {
        const QString state = steps->model()->index(row, 0).data(RunbookStepModel::StateRole).toString();
        QVERIFY2(state == QLatin1String("Completed") || state == QLatin1String("Skipped"), qPrintable(state));
        QVERIFY(!steps->model()->index(row, RunbookStepModel::StartedColumn).data().toString().isEmpty());
        QVERIFY(!steps->model()->index(row, RunbookStepModel::DurationColumn).data().toString().isEmpty());
    }
    auto* overall = m_window->progressView()->findChild<QProgressBar*>(QStringLiteral("overallProgress"));
    QTRY_COMPARE(overall->value(), 100);
    QTreeView* log = view(m_window->progressView(), "runbookLogView");
    QVERIFY(log->model()->rowCount() > 5);
    // The live view shows the runbook log's own times (HH:mm:ss.zzz of the file's line),
    // not the moment each line reached the window.
    {
        QFile file(RunbookLog::pathFor(m_window->catalog()->folder(), id));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QStringList fileTimes;
        for (const QByteArray& line : file.readAll().split('\n')) {
            if (line.size() > 23)
                fileTimes << QString::fromUtf8(line.mid(11, 12));
        }
        QStringList liveTimes;
        for (int row = 0; row < session->log()->rowCount(); ++row)
            liveTimes << session->log()->index(row, RunbookLogModel::TimeColumn).data().toString();
        QVERIFY(!liveTimes.isEmpty());
        for (const QString& t : std::as_const(liveTimes))
            QVERIFY2(fileTimes.contains(t), qPrintable(t + QStringLiteral(" not among ") + fileTimes.join(QLatin1Char(' '))));
    }
    QVERIFY(!hasMarker(QStringLiteral("contoso-uat")));
    QTRY_COMPARE(environmentState(m_window.get(), QStringLiteral("contoso-uat")), QStringLiteral("Deployed"));
    saveScreenshot(m_window.get(), QStringLiteral("operation-progress"));

    // The buttons the state machine allows for a completed refresh.
    QWidget* view = m_window->progressView();
    QVERIFY(!button(view, "progressCancelButton")->isEnabled());
    QVERIFY(!button(view, "progressResumeButton")->isEnabled());
    QVERIFY(button(view, "progressRollbackButton")->isEnabled());
    QVERIFY(button(view, "progressSignOffButton")->isEnabled());
    QVERIFY(button(view, "progressDownloadLogsButton")->isEnabled());
    for (const char* name : {"progressCancelButton", "progressResumeButton", "progressRollbackButton"})
        QVERIFY2(!button(view, name)->toolTip().isEmpty(), name);

    // Declining the confirmation changes nothing.
    MessageBox::setNextAnswer(QMessageBox::No);
    QTest::mouseClick(button(view, "progressRollbackButton"), Qt::LeftButton);
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmRollbackBox"));
    QVERIFY2(MessageBox::lastQuestion().contains(QStringLiteral("put back")), qPrintable(MessageBox::lastQuestion()));
    QCOMPARE(operation(m_window.get(), id)->state, OperationState::Completed);
    // Rollback: the target is as it was.
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(button(view, "progressRollbackButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::RollbackCompleted, 60000);
    QTRY_VERIFY(!session->isBusy());
    QVERIFY(hasMarker(QStringLiteral("contoso-uat")));
    QTRY_VERIFY(!button(view, "progressRollbackButton")->isEnabled());
    QVERIFY(!button(view, "progressSignOffButton")->isEnabled());
    QTRY_VERIFY(label(view, "operationState").contains(QStringLiteral("Rollback completed")));
    // The history lists it with who, when and how long.
    QTreeView* history = m_window->findChild<QTreeView*>(QStringLiteral("historyTable"));
    QTRY_COMPARE(history->model()->index(0, OperationHistoryModel::StateColumn).data().toString(),
                 QStringLiteral("Rollback completed"));
    QVERIFY(!history->model()->index(0, OperationHistoryModel::ByColumn).data().toString().isEmpty());
    QVERIFY(!history->model()->index(0, OperationHistoryModel::DurationColumn).data().toString().isEmpty());

    // A second refresh, signed off from the history's buttons.
    const qint64 second = runWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(second > id);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), second)->state, OperationState::Completed, 120000);
    QTRY_VERIFY(!m_window->progressView()->session()->isBusy());
    tabs->setCurrentIndex(0);
    auto* details = m_window->findChild<QWidget*>(QStringLiteral("environmentDetails"));
    QTRY_COMPARE(history->model()->rowCount(), 2);
    history->setCurrentIndex(history->model()->index(0, 0));
    QCOMPARE(history->currentIndex().data(OperationHistoryModel::IdRole).toLongLong(), second);
    QTRY_VERIFY(button(details, "historySignOffButton")->isEnabled());
    QVERIFY(button(details, "historyRollbackButton")->isEnabled());
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(button(details, "historySignOffButton"), Qt::LeftButton);
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmSignOffBox"));
    QVERIFY(MessageBox::lastQuestion().contains(QStringLiteral("can no longer be rolled back")));
    // It says what it deletes, with its size, and never "the refresh database".
    QVERIFY2(MessageBox::lastQuestion().contains(QStringLiteral(" MB) is deleted")) &&
                 !MessageBox::lastQuestion().contains(QStringLiteral("the refresh database")),
             qPrintable(MessageBox::lastQuestion()));
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), second)->state, OperationState::SignedOff, 60000);
    QTRY_VERIFY(!button(details, "historyRollbackButton")->isEnabled());
    QVERIFY(!button(details, "historySignOffButton")->isEnabled());
    QVERIFY(!button(details, "historyCancelButton")->isEnabled());
    QVERIFY(button(details, "historyDownloadLogsButton")->isEnabled());
    // The first one can no longer be rolled back either way: it already was.
    history->setCurrentIndex(history->model()->index(1, 0));
    QTRY_VERIFY(!button(details, "historyRollbackButton")->isEnabled());
    QVERIFY(button(details, "historyRollbackButton")->toolTip().contains(QStringLiteral("rollback completed")));
}

void TestMoveDatabase::logsDownloadedAndSignOffFromTheHistory()
{
    const qint64 id = runWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::Completed, 120000);
    QTRY_VERIFY(!m_window->progressView()->session()->isBusy());

    // Download runbook logs: the save dialog answers, the zip is written.
    const QString zip = m_dir->filePath(QStringLiteral("runbook.zip"));
    FileDialog::setNextSaveFileName(zip);
    QTest::mouseClick(button(m_window->progressView(), "progressDownloadLogsButton"), Qt::LeftButton);
    QFile file(zip);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("PK"));
    QVERIFY(bytes.contains(QStringLiteral("operation-%1/runbook.log").arg(id).toUtf8()));
    QVERIFY(bytes.contains(QStringLiteral("operation-%1/operation.json").arg(id).toUtf8()));
    file.close();
    // And says so.
    QCOMPARE(m_window->statusBar()->currentMessage(),
             QStringLiteral("Saved the runbook logs of operation %1 to %2").arg(id).arg(QDir::toNativeSeparators(zip)));
    // A cancelled save dialog writes nothing.
    QFile::remove(zip);
    FileDialog::setNextSaveFileName(QString());
    QTest::mouseClick(button(m_window->progressView(), "progressDownloadLogsButton"), Qt::LeftButton);
    QVERIFY(!QFile::exists(zip));

    // The history's context menu holds the same actions as its buttons.
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("environmentTabs"));
    tabs->setCurrentIndex(0);
    QTreeView* history = m_window->findChild<QTreeView*>(QStringLiteral("historyTable"));
    QTRY_COMPARE(history->model()->rowCount(), 1);
    history->setCurrentIndex(history->model()->index(0, 0));
    auto* signOff = m_window->findChild<QAction*>(QStringLiteral("historySignOffAction"));
    QVERIFY(signOff);
    QTRY_VERIFY(signOff->isEnabled());
    bool inMenu = false;
    QTimer::singleShot(0, this, [&] {
        if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
            inMenu = menu->actions().contains(signOff);
            menu->close();
        }
    });
    Q_EMIT history->customContextMenuRequested(history->visualRect(history->model()->index(0, 0)).center());
    QVERIFY(inMenu);
    MessageBox::setNextAnswer(QMessageBox::Yes);
    signOff->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::SignedOff, 60000);
    QTRY_VERIFY(!signOff->isEnabled());
}

void TestMoveDatabase::crashCliRefresh(const QString& crashAt)
{
    m_window.reset(); // as if the console were not running; it starts again below
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DATAALM_TEST_CRASH_AT"), crashAt);
    cli.setProcessEnvironment(env);
    cli.start(QStringLiteral(DATAALM_CLI_PATH),
              {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
               QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
               QStringLiteral("--catalog"), m_catalogFolder});
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitStatus(), QProcess::CrashExit);
}

void TestMoveDatabase::interruptedOperationResumes()
{
    crashCliRefresh(QStringLiteral("step-5"));
    {
        auto catalog = openCatalog();
        const auto ops = OperationStore(*catalog).list();
        QCOMPARE(ops.size(), 1);
        QCOMPARE(ops.first().state, OperationState::InProgress); // its process died with it
    }
    newWindow();
    // At start, the console marks it interrupted and offers Resume and Rollback.
    const qint64 id = OperationStore(*m_window->catalog()).list().first().id;
    QCOMPARE(operation(m_window.get(), id)->state, OperationState::Failed);
    QVERIFY(operation(m_window.get(), id)->error.contains(QStringLiteral("interrupted")));
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    QTRY_COMPARE(environmentState(m_window.get(), QStringLiteral("contoso-uat")), QStringLiteral("Failed"));
    auto* details = m_window->findChild<QWidget*>(QStringLiteral("environmentDetails"));
    QTreeView* history = view(details, "historyTable");
    QTRY_COMPARE(history->model()->rowCount(), 1);
    history->setFocus();
    history->setCurrentIndex(history->model()->index(0, 0));
    QTest::keyClick(history, Qt::Key_Return); // View progress
    auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("environmentTabs"));
    QTRY_COMPARE(tabs->currentIndex(), 1); // the Operation tab
    QWidget* view = m_window->progressView();
    QTRY_VERIFY(button(view, "progressResumeButton")->isEnabled());
    QVERIFY(button(view, "progressRollbackButton")->isEnabled());
    QVERIFY(button(view, "progressCancelButton")->isEnabled()); // failed before the swap: abort is allowed
    QVERIFY(!button(view, "progressSignOffButton")->isEnabled());
    QVERIFY(label(view, "operationError").contains(QStringLiteral("interrupted")));
    saveScreenshot(m_window.get(), QStringLiteral("operation-interrupted"));

    QTest::mouseClick(button(view, "progressResumeButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::Completed, 120000);
    QVERIFY(!hasMarker(QStringLiteral("contoso-uat")));
    QTRY_COMPARE(environmentState(m_window.get(), QStringLiteral("contoso-uat")), QStringLiteral("Deployed"));
}

void TestMoveDatabase::interruptedOperationRollsBack()
{
    crashCliRefresh(QStringLiteral("step-9-done")); // the swap is done: the target changed
    QVERIFY(!hasMarker(QStringLiteral("contoso-uat")));
    newWindow();
    const qint64 id = OperationStore(*m_window->catalog()).list().first().id;
    m_window->showOperation(id);
    QWidget* view = m_window->progressView();
    QTRY_VERIFY(button(view, "progressRollbackButton")->isEnabled());
    QVERIFY(button(view, "progressResumeButton")->isEnabled());
    QVERIFY(!button(view, "progressCancelButton")->isEnabled()); // the target changed: roll back instead
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(button(view, "progressRollbackButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(operation(m_window.get(), id)->state, OperationState::RollbackCompleted, 60000);
    QVERIFY(hasMarker(QStringLiteral("contoso-uat")));
}

QTEST_MAIN(TestMoveDatabase)
#include "tst_movedatabase.moc"
