// PreflightWorker on its own thread, on a real 2 MB demo catalog: each check and each
// rule's count arrives as a queued signal, the counts equal the CLI's, finished()
// comes once and last; a cancel stops the counting; errors are reported, not thrown.
#include "TestSupport.h"

#include "preflight/Preflight.h"
#include "preflight/PreflightWorker.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

using namespace TestSupport;

class TestPreflightWorker : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void checksThenCountsOnItsOwnThread();
    void blockedTarget();
    void cancelStopsTheCounting();
    void unknownEnvironment();
    void invalidPolicy();

private:
    struct Run
    {
        QList<CheckResult> checks;
        QStringList events; // "check", "checksFinished", "rule", "finished", in order of arrival
        QMap<QString, qint64> counts;
        QMap<QString, QVariantList> tables;
        bool blocked = false;
        QString error;
        int finishedCount = 0;
        bool ranOnAnotherThread = false;
    };
    Run run(const PreflightWorker::Request& request, bool cancelFirst = false);

    QTemporaryDir m_dir;
    QString m_catalog;
};

void TestPreflightWorker::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalog, 2, &error), qPrintable(error));
}

TestPreflightWorker::Run TestPreflightWorker::run(const PreflightWorker::Request& request, bool cancelFirst)
{
    Run r;
    QThread thread;
    auto* worker = new PreflightWorker(request);
    worker->moveToThread(&thread);
    connect(&thread, &QThread::started, worker, &PreflightWorker::run);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    QThread* mainThread = QThread::currentThread();
    connect(
        worker, &PreflightWorker::checkReported, worker,
        [&r, mainThread] { r.ranOnAnotherThread = QThread::currentThread() != mainThread; }, Qt::DirectConnection);
    connect(worker, &PreflightWorker::checkReported, this, [&r](const CheckResult& c) {
        r.checks.append(c);
        r.events.append(QStringLiteral("check"));
    });
    connect(worker, &PreflightWorker::checksFinished, this, [&r](bool blocked, int, int) {
        r.blocked = blocked;
        r.events.append(QStringLiteral("checksFinished"));
    });
    connect(worker, &PreflightWorker::ruleCounted, this,
            [&r](const QString& rule, qint64 rows, const QVariantList& tables, const QString&) {
                r.counts.insert(rule, rows);
                r.tables.insert(rule, tables);
                r.events.append(QStringLiteral("rule"));
            });
    connect(worker, &PreflightWorker::finished, this, [&r, &thread](const QString& error) {
        r.error = error;
        ++r.finishedCount;
        r.events.append(QStringLiteral("finished"));
        thread.quit();
    });
    if (cancelFirst)
        *worker->cancelToken() = true;
    thread.start();
    QElapsedTimer t;
    t.start();
    while (!(r.finishedCount == 1 && thread.isFinished()) && t.elapsed() < 60000)
        QTest::qWait(10);
    if (!thread.isFinished()) {
        r.error = QStringLiteral("timed out");
        thread.quit();
        thread.wait();
    }
    QCoreApplication::processEvents(); // anything queued after finished() would show here
    return r;
}

void TestPreflightWorker::checksThenCountsOnItsOwnThread()
{
    const Run r = run({m_catalog, QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"), QString()});
    QCOMPARE(r.error, QString());
    QCOMPARE(r.finishedCount, 1);
    QVERIFY(r.ranOnAnotherThread);
    QVERIFY(!r.blocked);
    QStringList ids;
    for (const CheckResult& c : r.checks)
        ids << c.id;
    QCOMPARE(ids, Preflight::checkIds());
    // Every check first, then the counts, then the end.
    const int checksEnd = int(r.events.indexOf(QStringLiteral("checksFinished")));
    QCOMPARE(checksEnd, int(r.checks.size()));
    QCOMPARE(r.events.lastIndexOf(QStringLiteral("check")), checksEnd - 1);
    QCOMPARE(r.events.indexOf(QStringLiteral("rule")), checksEnd + 1);
    QCOMPARE(r.events.last(), QStringLiteral("finished"));

    // The same counts as `dataalm preflight`.
    const CliRun cli = runCli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                               QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--json"),
                               QStringLiteral("--catalog"), m_catalog});
    QVERIFY2(cli.exitedWith(0), qPrintable(cli.describe()));
    const QJsonArray policy = cli.json().object().value(QStringLiteral("policy")).toArray();
    QCOMPARE(r.counts.size(), policy.size());
    for (const QJsonValue& v : policy) {
        const QString rule = v[QStringLiteral("rule")].toString();
        QCOMPARE(r.counts.value(rule, -99), v[QStringLiteral("rows")].toInteger());
    }
    // Per table, for the rule dialog.
    const QVariantList history = r.tables.value(QStringLiteral("batch-history"));
    QCOMPARE(history.size(), 3);
    qint64 sum = 0;
    for (const QVariant& t : history)
        sum += t.toList().at(1).toLongLong();
    QCOMPARE(sum, r.counts.value(QStringLiteral("batch-history")));
}

void TestPreflightWorker::blockedTarget()
{
    const Run r = run({m_catalog, QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat2"), QString()});
    QVERIFY(r.blocked);
    QCOMPARE(r.error, QString());
    bool releaseFailed = false;
    for (const CheckResult& c : r.checks)
        releaseFailed =
            releaseFailed || (c.id == QLatin1String("application-release") && c.verdict == CheckResult::Fail);
    QVERIFY(releaseFailed);
    QVERIFY(!r.counts.isEmpty()); // the review still shows what would not be copied
}

void TestPreflightWorker::cancelStopsTheCounting()
{
    const Run r = run({m_catalog, QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"), QString()}, true);
    QCOMPARE(r.error, QString());
    QCOMPARE(r.finishedCount, 1);
    QVERIFY(r.counts.isEmpty());
    QCOMPARE(r.events.last(), QStringLiteral("finished"));
}

void TestPreflightWorker::unknownEnvironment()
{
    const Run r = run({m_catalog, QStringLiteral("contoso-prod"), QStringLiteral("nowhere"), QString()});
    QVERIFY2(r.error.contains(QStringLiteral("nowhere")), qPrintable(r.error));
    QCOMPARE(r.events, QStringList{QStringLiteral("finished")});
}

void TestPreflightWorker::invalidPolicy()
{
    const QString path = m_dir.filePath(QStringLiteral("bad-policy.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ \"rules\": [ { \"id\": \"x\" } ] }");
    f.close();
    const Run r = run({m_catalog, QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"), path});
    QVERIFY2(r.error.contains(QStringLiteral("invalid")), qPrintable(r.error));
    QVERIFY(r.checks.isEmpty());
}

QTEST_GUILESS_MAIN(TestPreflightWorker)
#include "tst_preflightworker.moc"
