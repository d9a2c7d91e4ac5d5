// Webhook notifications (NotificationOutbox, WebhookSender) through the real `dataalm`
// binary and a real HTTP server on 127.0.0.1: a request's life reaches the project's
// webhook as JSON with a `text` for Slack and Teams (requested, the reminder before the
// window, started, completed); a webhook that fails is retried with backoff until it is
// given up on, a slow one times out, a gone one is refused, and none of them blocks or
// fails the operation.
#include "LoopbackHttpServer.h"
#include "RefreshFixture.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

class TestNotifications : public QObject
{
    Q_OBJECT

private slots:
    void aRequestsLifeReachesTheWebhook();
    void failingWebhookIsRetriedThenGivenUp();
    void slowAndGoneWebhooksNeverHoldAnOperation();
};

namespace {

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

QString iso(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QMap<QString, QString> skew(qint64 seconds)
{
    return {{QStringLiteral("DATAALM_TEST_CLOCK_SKEW_S"), QString::number(seconds)}};
}

QStringList events(const LoopbackHttpServer& server)
{
    QStringList list;
    for (const LoopbackHttpServer::Request& r : server.requests()) {
        if (r.method == QLatin1String("POST"))
            list << QJsonDocument::fromJson(r.body).object().value(QStringLiteral("event")).toString();
    }
    return list;
}

QJsonArray deliveries(const RefreshFixture& f)
{
    const CliRun run = f.cli({QStringLiteral("project"), QStringLiteral("webhook"), QStringLiteral("list"),
                              QStringLiteral("contoso"), QStringLiteral("--json")});
    return run.json().object().value(QStringLiteral("deliveries")).toArray();
}

} // namespace

void TestNotifications::aRequestsLifeReachesTheWebhook()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    LoopbackHttpServer server;
    QString e;
    QVERIFY2(server.start(&e), qPrintable(e));
    server.serve(QStringLiteral("/hook"), "ok");
    CliRun run = f.cli({QStringLiteral("project"), QStringLiteral("webhook"), QStringLiteral("add"),
                        QStringLiteral("contoso"), server.url(QStringLiteral("/hook")).toString()});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // Not a URL: refused, nothing added.
    run = f.cli({QStringLiteral("project"), QStringLiteral("webhook"), QStringLiteral("add"), QStringLiteral("contoso"),
                 QStringLiteral("ftp://example/x")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(1800);
    run = f.cli(RefreshFixture::refreshArgs(Prod, Uat,
                                            {QStringLiteral("--window-start"), iso(start), QStringLiteral("--window-end"),
                                             iso(start.addSecs(3 * 3600)), QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 request = run.json().object().value(QStringLiteral("id")).toInteger();
    // Nothing is sent by the command itself: the agent delivers.
    QCOMPARE(events(server), QStringList());
    // Half an hour before the window: the request, and the reminder of the hour before.
    CliOutcome agent = f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, {});
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(events(server), (QStringList{QStringLiteral("requested"), QStringLiteral("reminder-1h")}));
    // 20 minutes later, the 15-minute reminder; once only.
    QVERIFY(f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(1200)).exitedWith(0));
    QVERIFY(f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(1260)).exitedWith(0));
    QCOMPARE(events(server),
             (QStringList{QStringLiteral("requested"), QStringLiteral("reminder-1h"), QStringLiteral("reminder-15min")}));
    // The window opens: it runs, and says so.
    agent = f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(1900));
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(events(server), (QStringList{QStringLiteral("requested"), QStringLiteral("reminder-1h"),
                                          QStringLiteral("reminder-15min"), QStringLiteral("started"),
                                          QStringLiteral("completed")}));
    const QJsonObject completed = QJsonDocument::fromJson(server.requests().last().body).object();
    QCOMPARE(completed.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(completed.value(QStringLiteral("environments")).toObject().value(QStringLiteral("target")).toString(), Uat);
    QCOMPARE(completed.value(QStringLiteral("environments")).toObject().value(QStringLiteral("source")).toString(), Prod);
    QVERIFY(completed.value(QStringLiteral("window")).toObject().contains(QStringLiteral("start")));
    QVERIFY(completed.value(QStringLiteral("operation")).toObject().value(QStringLiteral("id")).toInteger() > request);
    QVERIFY2(completed.value(QStringLiteral("text")).toString().startsWith(
                 QStringLiteral("DataALM: Refresh database of contoso-uat from contoso-prod completed")),
             qPrintable(completed.value(QStringLiteral("text")).toString()));
    for (const QJsonValue& d : deliveries(f))
        QCOMPARE(d.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("Delivered"));
    // Rolled back: said too (delivered by the next agent pass).
    run = f.cli({QStringLiteral("rollback"),
                 QString::number(completed.value(QStringLiteral("operation")).toObject().value(QStringLiteral("id")).toInteger())});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(2000)).exitedWith(0));
    QCOMPARE(events(server).last(), QStringLiteral("rolled-back"));
}

