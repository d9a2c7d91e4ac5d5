// OperationAvailability: which of LCS's buttons the state machine allows, for every
// state of a refresh, before and after the swap, with a later operation, and while
// this console runs an action. The reasons are sentences a person can act on.
#include "OperationAvailability.h"
#include "refresh/RefreshRunbook.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using A = OperationAvailability;

class TestOperationAvailability : public QObject
{
    Q_OBJECT

private slots:
    void byState_data();
    void byState();
    void cancelIsRefusedOnceTheSwapBegan();
    void rollbackWaitsForALaterOperation();
    void failedApplyMayBeAborted();
    void busyHereAllowsOnlyCancelAndLogs();
    void noOperation();

private:
    static OperationRecord refresh(qint64 id, OperationState state, int stepsStarted = 0);
};

OperationRecord TestOperationAvailability::refresh(qint64 id, OperationState state, int stepsStarted)
{
    OperationRecord op;
    op.id = id;
    op.kind = QStringLiteral("refresh");
    op.source = QStringLiteral("contoso-prod");
    op.target = QStringLiteral("contoso-uat");
    op.state = state;
    const QStringList names = RefreshRunbook::stepNames();
    for (int i = 0; i < names.size(); ++i) {
        StepRecord s;
        s.ordinal = i + 1;
        s.name = names.at(i);
        s.state = i + 1 < stepsStarted ? StepState::Completed
                  : i + 1 == stepsStarted
                      ? (state == OperationState::InProgress ? StepState::InProgress : StepState::Failed)
                      : StepState::NotStarted;
        op.steps.append(s);
    }
    // The swap records its restore point before it moves the first database.
    if (stepsStarted >= RefreshRunbook::SwapIntoTarget)
        op.restorePoint = QJsonObject{{QStringLiteral("databases"), QJsonArray{}}};
    return op;
}

void TestOperationAvailability::byState_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("stepsStarted");
    QTest::addColumn<QString>("allowed"); // C R O S D: cancel, resume, rollback, sign off, download
    QTest::newRow("not started") << int(OperationState::NotStarted) << 0 << QStringLiteral("C...D");
    QTest::newRow("copying") << int(OperationState::InProgress) << 3 << QStringLiteral("C...D");
    QTest::newRow("swapping") << int(OperationState::InProgress) << 9 << QStringLiteral("....D");
    QTest::newRow("failed before the swap") << int(OperationState::Failed) << 5 << QStringLiteral("CRO.D");
    QTest::newRow("failed after the swap") << int(OperationState::Failed) << 10 << QStringLiteral(".RO.D");
    QTest::newRow("completed") << int(OperationState::Completed) << 11 << QStringLiteral("..OSD");
    QTest::newRow("signed off") << int(OperationState::SignedOff) << 11 << QStringLiteral("....D");
    QTest::newRow("aborted") << int(OperationState::Aborted) << 3 << QStringLiteral("....D");
    QTest::newRow("rolling back") << int(OperationState::RollbackInProgress) << 11 << QStringLiteral("....D");
    QTest::newRow("rolled back") << int(OperationState::RollbackCompleted) << 11 << QStringLiteral("....D");
    QTest::newRow("rollback failed") << int(OperationState::RollbackFailed) << 11 << QStringLiteral("..O.D");
}

void TestOperationAvailability::byState()
{
    QFETCH(int, state);
    QFETCH(int, stepsStarted);
    QFETCH(QString, allowed);
    const OperationRecord op = refresh(3, OperationState(state), stepsStarted);
    QString got;
    const QString letters = QStringLiteral("CROSD");
    for (int a = A::Cancel; a <= A::DownloadLogs; ++a) {
        const A::Verdict v = A::check(A::Action(a), op, {op}, false);
        got += v.enabled ? letters.at(a) : QLatin1Char('.');
        QVERIFY2(!v.reason.isEmpty(), qPrintable(QString::number(a)));
        QVERIFY2(v.reason.contains(QStringLiteral("3")) || a == A::DownloadLogs, qPrintable(v.reason));
    }
    QCOMPARE(got, allowed);
}

