#include "schedule/RequestWindow.h"

#include <QLocale>
#include <QRegularExpression>

std::optional<QDateTime> RequestWindow::parseInstant(const QString& text, const QTimeZone& zone, QString* error)
{
    const QString t = text.trimmed();
    QDateTime when = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(t, Qt::ISODate);
    if (!when.isValid()) {
        for (const QString& format : {QStringLiteral("yyyy-MM-dd HH:mm:ss"), QStringLiteral("yyyy-MM-dd HH:mm")}) {
            when = QDateTime::fromString(t, format);
            if (when.isValid())
                break;
        }
    }
    if (!when.isValid()) {
        *error = QStringLiteral("'%1' is not a date and time; write it as 2026-12-06T02:00:00Z, 2026-12-06T02:00+01:00 "
                                "or 2026-12-06 02:00 (the project's time zone)")
                     .arg(text);
        return std::nullopt;
    }
    // Without an offset: the project's time zone.
    static const QRegularExpression offset(QStringLiteral("(Z|[+-]\\d\\d(:?\\d\\d)?)$"));
    if (!offset.match(t).hasMatch())
        when = QDateTime(when.date(), when.time(), zone);
    return when.toUTC();
}

std::optional<RequestWindow> RequestWindow::parse(const QString& start, const QString& end, const QTimeZone& zone,
                                                  QString* error)
{
    const auto s = parseInstant(start, zone, error);
    if (!s) {
        *error = QStringLiteral("--window-start: %1").arg(*error);
        return std::nullopt;
    }
    const auto e = parseInstant(end, zone, error);
    if (!e) {
        *error = QStringLiteral("--window-end: %1").arg(*error);
        return std::nullopt;
    }
    return RequestWindow{*s, *e};
}

QString RequestWindow::text(const QTimeZone& zone) const
{
    const QDateTime s = start.toTimeZone(zone);
    const QDateTime e = end.toTimeZone(zone);
    const QLocale c = QLocale::c();
    const QString from = c.toString(s, QStringLiteral("ddd d MMM yyyy HH:mm"));
    const QString to = s.date() == e.date() ? c.toString(e, QStringLiteral("HH:mm"))
                                            : c.toString(e, QStringLiteral("ddd d MMM yyyy HH:mm"));
    return QStringLiteral("%1 – %2 (%3)").arg(from, to, QString::fromUtf8(zone.id()));
}
