#include "catalog/OperationStore.h"

#include "catalog/Catalog.h"
#include "catalog/NotificationOutbox.h"
#include "core/Clock.h"
#include "operation/OperationKinds.h"
#include "operation/OperationRules.h"

#include <QJsonArray>
#include <QFile>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

#include <csignal>
#include <mutex>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace {

// The catalog's times: "2026-12-02T05:42:30.290Z" (Catalog::now()), read without
// QDateTime's general parser (a listing reads a million of them); anything else by it.
QDateTime parseTime(const QVariant& v)
{
    const QString s = v.toString();
    if (s.isEmpty())
        return {};
    const QChar* c = s.constData();
    const auto digits = [c](int at, int n, int* value) {
        int x = 0;
        for (int i = at; i < at + n; ++i) {
            const char16_t d = c[i].unicode();
            if (d < u'0' || d > u'9')
                return false;
            x = x * 10 + (d - u'0');
        }
        *value = x;
        return true;
    };
    int y, mo, d, h, mi, sec, ms;
    if (s.size() == 24 && c[4] == u'-' && c[7] == u'-' && c[10] == u'T' && c[13] == u':' && c[16] == u':' &&
        c[19] == u'.' && c[23] == u'Z' && digits(0, 4, &y) && digits(5, 2, &mo) && digits(8, 2, &d) &&
        digits(11, 2, &h) && digits(14, 2, &mi) && digits(17, 2, &sec) && digits(20, 3, &ms)) {
        const QDate date(y, mo, d);
        const QTime time(h, mi, sec, ms);
        if (date.isValid() && time.isValid())
            return QDateTime(date, time, Qt::UTC);
    }
    return QDateTime::fromString(s, Qt::ISODateWithMs);
}

QJsonObject parseObject(const QVariant& v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

QString toText(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

const char* OperationColumns = "id, kind, project_id, source, target, state, who, created, started, finished, error, "
                               "owner_pid, cancel_requested, params, restore_point, window_start, window_end, "
                               "schedule_id, request_id, action, action_by, action_agent, action_result, "
                               "action_outcome, approved_by, approved_at, approval_note";

OperationRecord fromQuery(const QSqlQuery& q)
{
    OperationRecord r;
    r.id = q.value(0).toLongLong();
    r.kind = q.value(1).toString();
    r.projectId = q.value(2).toString();
    r.source = q.value(3).toString();
    r.target = q.value(4).toString();
    r.state = operationStateFromName(q.value(5).toString()).value_or(OperationState::Failed);
    r.who = q.value(6).toString();
    r.created = parseTime(q.value(7));
    r.started = parseTime(q.value(8));
    r.finished = parseTime(q.value(9));
    r.error = q.value(10).toString();
    r.ownerPid = q.value(11).toLongLong();
    r.cancelRequested = q.value(12).toInt() != 0;
    r.params = parseObject(q.value(13));
    r.restorePoint = parseObject(q.value(14));
    r.windowStart = parseTime(q.value(15));
    r.windowEnd = parseTime(q.value(16));
    r.scheduleId = q.value(17).toLongLong();
    r.requestId = q.value(18).toLongLong();
    r.pendingAction = q.value(19).toString();
    r.actionBy = q.value(20).toString();
    r.actionAgent = q.value(21).toString();
    r.actionResult = q.value(22).toString();
    r.actionOutcome = q.value(23).toString();
    r.approvedBy = q.value(24).toString();
    r.approvedAt = parseTime(q.value(25));
    r.approvalNote = q.value(26).toString();
    return r;
}

// A step from `q`'s columns ordinal, name, state, started, finished, done, total, bytes,
// detail, the first at `first`.
StepRecord stepFromQuery(const QSqlQuery& q, int first)
{
    StepRecord s;
    s.ordinal = q.value(first).toInt();
    s.name = q.value(first + 1).toString();
    s.state = stepStateFromName(q.value(first + 2).toString()).value_or(StepState::NotStarted);
    s.started = parseTime(q.value(first + 3));
    s.finished = parseTime(q.value(first + 4));
    s.done = q.value(first + 5).toLongLong();
    s.total = q.value(first + 6).toLongLong();
    s.bytes = q.value(first + 7).toLongLong();
    s.detail = q.value(first + 8).toString();
    return s;
}

// OperationRecord::holdsTarget() as an SQL condition: an unfinished state
// (isUnfinishedState), and not a failure before it started (a request that missed its
// window).
QString holdsTarget()
{
    QStringList names;
    for (OperationState s : allOperationStates()) {
        if (isUnfinishedState(s))
            names << QLatin1Char('\'') + operationStateName(s) + QLatin1Char('\'');
    }
    return QStringLiteral("state IN (%1) AND NOT (state = 'Failed' AND started = '')").arg(names.join(QLatin1Char(',')));
}

// Why no operation may start on `target` now (inside the caller's transaction), empty
// when one may: an operation holding it, or a refresh that may still read it as its
// source. Operation `except` is left out (a request being claimed).
QString startRefusal(QSqlDatabase& db, const QString& target, qint64 except, QString* sqlError)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, kind, state FROM operations WHERE target = ? AND id <> ? AND %1 ORDER BY id "
                             "DESC LIMIT 1")
                  .arg(holdsTarget()));
    q.addBindValue(target);
    q.addBindValue(except);
    if (!q.exec()) {
        *sqlError = q.lastError().text();
        return {};
    }
    // A refresh that may still read `target` as its source holds it too.
    QSqlQuery r(db);
    r.prepare(QStringLiteral("SELECT id, kind, state, target FROM operations WHERE source = ? AND target <> ? AND "
                             "kind = ? AND (state IN ('NotStarted','InProgress') OR (state = 'Failed' AND started <> '')) "
                             "ORDER BY id DESC LIMIT 1"));
    r.addBindValue(target);
    r.addBindValue(target);
    r.addBindValue(OperationKinds::Refresh);
    if (!r.exec()) {
        *sqlError = r.lastError().text();
        return {};
    }
    if (r.next()) {
        OperationRecord reader;
        reader.id = r.value(0).toLongLong();
        reader.kind = r.value(1).toString();
        reader.state = operationStateFromName(r.value(2).toString()).value_or(OperationState::InProgress);
        reader.target = r.value(3).toString();
        return OperationRules::readBySourceRefusal(target, reader);
    }
    if (q.next()) {
        OperationRecord blocking;
        blocking.id = q.value(0).toLongLong();
        blocking.kind = q.value(1).toString();
        blocking.state = operationStateFromName(q.value(2).toString()).value_or(OperationState::InProgress);
        return OperationRules::busyRefusal(target, blocking);
    }
    return {};
}

} // namespace

OperationStore::OperationStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

