// OperationRules: the one answer to "may this happen now, and why not" for every
// action on an operation (cancel, resume, rollback, sign off) and on a target (start
// a refresh or an apply, the reprovisioning tool), with each kind's point of no return
// taken from the registry; and the same sentence from the runner that refuses.
#include "TestSupport.h"

#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationRules.h"
#include "apply/ApplyRunbook.h"
#include "environment/Environment.h"
#include "refresh/RefreshRunbook.h"

#include <QJsonArray>
#include <QJsonObject>
#include "environment/RestorePoint.h"

#include <QtTest>

using R = OperationRules;

class TestOperationRules : public QObject
{
    Q_OBJECT

private slots:
    void cancelFollowsEachKindsPointOfNoReturn();
    void abortAfterAFailureDependsOnTheKind();
    void rollbackAndSignOff();
    void unknownKindIsRefused();
    void canStartRefusesNonSandboxesForARefreshOnly();
    void canStartRefusesBehindAnUnfinishedOperation();
    void reprovisioningFollowsTheNewestRefresh();
    void kindsOwnTheirData();
    void restorePointRules();
    void environmentAndPolicyInUse();
    void cancelSpeaksOfItsOwnKind();
    void restorePointsKeptWithTheirSizes();
    void requestsHoldNothingUntilTheyRun();
    void windows();

private:
    static OperationRecord op(const QString& kind, qint64 id, OperationState state, int stepsStarted, int steps);
    static Environment environment(const QString& id, EnvironmentType type, bool commerce = true);
    R m_rules{BuiltInOperationKinds::registry()};
};

OperationRecord TestOperationRules::op(const QString& kind, qint64 id, OperationState state, int stepsStarted,
                                       int steps)
{
    OperationRecord o;
    o.id = id;
    o.kind = kind;
    o.target = QStringLiteral("contoso-uat");
    o.state = state;
    // An operation with a step begun has started (a request that missed its window has not).
    if (stepsStarted > 0)
        o.started = QDateTime(QDate(2026, 12, 1), QTime(2, 0), Qt::UTC);
    for (int i = 1; i <= steps; ++i) {
        StepRecord s;
        s.ordinal = i;
        s.name = QStringLiteral("Step %1").arg(i);
        s.state = i < stepsStarted    ? StepState::Completed
                  : i == stepsStarted ? (state == OperationState::InProgress ? StepState::InProgress
                                                                             : StepState::Failed)
                                      : StepState::NotStarted;
        o.steps.append(s);
    }
    return o;
}

Environment TestOperationRules::environment(const QString& id, EnvironmentType type, bool commerce)
{
    Environment e;
    e.id = id;
    e.name = id;
    e.type = type;
    e.versions.commerce = commerce ? QStringLiteral("9.50") : QString();
    return e;
}

void TestOperationRules::cancelFollowsEachKindsPointOfNoReturn()
{
    // A refresh: until the swap; an apply: until its first package step (step 4), so
    // while its restore point is being made a cancel still stops it.
    const int swap = RefreshRunbook::SwapIntoTarget;
    QVERIFY(m_rules.check(R::Action::Cancel, op(QStringLiteral("refresh"), 3, OperationState::InProgress, swap - 1, 10), {}).allowed);
    const R::Verdict late = m_rules.check(R::Action::Cancel, op(QStringLiteral("refresh"), 3, OperationState::InProgress, swap, 10), {});
    QVERIFY(!late.allowed);
    QVERIFY2(late.reason.contains(QStringLiteral("Step %1 (step %1)").arg(swap)) &&
                 late.reason.contains(QStringLiteral("Roll it back")),
             qPrintable(late.reason));
    const int first = ApplyRunbook::FirstPackageStep;
    OperationRecord apply = op(QStringLiteral("apply"), 4, OperationState::InProgress, first - 1, 6);
    apply.restorePoint.insert(QStringLiteral("databases"), QJsonArray{});
    QVERIFY(m_rules.cancelHonoured(apply));
    QVERIFY(m_rules.check(R::Action::Cancel, apply, {}).allowed);
    QVERIFY(!m_rules.check(R::Action::Cancel, op(QStringLiteral("apply"), 4, OperationState::InProgress, first, 6), {}).allowed);
}

