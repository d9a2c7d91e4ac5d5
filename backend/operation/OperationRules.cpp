#include "operation/OperationRules.h"

#include "core/ByteSize.h"
#include "environment/Environment.h"
#include "environment/RestorePoint.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

OperationRules::OperationRules(const OperationKinds& kinds)
    : m_kinds(kinds)
{
}

bool OperationRules::isUnfinished(OperationState s)
{
    return isUnfinishedState(s);
}

QString OperationRules::busyRefusal(const QString& target, const OperationRecord& blocking)
{
    // Not started: an operation whose process died before it began was marked aborted
    // (OperationStore::recoverInterrupted) before any rule is asked; this one is starting.
    if (blocking.state == OperationState::NotStarted)
        return tr("%1 already has operation %2 (%3) starting; wait for it to finish.")
            .arg(target)
            .arg(blocking.id)
            .arg(blocking.title());
    if (blocking.state == OperationState::Scheduled)
        return tr("%1 has request %2 (%3) scheduled for %4; cancel it first.")
            .arg(target)
            .arg(blocking.id)
            .arg(blocking.title(), QLocale().toString(blocking.windowStart.toLocalTime(), QLocale::ShortFormat));
    if (isActiveState(blocking.state))
        return tr("%1 already has operation %2 (%3) in progress; wait for it to finish.")
            .arg(target)
            .arg(blocking.id)
            .arg(blocking.title());
    return tr("%1 has an unfinished operation %2 (%3, %4); resume, roll back or abort it first.")
        .arg(target)
        .arg(blocking.id)
        .arg(blocking.title(), stateWords(blocking.state));
}

QString OperationRules::cancelConsequence(const OperationRecord& op) const
{
    const OperationKind* k = kind(op);
    const QString before = k && !k->pointOfNoReturnWords.isEmpty() ? k->pointOfNoReturnWords.arg(op.target)
                                                                    : tr("it changes %1").arg(op.target);
    const QString removes = k && !k->cancelRemoves.isEmpty() ? k->cancelRemoves : tr("what it left behind");
    if (op.state == OperationState::InProgress)
        return tr("Operation %1 (%2) stops before %3: %4 stays exactly as it is, and %5 is removed. The operation "
                  "ends as Aborted.")
            .arg(op.id)
            .arg(op.title(), before, op.target, removes);
    if (k && k->abortKeepsChanges)
        return tr("%1 stays as it is now, with the steps completed so far, and %2 is deleted. The operation ends as "
                  "Aborted; use Rollback instead to undo every step.")
            .arg(op.target, removes);
    return tr("%1 stays exactly as it is, and what the operation left behind is removed. The operation ends as "
              "Aborted.")
        .arg(op.target);
}

QString OperationRules::restorePointsKept(const QString& target, const QList<OperationRecord>& keeping)
{
    if (keeping.isEmpty())
        return {};
    QStringList names;
    qint64 bytes = 0;
    bool known = true;
    for (const OperationRecord& o : keeping) {
        names << tr("%1 (%2, %3)")
                     .arg(o.id)
                     .arg(o.title(), QLocale::c().toString(o.finished.toLocalTime().date(), QStringLiteral("d MMM yyyy")));
        const qint64 b = o.restorePointBytes();
        known = known && b >= 0;
        bytes += std::max<qint64>(b, 0);
    }
    const QString list = names.size() == 1 ? names.first()
                                           : names.mid(0, names.size() - 1).join(QStringLiteral(", ")) + tr(" and ") +
                                                 names.last();
    const QString size = known ? tr(", %1 in all").arg(ByteSize::text(bytes)) : QString();
    return keeping.size() == 1
               ? tr("%1 keeps the restore point of operation %2%3 until it is signed off or rolled back.")
                     .arg(target, list, known ? tr(", %1").arg(ByteSize::text(bytes)) : QString())
               : tr("%1 keeps the restore points of operations %2%3 until they are signed off or rolled back.")
                     .arg(target, list, size);
}

bool OperationRules::readsItsSource(const OperationRecord& o)
{
    return o.kind == OperationKinds::Refresh &&
           (o.state == OperationState::NotStarted || o.state == OperationState::InProgress ||
            (o.state == OperationState::Failed && !o.neverRan()));
}

