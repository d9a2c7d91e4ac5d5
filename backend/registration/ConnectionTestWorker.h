#pragma once

#include "environment/DatabaseRef.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>

// Runs DatabaseConnectionTest on the thread it is moved to: opening a PostgreSQL
// server that does not answer takes up to libpq's connect timeout, which the GUI
// thread must never wait for.
//
// When the connections all open, it also identifies `toCompare` (what
// EnvironmentRegistration::databasesToCompare() lists), so that the registration can
// refuse a database another environment reaches under another name without opening
// anything on the GUI thread.
//
// Promises: tested() once per database, then finished() exactly once per run(), with
// the identities (EnvironmentRegistration::Identities as a QVariantMap; empty when a
// connection failed).
class ConnectionTestWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(ConnectionTestWorker)

public:
    explicit ConnectionTestWorker(const QList<DatabaseRef>& databases, const QList<DatabaseRef>& toCompare = {});

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `message`: "Connected in 12 ms (2.1 MB)" or why it cannot be opened.
    void tested(const QString& role, bool ok, const QString& message);
    void finished(bool allOk, const QVariantMap& identities);

private:
    QList<DatabaseRef> m_databases;
    QList<DatabaseRef> m_toCompare;
};