void TestOperationRules::abortAfterAFailureDependsOnTheKind()
{
    // A refresh that recorded its restore point (the swap began) must be rolled back...
    OperationRecord refresh = op(QStringLiteral("refresh"), 3, OperationState::Failed, 9, 10);
    QVERIFY(m_rules.check(R::Action::Cancel, refresh, {}).allowed); // the swap step failed before moving anything
    refresh.restorePoint.insert(QStringLiteral("databases"), QJsonArray{});
    QVERIFY(m_rules.targetChanged(refresh));
    const R::Verdict v = m_rules.check(R::Action::Cancel, refresh, {});
    QVERIFY(!v.allowed);
    QVERIFY2(v.reason.contains(QStringLiteral("roll it back")), qPrintable(v.reason));
    // ... an apply may stop where it is.
    const OperationRecord apply = op(QStringLiteral("apply"), 4, OperationState::Failed, 5, 6);
    QVERIFY(m_rules.targetChanged(apply));
    const R::Verdict a = m_rules.check(R::Action::Cancel, apply, {});
    QVERIFY(a.allowed);
    QVERIFY2(a.reason.contains(QStringLiteral("completed steps")), qPrintable(a.reason));
}

void TestOperationRules::rollbackAndSignOff()
{
    const OperationRecord first = op(QStringLiteral("apply"), 3, OperationState::Completed, 7, 6);
    OperationRecord later = op(QStringLiteral("refresh"), 5, OperationState::Completed, 11, 10);
    const R::Verdict blocked = m_rules.check(R::Action::Rollback, first, {later, first});
    QVERIFY(!blocked.allowed);
    QVERIFY2(blocked.reason.contains(QStringLiteral("Operation 5 (Refresh database)")), qPrintable(blocked.reason));
    later.state = OperationState::RollbackCompleted;
    QVERIFY(m_rules.check(R::Action::Rollback, first, {later, first}).allowed);
    QVERIFY(m_rules.check(R::Action::SignOff, first, {}).allowed);
    const R::Verdict signedOff =
        m_rules.check(R::Action::SignOff, op(QStringLiteral("apply"), 3, OperationState::Failed, 5, 6), {});
    QCOMPARE(signedOff.reason, QStringLiteral("Operation 3 is failed; only a completed operation can be signed off."));
    QVERIFY(!m_rules.check(R::Action::Run, first, {}).allowed);
    QVERIFY(m_rules.check(R::Action::Run, op(QStringLiteral("apply"), 3, OperationState::NotStarted, 0, 6), {}).allowed);
}

void TestOperationRules::unknownKindIsRefused()
{
    const OperationRecord restore = op(QStringLiteral("pitr"), 8, OperationState::Failed, 2, 4);
    for (R::Action a : {R::Action::Run, R::Action::Cancel, R::Action::Resume, R::Action::Rollback, R::Action::SignOff}) {
        const R::Verdict v = m_rules.check(a, restore, {});
        QVERIFY(!v.allowed);
        QVERIFY2(v.reason.contains(QStringLiteral("(pitr)")), qPrintable(v.reason));
    }
    QVERIFY(m_rules.targetChanged(restore)); // unknown: assume the worst
    QVERIFY(!m_rules.canStart(QStringLiteral("pitr"), environment(QStringLiteral("contoso-uat"), EnvironmentType::Sandbox), {}).allowed);
}

