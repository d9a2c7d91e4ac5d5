#pragma once

#include "operation/OperationRecord.h"

#include <QString>

class Catalog;

// Writes the runbook log archive of an operation (`dataalm logs ID --out FILE.zip`,
// "Download runbook logs"): a zip with the runbook log, the operation's JSON, the data
// policy it applied (policy.json) and its evidence pack (evidence.json, evidence.txt:
// EvidencePack).
// Promises: the archive appears whole or not at all (written beside, then renamed);
// only a new or a regular file is written (never a FIFO, a device, a folder or a
// symbolic link, which are refused with nothing written).
namespace RunbookArchive {

// The runbook log is read as RunbookLineStore::logOf gives it (on a team catalog, every
// machine's lines).
bool write(Catalog& catalog, const OperationRecord& operation, const QString& zipPath, QString* error);

} // namespace RunbookArchive