std::optional<qint64> OperationStore::create(const QString& kind, const QString& projectId, const QString& source,
                                             const QString& target, const QStringList& stepNames,
                                             const QJsonObject& params, QString* error)
{
    QSqlDatabase db = m_catalog.database();
    QSqlQuery q(db);
    if (!m_catalog.beginWrite(error))
        return std::nullopt;
    auto rollback = [&] { QSqlQuery(db).exec(QStringLiteral("ROLLBACK")); };
    QString sqlError;
    const QString refusal = startRefusal(db, target, 0, &sqlError);
    if (!refusal.isEmpty() || !sqlError.isEmpty()) {
        *error = refusal.isEmpty() ? sqlError : refusal;
        rollback();
        return std::nullopt;
    }
    q.prepare(QStringLiteral("INSERT INTO operations (kind, project_id, source, target, state, who, created, params, "
                             "owner_pid, owner_host, owner_start) VALUES (?, ?, ?, ?, 'NotStarted', ?, ?, ?, ?, ?, ?) RETURNING id"));
    q.addBindValue(kind);
    q.addBindValue(projectId);
    q.addBindValue(source.isNull() ? QStringLiteral("") : source); // a null QString binds NULL
    q.addBindValue(target);
    q.addBindValue(Catalog::currentUser());
    q.addBindValue(Catalog::now());
    q.addBindValue(toText(params));
    q.addBindValue(qint64(::getpid()));
    q.addBindValue(QSysInfo::machineHostName());
    q.addBindValue(processStartMark(::getpid()));
    if (!q.exec() || !q.next()) {
        // The constraint of one operation per target (a writer that did not take the lock).
        *error = Catalog::isUniqueViolation(q.lastError())
                     ? QStringLiteral("Another operation holds %1; wait for it to finish.").arg(target)
                     : q.lastError().text();
        rollback();
        return std::nullopt;
    }
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    for (int i = 0; i < stepNames.size(); ++i) {
        QSqlQuery s(db);
        s.prepare(QStringLiteral("INSERT INTO operation_steps (operation_id, ordinal, name, state) VALUES (?, ?, ?, "
                                 "'NotStarted')"));
        s.addBindValue(id);
        s.addBindValue(i + 1);
        s.addBindValue(stepNames.at(i));
        if (!s.exec()) {
            *error = s.lastError().text();
            rollback();
            return std::nullopt;
        }
    }
    QSqlQuery a(db);
    a.prepare(QStringLiteral("INSERT INTO audit (at, who, action, subject, detail) VALUES (?, ?, ?, ?, ?)"));
    a.addBindValue(Catalog::now());
    a.addBindValue(Catalog::currentUser());
    a.addBindValue(QStringLiteral("operation.create"));
    a.addBindValue(target);
    a.addBindValue(QStringLiteral("%1 #%2%3").arg(kind).arg(id).arg(source.isEmpty() ? QString()
                                                                                       : QStringLiteral(" from ") + source));
    a.exec();
    if (!QSqlQuery(db).exec(QStringLiteral("COMMIT"))) {
        *error = db.lastError().text();
        rollback();
        return std::nullopt;
    }
    return id;
}

namespace {

// The steps of one operation; false when they could not be read (not: it has none).
bool readSteps(const QSqlDatabase& db, qint64 id, QList<StepRecord>* steps)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT ordinal, name, state, started, finished, done, total, bytes, detail FROM "
                             "operation_steps WHERE operation_id = ? ORDER BY ordinal"));
    q.addBindValue(id);
    if (!q.exec())
        return false;
    while (q.next())
        steps->append(stepFromQuery(q, 0));
    return true;
}

} // namespace

std::optional<OperationRecord> OperationStore::get(qint64 id) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM operations WHERE id = ?").arg(QLatin1String(OperationColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    OperationRecord r = fromQuery(q);
    // An operation whose steps could not be read (a connection dropped between the two
    // reads) is unreadable, not one that has done nothing: resuming it would start over.
    if (!readSteps(m_catalog.database(), id, &r.steps))
        return std::nullopt;
    return r;
}

QList<OperationRecord> OperationStore::list(const QString& environmentId, bool withSteps) const
{
    QList<OperationRecord> result;
    walk({environmentId, QString(), 0, false}, withSteps, Params::All,
         [&result](const OperationRecord& r) { result.append(r); });
    return result;
}

QList<OperationRecord> OperationStore::listSummaries(const QString& environmentId, bool withSteps, int newest) const
{
    QList<OperationRecord> result;
    walk({environmentId, QString(), newest, false}, withSteps, Params::Summary,
         [&result](const OperationRecord& r) { result.append(r); });
    return result;
}

QList<OperationRecord> OperationStore::listProjectSummaries(const QString& projectId) const
{
    QList<OperationRecord> result;
    walk({QString(), projectId, 0, false}, true, Params::Summary,
         [&result](const OperationRecord& r) { result.append(r); });
    return result;
}

QList<OperationRecord> OperationStore::listUnsettled(const QString& environmentId) const
{
    QList<OperationRecord> result;
    walk({environmentId, QString(), 0, true}, false, Params::Summary,
         [&result](const OperationRecord& r) { result.append(r); });
    return result;
}

