#include "catalog/NotificationOutbox.h"

#include "catalog/Catalog.h"
#include "core/Clock.h"
#include "operation/OperationRecord.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace {

QString iso(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// The operation's title as every screen says it (OperationRecord::title).
QString title(const QString& kind, const QString& source, const QString& target)
{
    OperationRecord r;
    r.kind = kind;
    r.source = source;
    r.target = target;
    return r.title();
}

QString eventWords(const QString& event)
{
    if (event == QLatin1String("requested"))
        return QStringLiteral("was requested");
    if (event == QLatin1String("rescheduled"))
        return QStringLiteral("was rescheduled");
    if (event == QLatin1String("canceled"))
        return QStringLiteral("was canceled");
    if (event == QLatin1String("reminder-1h"))
        return QStringLiteral("starts in an hour");
    if (event == QLatin1String("reminder-15min"))
        return QStringLiteral("starts in 15 minutes");
    if (event == QLatin1String("rolled-back"))
        return QStringLiteral("was rolled back");
    return event;
}

} // namespace

qint64 NotificationOutbox::backoffSeconds(int attempts)
{
    static const qint64 steps[] = {30, 120, 600, 3600, 6 * 3600};
    return steps[std::clamp(attempts - 1, 0, 4)];
}

NotificationOutbox::NotificationOutbox(Catalog& catalog)
    : m_catalog(catalog)
{
}

std::optional<qint64> NotificationOutbox::addWebhook(const QString& projectId, const QString& url, QString* error)
{
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
        u.host().isEmpty()) {
        *error = QStringLiteral("'%1' is not an http or https URL").arg(url);
        return std::nullopt;
    }
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO webhooks (project_id, url, created) VALUES (?, ?, ?) RETURNING id"));
    q.addBindValue(projectId);
    q.addBindValue(url);
    q.addBindValue(Catalog::now());
    if (!q.exec() || !q.next()) {
        *error = Catalog::isUniqueViolation(q.lastError())
                     ? QStringLiteral("%1 already notifies %2").arg(projectId, url)
                     : q.lastError().text();
        return std::nullopt;
    }
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    m_catalog.audit(QStringLiteral("webhook.add"), projectId, u.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery).toString());
    return id;
}

bool NotificationOutbox::removeWebhook(const QString& projectId, const QString& url, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("DELETE FROM webhooks WHERE project_id = ? AND url = ?"));
    q.addBindValue(projectId);
    q.addBindValue(url);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("%1 has no webhook %2").arg(projectId, url);
        return false;
    }
    m_catalog.audit(QStringLiteral("webhook.remove"), projectId);
    return true;
}

QList<NotificationOutbox::Webhook> NotificationOutbox::webhooks(const QString& projectId) const
{
    QList<Webhook> list;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id, project_id, url FROM webhooks WHERE project_id = ? ORDER BY id"));
    q.addBindValue(projectId);
    if (q.exec()) {
        while (q.next())
            list << Webhook{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()};
    }
    return list;
}

QJsonObject NotificationOutbox::payload(QSqlDatabase& db, const QString& event, qint64 operationId,
                                        const QString& detail)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT kind, project_id, source, target, state, error, window_start, window_end FROM "
                             "operations WHERE id = ?"));
    q.addBindValue(operationId);
    if (!q.exec() || !q.next())
        return {};
    const QString kind = q.value(0).toString();
    const QString source = q.value(2).toString();
    const QString target = q.value(3).toString();
    const QString error = detail.isEmpty() ? q.value(5).toString() : detail;
    const QString name = title(kind, source, target);
    QString text = QStringLiteral("DataALM: %1 of %2%3 %4 (operation %5)")
                       .arg(name, target, source.isEmpty() || source == target ? QString() : QStringLiteral(" from ") + source,
                            eventWords(event))
                       .arg(operationId);
    const QString windowStart = q.value(6).toString();
    if (!windowStart.isEmpty())
        text += QStringLiteral(", window %1 to %2 UTC").arg(windowStart.left(16).replace(QLatin1Char('T'), QLatin1Char(' ')),
                                                             q.value(7).toString().mid(11, 5));
    if (!error.isEmpty() && (event == QLatin1String("failed") || event == QLatin1String("canceled")))
        text += QStringLiteral(": ") + error;
    else
        text += QLatin1Char('.');
    return QJsonObject{
        {QStringLiteral("event"), event},
        {QStringLiteral("operation"), QJsonObject{{QStringLiteral("id"), operationId},
                                                  {QStringLiteral("kind"), kind},
                                                  {QStringLiteral("title"), name}}},
        {QStringLiteral("project"), q.value(1).toString()},
        {QStringLiteral("environments"),
         QJsonObject{{QStringLiteral("source"), source.isEmpty() ? QJsonValue() : QJsonValue(source)},
                     {QStringLiteral("target"), target}}},
        {QStringLiteral("state"), q.value(4).toString()},
        {QStringLiteral("window"),
         windowStart.isEmpty() ? QJsonValue()
                               : QJsonValue(QJsonObject{{QStringLiteral("start"), windowStart},
                                                        {QStringLiteral("end"), q.value(7).toString()}})},
        {QStringLiteral("error"), error.isEmpty() ? QJsonValue() : QJsonValue(error)},
        {QStringLiteral("at"), iso(Clock::nowUtc())},
        {QStringLiteral("text"), text}};
}

