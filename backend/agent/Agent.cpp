#include "agent/Agent.h"

#include "agent/AccessGrantAgent.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "core/Clock.h"
#include "core/TestHooks.h"
#include "lifecycle/OperationHost.h"
#include "lifecycle/OperationRunner.h"
#include "operation/OperationRules.h"
#include "schedule/RequestService.h"
#include "schedule/ScheduleStore.h"
#include "catalog/NotificationOutbox.h"
#include "notification/WebhookSender.h"

#include <QFile>
#include <QFileSystemWatcher>
#include <QMetaEnum>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTimer>

#include <algorithm>

#include <unistd.h>

Agent::Agent(const QString& catalogFolder, const Options& options, QObject* parent)
    : QObject(parent)
    , m_folder(catalogFolder)
    , m_options(options)
{
}

Agent::~Agent()
{
    stop();
}

bool Agent::start(QString* error)
{
    m_catalog = std::make_unique<Catalog>();
    if (!m_catalog->open(m_folder, error))
        return false;
    m_heartbeatSeconds = m_options.heartbeatSeconds > 0 ? m_options.heartbeatSeconds
                                                        : OperationStore::agentHeartbeatSeconds();
    const qint64 pid = ::getpid();
    m_id = QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(pid);
    OperationStore::setAgentId(m_id);
    QSqlQuery q(m_catalog->database());
    q.prepare(QStringLiteral("INSERT INTO agents (id, host, pid, started, seen, stopped, labels, version, running) "
                             "VALUES (?, ?, ?, ?, ?, '', ?, ?, 0) "
                             "ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, "
                             "started = excluded.started, seen = excluded.seen, stopped = '', "
                             "labels = excluded.labels, version = excluded.version, running = 0"));
    const QString now = Clock::nowUtc().toString(Qt::ISODateWithMs);
    q.addBindValue(m_id);
    q.addBindValue(QSysInfo::machineHostName());
    q.addBindValue(pid);
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(m_options.labels.isEmpty() ? QStringLiteral("") : m_options.labels.join(QLatin1Char(',')));
    q.addBindValue(QStringLiteral(DATAALM_VERSION));
    if (!q.exec()) {
        *error = QStringLiteral("cannot record the agent in the catalog: %1").arg(q.lastError().text());
        return false;
    }
    m_sender = new WebhookSender(*m_catalog, this);
    // A delivery that failed is tried again at its next attempt: the timer is set for it.
    connect(m_sender, &WebhookSender::finished, this, [this] {
        if (m_timer && !m_running && !m_stopping)
            arm();
    });
    m_host = std::make_unique<OperationHost>(m_folder);
    m_host->runner()->setActingAsAgent(true);
    connect(m_host->runner(), &OperationRunner::finished, this, &Agent::onFinished);
    if (!m_options.once) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        m_timer->setTimerType(Qt::CoarseTimer);
        connect(m_timer, &QTimer::timeout, this, &Agent::pass);
        m_heartbeat = new QTimer(this);
        m_heartbeat->setTimerType(Qt::VeryCoarseTimer);
        connect(m_heartbeat, &QTimer::timeout, this, &Agent::heartbeat);
        m_heartbeat->start(m_heartbeatSeconds * 1000);
        // Woken by a change to the requests, not by polling for one.
        if (m_catalog->isTeam()) {
            if (!m_catalog->listen(QStringLiteral("dataalm_requests"), [this](const QString&) {
                    if (m_timer && !m_timer->isActive())
                        m_timer->start(0); // merged: one pass for a burst of changes
                })) {
                *error = QStringLiteral("the team catalog refused LISTEN dataalm_requests");
                return false;
            }
            emit message(QStringLiteral("agent %1 (labels: %2) on the team catalog %3")
                             .arg(m_id,
                                  m_options.labels.isEmpty() ? QStringLiteral("any")
                                                             : m_options.labels.join(QLatin1Char(',')),
                                  m_catalog->location()));
            QTimer::singleShot(0, this, &Agent::pass);
            return true;
        }
        const QString changed = RequestService::changeFile(m_catalog->folder());
        if (!QFile::exists(changed)) {
            QFile f(changed);
            f.open(QIODevice::WriteOnly);
        }
        m_watcher = new QFileSystemWatcher({changed}, this);
        connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this, changed] {
            // A file replaced rather than written is watched again.
            if (!m_watcher->files().contains(changed) && QFile::exists(changed))
                m_watcher->addPath(changed);
            pass();
        });
    }
    emit message(QStringLiteral("agent %1 watching %2").arg(m_id, m_catalog->location()));
    QTimer::singleShot(0, this, &Agent::pass);
    return true;
}

