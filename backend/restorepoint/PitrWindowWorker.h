#pragma once

#include "environment/PitrSource.h"

#include <QDateTime>
#include <QObject>
#include <QString>

// Reads a pgBackRest stanza's window (PgBackRest::window) on the thread it is moved to
// (WorkerThread): `pgbackrest info` is a process the GUI thread must not wait for.
// finished() exactly once per run().
class PitrWindowWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(PitrWindowWorker)

public:
    explicit PitrWindowWorker(const PitrSource& source);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `error`: why there is no window (the stanza unreadable, no backup yet).
    void finished(bool ok, const QDateTime& earliest, const QDateTime& latest, const QString& error);

private:
    PitrSource m_source;
};
