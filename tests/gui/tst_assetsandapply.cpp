// The asset library and Maintain > Apply updates in the console, on a real 2 MB demo
// catalog: a built-in package imported from the shared library and listed; an invalid
// zip's whole error shown; a 64 MiB zip bomb validated off the GUI thread; the
// application update applied to contoso-uat through the wizard and the live progress
// view (versions become 10.0.41 in the details page); the failing customization, a
// removal refused while it is unfinished, then Rollback; the reprovisioning tool in one
// click after a refresh, from Maintain and from the refresh's follow-ups (the progress
// view's button and the history's context menu). Driven like a user does: objectNames, clicks, QTRY_* waits,
// dialogs answered through MessageBox::setNextAnswer and FileDialog::setNextOpenFileName.
#include "MoveDatabaseDriver.h"
#include "TestSupport.h"
#include "catalog/OperationStore.h"
#include "ZipFixture.h"

#include "EnvironmentDetailsPage.h"
#include "FileDialog.h"
#include "GridView.h"
#include "MessageBox.h"
#include "OperationHistoryModel.h"
#include "PackageListModel.h"
#include "ProjectActions.h"
#include "apply/ApplyUpdatesWizard.h"
#include "assets/AssetLibraryDialog.h"
#include "CliRun.h"
#include "assets/SharedLibraryDialog.h"
#include "logging/Logging.h"
#include "package/AssetLibrary.h"
#include "package/SharedLibrary.h"
#include "operations/OperationsWindow.h"
#include "progress/OperationActions.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QComboBox>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QGroupBox>
#include <QJsonArray>
#include <QMenu>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTimer>

using namespace TestSupport;
using namespace MoveDatabaseDriver;

class TestAssetsAndApply : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void importSharedPackageIsListed();
    void invalidZipShowsTheWholeError();
    void zipBombDoesNotFreezeTheWindow();
    void databaseBackupIsDownloaded();
    void applyApplicationUpdate();
    void applyRequestedForAWindow();
    void failingCustomizationThenRollback();
    void reprovisioningToolAfterRefresh();
    void reprovisioningToolFromTheFollowUps();

private:
    void newWindow();
    AssetLibraryDialog* openAssetLibrary();
    void importShared(const QString& name);
    qint64 runApplyWizard(const QString& targetId, const QString& packageName);
    QMessageBox* waitForBox(const QString& objectName);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_catalogFolder;
    std::unique_ptr<MainWindow> m_window;
};

void TestAssetsAndApply::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_assetsandapply"));
}

void TestAssetsAndApply::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_catalogFolder = m_dir->filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
    newWindow();
}

