#pragma once

#include "catalog/BackupStore.h"

#include <QObject>
#include <QString>

// Runs one BackupTransfer (a download or an upload) on the thread it is moved to
// (WorkerThread), for the console:
// a copy of gigabytes never runs on the GUI thread. finished() exactly once per run().
class BackupTransferWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(BackupTransferWorker)

public:
    // A download of `backup` to `destination`.
    BackupTransferWorker(const BackupStore::Backup& backup, const QString& destination);
    // An upload of `file` into the asset library of `projectId` (the catalog in
    // `catalogFolder`, opened on the worker's thread), under its default name.
    BackupTransferWorker(const QString& catalogFolder, const QString& projectId, const QString& file);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void finished(bool ok, const QString& message);

private:
    BackupStore::Backup m_backup;
    QString m_destination;
    // An upload: the catalog, its project and the file.
    QString m_catalogFolder;
    QString m_projectId;
    QString m_file;
};
