#pragma once

#include <QObject>
#include <QString>

// Imports one package zip into a project's asset library (AssetLibrary::importFile)
// on the thread it is moved to, with its own Catalog connection: validating a zip
// reads and decompresses every file it lists, which takes a while for a large (or
// hostile) archive and must never freeze the window.
//
// Promises: finished() is emitted exactly once per run(), with the refusal's whole
// message (it names the file and the rule broken) when the import is refused.
class PackageImportWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(PackageImportWorker)

public:
    PackageImportWorker(const QString& catalogFolder, const QString& projectId, const QString& zipPath);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `title`: "Application update 10.0.41" when imported; `error` otherwise.
    void finished(bool ok, const QString& title, const QString& sha256, const QString& error);

private:
    QString m_catalogFolder;
    QString m_projectId;
    QString m_zipPath;
};