QString OperationRules::readBySourceRefusal(const QString& target, const OperationRecord& reader)
{
    return tr("%1 is the source of operation %2 (%3 of %4), which is %5 and may still read it; let it finish, or "
              "roll it back or abort it first.")
        .arg(target)
        .arg(reader.id)
        .arg(reader.title(), reader.target, stateWords(reader.state));
}

QString OperationRules::sandboxTargetRefusal(const Environment& target)
{
    if (target.type == EnvironmentType::Sandbox)
        return {};
    return tr("%1 is a %2 environment; only sandboxes can be refreshed. Choose a sandbox as the target.")
        .arg(target.id, environmentTypeTitle(target.type).toLower());
}

QList<OperationRecord> OperationRules::readersOf(qint64 pointId, const QList<OperationRecord>& operations)
{
    QList<OperationRecord> readers;
    for (const OperationRecord& op : operations) {
        if (op.params.value(QStringLiteral("restorePoint")).toInteger() == pointId && isUnfinished(op.state))
            readers.append(op);
    }
    return readers;
}

QString OperationRules::restorePointDeletionRefusal(const RestorePoint& point, const std::optional<OperationRecord>& owner,
                                                    const QList<OperationRecord>& readers)
{
    if (point.state == RestorePoint::Creating)
        return tr("Restore point %1 is still being created; delete it once it is available.").arg(point.id);
    if (owner && (owner->state == OperationState::Completed || isUnfinished(owner->state)))
        return tr("Restore point %1 holds what operation %2 replaced, and operation %2 can still be rolled back to it. "
                  "Sign the operation off or roll it back first.")
            .arg(point.id)
            .arg(owner->id);
    const QList<OperationRecord> reading = readersOf(point.id, readers);
    if (!reading.isEmpty())
        return tr("Operation %1 restores %2 from restore point %3 and has not finished. Let it finish, or cancel it, "
                  "first.")
            .arg(reading.first().id)
            .arg(reading.first().target)
            .arg(point.id);
    return {};
}