qint64 OperationStore::count(const QString& environmentId) const
{
    QSqlQuery q(m_catalog.database());
    if (environmentId.isEmpty()) {
        q.prepare(QStringLiteral("SELECT count(*) FROM operations"));
    } else {
        // Two index lookups (operations_by_target, operations_by_source), the operations
        // refreshing an environment from itself counted once.
        q.prepare(QStringLiteral("SELECT (SELECT count(*) FROM operations WHERE target = ?) + (SELECT count(*) FROM "
                                 "operations WHERE source = ? AND target <> ?)"));
        q.addBindValue(environmentId);
        q.addBindValue(environmentId);
        q.addBindValue(environmentId);
    }
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

void OperationStore::forEach(const QString& environmentId, bool withSteps, bool withParams,
                             const std::function<void(const OperationRecord&)>& visit) const
{
    walk({environmentId, QString(), 0, false}, withSteps, withParams ? Params::All : Params::None, visit);
}

void OperationStore::walk(const Selection& selection, bool withSteps, Params params,
                          const std::function<void(const OperationRecord&)>& visit) const
{
    const QString& environmentId = selection.environmentId;
    const int newest = selection.newest;
    QString columns = QLatin1String(OperationColumns);
    // Without params, without the restore point either: a column stored after a large
    // one (the params of a refresh) is read through all of its overflow pages.
    if (params == Params::None)
        columns.replace(QLatin1String("params, restore_point"), QLatin1String("'{}', '{}'"));
    else if (params == Params::Summary && m_catalog.isTeam())
        columns.replace(QLatin1String("params,"),
                        QLatin1String("json_build_object('followUps', params::json -> 'followUps', "
                                      "'package', params::json -> 'package', "
                                      "'restorePoint', params::json -> 'restorePoint')::text,"));
    else if (params == Params::Summary)
        columns.replace(QLatin1String("params,"),
                        QLatin1String("json_object('followUps', json(json_extract(params, '$.followUps')), "
                                      "'package', json(json_extract(params, '$.package')), "
                                      "'restorePoint', json_extract(params, '$.restorePoint')),"));
    // The states that are not final, spelled out so that SQLite can use its indexes on state.
    QStringList unsettled;
    for (OperationState s : allOperationStates()) {
        if (!isFinalState(s))
            unsettled << QLatin1Char('\'') + operationStateName(s) + QLatin1Char('\'');
    }
    const QString notFinal = QStringLiteral("state IN (%1)").arg(unsettled.join(QLatin1Char(',')));
    // A page: every operation of the environment from the oldest of these on: the
    // `newest`-th newest; the oldest whose state is not final (the rules look at every
    // operation after one they are asked about); the newest refresh of it as a target
    // that was not aborted or rolled back (the reprovisioning rule starts from it).
    qint64 from = 0;
    if (newest > 0 && !environmentId.isEmpty()) {
        QSqlQuery first(m_catalog.database());
        first.prepare(QStringLiteral("SELECT (SELECT id FROM operations WHERE target = ? OR source = ? ORDER BY id DESC "
                                     "LIMIT 1 OFFSET ?), (SELECT min(id) FROM operations WHERE target = ? AND %1), "
                                     "(SELECT min(id) FROM operations WHERE source = ? AND %1), (SELECT max(id) FROM "
                                     "operations WHERE target = ? AND kind = ? AND state NOT IN ('Aborted', "
                                     "'RollbackCompleted'))")
                          .arg(notFinal));
        for (const QVariant& v : QVariantList{environmentId, environmentId, newest - 1, environmentId, environmentId,
                                              environmentId, OperationKinds::Refresh})
            first.addBindValue(v);
        if (first.exec() && first.next() && !first.value(0).isNull()) {
            from = first.value(0).toLongLong();
            for (int i = 1; i <= 3; ++i) {
                if (!first.value(i).isNull())
                    from = std::min(from, first.value(i).toLongLong());
            }
        }
    }
    // The operations walked, their columns named with `table`'s prefix ("o." or none).
    const auto whereFor = [&](const QString& table) -> QString {
        QStringList terms;
        if (!environmentId.isEmpty())
            terms << QStringLiteral("(%1target = ? OR %1source = ?)").arg(table);
        if (from > 0)
            terms << QStringLiteral("%1id >= %2").arg(table).arg(from);
        if (!selection.projectId.isEmpty())
            terms << QStringLiteral("%1project_id = ?").arg(table);
        if (selection.unsettledOnly)
            terms << table + notFinal;
        return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND "));
    };
    const QString where = whereFor(QString());
    // Two queries read alongside (and a visitor that may run more): PostgreSQL's driver
    // streams a forward-only result row by row on the one connection, so there each
    // result is read whole.
    const bool forwardOnly = !m_catalog.isTeam();
    QSqlQuery q(m_catalog.database());
    q.setForwardOnly(forwardOnly);
    q.prepare(QStringLiteral("SELECT %1 FROM operations%2 ORDER BY id DESC").arg(columns, where));
    // The values of whereFor()'s terms, in their order.
    const auto bind = [&](QSqlQuery& query) {
        if (!environmentId.isEmpty()) {
            query.addBindValue(environmentId);
            query.addBindValue(environmentId);
        }
        if (!selection.projectId.isEmpty())
            query.addBindValue(selection.projectId);
    };
    bind(q);
    if (!q.exec())
        return;
    // The steps of the same operations in the same order, read alongside: one query, not one per operation.
    QSqlQuery s(m_catalog.database());
    s.setForwardOnly(forwardOnly);
    bool stepRow = false;
    if (withSteps) {
        // Joined with the operations only to select them: every step of the catalog is
        // read in the order of its primary key alone.
        const QString stepsWhere = whereFor(QStringLiteral("o."));
        s.prepare(QStringLiteral("SELECT s.operation_id, s.ordinal, s.name, s.state, s.started, s.finished, s.done, "
                                 "s.total, s.bytes, s.detail FROM operation_steps s%1%2 ORDER BY s.operation_id DESC, "
                                 "s.ordinal")
                      .arg(stepsWhere.isEmpty() ? QString() : QStringLiteral(" JOIN operations o ON o.id = s.operation_id"),
                           stepsWhere));
        bind(s);
        if (!s.exec())
            return; // operations without the steps they have would read as having done nothing
        stepRow = s.next();
    }
    while (q.next()) {
        OperationRecord r = fromQuery(q);
        // Steps of operations newer than this one (created meanwhile) are passed over.
        while (stepRow && s.value(0).toLongLong() > r.id)
            stepRow = s.next();
        while (stepRow && s.value(0).toLongLong() == r.id) {
            r.steps.append(stepFromQuery(s, 1));
            stepRow = s.next();
        }
        visit(r);
    }
}

QList<qint64> OperationStore::interruptedUnresolved() const
{
    QList<qint64> ids;
    QSqlQuery q(m_catalog.database());
    if (!q.exec(QStringLiteral("SELECT id FROM operations WHERE state IN ('Failed', 'RollbackFailed') AND error LIKE "
                               "'interrupted%' ORDER BY id")))
        return ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    return ids;
}

QList<OperationRecord> OperationStore::keepingRestorePoints(const QString& target) const
{
    QList<OperationRecord> keeping;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id FROM operations WHERE target = ? AND state = 'Completed' ORDER BY id"));
    q.addBindValue(target);
    if (!q.exec())
        return keeping;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    for (qint64 id : std::as_const(ids)) {
        const std::optional<OperationRecord> r = get(id);
        if (r && r->keepsRestorePoint())
            keeping << *r;
    }
    return keeping;
}

QSet<QString> OperationStore::lastSourceColumns(const QString& target) const
{
    QSqlQuery q(m_catalog.database());
    // One query, the params alone: the console asks this on its GUI thread.
    q.prepare(QStringLiteral("SELECT params FROM operations WHERE target = ? AND kind = 'refresh' AND state IN "
                             "('Completed', 'SignedOff') ORDER BY id DESC LIMIT 20"));
    q.addBindValue(target);
    if (!q.exec())
        return {};
    while (q.next()) {
        const QJsonArray columns = parseObject(q.value(0)).value(QStringLiteral("sourceColumns")).toArray();
        if (columns.isEmpty())
            continue;
        QSet<QString> keys;
        for (const QJsonValue& c : columns)
            keys.insert(c.toString());
        return keys;
    }
    return {};
}

std::optional<OperationRecord> OperationStore::blockingOperation(const QString& target) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id FROM operations WHERE target = ? AND %1 ORDER BY id DESC LIMIT 1")
                  .arg(holdsTarget()));
    q.addBindValue(target);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return get(q.value(0).toLongLong());
}

