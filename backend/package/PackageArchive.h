#pragma once

#include "package/Package.h"

#include <QString>
#include <optional>

// Reads and validates a package zip (docs/ARCHITECTURE.md "Deployable packages") with libzip.
//
// Promises:
// - Writes nothing anywhere: it reads the archive into memory and validates it there.
// - Refuses, with a message that names the archive, the file and the rule broken:
//   a file that is not a zip or is truncated; entries whose name is absolute,
//   contains `..` or a backslash, or that are links or devices; encrypted entries;
//   duplicate names; no or an invalid manifest; a file the manifest does not list,
//   a listed file that is missing, or one whose SHA-256 differs; more than
//   MaxUncompressedBytes in all.
// - Zip bombs cost neither time nor memory: the sizes the central directory claims
//   are summed before anything is inflated, and each entry is read only up to the
//   size its header claims (headers can lie), so at most MaxUncompressedBytes are
//   ever inflated.
class PackageArchive
{
public:
    static constexpr qint64 MaxUncompressedBytes = 64LL * 1024 * 1024;
    static constexpr int MaxEntries = 10000;
    static constexpr qint64 MaxManifestBytes = 1024 * 1024;

    // The package in the file `path`.
    static std::optional<Package> read(const QString& path, QString* error);
    // The package in `zip`; `displayName` names it in messages.
    static std::optional<Package> fromBytes(const QByteArray& zip, const QString& displayName, QString* error);
};
