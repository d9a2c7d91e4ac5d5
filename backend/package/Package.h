#pragma once

#include "package/PackageManifest.h"

#include <QByteArray>
#include <QMap>
#include <QString>

// A package that passed PackageArchive's validation, held in memory: its manifest,
// the bytes of every file the manifest lists (each matching its SHA-256), and the
// archive's own bytes and digest. A value type, safe to copy between threads.
struct Package
{
    PackageManifest manifest;
    QMap<QString, QByteArray> files; // every file but manifest.json
    QByteArray archive;              // the zip as read
    QString sha256;                  // of `archive`, lower-case hex

    qint64 size() const { return archive.size(); }
    // The statements of `step` for `driver` ("sqlite", "postgres"), as UTF-8.
    QByteArray script(const PackageManifest::Step& step, const QString& driver) const
    {
        return files.value(step.fileFor(driver));
    }
};
