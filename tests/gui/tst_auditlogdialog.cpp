// View > Audit log on a real catalog (a demo folder, one refresh run by the real CLI):
// the entries are read on a worker and shown newest first, the environment filter reads
// again, the search narrows what is shown, and Export CSV writes what is shown as the
// CLI's `audit --csv` would. Screenshots at 1366x768 and 1920x1080.
#include "AuditLogModel.h"
#include "CliRun.h"
#include "FileDialog.h"
#include "MainWindow.h"
#include "MoveDatabaseDriver.h"
#include "TestSupport.h"
#include "audit/AuditLogDialog.h"
#include "catalog/Catalog.h"
#include "logging/Logging.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

class TestAuditLogDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsFiltersAndExports();
};

void TestAuditLogDialog::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_auditlogdialog"));
}

void TestAuditLogDialog::showsFiltersAndExports()
{
    using namespace MoveDatabaseDriver;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(TestSupport::createDemoCatalog(folder, 2, &error), qPrintable(error));
    CliRun run = runCli({QStringLiteral("--catalog"), folder, QStringLiteral("refresh"), QStringLiteral("--source"),
                         QStringLiteral("contoso-prod"), QStringLiteral("--target"), QStringLiteral("contoso-uat"),
                         QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));

    for (const QSize& size : {QSize(1366, 768), QSize(1920, 1080)}) {
        auto catalog = std::make_unique<Catalog>();
        QVERIFY2(catalog->open(folder, &error), qPrintable(error));
        auto window = std::make_unique<MainWindow>(std::move(catalog));
        window->resize(size);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QAction* action = window->findChild<QAction*>(QStringLiteral("auditLogAction"));
        QVERIFY(action);
        QTRY_VERIFY(action->isEnabled());
        action->trigger();
        auto* dialog = window->findChild<AuditLogDialog*>(QStringLiteral("auditLogDialog"));
        QVERIFY(dialog);
        auto* view = dialog->findChild<QTreeView*>(QStringLiteral("auditView"));
        auto* environment = dialog->findChild<QComboBox*>(QStringLiteral("auditEnvironment"));
        auto* search = dialog->findChild<QLineEdit*>(QStringLiteral("auditSearch"));
        auto* exportButton = dialog->findChild<QPushButton*>(QStringLiteral("auditExport"));
        auto* summary = dialog->findChild<QLabel*>(QStringLiteral("auditSummary"));
        QVERIFY(view && environment && search && exportButton && summary);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->model()->rowCount() > 0, 30000);
        const int all = dialog->model()->rowCount();
        // Newest first: the refresh's end comes before its creation.
        QStringList actions;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            actions << view->model()->index(row, AuditLogModel::ActionColumn).data().toString();
        QVERIFY2(actions.indexOf(QStringLiteral("operation.state")) < actions.lastIndexOf(QStringLiteral("operation.create")),
                 qPrintable(actions.join(QLatin1Char(' '))));
        saveScreenshot(dialog, QStringLiteral("audit-log-%1").arg(size.width()));
        // Another environment: read again, without the refresh of contoso-uat.
        const int other = environment->findData(QStringLiteral("contoso-dev"));
        QVERIFY(other > 0);
        environment->setCurrentIndex(other);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->model()->rowCount() < all, 30000);
        environment->setCurrentIndex(environment->findData(QStringLiteral("contoso-uat")));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->model()->rowCount() > 0 && dialog->model()->rowCount() < all, 30000);
        // Words narrow what is shown; Export CSV writes those.
        QTest::keyClicks(search, QStringLiteral("operation.create"));
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QVERIFY2(summary->text().startsWith(QStringLiteral("1 of ")), qPrintable(summary->text()));
        const QString csv = dir.filePath(QStringLiteral("audit-%1.csv").arg(size.width()));
        FileDialog::setNextSaveFileName(csv);
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.value(0), QByteArray("id,at,who,role,host,action,subject,detail\r"));
        QVERIFY2(lines.value(1).contains(R"(,"operation.create","contoso-uat","refresh #1 from contoso-prod")"),
                 lines.value(1).constData());
        QVERIFY(lines.value(2).isEmpty());
        dialog->close();
    }
}

QTEST_MAIN(TestAuditLogDialog)
#include "tst_auditlogdialog.moc"