std::optional<OperationRecord> OperationStore::laterOperation(const QString& target, qint64 id) const
{
    QSqlQuery q(m_catalog.database());
    // A request waiting for its window, or one that missed it, has changed nothing.
    q.prepare(QStringLiteral("SELECT id FROM operations WHERE target = ? AND id > ? AND state NOT IN "
                             "('Aborted','RollbackCompleted','Scheduled','AwaitingApproval') AND NOT (state = 'Failed' AND started = '') "
                             "ORDER BY id DESC LIMIT 1"));
    q.addBindValue(target);
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return get(q.value(0).toLongLong());
}

bool OperationStore::retried(const std::function<bool()>& write)
{
    // Said again once on a new connection when the team catalog dropped this one,
    // waiting for a server that restarts; a write refused on a live connection is not
    // retried (the probe answers, and the second attempt is refused the same way).
    return m_catalog.isTeam() && m_catalog.ensureConnected(Catalog::ReconnectWaitMs) && write();
}

bool OperationStore::transition(qint64 id, OperationState to, QString* error, const QString& errorText)
{
    if (transitionOnce(id, to, error, errorText))
        return true;
    return retried([&] { return transitionOnce(id, to, error, errorText); });
}

bool OperationStore::transitionOnce(qint64 id, OperationState to, QString* error, const QString& errorText)
{
    QSqlDatabase db = m_catalog.database();
    QSqlQuery q(db);
    if (!m_catalog.beginWrite(error))
        return false;
    q.prepare(QStringLiteral("SELECT state FROM operations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next()) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        *error = QStringLiteral("Unknown operation %1.").arg(id);
        return false;
    }
    const auto from = operationStateFromName(q.value(0).toString()).value_or(OperationState::Failed);
    if (!canTransition(from, to)) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        *error = QStringLiteral("Operation %1 is %2; it cannot become %3.")
                     .arg(id)
                     .arg(operationStateName(from), operationStateName(to));
        return false;
    }
    QString sql = QStringLiteral("UPDATE operations SET state = ?");
    const bool starting = to == OperationState::InProgress || to == OperationState::RollbackInProgress;
    // Starting claims the operation for this process in the same transaction: whoever
    // moves the state owns it, a loser never does.
    if (starting)
        sql += QStringLiteral(", started = CASE WHEN started = '' THEN ? ELSE started END, finished = '', error = '', "
                              "cancel_requested = 0, owner_pid = ?, owner_host = ?, owner_start = ?, agent_id = ?");
    else
        sql += QStringLiteral(", finished = ?, error = ?");
    sql += QStringLiteral(" WHERE id = ?");
    QSqlQuery u(db);
    u.prepare(sql);
    u.addBindValue(operationStateName(to));
    u.addBindValue(Catalog::now());
    if (starting) {
        const qint64 pid = ::getpid();
        u.addBindValue(pid);
        u.addBindValue(QSysInfo::machineHostName());
        u.addBindValue(processStartMark(pid));
        u.addBindValue(agentId());
    } else {
        u.addBindValue(errorText.isNull() ? QStringLiteral("") : errorText); // a null QString binds NULL
    }
    u.addBindValue(id);
    if (!u.exec()) {
        *error = u.lastError().text();
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    // What the project's webhooks hear of it, written with the change itself.
    const QString event = to == OperationState::InProgress && from == OperationState::NotStarted ? QStringLiteral("started")
                          : to == OperationState::Completed                                      ? QStringLiteral("completed")
                          : to == OperationState::Failed                                         ? QStringLiteral("failed")
                          : to == OperationState::RollbackCompleted ? QStringLiteral("rolled-back")
                          : to == OperationState::Aborted && isWaitingState(from) ? QStringLiteral("canceled")
                                                                                               : QString();
    if (!event.isEmpty())
        NotificationOutbox::enqueue(db, event, id);
    if (!QSqlQuery(db).exec(QStringLiteral("COMMIT"))) {
        *error = db.lastError().text();
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    m_catalog.audit(QStringLiteral("operation.state"), QString::number(id),
                    operationStateName(from) + QStringLiteral(" -> ") + operationStateName(to));
    return true;
}

bool OperationStore::setStep(qint64 id, int ordinal, StepState state, const QString& detail)
{
    if (setStepOnce(id, ordinal, state, detail))
        return true;
    return retried([&] { return setStepOnce(id, ordinal, state, detail); });
}

bool OperationStore::setStepOnce(qint64 id, int ordinal, StepState state, const QString& detail)
{
    QSqlQuery q(m_catalog.database());
    QString sql = QStringLiteral("UPDATE operation_steps SET state = ?, detail = CASE WHEN ? = '' THEN detail ELSE ? "
                                 "END");
    if (state == StepState::InProgress)
        sql += QStringLiteral(", started = ?, finished = ''");
    else if (state != StepState::NotStarted)
        sql += QStringLiteral(", finished = ?");
    sql += QStringLiteral(" WHERE operation_id = ? AND ordinal = ?");
    q.prepare(sql);
    q.addBindValue(stepStateName(state));
    const QString text = detail.isNull() ? QStringLiteral("") : detail; // a null QString binds NULL (NOT NULL column)
    q.addBindValue(text);
    q.addBindValue(text);
    if (state != StepState::NotStarted)
        q.addBindValue(Catalog::now());
    q.addBindValue(id);
    q.addBindValue(ordinal);
    if (!q.exec()) {
        spdlog::error("cannot record step {} of operation {}: {}", ordinal, id, q.lastError().text().toStdString());
        return false;
    }
    return true;
}

bool OperationStore::setStepProgress(qint64 id, int ordinal, qint64 done, qint64 total, qint64 bytes)
{
    if (setStepProgressOnce(id, ordinal, done, total, bytes))
        return true;
    return retried([&] { return setStepProgressOnce(id, ordinal, done, total, bytes); });
}

bool OperationStore::setStepProgressOnce(qint64 id, int ordinal, qint64 done, qint64 total, qint64 bytes)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operation_steps SET done = ?, total = ?, bytes = ? WHERE operation_id = ? AND "
                             "ordinal = ?"));
    q.addBindValue(done);
    q.addBindValue(total);
    q.addBindValue(bytes);
    q.addBindValue(id);
    q.addBindValue(ordinal);
    return q.exec();
}

bool OperationStore::resetStepsFrom(qint64 id, int ordinal)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operation_steps SET state = 'NotStarted', started = '', finished = '', done = 0, "
                             "total = 0, bytes = 0 WHERE operation_id = ? AND ordinal >= ?"));
    q.addBindValue(id);
    q.addBindValue(ordinal);
    return q.exec();
}

