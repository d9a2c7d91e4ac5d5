#include "notification/WebhookSender.h"

#include "catalog/Catalog.h"
#include "catalog/NotificationOutbox.h"
#include "core/Clock.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

WebhookSender::WebhookSender(Catalog& catalog, QObject* parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_network(new QNetworkAccessManager(this))
{
}

WebhookSender::~WebhookSender() = default;

void WebhookSender::deliverDue()
{
    NotificationOutbox outbox(m_catalog);
    const QList<NotificationOutbox::Delivery> due = outbox.due(Clock::nowUtc());
    for (const NotificationOutbox::Delivery& d : due) {
        if (m_inFlight.contains(d.id))
            continue;
        QNetworkRequest request{QUrl(d.url)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("DataALM/" DATAALM_VERSION));
        request.setTransferTimeout(10000);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply* reply = m_network->post(request, d.payload);
        m_inFlight.insert(d.id);
        const qint64 id = d.id;
        const int attempts = d.attempts + 1;
        connect(reply, &QNetworkReply::finished, this, [this, reply, id, attempts] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            NotificationOutbox outbox(m_catalog);
            if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300)
                outbox.markDelivered(id);
            else
                outbox.markAttemptFailed(id, attempts,
                                         status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString(),
                                         Clock::nowUtc());
            m_inFlight.remove(id);
            if (m_inFlight.isEmpty())
                emit finished();
        });
    }
    if (m_inFlight.isEmpty())
        QTimer::singleShot(0, this, &WebhookSender::finished);
}
