#pragma once

#include "package/PackageAsset.h"

#include <QList>
#include <QString>
#include <optional>

class Catalog;
struct Package;

// A project's asset library (LCS's "Asset library > Software deployable packages"):
// package zips stored as <catalog>/assets/<project>/<sha256>.zip and listed in the
// catalog's `assets` table.
//
// Promises:
// - import*() validates the package first (PackageArchive) and refuses an invalid
//   one having written nothing at all: no folder, no file, no catalog row.
// - A project holds one package of a given name and version; a second import of it
//   is refused with a message, whatever its bytes.
// - The zip is written to a temporary file beside its final name, synced and renamed,
//   before the catalog row is added: a listed package always has its whole file.
// - The stored bytes are exactly the bytes that were validated.
class AssetLibrary
{
public:
    enum class Refusal
    {
        None,
        InvalidPackage,
        Duplicate,
        UnknownProject,
        WriteFailed,
        InUse,
        NotFound
    };

    explicit AssetLibrary(Catalog& catalog);

    static QString folderFor(const QString& catalogFolder, const QString& projectId);

    // Newest first; every project's when `projectId` is empty.
    QList<PackageAsset> list(const QString& projectId = {}) const;
    // `what`: a package name (any case; the latest version when there are several),
    // "name@version", or at least 8 leading hex digits of its SHA-256.
    std::optional<PackageAsset> find(const QString& projectId, const QString& what, QString* error) const;

    std::optional<PackageAsset> importFile(const QString& projectId, const QString& path, QString* error,
                                           Refusal* refusal = nullptr);
    std::optional<PackageAsset> importBytes(const QString& projectId, const QByteArray& zip, const QString& displayName,
                                            QString* error, Refusal* refusal = nullptr);
    // Deletes a package that no unfinished operation uses.
    bool remove(const QString& projectId, const QString& sha256, QString* error, Refusal* refusal = nullptr);

private:
    std::optional<PackageAsset> store(const QString& projectId, const Package& package, QString* error, Refusal& why);

    Catalog& m_catalog;
};