void NotificationOutbox::enqueue(QSqlDatabase& db, const QString& event, qint64 operationId, const QString& detail)
{
    const QByteArray body = QJsonDocument(payload(db, event, operationId, detail)).toJson(QJsonDocument::Compact);
    QSqlQuery e(db);
    e.prepare(QStringLiteral("INSERT INTO events (event, operation_id, payload, at) VALUES (?, ?, ?, ?)"));
    e.addBindValue(event);
    e.addBindValue(operationId);
    e.addBindValue(QString::fromUtf8(body));
    e.addBindValue(Catalog::now());
    e.exec();
    QSqlQuery hooks(db);
    hooks.prepare(QStringLiteral("SELECT w.id FROM webhooks w JOIN operations o ON o.project_id = w.project_id WHERE "
                                 "o.id = ?"));
    hooks.addBindValue(operationId);
    if (!hooks.exec())
        return;
    QList<qint64> ids;
    while (hooks.next())
        ids << hooks.value(0).toLongLong();
    for (qint64 webhook : ids) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO deliveries (webhook_id, event, operation_id, payload, state, attempts, "
                                 "next_attempt, created) VALUES (?, ?, ?, ?, 'Pending', 0, ?, ?)"));
        q.addBindValue(webhook);
        q.addBindValue(event);
        q.addBindValue(operationId);
        q.addBindValue(QString::fromUtf8(body));
        q.addBindValue(iso(Clock::nowUtc()));
        q.addBindValue(Catalog::now());
        q.exec();
    }
}

QList<NotificationOutbox::Event> NotificationOutbox::eventsAfter(qint64 afterId, int limit) const
{
    QList<Event> list;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id, event, operation_id, payload FROM events WHERE id > ? ORDER BY id LIMIT ?"));
    q.addBindValue(afterId);
    q.addBindValue(limit);
    if (q.exec()) {
        while (q.next())
            list << Event{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong(),
                          QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object()};
    }
    return list;
}

qint64 NotificationOutbox::lastEventId() const
{
    QSqlQuery q(m_catalog.database());
    return q.exec(QStringLiteral("SELECT coalesce(max(id), 0) FROM events")) && q.next() ? q.value(0).toLongLong() : 0;
}

void NotificationOutbox::enqueue(const QString& event, qint64 operationId, const QString& detail)
{
    QSqlDatabase db = m_catalog.database();
    enqueue(db, event, operationId, detail);
}

QList<NotificationOutbox::Delivery> NotificationOutbox::due(const QDateTime& now, int limit) const
{
    QList<Delivery> list;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT d.id, d.webhook_id, w.url, d.event, d.operation_id, d.payload, d.state, "
                             "d.attempts, d.next_attempt, d.last_error FROM deliveries d JOIN webhooks w ON w.id = "
                             "d.webhook_id WHERE d.state = 'Pending' AND d.next_attempt <= ? ORDER BY d.next_attempt, "
                             "d.id LIMIT ?"));
    q.addBindValue(iso(now));
    q.addBindValue(limit);
    if (q.exec()) {
        while (q.next())
            list << Delivery{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                             q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toString().toUtf8(),
                             q.value(6).toString(), q.value(7).toInt(),
                             QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs), q.value(9).toString()};
    }
    return list;
}

QDateTime NotificationOutbox::nextAttempt() const
{
    QSqlQuery q(m_catalog.database());
    if (!q.exec(QStringLiteral("SELECT min(d.next_attempt) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                               "WHERE d.state = 'Pending'")) ||
        !q.next() || q.value(0).toString().isEmpty())
        return {};
    return QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
}

void NotificationOutbox::markDelivered(qint64 id)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE deliveries SET state = 'Delivered', attempts = attempts + 1, delivered = ?, "
                             "last_error = '' WHERE id = ?"));
    q.addBindValue(Catalog::now());
    q.addBindValue(id);
    q.exec();
}

void NotificationOutbox::markAttemptFailed(qint64 id, int attempts, const QString& error, const QDateTime& now)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE deliveries SET attempts = ?, last_error = ?, state = ?, next_attempt = ? WHERE "
                             "id = ?"));
    q.addBindValue(attempts);
    q.addBindValue(error.left(500));
    q.addBindValue(attempts >= MaxAttempts ? QStringLiteral("Failed") : QStringLiteral("Pending"));
    q.addBindValue(iso(now.addSecs(backoffSeconds(attempts))));
    q.addBindValue(id);
    q.exec();
}

QList<NotificationOutbox::Delivery> NotificationOutbox::recent(const QString& projectId, int limit) const
{
    QList<Delivery> list;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT d.id, d.webhook_id, w.url, d.event, d.operation_id, '', d.state, d.attempts, "
                             "d.next_attempt, d.last_error FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                             "WHERE w.project_id = ? ORDER BY d.id DESC LIMIT ?"));
    q.addBindValue(projectId);
    q.addBindValue(limit);
    if (q.exec()) {
        while (q.next())
            list << Delivery{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                             q.value(3).toString(), q.value(4).toLongLong(), {}, q.value(6).toString(),
                             q.value(7).toInt(), QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs),
                             q.value(9).toString()};
    }
    return list;
}