bool OperationStore::setRestorePoint(qint64 id, const QJsonObject& restorePoint)
{
    if (setRestorePointOnce(id, restorePoint))
        return true;
    return retried([&] { return setRestorePointOnce(id, restorePoint); });
}

bool OperationStore::setRestorePointOnce(qint64 id, const QJsonObject& restorePoint)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET restore_point = ? WHERE id = ?"));
    q.addBindValue(toText(restorePoint));
    q.addBindValue(id);
    return q.exec();
}

bool OperationStore::setParams(qint64 id, const QJsonObject& params)
{
    if (setParamsOnce(id, params))
        return true;
    return retried([&] { return setParamsOnce(id, params); });
}

bool OperationStore::setParamsOnce(qint64 id, const QJsonObject& params)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET params = ? WHERE id = ?"));
    q.addBindValue(toText(params));
    q.addBindValue(id);
    return q.exec();
}

bool OperationStore::requestCancel(qint64 id)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET cancel_requested = 1 WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() == 1;
}

bool OperationStore::setLeftovers(qint64 id, bool left, std::optional<OperationState> onlyIn)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET leftovers = ? WHERE id = ?%1")
                  .arg(onlyIn ? QStringLiteral(" AND state = ?") : QString()));
    q.addBindValue(left ? 1 : 0);
    q.addBindValue(id);
    if (onlyIn)
        q.addBindValue(operationStateName(*onlyIn));
    return q.exec() && q.numRowsAffected() == 1;
}

QList<qint64> OperationStore::withLeftovers() const
{
    QList<qint64> ids;
    QSqlQuery q(m_catalog.database());
    if (q.exec(QStringLiteral("SELECT id FROM operations WHERE leftovers <> 0 ORDER BY id"))) {
        while (q.next())
            ids << q.value(0).toLongLong();
    }
    return ids;
}

bool OperationStore::cancelRequested(qint64 id) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT cancel_requested FROM operations WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() && q.value(0).toInt() != 0;
}

QString OperationStore::processStartMark(qint64 pid)
{
    // Field 22 of /proc/PID/stat: the process's start time in clock ticks since boot.
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = f.readAll();
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

bool OperationStore::ownerAlive(qint64 pid, const QString& host, const QString& startMark)
{
    if (pid <= 0)
        return false;
    if (!host.isEmpty() && host != QSysInfo::machineHostName())
        return true; // another machine's process: we cannot tell, so we do not steal its operation
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return false;
    return startMark.isEmpty() || processStartMark(pid) == startMark;
}

namespace {
std::mutex g_agentMutex;
QString g_agentId;
} // namespace

void OperationStore::setAgentId(const QString& id)
{
    std::lock_guard lock(g_agentMutex);
    g_agentId = id;
}

QString OperationStore::agentId()
{
    std::lock_guard lock(g_agentMutex);
    return g_agentId.isNull() ? QStringLiteral("") : g_agentId;
}

int OperationStore::agentHeartbeatSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("DATAALM_AGENT_HEARTBEAT_S", &ok);
    return ok && s > 0 ? s : 60;
}

bool OperationStore::requestAction(qint64 id, OperationState expected, const QString& action, const QString& who,
                                   QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET action = ?, action_by = ?, action_agent = '', action_result = '', "
                             "action_outcome = '' WHERE id = ? AND state = ? AND action = '' AND action_agent = ''"));
    q.addBindValue(action);
    q.addBindValue(who);
    q.addBindValue(id);
    q.addBindValue(operationStateName(expected));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    if (q.numRowsAffected() != 1) {
        *error = QStringLiteral("Operation %1 changed meanwhile.").arg(id);
        return false;
    }
    m_catalog.audit(QStringLiteral("operation.action-requested"), QString::number(id),
                    QStringLiteral("%1 asked for by %2").arg(action, who));
    return true;
}

QList<OperationRecord> OperationStore::pendingActions() const
{
    QList<OperationRecord> result;
    QSqlQuery q(m_catalog.database());
    if (!q.exec(QStringLiteral("SELECT %1 FROM operations WHERE action <> '' AND action_agent = '' ORDER BY id")
                    .arg(QLatin1String(OperationColumns))))
        return result;
    while (q.next())
        result.append(fromQuery(q));
    return result;
}

bool OperationStore::claimAction(qint64 id, const QString& agentId)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET action_agent = ? WHERE id = ? AND action <> '' AND action_agent = ''"));
    q.addBindValue(agentId);
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1)
        return false;
    m_catalog.audit(QStringLiteral("operation.action-claimed"), QString::number(id),
                    QStringLiteral("claimed by agent %1").arg(agentId));
    return true;
}

bool OperationStore::finishAction(qint64 id, const QString& agentId, const QString& outcome, const QString& result)
{
    return retried([&] {
        QSqlQuery q(m_catalog.database());
        q.prepare(QStringLiteral("UPDATE operations SET action = '', action_agent = '', action_outcome = ?, "
                                 "action_result = ? WHERE id = ? AND action_agent = ?"));
        q.addBindValue(outcome);
        q.addBindValue(result.isNull() ? QStringLiteral("") : result);
        q.addBindValue(id);
        q.addBindValue(agentId);
        return q.exec();
    });
}

bool OperationStore::withdrawAction(qint64 id, const QString& who)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET action = '', action_outcome = 'Withdrawn', action_result = ? WHERE "
                             "id = ? AND action <> '' AND action_agent = ''"));
    q.addBindValue(QStringLiteral("%1 withdrew it before an agent took it on; nothing was done.").arg(who));
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1)
        return false;
    m_catalog.audit(QStringLiteral("operation.action-withdrawn"), QString::number(id), QStringLiteral("by %1").arg(who));
    return true;
}

QList<qint64> OperationStore::actionsHeldBy(const QString& agentId) const
{
    QList<qint64> ids;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id FROM operations WHERE action_agent = ?"));
    q.addBindValue(agentId);
    if (q.exec()) {
        while (q.next())
            ids.append(q.value(0).toLongLong());
    }
    return ids;
}

bool OperationStore::agentGone(const QString& agentId) const
{
    const int colon = agentId.lastIndexOf(QLatin1Char(':'));
    const QString host = agentId.left(colon);
    QSqlQuery a(m_catalog.database());
    a.prepare(QStringLiteral("SELECT stopped, seen, pid FROM agents WHERE id = ?"));
    a.addBindValue(agentId);
    if (!a.exec())
        return false; // the catalog cannot tell now: nothing is taken from it
    if (!a.next())
        return true;
    if (!a.value(0).toString().isEmpty())
        return true;
    if (host == QSysInfo::machineHostName())
        return !ownerAlive(a.value(2).toLongLong(), host, QString());
    return parseTime(a.value(1)) < Clock::nowUtc().addSecs(-agentLeaseSeconds());
}