void Agent::stop()
{
    if (!m_catalog || m_id.isEmpty())
        return;
    QSqlQuery q(m_catalog->database());
    q.prepare(QStringLiteral("UPDATE agents SET stopped = ? WHERE id = ?"));
    q.addBindValue(Clock::nowUtc().toString(Qt::ISODateWithMs));
    q.addBindValue(m_id);
    q.exec();
    m_id.clear();
}

void Agent::shutdown()
{
    m_stopping = true;
    if (m_timer)
        m_timer->stop();
    if (m_running) {
        emit message(QStringLiteral("stopping: operation %1 is asked to stop before its point of no return").arg(m_running));
        m_host->cancel();
        return;
    }
    stop();
    emit finished();
}

bool Agent::anyAlive(Catalog& catalog, int heartbeatSeconds)
{
    QSqlQuery q(catalog.database());
    q.prepare(QStringLiteral("SELECT count(*) FROM agents WHERE stopped = '' AND seen >= ?"));
    q.addBindValue(Clock::nowUtc().addSecs(-3 * heartbeatSeconds).toString(Qt::ISODateWithMs));
    return q.exec() && q.next() && q.value(0).toInt() > 0;
}

void Agent::heartbeat()
{
    if (!m_catalog || m_id.isEmpty())
        return;
    // A team catalog that dropped the connection (a restart): opened again, LISTENing again.
    if (!m_catalog->ensureConnected()) {
        emit message(QStringLiteral("the team catalog does not answer; trying again in %1 s").arg(m_heartbeatSeconds));
        return;
    }
    QSqlQuery q(m_catalog->database());
    q.prepare(QStringLiteral("UPDATE agents SET seen = ?, running = ? WHERE id = ?"));
    q.addBindValue(Clock::nowUtc().toString(Qt::ISODateWithMs));
    q.addBindValue(m_running);
    q.addBindValue(m_id);
    q.exec();
    // On a team catalog, an idle agent looks at the queue at each heartbeat too: another
    // agent's expired lease is found there (its operations are then resumed), and so is
    // what was announced while the connection was down.
    if (m_catalog->isTeam() && !m_running && !m_stopping && m_timer && m_timer->remainingTime() != 0)
        m_timer->start(0);
}

void Agent::pass()
{
    if (m_running || m_stopping)
        return; // the pass after it ends looks again
    heartbeat();
    OperationStore(*m_catalog).recoverInterrupted();
    sendReminders(Clock::nowUtc());
    const bool running = startDue();
    // Notifications go out while an operation runs: they never wait for it.
    if (!m_sender->isBusy())
        m_sender->deliverDue();
    if (running)
        return;
    if (m_options.once) {
        finishOnce();
        return;
    }
    arm();
}

void Agent::finishOnce()
{
    // What is due goes out before the pass ends, the deliveries an operation's end wrote
    // while a slow webhook held the sender included; a failed one is due again only
    // after its backoff, so this ends.
    if (!m_sender->isBusy() && NotificationOutbox(*m_catalog).due(Clock::nowUtc(), 1).isEmpty()) {
        emit finished();
        return;
    }
    connect(m_sender, &WebhookSender::finished, this, &Agent::finishOnce, Qt::SingleShotConnection);
    if (!m_sender->isBusy())
        m_sender->deliverDue();
}

QDateTime Agent::sendReminders(const QDateTime& now)
{
    QDateTime next;
    QSqlDatabase db = m_catalog->database();
    for (const OperationRecord& r : OperationStore(*m_catalog).scheduled()) {
        if (r.windowStart <= now)
            continue;
        const qint64 left = now.secsTo(r.windowStart);
        const char* event = left <= 900 ? "reminder-15min" : left <= 3600 ? "reminder-1h" : nullptr;
        if (event) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO reminders_sent (operation_id, event, window_start) VALUES (?, "
                                     "?, ?) ON CONFLICT DO NOTHING"));
            q.addBindValue(r.id);
            q.addBindValue(QString::fromLatin1(event));
            q.addBindValue(r.windowStart.toUTC().toString(Qt::ISODateWithMs));
            if (q.exec() && q.numRowsAffected() == 1)
                NotificationOutbox(*m_catalog).enqueue(QString::fromLatin1(event), r.id);
        }
        const QDateTime due = left > 3600 ? r.windowStart.addSecs(-3600) : r.windowStart.addSecs(-900);
        if (due > now && (!next.isValid() || due < next))
            next = due;
    }
    return next;
}

