#include "package/PackageImportWorker.h"

#include "catalog/Catalog.h"
#include "package/AssetLibrary.h"

#include <spdlog/spdlog.h>

PackageImportWorker::PackageImportWorker(const QString& catalogFolder, const QString& projectId, const QString& zipPath)
    : m_catalogFolder(catalogFolder), m_projectId(projectId), m_zipPath(zipPath)
{
}

void PackageImportWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_catalogFolder, &error)) {
        Q_EMIT finished(false, {}, {}, error);
        return;
    }
    auto asset = AssetLibrary(catalog).importFile(m_projectId, m_zipPath, &error);
    if (!asset) {
        spdlog::warn("console: {} was not imported into {}: {}", m_zipPath.toStdString(), m_projectId.toStdString(),
                     error.toStdString());
        Q_EMIT finished(false, {}, {}, error);
        return;
    }
    spdlog::info("console: imported {} into the asset library of {}", asset->title().toStdString(),
                 m_projectId.toStdString());
    Q_EMIT finished(true, asset->title(), asset->sha256, {});
}