void OperationStore::releaseActionsOfGoneAgents()
{
    QSqlQuery q(m_catalog.database());
    if (!q.exec(QStringLiteral("SELECT id, action, action_agent FROM operations WHERE action_agent <> ''")))
        return;
    QList<std::tuple<qint64, QString, QString>> claimed;
    while (q.next())
        claimed.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    q.finish();
    for (const auto& [id, action, agent] : claimed) {
        if (!agentGone(agent))
            continue;
        const QString why = QStringLiteral("Agent %1 stopped while it carried out the %2 of operation %3; ask again.")
                                .arg(agent, action)
                                .arg(id);
        if (finishAction(id, agent, QStringLiteral("Released"), why)) {
            m_catalog.audit(QStringLiteral("operation.action-interrupted"), QString::number(id), why);
            spdlog::warn("{}", why.toStdString());
        }
    }
}

QList<qint64> OperationStore::recoverInterrupted()
{
    QList<qint64> recovered;
    if (m_catalog.isTeam()) {
        // On a team catalog the agents (and administrators) say what became of the work
        // of a process that is gone; a person's console or CLI only asks (the server
        // lets nobody else write how an operation went).
        QSqlQuery who(m_catalog.database());
        if (!who.exec(QStringLiteral("SELECT dataalm_is_agent() OR dataalm_is_admin()")) || !who.next() ||
            !who.value(0).toBool())
            return recovered;
    }
    releaseActionsOfGoneAgents();
    QSqlQuery q(m_catalog.database());
    q.exec(QStringLiteral("SELECT id, state, owner_pid, owner_host, owner_start, agent_id FROM operations WHERE state IN "
                          "('NotStarted','InProgress','RollbackInProgress')"));
    struct Row
    {
        qint64 id;
        QString state;
        qint64 pid;
        QString host;
        QString start;
        QString agent;
    };
    QList<Row> rows;
    while (q.next())
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toString(),
                     q.value(4).toString(), q.value(5).toString()});
    q.finish();
    // An agent's lease: its heartbeat within the last three intervals, and not stopped.
    // Another machine's process cannot be asked whether it lives; its agent's lease can.
    QSet<QString> expired;
    for (const Row& r : std::as_const(rows)) {
        if (r.agent.isEmpty() || expired.contains(r.agent) || r.host == QSysInfo::machineHostName())
            continue;
        if (agentGone(r.agent))
            expired.insert(r.agent);
    }
    for (const Row& r : rows) {
        // On this machine the process itself answers; another machine's agent by its lease.
        const bool elsewhere = !r.host.isEmpty() && r.host != QSysInfo::machineHostName();
        if (ownerAlive(r.pid, r.host, r.start) && !(elsewhere && expired.contains(r.agent)))
            continue;
        const bool rollingBack = r.state == QLatin1String("RollbackInProgress");
        const bool neverStarted = r.state == QLatin1String("NotStarted");
        // A request claimed by an agent that stopped before starting it waits for its
        // window again: the next agent picks it up (or finds the window gone).
        if (neverStarted) {
            QSqlQuery back(m_catalog.database());
            back.prepare(QStringLiteral("UPDATE operations SET state = 'Scheduled', error = ? WHERE id = ? AND "
                                        "state = 'NotStarted' AND window_start <> ''"));
            back.addBindValue(QStringLiteral("the agent that claimed it (pid %1) stopped before starting it").arg(r.pid));
            back.addBindValue(r.id);
            if (back.exec() && back.numRowsAffected() == 1) {
                m_catalog.audit(QStringLiteral("operation.unclaimed"), QString::number(r.id),
                                QStringLiteral("pid %1 stopped before starting it").arg(r.pid));
                continue;
            }
        }
        const QString why = neverStarted
                                ? QStringLiteral("interrupted before it started (pid %1 stopped); nothing was touched")
                                      .arg(r.pid)
                                : QStringLiteral("interrupted: the process running it (pid %1) stopped").arg(r.pid);
        QSqlQuery u(m_catalog.database());
        u.prepare(QStringLiteral("UPDATE operations SET state = ?, error = ?, finished = ? WHERE id = ? AND state = ?"));
        u.addBindValue(neverStarted  ? QStringLiteral("Aborted")
                       : rollingBack ? QStringLiteral("RollbackFailed")
                                     : QStringLiteral("Failed"));
        u.addBindValue(why);
        u.addBindValue(Catalog::now());
        u.addBindValue(r.id);
        u.addBindValue(r.state);
        if (u.exec() && u.numRowsAffected() == 1) {
            QSqlQuery s(m_catalog.database());
            s.prepare(QStringLiteral("UPDATE operation_steps SET state = 'Failed', finished = ?, detail = ? WHERE "
                                     "operation_id = ? AND state = 'InProgress'"));
            s.addBindValue(Catalog::now());
            s.addBindValue(QStringLiteral("interrupted"));
            s.addBindValue(r.id);
            s.exec();
            m_catalog.audit(QStringLiteral("operation.interrupted"), QString::number(r.id), why);
            if (!neverStarted)
                NotificationOutbox(m_catalog).enqueue(QStringLiteral("failed"),
                                                      r.id, why);
            spdlog::warn("operation {} was {}", r.id, why.toStdString());
            recovered.append(r.id);
        }
    }
    return recovered;
}