void Agent::arm()
{
    const QDateTime now = Clock::nowUtc();
    QDateTime next = OperationStore(*m_catalog).nextWindowStart();
    const QDateTime schedule = ScheduleStore(*m_catalog).nextStart();
    if (schedule.isValid() && (!next.isValid() || schedule < next))
        next = schedule;
    if (m_retryAt.isValid() && (!next.isValid() || m_retryAt < next))
        next = m_retryAt;
    for (const QDateTime& t : {NotificationOutbox(*m_catalog).nextAttempt(), sendReminders(now)}) {
        if (t.isValid() && (!next.isValid() || t < next))
            next = t;
    }
    if (!next.isValid()) {
        m_timer->stop(); // nothing to wait for: the watch wakes it
        return;
    }
    const qint64 ms = std::clamp<qint64>(now.msecsTo(next), 0, qint64(24) * 3600 * 1000);
    m_timer->start(int(ms));
}

void Agent::makeDueOccurrences(const QDateTime& now)
{
    ScheduleStore schedules(*m_catalog);
    RequestService requests(*m_catalog);
    for (const Schedule& s : schedules.list()) {
        if (s.nextStart > now)
            break; // the earliest first
        // Occurrences whose window ended with no agent running (or that a clock moved
        // forward jumped over) are said, never run late.
        int skipped = 0;
        const QDateTime open = s.firstOpenAt(now, &skipped);
        QString note;
        if (skipped > 0)
            note = QStringLiteral("%1 occurrence(s) from %2 passed without running: no agent ran in their window, or "
                                  "the clock moved forward")
                       .arg(skipped)
                       .arg(s.nextStart.toUTC().toString(Qt::ISODate));
        if (open > now) {
            if (schedules.advance(s.id, s.nextStart, open, note))
                emit message(QStringLiteral("schedule S%1: %2").arg(s.id).arg(note));
            continue;
        }
        // Moved on first (compare-and-set): of two agents, one makes the occurrence.
        if (!schedules.advance(s.id, s.nextStart, s.after(open), note))
            continue;
        if (!note.isEmpty())
            emit message(QStringLiteral("schedule S%1: %2").arg(s.id).arg(note));
        QString what, error;
        if (requests.makeOccurrence(s, open, &what, &error)) {
            emit message(QStringLiteral("schedule S%1 (%2 of %3): the window of %4 opened; made %5")
                             .arg(s.id)
                             .arg(s.kind, s.target, open.toUTC().toString(Qt::ISODate), what));
        } else {
            const QString why = QStringLiteral("the occurrence of %1 could not be made: %2")
                                    .arg(open.toUTC().toString(Qt::ISODate), error);
            schedules.advance(s.id, s.after(open), s.after(open), why);
            emit message(QStringLiteral("schedule S%1: %2").arg(s.id).arg(why));
        }
    }
}

bool Agent::serves(const OperationRecord& request) const
{
    if (m_options.labels.isEmpty())
        return true;
    for (const QString& id : {request.target, request.source}) {
        if (id.isEmpty())
            continue;
        if (m_options.labels.contains(id))
            return true;
        if (const auto e = m_catalog->environment(id)) {
            for (const DatabaseRef& d : e->databases) {
                if (d.isPostgres() && (m_options.labels.contains(d.host) ||
                                       m_options.labels.contains(QStringLiteral("%1:%2").arg(d.host).arg(d.port))))
                    return true;
            }
        }
    }
    return false;
}