void TestOperationRules::canStartRefusesNonSandboxesForARefreshOnly()
{
    const Environment prod = environment(QStringLiteral("contoso-prod"), EnvironmentType::Production);
    const R::Verdict v = m_rules.canStart(QStringLiteral("refresh"), prod, {});
    QVERIFY(!v.allowed);
    QCOMPARE(v.reason, R::sandboxTargetRefusal(prod));
    QVERIFY2(v.reason.startsWith(QStringLiteral("contoso-prod is a production environment; only sandboxes")),
             qPrintable(v.reason));
    QVERIFY(!m_rules.canStart(QStringLiteral("refresh"), environment(QStringLiteral("dev"), EnvironmentType::DevTest), {}).allowed);
    // Packages go to any environment, production included.
    QVERIFY(m_rules.canStart(QStringLiteral("apply"), prod, {}).allowed);
    QVERIFY(R::sandboxTargetRefusal(environment(QStringLiteral("uat"), EnvironmentType::Sandbox)).isEmpty());
}

void TestOperationRules::canStartRefusesBehindAnUnfinishedOperation()
{
    const Environment uat = environment(QStringLiteral("contoso-uat"), EnvironmentType::Sandbox);
    for (OperationState s : allOperationStates()) {
        const OperationRecord o = op(QStringLiteral("apply"), 6, s, 4, 6);
        const R::Verdict v = m_rules.canStart(QStringLiteral("refresh"), uat, {o});
        QCOMPARE(v.allowed, !isUnfinishedState(s));
        if (!v.allowed)
            QVERIFY2(v.reason.contains(QStringLiteral("operation 6 (Apply updates")), qPrintable(v.reason));
        // Only an operation that stopped is to be resumed, rolled back or aborted; one
        // that is starting or running is waited for.
        if (s == OperationState::NotStarted)
            QVERIFY2(v.reason.endsWith(QStringLiteral("operation 6 (Apply updates) starting; wait for it to finish.")),
                     qPrintable(v.reason));
        if (!v.allowed && v.reason.contains(QStringLiteral("resume")))
            QVERIFY2(s == OperationState::Failed || s == OperationState::RollbackFailed, qPrintable(v.reason));
    }
    // A refresh that may still read the target as its source holds it too.
    OperationRecord reading = op(QStringLiteral("refresh"), 9, OperationState::Failed, 3, 10);
    reading.source = uat.id;
    reading.target = QStringLiteral("contoso-uat2");
    const R::Verdict read = m_rules.canStart(QStringLiteral("apply"), uat, {reading});
    QVERIFY(!read.allowed);
    QVERIFY2(read.reason.startsWith(QStringLiteral("contoso-uat is the source of operation 9 (Refresh database of "
                                                   "contoso-uat2)")),
             qPrintable(read.reason));
    reading.state = OperationState::Completed;
    QVERIFY(m_rules.canStart(QStringLiteral("apply"), uat, {reading}).allowed);
    // Another target's operations do not count.
    OperationRecord elsewhere = op(QStringLiteral("apply"), 6, OperationState::Failed, 4, 6);
    elsewhere.target = QStringLiteral("contoso-uat2");
    QVERIFY(m_rules.canStart(QStringLiteral("refresh"), uat, {elsewhere}).allowed);
}

