#include "DesktopNotifier.h"

#include "catalog/Catalog.h"
#include "catalog/NotificationOutbox.h"

#include <QApplication>
#include <QSystemTrayIcon>

DesktopNotifier::DesktopNotifier(QObject* parent)
    : QObject(parent)
{
    setObjectName(QStringLiteral("desktopNotifier"));
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("DataALM Console"));
        m_tray->show();
    }
}

void DesktopNotifier::setCatalog(Catalog* catalog)
{
    m_catalog = catalog;
    m_lastId = catalog ? NotificationOutbox(*catalog).lastEventId() : 0;
}

void DesktopNotifier::poll()
{
    if (!m_catalog)
        return;
    const QList<NotificationOutbox::Event> events = NotificationOutbox(*m_catalog).eventsAfter(m_lastId);
    for (const NotificationOutbox::Event& e : events) {
        m_lastId = e.id;
        const QString title = e.event == QLatin1String("failed") ? tr("Operation failed")
                              : e.event.startsWith(QLatin1String("reminder")) ? tr("Downtime window soon")
                                                                              : tr("DataALM Console");
        QString text = e.payload.value(QStringLiteral("text")).toString();
        if (text.startsWith(QLatin1String("DataALM: ")))
            text = text.mid(9);
        m_recent << text;
        while (m_recent.size() > 20)
            m_recent.removeFirst();
        if (m_tray)
            m_tray->showMessage(title, text,
                                e.event == QLatin1String("failed") ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information,
                                10000);
        emit notified(title, text);
    }
}
