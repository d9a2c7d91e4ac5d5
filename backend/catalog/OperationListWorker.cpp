#include "catalog/OperationListWorker.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

OperationListWorker::OperationListWorker(const QString& catalogFolder, const QString& projectId)
    : m_catalogFolder(catalogFolder), m_projectId(projectId)
{
}

void OperationListWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_catalogFolder, &error)) {
        Q_EMIT finished({}, error);
        return;
    }
    Q_EMIT finished(OperationStore(catalog).listProjectSummaries(m_projectId), QString());
}
