#include "package/RemoteLibrary.h"
#include "core/ByteSize.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

namespace {

constexpr qint64 MaxIndexBytes = 4 * 1024 * 1024;


QString fileSha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return QString::fromLatin1(hash.result().toHex());
}

int httpStatus(QNetworkReply* reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

RemoteLibrary::RemoteLibrary(const QString& folder, QObject* parent) : QObject(parent), m_folder(folder) {}

RemoteLibrary::~RemoteLibrary()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QString RemoteLibrary::partPathFor(const RemotePackage& package) const
{
    return QDir(m_folder).filePath(package.sha256 + QStringLiteral(".part"));
}

RemoteLibrary::Outcome RemoteLibrary::outcomeOf(QNetworkReply* reply, bool gotBytes)
{
    if (httpStatus(reply) >= 400)
        return Failed;
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::OperationCanceledError:
        return gotBytes ? Interrupted : Unreachable;
    default:
        return gotBytes ? Interrupted : Failed;
    }
}

void RemoteLibrary::fetchIndex(const QUrl& indexUrl)
{
    QNetworkRequest request(indexUrl);
    request.setTransferTimeout(m_timeoutSeconds * 1000);
    QNetworkReply* reply = m_network.get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > MaxIndexBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, indexUrl] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            const int status = httpStatus(reply);
            const QString why = status >= 400
                                    ? QStringLiteral("the server answered %1 %2")
                                          .arg(status)
                                          .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())
                                    : reply->errorString();
            Q_EMIT indexFetched(outcomeOf(reply, false), {},
                                QStringLiteral("cannot read the index %1: %2").arg(indexUrl.toString(), why));
            return;
        }
        QString error;
        auto packages = RemotePackage::parseIndex(reply->readAll(), indexUrl, &error);
        if (!packages) {
            Q_EMIT indexFetched(Failed, {}, error);
            return;
        }
        Q_EMIT indexFetched(Ok, *packages, QString());
    });
}

void RemoteLibrary::download(const RemotePackage& package)
{
    m_package = package;
    m_cancelled = false;
    m_restarted = false;
    startDownload(true);
}

void RemoteLibrary::cancel()
{
    m_cancelled = true;
    if (m_reply)
        m_reply->abort();
}

void RemoteLibrary::startDownload(bool allowRange)
{
    m_headersChecked = false;
    m_abortReason.clear();
    m_received = 0;
    m_resumedFrom = 0;
    if (!QDir().mkpath(m_folder)) {
        finishDownload(Failed, QStringLiteral("cannot create the download folder %1").arg(m_folder));
        return;
    }
    const QString part = partPathFor(m_package);
    m_part.close();
    m_part.setFileName(part);
    qint64 existing = QFileInfo::exists(part) ? QFileInfo(part).size() : 0;
    if (existing > m_package.size) {
        QFile::remove(part);
        existing = 0;
    }
    if (existing == m_package.size) {
        m_received = existing;
        m_resumedFrom = existing;
        finishDownload(Ok, QString()); // verified there
        return;
    }
    QNetworkRequest request(m_package.url);
    request.setTransferTimeout(m_timeoutSeconds * 1000);
    if (allowRange && existing > 0) {
        request.setRawHeader("Range", QByteArrayLiteral("bytes=") + QByteArray::number(existing) + '-');
        m_resumedFrom = existing;
    }
    m_reply = m_network.get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &RemoteLibrary::onDownloadData);
    connect(m_reply, &QNetworkReply::finished, this, &RemoteLibrary::onDownloadFinished);
}

void RemoteLibrary::onDownloadData()
{
    QNetworkReply* reply = m_reply;
    if (!reply || !m_abortReason.isEmpty())
        return;
    const int status = httpStatus(reply);
    if (!m_headersChecked) {
        if (status == 206) {
            // Content-Range: bytes START-END/TOTAL must start where the .part ends.
            static const QRegularExpression range(QStringLiteral("^bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)$"));
            const auto m = range.match(QString::fromLatin1(reply->rawHeader("Content-Range")).trimmed());
            if (!m.hasMatch() || m.captured(1).toLongLong() != m_resumedFrom) {
                m_abortReason = QStringLiteral("the server resumed at the wrong place (Content-Range: %1)")
                                    .arg(QString::fromLatin1(reply->rawHeader("Content-Range")));
                m_abortOutcome = Failed;
                reply->abort();
                return;
            }
            if (!m_part.open(QIODevice::WriteOnly | QIODevice::Append)) {
                m_abortReason = QStringLiteral("cannot write %1: %2").arg(m_part.fileName(), m_part.errorString());
                m_abortOutcome = Failed;
                reply->abort();
                return;
            }
            m_received = m_resumedFrom;
        } else if (status == 200) {
            // A server that ignores Range sends the whole file: start over.
            m_resumedFrom = 0;
            if (!m_part.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                m_abortReason = QStringLiteral("cannot write %1: %2").arg(m_part.fileName(), m_part.errorString());
                m_abortOutcome = Failed;
                reply->abort();
                return;
            }
            m_received = 0;
        } else {
            return; // an error page: finished() reports it
        }
        m_headersChecked = true;
    }
    const QByteArray data = reply->readAll();
    if (m_received + data.size() > m_package.size) {
        m_abortReason = QStringLiteral("the server sends more than the %1 bytes the index gives for %2")
                            .arg(m_package.size)
                            .arg(m_package.title());
        m_abortOutcome = Corrupt;
        reply->abort();
        return;
    }
    if (m_part.write(data) != data.size()) {
        m_abortReason = QStringLiteral("cannot write %1: %2").arg(m_part.fileName(), m_part.errorString());
        m_abortOutcome = Failed;
        reply->abort();
        return;
    }
    m_received += data.size();
    Q_EMIT progressed(m_received, m_package.size, m_resumedFrom);
}

