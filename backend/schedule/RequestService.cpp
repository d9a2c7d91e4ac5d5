#include "schedule/RequestService.h"

#include "registration/CredentialLoader.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "core/Clock.h"
#include "engine/DatabaseEngine.h"
#include "environment/Environment.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationKinds.h"
#include "operation/OperationRules.h"
#include "lifecycle/OperationService.h"
#include "policy/DataPolicy.h"
#include "refresh/RefreshRequest.h"
#include "restorepoint/RestorePointService.h"
#include "environment/RestorePoint.h"
#include "schedule/ScheduleStore.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>

RequestService::RequestService(Catalog& catalog)
    : m_catalog(catalog)
{
}

QTimeZone RequestService::timeZone(const QString& projectId) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT time_zone FROM projects WHERE id = ?"));
    q.addBindValue(projectId);
    if (q.exec() && q.next() && !q.value(0).toString().isEmpty()) {
        const QTimeZone zone(q.value(0).toString().toUtf8());
        if (zone.isValid())
            return zone;
    }
    return QTimeZone::systemTimeZone();
}

int RequestService::minimumNoticeMinutes(const QString& projectId) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT minimum_notice_minutes FROM projects WHERE id = ?"));
    q.addBindValue(projectId);
    return q.exec() && q.next() ? q.value(0).toInt() : 0;
}

bool RequestService::setMinimumNotice(const QString& projectId, int minutes, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE projects SET minimum_notice_minutes = ? WHERE id = ?"));
    q.addBindValue(minutes);
    q.addBindValue(projectId);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = q.lastError().isValid() ? q.lastError().text() : QStringLiteral("unknown project '%1'").arg(projectId);
        return false;
    }
    m_catalog.audit(QStringLiteral("project.notice"), projectId, QStringLiteral("%1 min").arg(minutes));
    return true;
}

bool RequestService::setTimeZone(const QString& projectId, const QByteArray& zoneId, QString* error)
{
    if (!zoneId.isEmpty() && !QTimeZone(zoneId).isValid()) {
        *error = QStringLiteral("'%1' is not a time zone this machine knows (an IANA name such as Europe/Amsterdam)")
                     .arg(QString::fromUtf8(zoneId));
        return false;
    }
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE projects SET time_zone = ? WHERE id = ?"));
    q.addBindValue(QString::fromUtf8(zoneId));
    q.addBindValue(projectId);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = q.lastError().isValid() ? q.lastError().text() : QStringLiteral("unknown project '%1'").arg(projectId);
        return false;
    }
    m_catalog.audit(QStringLiteral("project.timezone"), projectId, QString::fromUtf8(zoneId));
    return true;
}

namespace {

qint64 databaseBytes(const Environment& environment)
{
    qint64 total = 0;
    bool any = false;
    for (const DatabaseRef& d : environment.databases) {
        if (d.name.isEmpty() && d.path.isEmpty())
            continue;
        auto engine = DatabaseEngine::forDatabase(d);
        const qint64 b = engine ? engine->sizeBytes(d) : -1;
        if (b > 0) {
            total += b;
            any = true;
        }
    }
    return any ? total : -1;
}

} // namespace

DurationEstimate RequestService::estimate(const QString& kind, const Environment* source,
                                          const Environment& target) const
{
    // What the operation copies: the source's databases (a refresh, an export), else the target's.
    const qint64 bytes = source && !source->databases.isEmpty() ? databaseBytes(*source) : databaseBytes(target);
    // The newest 200 of the kind, read once per service (a list of requests asks for each).
    if (!m_history.contains(kind))
        m_history.insert(kind, OperationStore(m_catalog).completedOfKind(kind, 200));
    return DurationEstimate::estimate(m_history.value(kind), kind, target.id, bytes);
}

DurationEstimate RequestService::estimate(const OperationRecord& operation) const
{
    const auto target = m_catalog.environment(operation.target);
    if (!target)
        return {};
    const auto source = operation.source.isEmpty() ? std::nullopt : m_catalog.environment(operation.source);
    return estimate(operation.kind, source ? &*source : nullptr, *target);
}

QString RequestService::refusal(const QString& kind, const Environment* source, const Environment& target,
                                const RequestWindow& window, bool force, DurationEstimate* estimateOut) const
{
    const DurationEstimate e = estimate(kind, source, target);
    if (estimateOut)
        *estimateOut = e;
    return OperationRules::windowRefusal(window.start, window.end, Clock::nowUtc(),
                                         minimumNoticeMinutes(target.projectId), e.seconds, force);
}

