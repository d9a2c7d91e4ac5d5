#include "StateIcons.h"

#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

enum class Glyph
{
    Tick,
    Exclamation,
    Cross,
    Arrow,
    Ring,
    Dash
};

struct Look
{
    Glyph glyph;
    QColor colour;
};

Look lookOf(const QString& status)
{
    const QString s = status.toLower();
    if (s == QLatin1String("pass") || s == QLatin1String("completed") || s == QLatin1String("signedoff") ||
        s == QLatin1String("rollbackcompleted"))
        return {Glyph::Tick, QColor(0x10, 0x7c, 0x10)};
    if (s == QLatin1String("warn"))
        return {Glyph::Exclamation, QColor(0x9d, 0x5d, 0x00)};
    if (s == QLatin1String("fail") || s == QLatin1String("failed") || s == QLatin1String("rollbackfailed"))
        return {Glyph::Cross, QColor(0xc5, 0x0f, 0x1f)};
    if (s == QLatin1String("running") || s == QLatin1String("inprogress") || s == QLatin1String("rollbackinprogress"))
        return {Glyph::Arrow, QColor(0x00, 0x5a, 0x9e)};
    if (s == QLatin1String("skipped") || s == QLatin1String("cancelled") || s == QLatin1String("aborted"))
        return {Glyph::Dash, QColor(0x60, 0x5e, 0x5c)};
    return {Glyph::Ring, QColor(0x8a, 0x88, 0x86)};
}

class StateIconEngine : public QIconEngine
{
public:
    explicit StateIconEngine(const Look& look) : m_look(look) {}

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal side = std::min(rect.width(), rect.height());
        const QRectF box(rect.x() + (rect.width() - side) / 2.0, rect.y() + (rect.height() - side) / 2.0, side, side);
        const QRectF disc = box.adjusted(side * 0.06, side * 0.06, -side * 0.06, -side * 0.06);
        QColor colour = m_look.colour;
        if (mode == QIcon::Disabled)
            colour.setAlphaF(0.45f);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        const qreal stroke = std::max<qreal>(1.5, side * 0.13);
        QPen pen(Qt::white, stroke, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        const auto at = [&](qreal x, qreal y) {
            return QPointF(disc.x() + x * disc.width(), disc.y() + y * disc.height());
        };
        switch (m_look.glyph) {
        case Glyph::Ring:
            painter->setPen(QPen(colour, stroke));
            painter->setBrush(Qt::NoBrush);
            painter->drawEllipse(disc.adjusted(stroke / 2, stroke / 2, -stroke / 2, -stroke / 2));
            break;
        case Glyph::Dash:
            painter->setPen(Qt::NoPen);
            painter->setBrush(colour);
            painter->drawEllipse(disc);
            painter->setPen(pen);
            painter->drawLine(at(0.28, 0.5), at(0.72, 0.5));
            break;
        default: {
            painter->setPen(Qt::NoPen);
            painter->setBrush(colour);
            painter->drawEllipse(disc);
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            QPainterPath path;
            if (m_look.glyph == Glyph::Tick) {
                path.moveTo(at(0.27, 0.52));
                path.lineTo(at(0.44, 0.69));
                path.lineTo(at(0.74, 0.33));
                painter->drawPath(path);
            } else if (m_look.glyph == Glyph::Cross) {
                painter->drawLine(at(0.32, 0.32), at(0.68, 0.68));
                painter->drawLine(at(0.68, 0.32), at(0.32, 0.68));
            } else if (m_look.glyph == Glyph::Exclamation) {
                painter->drawLine(at(0.5, 0.24), at(0.5, 0.56));
                painter->drawPoint(at(0.5, 0.76));
            } else { // Arrow: a play triangle
                painter->setPen(Qt::NoPen);
                painter->setBrush(Qt::white);
                QPolygonF triangle;
                triangle << at(0.38, 0.27) << at(0.75, 0.5) << at(0.38, 0.73);
                painter->drawPolygon(triangle);
            }
            break;
        }
        }
        painter->restore();
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }

    QIconEngine* clone() const override { return new StateIconEngine(m_look); }

private:
    Look m_look;
};

} // namespace

namespace StateIcons {

QIcon forStatus(const QString& status)
{
    static QHash<QString, QIcon> cache;
    auto it = cache.find(status);
    if (it == cache.end())
        it = cache.insert(status, QIcon(new StateIconEngine(lookOf(status))));
    return it.value();
}

} // namespace StateIcons