void TestAssetsAndApply::newWindow()
{
    m_window.reset();
    auto catalog = std::make_unique<Catalog>();
    QString error;
    QVERIFY2(catalog->open(m_catalogFolder, &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(std::move(catalog));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestAssetsAndApply::cleanup()
{
    if (m_window) {
        for (OperationSession* s : m_window->operations()->busySessions())
            QTRY_VERIFY_WITH_TIMEOUT(!s->isBusy(), 120000);
    }
    m_window.reset();
    m_dir.reset();
}

QMessageBox* TestAssetsAndApply::waitForBox(const QString& objectName)
{
    QMessageBox* box = nullptr;
    QElapsedTimer t;
    t.start();
    while (!box && t.elapsed() < 60000) {
        for (QWidget* w : QApplication::topLevelWidgets()) {
            if (w->objectName() == objectName && w->isVisible())
                box = qobject_cast<QMessageBox*>(w);
        }
        if (!box)
            box = m_window->findChild<QMessageBox*>(objectName);
        if (!box)
            QTest::qWait(20);
    }
    return box;
}

AssetLibraryDialog* TestAssetsAndApply::openAssetLibrary()
{
    auto* action = m_window->findChild<QAction*>(QStringLiteral("assetLibraryAction"));
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    auto* dialog = m_window->findChild<AssetLibraryDialog*>(QStringLiteral("assetLibrary"));
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

void TestAssetsAndApply::importShared(const QString& name)
{
    AssetLibraryDialog* library = openAssetLibrary();
    QVERIFY(library);
    const int before = library->model()->rowCount();
    QAbstractButton* shared = button(library, "importSharedButton");
    QVERIFY(shared && shared->isEnabled());
    QTest::mouseClick(shared, Qt::LeftButton);
    auto* chooser = library->findChild<SharedLibraryDialog*>(QStringLiteral("sharedLibraryDialog"));
    QVERIFY(chooser);
    QVERIFY(QTest::qWaitForWindowExposed(chooser));
    QVERIFY(view(chooser, "sharedPackageList")->model()->rowCount() == 3);
    QVERIFY2(chooser->select(name), qPrintable(name));
    QTRY_VERIFY(!label(chooser, "sharedPackageDescription").isEmpty());
    QAbstractButton* import = button(chooser, "importSelectedButton");
    QVERIFY(import && import->isEnabled());
    QTest::mouseClick(import, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(library->model()->rowCount(), before + 1, 30000);
    QTRY_VERIFY(!library->isImporting());
}

void TestAssetsAndApply::importSharedPackageIsListed()
{
    AssetLibraryDialog* library = openAssetLibrary();
    QVERIFY(library);
    QCOMPARE(library->model()->rowCount(), 0);
    QVERIFY(!library->findChild<GridView*>(QStringLiteral("packageList"))->placeholderText().isEmpty());
    importShared(QStringLiteral("Application update"));
    PackageListModel* model = library->model();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, PackageListModel::NameColumn).data().toString(), QStringLiteral("Application update"));
    QCOMPARE(model->index(0, PackageListModel::VersionColumn).data().toString(), QStringLiteral("10.0.41"));
    QCOMPARE(model->index(0, PackageListModel::TypeColumn).data().toString(), QStringLiteral("Application update"));
    QVERIFY2(model->index(0, PackageListModel::ImportedColumn).data().toString().contains(QStringLiteral(" by ")),
             qPrintable(model->index(0, PackageListModel::ImportedColumn).data().toString()));
    QVERIFY2(label(library, "importStatus").contains(QStringLiteral("Imported Application update 10.0.41")),
             qPrintable(label(library, "importStatus")));
    // The catalog holds it: the CLI sees the same package.
    QCOMPARE(AssetLibrary(*m_window->catalog()).list(QStringLiteral("contoso")).size(), 1);
    importShared(SharedLibrary::ReprovisioningTool);
    QCOMPARE(model->rowCount(), 2);
    saveScreenshot(library, QStringLiteral("asset-library"));
}

void TestAssetsAndApply::invalidZipShowsTheWholeError()
{
    AssetLibraryDialog* library = openAssetLibrary();
    QVERIFY(library);
    // A manifest whose step names a file the package lacks.
    QJsonObject manifest = ZipFixture::sampleManifest();
    QJsonArray steps = manifest.value(QStringLiteral("steps")).toArray();
    QJsonObject step = steps.at(0).toObject();
    step.insert(QStringLiteral("sql"), QStringLiteral("scripts/missing.sql"));
    steps.replace(0, step);
    manifest.insert(QStringLiteral("steps"), steps);
    QString error;
    const QByteArray zip = ZipFixture::build(ZipFixture::packageEntries(manifest, ZipFixture::sampleFiles()), &error);
    QVERIFY2(!zip.isEmpty(), qPrintable(error));
    const QString path = m_dir->filePath(QStringLiteral("broken-package.zip"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(zip) == zip.size());
    f.close();

    FileDialog::setNextOpenFileName(path);
    QTest::mouseClick(button(library, "uploadZipButton"), Qt::LeftButton);
    QMessageBox* box = waitForBox(QStringLiteral("importErrorBox"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(QStringLiteral("broken-package.zip")), qPrintable(box->text()));
    const QString why = box->informativeText();
    QVERIFY2(why.contains(QStringLiteral("scripts/missing.sql")), qPrintable(why));
    qInfo("error shown: %s", qPrintable(why));
    box->close();
    QCOMPARE(library->model()->rowCount(), 0);
    QVERIFY(label(library, "importStatus").contains(QStringLiteral("was not imported")));
}

void TestAssetsAndApply::zipBombDoesNotFreezeTheWindow()
{
    AssetLibraryDialog* library = openAssetLibrary();
    QVERIFY(library);
    // 60 MiB of zeros deflated to a few dozen kilobytes, listed with its true SHA-256: the
    // validation has to inflate and hash all of it (just under the 64 MiB limit).
    const qint64 zeros = qint64(60) << 20;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QByteArray chunk(1 << 20, '\0');
    for (qint64 done = 0; done < zeros; done += chunk.size())
        hash.addData(chunk);
    QJsonObject manifest = ZipFixture::sampleManifest();
    QJsonObject sha = manifest.value(QStringLiteral("sha256")).toObject();
    const QMap<QString, QByteArray> files = ZipFixture::sampleFiles();
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        sha.insert(it.key(),
                   QString::fromLatin1(QCryptographicHash::hash(it.value(), QCryptographicHash::Sha256).toHex()));
    sha.insert(QStringLiteral("data/zeros.bin"), QString::fromLatin1(hash.result().toHex()));
    manifest.insert(QStringLiteral("sha256"), sha);
    QList<ZipFixture::Entry> entries = ZipFixture::packageEntries(manifest, files);
    entries.append({QStringLiteral("data/zeros.bin"), {}, 0100644, zeros});
    QString error;
    const QByteArray zip = ZipFixture::build(entries, &error);
    QVERIFY2(!zip.isEmpty(), qPrintable(error));
    const QString path = m_dir->filePath(QStringLiteral("bomb.zip"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(zip) == zip.size());
    f.close();

    // The GUI thread's clock: its longest gap while the zip is validated.
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longest = 0;
    QTimer tick;
    tick.setInterval(10);
    connect(&tick, &QTimer::timeout, this, [&] {
        longest = std::max(longest, clock.elapsed() - last);
        last = clock.elapsed();
    });
    clock.start();
    tick.start();
    FileDialog::setNextOpenFileName(path);
    QTest::mouseClick(button(library, "uploadZipButton"), Qt::LeftButton);
    QVERIFY(library->isImporting());
    QVERIFY(!button(library, "uploadZipButton")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!library->isImporting(), 120000);
    tick.stop();
    qInfo("validation of a %lld-byte zip inflating to 60 MiB: %lld ms; longest GUI-thread gap %lld ms",
          qint64(zip.size()), clock.elapsed(), longest);
    QVERIFY2(longest < 500, qPrintable(QString::number(longest)));
    QVERIFY2(label(library, "importStatus").startsWith(QStringLiteral("Imported")),
             qPrintable(label(library, "importStatus")));
    QCOMPARE(library->model()->rowCount(), 1);
    QVERIFY(button(library, "uploadZipButton")->isEnabled());
}

qint64 TestAssetsAndApply::runApplyWizard(const QString& targetId, const QString& packageName)
{
    if (!selectByKeyboard(m_window.get(), targetId))
        return 0;
    auto* action = m_window->findChild<QAction*>(QStringLiteral("applyUpdatesAction"));
    if (!action || !action->isEnabled())
        return 0;
    action->trigger();
    auto* wizard = m_window->findChild<ApplyUpdatesWizard*>(QStringLiteral("applyUpdatesWizard"));
    if (!wizard || !QTest::qWaitForWindowExposed(wizard))
        return 0;
    QTreeView* list = view(wizard, "applyPackageList");
    int row = -1;
    for (int r = 0; r < list->model()->rowCount(); ++r) {
        if (list->model()->index(r, 0).data().toString() == packageName)
            row = r;
    }
    if (row < 0)
        return 0;
    const QModelIndex index = list->model()->index(row, 0);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    if (!clickNext(wizard, 2000))
        return 0;
    auto* confirm = wizard->findChild<QCheckBox*>(QStringLiteral("confirmApplyCheck"));
    QAbstractButton* finish = wizard->button(QWizard::FinishButton);
    if (!confirm || finish->isEnabled()) // the confirmation gates Apply
        return 0;
    QTest::mouseClick(confirm, Qt::LeftButton, {}, QPoint(8, confirm->height() / 2));
    if (!finish->isEnabled())
        return 0;
    QTest::mouseClick(finish, Qt::LeftButton);
    OperationSession* session = m_window->progressView()->session();
    return session && session->record().kind == QLatin1String("apply") ? session->operationId() : 0;
}

void TestAssetsAndApply::databaseBackupIsDownloaded()
{
    // A backup exported by the CLI is listed under Database backups and downloaded on a
    // worker: the file is the library's, byte for byte, and an existing file is refused.
    const CliRun exported = runCli({QStringLiteral("--catalog"), m_catalogFolder, QStringLiteral("export"),
                                    QStringLiteral("--source"), QStringLiteral("contoso-uat")});
    QVERIFY2(exported.exitedWith(0), qPrintable(exported.describe()));
    AssetLibraryDialog* library = openAssetLibrary();
    QVERIFY(library);
    QTreeView* list = library->findChild<QTreeView*>(QStringLiteral("backupLibraryList"));
    QVERIFY(list);
    QCOMPARE(list->model()->rowCount(), 1);
    auto* download = library->findChild<QPushButton*>(QStringLiteral("downloadBackupButton"));
    QVERIFY(download && download->isEnabled());
    saveScreenshot(library, QStringLiteral("asset-library-backups"));
    const QString name = list->model()->index(0, 0).data().toString();
    const QString source = m_catalogFolder + QStringLiteral("/assets/contoso/backups/") + name + QStringLiteral(".zip");
    const QString target = m_dir->filePath(QStringLiteral("downloaded.zip"));
    FileDialog::setNextSaveFileName(target);
    QTest::mouseClick(download, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(target) && download->isEnabled(), 30000);
    QFile a(source);
    QFile b(target);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(b.readAll(), QCryptographicHash::Sha256),
             QCryptographicHash::hash(a.readAll(), QCryptographicHash::Sha256));
    QVERIFY(!QFileInfo::exists(target + QStringLiteral(".part")));
    // Again, onto the same file: refused, with the reason.
    FileDialog::setNextSaveFileName(target);
    QTest::mouseClick(download, Qt::LeftButton);
    QMessageBox* box = waitForBox(QStringLiteral("downloadErrorBox"));
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(QStringLiteral("exists already")) ||
                 box->detailedText().contains(QStringLiteral("exists already")) ||
                 box->text().contains(QStringLiteral("exists already")),
             qPrintable(box->text() + box->informativeText()));
    box->close();
    // Uploaded back under its file's name: checked on a worker, then listed beside the original.
    FileDialog::setNextOpenFileName(target);
    QTest::mouseClick(button(library, "uploadBackupButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, 30000);
    QTRY_VERIFY(label(library, "importStatus").startsWith(QStringLiteral("Uploaded")));
    bool found = false;
    for (int r = 0; r < 2; ++r)
        found = found || list->model()->index(r, 0).data().toString() == QLatin1String("downloaded");
    QVERIFY(found);
    // The same name again: refused with words, nothing added.
    FileDialog::setNextOpenFileName(target);
    QTest::mouseClick(button(library, "uploadBackupButton"), Qt::LeftButton);
    QMessageBox* refused = waitForBox(QStringLiteral("uploadErrorBox"));
    QVERIFY(refused);
    refused->close();
    QCOMPARE(list->model()->rowCount(), 2);
}

void TestAssetsAndApply::applyRequestedForAWindow()
{
    importShared(QStringLiteral("Application update"));
    m_window->findChild<AssetLibraryDialog*>(QStringLiteral("assetLibrary"))->close();
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    auto* action = m_window->findChild<QAction*>(QStringLiteral("applyUpdatesAction"));
    QTRY_VERIFY(action->isEnabled());
    action->trigger();
    auto* wizard = m_window->findChild<ApplyUpdatesWizard*>(QStringLiteral("applyUpdatesWizard"));
    QVERIFY(wizard && QTest::qWaitForWindowExposed(wizard));
    QTreeView* list = view(wizard, "applyPackageList");
    for (int r = 0; r < list->model()->rowCount(); ++r) {
        if (list->model()->index(r, 0).data().toString() == QLatin1String("Application update"))
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(list->model()->index(r, 0)).center());
    }
    QVERIFY(clickNext(wizard, 2000));
    QCOMPARE(wizard->currentId(), int(ApplyUpdatesWizard::Page_Confirm));
    // Apply now, or Request for a window: both behind the same confirmation.
    QAbstractButton* next = wizard->button(QWizard::NextButton);
    QCOMPARE(next->text().remove(QLatin1Char('&')), QStringLiteral("Request for a window >"));
    auto* confirm = wizard->findChild<QCheckBox*>(QStringLiteral("confirmApplyCheck"));
    QVERIFY(!next->isEnabled());
    QTest::mouseClick(confirm, Qt::LeftButton, {}, QPoint(8, confirm->height() / 2));
    QVERIFY(next->isEnabled() && wizard->button(QWizard::FinishButton)->isEnabled());
    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(ApplyUpdatesWizard::Page_RequestWindow));
    QTRY_VERIFY_WITH_TIMEOUT(wizard->button(QWizard::FinishButton)->isEnabled(), 30000);
    QCOMPARE(wizard->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')), QStringLiteral("Request"));
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    // A Scheduled apply, shown; nothing ran.
    Catalog catalog;
    QString error;
    QVERIFY(catalog.open(m_catalogFolder, &error));
    QTRY_COMPARE_WITH_TIMEOUT(OperationStore(catalog).scheduled().size(), qsizetype(1), 30000);
    const OperationRecord r = OperationStore(catalog).scheduled().first();
    QCOMPARE(r.kind, QStringLiteral("apply"));
    QVERIFY(!r.started.isValid());
    QTRY_COMPARE(m_window->progressView()->session()->operationId(), r.id);
}

void TestAssetsAndApply::applyApplicationUpdate()
{
    importShared(QStringLiteral("Application update"));
    m_window->findChild<AssetLibraryDialog*>(QStringLiteral("assetLibrary"))->close();

    // contoso-uat2 runs 10.0.39: the update is listed with the reason and cannot be chosen.
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat2")));
    auto* action = m_window->findChild<QAction*>(QStringLiteral("applyUpdatesAction"));
    QTRY_VERIFY(action->isEnabled());
    action->trigger();
    auto* wizard = m_window->findChild<ApplyUpdatesWizard*>(QStringLiteral("applyUpdatesWizard"));
    QVERIFY(wizard);
    QVERIFY(QTest::qWaitForWindowExposed(wizard));
    QTreeView* list = view(wizard, "applyPackageList");
    QCOMPARE(list->model()->rowCount(), 1);
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
    const QString why = label(wizard, "packageSummary");
    QVERIFY2(why.contains(QStringLiteral("requires application release 10.0.40")), qPrintable(why));
    QVERIFY2(label(wizard, "targetVersions").contains(QStringLiteral("10.0.39")),
             qPrintable(label(wizard, "targetVersions")));
    wizard->reject();
    QTRY_VERIFY(!m_window->findChild<ApplyUpdatesWizard*>(QStringLiteral("applyUpdatesWizard")));

    const qint64 id = runApplyWizard(QStringLiteral("contoso-uat"), QStringLiteral("Application update"));
    QVERIFY(id > 0);
    OperationSession* session = m_window->progressView()->session();
    QCOMPARE(session->operationId(), id);
    QCOMPARE(m_window->findChild<QTabWidget*>(QStringLiteral("environmentTabs"))->currentIndex(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(session->record().state == OperationState::Completed, 60000);
    QTRY_VERIFY(!session->isBusy());
    // Every step of the package's runbook, done.
    QVERIFY(session->record().steps.size() >= 6);
    for (const StepRecord& s : session->record().steps)
        QCOMPARE(stepStateName(s.state), QStringLiteral("Completed"));
    saveScreenshot(m_window.get(), QStringLiteral("apply-progress"));

    // The versions, in the catalog and on the details page.
    QCOMPARE(m_window->catalog()->environment(QStringLiteral("contoso-uat"))->versions.application,
             QStringLiteral("10.0.41"));
    QTRY_COMPARE(label(m_window.get(), "applicationValue"), QStringLiteral("10.0.41"));
    // Sign off from the progress view's buttons (an apply keeps a restore point until then).
    QAction* signOff = m_window->progressView()->actions()->action(OperationAvailability::SignOff);
    QTRY_VERIFY(signOff->isEnabled());
    MessageBox::setNextAnswer(QMessageBox::Yes);
    signOff->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), id)->state == OperationState::SignedOff, 30000);
    // Its runbook logs download.
    const QString zip = m_dir->filePath(QStringLiteral("apply-logs.zip"));
    FileDialog::setNextSaveFileName(zip);
    QAction* download = m_window->progressView()->actions()->action(OperationAvailability::DownloadLogs);
    QVERIFY(download->isEnabled());
    download->trigger();
    QVERIFY(QFileInfo(zip).size() > 0);
}

void TestAssetsAndApply::failingCustomizationThenRollback()
{
    importShared(QStringLiteral("Contoso credit limit rules"));
    m_window->findChild<AssetLibraryDialog*>(QStringLiteral("assetLibrary"))->close();
    const QByteArray before = fileSha256(
        m_window->catalog()->environment(QStringLiteral("contoso-uat"))->database(DatabaseRef::Transactional)->path);
    const qint64 id = runApplyWizard(QStringLiteral("contoso-uat"), QStringLiteral("Contoso credit limit rules"));
    QVERIFY(id > 0);
    OperationSession* session = m_window->progressView()->session();
    QTRY_VERIFY_WITH_TIMEOUT(session->record().state == OperationState::Failed, 60000);
    QTRY_VERIFY(!session->isBusy());
    QMessageBox* result = waitForBox(QStringLiteral("operationResultBox"));
    QVERIFY(result);
    QVERIFY2(result->informativeText().contains(QStringLiteral("negative credit limit")),
             qPrintable(result->informativeText()));
    result->close();

    // Unfinished: the environment cannot be removed.
    auto* remove = m_window->findChild<QAction*>(QStringLiteral("removeEnvironmentAction"));
    QVERIFY(remove->isEnabled());
    remove->trigger();
    QMessageBox* refused = waitForBox(QStringLiteral("removeRefusedBox"));
    QVERIFY(refused);
    QVERIFY2(refused->informativeText().contains(QString::number(id)), qPrintable(refused->informativeText()));
    refused->close();
    QVERIFY(m_window->catalog()->environment(QStringLiteral("contoso-uat")));

    // Resume, Rollback and Abort are offered on the failed apply.
    OperationActions* actions = m_window->progressView()->actions();
    QTRY_VERIFY(actions->action(OperationAvailability::Rollback)->isEnabled());
    QVERIFY(actions->action(OperationAvailability::Resume)->isEnabled());
    QVERIFY(actions->action(OperationAvailability::Cancel)->isEnabled());
    MessageBox::setNextAnswer(QMessageBox::Yes);
    actions->action(OperationAvailability::Rollback)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), id)->state == OperationState::RollbackCompleted, 60000);
    QTRY_VERIFY(!session->isBusy());
    QCOMPARE(fileSha256(m_window->catalog()
                            ->environment(QStringLiteral("contoso-uat"))
                            ->database(DatabaseRef::Transactional)
                            ->path),
             before);
    QTRY_COMPARE(label(m_window.get(), "applicationValue"), QStringLiteral("10.0.40"));
}

void TestAssetsAndApply::reprovisioningToolAfterRefresh()
{
    auto* reprovision = m_window->findChild<QAction*>(QStringLiteral("reprovisionAction"));
    QVERIFY(reprovision);
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    QTRY_VERIFY(!reprovision->isEnabled());
    QVERIFY2(reprovision->toolTip().contains(QStringLiteral("not been refreshed")), qPrintable(reprovision->toolTip()));
    const qint64 refresh = runWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(refresh > 0);
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), refresh)->state == OperationState::Completed, 120000);
    QTRY_VERIFY(reprovision->isEnabled());
    // Environment details say where the sandbox's data came from and what it keeps.
    auto* details = m_window->findChild<EnvironmentDetailsPage*>(QStringLiteral("environmentDetails"));
    QTRY_VERIFY2(label(details, "lastRefreshValue").startsWith(QStringLiteral("From contoso-prod on ")),
                 qPrintable(label(details, "lastRefreshValue")));
    QVERIFY2(label(details, "restorePointsValue")
                 .startsWith(QStringLiteral("contoso-uat keeps the restore point of operation %1 (Refresh database, ")
                                 .arg(refresh)),
             qPrintable(label(details, "restorePointsValue")));
    QVERIFY2(label(details, "restorePointsValue").contains(QStringLiteral(" MB until it is signed off")),
             qPrintable(label(details, "restorePointsValue")));
    // Asked first, as the Apply updates wizard asks: "Cancel" starts nothing.
    QVERIFY(AssetLibrary(*m_window->catalog()).list(QStringLiteral("contoso")).isEmpty());
    const int operationsBefore = int(OperationStore(*m_window->catalog()).list(QStringLiteral("contoso-uat")).size());
    MessageBox::setNextAnswer(QMessageBox::Cancel);
    reprovision->trigger();
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmReprovisionBox"));
    QVERIFY2(MessageBox::lastQuestion().contains(QStringLiteral("restore point")) &&
                 MessageBox::lastQuestion().contains(QStringLiteral("keeps the restore point of operation %1")
                                                         .arg(refresh)),
             qPrintable(MessageBox::lastQuestion()));
    QCOMPARE(int(OperationStore(*m_window->catalog()).list(QStringLiteral("contoso-uat")).size()), operationsBefore);
    // "Apply": imported from the shared library (the project's library is empty), then applied.
    MessageBox::setNextAnswer(QMessageBox::Yes);
    reprovision->trigger();
    OperationSession* session = m_window->progressView()->session();
    QVERIFY(session && session->record().kind == QLatin1String("apply"));
    QVERIFY(session->operationId() != refresh);
    QTRY_VERIFY_WITH_TIMEOUT(session->record().state == OperationState::Completed, 60000);
    QCOMPARE(AssetLibrary(*m_window->catalog()).list(QStringLiteral("contoso")).size(), 1);
    // The newest operation is now the apply: the action says why it is not offered again.
    QTRY_VERIFY(!reprovision->isEnabled());

    // View > Operations lists both, across environments, with filters; activating one shows it.
    auto* operationsAction = m_window->findChild<QAction*>(QStringLiteral("operationsAction"));
    QVERIFY(operationsAction);
    operationsAction->trigger();
    auto* operations = m_window->findChild<OperationsWindow*>(QStringLiteral("operationsWindow"));
    QVERIFY(operations && operations->isVisible());
    QTreeView* table = view(operations, "operationsTable");
    QTRY_COMPARE(table->model()->rowCount(), 2); // read off the GUI thread
    QCOMPARE(label(operations, "operationsCount"), QStringLiteral("2 of 2 operations"));
    saveScreenshot(operations, QStringLiteral("operations"));
    auto* kind = operations->findChild<QComboBox*>(QStringLiteral("operationsKindFilter"));
    kind->setCurrentIndex(kind->findData(QStringLiteral("apply")));
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, OperationHistoryModel::TargetColumn).data().toString(),
             QStringLiteral("contoso-uat"));
    QCOMPARE(label(operations, "operationsCount"), QStringLiteral("1 of 2 operations"));
    const qint64 apply = table->model()->index(0, 0).data(OperationHistoryModel::IdRole).toLongLong();
    kind->setCurrentIndex(0);
    auto* search = operations->findChild<QLineEdit*>(QStringLiteral("operationsSearch"));
    search->setText(QStringLiteral("contoso-prod"));
    QCOMPARE(table->model()->rowCount(), 1); // the refresh, from contoso-prod
    QCOMPARE(table->model()->index(0, 0).data(OperationHistoryModel::IdRole).toLongLong(), refresh);
    search->clear();
    const QModelIndexList found = table->model()->match(table->model()->index(0, 0), OperationHistoryModel::IdRole,
                                                        apply, 1, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    Q_EMIT table->activated(found.first());
    QCOMPARE(m_window->progressView()->session()->operationId(), apply);
    operations->close();
}