bool RequestService::submitToAgents(qint64 id, QString* error)
{
    const QDateTime now = Clock::nowUtc();
    return schedule(id, RequestWindow{now, now.addDays(1)}, true, error);
}

bool RequestService::schedule(qint64 id, const RequestWindow& window, bool force, QString* error)
{
    OperationStore store(m_catalog);
    if (force) {
        if (auto op = store.get(id)) {
            QJsonObject params = op->params;
            params.insert(QStringLiteral("force"), true);
            store.setParams(id, params);
        }
    }
    if (!store.schedule(id, window.start, window.end, 0, error)) {
        QString ignored;
        store.transition(id, OperationState::Aborted, &ignored, QStringLiteral("could not be scheduled: ") + *error);
        return false;
    }
    touch();
    return true;
}

bool RequestService::reschedule(qint64 id, const RequestWindow& window, const QDateTime& instant, bool force,
                                QString* error, bool* notAllowed)
{
    *notAllowed = false;
    OperationStore store(m_catalog);
    const auto op = store.get(id);
    if (!op) {
        *error = QStringLiteral("There is no operation %1.").arg(id);
        return false;
    }
    const OperationRules::Verdict v =
        OperationRules(BuiltInOperationKinds::registry()).check(OperationRules::Action::Reschedule, *op, {});
    if (!v.allowed) {
        *error = v.reason;
        *notAllowed = true;
        return false;
    }
    if (instant.isValid() && !op->params.contains(QStringLiteral("pitr"))) {
        *error = QStringLiteral("Request %1 does not restore to an instant: only the window can be moved.").arg(id);
        *notAllowed = true;
        return false;
    }
    const auto target = m_catalog.environment(op->target);
    if (!target) {
        *error = QStringLiteral("The target %1 of request %2 no longer exists.").arg(op->target).arg(id);
        return false;
    }
    const DurationEstimate e = estimate(*op);
    const QString why = OperationRules::windowRefusal(window.start, window.end, Clock::nowUtc(),
                                                      minimumNoticeMinutes(target->projectId), e.seconds,
                                                      force || op->params.value(QStringLiteral("force")).toBool());
    if (!why.isEmpty()) {
        *error = why;
        *notAllowed = true;
        return false;
    }
    QJsonObject params;
    if (instant.isValid()) {
        // The instant is checked against the stanza's window again at Validate.
        QJsonObject pitr = op->params.value(QStringLiteral("pitr")).toObject();
        pitr.insert(QStringLiteral("instant"), instant.toUTC().toString(Qt::ISODateWithMs));
        params.insert(QStringLiteral("pitr"), pitr);
    }
    if (force)
        params.insert(QStringLiteral("force"), true);
    if (!store.reschedule(id, window.start, window.end, params, error))
        return false;
    touch();
    return true;
}

bool RequestService::cancel(qint64 id, QString* error, bool* notAllowed)
{
    *notAllowed = false;
    OperationStore store(m_catalog);
    const auto op = store.get(id);
    if (!op) {
        *error = QStringLiteral("There is no operation %1.").arg(id);
        return false;
    }
    if (!isWaitingState(op->state)) {
        *error = QStringLiteral("Operation %1 is %2; only a request waiting for its window or an approval can be "
                                "cancelled (abort "
                                "stops an operation that runs).")
                     .arg(id)
                     .arg(OperationRules::stateWords(op->state));
        *notAllowed = true;
        return false;
    }
    if (!store.transition(id, OperationState::Aborted, error, QStringLiteral("canceled")))
        return false;
    touch();
    return true;
}

QString RequestService::changeFile(const QString& catalogFolder)
{
    return QDir(catalogFolder).filePath(QStringLiteral("requests.changed"));
}

void RequestService::touch() const
{
    QFile f(changeFile(m_catalog.folder()));
    if (f.open(QIODevice::WriteOnly | QIODevice::Append)) {
        f.write(QByteArray::number(Clock::nowUtc().toMSecsSinceEpoch()) + '\n');
        // Kept short: the agents read nothing from it, they only watch it change.
        if (f.size() > 4096)
            f.resize(0);
    }
}

