#include "LoopbackHttpServer.h"

#include <QHostAddress>
#include <QMutexLocker>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

// Lives on the server's thread: owns the listening socket and the connections.
class LoopbackHttpWorker : public QObject
{
    Q_OBJECT

public:
    explicit LoopbackHttpWorker(LoopbackHttpServer& owner) : m_owner(owner) {}

    quint16 listen(QString* error)
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0)) {
            *error = m_server->errorString();
            return 0;
        }
        connect(m_server, &QTcpServer::newConnection, this, &LoopbackHttpWorker::accept);
        return m_server->serverPort();
    }

    void shutdown()
    {
        if (m_server)
            m_server->close();
        for (QTcpSocket* s : findChildren<QTcpSocket*>())
            s->abort();
    }

private:
    void accept()
    {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    }

    void onRead(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        qint64 length = 0;
        for (const QByteArray& line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
                length = line.mid(colon + 1).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return; // the rest of the body is on its way
        const QByteArray body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        LoopbackHttpServer::Request request;
        request.method = QString::fromLatin1(requestLine.value(0));
        request.path = QString::fromLatin1(requestLine.value(1));
        request.body = body;
        for (const QByteArray& line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "range")
                request.range = line.mid(colon + 1).trimmed();
        }
        int delay = 0;
        {
            QMutexLocker lock(&m_owner.m_mutex);
            delay = m_owner.m_resources.value(request.path).delayMs;
        }
        if (delay > 0) {
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(delay, this, [this, guard, request] {
                if (guard)
                    respond(guard, request);
            });
            return;
        }
        respond(socket, request);
    }

    void respond(QTcpSocket* socket, LoopbackHttpServer::Request request)
    {
        LoopbackHttpServer::Resource resource;
        bool found = false;
        bool ignoreRange = false;
        qint64 dropAfter = -1;
        int failStatus = 0;
        {
            QMutexLocker lock(&m_owner.m_mutex);
            auto it = m_owner.m_resources.find(request.path);
            if (it != m_owner.m_resources.end()) {
                found = true;
                resource = *it;
                if (it->dropTimes > 0) {
                    dropAfter = it->dropAfter;
                    --it->dropTimes;
                }
                if (it->failTimes > 0) {
                    failStatus = it->failStatus;
                    --it->failTimes;
                }
            }
            ignoreRange = m_owner.m_ignoreRange;
        }
        QByteArray body = resource.body;
        if (resource.corrupt && !body.isEmpty())
            body[body.size() / 2] = char(body.at(body.size() / 2) ^ 0x5a);

        QByteArray status = "200 OK";
        QByteArray extra;
        qint64 from = 0;
        if (!found) {
            status = "404 Not Found";
            body = "not found\n";
        } else if (failStatus > 0) {
            status = QByteArray::number(failStatus) + " Failing";
            body = "failing on purpose\n";
        } else if (!request.range.isEmpty() && !ignoreRange) {
            static const QRegularExpression re(QStringLiteral("^bytes=(\\d+)-(\\d*)$"));
            const auto m = re.match(QString::fromLatin1(request.range));
            if (m.hasMatch()) {
                from = m.captured(1).toLongLong();
                qint64 to = m.captured(2).isEmpty() ? body.size() - 1 : m.captured(2).toLongLong();
                to = std::min<qint64>(to, body.size() - 1);
                if (from >= body.size()) {
                    status = "416 Range Not Satisfiable";
                    extra = "Content-Range: bytes */" + QByteArray::number(body.size()) + "\r\n";
                    body.clear();
                    from = 0;
                } else {
                    status = "206 Partial Content";
                    extra = "Content-Range: bytes " + QByteArray::number(from) + '-' + QByteArray::number(to) + '/' +
                            QByteArray::number(resource.body.size()) + "\r\n";
                    body = body.mid(from, to - from + 1);
                }
            }
        }
        request.status = status.left(3).toInt();
        QByteArray toSend = body;
        if (dropAfter >= 0 && dropAfter < body.size())
            toSend = body.left(dropAfter);
        request.bodyBytesSent = toSend.size();
        {
            QMutexLocker lock(&m_owner.m_mutex);
            m_owner.m_requests << request;
        }
        QByteArray response = "HTTP/1.1 " + status + "\r\n";
        response +=
            "Content-Type: " + (resource.contentType.isEmpty() ? QByteArray("text/plain") : resource.contentType) +
            "\r\n";
        response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        response += "Accept-Ranges: bytes\r\n";
        response += extra;
        response += "Connection: close\r\n\r\n";
        socket->write(response);
        socket->write(toSend);
        // Close once everything written has left: a drop sends fewer bytes than promised.
        socket->disconnectFromHost();
    }

    LoopbackHttpServer& m_owner;
    QTcpServer* m_server = nullptr;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

LoopbackHttpServer::LoopbackHttpServer() = default;

LoopbackHttpServer::~LoopbackHttpServer()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool LoopbackHttpServer::start(QString* error)
{
    m_worker = new LoopbackHttpWorker(*this);
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QString e;
    quint16 port = 0;
    QMetaObject::invokeMethod(
        m_worker, [&] { port = m_worker->listen(&e); }, Qt::BlockingQueuedConnection);
    if (port == 0) {
        *error = QStringLiteral("cannot listen on 127.0.0.1: %1").arg(e);
        return false;
    }
    m_port = port;
    return true;
}

void LoopbackHttpServer::stop()
{
    if (m_worker && m_thread.isRunning())
        QMetaObject::invokeMethod(
            m_worker, [this] { m_worker->shutdown(); }, Qt::BlockingQueuedConnection);
}

QUrl LoopbackHttpServer::url(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

void LoopbackHttpServer::serve(const QString& path, const QByteArray& body, const QByteArray& contentType)
{
    QMutexLocker lock(&m_mutex);
    Resource& r = m_resources[path];
    r.body = body;
    r.contentType = contentType;
}

void LoopbackHttpServer::dropAfter(const QString& path, qint64 bytes, int times)
{
    QMutexLocker lock(&m_mutex);
    m_resources[path].dropAfter = bytes;
    m_resources[path].dropTimes = times;
}

void LoopbackHttpServer::setCorrupt(const QString& path, bool corrupt)
{
    QMutexLocker lock(&m_mutex);
    m_resources[path].corrupt = corrupt;
}

void LoopbackHttpServer::setIgnoreRange(bool ignore)
{
    QMutexLocker lock(&m_mutex);
    m_ignoreRange = ignore;
}

QList<LoopbackHttpServer::Request> LoopbackHttpServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

void LoopbackHttpServer::clearRequests()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

#include "LoopbackHttpServer.moc"

void LoopbackHttpServer::failWith(const QString& path, int status, int times)
{
    QMutexLocker lock(&m_mutex);
    m_resources[path].failStatus = status;
    m_resources[path].failTimes = times;
}

void LoopbackHttpServer::setDelay(const QString& path, int ms)
{
    QMutexLocker lock(&m_mutex);
    m_resources[path].delayMs = ms;
}