QString OperationRules::restoreRefusal(const RestorePoint& point, const Environment* pointEnvironment,
                                       const Environment& target, const QDateTime& now)
{
    if (point.state != RestorePoint::Available)
        return tr("Restore point %1 is not available: it is %2.")
            .arg(point.id)
            .arg(point.state == RestorePoint::Creating ? tr("still being created") : tr("being deleted"));
    // What an operation replaced is its rollback's until it is signed off: restoring from
    // it meanwhile would read a database the rollback may move back into its target.
    if (point.kind == RestorePoint::Operation && point.operationState != QLatin1String("SignedOff"))
        return tr("Restore point %1 holds what operation %2 replaced, and belongs to its rollback until operation %2 "
                  "is signed off. Roll operation %2 back to get it, or sign it off first.")
            .arg(point.id)
            .arg(point.operationId);
    if (point.expiredAt(now))
        return tr("Restore point %1 expired on %2 UTC and is being removed. Choose a newer one.")
            .arg(point.id)
            .arg(point.expires.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    if (target.type == EnvironmentType::Production)
        return tr("%1 is a production environment; a point-in-time restore replaces a sandbox's or a dev/test "
                  "environment's database, never production's.")
            .arg(target.id);
    if (point.environmentId != target.id) {
        if (!pointEnvironment)
            return tr("Restore point %1 belongs to %2, which is no longer in the catalog.")
                .arg(point.id)
                .arg(point.environmentId);
        if (pointEnvironment->type != EnvironmentType::Production)
            return tr("Restore point %1 is %2's, a %3 environment: only production's restore points can go into "
                      "another environment (Point-in-time restore production to sandbox).")
                .arg(point.id)
                .arg(point.environmentId, environmentTypeTitle(pointEnvironment->type).toLower());
        if (target.type != EnvironmentType::Sandbox)
            return tr("%1 is a %2 environment; another environment's restore point can only go into a sandbox "
                      "(Point-in-time restore production to sandbox).")
                .arg(target.id, environmentTypeTitle(target.type).toLower());
    }
    const DatabaseRef* from = point.database(DatabaseRef::Transactional);
    const DatabaseRef* into = target.database(DatabaseRef::Transactional);
    if (!from || !into)
        return tr("Restore point %1 and %2 must both have a transactional database.").arg(point.id).arg(target.id);
    if (from->driver != into->driver)
        return tr("Restore point %1 holds a %2 database and %3's is on %4: a restore cannot cross engines.")
            .arg(point.id)
            .arg(from->engineTitle(), target.id, into->engineTitle());
    return {};
}

QString OperationRules::stateWords(OperationState state)
{
    switch (state) {
    case OperationState::NotStarted:
        return tr("not started");
    case OperationState::InProgress:
        return tr("in progress");
    case OperationState::Completed:
        return tr("completed");
    case OperationState::Failed:
        return tr("failed");
    case OperationState::SignedOff:
        return tr("signed off");
    case OperationState::Aborted:
        return tr("aborted");
    case OperationState::RollbackInProgress:
        return tr("rollback in progress");
    case OperationState::RollbackCompleted:
        return tr("rollback completed");
    case OperationState::RollbackFailed:
        return tr("rollback failed");
    case OperationState::Scheduled:
        return tr("scheduled");
    case OperationState::AwaitingApproval:
        return tr("awaiting approval");
    }
    return {};
}

bool OperationRules::isReprovisioningApply(const OperationRecord& operation)
{
    return operation.kind == OperationKinds::Apply &&
           operation.params.value(QStringLiteral("package")).toObject().value(QStringLiteral("type")).toString() ==
               QLatin1String("reprovisioning");
}

const OperationRecord* OperationRules::laterOperation(const OperationRecord& op, const QList<OperationRecord>& history)
{
    const OperationRecord* later = nullptr;
    for (const OperationRecord& o : history) {
        if (o.target != op.target || o.id <= op.id)
            continue;
        if (o.state == OperationState::Aborted || o.state == OperationState::RollbackCompleted)
            continue;
        // A request waiting for its window, or one that missed it, has changed nothing.
        if (isWaitingState(o.state) || (o.state == OperationState::Failed && o.neverRan()))
            continue;
        if (!later || o.id > later->id)
            later = &o;
    }
    return later;
}

bool OperationRules::cancelHonoured(const OperationRecord& op) const
{
    const OperationKind* k = kind(op);
    if (!k)
        return false;
    for (const StepRecord& s : op.steps) {
        if (s.ordinal >= k->pointOfNoReturn && s.state != StepState::NotStarted)
            return false;
    }
    return true;
}

bool OperationRules::targetChanged(const OperationRecord& op) const
{
    const OperationKind* k = kind(op);
    return !k || k->targetChanged(op); // an unknown kind: assume the worst
}

namespace {

// Every database named in `value` (objects with a "driver"), depth first.
void collectDatabases(const QJsonValue& value, QList<DatabaseRef>* out)
{
    if (value.isArray()) {
        for (const QJsonValue& v : value.toArray())
            collectDatabases(v, out);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject o = value.toObject();
    const QString driver = o.value(QStringLiteral("driver")).toString();
    if (driver == DatabaseRef::Sqlite || driver == DatabaseRef::Postgres) {
        out->append(DatabaseRef::fromJson(o));
        return;
    }
    for (auto it = o.begin(); it != o.end(); ++it)
        collectDatabases(it.value(), out);
}

} // namespace

QString OperationRules::foreignDatabase(const OperationRecord& op, const QList<Environment>& environments)
{
    QList<DatabaseRef> named;
    collectDatabases(op.params, &named);
    for (const DatabaseRef& d : std::as_const(named)) {
        // A blank one names no database (an import's source is its backup file).
        if ((d.isSqlite() && d.path.isEmpty()) || (d.isPostgres() && d.name.isEmpty()))
            continue;
        bool known = false;
        for (const Environment& e : environments) {
            for (const DatabaseRef& own : e.databases)
                known = known || (own.driver == d.driver && own.location() == d.location());
        }
        if (!known)
            return tr("Operation %1 names the database %2, which is none of %3's%4: it runs only on the databases of "
                      "the environments it was asked for. Ask for it again.")
                .arg(op.id)
                .arg(d.location(), op.target,
                     op.source.isEmpty() || op.source == op.target ? QString() : tr(" nor %1's").arg(op.source));
    }
    return {};
}

const QStringList& OperationRules::approvalKinds()
{
    static const QStringList kinds = {OperationKinds::Refresh, OperationKinds::Restore, OperationKinds::Import,
                                      OperationKinds::Apply};
    return kinds;
}

QString OperationRules::ownRequestRefusal(const OperationRecord& op, const QString& login)
{
    if (op.who != login)
        return {};
    return tr("Request %1 is %2's own: a second Project owner approves or rejects it (four eyes); %2 may withdraw it "
              "instead (cancel).")
        .arg(op.id)
        .arg(login);
}

QString OperationRules::awaitingApprovalWords(const OperationRecord& op)
{
    return tr("Request %1 (%2 of %3) waits for a Project owner other than %4 to approve or reject it.")
        .arg(op.id)
        .arg(op.title(), op.target, op.who);
}

QString OperationRules::pendingActionWords(const QString& action)
{
    if (action == QLatin1String("resume"))
        return tr("resume it");
    if (action == QLatin1String("rollback"))
        return tr("roll it back");
    if (action == QLatin1String("sign off"))
        return tr("sign it off");
    if (action == QLatin1String("abort"))
        return tr("abort it");
    return action;
}

OperationRules::Verdict OperationRules::check(Action action, const OperationRecord& op,
                                              const QList<OperationRecord>& history) const
{
    using S = OperationState;
    const QString state = stateWords(op.state);
    const OperationKind* k = kind(op);
    if (!k)
        return {false, tr("Operation %1 is of a kind this build cannot run (%2).").arg(op.id).arg(op.kind)};
    // An action someone asked the agents for comes first: nothing else is decided until it
    // is carried out (a running operation can still be cancelled).
    if (!op.pendingAction.isEmpty() && !(action == Action::Cancel && op.state == S::InProgress)) {
        if (op.actionAgent.isEmpty())
            return {false, tr("Operation %1 is waiting for an agent to %2, as %3 asked.")
                               .arg(op.id)
                               .arg(pendingActionWords(op.pendingAction), op.actionBy)};
        return {false, tr("Operation %1 is with agent %2, which is to %3, as %4 asked.")
                           .arg(op.id)
                           .arg(op.actionAgent, pendingActionWords(op.pendingAction), op.actionBy)};
    }

    switch (action) {
    case Action::Run:
        if (op.state != S::NotStarted)
            return {false, tr("Operation %1 is %2; only an operation that has not started can be run.")
                               .arg(op.id)
                               .arg(state)};
        return {true, tr("Run operation %1 (%2 of %3).").arg(op.id).arg(k->title, op.target)};
    case Action::Cancel:
        if (op.state == S::AwaitingApproval)
            return {true, tr("Withdraw request %1 (%2 of %3): nothing has run; it ends as Canceled.")
                              .arg(op.id)
                              .arg(k->title, op.target)};
        if (op.state == S::Scheduled)
            return {true, tr("Cancel request %1 (%2 of %3): nothing has run; it ends as Canceled.")
                              .arg(op.id)
                              .arg(k->title, op.target)};
        if (op.state == S::InProgress) {
            if (!cancelHonoured(op)) {
                QString step = QString::number(k->pointOfNoReturn);
                for (const StepRecord& s : op.steps) {
                    if (s.ordinal == k->pointOfNoReturn)
                        step = tr("%1 (step %2)").arg(s.name).arg(s.ordinal);
                }
                return {false, tr("Operation %1 has begun changing %2 at %3: it can no longer be cancelled. Roll it "
                                  "back once it ends.")
                                   .arg(op.id)
                                   .arg(op.target, step)};
            }
            return {true, tr("Stop operation %1 before it changes %2; %2 stays untouched.").arg(op.id).arg(op.target)};
        }
        if (op.state == S::NotStarted)
            return {true, tr("Abort operation %1, which never started; %2 is untouched.").arg(op.id).arg(op.target)};
        if (op.state == S::Failed) {
            if (k->abortKeepsChanges)
                return {true, tr("Abort operation %1: %2 stays as it is now, with what the completed steps did, and "
                                 "the restore point is deleted.")
                                  .arg(op.id)
                                  .arg(op.target)};
            if (targetChanged(op))
                return {false, tr("Operation %1 already changed %2: roll it back instead of cancelling it.")
                                   .arg(op.id)
                                   .arg(op.target)};
            return {true, tr("Abort operation %1: %2 stays as it was and the staging copy is removed.")
                              .arg(op.id)
                              .arg(op.target)};
        }
        return {false, tr("Operation %1 is %2; only a running, failed or not started operation can be cancelled.")
                           .arg(op.id)
                           .arg(state)};
    case Action::Resume:
        if (op.state != S::Failed)
            return {false, tr("Operation %1 is %2; only a failed operation can be resumed.").arg(op.id).arg(state)};
        for (const StepRecord& s : op.steps) {
            if (!isStepDone(s.state))
                return {true, tr("Run operation %1 again from step %2, %3.").arg(op.id).arg(s.ordinal).arg(s.name)};
        }
        return {true, tr("Run operation %1 again from its failed step.").arg(op.id)};
    case Action::Rollback:
        if (op.state != S::Completed && op.state != S::Failed && op.state != S::RollbackFailed)
            return {false, tr("Operation %1 is %2; only a completed or failed operation can be rolled back.")
                               .arg(op.id)
                               .arg(state)};
        if (const OperationRecord* later = laterOperation(op, history))
            return {false, tr("Operation %1 (%2) changed %3 after this one; roll that back first.")
                               .arg(later->id)
                               .arg(later->title(), op.target)};
        return {true, targetChanged(op)
                          ? tr("Put back the databases %1 had before operation %2.").arg(op.target).arg(op.id)
                          : tr("Remove what operation %1 left behind; %2 was not changed.").arg(op.id).arg(op.target)};
    case Action::Reschedule:
        if (op.state != S::Scheduled)
            return {false, tr("Operation %1 is %2; only a request waiting for its window can be rescheduled.")
                               .arg(op.id)
                               .arg(state)};
        if (!op.approvedBy.isEmpty())
            return {false, tr("Request %1 was approved by %2 for its window; to change the window, cancel it and "
                              "request it again (a new approval).")
                               .arg(op.id)
                               .arg(op.approvedBy)};
        return {true, tr("Move request %1 (%2 of %3) to another downtime window.").arg(op.id).arg(k->title, op.target)};
    case Action::Approve:
    case Action::Reject:
        if (op.state != S::AwaitingApproval)
            return {false, tr("Operation %1 is %2; only a request awaiting approval can be %3.")
                               .arg(op.id)
                               .arg(state, action == Action::Approve ? tr("approved") : tr("rejected"))};
        if (action == Action::Approve)
            return {true, tr("Approve request %1 (%2 of %3), asked by %4: an agent runs it in its window.")
                              .arg(op.id)
                              .arg(k->title, op.target, op.who)};
        return {true, tr("Reject request %1 (%2 of %3), asked by %4: nothing runs; it ends as Canceled with your "
                         "reason.")
                          .arg(op.id)
                          .arg(k->title, op.target, op.who)};
    case Action::SignOff:
        if (op.state != S::Completed)
            return {false,
                    tr("Operation %1 is %2; only a completed operation can be signed off.").arg(op.id).arg(state)};
        return {
            true,
            tr("Accept operation %1: it can no longer be rolled back; what it replaced stays a restore point until it expires.").arg(op.id)};
    }
    return {};
}

OperationRules::Verdict OperationRules::canStart(const QString& kindId, const Environment& target,
                                                 const QList<OperationRecord>& history) const
{
    const OperationKind* k = m_kinds.find(kindId);
    if (!k)
        return {false, tr("This build cannot run operations of kind %1.").arg(kindId)};
    if (k->sandboxTargetsOnly && target.type != EnvironmentType::Sandbox)
        return {false, kindId == OperationKinds::Export
                           ? tr("%1 is a %2 environment; only a sandbox can be exported: production's data leaves "
                                "through a sandbox and its data policy.")
                                 .arg(target.id, environmentTypeTitle(target.type).toLower())
                           : sandboxTargetRefusal(target)};
    const OperationRecord* blocking = nullptr;
    for (const OperationRecord& o : history) {
        if (o.target == target.id && o.holdsTarget() && (!blocking || o.id > blocking->id))
            blocking = &o;
    }
    if (blocking)
        return {false, busyRefusal(target.id, *blocking)};
    for (const OperationRecord& o : history) {
        if (o.source == target.id && o.target != target.id && readsItsSource(o))
            return {false, readBySourceRefusal(target.id, o)};
    }
    return {true, tr("Start %1 on %2.").arg(k->title, target.id)};
}

OperationRules::Verdict OperationRules::canReprovision(const QString& target, bool commerce,
                                                       const QList<OperationRecord>& history,
                                                       qint64 afterRefresh)
{
    if (!commerce)
        return {false, tr("%1 runs no Commerce: there is nothing to reprovision.").arg(target)};
    // The newest refresh that counts (aborted and rolled-back ones changed nothing).
    const OperationRecord* refresh = nullptr;
    for (const OperationRecord& o : history) {
        if (o.target == target && o.kind == OperationKinds::Refresh && o.state != OperationState::Aborted &&
            o.state != OperationState::RollbackCompleted && (!refresh || o.id > refresh->id))
            refresh = &o;
    }
    if (!refresh)
        return {false, tr("%1 has not been refreshed yet: the reprovisioning tool follows a refresh.").arg(target)};
    if (afterRefresh > 0 && refresh->id != afterRefresh)
        return {false, tr("Refresh #%1 replaced %2's databases after this one: its follow-ups offer the tool.")
                           .arg(refresh->id)
                           .arg(target)};
    if (refresh->state != OperationState::Completed && refresh->state != OperationState::SignedOff)
        return {false, tr("%1 has an unfinished operation #%2 (%3, %4): finish it first.")
                           .arg(target)
                           .arg(refresh->id)
                           .arg(refresh->title(), stateWords(refresh->state))};
    // After the refresh: the tool's own run (whatever became of it) and what is unfinished.
    const OperationRecord* toolRun = nullptr;
    const OperationRecord* blocking = nullptr;
    for (const OperationRecord& o : history) {
        if (o.target != target || o.id <= refresh->id)
            continue;
        if (isReprovisioningApply(o) && o.state != OperationState::NotStarted && !isWaitingState(o.state) &&
            !(o.state == OperationState::Failed && o.neverRan()) && (!toolRun || o.id > toolRun->id))
            toolRun = &o;
        if (o.holdsTarget() && (!blocking || o.id > blocking->id))
            blocking = &o;
    }
    if (toolRun)
        return {false, tr("The tool already ran on %1 after refresh #%2 (apply #%3, %4).")
                           .arg(target)
                           .arg(refresh->id)
                           .arg(toolRun->id)
                           .arg(stateWords(toolRun->state))};
    if (blocking)
        return {false, tr("%1 has an unfinished operation #%2 (%3, %4): finish it first.")
                           .arg(target)
                           .arg(blocking->id)
                           .arg(blocking->title(), stateWords(blocking->state))};
    return {true, tr("Apply the Environment reprovisioning tool to %1 now: it brings the Commerce records in line with "
                     "the environment after the copy of refresh #%2 (imported from the shared library if the asset "
                     "library lacks it).")
                      .arg(target)
                      .arg(refresh->id)};
}

QString OperationRules::environmentInUse(const QString& id, const QList<OperationRecord>& operations,
                                         bool restorePointsToo)
{
    const OperationRecord* blocking = nullptr;
    for (const OperationRecord& op : operations) {
        // A request waiting for its window would find its environment gone.
        if (op.target == id && (op.holdsTarget() || isWaitingState(op.state)) &&
            (!blocking || op.id > blocking->id))
            blocking = &op;
    }
    if (blocking) {
        if (blocking->state == OperationState::AwaitingApproval)
            return QStringLiteral("request %1 (%2) on it awaits approval; cancel it first (dataalm cancel %1)")
                .arg(blocking->id)
                .arg(blocking->title());
        if (blocking->state == OperationState::Scheduled)
            return QStringLiteral("request %1 (%2) on it waits for its window; cancel it first (dataalm cancel %1)")
                .arg(blocking->id)
                .arg(blocking->title());
        if (isActiveState(blocking->state))
            return QStringLiteral("operation %1 (%2) on it is in progress; wait for it to finish")
                .arg(blocking->id)
                .arg(blocking->title());
        return QStringLiteral("operation %1 (%2) on it is %3; resume, roll back or abort it first (dataalm "
                              "operation %1)")
            .arg(blocking->id)
            .arg(blocking->title(), operationStateName(blocking->state));
    }
    for (const OperationRecord& op : operations) {
        if (op.source == id && op.target != id && readsItsSource(op))
            return QStringLiteral("it is the source of operation %1 (%2 of %3), which is %4 and may still read it; "
                                  "let it finish, or roll it back or abort it first")
                .arg(op.id)
                .arg(op.title(), op.target, operationStateName(op.state));
        if (restorePointsToo && op.target == id && op.state == OperationState::Completed)
            return QStringLiteral("operation %1 (%2) completed and keeps a restore point of its databases; sign it "
                                  "off (dataalm signoff %1) or roll it back (dataalm rollback %1) first")
                .arg(op.id)
                .arg(op.title());
    }
    return {};
}

QString OperationRules::policyInUse(const QString& projectId, const QList<OperationRecord>& operations)
{
    for (const OperationRecord& op : operations) {
        // A refresh that may still read its source also still applies its project's policy.
        if (op.projectId == projectId && readsItsSource(op))
            return QStringLiteral("operation %1 (%2 of %3) is %4 and applies the project's current policy when it "
                                  "resumes; let it finish, or roll it back or abort it first")
                .arg(op.id)
                .arg(op.title(), op.target, operationStateName(op.state));
    }
    return {};
}

QString OperationRules::durationWords(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(std::max<qint64>(seconds, 0));
    const qint64 minutes = (seconds + 30) / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    return tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

QString OperationRules::windowRefusal(const QDateTime& start, const QDateTime& end, const QDateTime& now,
                                      int minimumNoticeMinutes, qint64 estimateSeconds, bool force)
{
    if (!start.isValid() || !end.isValid())
        return tr("A downtime window needs a start and an end.");
    if (end <= start)
        return tr("The window ends (%1) before it starts (%2): give an end after the start.")
            .arg(end.toUTC().toString(Qt::ISODate), start.toUTC().toString(Qt::ISODate));
    if (end <= now)
        return tr("The window ended at %1, before now (%2): choose a window in the future.")
            .arg(end.toUTC().toString(Qt::ISODate), now.toUTC().toString(Qt::ISODate));
    if (minimumNoticeMinutes > 0 && now.secsTo(start) < qint64(minimumNoticeMinutes) * 60)
        return tr("The project asks for %1 of notice: the window must start at %2 or later.")
            .arg(durationWords(qint64(minimumNoticeMinutes) * 60),
                 now.addSecs(qint64(minimumNoticeMinutes) * 60).toUTC().toString(Qt::ISODate));
    const qint64 usable = std::min(start.secsTo(end), std::max(now, start).secsTo(end));
    if (estimateSeconds > 0 && usable < estimateSeconds && !force)
        return tr("The window gives %1, and the operation is estimated to take %2: choose a longer window, or "
                  "insist with --force (Request anyway in the console).")
            .arg(durationWords(usable), durationWords(estimateSeconds));
    return {};
}

QString OperationRules::missedWindow(const OperationRecord& request, const QDateTime& now, qint64 estimateSeconds)
{
    if (!request.windowEnd.isValid() || now >= request.windowEnd)
        return tr("missed its window (%1 to %2): no agent ran it before the window ended")
            .arg(request.windowStart.toUTC().toString(Qt::ISODate), request.windowEnd.toUTC().toString(Qt::ISODate));
    const qint64 left = now.secsTo(request.windowEnd);
    if (estimateSeconds > 0 && left < estimateSeconds && !request.params.value(QStringLiteral("force")).toBool())
        return tr("missed its window (%1 to %2): %3 of it was left, and the operation is estimated to take %4")
            .arg(request.windowStart.toUTC().toString(Qt::ISODate), request.windowEnd.toUTC().toString(Qt::ISODate),
                 durationWords(left), durationWords(estimateSeconds));
    return {};
}
