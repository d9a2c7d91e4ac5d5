#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <memory>

class Catalog;
class OperationHost;
class QFileSystemWatcher;
class WebhookSender;
class QTimer;
struct OperationRecord;

// The agent (`dataalm agent`): a headless process that runs the requests whose downtime
// window has opened, on the same OperationHost and runner as the CLI and the console.
//
// Promises:
// - It never starts work outside a window: a request whose window ended, or whose
//   remaining window is shorter than its estimate, ends Failed ("missed its window").
// - Two agents on one catalog never run the same request: a request is claimed
//   atomically (OperationStore::claim) before it runs.
// - After a kill -9, the next agent finds what the last one was doing: a request it
//   had claimed but not started waits for its window again, an operation it was
//   running is recovered as interrupted and resumed while its window lasts.
// - It delivers the project's webhook notifications (WebhookSender), the reminders an
//   hour and 15 minutes before a window included, without ever waiting on one.
// - It does not poll: it sleeps until the next window opens, wakes when a request is
//   made, moved or cancelled (the catalog's `requests.changed`, watched; on a team
//   catalog, PostgreSQL's NOTIFY on dataalm_requests), and once a minute to say it is
//   alive (the `agents` table).
// - On a team catalog, many agents on many machines share the queue: claims pass over
//   what another agent is claiming (SKIP LOCKED); an agent with labels takes only the
//   requests whose environments, or their databases' servers, it is labelled for; an
//   operation whose agent stopped heartbeating is marked interrupted once its lease
//   (three heartbeats) expires, and another agent resumes it inside its window.
// - On a team catalog it carries out the resumes, rollbacks, sign-offs and aborts people
//   asked for (OperationStore::pendingActions) before new work, in their name, and says
//   what came of each (OperationStore::finishAction).
class Agent : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool once = false;          // one pass, run what is due, then finish
        int heartbeatSeconds = 0;   // how often it records that it is alive (0: OperationStore's)
        // Environment ids or database servers (host, or host:port) it runs work for; empty: any.
        QStringList labels;
    };

    Agent(const QString& catalogFolder, const Options& options, QObject* parent = nullptr);
    ~Agent() override;

    bool start(QString* error);
    // Records that the agent stopped (a clean exit).
    void stop();
    // Asks the running operation to stop before its point of no return, then finishes
    // (at once when nothing runs).
    void shutdown();
    // Whether an agent is alive on `catalog`: a heartbeat newer than three intervals.
    static bool anyAlive(Catalog& catalog, int heartbeatSeconds = 60);

Q_SIGNALS:
    // Said to the user (the CLI prints it on stderr).
    void message(const QString& text);
    // With Options::once, after the pass and what it ran.
    void finished();

private:
    void pass();
    void heartbeat();
    void arm();
    // Starts what is due; true when an operation now runs.
    bool startDue();
    // Whether this agent's labels let it run `request`.
    bool serves(const OperationRecord& request) const;
    // Makes the occurrences of recurring schedules whose window opened.
    void makeDueOccurrences(const QDateTime& now);
    // Writes the reminders an hour and 15 minutes before a window, once each; returns
    // when the next one is due (invalid: none).
    QDateTime sendReminders(const QDateTime& now);
    // With Options::once: finished() once the webhook deliveries are sent.
    void finishOnce();
    void onFinished(qint64 id, int outcome, const QString& state, const QString& message);

    QString m_folder;
    Options m_options;
    std::unique_ptr<Catalog> m_catalog;
    std::unique_ptr<OperationHost> m_host;
    QTimer* m_timer = nullptr;
    QTimer* m_heartbeat = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    int m_heartbeatSeconds = 60;
    WebhookSender* m_sender = nullptr;
    QString m_id;
    qint64 m_running = 0;
    bool m_carryingOut = false; // m_running is an action someone asked for
    // Ends of actions the catalog did not take when they came: recorded at the next pass.
    struct Unrecorded
    {
        qint64 id;
        QString outcome;
        QString text;
    };
    QList<Unrecorded> m_unrecorded;
    bool m_stopping = false;
    QDateTime m_retryAt;
};
