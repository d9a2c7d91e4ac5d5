#pragma once

#include "catalog/BackupStore.h"
#include "environment/Environment.h"

#include <optional>

class Catalog;
struct BackupManifest;

// Creating an Import database operation (kind `import`), as the CLI's `import` and the
// console both do it. An import is a refresh whose source is a backup of the asset
// library (RefreshJob runs it: staging, restore of the backup, policy, verify, swap,
// rollback and sign-off as a refresh): the backup was written with the data policy
// applied, so only the rules that belong to the target run (keep-target,
// reset-admin); only the transactional database is replaced.
//
// Promises: the backup is validated like a package before anything is written
// (BackupArchive::inspect), and refused with a sentence when it is from another
// engine, project or application release than the target; nothing is written when it
// is refused or the target has an unfinished operation.
class ImportRequest
{
public:
    // Why `manifest` cannot go into `target`, empty when it can.
    static QString refusal(const BackupManifest& manifest, const Environment& target);
    // The same from what the asset library records of a backup (the console's list).
    static QString refusal(const QString& engine, const QString& project, const QString& application,
                           const Environment& target);

    // Why the files of `manifest` are not what its engine's backup holds (transactional.db;
    // the files of one pg_dump directory under pgdump/), empty when they are.
    static QString layoutRefusal(const BackupManifest& manifest);

    // The SHA-256 (hex) of `manifest` as its JSON: what an import records when it is
    // created and holds the backup's manifest to at each step.
    static QString manifestDigest(const BackupManifest& manifest);

    static std::optional<qint64> create(Catalog& catalog, const BackupStore::Backup& backup, const Environment& target,
                                        QString* error, bool* refused = nullptr);
};
