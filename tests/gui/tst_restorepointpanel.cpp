// The Restore points panel of the Environment details page and the Point-in-time restore
// pages of Move database, in the real main window offscreen over a real demo catalog:
// Create restore point copies off the GUI thread and lists it; Restore… runs the wizard
// (restore point, checks, acknowledgements, no policy review for the environment's own
// data) and the restore puts the transactional database back; the restore point of
// the restore cannot be deleted while it can be rolled back to it (the rules' sentence
// as the tooltip); a manual one is deleted after a confirmation; production's restore
// point is offered to a sandbox, with the policy review.
#include "MoveDatabaseDriver.h"
#include "SqliteInspect.h"
#include "TestSupport.h"

#include "EnvironmentDetailsPage.h"
#include "RestorePointListModel.h"
#include "catalog/RestorePointStore.h"
#include "logging/Logging.h"
#include "restorepoint/RestorePointService.h"

#include <QPlainTextEdit>

#include <QMessageBox>
#include <QRadioButton>

using namespace MoveDatabaseDriver;
using namespace TestSupport;

class TestRestorePointPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void createRestoreThenDelete();
    void productionsRestorePointGoesIntoASandboxWithTheReview();

private:
    std::unique_ptr<Catalog> openCatalog() const;
    QString targetPath(const QString& environmentId) const;
    QList<RestorePoint> points(const QString& environmentId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_catalogFolder;
    std::unique_ptr<MainWindow> m_window;
};

void TestRestorePointPanel::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_restorepointpanel"));
}

std::unique_ptr<Catalog> TestRestorePointPanel::openCatalog() const
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(m_catalogFolder, &error))
        qWarning("cannot open the catalog %s: %s", qPrintable(m_catalogFolder), qPrintable(error));
    return catalog;
}

void TestRestorePointPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_catalogFolder = m_dir->filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(openCatalog());
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestRestorePointPanel::cleanup()
{
    if (m_window) {
        for (OperationSession* s : m_window->operations()->busySessions())
            QTRY_VERIFY_WITH_TIMEOUT(!s->isBusy(), 120000);
    }
    m_window.reset();
    m_dir.reset();
}

QString TestRestorePointPanel::targetPath(const QString& environmentId) const
{
    auto catalog = openCatalog();
    auto e = catalog->environment(environmentId);
    const DatabaseRef* db = e ? e->database(DatabaseRef::Transactional) : nullptr;
    return db ? db->path : QString();
}

QList<RestorePoint> TestRestorePointPanel::points(const QString& environmentId) const
{
    auto catalog = openCatalog();
    return RestorePointStore(*catalog).list(environmentId);
}

