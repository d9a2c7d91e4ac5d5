#include "catalog/CatalogProbeWorker.h"

#include "catalog/Catalog.h"

CatalogProbeWorker::CatalogProbeWorker(const QString& location)
    : m_location(location)
{
}

void CatalogProbeWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_location, &error)) {
        emit finished(QString(), error);
        return;
    }
    const int projects = int(catalog.projects().size());
    const int environments = int(catalog.environments().size());
    emit finished(tr("Connected: schema version %1, %2 project(s), %3 environment(s); files in %4.")
                      .arg(catalog.schemaVersion())
                      .arg(projects)
                      .arg(environments)
                      .arg(catalog.folder()),
                  QString());
}
