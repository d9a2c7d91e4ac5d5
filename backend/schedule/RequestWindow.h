#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>
#include <optional>

// A downtime window: when a request may start and by when it must have ended, in UTC.
// Parsed from what a user types: an ISO 8601 instant with its offset, or a local date
// and time read in the project's time zone.
struct RequestWindow
{
    QDateTime start;
    QDateTime end;

    qint64 seconds() const { return start.secsTo(end); }

    // An instant as the CLI and the console take it: "2026-12-06T02:00:00Z",
    // "2026-12-06T02:00+01:00", or "2026-12-06 02:00" in `zone`.
    static std::optional<QDateTime> parseInstant(const QString& text, const QTimeZone& zone, QString* error);
    // Both ends; `error` names the value that is not an instant. Nothing else is checked
    // here: OperationRules::windowRefusal says whether the window will do.
    static std::optional<RequestWindow> parse(const QString& start, const QString& end, const QTimeZone& zone,
                                              QString* error);
    // "Sun 6 Dec 2026 02:00 – 06:00 (Europe/Amsterdam)": the window in `zone`.
    QString text(const QTimeZone& zone) const;
};