void TestOperationRules::reprovisioningFollowsTheNewestRefresh()
{
    const QString uat = QStringLiteral("contoso-uat");
    auto tool = [](qint64 id, OperationState s) {
        OperationRecord o = op(QStringLiteral("apply"), id, s, 6, 6);
        o.params.insert(QStringLiteral("package"), QJsonObject{{QStringLiteral("type"), QStringLiteral("reprovisioning")}});
        return o;
    };
    const OperationRecord refresh = op(QStringLiteral("refresh"), 5, OperationState::Completed, 11, 10);
    QVERIFY(!R::canReprovision(uat, false, {refresh}).allowed);
    QVERIFY(!R::canReprovision(uat, true, {}).allowed);
    QVERIFY(R::canReprovision(uat, true, {refresh}).allowed);
    QVERIFY(R::canReprovision(uat, true, {refresh}, 5).allowed);
    // Another package in between leaves the offer open (the Maintain menu and the
    // follow-ups agree; they used to disagree here).
    OperationRecord other = op(QStringLiteral("apply"), 6, OperationState::SignedOff, 6, 6);
    QVERIFY(R::canReprovision(uat, true, {other, refresh}).allowed);
    QVERIFY(!R::canReprovision(uat, true, {tool(7, OperationState::Completed), refresh}).allowed);
    QVERIFY(R::canReprovision(uat, true, {tool(3, OperationState::Completed), refresh}).allowed); // an older copy's
    const R::Verdict later = R::canReprovision(uat, true, {op(QStringLiteral("refresh"), 9, OperationState::Completed, 11, 10), refresh}, 5);
    QVERIFY(!later.allowed);
    QVERIFY2(later.reason.contains(QStringLiteral("#9")), qPrintable(later.reason));
    const R::Verdict failed = R::canReprovision(uat, true, {op(QStringLiteral("apply"), 6, OperationState::Failed, 5, 6), refresh});
    QVERIFY(!failed.allowed);
    QVERIFY2(failed.reason.contains(QStringLiteral("unfinished")), qPrintable(failed.reason));
    QVERIFY(!R::canReprovision(uat, true, {op(QStringLiteral("refresh"), 5, OperationState::Failed, 4, 10)}).allowed);
}

void TestOperationRules::kindsOwnTheirData()
{
    const OperationKinds& kinds = BuiltInOperationKinds::registry();
    QCOMPARE(kinds.ids(), (QStringList{QStringLiteral("refresh"), QStringLiteral("restore"), QStringLiteral("import"),
                                       QStringLiteral("export"), QStringLiteral("apply")}));
    // An export changes no environment: Abort is always offered, a cancel honoured until
    // the backup is added to the library.
    const OperationKind* exportKind = kinds.find(QStringLiteral("export"));
    QVERIFY(!exportKind->targetChanged(op(QStringLiteral("export"), 1, OperationState::Failed, 7, 7)));
    QCOMPARE(exportKind->pointOfNoReturn, 7);
    QVERIFY(exportKind->sandboxTargetsOnly);
    Environment prod = environment(QStringLiteral("contoso-prod"), EnvironmentType::Production);
    const R::Verdict refused = m_rules.canStart(QStringLiteral("export"), prod, {});
    QVERIFY(!refused.allowed);
    QVERIFY2(refused.reason.contains(QStringLiteral("only a sandbox can be exported")), qPrintable(refused.reason));
    QVERIFY(m_rules.canStart(QStringLiteral("import"), environment(QStringLiteral("contoso-dev"), EnvironmentType::DevTest), {}).allowed);
    // A restore is a refresh whose source is a restore point: into dev/test too.
    QCOMPARE(kinds.find(QStringLiteral("restore"))->pointOfNoReturn, int(RefreshRunbook::SwapIntoTarget));
    QVERIFY(kinds.find(QStringLiteral("refresh"))->sandboxTargetsOnly);
    QVERIFY(!kinds.find(QStringLiteral("restore"))->sandboxTargetsOnly);
    QCOMPARE(kinds.find(QStringLiteral("refresh"))->pointOfNoReturn, int(RefreshRunbook::SwapIntoTarget));
    QCOMPARE(kinds.find(QStringLiteral("apply"))->pointOfNoReturn, int(ApplyRunbook::FirstPackageStep));
    QVERIFY(kinds.find(QStringLiteral("apply"))->abortKeepsChanges);
    QVERIFY(!kinds.find(QStringLiteral("pitr")));
    // A kind added without its own targetChanged gets the point-of-no-return test.
    OperationKinds mine;
    OperationKind k;
    k.id = QStringLiteral("export");
    k.pointOfNoReturn = 3;
    mine.add(k);
    QVERIFY(!mine.find(QStringLiteral("export"))->targetChanged(op(QStringLiteral("export"), 1, OperationState::Failed, 2, 4)));
    QVERIFY(mine.find(QStringLiteral("export"))->targetChanged(op(QStringLiteral("export"), 1, OperationState::Failed, 3, 4)));
}

