#pragma once

#include "catalog/AuditLog.h"

#include <QList>
#include <QObject>
#include <QString>

// Reads the catalog's audit (AuditLog::read) off the GUI thread, with a catalog
// connection of its own, for the console's audit log: ten thousand entries are read in
// one go. A worker for WorkerThread: run() reads, finished() hands the entries over,
// queued, and ends the task.
class AuditReadWorker : public QObject
{
    Q_OBJECT

public:
    AuditReadWorker(const QString& catalogLocation, const AuditLog::Filter& filter);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `error` is empty unless the catalog could not be opened or read.
    void finished(const QList<AuditLog::Entry>& entries, const QString& error);

private:
    QString m_location;
    AuditLog::Filter m_filter;
};