void TestAssetsAndApply::reprovisioningToolFromTheFollowUps()
{
    const qint64 refresh = runWizard(m_window.get(), QStringLiteral("contoso-uat"));
    QVERIFY(refresh > 0);
    OperationProgressView* progress = m_window->progressView();
    auto* box = progress->findChild<QGroupBox*>(QStringLiteral("followUpsBox"));
    QVERIFY(box);
    QVERIFY(!box->isVisible()); // not while the refresh runs
    const QSize windowSize = m_window->size();
    QTRY_VERIFY_WITH_TIMEOUT(operation(m_window.get(), refresh)->state == OperationState::Completed, 120000);
    QCOMPARE(progress->session()->operationId(), refresh);

    // The follow-ups of a Commerce refresh, with the tool in one click; the window keeps its size.
    QTRY_VERIFY(box->isVisible());
    QCoreApplication::processEvents();
    QCOMPARE(m_window->size(), windowSize);
    const QString tasks = label(progress, "followUpList");
    QVERIFY2(tasks.contains(QStringLiteral("Reactivate the POS devices")), qPrintable(tasks));
    QVERIFY2(tasks.contains(QStringLiteral("Commerce Scale Units")), qPrintable(tasks));
    QAbstractButton* reprovision = button(progress, "reprovisionButton");
    QVERIFY(reprovision);
    QTRY_VERIFY(reprovision->isEnabled());
    QVERIFY2(reprovision->toolTip().contains(QStringLiteral("shared library")), qPrintable(reprovision->toolTip()));
    // Laid out whole: every task and the button at their full size (nothing clipped).
    auto* list = progress->findChild<QLabel*>(QStringLiteral("followUpList"));
    QTRY_VERIFY(list->height() >= list->sizeHint().height() && list->width() >= list->sizeHint().width());
    QVERIFY(reprovision->width() >= reprovision->sizeHint().width());
    saveScreenshot(m_window.get(), QStringLiteral("follow-ups"));

    // The history's context menu offers the same for the refresh.
    auto* details = m_window->findChild<EnvironmentDetailsPage*>(QStringLiteral("environmentDetails"));
    QVERIFY(details && details->selectOperation(refresh));
    QAction* historyReprovision = details->reprovisionAction();
    QVERIFY(historyReprovision->isVisible() && historyReprovision->isEnabled());
    QTreeView* history = view(details, "historyTable");
    bool inMenu = false;
    QTimer::singleShot(0, this, [&] {
        if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
            inMenu = menu->actions().contains(historyReprovision);
            menu->close();
        }
    });
    const QModelIndex row = history->model()->index(0, 0);
    QCOMPARE(row.data(OperationHistoryModel::IdRole).toLongLong(), refresh);
    Q_EMIT history->customContextMenuRequested(history->visualRect(row).center());
    QVERIFY(inMenu);

    // Confirmed, then imported from the shared library, applied, its progress shown.
    QVERIFY(AssetLibrary(*m_window->catalog()).list(QStringLiteral("contoso")).isEmpty());
    MessageBox::setNextAnswer(QMessageBox::Yes);
    QTest::mouseClick(reprovision, Qt::LeftButton);
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmReprovisionBox"));
    OperationSession* session = progress->session();
    QVERIFY(session && session->record().kind == QLatin1String("apply"));
    QVERIFY(session->operationId() > refresh);
    QVERIFY(!box->isVisible()); // an apply has no follow-ups
    QTRY_VERIFY_WITH_TIMEOUT(session->record().state == OperationState::Completed, 60000);
    QTRY_VERIFY(!session->isBusy());
    const qint64 apply = session->operationId();
    const auto assets = AssetLibrary(*m_window->catalog()).list(QStringLiteral("contoso"));
    QCOMPARE(assets.size(), 1);
    QCOMPARE(assets.constFirst().name, SharedLibrary::ReprovisioningTool);

    // Back on the refresh: the tool ran after it, so the button says so and waits.
    m_window->showOperation(refresh);
    QCOMPARE(progress->session()->operationId(), refresh);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(!reprovision->isEnabled());
    QVERIFY2(reprovision->toolTip().contains(QStringLiteral("already ran")) &&
                 reprovision->toolTip().contains(QString::number(apply)),
             qPrintable(reprovision->toolTip()));
    QCOMPARE(label(progress, "reprovisionNote"), reprovision->toolTip());
    saveScreenshot(m_window.get(), QStringLiteral("follow-ups-applied"));
    QVERIFY(details->selectOperation(refresh));
    QVERIFY(historyReprovision->isVisible() && !historyReprovision->isEnabled());
    QCOMPARE(historyReprovision->toolTip(), reprovision->toolTip());
}

QTEST_MAIN(TestAssetsAndApply)
#include "tst_assetsandapply.moc"
