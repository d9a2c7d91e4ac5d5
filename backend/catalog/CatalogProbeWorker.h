#pragma once

#include <QObject>
#include <QString>

// Opens a catalog (a folder, or a team catalog's URL) on a worker thread, to test it
// before the console switches to it: File > Connect to team catalog… says what it
// found, or why it cannot be opened, without the GUI thread waiting on the network.
class CatalogProbeWorker : public QObject
{
    Q_OBJECT

public:
    explicit CatalogProbeWorker(const QString& location);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `error` empty: opened; `summary` says what it holds.
    void finished(const QString& summary, const QString& error);

private:
    QString m_location;
};
