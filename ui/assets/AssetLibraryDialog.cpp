#include "AssetLibraryDialog.h"

#include "FileDialog.h"
#include "GridView.h"
#include "MessageBox.h"
#include "package/PackageImportWorker.h"
#include "PackageListModel.h"
#include "BackupListModel.h"
#include "backup/BackupTransferWorker.h"
#include "catalog/BackupStore.h"
#include "SharedLibraryDialog.h"
#include "catalog/Catalog.h"
#include "package/AssetLibrary.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>

AssetLibraryDialog::AssetLibraryDialog(Catalog* catalog, const QString& projectId, QWidget* parent)
    : QDialog(parent), m_catalog(catalog), m_projectId(projectId), m_model(new PackageListModel(this)),
      m_backupModel(new BackupListModel(this))
{
    setObjectName(QStringLiteral("assetLibrary"));
    setWindowTitle(tr("Asset Library — %1").arg(projectId));

    m_heading = new QLabel(this);
    QFont headingFont = m_heading->font();
    headingFont.setWeight(QFont::DemiBold);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    auto* intro = new QLabel(tr("Software deployable packages of the project: apply them to an environment with "
                                "Maintain > Apply updates."),
                             this);
    intro->setWordWrap(true);

    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("packageList"));
    m_view->setModel(m_model);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setPlaceholderText(tr("No packages yet. Import one from the shared library, or upload a package zip."));
    QHeaderView* header = m_view->header();
    // Every column as wide as its text; the prerequisites take what is left.
    header->setStretchLastSection(true);
    for (int c = PackageListModel::NameColumn; c < PackageListModel::PrerequisitesColumn; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_sharedButton = new QPushButton(tr("Import from &Shared Library…"), this);
    m_sharedButton->setObjectName(QStringLiteral("importSharedButton"));
    m_sharedButton->setToolTip(tr("Copy a built-in package (such as the Environment reprovisioning tool) into the "
                                  "project's asset library"));
    connect(m_sharedButton, &QPushButton::clicked, this, &AssetLibraryDialog::importFromShared);
    m_uploadButton = new QPushButton(tr("&Upload a Zip…"), this);
    m_uploadButton->setObjectName(QStringLiteral("uploadZipButton"));
    m_uploadButton->setToolTip(tr("Validate a package zip (its manifest, every file's SHA-256) and add it"));
    connect(m_uploadButton, &QPushButton::clicked, this, &AssetLibraryDialog::uploadZip);

    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("importBusy"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->hide();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("importStatus"));
    m_status->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_sharedButton);
    actions->addWidget(m_uploadButton);
    actions->addStretch(1);

    auto* footer = new QHBoxLayout;
    footer->addWidget(m_busy);
    footer->addWidget(m_status, 1);
    footer->addWidget(buttons);

    // Database backups (Export database writes them; Import database reads them).
    auto* backupsHeading = new QLabel(tr("Database backups"), this);
    backupsHeading->setFont(headingFont);
    m_backupView = new GridView(this);
    m_backupView->setObjectName(QStringLiteral("backupLibraryList"));
    m_backupView->setModel(m_backupModel);
    m_backupView->setTextElideMode(Qt::ElideRight);
    m_backupView->setHeightInRows(2, 6);
    m_backupView->setPlaceholderText(tr("No database backups yet. Maintain > Move database > Export to the asset "
                                        "library writes one."));
    m_backupView->header()->setStretchLastSection(false);
    m_backupView->header()->setSectionResizeMode(BackupListModel::NameColumn, QHeaderView::Stretch);
    m_downloadButton = new QPushButton(tr("&Download…"), this);
    m_downloadButton->setObjectName(QStringLiteral("downloadBackupButton"));
    m_downloadButton->setToolTip(tr("Save the selected backup as a file (checked against its SHA-256)"));
    connect(m_downloadButton, &QPushButton::clicked, this, &AssetLibraryDialog::downloadBackup);
    connect(m_backupView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { m_downloadButton->setEnabled(m_backupView->currentIndex().isValid() && !isImporting()); });
    m_uploadBackupButton = new QPushButton(tr("&Upload…"), this);
    m_uploadBackupButton->setObjectName(QStringLiteral("uploadBackupButton"));
    m_uploadBackupButton->setToolTip(tr("Add a backup file (an export of this project) to the library; it is checked "
                                        "like a package before it is added"));
    connect(m_uploadBackupButton, &QPushButton::clicked, this, &AssetLibraryDialog::uploadBackup);
    auto* backupActions = new QHBoxLayout;
    backupActions->addWidget(backupsHeading);
    backupActions->addStretch(1);
    backupActions->addWidget(m_uploadBackupButton);
    backupActions->addWidget(m_downloadButton);

    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    layout->addWidget(m_heading);
    layout->addWidget(intro);
    layout->addLayout(actions);
    layout->addWidget(m_view, 1);
    layout->addLayout(backupActions);
    layout->addWidget(m_backupView);
    layout->addLayout(footer);
    resize(1040, 560);
    reload();
}

AssetLibraryDialog::~AssetLibraryDialog()
{
    // An import cannot be interrupted halfway (the library writes whole files only):
    // m_worker lets it end.
}

