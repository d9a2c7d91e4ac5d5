#pragma once

#include "backup/BackupManifest.h"

#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <functional>
#include <optional>

// The zip file of a database backup (libzip): manifest.json and the payload files it
// lists, each with its size and SHA-256.
//
// Promises:
// - write() never leaves a partial file under the backup's name: it writes
//   `<path>.part`, syncs it and renames it; on any failure (a full disk, a cancel) the
//   part file is removed.
// - inspect() validates like a package is validated (zip-slip, links and devices,
//   encryption, duplicates, a manifest that lists exactly the entries with their
//   sizes) from the central directory alone: nothing is inflated or written.
// - extract() streams one entry into a new file, refusing more bytes than the manifest
//   lists (a bomb stops there) and a SHA-256 other than the manifest's; a refused or
//   cut-short file is removed.
class BackupArchive
{
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;
    using Cancelled = std::function<bool()>;

    // `files`: (name in the archive, path on disk). The manifest's `files` are filled in
    // here, with the digests in `knownSha256` (by name) where given, else read from the file.
    // Entries are stored, not deflated: the export runs at the disk's speed (a database's
    // pages would deflate at a fraction of it); compress the file for a transfer.
    static bool write(const QString& path, BackupManifest manifest, const QList<QPair<QString, QString>>& files,
                      const Progress& progress, const Cancelled& cancelled, QString* error,
                      BackupManifest* written = nullptr, const QMap<QString, QString>& knownSha256 = {});
    static std::optional<BackupManifest> inspect(const QString& path, QString* error);
    static bool extract(const QString& path, const BackupManifest& manifest, const QString& name,
                        const QString& destination, const Progress& progress, const Cancelled& cancelled,
                        QString* error);
    // The SHA-256 (hex) of the file at `path`, streamed; empty with `error` on a read error.
    static QString sha256Of(const QString& path, QString* error, const Cancelled& cancelled = {});
};
