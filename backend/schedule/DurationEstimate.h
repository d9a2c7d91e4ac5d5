#pragma once

#include "operation/OperationRecord.h"

#include <QList>
#include <QMetaType>
#include <QString>

// How long an operation will take, from this catalog's history: the operations of the
// same kind that completed (on the same target when it has some, else on any), each a
// point (bytes it copied, seconds it ran). With two sizes or more, a straight line
// through them by least squares (seconds = fixed + bytes / throughput); with one size,
// the median of their seconds scaled by size. The error is the median relative error
// of that model on each past operation left out of it (leave-one-out), shown with the
// estimate so that nobody mistakes it for a promise.
//
// Promises: a pure function of the history given; no history, no estimate (seconds -1).
struct DurationEstimate
{
    qint64 seconds = -1;
    int basis = 0;            // how many past operations it comes from
    double relativeError = -1; // median |predicted - actual| / actual, -1 when fewer than 3
    QString model;            // "line through 6 refreshes", ...

    bool isKnown() const { return seconds >= 0; }
    // "about 12 min (from 6 refreshes of this catalog, typically within 8%)", or
    // "no estimate: this catalog has no completed refresh yet".
    QString text(const QString& kindTitle) const;

    // `bytes`: the size the operation will copy now (-1: unknown).
    static DurationEstimate estimate(const QList<OperationRecord>& history, const QString& kind, const QString& target,
                                     qint64 bytes);
    // The bytes a past operation copied (its steps' bytes), -1 when it recorded none.
    static qint64 bytesOf(const OperationRecord& operation);
};

Q_DECLARE_METATYPE(DurationEstimate)
