#pragma once

#include "catalog/BackupStore.h"

#include <QString>
#include <optional>

class Catalog;

// Moving database backups in and out of a project's asset library, for the CLI
// (`backup download|upload`) and the console (BackupTransferWorker) alike.
//
// Promises: a download never leaves a partial file under the chosen name (it is copied
// as `.part`, checked against the library's SHA-256, then renamed) and never replaces an
// existing file; an upload is validated (BackupArchive::inspect, the project) before it
// is copied, copied as `.part`, validated again, renamed, and only then recorded.
namespace BackupTransfer {

enum class Refusal
{
    None,
    Invalid,  // not a valid backup, or one of another project
    Exists,   // the destination or the name is taken
    Failed,   // a read or write failed
};

bool download(const BackupStore::Backup& backup, const QString& destination, QString* error,
              Refusal* refusal = nullptr);
std::optional<BackupStore::Backup> upload(Catalog& catalog, const QString& projectId, const QString& file,
                                          const QString& name, QString* error, Refusal* refusal = nullptr);
// The name an upload of `file` takes by default: its base name.
QString defaultName(const QString& file);
bool isValidName(const QString& name);

} // namespace BackupTransfer
