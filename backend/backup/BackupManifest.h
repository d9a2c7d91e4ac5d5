#pragma once

#include "environment/Environment.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

// The manifest.json of a database backup (Export database): what the backup holds and
// where it came from, so that an import can refuse what does not fit before it writes
// anything. Any other key is refused.
//
//   { "format": 1, "kind": "database-backup", "project": "contoso",
//     "sourceEnvironment": "contoso-uat", "engine": "sqlite",
//     "versions": {"application": "10.0.40", ...}, "created": "2026-12-02T08:40:00.000Z",
//     "policy": {"sha256": "<hex>"}, "tables": {"CUSTTABLE": 48, ...},
//     "files": [{"name": "transactional.db", "bytes": 1114112, "sha256": "<hex>"}] }
//
// `engine` "sqlite": one file, transactional.db (the sanitized database);
// "postgres": the files of a pg_dump directory under pgdump/.
struct BackupManifest
{
    static constexpr int Format = 1;
    static constexpr qint64 MaxBytes = 1024 * 1024;

    struct File
    {
        QString name;
        qint64 bytes = 0;
        QString sha256;
    };

    QString project;
    QString sourceEnvironment;
    QString engine; // DatabaseRef::Sqlite or DatabaseRef::Postgres
    EnvironmentVersions versions;
    QDateTime created;
    QString policySha256;
    QJsonObject tables; // table -> rows, counted in the staging copy after the policy
    QList<File> files;

    qint64 payloadBytes() const;
    const File* file(const QString& name) const;
    QByteArray toJson() const;
    static std::optional<BackupManifest> fromJson(const QByteArray& json, QString* error);
};