void TestOperationRules::restorePointRules()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Environment uat = TestSupport::sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    Environment dev = TestSupport::sampleEnvironment(QStringLiteral("contoso-dev"), QStringLiteral("contoso"),
                                                     EnvironmentType::DevTest);
    Environment prod = TestSupport::sampleEnvironment(QStringLiteral("contoso-prod"), QStringLiteral("contoso"),
                                                      EnvironmentType::Production);
    const auto pointOf = [&](const Environment& e) {
        RestorePoint p;
        p.id = 4;
        p.environmentId = e.id;
        p.kind = RestorePoint::Manual;
        p.state = RestorePoint::Available;
        p.created = now.addDays(-1);
        p.expires = now.addDays(6);
        p.databases = e.databases;
        return p;
    };
    // Its own restore point: a sandbox or a dev/test environment, never production.
    QCOMPARE(R::restoreRefusal(pointOf(uat), &uat, uat, now), QString());
    QCOMPARE(R::restoreRefusal(pointOf(dev), &dev, dev, now), QString());
    QVERIFY(R::restoreRefusal(pointOf(prod), &prod, prod, now).contains(QStringLiteral("never production's")));
    // Production's into a sandbox, not into dev/test; a sandbox's into no other environment.
    QCOMPARE(R::restoreRefusal(pointOf(prod), &prod, uat, now), QString());
    QVERIFY(R::restoreRefusal(pointOf(prod), &prod, dev, now).contains(QStringLiteral("can only go into a sandbox")));
    QVERIFY(R::restoreRefusal(pointOf(uat), &uat, dev, now).contains(QStringLiteral("only production's")));
    QVERIFY(R::restoreRefusal(pointOf(prod), nullptr, uat, now).contains(QStringLiteral("no longer in the catalog")));
    // Not available, expired (at its expiry instant), another engine.
    RestorePoint creating = pointOf(uat);
    creating.state = RestorePoint::Creating;
    QVERIFY(R::restoreRefusal(creating, &uat, uat, now).contains(QStringLiteral("still being created")));
    QVERIFY(R::restoreRefusal(pointOf(uat), &uat, uat, now.addDays(6)).contains(QStringLiteral("expired on")));
    RestorePoint postgres = pointOf(uat);
    postgres.databases.first().driver = DatabaseRef::Postgres;
    QVERIFY(R::restoreRefusal(postgres, &uat, uat, now).contains(QStringLiteral("cannot cross engines")));

    // What an operation replaced is restored from only once that operation is signed off.
    RestorePoint replaced = pointOf(uat);
    replaced.kind = RestorePoint::Operation;
    replaced.operationId = 9;
    replaced.operationState = QStringLiteral("Completed");
    QVERIFY(R::restoreRefusal(replaced, &uat, uat, now).contains(QStringLiteral("belongs to its rollback")));
    replaced.operationState = QStringLiteral("SignedOff");
    QCOMPARE(R::restoreRefusal(replaced, &uat, uat, now), QString());

    // Deletion: refused while its operation can still be rolled back to it, or a restore reads it.
    RestorePoint kept = pointOf(uat);
    kept.kind = RestorePoint::Operation;
    kept.operationId = 7;
    for (OperationState s : {OperationState::Completed, OperationState::Failed, OperationState::RollbackFailed})
        QVERIFY(R::restorePointDeletionRefusal(kept, op(QStringLiteral("refresh"), 7, s, 9, 10), {})
                    .contains(QStringLiteral("can still be rolled back")));
    QCOMPARE(R::restorePointDeletionRefusal(kept, op(QStringLiteral("refresh"), 7, OperationState::SignedOff, 10, 10), {}),
             QString());
    OperationRecord reader = op(QStringLiteral("restore"), 8, OperationState::Failed, 3, 10);
    reader.params.insert(QStringLiteral("restorePoint"), 4);
    QVERIFY(R::restorePointDeletionRefusal(pointOf(uat), std::nullopt, {reader}).contains(QStringLiteral("restores")));
    reader.state = OperationState::Completed;
    QCOMPARE(R::restorePointDeletionRefusal(pointOf(uat), std::nullopt, {reader}), QString());
}

