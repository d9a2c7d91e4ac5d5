#pragma once

#include "core/WorkerThread.h"

#include <QDialog>
#include <QPointer>
#include <QThread>

class Catalog;
class GridView;
class PackageListModel;
class BackupListModel;
class QLabel;
class QProgressBar;
class QPushButton;

// LCS's Asset library for one project: its deployable packages (name, type,
// version, size, imported when and by whom), importing a built-in package from the
// shared library, and uploading a package zip; and its database backups (Export
// database), each downloadable.
//
// Promises: every import (validation included) runs on a worker thread
// (PackageImportWorker), so a large or hostile zip never freezes the window; one
// import at a time. A refused import shows the whole message, which names the file
// and the rule broken. The list is read from the catalog of the window's thread.
class AssetLibraryDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(AssetLibraryDialog)

public:
    AssetLibraryDialog(Catalog* catalog, const QString& projectId, QWidget* parent = nullptr);
    ~AssetLibraryDialog() override;

    PackageListModel* model() const { return m_model; }
    BackupListModel* backupModel() const { return m_backupModel; }
    bool isImporting() const { return m_worker.isRunning(); }

public Q_SLOTS:
    // Re-reads the project's packages from the catalog.
    void reload();
    // Opens the shared library to choose a built-in package to import.
    void importFromShared();
    // Chooses a zip and imports it.
    void uploadZip();
    // Imports `zipPath` on a worker thread; `what` names it in the messages.
    void startImport(const QString& zipPath, const QString& what);
    // Chooses where to save the selected database backup and copies it there on a worker
    // thread (BackupTransfer::download: checked against its SHA-256, never half-written).
    void downloadBackup();
    // Upload…: a backup file chosen by the user into the asset library, validated like a
    // package, on a worker thread.
    void uploadBackup();

Q_SIGNALS:
    // A package was imported (the main window re-reads what depends on it).
    void imported(const QString& sha256);

private:
    void importFinished(bool ok, const QString& title, const QString& sha256, const QString& error);
    void setBusy(const QString& what);

    Catalog* m_catalog;
    class QPushButton* m_uploadBackupButton = nullptr;
    QString m_projectId;
    PackageListModel* m_model;
    GridView* m_view = nullptr;
    QLabel* m_heading = nullptr;
    QLabel* m_status = nullptr;
    QProgressBar* m_busy = nullptr;
    QPushButton* m_sharedButton = nullptr;
    QPushButton* m_uploadButton = nullptr;
    BackupListModel* m_backupModel = nullptr;
    GridView* m_backupView = nullptr;
    QPushButton* m_downloadButton = nullptr;
    WorkerThread m_worker;
    QString m_importing;
};
