#pragma once

#include "environment/DatabaseRef.h"
#include "environment/PitrSource.h"

#include <QDateTime>
#include <QStringList>
#include <functional>
#include <optional>

class Catalog;
struct Environment;

// pgBackRest, the engine of true point-in-time restore: what DataALM asks of a stanza
// (its restorable window; a seal that archives the WAL up to now), each command run as
// the source's operating system user when this process runs as root. No WAL is handled
// here: pgBackRest restores and PostgreSQL replays (PitrInstance).
namespace PgBackRest {

using Cancelled = std::function<bool()>;

struct Result
{
    bool started = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool ok() const { return started && exitCode == 0; }
    // pgBackRest's and PostgreSQL's own words: the last lines of stderr (else stdout).
    QString message() const;
};

// Runs `program args` (a full path, or found on PATH) as `osUser` through runuser when this
// process is root and `osUser` is set, else as this process.
Result run(const QString& osUser, const QString& program, const QStringList& arguments, int timeoutMs = 600000,
           const Cancelled& cancelled = {});
// --config (when set) and --stanza.
QStringList stanzaArguments(const PitrSource& source);

// The instants a restore can reach: from just after the oldest backup's end to now (the
// seal archives the WAL up to the chosen instant before the restore).
struct Window
{
    QDateTime earliest;
    QDateTime latest;
};
std::optional<Window> window(const PitrSource& source, QString* error);
// Why `source` (itself, or production into a sandbox) as it was at `instant` cannot go
// into `target`, empty when it can: a production target, a pairing LCS does not offer,
// not PostgreSQL on both sides, no stanza recorded (Catalog::pitrSource), the stanza
// unreadable, or the instant outside its window.
QString instantRefusal(const Catalog& catalog, const Environment& source, const Environment& target,
                       const QDateTime& instant);
// How to set a server up for point-in-time restore, for a message.
QString setupHelp(const QString& environmentId);
// Archives the WAL of `live` up to now: a commit, pg_switch_wal(), then waits until
// pg_stat_archiver has archived that segment (at most `timeoutMs`).
bool seal(const DatabaseRef& live, int timeoutMs, QString* error);

} // namespace PgBackRest
