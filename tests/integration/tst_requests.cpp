// Requests in downtime windows on SQLite, through the real `dataalm` binary on the demo:
// a refresh requested for a window waits as Scheduled, holding nothing; the agent runs
// it when the window opens (time moved by DATAALM_TEST_CLOCK_SKEW_S, never by sleeping),
// under a new id that follows the operations run before it; a window that passed ends
// it Failed ("missed its window") without touching the target; rescheduling and
// cancelling follow the rules; bad windows are refused with words and change nothing;
// two agents never run one request; an agent killed after claiming or while running
// leaves the next one to finish the work; a running agent wakes on a new request
// without polling.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QThread>
#include <QtTest>

#include <csignal>

class TestRequests : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void requestRunsWhenItsWindowOpens();
    void rescheduleAndCancel();
    void badWindowsChangeNothing();
    void windowShorterThanTheEstimate();
    void missedWindowFailsAndHoldsNothing();
    void twoAgentsNeverRunOneRequest();
    void killedAgentsLeaveTheWorkToTheNext();
    void runningAgentWakesOnANewRequest();
    void recurringRefreshNeitherSkipsNorRepeatsSilently();
    void stoppedAgentCancelsBeforeThePointOfNoReturn();
    void scheduledRestorePoints();

private:
    RefreshFixture m_f;
};