void TestOperationAvailability::cancelIsRefusedOnceTheSwapBegan()
{
    const OperationRecord swapping = refresh(3, OperationState::InProgress, RefreshRunbook::SwapIntoTarget);
    QVERIFY(A::pointOfNoReturnReached(swapping));
    const A::Verdict v = A::check(A::Cancel, swapping, {}, true);
    QVERIFY(!v.enabled);
    const QString swap = RefreshRunbook::stepNames().at(RefreshRunbook::SwapIntoTarget - 1);
    QVERIFY2(v.reason.contains(swap) && v.reason.contains(QStringLiteral("Roll it back")),
             qPrintable(v.reason));
    const OperationRecord copying = refresh(3, OperationState::InProgress, RefreshRunbook::CopyTransactional);
    QVERIFY(!A::pointOfNoReturnReached(copying));
    QVERIFY(A::check(A::Cancel, copying, {}, true).reason.contains(QStringLiteral("untouched")));
}

void TestOperationAvailability::failedApplyMayBeAborted()
{
    // A failed apply past its restore point: Abort keeps what its completed steps did (ApplyJob).
    OperationRecord apply = refresh(4, OperationState::Failed, 5);
    apply.kind = QStringLiteral("apply");
    apply.source.clear();
    apply.restorePoint.insert(QStringLiteral("path"), QStringLiteral("/tmp/contoso-uat.restore-4.db"));
    QVERIFY(A::pointOfNoReturnReached(apply));
    const A::Verdict abort = A::check(A::Cancel, apply, {}, false);
    QVERIFY2(abort.enabled && abort.reason.contains(QStringLiteral("completed steps")), qPrintable(abort.reason));
    QVERIFY(A::check(A::Rollback, apply, {}, false).enabled);
    QVERIFY(A::check(A::Resume, apply, {}, false).enabled);
    // The same state for a refresh past the swap: roll back instead.
    const OperationRecord refreshed = refresh(4, OperationState::Failed, RefreshRunbook::SwapIntoTarget);
    QVERIFY(!A::check(A::Cancel, refreshed, {}, false).enabled);
}

void TestOperationAvailability::rollbackWaitsForALaterOperation()
{
    const OperationRecord first = refresh(3, OperationState::Completed, 11);
    OperationRecord later = refresh(5, OperationState::Completed, 11);
    A::Verdict v = A::check(A::Rollback, first, {later, first}, false);
    QVERIFY(!v.enabled);
    QVERIFY2(v.reason.contains(QStringLiteral("Operation 5")), qPrintable(v.reason));
    QCOMPARE(A::laterOperation(first, {later, first})->id, qint64(5));
    // A later operation that was rolled back or aborted does not count; nor one on another target.
    later.state = OperationState::RollbackCompleted;
    QVERIFY(A::check(A::Rollback, first, {later, first}, false).enabled);
    later.state = OperationState::Aborted;
    QVERIFY(A::check(A::Rollback, first, {later, first}, false).enabled);
    later.state = OperationState::Completed;
    later.target = QStringLiteral("contoso-uat2");
    QVERIFY(!A::laterOperation(first, {later, first}));
    v = A::check(A::Rollback, first, {later, first}, false);
    QVERIFY(v.enabled);
    QVERIFY2(v.reason.contains(QStringLiteral("Put back")), qPrintable(v.reason));
}

void TestOperationAvailability::busyHereAllowsOnlyCancelAndLogs()
{
    const OperationRecord failed = refresh(3, OperationState::Failed, 5);
    for (auto a : {A::Resume, A::Rollback, A::SignOff, A::Cancel})
        QVERIFY(!A::check(a, failed, {}, true).enabled);
    QVERIFY(A::check(A::DownloadLogs, failed, {}, true).enabled);
    const OperationRecord running = refresh(3, OperationState::InProgress, 3);
    QVERIFY(A::check(A::Cancel, running, {}, true).enabled);
}

void TestOperationAvailability::noOperation()
{
    for (int a = A::Cancel; a <= A::DownloadLogs; ++a)
        QVERIFY(!A::check(A::Action(a), OperationRecord{}, {}, false).enabled);
}

QTEST_GUILESS_MAIN(TestOperationAvailability)
#include "tst_operationavailability.moc"
