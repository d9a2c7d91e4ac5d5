#pragma once

#include "demo/DemoGenerator.h"

#include <QObject>
#include <QString>

// Runs the DemoGenerator on the thread it is moved to, with its own Catalog
// connection (a connection cannot cross threads), and reports through signals only.
//
// Promises: progress is throttled to at most 20 signals a second (plus the last
// one); finished() is emitted exactly once per run().
class DemoCreationWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(DemoCreationWorker)

public:
    DemoCreationWorker(const QString& catalogFolder, const DemoGenerator::Options& options);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void progress(const QString& what, int percent);
    void finished(bool ok, const QString& error);

private:
    QString m_catalogFolder;
    DemoGenerator::Options m_options;
};
