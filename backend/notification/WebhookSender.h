#pragma once

#include <QObject>
#include <QSet>
#include <memory>

class Catalog;
class QNetworkAccessManager;

// Sends the pending deliveries of the catalog's NotificationOutbox: each an HTTP POST of
// its JSON to its webhook, at most 10 seconds each, a few at once. A 2xx answer
// delivers it; anything else (an error status, a refused or dropped connection, a
// timeout) is one failed attempt, retried with backoff until the outbox gives up.
//
// Promises: never blocks the thread it runs on (replies arrive as signals); each
// delivery's outcome is recorded in the catalog before the next is looked at; a
// delivery in flight is not sent twice by this sender.
class WebhookSender : public QObject
{
    Q_OBJECT

public:
    explicit WebhookSender(Catalog& catalog, QObject* parent = nullptr);
    ~WebhookSender() override;

    // Sends what is due now; finished() once every reply is in (at once if nothing is due).
    void deliverDue();
    bool isBusy() const { return !m_inFlight.isEmpty(); }

Q_SIGNALS:
    void finished();

private:
    Catalog& m_catalog;
    QNetworkAccessManager* m_network;
    QSet<qint64> m_inFlight;
};