bool OperationStore::schedule(qint64 id, const QDateTime& start, const QDateTime& end, qint64 scheduleId,
                              QString* error, OperationState* became)
{
    QSqlQuery q(m_catalog.database());
    // On a team catalog the server says whether the request waits for an approval first:
    // the one decision, which its trigger enforces for every writer.
    const QString state = m_catalog.isTeam() ? QStringLiteral("CASE WHEN dataalm_needs_approval(kind, target) THEN "
                                                              "'AwaitingApproval' ELSE 'Scheduled' END")
                                             : QStringLiteral("'Scheduled'");
    q.prepare(QStringLiteral("UPDATE operations SET state = %1, window_start = ?, window_end = ?, "
                             "schedule_id = ? WHERE id = ? AND state = 'NotStarted' AND owner_pid = ?")
                  .arg(state));
    q.addBindValue(start.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(end.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(scheduleId);
    q.addBindValue(id);
    q.addBindValue(qint64(::getpid()));
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = q.lastError().isValid() ? q.lastError().text()
                                         : QStringLiteral("operation %1 is no longer a new operation of this process")
                                               .arg(id);
        return false;
    }
    OperationState now = OperationState::Scheduled;
    if (m_catalog.isTeam()) {
        QSqlQuery s(m_catalog.database());
        s.prepare(QStringLiteral("SELECT state FROM operations WHERE id = ?"));
        s.addBindValue(id);
        if (s.exec() && s.next())
            now = operationStateFromName(s.value(0).toString()).value_or(OperationState::Scheduled);
    }
    if (became)
        *became = now;
    NotificationOutbox(m_catalog).enqueue(QStringLiteral("requested"), id);
    m_catalog.audit(QStringLiteral("operation.state"), QString::number(id),
                    QStringLiteral("NotStarted -> %1 %2 to %3")
                        .arg(operationStateName(now))
                        .arg(start.toUTC().toString(Qt::ISODate), end.toUTC().toString(Qt::ISODate)));
    return true;
}

bool OperationStore::reschedule(qint64 id, const QDateTime& start, const QDateTime& end, const QJsonObject& params,
                                QString* error)
{
    QSqlDatabase db = m_catalog.database();
    if (!m_catalog.beginWrite(error))
        return false;
    const auto fail = [&](const QString& why) {
        *error = why;
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    };
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT state, params FROM operations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return fail(QStringLiteral("There is no operation %1.").arg(id));
    if (q.value(0).toString() != QLatin1String("Scheduled"))
        return fail(QStringLiteral("Operation %1 is %2; only a request waiting for its window can be rescheduled.")
                        .arg(id)
                        .arg(q.value(0).toString()));
    QJsonObject merged = parseObject(q.value(1));
    for (auto it = params.begin(); it != params.end(); ++it)
        merged.insert(it.key(), it.value());
    QSqlQuery u(db);
    u.prepare(QStringLiteral("UPDATE operations SET window_start = ?, window_end = ?, params = ?, error = '' WHERE id = ? "
                             "AND state = 'Scheduled'"));
    u.addBindValue(start.toUTC().toString(Qt::ISODateWithMs));
    u.addBindValue(end.toUTC().toString(Qt::ISODateWithMs));
    u.addBindValue(toText(merged));
    u.addBindValue(id);
    if (!u.exec() || u.numRowsAffected() != 1)
        return fail(u.lastError().text());
    QSqlQuery a(db);
    a.prepare(QStringLiteral("INSERT INTO audit (at, who, action, subject, detail) VALUES (?, ?, ?, ?, ?)"));
    a.addBindValue(Catalog::now());
    a.addBindValue(Catalog::currentUser());
    a.addBindValue(QStringLiteral("operation.reschedule"));
    a.addBindValue(QString::number(id));
    a.addBindValue(QStringLiteral("%1 to %2").arg(start.toUTC().toString(Qt::ISODate), end.toUTC().toString(Qt::ISODate)));
    a.exec();
    NotificationOutbox::enqueue(db, QStringLiteral("rescheduled"), id);
    if (!QSqlQuery(db).exec(QStringLiteral("COMMIT")))
        return fail(db.lastError().text());
    return true;
}

namespace {

// Runs the decision `q` on request `id`: false with the server's sentence (`refused` when
// the server or the state said no, as opposed to a catalog that failed).
bool decided(QSqlQuery& q, qint64 id, QString* error, bool* refused)
{
    if (!q.exec()) {
        *error = Catalog::serverMessage(q.lastError());
        if (refused)
            *refused = q.lastError().nativeErrorCode() == QLatin1String("42501");
        return false;
    }
    if (q.numRowsAffected() != 1) {
        *error = QStringLiteral("Operation %1 no longer awaits approval.").arg(id);
        if (refused)
            *refused = true;
        return false;
    }
    return true;
}

} // namespace

bool OperationStore::approve(qint64 id, const QString& note, QString* error, bool* refused)
{
    if (refused)
        *refused = false;
    QSqlQuery q(m_catalog.database());
    // The server fills approved_by and approved_at, and refuses the requester and
    // whoever is not a Project owner (dataalm_operation_approval).
    q.prepare(QStringLiteral("UPDATE operations SET state = 'Scheduled', approval_note = ? WHERE id = ? AND state = "
                             "'AwaitingApproval'"));
    q.addBindValue(note.isNull() ? QStringLiteral("") : note);
    q.addBindValue(id);
    if (!decided(q, id, error, refused))
        return false;
    m_catalog.audit(QStringLiteral("operation.approve"), QString::number(id), note);
    return true;
}

bool OperationStore::reject(qint64 id, const QString& note, QString* error, bool* refused)
{
    if (refused)
        *refused = false;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE operations SET state = 'Aborted', finished = ?, error = ?, approval_note = ? "
                             "WHERE id = ? AND state = 'AwaitingApproval'"));
    q.addBindValue(Catalog::now());
    q.addBindValue(QStringLiteral("rejected by %1: %2").arg(Catalog::currentUser(), note));
    q.addBindValue(note);
    q.addBindValue(id);
    if (!decided(q, id, error, refused))
        return false;
    m_catalog.audit(QStringLiteral("operation.reject"), QString::number(id), note);
    NotificationOutbox(m_catalog).enqueue(QStringLiteral("canceled"), id);
    return true;
}

QList<qint64> OperationStore::expireApprovals(const QDateTime& now)
{
    QList<qint64> expired;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id, window_end FROM operations WHERE state = 'AwaitingApproval' AND window_end <> '' "
                             "AND window_end < ?"));
    q.addBindValue(now.toUTC().toString(Qt::ISODateWithMs));
    if (!q.exec())
        return expired;
    QList<std::pair<qint64, QString>> due;
    while (q.next())
        due.append({q.value(0).toLongLong(), q.value(1).toString()});
    for (const auto& [id, end] : due) {
        QSqlQuery u(m_catalog.database());
        u.prepare(QStringLiteral("UPDATE operations SET state = 'Aborted', finished = ?, error = ? WHERE id = ? AND "
                                 "state = 'AwaitingApproval'"));
        u.addBindValue(Catalog::now());
        u.addBindValue(QStringLiteral("not approved before its window ended (%1)").arg(end));
        u.addBindValue(id);
        if (u.exec() && u.numRowsAffected() == 1) {
            m_catalog.audit(QStringLiteral("operation.expired"), QString::number(id),
                            QStringLiteral("not approved before its window ended"));
            NotificationOutbox(m_catalog).enqueue(QStringLiteral("canceled"), id);
            expired.append(id);
        }
    }
    return expired;
}

namespace {
// The operations (without their steps) that `where` ("WHERE ... ORDER BY ...") selects.
QList<OperationRecord> recordsWhere(const QSqlDatabase& db, const QString& where)
{
    QList<OperationRecord> result;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT %1 FROM operations %2").arg(QLatin1String(OperationColumns), where)))
        return result;
    while (q.next())
        result.append(fromQuery(q));
    return result;
}
} // namespace

QList<OperationRecord> OperationStore::awaitingApproval() const
{
    return recordsWhere(m_catalog.database(), QStringLiteral("WHERE state = 'AwaitingApproval' ORDER BY id"));
}

