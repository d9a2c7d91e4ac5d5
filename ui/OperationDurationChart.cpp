#include "OperationDurationChart.h"

#include "schedule/DurationEstimate.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QBarSeries>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <QLocale>

#include <algorithm>

OperationDurationChart::OperationDurationChart(QWidget* parent)
    : QChartView(parent)
{
    setObjectName(QStringLiteral("durationChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(190);
}

void OperationDurationChart::setOperations(const QList<OperationRecord>& operations)
{
    QList<OperationRecord> done;
    for (const OperationRecord& o : operations) {
        if ((o.state == OperationState::Completed || o.state == OperationState::SignedOff) && o.runSeconds() >= 0)
            done << o;
    }
    std::sort(done.begin(), done.end(), [](const OperationRecord& a, const OperationRecord& b) { return a.id < b.id; });
    if (done.size() > 30)
        done = done.mid(done.size() - 30);
    m_points = int(done.size());

    // A new chart each time: axes a chart once had leave labels behind.
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setBackgroundRoundness(0);
    QChart* old = this->chart();
    setChart(chart);
    delete old;

    auto* sizes = new QBarSet(tr("Copied (MB)"));
    sizes->setColor(QColor(QStringLiteral("#c7e0f4")));
    // Minutes, or seconds when every run was shorter than two minutes.
    qint64 longest = 0;
    for (const OperationRecord& o : done)
        longest = std::max(longest, o.runSeconds());
    const bool inSeconds = longest < 120;
    const double unit = inSeconds ? 1.0 : 60.0;
    auto* minutes = new QLineSeries;
    minutes->setName(inSeconds ? tr("Ran for (s)") : tr("Ran for (min)"));
    minutes->setPointsVisible(true);
    QStringList labels;
    double maxMinutes = 1;
    double maxMb = 1;
    for (int i = 0; i < done.size(); ++i) {
        const OperationRecord& o = done.at(i);
        const double m = double(o.runSeconds()) / unit;
        const qint64 bytes = DurationEstimate::bytesOf(o);
        const double mb = bytes > 0 ? double(bytes) / (1024.0 * 1024.0) : 0;
        minutes->append(i, m);
        *sizes << mb;
        maxMinutes = std::max(maxMinutes, m);
        maxMb = std::max(maxMb, mb);
        labels << QStringLiteral("#%1").arg(o.id);
    }
    auto* bars = new QBarSeries;
    bars->append(sizes);
    chart->addSeries(bars);
    chart->addSeries(minutes);

    auto* x = new QBarCategoryAxis;
    x->append(labels);
    x->setLabelsAngle(labels.size() > 12 ? -90 : 0);
    chart->addAxis(x, Qt::AlignBottom);
    bars->attachAxis(x);
    minutes->attachAxis(x);

    auto* left = new QValueAxis;
    left->setTitleText(inSeconds ? tr("seconds") : tr("minutes"));
    left->setRange(0, maxMinutes * 1.15);
    left->setLabelFormat(maxMinutes < 10 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    left->setTickCount(4);
    chart->addAxis(left, Qt::AlignLeft);
    minutes->attachAxis(left);

    auto* right = new QValueAxis;
    right->setTitleText(tr("MB"));
    right->setRange(0, maxMb * 1.15);
    right->setLabelFormat(maxMb < 10 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    right->setTickCount(4);
    chart->addAxis(right, Qt::AlignRight);
    bars->attachAxis(right);
}