void TestOperationRules::environmentAndPolicyInUse()
{
    const QString uat = QStringLiteral("contoso-uat");
    QCOMPARE(R::environmentInUse(uat, {}, true), QString());
    // An unfinished operation on it.
    OperationRecord failed = op(QStringLiteral("apply"), 6, OperationState::Failed, 5, 6);
    QVERIFY2(R::environmentInUse(uat, {failed}, false).startsWith(QStringLiteral("operation 6 (Apply updates) on it is "
                                                                                  "Failed")),
             qPrintable(R::environmentInUse(uat, {failed}, false)));
    // A refresh that may still read it as its source (another target's).
    OperationRecord reading = op(QStringLiteral("refresh"), 7, OperationState::Failed, 3, 10);
    reading.source = QStringLiteral("contoso-prod");
    reading.target = QStringLiteral("contoso-uat2");
    QVERIFY(R::environmentInUse(QStringLiteral("contoso-prod"), {reading}, false)
                .startsWith(QStringLiteral("it is the source of operation 7")));
    QCOMPARE(R::environmentInUse(uat, {reading}, false), QString());
    // A restore point counts only when asked.
    const OperationRecord completed = op(QStringLiteral("refresh"), 8, OperationState::Completed, 11, 10);
    QCOMPARE(R::environmentInUse(uat, {completed}, false), QString());
    QVERIFY(R::environmentInUse(uat, {completed}, true).contains(QStringLiteral("keeps a restore point")));

    // The policy: refreshes of the project that will still apply it.
    OperationRecord refresh = op(QStringLiteral("refresh"), 9, OperationState::Failed, 5, 10);
    refresh.projectId = QStringLiteral("contoso");
    QVERIFY(R::policyInUse(QStringLiteral("contoso"), {refresh}).startsWith(QStringLiteral("operation 9")));
    QCOMPARE(R::policyInUse(QStringLiteral("fabrikam"), {refresh}), QString());
    refresh.state = OperationState::RollbackFailed; // a rollback does not read the policy
    QCOMPARE(R::policyInUse(QStringLiteral("contoso"), {refresh}), QString());
    OperationRecord apply = op(QStringLiteral("apply"), 10, OperationState::Failed, 5, 6);
    apply.projectId = QStringLiteral("contoso");
    QCOMPARE(R::policyInUse(QStringLiteral("contoso"), {apply}), QString());
}

void TestOperationRules::cancelSpeaksOfItsOwnKind()
{
    // A running apply has no swap: it stops before its first package step and removes its restore point.
    const QString apply = m_rules.cancelConsequence(op(QStringLiteral("apply"), 4, OperationState::InProgress, 3, 6));
    QCOMPARE(apply, QStringLiteral("Operation 4 (Apply updates) stops before its first package step: contoso-uat stays "
                                   "exactly as it is, and the restore point is removed. The operation ends as "
                                   "Aborted."));
    const QString refresh =
        m_rules.cancelConsequence(op(QStringLiteral("refresh"), 5, OperationState::InProgress, 3, 10));
    QVERIFY2(refresh.contains(QStringLiteral("before the swap into contoso-uat")) &&
                 refresh.contains(QStringLiteral("the staging copy is removed")),
             qPrintable(refresh));
    // Aborting a failed apply keeps its completed steps and deletes the restore point.
    const QString failed = m_rules.cancelConsequence(op(QStringLiteral("apply"), 6, OperationState::Failed, 5, 6));
    QVERIFY2(failed.contains(QStringLiteral("with the steps completed so far, and the restore point is deleted")),
             qPrintable(failed));
    for (const QString& s : {apply, failed})
        QVERIFY2(!s.contains(QStringLiteral("swap")) && !s.contains(QStringLiteral("staging")), qPrintable(s));
}