bool Agent::startDue()
{
    OperationStore store(*m_catalog);
    RequestService requests(*m_catalog);
    const QDateTime now = Clock::nowUtc();
    m_retryAt = {};
    // The end of an action the catalog could not record when it came (a server away
    // for longer than the store waits) is recorded now; an action this agent holds but
    // no longer runs (its record lost the same way) is released, never left pending.
    for (auto it = m_unrecorded.begin(); it != m_unrecorded.end();) {
        if (store.finishAction(it->id, m_id, it->outcome, it->text))
            it = m_unrecorded.erase(it);
        else
            ++it;
    }
    for (qint64 held : store.actionsHeldBy(m_id)) {
        if (std::none_of(m_unrecorded.cbegin(), m_unrecorded.cend(), [held](const Unrecorded& u) { return u.id == held; }))
            store.finishAction(held, m_id, QStringLiteral("Released"),
                               QStringLiteral("Agent %1 lost track of it; look at the operation, then ask again.").arg(m_id));
    }
    // What people asked of the agents on existing operations (resume, rollback, sign off,
    // abort) comes first: someone waits for it. One agent claims each (a compare-and-set).
    for (const OperationRecord& op : store.pendingActions()) {
        const auto action = OperationRunner::actionFromName(op.pendingAction);
        if (!serves(op))
            continue;
        if (!action) {
            if (store.claimAction(op.id, m_id))
                store.finishAction(op.id, m_id, QStringLiteral("Refused"),
                                   QStringLiteral("Agent %1 cannot %2 operations (version %3).")
                                       .arg(m_id, op.pendingAction, QStringLiteral(DATAALM_VERSION)));
            continue;
        }
        if (!store.claimAction(op.id, m_id))
            continue; // another agent's now
        emit message(QStringLiteral("operation %1 (%2 of %3): %4 asked the agents to %5")
                         .arg(op.id)
                         .arg(op.title(), op.target, op.actionBy, OperationRules::pendingActionWords(op.pendingAction)));
        m_running = op.id;
        m_carryingOut = true;
        m_host->execute(op.id, *action);
        return true;
    }
    // An operation of a request that an agent was running when it stopped: resumed while
    // its window lasts, else left to a person.
    for (qint64 id : store.interruptedUnresolved()) {
        const auto op = store.get(id);
        if (!op || !op->windowStart.isValid() || op->state != OperationState::Failed || !serves(*op))
            continue;
        const DurationEstimate e = requests.estimate(*op);
        if (now < op->windowEnd && OperationRules::missedWindow(*op, now, e.isKnown() ? e.seconds / 2 : -1).isEmpty()) {
            emit message(QStringLiteral("operation %1 (%2 of %3) was interrupted; resuming it in its window")
                             .arg(id)
                             .arg(op->title(), op->target));
            m_running = id;
            m_host->execute(id, OperationRunner::Resume);
            return true;
        }
    }
    makeDueOccurrences(now);
    // Just-in-time logins: made, and removed when revoked, expired or their database replaced.
    AccessGrantAgent(*m_catalog, m_id).pass(now, [this](const QString& line) { emit message(line); });
    // Requests nobody approved before their window ended: they end, with the sentence.
    for (qint64 id : store.expireApprovals(now)) {
        requests.touch();
        emit message(QStringLiteral("request %1 was not approved before its window ended; it ends Canceled").arg(id));
    }
    for (const OperationRecord& r : store.scheduled()) {
        if (r.windowStart > now)
            break; // the earliest first: the rest are not due either
        if (!serves(r))
            continue; // another agent's, by its labels
        const DurationEstimate e = requests.estimate(r);
        const QString missed = OperationRules::missedWindow(r, now, e.seconds);
        if (!missed.isEmpty()) {
            QString error;
            if (store.transition(r.id, OperationState::Failed, &error, missed)) {
                requests.touch();
                emit message(QStringLiteral("request %1 (%2 of %3) %4").arg(r.id).arg(r.title(), r.target, missed));
            }
            continue;
        }
        QString busy, error;
        const std::optional<qint64> id = store.claim(r.id, &busy, &error, m_id);
        if (!id) {
            if (!busy.isEmpty()) {
                // Held by another operation: looked at again in a minute while the window lasts.
                emit message(QStringLiteral("request %1 waits: %2").arg(r.id).arg(busy));
                const QDateTime retry = now.addSecs(60);
                if (!m_retryAt.isValid() || retry < m_retryAt)
                    m_retryAt = retry;
            }
            continue; // claimed by another agent, or cancelled meanwhile
        }
        TestHooks::crashPoint("agent-claimed");
        emit message(QStringLiteral("request %1 (%2 of %3): window open, running it as operation %4")
                         .arg(r.id)
                         .arg(r.title(), r.target)
                         .arg(*id));
        m_running = *id;
        m_host->execute(*id, OperationRunner::Run);
        return true;
    }
    return false;
}

void Agent::onFinished(qint64 id, int outcome, const QString& state, const QString& text)
{
    if (id != m_running)
        return;
    m_running = 0;
    if (m_carryingOut) {
        // Said to whoever asked: how it ended, and why when it was not done.
        m_carryingOut = false;
        const QString outcomeName = QString::fromLatin1(
            QMetaEnum::fromType<OperationRunner::Outcome>().valueToKey(outcome));
        const QString why = outcome == OperationRunner::Done ? QString() : text.isEmpty() ? state : text;
        if (!OperationStore(*m_catalog).finishAction(id, m_id, outcomeName, why))
            m_unrecorded.append({id, outcomeName, why});
    }
    emit message(QStringLiteral("operation %1 ended %2%3").arg(id).arg(state, text.isEmpty() ? QString() : QStringLiteral(": ") + text));
    if (m_stopping) {
        stop();
        emit finished();
        return;
    }
    // What the operation's end wrote for the webhooks goes out now.
    if (!m_sender->isBusy())
        m_sender->deliverDue();
    QTimer::singleShot(0, this, &Agent::pass);
}
