#pragma once

#include "operation/OperationRecord.h"

#include <QString>

// Writes the runbook log archive of an operation (`dataalm logs ID --out FILE.zip`,
// "Download runbook logs"): a zip with the runbook log and the operation's JSON.
// Promise: the archive appears whole or not at all (written beside, then renamed).
namespace RunbookArchive {

bool write(const QString& catalogFolder, const OperationRecord& operation, const QString& zipPath, QString* error);

} // namespace RunbookArchive