void TestOperationRules::restorePointsKeptWithTheirSizes()
{
    QCOMPARE(R::restorePointsKept(QStringLiteral("contoso-uat"), {}), QString());
    OperationRecord a = op(QStringLiteral("refresh"), 3, OperationState::Completed, 10, 10);
    a.finished = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::LocalTime);
    a.restorePoint = QJsonObject{{QStringLiteral("databases"),
                                  QJsonArray{QJsonObject{{QStringLiteral("bytes"), 3 * 1024 * 1024}},
                                             QJsonObject{{QStringLiteral("bytes"), 1024 * 1024}}}}};
    QVERIFY(a.keepsRestorePoint());
    QCOMPARE(a.restorePointBytes(), qint64(4 * 1024 * 1024));
    QCOMPARE(R::restorePointsKept(QStringLiteral("contoso-uat"), {a}),
             QStringLiteral("contoso-uat keeps the restore point of operation 3 (Refresh database, 30 Nov 2026), 4.0 MB "
                            "until it is signed off or rolled back."));
    OperationRecord b = op(QStringLiteral("apply"), 5, OperationState::Completed, 6, 6);
    b.finished = a.finished;
    b.restorePoint = QJsonObject{{QStringLiteral("databases"), QJsonArray{QJsonObject{}}}}; // made before sizes
    QCOMPARE(b.restorePointBytes(), qint64(-1));
    QCOMPARE(R::restorePointsKept(QStringLiteral("contoso-uat"), {a, b}),
             QStringLiteral("contoso-uat keeps the restore points of operations 3 (Refresh database, 30 Nov 2026) and "
                            "5 (Apply updates, 30 Nov 2026) until they are signed off or rolled back."));
    b.state = OperationState::SignedOff;
    QVERIFY(!b.keepsRestorePoint());
}

void TestOperationRules::requestsHoldNothingUntilTheyRun()
{
    const Environment uat = environment(QStringLiteral("contoso-uat"), EnvironmentType::Sandbox);
    const QDateTime start(QDate(2026, 12, 6), QTime(2, 0), Qt::UTC);
    OperationRecord request = op(QStringLiteral("refresh"), 7, OperationState::Scheduled, 0, 10);
    request.windowStart = start;
    request.windowEnd = start.addSecs(4 * 3600);
    // Waiting: another operation may start on its target, and one before it rolls back.
    QVERIFY(!request.holdsTarget());
    QVERIFY(m_rules.canStart(QStringLiteral("refresh"), uat, {request}).allowed);
    const OperationRecord before = op(QStringLiteral("refresh"), 5, OperationState::Completed, 10, 10);
    QVERIFY(m_rules.check(R::Action::Rollback, before, {before, request}).allowed);
    // Cancel and Reschedule are offered; Resume, Rollback and Sign off are not.
    QVERIFY(m_rules.check(R::Action::Cancel, request, {request}).allowed);
    QVERIFY(m_rules.check(R::Action::Reschedule, request, {request}).allowed);
    QVERIFY(!m_rules.check(R::Action::Resume, request, {request}).allowed);
    QVERIFY(!m_rules.check(R::Action::Rollback, request, {request}).allowed);
    QVERIFY(!m_rules.check(R::Action::SignOff, request, {request}).allowed);
    // Only a Scheduled one is rescheduled.
    QVERIFY(!m_rules.check(R::Action::Reschedule, before, {before}).allowed);
    // Missed: Failed without having started, it still holds nothing; one that ran and failed does.
    OperationRecord missed = request;
    missed.state = OperationState::Failed;
    QVERIFY(!missed.holdsTarget());
    QVERIFY(m_rules.canStart(QStringLiteral("refresh"), uat, {missed}).allowed);
    QVERIFY(m_rules.check(R::Action::Rollback, before, {before, missed}).allowed);
    const OperationRecord failed = op(QStringLiteral("refresh"), 8, OperationState::Failed, 3, 10);
    QVERIFY(failed.holdsTarget());
    QVERIFY(!m_rules.canStart(QStringLiteral("refresh"), uat, {failed}).allowed);
    // The environment cannot be removed under a waiting request.
    const QString inUse = R::environmentInUse(uat.id, QList<OperationRecord>{request}, false);
    QVERIFY2(inUse.contains(QStringLiteral("request 7")) && inUse.contains(QStringLiteral("cancel it first")),
             qPrintable(inUse));
    // The transitions: claimed, cancelled, missed; nothing else.
    for (OperationState to : allOperationStates())
        QCOMPARE(canTransition(OperationState::Scheduled, to),
                 to == OperationState::NotStarted || to == OperationState::Aborted || to == OperationState::Failed);
    QVERIFY(!isFinalState(OperationState::Scheduled) && !isUnfinishedState(OperationState::Scheduled) &&
            !isActiveState(OperationState::Scheduled));
}

