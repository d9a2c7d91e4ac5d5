#pragma once

#include "schedule/DurationEstimate.h"

#include <QByteArray>
#include <QObject>
#include <QString>

// The estimate of an operation and the project's request settings (minimum notice, time
// zone), read on a worker thread (WorkerThread) for a wizard's window page: the estimate
// measures the environments' databases, which the GUI thread never opens.
class EstimateWorker : public QObject
{
    Q_OBJECT

public:
    // `sourceId` empty: an operation without a source (apply, import, restore of its own).
    EstimateWorker(const QString& catalogFolder, const QString& kind, const QString& sourceId, const QString& targetId);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void finished(const DurationEstimate& estimate, int minimumNoticeMinutes, const QByteArray& timeZone);

private:
    QString m_folder;
    QString m_kind;
    QString m_source;
    QString m_target;
};