void TestRestorePointPanel::createRestoreThenDelete()
{
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    auto* details = m_window->findChild<EnvironmentDetailsPage*>(QStringLiteral("environmentDetails"));
    QVERIFY(details);
    QTreeView* table = view(details, "restorePointTable");
    QVERIFY(table && table->isVisible());
    QCOMPARE(table->model()->rowCount(), 0);
    QAbstractButton* create = button(details, "createRestorePointButton");
    QAbstractButton* restore = button(details, "restoreFromPointButton");
    QAbstractButton* remove = button(details, "deleteRestorePointButton");
    QVERIFY(create->isEnabled());
    QVERIFY(!restore->isEnabled());
    QVERIFY(!remove->isEnabled());

    // Created off the GUI thread; listed once whole.
    const auto atThePoint = SqliteInspect::digests(targetPath(QStringLiteral("contoso-uat")));
    QTest::mouseClick(create, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(points(QStringLiteral("contoso-uat")).size() == 1 &&
                                 points(QStringLiteral("contoso-uat")).first().state == RestorePoint::Available,
                             60000);
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QTRY_VERIFY(create->isEnabled());
    QTRY_VERIFY2(label(details, "restorePointStatus").startsWith(QStringLiteral("Restore point 1 of contoso-uat")),
                 qPrintable(label(details, "restorePointStatus")));
    // Listed as being created while it is, then as a manual restore point.
    QTRY_COMPARE(table->model()->index(0, RestorePointListModel::KindColumn).data().toString(), QStringLiteral("Manual"));
    QVERIFY(restore->isEnabled());
    QVERIFY(remove->isEnabled());
    saveScreenshot(m_window.get(), QStringLiteral("restore-points-panel"));

    // A mistake after the restore point.
    QString error;
    QVERIFY2(execSqlite(targetPath(QStringLiteral("contoso-uat")), {QStringLiteral("DELETE FROM CUSTTABLE")}, &error),
             qPrintable(error));

    // Restore…: the wizard starts at the restore point, checks, then the acknowledgements
    // (no review: it is the environment's own data).
    QTest::mouseClick(restore, Qt::LeftButton);
    auto* wizard = m_window->findChild<MoveDatabaseWizard*>(QStringLiteral("moveDatabaseWizard"));
    QVERIFY(wizard && QTest::qWaitForWindowExposed(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_RestorePoint));
    QVERIFY2(label(wizard, "restorePointSummary").contains(QStringLiteral("No data policy applies")),
             qPrintable(label(wizard, "restorePointSummary")));
    saveScreenshot(wizard, QStringLiteral("restore-point-page"));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Checks));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    QCOMPARE(wizard->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')), QStringLiteral("Start restore"));
    const QString summary = wizard->findChild<QPlainTextEdit*>(QStringLiteral("refreshSummary"))->toPlainText();
    QVERIFY2(summary.startsWith(QStringLiteral("Point-in-time restore of Contoso UAT (contoso-uat) to restore point 1")) &&
                 summary.contains(QStringLiteral("Policy: none")),
             qPrintable(summary));
    acknowledge(wizard, QStringLiteral("Contoso UAT"));
    saveScreenshot(wizard, QStringLiteral("restore-acknowledgements"));
    QVERIFY(wizard->button(QWizard::FinishButton)->isEnabled());
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), 1) &&
                                 operation(m_window.get(), 1)->state == OperationState::Completed,
                             60000);
    QCOMPARE(operation(m_window.get(), 1)->kind, QStringLiteral("restore"));
    QCOMPARE(SqliteInspect::digests(targetPath(QStringLiteral("contoso-uat"))), atThePoint);

    // What the restore replaced is listed; while the restore can be rolled back to it,
    // Delete says why not.
    QTRY_COMPARE(table->model()->rowCount(), 2);
    table->setCurrentIndex(table->model()->index(0, RestorePointListModel::TakenColumn));
    QCOMPARE(table->currentIndex().siblingAtColumn(RestorePointListModel::KindColumn).data().toString(),
             QStringLiteral("Operation 1"));
    QVERIFY(!remove->isEnabled());
    QVERIFY2(remove->toolTip().contains(QStringLiteral("can still be rolled back")), qPrintable(remove->toolTip()));

    // The manual one: deleted after a confirmation, off the GUI thread.
    table->setCurrentIndex(table->model()->index(1, RestorePointListModel::TakenColumn));
    // Enabled once no restore point task of the console runs (the sweep after an operation may).
    QTRY_VERIFY2(remove->isEnabled(), qPrintable(remove->toolTip()));
    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(QApplication::activeModalWidget());
        auto* confirm =
            QApplication::activeModalWidget()->findChild<QAbstractButton*>(QStringLiteral("confirmDeleteRestorePointButton"));
        QVERIFY(confirm);
        QTest::mouseClick(confirm, Qt::LeftButton);
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(points(QStringLiteral("contoso-uat")).size() == 1, 30000);
    QTRY_COMPARE(table->model()->rowCount(), 1);
}

void TestRestorePointPanel::productionsRestorePointGoesIntoASandboxWithTheReview()
{
    {
        auto catalog = openCatalog();
        const auto prod = catalog->environment(QStringLiteral("contoso-prod"));
        QString error;
        QVERIFY2(RestorePointService(*catalog).create(*prod, RestorePoint::Manual, {}, {}, &error), qPrintable(error));
    }
    MoveDatabaseWizard* wizard = openWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    auto* choice = wizard->findChild<QRadioButton*>(QStringLiteral("pointInTimeChoice"));
    QVERIFY(choice && choice->isEnabled());
    QTest::mouseClick(choice, Qt::LeftButton, {}, QPoint(8, choice->height() / 2));
    QVERIFY(choice->isChecked());
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_RestorePoint));
    QTreeView* list = view(wizard, "restorePointList");
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(list->model()->index(0, RestorePointListModel::EnvironmentColumn).data().toString(),
             QStringLiteral("contoso-prod"));
    QVERIFY2(label(wizard, "restorePointSummary").contains(QStringLiteral("data policy applied")),
             qPrintable(label(wizard, "restorePointSummary")));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Checks));
    QVERIFY(clickNext(wizard));
    // Production's data into a sandbox: the policy is reviewed, as for a refresh.
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Review));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    acknowledge(wizard, QStringLiteral("Contoso UAT"));
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), 1) &&
                                 operation(m_window.get(), 1)->state == OperationState::Completed,
                             60000);
    const OperationRecord op = *operation(m_window.get(), 1);
    QCOMPARE(op.source, QStringLiteral("contoso-prod"));
    QCOMPARE(stepStateName(op.steps.at(4).state), QStringLiteral("Completed")); // the policy ran
}

QTEST_MAIN(TestRestorePointPanel)
#include "tst_restorepointpanel.moc"
