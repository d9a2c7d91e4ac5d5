#include "schedule/DurationEstimate.h"

#include "operation/OperationRules.h"

#include <algorithm>
#include <cmath>

namespace {

struct Point
{
    double bytes;
    double seconds;
};

double median(QList<double> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2.0;
}

// seconds = a + b * bytes; with one distinct size, b from the median seconds per byte.
struct Line
{
    double a = 0;
    double b = 0;
    double at(double bytes) const { return std::max(0.0, a + b * std::max(bytes, 0.0)); }
};

Line fit(const QList<Point>& points, bool* isLine)
{
    double minBytes = points.first().bytes, maxBytes = minBytes;
    for (const Point& p : points) {
        minBytes = std::min(minBytes, p.bytes);
        maxBytes = std::max(maxBytes, p.bytes);
    }
    *isLine = points.size() >= 2 && maxBytes > minBytes * 1.05 + 1;
    if (!*isLine) {
        QList<double> perByte, secs;
        for (const Point& p : points) {
            secs << p.seconds;
            if (p.bytes > 0)
                perByte << p.seconds / p.bytes;
        }
        if (perByte.size() == points.size())
            return Line{0, median(perByte)};
        return Line{median(secs), 0};
    }
    double mx = 0, my = 0;
    for (const Point& p : points) {
        mx += p.bytes;
        my += p.seconds;
    }
    mx /= points.size();
    my /= points.size();
    double sxy = 0, sxx = 0;
    for (const Point& p : points) {
        sxy += (p.bytes - mx) * (p.seconds - my);
        sxx += (p.bytes - mx) * (p.bytes - mx);
    }
    Line l;
    l.b = sxx > 0 ? std::max(0.0, sxy / sxx) : 0;
    l.a = std::max(0.0, my - l.b * mx);
    return l;
}

} // namespace

qint64 DurationEstimate::bytesOf(const OperationRecord& operation)
{
    qint64 total = 0;
    bool any = false;
    for (const StepRecord& s : operation.steps) {
        if (s.bytes > 0) {
            total += s.bytes;
            any = true;
        }
    }
    return any ? total : -1;
}

DurationEstimate DurationEstimate::estimate(const QList<OperationRecord>& history, const QString& kind,
                                            const QString& target, qint64 bytes)
{
    QList<Point> same, any;
    for (const OperationRecord& o : history) {
        if (o.kind != kind || (o.state != OperationState::Completed && o.state != OperationState::SignedOff))
            continue;
        const qint64 seconds = o.runSeconds();
        if (seconds < 0)
            continue;
        const Point p{double(bytesOf(o)), double(std::max<qint64>(seconds, 1))};
        any << p;
        if (o.target == target)
            same << p;
    }
    const QList<Point>& points = same.isEmpty() ? any : same;
    DurationEstimate e;
    if (points.isEmpty())
        return e;
    bool isLine = false;
    const Line line = fit(points, &isLine);
    e.basis = int(points.size());
    e.seconds = qint64(std::llround(line.at(bytes >= 0 ? double(bytes) : median([&] {
        QList<double> b;
        for (const Point& p : points)
            b << p.bytes;
        return b;
    }()))));
    e.model = isLine ? QStringLiteral("line") : QStringLiteral("scaled median");
    if (points.size() >= 3) {
        QList<double> errors;
        for (qsizetype i = 0; i < points.size(); ++i) {
            QList<Point> rest = points;
            rest.removeAt(i);
            bool l = false;
            const double predicted = fit(rest, &l).at(points.at(i).bytes);
            errors << std::abs(predicted - points.at(i).seconds) / points.at(i).seconds;
        }
        e.relativeError = median(errors);
    }
    return e;
}

QString DurationEstimate::text(const QString& kindTitle) const
{
    if (!isKnown())
        return QStringLiteral("no estimate: this catalog has no completed %1 yet").arg(kindTitle.toLower());
    const QString basisText = basis == 1 ? QStringLiteral("1 past %1").arg(kindTitle.toLower())
                                         : QStringLiteral("%1 past operations of this kind").arg(basis);
    const QString error = relativeError < 0 ? QStringLiteral("too few to say how close")
                                            : QStringLiteral("typically within %1%").arg(std::lround(relativeError * 100));
    return QStringLiteral("about %1, from %2 in this catalog (%3)")
        .arg(OperationRules::durationWords(seconds), basisText, error);
}