void RemoteLibrary::onDownloadFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply)
        return;
    if (reply->error() == QNetworkReply::NoError && reply->bytesAvailable() > 0)
        onDownloadData();
    m_reply = nullptr;
    reply->deleteLater();
    m_part.close();
    if (!m_abortReason.isEmpty())
        return finishDownload(m_abortOutcome, m_abortReason);
    if (m_cancelled)
        return finishDownload(Cancelled,
                              QStringLiteral("cancelled; %1 of %2 kept in %3 for the next attempt")
                                  .arg(ByteSize::text(m_received), ByteSize::text(m_package.size), m_part.fileName()));
    const int status = httpStatus(reply);
    if (status == 416 && !m_restarted) {
        // The server cannot resume from the .part: start over once.
        m_restarted = true;
        QFile::remove(partPathFor(m_package));
        startDownload(false);
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const bool gotBytes = m_received > 0;
        const Outcome outcome = outcomeOf(reply, gotBytes);
        if (status >= 400)
            return finishDownload(outcome,
                                  QStringLiteral("cannot download %1: the server answered %2 %3")
                                      .arg(m_package.url.toString())
                                      .arg(status)
                                      .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString()));
        if (gotBytes)
            return finishDownload(outcome,
                                  QStringLiteral("the download of %1 stopped after %2 of %3 (%4); %5 is kept "
                                                 "and the next attempt resumes it")
                                      .arg(m_package.title(), ByteSize::text(m_received), ByteSize::text(m_package.size),
                                           reply->errorString(), m_part.fileName()));
        return finishDownload(
            outcome, QStringLiteral("cannot download %1: %2").arg(m_package.url.toString(), reply->errorString()));
    }
    if (m_received < m_package.size)
        return finishDownload(
            Interrupted,
            QStringLiteral("the download of %1 stopped after %2 of %3 (the server closed "
                           "the connection); %4 is kept and the next attempt resumes it")
                .arg(m_package.title(), ByteSize::text(m_received), ByteSize::text(m_package.size), m_part.fileName()));
    finishDownload(Ok, QString());
}

void RemoteLibrary::finishDownload(Outcome outcome, const QString& error)
{
    const QString part = partPathFor(m_package);
    if (outcome == Ok) {
        const qint64 size = QFileInfo(part).size();
        if (size != m_package.size) {
            QFile::remove(part);
            Q_EMIT downloaded(Corrupt, QString(),
                              QStringLiteral("%1 is %2 bytes; the index says %3")
                                  .arg(m_package.title())
                                  .arg(size)
                                  .arg(m_package.size));
            return;
        }
        const QString digest = fileSha256(part);
        if (digest != m_package.sha256) {
            QFile::remove(part);
            Q_EMIT downloaded(Corrupt, QString(),
                              QStringLiteral("the download of %1 does not match the index's SHA-256 (got %2, expected "
                                             "%3); it was deleted")
                                  .arg(m_package.title(), digest, m_package.sha256));
            return;
        }
        Q_EMIT downloaded(Ok, part, QString());
        return;
    }
    if (outcome == Corrupt)
        QFile::remove(part);
    Q_EMIT downloaded(outcome, QString(), error);
}

std::optional<QList<RemotePackage>> RemoteLibrary::fetchIndexAndWait(const QUrl& indexUrl, QString* error,
                                                                     Outcome* outcome)
{
    QEventLoop loop;
    bool done = false;
    std::optional<QList<RemotePackage>> result;
    auto c = connect(this, &RemoteLibrary::indexFetched, &loop,
                     [&](int o, const QList<RemotePackage>& packages, const QString& e) {
                         done = true;
                         *outcome = Outcome(o);
                         if (o == Ok)
                             result = packages;
                         else
                             *error = e;
                         loop.quit();
                     });
    fetchIndex(indexUrl);
    if (!done)
        loop.exec();
    disconnect(c);
    return result;
}

std::optional<QString> RemoteLibrary::downloadAndWait(const RemotePackage& package, QString* error, Outcome* outcome)
{
    QEventLoop loop;
    bool done = false;
    std::optional<QString> result;
    auto c = connect(this, &RemoteLibrary::downloaded, &loop, [&](int o, const QString& path, const QString& e) {
        done = true;
        *outcome = Outcome(o);
        if (o == Ok)
            result = path;
        else
            *error = e;
        loop.quit();
    });
    download(package);
    if (!done)
        loop.exec();
    disconnect(c);
    return result;
}
