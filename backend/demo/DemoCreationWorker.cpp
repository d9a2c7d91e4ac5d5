#include "demo/DemoCreationWorker.h"

#include "catalog/Catalog.h"

#include <QElapsedTimer>

#include <spdlog/spdlog.h>

DemoCreationWorker::DemoCreationWorker(const QString& catalogFolder, const DemoGenerator::Options& options)
    : m_catalogFolder(catalogFolder), m_options(options)
{
}

void DemoCreationWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_catalogFolder, &error)) {
        Q_EMIT finished(false, error);
        return;
    }
    spdlog::info("creating the demo project {} ({} MB) in {}", m_options.project.toStdString(), m_options.sizeMb,
                 m_catalogFolder.toStdString());
    QElapsedTimer sinceLast;
    bool reported = false;
    DemoGenerator generator(catalog);
    const bool ok = generator.generate(m_options, &error, [&](const QString& what, qint64 done, qint64 total) {
        if (reported && sinceLast.elapsed() < 50 && done < total)
            return;
        reported = true;
        sinceLast.start();
        Q_EMIT progress(what, total > 0 ? int(100 * done / total) : 0);
    });
    if (ok)
        spdlog::info("demo project {} created", m_options.project.toStdString());
    else
        spdlog::error("creating the demo project failed: {}", error.toStdString());
    Q_EMIT finished(ok, error);
}
