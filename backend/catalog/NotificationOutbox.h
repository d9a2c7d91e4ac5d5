#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

class Catalog;

// The notifications of a project's webhooks, as rows of the catalog (`webhooks`,
// `deliveries`): an event is written, one delivery per webhook, in the same
// transaction as the change it tells of, and sent later by whoever delivers
// (WebhookSender, in the agent and in `dataalm cleanup`). A delivery never blocks or
// fails the operation it is about.
//
// Every event is also kept in `events`, which the consoles read for their desktop
// notifications (DesktopNotifier).
//
// Events: requested, rescheduled, canceled, reminder-1h, reminder-15min, started,
// completed, failed, rolled-back.
class NotificationOutbox
{
public:
    struct Webhook
    {
        qint64 id = 0;
        QString projectId;
        QString url;
    };
    struct Delivery
    {
        qint64 id = 0;
        qint64 webhookId = 0;
        QString url;
        QString event;
        qint64 operationId = 0;
        QByteArray payload;
        QString state; // Pending, Delivered, Failed
        int attempts = 0;
        QDateTime nextAttempt;
        QString lastError;
    };

    // An event as every console sees it (the `events` table), webhooks or not.
    struct Event
    {
        qint64 id = 0;
        QString event;
        qint64 operationId = 0;
        QJsonObject payload;
    };

    // At most this many attempts, the n-th after backoffSeconds(n) (30 s, 2 min, 10 min,
    // 1 h, 6 h): a delivery is given up on after about seven hours.
    static constexpr int MaxAttempts = 6;
    static qint64 backoffSeconds(int attempts);

    explicit NotificationOutbox(Catalog& catalog);

    // Webhooks of a project: http or https URLs.
    std::optional<qint64> addWebhook(const QString& projectId, const QString& url, QString* error);
    bool removeWebhook(const QString& projectId, const QString& url, QString* error);
    QList<Webhook> webhooks(const QString& projectId) const;

    // Writes `event` about operation `operationId` for every webhook of its project, on
    // `db` (inside the caller's transaction when it has one). `detail`: the error or
    // what else the event says.
    static void enqueue(QSqlDatabase& db, const QString& event, qint64 operationId, const QString& detail = {});
    void enqueue(const QString& event, qint64 operationId, const QString& detail = {});

    // The events written after `afterId`, oldest first (at most `limit`), and the newest id.
    QList<Event> eventsAfter(qint64 afterId, int limit = 50) const;
    qint64 lastEventId() const;

    // Pending deliveries due at `now`, oldest first.
    QList<Delivery> due(const QDateTime& now, int limit = 20) const;
    // The earliest next attempt of a pending delivery (invalid: none).
    QDateTime nextAttempt() const;
    void markDelivered(qint64 id);
    // One more failed attempt: retried later, or Failed after MaxAttempts.
    void markAttemptFailed(qint64 id, int attempts, const QString& error, const QDateTime& now);
    // The newest deliveries of a project (for `project webhook list`).
    QList<Delivery> recent(const QString& projectId, int limit = 20) const;

    // The JSON a webhook receives: event, operation, environments, state, window,
    // error, and `text` (what Slack and Teams show).
    static QJsonObject payload(QSqlDatabase& db, const QString& event, qint64 operationId, const QString& detail);

private:
    Catalog& m_catalog;
};
