#pragma once

#include "engine/DatabaseEngine.h"

// Takes the restore point of an apply: a copy of the target database beside it, at
// the engine's restorePointFor(), that DatabaseEngine::restore() puts back by a
// rename.
//
// Promises: the target stays online; the copy is written under a temporary name and
// renamed, so the restore point's name never holds a partial copy. For SQLite the
// copy is a byte copy of the checkpointed file taken under a read lock that keeps
// any checkpoint from writing to it meanwhile, so a rollback gives back the very
// same bytes (a backup-API copy would renumber the schema cookie and the change
// counter). Other engines take their copySnapshot().
namespace RestorePoint {

bool create(DatabaseEngine& engine, const DatabaseRef& target, const DatabaseRef& restorePoint,
            const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled, QString* error);
// The temporary name the copy is written under.
QString partPath(const DatabaseRef& restorePoint);

} // namespace RestorePoint
