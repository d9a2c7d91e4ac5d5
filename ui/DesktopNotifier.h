#pragma once

#include <QObject>
#include <QStringList>

class Catalog;
class QSystemTrayIcon;

// The console's desktop notifications: what happens to the project's operations and
// requests, whoever did it (this console, the CLI, an agent), as the catalog's events
// record it (NotificationOutbox: requested, rescheduled, canceled, the reminders before a
// window, started, completed, failed, rolled back). Shown through the system tray when
// the desktop has one, and kept as the latest lines either way.
//
// Promises: reads the catalog only (a query for the events after the last one seen);
// events from before the console opened are not shown again.
class DesktopNotifier : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(DesktopNotifier)

public:
    explicit DesktopNotifier(QObject* parent = nullptr);

    // Follows `catalog` from its newest event on (nullptr: none).
    void setCatalog(Catalog* catalog);
    // Shows what happened since the last call.
    void poll();
    // The latest notifications, newest last (at most 20).
    QStringList recent() const { return m_recent; }

Q_SIGNALS:
    void notified(const QString& title, const QString& text);

private:
    Catalog* m_catalog = nullptr;
    qint64 m_lastId = 0;
    QStringList m_recent;
    QSystemTrayIcon* m_tray = nullptr;
};
