#pragma once

// Shared helpers of the Qt Test executables (linked into every test as `testsupport`).
//   CliRun / runCli()    run the real `dataalm` binary and capture exit code, stdout, stderr
//   TemporaryCatalog     a catalog opened in a fresh QTemporaryDir
//   ReadOnlyMount        a read-only tmpfs, for "not writable" tests as root
// and the free functions below.

#include "CliRun.h"
#include "ReadOnlyMount.h"
#include "TemporaryCatalog.h"

#include "environment/Environment.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace TestSupport {

// Creates the demo project in `catalogFolder` with the real binary:
// `dataalm demo --size-mb N --catalog DIR`. False with the CLI's message on failure.
bool createDemoCatalog(const QString& catalogFolder, int sizeMb, QString* error);

// The SHA-256 (hex) of a file's bytes; empty if it cannot be read.
QByteArray fileSha256(const QString& path);

// Every file and folder under `folder`, by relative path, with each file's SHA-256
// ("dir" for folders). Equal snapshots before and after = nothing created, removed
// or changed. A missing folder gives an empty map.
QMap<QString, QByteArray> folderSnapshot(const QString& folder);

// Runs `statements` on the SQLite file `path` (created if missing) through the
// sqlite3 C API, outside any QSqlDatabase connection: for building fixtures such
// as foreign databases or tampered catalogs.
bool execSqlite(const QString& path, const QStringList& statements, QString* error);

// An environment with every field set and two SQLite databases under `folder`
// (the files are not created): values in the style of the demo project of docs/ARCHITECTURE.md.
Environment sampleEnvironment(const QString& id, const QString& projectId,
                              EnvironmentType type = EnvironmentType::Sandbox, const QString& folder = {});

// The keys of a JSON object, sorted.
QStringList sortedKeys(const QJsonObject& object);

// The check `id` of a `dataalm preflight --json` run; empty if it has none.
QJsonObject preflightCheck(const CliRun& run, const QString& id);

} // namespace TestSupport