std::optional<qint64> RequestService::createSchedule(Schedule schedule, const RequestWindow& first, bool force,
                                                     QString* error, bool* notAllowed)
{
    *notAllowed = true;
    const auto target = m_catalog.environment(schedule.target);
    if (!target) {
        *error = QStringLiteral("unknown environment '%1'").arg(schedule.target);
        return std::nullopt;
    }
    if (schedule.every != Schedule::Day && schedule.every != Schedule::Week) {
        *error = QStringLiteral("--every takes day or week, not '%1'").arg(schedule.every);
        return std::nullopt;
    }
    if (schedule.kind != Schedule::RestorePoint) {
        const OperationRules::Verdict v =
            OperationRules(BuiltInOperationKinds::registry()).canStart(schedule.kind, *target, {});
        if (!v.allowed) {
            *error = v.reason;
            return std::nullopt;
        }
        // The policy must be readable and valid now; each occurrence reviews it again.
        const QString path = RefreshRequest::policyPathFor(m_catalog, *target,
                                                           schedule.request.value(QStringLiteral("policy")).toString());
        QByteArray bytes;
        QString problems;
        if (!DataPolicy::readSource(path, &bytes, &problems) || !DataPolicy::fromJson(bytes, &problems)) {
            *error = QStringLiteral("the data policy %1 is refused: %2").arg(path, problems);
            return std::nullopt;
        }
    }
    const auto source = schedule.source.isEmpty() ? std::nullopt : m_catalog.environment(schedule.source);
    DurationEstimate e;
    if (schedule.kind != Schedule::RestorePoint)
        e = estimate(schedule.kind, source ? &*source : nullptr, *target);
    const QString why = OperationRules::windowRefusal(first.start, first.end, Clock::nowUtc(),
                                                      minimumNoticeMinutes(target->projectId), e.seconds, force);
    if (!why.isEmpty()) {
        *error = why;
        return std::nullopt;
    }
    *notAllowed = false;
    schedule.projectId = target->projectId;
    schedule.firstStart = first.start;
    schedule.nextStart = first.start;
    schedule.windowSeconds = first.seconds();
    if (schedule.timeZone.isEmpty())
        schedule.timeZone = timeZone(target->projectId).id();
    if (force)
        schedule.request.insert(QStringLiteral("force"), true);
    const auto id = ScheduleStore(m_catalog).create(schedule, error);
    if (id)
        touch();
    return id;
}

bool RequestService::makeOccurrence(const Schedule& schedule, const QDateTime& start, QString* what, QString* error)
{
    const auto target = m_catalog.environment(schedule.target);
    if (!target) {
        *error = QStringLiteral("its environment %1 no longer exists").arg(schedule.target);
        return false;
    }
    if (schedule.kind == Schedule::RestorePoint) {
        CredentialLoader::load(m_catalog, {target->id}, QStringLiteral("restore point of schedule S%1").arg(schedule.id));
        const auto id = RestorePointService(m_catalog).create(*target, RestorePoint::Scheduled, {}, {}, error);
        if (!id)
            return false;
        *what = QStringLiteral("restore point %1 of %2").arg(*id).arg(target->id);
        return true;
    }
    const QString policy = RefreshRequest::policyPathFor(m_catalog, *target,
                                                         schedule.request.value(QStringLiteral("policy")).toString());
    OperationService service(m_catalog);
    std::optional<qint64> id;
    if (schedule.kind == OperationKinds::Refresh) {
        const auto source = m_catalog.environment(schedule.source);
        if (!source) {
            *error = QStringLiteral("its source %1 no longer exists").arg(schedule.source);
            return false;
        }
        id = service.createRefresh(*source, *target, policy, error);
    } else if (schedule.kind == OperationKinds::Export) {
        id = service.createExport(*target, policy, error);
    } else {
        *error = QStringLiteral("a schedule cannot run %1").arg(schedule.kind);
        return false;
    }
    if (!id)
        return false;
    OperationStore store(m_catalog);
    if (schedule.request.value(QStringLiteral("force")).toBool()) {
        if (auto op = store.get(*id)) {
            QJsonObject params = op->params;
            params.insert(QStringLiteral("force"), true);
            store.setParams(*id, params);
        }
    }
    if (!store.schedule(*id, start, start.addSecs(schedule.windowSeconds), schedule.id, error)) {
        QString ignored;
        store.transition(*id, OperationState::Aborted, &ignored, QStringLiteral("could not be scheduled: ") + *error);
        return false;
    }
    *what = QStringLiteral("request %1").arg(*id);
    touch();
    return true;
}