void AssetLibraryDialog::reload()
{
    m_model->setPackages(m_catalog ? AssetLibrary(*m_catalog).list(m_projectId) : QList<PackageAsset>());
    m_heading->setText(tr("Asset library (%1)").arg(m_model->rowCount()));
    m_backupModel->setBackups(m_catalog ? BackupStore(*m_catalog).list(m_projectId) : QList<BackupStore::Backup>());
    for (int c = BackupListModel::SourceColumn; c < BackupListModel::ColumnCount; ++c)
        m_backupView->resizeColumnToContents(c);
    if (m_backupModel->rowCount() > 0 && !m_backupView->currentIndex().isValid())
        m_backupView->setCurrentIndex(m_backupModel->index(0, 0));
    m_downloadButton->setEnabled(m_backupView->currentIndex().isValid() && !isImporting());
    for (int c = PackageListModel::NameColumn; c < PackageListModel::PrerequisitesColumn; ++c)
        m_view->resizeColumnToContents(c);
}

void AssetLibraryDialog::importFromShared()
{
    if (!m_catalog || isImporting())
        return;
    auto* dialog = new SharedLibraryDialog(m_catalog->folder(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (auto p = dialog->selected())
            startImport(p->path, p->title());
    });
    dialog->open();
}

void AssetLibraryDialog::uploadZip()
{
    if (!m_catalog || isImporting())
        return;
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString file = FileDialog::getOpenFileName(this, tr("Upload a Package Zip"), folder,
                                                     tr("Package zips (*.zip);;All files (*)"));
    if (file.isEmpty())
        return;
    startImport(QFileInfo(file).absoluteFilePath(), QFileInfo(file).fileName());
}

void AssetLibraryDialog::startImport(const QString& zipPath, const QString& what)
{
    if (!m_catalog || isImporting())
        return;
    auto* worker = new PackageImportWorker(m_catalog->location(), m_projectId, zipPath);
    connect(worker, &PackageImportWorker::finished, this, &AssetLibraryDialog::importFinished);
    m_importing = what;
    setBusy(tr("Validating and importing %1…").arg(what));
    m_worker.start(worker, QStringLiteral("package-import"), &PackageImportWorker::finished);
}

void AssetLibraryDialog::setBusy(const QString& what)
{
    const bool busy = !what.isEmpty();
    m_busy->setVisible(busy);
    m_sharedButton->setEnabled(!busy);
    m_uploadButton->setEnabled(!busy);
    m_status->setText(what);
}

void AssetLibraryDialog::importFinished(bool ok, const QString& title, const QString& sha256, const QString& error)
{
    m_worker.release(); // it deletes itself once its loop has ended
    setBusy({});
    if (!ok) {
        m_status->setText(tr("%1 was not imported.").arg(m_importing));
        MessageBox::notify(this, QMessageBox::Warning, tr("Asset Library"),
                           tr("%1 could not be imported into the asset library of %2.").arg(m_importing, m_projectId),
                           error, QStringLiteral("importErrorBox"));
        return;
    }
    reload();
    const int row = m_model->rowOf(sha256);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
    m_status->setText(tr("Imported %1.").arg(title));
    Q_EMIT imported(sha256);
}

void AssetLibraryDialog::uploadBackup()
{
    if (!m_catalog || isImporting())
        return;
    const QString path = FileDialog::getOpenFileName(this, tr("Upload database backup"),
                                                     QStandardPaths::writableLocation(QStandardPaths::DownloadLocation),
                                                     tr("Database backups (*.zip)"));
    if (path.isEmpty())
        return;
    auto* worker = new BackupTransferWorker(m_catalog->location(), m_projectId, path);
    connect(worker, &BackupTransferWorker::finished, this, [this](bool ok, const QString& message) {
        setBusy(QString());
        m_status->setText(message);
        m_uploadBackupButton->setEnabled(true);
        reload();
        if (!ok)
            MessageBox::notify(this, QMessageBox::Warning, tr("Upload database backup"),
                               tr("The backup was not added to the asset library."), message,
                               QStringLiteral("uploadErrorBox"));
    });
    setBusy(tr("Checking and copying %1…").arg(QFileInfo(path).fileName()));
    m_uploadBackupButton->setEnabled(false);
    m_worker.start(worker, QStringLiteral("backup-upload"), &BackupTransferWorker::finished);
}

void AssetLibraryDialog::downloadBackup()
{
    const BackupStore::Backup* b = m_backupModel->backupAt(m_backupView->currentIndex().row());
    if (!b || isImporting())
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    const QString path = FileDialog::getSaveFileName(this, tr("Download database backup"),
                                                     QDir(folder).filePath(b->name + QStringLiteral(".zip")),
                                                     tr("Database backups (*.zip)"));
    if (path.isEmpty())
        return;
    auto* worker = new BackupTransferWorker(*b, path);
    connect(worker, &BackupTransferWorker::finished, this, [this](bool ok, const QString& message) {
        setBusy(QString());
        m_status->setText(message);
        m_downloadButton->setEnabled(m_backupView->currentIndex().isValid());
        if (!ok)
            MessageBox::notify(this, QMessageBox::Warning, tr("Download database backup"),
                               tr("The backup was not downloaded."), message, QStringLiteral("downloadErrorBox"));
    });
    setBusy(tr("Downloading %1…").arg(b->name));
    m_downloadButton->setEnabled(false);
    m_worker.start(worker, QStringLiteral("backup-download"), &BackupTransferWorker::finished);
}
