// DurationEstimate: how long an operation will take, from the catalog's history of the
// same kind; a line through sizes that differ, a scaled median otherwise, the same
// target's history first, and a leave-one-out error only when there is enough to say.
#include "schedule/DurationEstimate.h"

#include <QtTest>

class TestDurationEstimate : public QObject
{
    Q_OBJECT

private slots:
    void noHistoryNoEstimate();
    void oneSizeScalesTheMedian();
    void aLineThroughDifferentSizes();
    void theSameTargetFirst();
    void text();
};

namespace {

OperationRecord done(const QString& kind, const QString& target, qint64 bytes, qint64 seconds,
                     OperationState state = OperationState::Completed)
{
    static qint64 id = 0;
    OperationRecord o;
    o.id = ++id;
    o.kind = kind;
    o.target = target;
    o.state = state;
    o.started = QDateTime(QDate(2026, 11, 1), QTime(2, 0), Qt::UTC);
    StepRecord s;
    s.ordinal = 1;
    s.bytes = bytes;
    s.state = StepState::Completed;
    s.started = o.started;
    s.finished = o.started.addSecs(seconds);
    o.steps.append(s);
    o.finished = s.finished;
    return o;
}

const QString Refresh = QStringLiteral("refresh");
const QString Uat = QStringLiteral("uat");
constexpr qint64 Gb = qint64(1) << 30;

} // namespace

void TestDurationEstimate::noHistoryNoEstimate()
{
    QVERIFY(!DurationEstimate::estimate({}, Refresh, Uat, Gb).isKnown());
    // Failed, aborted and other kinds' operations say nothing about a refresh.
    const QList<OperationRecord> other = {done(Refresh, Uat, Gb, 100, OperationState::Failed),
                                          done(QStringLiteral("export"), Uat, Gb, 100)};
    QVERIFY(!DurationEstimate::estimate(other, Refresh, Uat, Gb).isKnown());
}

void TestDurationEstimate::oneSizeScalesTheMedian()
{
    const QList<OperationRecord> history = {done(Refresh, Uat, Gb, 100), done(Refresh, Uat, Gb, 120),
                                            done(Refresh, Uat, Gb, 110)};
    const DurationEstimate e = DurationEstimate::estimate(history, Refresh, Uat, 2 * Gb);
    QCOMPARE(e.basis, 3);
    QCOMPARE(e.seconds, 220);
    QVERIFY(e.relativeError >= 0 && e.relativeError < 0.15);
}

void TestDurationEstimate::aLineThroughDifferentSizes()
{
    // 10 s fixed, then 100 s per GB: exactly on a line.
    QList<OperationRecord> history;
    for (int g = 1; g <= 4; ++g)
        history << done(Refresh, Uat, g * Gb, 10 + 100 * g);
    const DurationEstimate e = DurationEstimate::estimate(history, Refresh, Uat, 8 * Gb);
    QCOMPARE(e.model, QStringLiteral("line"));
    QVERIFY2(std::abs(e.seconds - 810) <= 1, qPrintable(QString::number(e.seconds)));
    QVERIFY(e.relativeError >= 0 && e.relativeError < 0.01);
    // Unknown size now: the median size of the history.
    QVERIFY(std::abs(DurationEstimate::estimate(history, Refresh, Uat, -1).seconds - 260) <= 1);
}

void TestDurationEstimate::theSameTargetFirst()
{
    const QList<OperationRecord> history = {done(Refresh, QStringLiteral("other"), Gb, 1000),
                                            done(Refresh, Uat, Gb, 100)};
    QCOMPARE(DurationEstimate::estimate(history, Refresh, Uat, Gb).seconds, 100);
    QCOMPARE(DurationEstimate::estimate(history, Refresh, QStringLiteral("new"), Gb).basis, 2);
}

void TestDurationEstimate::text()
{
    QVERIFY(DurationEstimate().text(QStringLiteral("Refresh database")).startsWith(QStringLiteral("no estimate")));
    DurationEstimate e;
    e.seconds = 725;
    e.basis = 6;
    e.relativeError = 0.08;
    QCOMPARE(e.text(QStringLiteral("Refresh database")),
             QStringLiteral("about 12 min, from 6 past operations of this kind in this catalog (typically within 8%)"));
}

QTEST_GUILESS_MAIN(TestDurationEstimate)
#include "tst_durationestimate.moc"
