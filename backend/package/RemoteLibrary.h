#pragma once

#include "package/RemotePackage.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <optional>

class QNetworkReply;

// A remote shared library: an HTTP(S) server with an index.json of packages. Fetches
// the index and downloads packages with QNetworkAccessManager on the thread it lives
// on, asynchronously (signals) or, for the CLI and tests, with a local event loop
// (the *AndWait functions).
//
// Promises:
// - A download goes to <folder>/<sha256>.part and is kept there if it is
//   interrupted; the next download of the same package asks only for the missing
//   bytes (an HTTP Range request) and starts over if the server ignores it.
// - A download is accepted only when its size and SHA-256 are those of the index;
//   a mismatch deletes the .part (it can never become right) and reports Corrupt.
// - It never writes anywhere but its folder, and never more than the index's size.
class RemoteLibrary : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(RemoteLibrary)

public:
    enum Outcome
    {
        Ok,
        Unreachable,
        Interrupted,
        Corrupt,
        Failed,
        Cancelled
    };
    Q_ENUM(Outcome)

    // `folder`: where downloads are kept (created when needed).
    explicit RemoteLibrary(const QString& folder, QObject* parent = nullptr);
    ~RemoteLibrary() override;

    QString folder() const { return m_folder; }
    QString partPathFor(const RemotePackage& package) const;
    // Seconds without a byte before a transfer is given up (default 30).
    void setTransferTimeout(int seconds) { m_timeoutSeconds = seconds; }

    void fetchIndex(const QUrl& indexUrl);
    void download(const RemotePackage& package);
    void cancel();

    std::optional<QList<RemotePackage>> fetchIndexAndWait(const QUrl& indexUrl, QString* error, Outcome* outcome);
    // The path of the verified download (the .part, complete), or nothing.
    std::optional<QString> downloadAndWait(const RemotePackage& package, QString* error, Outcome* outcome);

Q_SIGNALS:
    void indexFetched(int outcome, const QList<RemotePackage>& packages, const QString& error);
    // received includes the bytes of a resumed .part; total is the index's size.
    void progressed(qint64 received, qint64 total, qint64 resumedFrom);
    void downloaded(int outcome, const QString& path, const QString& error);

private:
    void startDownload(bool allowRange);
    void onDownloadData();
    void onDownloadFinished();
    void finishDownload(Outcome outcome, const QString& error);
    static Outcome outcomeOf(QNetworkReply* reply, bool gotBytes);

    QString m_folder;
    int m_timeoutSeconds = 30;
    QNetworkAccessManager m_network;
    QPointer<QNetworkReply> m_reply;
    RemotePackage m_package;
    QFile m_part;
    qint64 m_received = 0;
    qint64 m_resumedFrom = 0;
    bool m_headersChecked = false;
    bool m_restarted = false;
    bool m_cancelled = false;
    QString m_abortReason;
    Outcome m_abortOutcome = Failed;
};
