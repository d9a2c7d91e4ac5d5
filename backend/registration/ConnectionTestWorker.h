#pragma once

#include "environment/DatabaseRef.h"

#include <QList>
#include <QObject>
#include <QString>

// Runs DatabaseConnectionTest on the thread it is moved to: opening a PostgreSQL
// server that does not answer takes up to libpq's connect timeout, which the GUI
// thread must never wait for.
//
// Promises: tested() once per database, then finished() exactly once per run().
class ConnectionTestWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(ConnectionTestWorker)

public:
    explicit ConnectionTestWorker(const QList<DatabaseRef>& databases);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `message`: "Connected in 12 ms (2.1 MB)" or why it cannot be opened.
    void tested(const QString& role, bool ok, const QString& message);
    void finished(bool allOk);

private:
    QList<DatabaseRef> m_databases;
};