QList<OperationRecord> OperationStore::scheduled() const
{
    return recordsWhere(m_catalog.database(), QStringLiteral("WHERE state = 'Scheduled' ORDER BY window_start, id"));
}

std::optional<qint64> OperationStore::currentIdOf(qint64 id, QString* agentId) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id, agent_id FROM operations WHERE id = ? OR request_id = ? ORDER BY id DESC LIMIT 1"));
    q.addBindValue(id);
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    if (agentId)
        *agentId = q.value(1).toString();
    return q.value(0).toLongLong();
}

QDateTime OperationStore::nextWindowStart() const
{
    QSqlQuery q(m_catalog.database());
    if (!q.exec(QStringLiteral("SELECT min(window_start) FROM operations WHERE state = 'Scheduled'")) || !q.next())
        return {};
    return parseTime(q.value(0));
}

std::optional<qint64> OperationStore::claim(qint64 id, QString* busy, QString* error, const QString& agentId)
{
    QSqlDatabase db = m_catalog.database();
    const bool team = m_catalog.isTeam();
    const auto fail = [&](const QString& why) {
        *error = why;
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return std::nullopt;
    };
    if (team) {
        // Agents share the queue without waiting on each other: a request another agent
        // is claiming is passed over (SKIP LOCKED); the catalog's write lock is then held
        // only for the check and the claim, and the one-operation-per-target constraint
        // backs both.
        if (!QSqlQuery(db).exec(QStringLiteral("BEGIN"))) {
            *error = QStringLiteral("The catalog is busy: %1").arg(db.lastError().text());
            return std::nullopt;
        }
        QSqlQuery lock(db);
        lock.prepare(QStringLiteral("SELECT id FROM operations WHERE id = ? AND state = 'Scheduled' AND action = '' "
                                    "FOR UPDATE SKIP LOCKED"));
        lock.addBindValue(id);
        if (!lock.exec())
            return fail(lock.lastError().text());
        if (!lock.next())
            return fail(QStringLiteral("Operation %1 is being claimed by another agent, or no longer waits.").arg(id));
        lock.finish();
        QSqlQuery write(db);
        if (!write.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(0x44414C4D)))
            return fail(write.lastError().text());
    } else {
        if (!m_catalog.beginWrite(error))
            return std::nullopt;
        // The steps follow the operation to its new id before the commit checks them.
        QSqlQuery(db).exec(QStringLiteral("PRAGMA defer_foreign_keys = ON"));
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT state, target FROM operations WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return fail(QStringLiteral("There is no operation %1.").arg(id));
    if (q.value(0).toString() != QLatin1String("Scheduled"))
        return fail(QStringLiteral("Operation %1 is %2: it is no longer waiting for its window.")
                        .arg(id)
                        .arg(q.value(0).toString()));
    const QString target = q.value(1).toString();
    QString sqlError;
    const QString refusal = startRefusal(db, target, id, &sqlError);
    if (!sqlError.isEmpty())
        return fail(sqlError);
    if (!refusal.isEmpty()) {
        *busy = refusal;
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return std::nullopt;
    }
    // The next id: above every id the table has had (AUTOINCREMENT's sequence).
    QSqlQuery n(db);
    if (!n.exec(team ? QStringLiteral("SELECT nextval(pg_get_serial_sequence('operations', 'id'))")
                     : QStringLiteral("SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = "
                                      "'operations'), 0), (SELECT max(id) FROM operations)) + 1")) ||
        !n.next())
        return fail(n.lastError().text());
    const qint64 newId = n.value(0).toLongLong();
    const qint64 pid = ::getpid();
    QSqlQuery u(db);
    u.prepare(QStringLiteral("UPDATE operations SET id = ?, request_id = CASE WHEN request_id = 0 THEN id ELSE "
                             "request_id END, state = 'NotStarted', error = '', owner_pid = ?, owner_host = ?, "
                             "owner_start = ?, agent_id = ? WHERE id = ? AND state = 'Scheduled' AND action = ''"));
    u.addBindValue(newId);
    u.addBindValue(pid);
    u.addBindValue(QSysInfo::machineHostName());
    u.addBindValue(processStartMark(pid));
    u.addBindValue(agentId.isNull() ? QStringLiteral("") : agentId);
    u.addBindValue(id);
    if (!u.exec() || u.numRowsAffected() != 1) {
        if (Catalog::isUniqueViolation(u.lastError())) {
            *busy = QStringLiteral("another operation holds %1").arg(target);
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
            return std::nullopt;
        }
        return fail(u.lastError().text());
    }
    // On PostgreSQL the steps followed the id (ON UPDATE CASCADE) and the sequence is its own.
    if (!team) {
        QSqlQuery st(db);
        st.prepare(QStringLiteral("UPDATE operation_steps SET operation_id = ? WHERE operation_id = ?"));
        st.addBindValue(newId);
        st.addBindValue(id);
        if (!st.exec())
            return fail(st.lastError().text());
        QSqlQuery seq(db);
        seq.prepare(QStringLiteral("UPDATE sqlite_sequence SET seq = ? WHERE name = 'operations' AND seq < ?"));
        seq.addBindValue(newId);
        seq.addBindValue(newId);
        if (!seq.exec())
            return fail(seq.lastError().text());
    }
    QSqlQuery a(db);
    a.prepare(QStringLiteral("INSERT INTO audit (at, who, action, subject, detail) VALUES (?, ?, ?, ?, ?)"));
    a.addBindValue(Catalog::now());
    a.addBindValue(Catalog::currentUser());
    a.addBindValue(QStringLiteral("operation.claim"));
    a.addBindValue(QString::number(newId));
    a.addBindValue(QStringLiteral("request %1 claimed by %2 as operation %3")
                       .arg(id)
                       .arg(agentId.isEmpty() ? QStringLiteral("pid %1").arg(pid) : QStringLiteral("agent ") + agentId)
                       .arg(newId));
    a.exec();
    if (!QSqlQuery(db).exec(QStringLiteral("COMMIT")))
        return fail(db.lastError().text());
    return newId;
}

QList<OperationRecord> OperationStore::completedOfKind(const QString& kind, int limit) const
{
    QList<OperationRecord> result;
    QSqlQuery q(m_catalog.database());
    QString columns = QLatin1String(OperationColumns);
    columns.replace(QLatin1String("params, restore_point"), QLatin1String("'{}', '{}'"));
    q.prepare(QStringLiteral("SELECT %1 FROM operations WHERE state IN ('Completed','SignedOff') AND kind = ? ORDER BY "
                             "id DESC LIMIT ?")
                  .arg(columns));
    q.addBindValue(kind);
    q.addBindValue(limit);
    if (!q.exec())
        return result;
    while (q.next())
        result.append(fromQuery(q));
    for (OperationRecord& r : result) {
        if (!readSteps(m_catalog.database(), r.id, &r.steps))
            return {};
    }
    return result;
}
