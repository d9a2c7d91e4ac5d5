#pragma once

#include <QMetaType>
#include <QString>

// A progress report of a running operation, as the runner emits it (throttled).
struct OperationProgress
{
    qint64 operationId = 0;
    int ordinal = 0;      // the current runbook step, 1-based
    int stepCount = 0;
    QString stepName;
    qint64 done = 0;      // units of the step (pages, rows, rules)
    qint64 total = 0;
    QString unit;
    qint64 bytes = 0;     // bytes moved so far by the step
    double bytesPerSecond = 0;
    double secondsRemaining = -1; // -1: unknown
};
Q_DECLARE_METATYPE(OperationProgress)
