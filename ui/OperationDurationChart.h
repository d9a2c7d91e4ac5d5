#pragma once

#include "operation/OperationRecord.h"

#include <QList>
#include <QtCharts/QChartView>

// The chart of an environment's past operations on Environment details (Qt Charts):
// how long each completed operation ran (minutes, the left axis) and how much it copied
// (MB, the right axis), oldest to newest, so that a slower run or a bigger database
// shows at a glance. The last 30 completed operations, every kind.
//
// Promises: it draws only what it is handed (setOperations); no I/O.
class OperationDurationChart : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationDurationChart)

public:
    explicit OperationDurationChart(QWidget* parent = nullptr);

    void setOperations(const QList<OperationRecord>& operations);
    // How many operations it plots.
    int pointCount() const { return m_points; }

private:
    int m_points = 0;
};