void TestOperationRules::windows()
{
    const QDateTime now(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC);
    const QDateTime start = now.addSecs(3600);
    QVERIFY(R::windowRefusal(start, start.addSecs(3600), now, 0, -1, false).isEmpty());
    QVERIFY(R::windowRefusal(start, start.addSecs(-1), now, 0, -1, false).contains(QStringLiteral("before it starts")));
    QVERIFY(R::windowRefusal(now.addSecs(-7200), now.addSecs(-3600), now, 0, -1, false).contains(QStringLiteral("before now")));
    // A window already open is accepted for what is left of it.
    QVERIFY(R::windowRefusal(now.addSecs(-600), now.addSecs(3600), now, 0, 1800, false).isEmpty());
    QVERIFY(!R::windowRefusal(now.addSecs(-3000), now.addSecs(600), now, 0, 1800, false).isEmpty());
    // Notice: 24 hours asked.
    QVERIFY(R::windowRefusal(start, start.addSecs(3600), now, 1440, -1, false).contains(QStringLiteral("notice")));
    QVERIFY(R::windowRefusal(now.addDays(2), now.addDays(2).addSecs(60), now, 1440, -1, false).isEmpty());
    // Shorter than the estimate: refused naming both, unless insisted on.
    const QString shorter = R::windowRefusal(start, start.addSecs(1800), now, 0, 3900, false);
    QVERIFY2(shorter.contains(QStringLiteral("gives 30 min")) && shorter.contains(QStringLiteral("1 h 05 min")),
             qPrintable(shorter));
    QVERIFY(R::windowRefusal(start, start.addSecs(1800), now, 0, 3900, true).isEmpty());
    // Missed: after the end, or with less left than the estimate (unless forced).
    OperationRecord request = op(QStringLiteral("refresh"), 7, OperationState::Scheduled, 0, 10);
    request.windowStart = start;
    request.windowEnd = start.addSecs(3600);
    QVERIFY(R::missedWindow(request, start.addSecs(60), 1800).isEmpty());
    QVERIFY(R::missedWindow(request, start.addSecs(3600), -1).startsWith(QStringLiteral("missed its window")));
    QVERIFY(R::missedWindow(request, start.addSecs(3000), 1800).contains(QStringLiteral("10 min of it was left")));
    request.params.insert(QStringLiteral("force"), true);
    QVERIFY(R::missedWindow(request, start.addSecs(3000), 1800).isEmpty());
}

QTEST_GUILESS_MAIN(TestOperationRules)
#include "tst_operationrules.moc"
