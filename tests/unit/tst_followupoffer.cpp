// FollowUpOffer: a completed refresh into a Commerce environment offers its follow-ups
// and the one-click Environment reprovisioning tool; a refresh without Commerce, an
// unfinished refresh and an apply offer nothing; the tool is refused, with a reason,
// once it ran after the refresh, after a later refresh, or behind an unfinished operation.
#include "FollowUpOffer.h"
#include "refresh/RefreshRunbook.h"

#include <QJsonArray>
#include <QDateTime>
#include <QtTest>

class TestFollowUpOffer : public QObject
{
    Q_OBJECT

private slots:
    void commerceRefreshOffersTheTool();
    void nothingOfferedWithoutFollowUps_data();
    void nothingOfferedWithoutFollowUps();
    void refusedOnceTheToolRan();
    void refusedAfterALaterRefresh();
    void refusedBehindAnUnfinishedOperation();
    void otherTargetsDoNotCount();

private:
    static OperationRecord refresh(qint64 id, OperationState state, bool commerce = true);
    static OperationRecord apply(qint64 id, OperationState state, const QString& type);
};

OperationRecord TestFollowUpOffer::refresh(qint64 id, OperationState state, bool commerce)
{
    OperationRecord op;
    op.id = id;
    op.kind = QStringLiteral("refresh");
    op.source = QStringLiteral("contoso-prod");
    op.target = QStringLiteral("contoso-uat");
    op.state = state;
    // Every state but NotStarted follows a start (a request that never ran is not one of these).
    if (state != OperationState::NotStarted)
        op.started = QDateTime(QDate(2026, 12, 1), QTime(2, 0), Qt::UTC);
    op.params.insert(QStringLiteral("commerce"), commerce);
    if (commerce)
        op.params.insert(QStringLiteral("followUps"), QJsonArray::fromStringList(RefreshRunbook::commerceFollowUps()));
    return op;
}

OperationRecord TestFollowUpOffer::apply(qint64 id, OperationState state, const QString& type)
{
    OperationRecord op;
    op.id = id;
    op.kind = QStringLiteral("apply");
    op.target = QStringLiteral("contoso-uat");
    op.state = state;
    // Every state but NotStarted follows a start (a request that never ran is not one of these).
    if (state != OperationState::NotStarted)
        op.started = QDateTime(QDate(2026, 12, 1), QTime(2, 0), Qt::UTC);
    op.params.insert(QStringLiteral("package"), QJsonObject{{QStringLiteral("type"), type}});
    return op;
}

void TestFollowUpOffer::commerceRefreshOffersTheTool()
{
    for (OperationState state : {OperationState::Completed, OperationState::SignedOff}) {
        const OperationRecord r = refresh(5, state);
        const auto v = FollowUpOffer::check(r, {r});
        QVERIFY(v.offered);
        QVERIFY(v.enabled);
        QCOMPARE(v.tasks, RefreshRunbook::commerceFollowUps());
        QVERIFY2(v.reason.contains(QStringLiteral("contoso-uat")) &&
                     v.reason.contains(QStringLiteral("shared library")),
                 qPrintable(v.reason));
    }
    // An earlier tool run does not count: it was for an older copy.
    const OperationRecord r = refresh(5, OperationState::Completed);
    QVERIFY(
        FollowUpOffer::check(r, {apply(3, OperationState::Completed, QStringLiteral("reprovisioning")), r}).enabled);
}

void TestFollowUpOffer::nothingOfferedWithoutFollowUps_data()
{
    QTest::addColumn<bool>("isApply");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("commerce");
    QTest::newRow("refresh without Commerce") << false << int(OperationState::Completed) << false;
    QTest::newRow("refresh in progress") << false << int(OperationState::InProgress) << true;
    QTest::newRow("refresh failed") << false << int(OperationState::Failed) << true;
    QTest::newRow("refresh rolled back") << false << int(OperationState::RollbackCompleted) << true;
    QTest::newRow("completed apply") << true << int(OperationState::Completed) << true;
}

void TestFollowUpOffer::nothingOfferedWithoutFollowUps()
{
    QFETCH(bool, isApply);
    QFETCH(int, state);
    QFETCH(bool, commerce);
    OperationRecord op = refresh(7, OperationState(state), commerce);
    if (isApply)
        op.kind = QStringLiteral("apply");
    const auto v = FollowUpOffer::check(op, {op});
    QVERIFY(!v.offered);
    QVERIFY(!v.enabled);
}

void TestFollowUpOffer::refusedOnceTheToolRan()
{
    const OperationRecord r = refresh(5, OperationState::Completed);
    // Another package applied after the refresh leaves the offer open.
    QVERIFY(FollowUpOffer::check(r, {apply(6, OperationState::SignedOff, QStringLiteral("application")), r}).enabled);
    for (OperationState state : {OperationState::Completed, OperationState::SignedOff, OperationState::Failed,
                                 OperationState::RollbackCompleted}) {
        const auto v = FollowUpOffer::check(r, {apply(8, state, QStringLiteral("reprovisioning")), r});
        QVERIFY(v.offered);
        QVERIFY(!v.enabled);
        QVERIFY2(v.reason.contains(QStringLiteral("already ran")) && v.reason.contains(QStringLiteral("#8")),
                 qPrintable(v.reason));
    }
}

void TestFollowUpOffer::refusedAfterALaterRefresh()
{
    const OperationRecord r = refresh(5, OperationState::Completed);
    const auto v = FollowUpOffer::check(r, {refresh(9, OperationState::Completed), r});
    QVERIFY(v.offered && !v.enabled);
    QVERIFY2(v.reason.contains(QStringLiteral("#9")), qPrintable(v.reason));
    // An aborted later refresh left the databases as this one made them.
    QVERIFY(FollowUpOffer::check(r, {refresh(9, OperationState::Aborted), r}).enabled);
}

void TestFollowUpOffer::refusedBehindAnUnfinishedOperation()
{
    const OperationRecord r = refresh(5, OperationState::Completed);
    const auto v = FollowUpOffer::check(r, {apply(6, OperationState::Failed, QStringLiteral("customization")), r});
    QVERIFY(v.offered && !v.enabled);
    QVERIFY2(v.reason.contains(QStringLiteral("unfinished")) && v.reason.contains(QStringLiteral("#6")),
             qPrintable(v.reason));
}

void TestFollowUpOffer::otherTargetsDoNotCount()
{
    const OperationRecord r = refresh(5, OperationState::Completed);
    OperationRecord elsewhere = apply(8, OperationState::Completed, QStringLiteral("reprovisioning"));
    elsewhere.target = QStringLiteral("contoso-uat2");
    QVERIFY(FollowUpOffer::check(r, {elsewhere, r}).enabled);
}

QTEST_GUILESS_MAIN(TestFollowUpOffer)
#include "tst_followupoffer.moc"
