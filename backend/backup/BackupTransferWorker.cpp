#include "backup/BackupTransferWorker.h"

#include "backup/BackupTransfer.h"
#include "catalog/Catalog.h"

BackupTransferWorker::BackupTransferWorker(const BackupStore::Backup& backup, const QString& destination)
    : m_backup(backup), m_destination(destination)
{
}

BackupTransferWorker::BackupTransferWorker(const QString& catalogFolder, const QString& projectId, const QString& file)
    : m_catalogFolder(catalogFolder), m_projectId(projectId), m_file(file)
{
}

void BackupTransferWorker::run()
{
    QString error;
    if (!m_file.isEmpty()) {
        Catalog catalog;
        std::optional<BackupStore::Backup> added;
        if (catalog.open(m_catalogFolder, &error))
            added = BackupTransfer::upload(catalog, m_projectId, m_file, BackupTransfer::defaultName(m_file), &error);
        Q_EMIT finished(bool(added), added ? tr("Uploaded %1 as %2.").arg(m_file, added->name) : error);
        return;
    }
    const bool ok = BackupTransfer::download(m_backup, m_destination, &error);
    Q_EMIT finished(ok, ok ? tr("Downloaded %1 to %2.").arg(m_backup.name, m_destination) : error);
}