void TestNotifications::failingWebhookIsRetriedThenGivenUp()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    LoopbackHttpServer server;
    QString e;
    QVERIFY2(server.start(&e), qPrintable(e));
    server.serve(QStringLiteral("/hook"), "ok");
    server.failWith(QStringLiteral("/hook"), 500, 1000);
    QVERIFY(f.cli({QStringLiteral("project"), QStringLiteral("webhook"), QStringLiteral("add"), QStringLiteral("contoso"),
                   server.url(QStringLiteral("/hook")).toString()})
                .exitedWith(0));
    // The operation does not care.
    const CliRun run = f.cli(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    // Tried at once, then after the backoff (30 s, 2 min, 10 min, 1 h, 6 h), never before it.
    qint64 at = 0;
    const qint64 waits[] = {0, 30, 120, 600, 3600, 6 * 3600};
    for (int attempt = 1; attempt <= 6; ++attempt) {
        at += waits[attempt - 1];
        if (attempt > 1) {
            // A second before the retry is due: nothing is sent.
            const int before = int(server.requests().size());
            QVERIFY(f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(at - 1)).exitedWith(0));
            QCOMPARE(int(server.requests().size()), before);
        }
        QVERIFY(f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(at + 1)).exitedWith(0));
        for (const QJsonValue& d : deliveries(f)) {
            QCOMPARE(d.toObject().value(QStringLiteral("attempts")).toInt(), attempt);
            QCOMPARE(d.toObject().value(QStringLiteral("error")).toString(), QStringLiteral("HTTP 500"));
            QCOMPARE(d.toObject().value(QStringLiteral("state")).toString(),
                     attempt < 6 ? QStringLiteral("Pending") : QStringLiteral("Failed"));
        }
    }
    // Given up: no seventh attempt.
    const int sent = int(server.requests().size());
    QVERIFY(f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(at + 86400)).exitedWith(0));
    QCOMPARE(int(server.requests().size()), sent);
    // started and completed, each six times.
    QCOMPARE(sent, 12);
}

void TestNotifications::slowAndGoneWebhooksNeverHoldAnOperation()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    LoopbackHttpServer slow;
    QString e;
    QVERIFY2(slow.start(&e), qPrintable(e));
    slow.serve(QStringLiteral("/slow"), "ok");
    slow.setDelay(QStringLiteral("/slow"), 30000);
    LoopbackHttpServer gone;
    QVERIFY2(gone.start(&e), qPrintable(e));
    const QString goneUrl = gone.url(QStringLiteral("/gone")).toString();
    gone.stop();
    for (const QString& url : {slow.url(QStringLiteral("/slow")).toString(), goneUrl})
        QVERIFY(f.cli({QStringLiteral("project"), QStringLiteral("webhook"), QStringLiteral("add"),
                       QStringLiteral("contoso"), url})
                    .exitedWith(0));
    // A request run by the agent: it completes whatever the webhooks do.
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(7200);
    CliRun run = f.cli(RefreshFixture::refreshArgs(Prod, Uat,
                                                   {QStringLiteral("--window-start"), iso(start),
                                                    QStringLiteral("--window-end"), iso(start.addSecs(3600))}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QElapsedTimer t;
    t.start();
    const CliOutcome agent = f.cliWith({QStringLiteral("agent"), QStringLiteral("--once")}, skew(7300), 120000);
    QVERIFY2(agent.exitedWith(0), qPrintable(agent.describe()));
    QCOMPARE(f.operations().first().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    // Bounded: the slow webhook is given 10 seconds an attempt, not 30.
    QVERIFY2(t.elapsed() < 60000, qPrintable(QString::number(t.elapsed())));
    int refused = 0, timedOut = 0;
    for (const QJsonValue& v : deliveries(f)) {
        const QJsonObject d = v.toObject();
        QCOMPARE(d.value(QStringLiteral("state")).toString(), QStringLiteral("Pending"));
        QVERIFY(d.value(QStringLiteral("attempts")).toInt() >= 1);
        const QString error = d.value(QStringLiteral("error")).toString();
        if (d.value(QStringLiteral("url")).toString() == goneUrl)
            refused += error.contains(QStringLiteral("refused"), Qt::CaseInsensitive);
        else
            timedOut += !error.isEmpty();
    }
    QVERIFY(refused >= 1);
    QVERIFY(timedOut >= 1);
}

QTEST_GUILESS_MAIN(TestNotifications)
#include "tst_notifications.moc"
