#include "backup/BackupTransferWorker.h"

#include "backup/BackupTransfer.h"

BackupTransferWorker::BackupTransferWorker(const BackupStore::Backup& backup, const QString& destination)
    : m_backup(backup), m_destination(destination)
{
}

void BackupTransferWorker::run()
{
    QString error;
    const bool ok = BackupTransfer::download(m_backup, m_destination, &error);
    Q_EMIT finished(ok, ok ? tr("Downloaded %1 to %2.").arg(m_backup.name, m_destination) : error);
}