namespace {

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

QString iso(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

// `refresh ... --window-start S --window-end E --json`.
QStringList requestArgs(const QDateTime& start, const QDateTime& end, const QStringList& extra = {})
{
    return RefreshFixture::refreshArgs(Prod, Uat,
                                       QStringList{QStringLiteral("--window-start"), iso(start),
                                                   QStringLiteral("--window-end"), iso(end), QStringLiteral("--json")} +
                                           extra);
}

QMap<QString, QString> skew(qint64 seconds, const QMap<QString, QString>& more = {})
{
    QMap<QString, QString> env = more;
    env.insert(QStringLiteral("DATAALM_TEST_CLOCK_SKEW_S"), QString::number(seconds));
    return env;
}

QStringList once()
{
    return {QStringLiteral("agent"), QStringLiteral("--once")};
}

} // namespace

void TestRequests::initTestCase()
{
    QVERIFY2(m_f.create(2), qPrintable(m_f.error()));
}

void TestRequests::requestRunsWhenItsWindowOpens()
{
    const auto before = m_f.fileHashes(Uat);
    CliRun run = m_f.cli(requestArgs(now().addSecs(3600), now().addSecs(3 * 3600)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject request = run.json().object();
    QCOMPARE(request.value(QStringLiteral("state")).toString(), QStringLiteral("Scheduled"));
    QVERIFY(request.value(QStringLiteral("window")).toObject().contains(QStringLiteral("start")));
    const qint64 requestId = request.value(QStringLiteral("id")).toInteger();
    QCOMPARE(m_f.fileHashes(Uat), before);
    // Listed with its window and estimate; it holds nothing: a refresh of another
    // sandbox, or of this one, may run meanwhile.
    run = m_f.cli({QStringLiteral("requests"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().array().size(), 1);
    QCOMPARE(run.json().array().first().toObject().value(QStringLiteral("id")).toInteger(), requestId);
    QVERIFY(run.json().array().first().toObject().contains(QStringLiteral("estimate")));
    // Not due yet: the agent runs nothing.
    run = m_f.cli(once());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(m_f.operation(requestId).value(QStringLiteral("state")).toString(), QStringLiteral("Scheduled"));
    QCOMPARE(m_f.fileHashes(Uat), before);
    // An hour later (the clock moved, not slept), the window is open: it runs under a
    // new id, the next one, which names the request it was.
    const CliOutcome agent = m_f.cliWith(once(), skew(3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    const QList<QJsonObject> ops = m_f.operations();
    QCOMPARE(ops.first().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    const qint64 ran = ops.first().value(QStringLiteral("id")).toInteger();
    QVERIFY(ran > requestId);
    QCOMPARE(m_f.operation(ran).value(QStringLiteral("request")).toInteger(), requestId);
    QVERIFY(m_f.operation(requestId).isEmpty());
    QVERIFY(m_f.fileHashes(Uat) != before);
    run = m_f.cli({QStringLiteral("requests"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().size(), 0);
    // Signed off, so that the next tests start from a settled sandbox.
    QVERIFY(m_f.cli({QStringLiteral("signoff"), QString::number(ran)}).exitedWith(0));
    QString e;
    QVERIFY2(m_f.processRecurringMessages(Uat, &e), qPrintable(e));
}

void TestRequests::rescheduleAndCancel()
{
    CliRun run = m_f.cli(requestArgs(now().addSecs(3600), now().addSecs(7200)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    const QDateTime start = now().addDays(1);
    run = m_f.cli({QStringLiteral("reschedule"), QString::number(id), QStringLiteral("--window-start"), iso(start),
                   QStringLiteral("--window-end"), iso(start.addSecs(4 * 3600)), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject window = run.json().object().value(QStringLiteral("window")).toObject();
    QCOMPARE(QDateTime::fromString(window.value(QStringLiteral("start")).toString(), Qt::ISODate).toSecsSinceEpoch(),
             start.toSecsSinceEpoch());
    // --time is for a restore to an instant only.
    run = m_f.cli({QStringLiteral("reschedule"), QString::number(id), QStringLiteral("--window-start"), iso(start),
                   QStringLiteral("--window-end"), iso(start.addSecs(3600)), QStringLiteral("--time"), iso(now())});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    // Where the window was, nothing runs now.
    CliOutcome agent = m_f.cliWith(once(), skew(3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(m_f.operation(id).value(QStringLiteral("state")).toString(), QStringLiteral("Scheduled"));
    run = m_f.cli({QStringLiteral("cancel"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    QCOMPARE(run.json().object().value(QStringLiteral("error")).toString(), QStringLiteral("canceled"));
    // A cancelled request can be neither cancelled nor moved again, and never runs.
    run = m_f.cli({QStringLiteral("cancel"), QString::number(id)});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = m_f.cli({QStringLiteral("reschedule"), QString::number(id), QStringLiteral("--window-start"), iso(start),
                   QStringLiteral("--window-end"), iso(start.addSecs(3600))});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("only a request waiting for its window")), qPrintable(run.describe()));
    agent = m_f.cliWith(once(), skew(86400 + 60));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(m_f.operation(id).value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    // An unknown id.
    QVERIFY(m_f.cli({QStringLiteral("cancel"), QStringLiteral("99999")}).exitedWith(4));
}

void TestRequests::badWindowsChangeNothing()
{
    const qint64 count = m_f.operations().size();
    const auto before = m_f.fileHashes(Uat);
    // The end before the start; a window in the past; an end without a start; not a time.
    CliRun run = m_f.cli(requestArgs(now().addSecs(7200), now().addSecs(3600)));
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("before it starts")), qPrintable(run.describe()));
    run = m_f.cli(requestArgs(now().addSecs(-7200), now().addSecs(-3600)));
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("before now")), qPrintable(run.describe()));
    run = m_f.cli(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--window-end"), iso(now().addSecs(60))}));
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = m_f.cli(RefreshFixture::refreshArgs(Prod, Uat,
                                              {QStringLiteral("--window-start"), QStringLiteral("tonight"),
                                               QStringLiteral("--window-end"), iso(now().addSecs(60))}));
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("'tonight' is not a date and time")), qPrintable(run.describe()));
    // `request` without a window.
    run = m_f.cli({QStringLiteral("request"), QStringLiteral("refresh"), QStringLiteral("--source"), Prod,
                   QStringLiteral("--target"), Uat, QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    // The project asks a day of notice: a window in an hour is refused, in two days accepted.
    run = m_f.cli({QStringLiteral("project"), QStringLiteral("notice"), QStringLiteral("contoso"),
                   QStringLiteral("--minutes"), QStringLiteral("1440")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = m_f.cli(requestArgs(now().addSecs(3600), now().addSecs(7200)));
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("notice")), qPrintable(run.describe()));
    QCOMPARE(m_f.operations().size(), count);
    QCOMPARE(m_f.fileHashes(Uat), before);
    run = m_f.cli({QStringLiteral("request"), QStringLiteral("refresh"), QStringLiteral("--source"), Prod,
                   QStringLiteral("--target"), Uat, QStringLiteral("--yes"), QStringLiteral("--window-start"),
                   iso(now().addDays(2)), QStringLiteral("--window-end"), iso(now().addDays(2).addSecs(3600)),
                   QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(m_f.cli({QStringLiteral("cancel"),
                     QString::number(run.json().object().value(QStringLiteral("id")).toInteger())})
                .exitedWith(0));
    QVERIFY(m_f.cli({QStringLiteral("project"), QStringLiteral("notice"), QStringLiteral("contoso"),
                     QStringLiteral("--minutes"), QStringLiteral("0")})
                .exitedWith(0));
}

void TestRequests::windowShorterThanTheEstimate()
{
    // A refresh of known length: slowed to several seconds per run by the copy hook.
    const QMap<QString, QString> slow{{QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16")},
                                      {QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("300")}};
    const CliOutcome ran = m_f.cliWith(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--json")}), slow);
    QVERIFY2(ran.exitedWith(0), qPrintable(ran.describe()));
    const qint64 id = ran.json().object().value(QStringLiteral("id")).toInteger();
    QVERIFY(m_f.cli({QStringLiteral("signoff"), QString::number(id)}).exitedWith(0));
    QString e;
    QVERIFY2(m_f.processRecurringMessages(Uat, &e), qPrintable(e));
    QJsonObject op = m_f.operation(id);
    const qint64 seconds = QDateTime::fromString(op.value(QStringLiteral("started")).toString(), Qt::ISODate)
                               .secsTo(QDateTime::fromString(op.value(QStringLiteral("finished")).toString(), Qt::ISODate));
    QVERIFY2(seconds >= 6, qPrintable(QStringLiteral("the slowed refresh took %1 s").arg(seconds)));
    // A window of one second: refused, naming both durations.
    const QDateTime start = now().addSecs(3600);
    CliRun run = m_f.cli(requestArgs(start, start.addSecs(1)));
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("The window gives 1 s")) &&
                 run.errText().contains(QStringLiteral("estimated to take")),
             qPrintable(run.describe()));
    // Insisting makes the request.
    run = m_f.cli(requestArgs(start, start.addSecs(1), {QStringLiteral("--force")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(m_f.cli({QStringLiteral("cancel"),
                     QString::number(run.json().object().value(QStringLiteral("id")).toInteger())})
                .exitedWith(0));
    // A window that opened while less of it is left than the estimate: missed.
    run = m_f.cli(requestArgs(start, start.addSecs(3600)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = run.json().object().value(QStringLiteral("id")).toInteger();
    // Three seconds of the window left when the agent looks (the estimate is six or more).
    const QDateTime end = QDateTime::fromString(
        run.json().object().value(QStringLiteral("window")).toObject().value(QStringLiteral("end")).toString(), Qt::ISODate);
    const CliOutcome agent = m_f.cliWith(once(), skew(now().secsTo(end) - 3));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    op = m_f.operation(request);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QVERIFY2(op.value(QStringLiteral("error")).toString().startsWith(QStringLiteral("missed its window")) &&
                 op.value(QStringLiteral("error")).toString().contains(QStringLiteral("estimated to take")),
             qPrintable(op.value(QStringLiteral("error")).toString()));
}

void TestRequests::missedWindowFailsAndHoldsNothing()
{
    const auto before = m_f.fileHashes(Uat);
    CliRun run = m_f.cli(requestArgs(now().addSecs(3600), now().addSecs(7200)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    // No agent ran until the window had passed.
    const CliOutcome agent = m_f.cliWith(once(), skew(3 * 3600));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QVERIFY2(agent.errText().contains(QStringLiteral("missed its window")), qPrintable(agent.describe()));
    const QJsonObject op = m_f.operation(id);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QVERIFY(op.value(QStringLiteral("error")).toString().contains(QStringLiteral("no agent ran it")));
    QCOMPARE(m_f.fileHashes(Uat), before);
    // It touched nothing, so it holds nothing: the sandbox refreshes now.
    run = m_f.cli(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(m_f.cli({QStringLiteral("signoff"),
                     QString::number(run.json().object().value(QStringLiteral("id")).toInteger())})
                .exitedWith(0));
    QString e;
    QVERIFY2(m_f.processRecurringMessages(Uat, &e), qPrintable(e));
    // The missed request is aborted like any failure that changed nothing.
    QVERIFY(m_f.cli({QStringLiteral("abort"), QString::number(id)}).exitedWith(0));
}

void TestRequests::twoAgentsNeverRunOneRequest()
{
    CliRun run = m_f.cli(requestArgs(now().addSecs(600), now().addSecs(7200)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = run.json().object().value(QStringLiteral("id")).toInteger();
    const qint64 count = m_f.operations().size();
    CliProcess a, b;
    for (CliProcess* p : {&a, &b}) {
        p->setEnv(QStringLiteral("DATAALM_TEST_CLOCK_SKEW_S"), QStringLiteral("700"));
        QVERIFY(m_f.start(*p, once()));
    }
    const CliOutcome oa = a.finish();
    const CliOutcome ob = b.finish();
    QVERIFY2(oa.exitedWith(0), qPrintable(oa.describe()));
    QVERIFY2(ob.exitedWith(0), qPrintable(ob.describe()));
    const QList<QJsonObject> ops = m_f.operations();
    // One operation ran it; the request's own id is gone.
    QCOMPARE(ops.size(), count);
    int ranIt = 0;
    for (const QJsonObject& o : ops) {
        if (m_f.operation(o.value(QStringLiteral("id")).toInteger()).value(QStringLiteral("request")).toInteger() ==
            request) {
            ++ranIt;
            QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
            QVERIFY(m_f.cli({QStringLiteral("signoff"), QString::number(o.value(QStringLiteral("id")).toInteger())})
                        .exitedWith(0));
        }
    }
    QCOMPARE(ranIt, 1);
    QString e;
    QVERIFY2(m_f.processRecurringMessages(Uat, &e), qPrintable(e));
}

void TestRequests::killedAgentsLeaveTheWorkToTheNext()
{
    for (const char* point : {"agent-claimed", "copy-mid"}) {
        CliRun run = m_f.cli(requestArgs(now().addSecs(600), now().addSecs(7200)));
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        const qint64 request = run.json().object().value(QStringLiteral("id")).toInteger();
        const CliOutcome killed =
            m_f.cliWith(once(), skew(700, {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QString::fromUtf8(point)},
                                           {QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16")}}));
        QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
        // The next agent finishes it, once: no second operation for the request.
        const CliOutcome next = m_f.cliWith(once(), skew(760));
        QVERIFY2(next.exitedWith(0), qPrintable(next.describe()));
        const QJsonObject newest = m_f.operations().first();
        const QJsonObject op = m_f.operation(newest.value(QStringLiteral("id")).toInteger());
        QCOMPARE(op.value(QStringLiteral("request")).toInteger(), request);
        QVERIFY2(op.value(QStringLiteral("state")).toString() == QLatin1String("Completed"),
                 qPrintable(QString::fromUtf8(point) + QStringLiteral(": ") + next.describe()));
        int forRequest = 0;
        for (const QJsonObject& o : m_f.operations())
            forRequest += m_f.operation(o.value(QStringLiteral("id")).toInteger()).value(QStringLiteral("request")).toInteger() == request;
        QCOMPARE(forRequest, 1);
        QVERIFY(m_f.cli({QStringLiteral("signoff"), QString::number(op.value(QStringLiteral("id")).toInteger())})
                    .exitedWith(0));
        QString e;
        QVERIFY2(m_f.processRecurringMessages(Uat, &e), qPrintable(e));
    }
}

void TestRequests::runningAgentWakesOnANewRequest()
{
    CliProcess agent;
    QVERIFY(m_f.start(agent, {QStringLiteral("agent")}));
    QVERIFY2(agent.waitForErr(QStringLiteral("watching")), agent.errSoFar().constData());
    // Made after the agent went to sleep, due in two seconds.
    CliRun run = m_f.cli(requestArgs(now().addSecs(2), now().addSecs(3600)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = run.json().object().value(QStringLiteral("id")).toInteger();
    QVERIFY2(agent.waitForErr(QStringLiteral("ended Completed"), 120000), agent.errSoFar().constData());
    const QJsonObject op = m_f.operation(m_f.operations().first().value(QStringLiteral("id")).toInteger());
    QCOMPARE(op.value(QStringLiteral("request")).toInteger(), request);
    // `agents` says it is alive (the earlier `agent --once` runs have stopped).
    const auto alive = [&](qint64 pid) {
        const CliRun list = m_f.cli({QStringLiteral("agents"), QStringLiteral("--json")});
        for (const QJsonValue& v : list.json().array()) {
            if (v.toObject().value(QStringLiteral("pid")).toInteger() == pid)
                return v.toObject().value(QStringLiteral("alive")).toBool() ? 1 : 0;
        }
        return -1;
    };
    const qint64 pid = agent.pid();
    QCOMPARE(alive(pid), 1);
    QVERIFY(agent.sendSignal(SIGTERM));
    const CliOutcome out = agent.finish(60000);
    QVERIFY2(out.exitedWith(0), qPrintable(out.describe()));
    QCOMPARE(alive(pid), 0);
}

void TestRequests::recurringRefreshNeitherSkipsNorRepeatsSilently()
{
    const QDateTime first = now().addSecs(3600);
    CliRun run = m_f.cli(requestArgs(first, first.addSecs(2 * 3600), {QStringLiteral("--every"), QStringLiteral("day")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject schedule = run.json().object();
    const QString id = QStringLiteral("S%1").arg(schedule.value(QStringLiteral("schedule")).toInteger());
    QCOMPARE(schedule.value(QStringLiteral("next")).toArray().size(), 3);
    // Listed with its next occurrences; nothing is made before the first window.
    run = m_f.cli({QStringLiteral("requests")});
    QVERIFY2(run.outText().contains(id) && run.outText().contains(QStringLiteral("every day")), qPrintable(run.outText()));
    const qint64 count = m_f.operations().size();
    const auto ranFor = [&](qint64 scheduleId) {
        int n = 0;
        for (const QJsonObject& o : m_f.operations())
            n += m_f.operation(o.value(QStringLiteral("id")).toInteger()).value(QStringLiteral("schedule")).toInteger() == scheduleId;
        return n;
    };
    const qint64 sid = schedule.value(QStringLiteral("schedule")).toInteger();
    const auto settle = [&] {
        const qint64 newest = m_f.operations().first().value(QStringLiteral("id")).toInteger();
        QCOMPARE(m_f.operation(newest).value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
        QVERIFY(m_f.cli({QStringLiteral("signoff"), QString::number(newest)}).exitedWith(0));
        QString e;
        QVERIFY2(m_f.processRecurringMessages(Uat, &e), qPrintable(e));
    };
    // The first window opens: the agent makes the occurrence and runs it.
    CliOutcome agent = m_f.cliWith(once(), skew(3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(m_f.operations().size(), count + 1);
    QCOMPARE(ranFor(sid), 1);
    settle();
    // The same instant again (another agent, or the clock set back): nothing repeats.
    agent = m_f.cliWith(once(), skew(3800));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(ranFor(sid), 1);
    // The clock jumps three days forward: the two occurrences in between are said to
    // have passed, the one whose window is open runs.
    agent = m_f.cliWith(once(), skew(3 * 86400 + 3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QVERIFY2(agent.errText().contains(QStringLiteral("2 occurrence(s)")) &&
                 agent.errText().contains(QStringLiteral("passed without running")),
             qPrintable(agent.describe()));
    QCOMPARE(ranFor(sid), 2);
    settle();
    run = m_f.cli({QStringLiteral("requests"), QStringLiteral("--json")});
    QVERIFY2(run.outText().contains(QStringLiteral("passed without running")), qPrintable(run.outText()));
    // Set back to the first day: what ran does not run again.
    agent = m_f.cliWith(once(), skew(86400 + 3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(ranFor(sid), 2);
    // Cancelled: no more occurrences.
    run = m_f.cli({QStringLiteral("cancel"), id});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    agent = m_f.cliWith(once(), skew(5 * 86400 + 3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(ranFor(sid), 2);
    QVERIFY(m_f.cli({QStringLiteral("cancel"), id}).exitedWith(5));
    QVERIFY(m_f.cli({QStringLiteral("cancel"), QStringLiteral("S999")}).exitedWith(4));
    // What cannot recur, or never could run, is refused.
    run = m_f.cli({QStringLiteral("apply"), QStringLiteral("--package"), QStringLiteral("x"), QStringLiteral("--target"),
                   Uat, QStringLiteral("--yes"), QStringLiteral("--every"), QStringLiteral("day"),
                   QStringLiteral("--window-start"), iso(first), QStringLiteral("--window-end"), iso(first.addSecs(60))});
    QVERIFY(!run.exitedWith(0));
    run = m_f.cli(RefreshFixture::refreshArgs(Prod, QStringLiteral("contoso-dev"),
                                              {QStringLiteral("--every"), QStringLiteral("week"),
                                               QStringLiteral("--window-start"), iso(first),
                                               QStringLiteral("--window-end"), iso(first.addSecs(3600))}));
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = m_f.cli(requestArgs(first, first.addSecs(3600), {QStringLiteral("--every"), QStringLiteral("month")}));
    QVERIFY2(run.exitedWith(5) && run.errText().contains(QStringLiteral("day or week")), qPrintable(run.describe()));
}

void TestRequests::stoppedAgentCancelsBeforeThePointOfNoReturn()
{
    const auto before = m_f.fileHashes(Uat);
    QVERIFY(m_f.cli({QStringLiteral("cleanup")}).exitedWith(0)); // what earlier sign-offs left
    const QStringList leftBefore = m_f.leftovers(Uat);
    CliRun run = m_f.cli(requestArgs(now().addSecs(1), now().addSecs(3600)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = run.json().object().value(QStringLiteral("id")).toInteger();
    // systemctl stop while the copy runs (slowed so that it is still copying).
    CliProcess agent;
    agent.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16"));
    agent.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("200"));
    QVERIFY(m_f.start(agent, {QStringLiteral("agent")}));
    QVERIFY2(agent.waitForErr(QStringLiteral("running it as operation"), 60000), agent.errSoFar().constData());
    QThread::msleep(1500);
    QVERIFY(agent.sendSignal(SIGTERM));
    const CliOutcome out = agent.finish(120000);
    QVERIFY2(out.exitedWith(0), qPrintable(out.describe()));
    QVERIFY2(out.errText().contains(QStringLiteral("stopping")), qPrintable(out.describe()));
    // Cancelled before the swap: the target as it was, the operation Aborted, nothing left.
    const QJsonObject op = m_f.operations().first();
    QCOMPARE(m_f.operation(op.value(QStringLiteral("id")).toInteger()).value(QStringLiteral("request")).toInteger(),
             request);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    QCOMPARE(m_f.fileHashes(Uat), before);
    QCOMPARE(m_f.leftovers(Uat), leftBefore);
}

void TestRequests::scheduledRestorePoints()
{
    const QDateTime first = now().addSecs(3600);
    CliRun run = m_f.cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"), Uat,
                          QStringLiteral("--every"), QStringLiteral("week"), QStringLiteral("--window-start"), iso(first),
                          QStringLiteral("--window-end"), iso(first.addSecs(3600)), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const auto scheduled = [&] {
        int n = 0;
        const CliRun list = m_f.cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
        for (const QJsonValue& v : list.json().array())
            n += v.toObject().value(QStringLiteral("kind")).toString() == QLatin1String("scheduled");
        return n;
    };
    QCOMPARE(scheduled(), 0);
    const CliOutcome agent = m_f.cliWith(once(), skew(3700));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(scheduled(), 1);
    QVERIFY(m_f.cliWith(once(), skew(3800)).exitedWith(0));
    QCOMPARE(scheduled(), 1);
}

QTEST_GUILESS_MAIN(TestRequests)
#include "tst_requests.moc"
