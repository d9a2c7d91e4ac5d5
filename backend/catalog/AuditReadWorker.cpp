#include "catalog/AuditReadWorker.h"

#include "catalog/Catalog.h"

AuditReadWorker::AuditReadWorker(const QString& catalogLocation, const AuditLog::Filter& filter)
    : m_location(catalogLocation), m_filter(filter)
{
}

void AuditReadWorker::run()
{
    Catalog catalog;
    QString error;
    QList<AuditLog::Entry> entries;
    if (!catalog.open(m_location, &error) || !AuditLog(catalog).read(m_filter, &entries, &error)) {
        Q_EMIT finished({}, error);
        return;
    }
    Q_EMIT finished(entries, QString());
}
