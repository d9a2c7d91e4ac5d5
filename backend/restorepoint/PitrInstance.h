#pragma once

#include "environment/DatabaseRef.h"
#include "environment/PitrSource.h"

#include <QDateTime>
#include <QString>
#include <functional>

// A temporary PostgreSQL instance holding one database as it was at an instant: pgBackRest
// restores that database alone (--db-include, --type=time, --archive-mode=off so that the
// instance never pushes WAL into the stanza) into a folder of its own, PostgreSQL replays
// the archived WAL up to the instant and is promoted; the instance listens on a socket in
// that folder only (no TCP). A restore copies from it with the snapshot copy, then stops
// it; remove() also stops one left by a dead process.
//
// Promises: nothing outside `folder` is written (the stanza is only read); the folder is
// removed by stop() and remove(), whatever state it is in.
class PitrInstance
{
public:
    using Cancelled = std::function<bool()>;

    // `folder`: a new folder under the system's temporary folder (the source's OS user must
    // reach it), e.g. /tmp/dataalm-pitr-op12.
    PitrInstance(const PitrSource& source, const QString& folder);

    // Restores `database` (its name on the live server) as of `instant` and starts the
    // instance; `user` is the role the copy connects as. False with pgBackRest's or
    // PostgreSQL's own words (the instance is then removed).
    bool start(const QString& database, const QDateTime& instant, const QString& user, const Cancelled& cancelled,
               QString* error);
    // The restored database, reachable through the instance's socket.
    DatabaseRef database() const { return m_database; }
    // Stops the instance (if it runs) and removes the folder.
    bool remove(QString* error);

private:
    bool prepareFolder(QString* error);
    QString dataDir() const;
    QString socketDir() const;

    PitrSource m_source;
    QString m_folder;
    DatabaseRef m_database;
};
