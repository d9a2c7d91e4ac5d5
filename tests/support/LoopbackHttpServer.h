#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QThread>
#include <QUrl>

class LoopbackHttpWorker;

// A small HTTP/1.1 server on 127.0.0.1 (never another interface) for the remote
// library tests. It runs on a thread of its own, so a test may block on a child
// process (the real `dataalm`) while the server answers it.
//
// It serves registered bodies with a Content-Length, honours "Range: bytes=N-"
// (206 and Content-Range; 416 past the end), and can be told to misbehave: drop the
// connection after N bytes of a body, ignore Range, or serve a body with one byte
// changed (so the index's SHA-256 is wrong for it), answer with an error status, or
// answer late. It reads the body a POST sends, and records every request.
class LoopbackHttpServer
{
public:
    struct Request
    {
        QString method;
        QString path;
        QByteArray range; // the Range header, empty if none
        QByteArray body;  // what a POST sent
        int status = 0;
        qint64 bodyBytesSent = 0;
    };

    LoopbackHttpServer();
    ~LoopbackHttpServer();
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    bool start(QString* error);
    // Stops listening and closes every connection: the next request is refused.
    void stop();
    quint16 port() const { return m_port; }
    QUrl url(const QString& path) const;

    void serve(const QString& path, const QByteArray& body,
               const QByteArray& contentType = QByteArrayLiteral("application/octet-stream"));
    // The next `times` responses for `path` stop after `bytes` bytes of the body (the
    // connection is closed, the Content-Length promised more).
    void dropAfter(const QString& path, qint64 bytes, int times = 1);
    // Serve `path` with its middle byte changed.
    void setCorrupt(const QString& path, bool corrupt);
    void setIgnoreRange(bool ignore);
    // The next `times` responses for `path` have status `status` (a webhook that fails).
    void failWith(const QString& path, int status, int times);
    // Responses for `path` wait `ms` milliseconds first (a slow webhook).
    void setDelay(const QString& path, int ms);
    QList<Request> requests() const;
    void clearRequests();

private:
    friend class LoopbackHttpWorker;
    struct Resource
    {
        QByteArray body;
        QByteArray contentType;
        qint64 dropAfter = -1;
        int dropTimes = 0;
        bool corrupt = false;
        int failStatus = 0;
        int failTimes = 0;
        int delayMs = 0;
    };

    QThread m_thread;
    LoopbackHttpWorker* m_worker = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QMap<QString, Resource> m_resources;
    bool m_ignoreRange = false;
    QList<Request> m_requests;
};
