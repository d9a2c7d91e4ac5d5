#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

class Catalog;

// The database backups of a project's asset library ("Database backups", LCS's name):
// one row per backup zip in `<catalog>/assets/<project>/backups/`. A row is written only
// once its file is whole (BackupArchive::write renames it into place first), so every
// row names a file that was complete when it was recorded.
class BackupStore
{
public:
    struct Backup
    {
        QString projectId;
        QString name; // "contoso-uat-20261202-084012", unique in the project
        QString file; // absolute path of the zip
        QString sha256;
        qint64 bytes = 0;
        QString sourceEnvironment;
        QString engine;
        QString application;
        QDateTime created;
        QString who;
        qint64 operationId = 0; // the export that wrote it; 0 for an upload
    };

    explicit BackupStore(Catalog& catalog);

    // The folder of `projectId`'s backups.
    QString folderFor(const QString& projectId) const;
    bool add(const Backup& backup, QString* error);
    bool remove(const QString& projectId, const QString& name);
    std::optional<Backup> get(const QString& projectId, const QString& name) const;
    std::optional<Backup> ofOperation(qint64 operationId) const;
    // Newest first; every project's when `projectId` is empty.
    QList<Backup> list(const QString& projectId = {}) const;

private:
    Catalog& m_catalog;
};
