// PostgresEngine against the real server scripts/test starts (DATAALM_TEST_PG_URL):
// the snapshot copy is exact (schema and rows, odd identifiers, bytea, sequences,
// views, triggers, functions, comments, partitions), consistent under concurrent
// writers, fails cleanly when the server ends its connections mid-copy, and the
// swap and restore are exact, atomic renames.
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresEngine.h"
#include "engine/PostgresSnapshotCopy.h"
#include "policy/DataPolicy.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <future>
#include <thread>

using namespace PostgresTestSupport;

namespace {

const char* const SourceSchema = R"SQL(
CREATE SCHEMA "Odd Schema";
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE "Odd Schema"."Order Lines ""x""" (
    "Id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "select" text NOT NULL,
    "Straße" text,
    payload bytea,
    amount numeric(12,2) CHECK (amount >= 0),
    feeling mood DEFAULT 'ok',
    twice numeric GENERATED ALWAYS AS (amount * 2) STORED
);
COMMENT ON TABLE "Odd Schema"."Order Lines ""x""" IS 'lines with an odd name';
COMMENT ON COLUMN "Odd Schema"."Order Lines ""x"""."Straße" IS 'street';
INSERT INTO "Odd Schema"."Order Lines ""x""" ("select", "Straße", payload, amount, feeling)
SELECT 'row ' || g || E'\ttab\nnewline\\backslash', CASE WHEN g % 3 = 0 THEN NULL ELSE 'Grüße ' || g END,
       CASE WHEN g % 5 = 0 THEN NULL ELSE decode(md5(g::text) || '00ff', 'hex') END, g * 1.25,
       (ARRAY['sad', 'ok', 'happy'])[1 + g % 3]::mood
FROM generate_series(1, 500) g;
CREATE INDEX "Lines by street" ON "Odd Schema"."Order Lines ""x""" ("Straße");
CREATE TABLE pairs_a (id bigint PRIMARY KEY, v text);
CREATE TABLE pairs_b (id bigint PRIMARY KEY REFERENCES pairs_a (id), v text);
INSERT INTO pairs_a SELECT g, 'a' || g FROM generate_series(1, 100) g;
INSERT INTO pairs_b SELECT g, 'b' || g FROM generate_series(1, 100) g;
CREATE SEQUENCE invoice_seq START 1000;
SELECT nextval('invoice_seq') FROM generate_series(1, 7);
CREATE TABLE big (id serial PRIMARY KEY, gone int, data text, blob bytea);
ALTER TABLE big DROP COLUMN gone;
INSERT INTO big (data, blob) SELECT repeat(md5(g::text), 12), decode(repeat(md5(g::text), 4), 'hex')
FROM generate_series(1, 25000) g;
CREATE TABLE audit (id bigserial PRIMARY KEY, what text, at timestamptz DEFAULT now());
CREATE FUNCTION log_pair() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit (what) VALUES ('pair ' || NEW.id); RETURN NEW; END $$;
CREATE TRIGGER pairs_a_audit AFTER INSERT ON pairs_a FOR EACH ROW EXECUTE FUNCTION log_pair();
CREATE VIEW "Odd Schema"."Happy lines" AS SELECT "Id", "select" FROM "Odd Schema"."Order Lines ""x""" WHERE feeling = 'happy';
CREATE MATERIALIZED VIEW pair_totals AS SELECT count(*) AS n FROM pairs_a;
CREATE TABLE measures (id int, region text, value double precision) PARTITION BY LIST (region);
CREATE TABLE measures_eu PARTITION OF measures FOR VALUES IN ('eu');
CREATE TABLE measures_us PARTITION OF measures FOR VALUES IN ('us');
INSERT INTO measures SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g / 3.0 FROM generate_series(1, 200) g;
CREATE TABLE empty_one ();
)SQL";

} // namespace

class TestPostgresEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void copyIsExact();
    void largeTablesSplitByPageRanges();
    void concurrentWritersSeeOneInstant();
    void connectionsEndedMidCopy();
    void cancelRemovesStaging();
    void swapAndRestoreAreExactRenames();
    void tablesThatDifferOnlyInCaseAreTwoTables();

private:
    DatabaseRef newSource();

    QString m_prefix;
    QStringList m_created;
};

void TestPostgresEngine::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QString e;
    QVERIFY2(!value(server(), QStringLiteral("SELECT version()"), &e).isEmpty(), qPrintable(e));
    // Slow the copy down (per 256 KiB) so that the tests can act while it runs.
    qputenv("DATAALM_TEST_COPY_DELAY_MS", "40");
    m_prefix = uniqueName(QStringLiteral("eng"));
}

void TestPostgresEngine::cleanupTestCase()
{
    for (const QString& name : databasesLike(m_prefix))
        dropDatabase(name);
}

DatabaseRef TestPostgresEngine::newSource()
{
    const QString name = uniqueName(m_prefix + QStringLiteral("-src"));
    QString e;
    if (!createDatabase(name, &e) || !exec(database(name), QString::fromUtf8(SourceSchema), &e))
        qWarning("cannot create the source: %s", qPrintable(e));
    return database(name);
}

void TestPostgresEngine::copyIsExact()
{
    const DatabaseRef source = newSource();
    PostgresEngine engine;
    DatabaseRef target = source;
    target.name = m_prefix + QStringLiteral("-t1");
    const DatabaseRef staging = engine.stagingFor(target, 1);
    QString e;
    qint64 lastDone = -1;
    qint64 lastTotal = 0;
    QJsonObject sourceRows;
    QVERIFY2(engine.copySnapshot(
                 source, staging,
                 [&](qint64 done, qint64 total, qint64) {
                     QVERIFY(done >= lastDone);
                     lastDone = done;
                     lastTotal = total;
                 },
                 {}, &e, &sourceRows),
             qPrintable(e));
    QCOMPARE(lastDone, lastTotal);
    const QByteArray before = dump(source, &e);
    QVERIFY2(!before.isEmpty(), qPrintable(e));
    const QByteArray copied = dump(staging, &e);
    QVERIFY2(!copied.isEmpty(), qPrintable(e));
    if (before != copied) {
        qWarning("source:\n%s", before.left(4000).constData());
        qWarning("copy:\n%s", copied.left(4000).constData());
    }
    QVERIFY2(before == copied, "the copy differs from the source (schema, rows or sequences)");
    QVERIFY(before.contains("CREATE TRIGGER pairs_a_audit"));
    QVERIFY(before.contains("COMMENT ON COLUMN \"Odd Schema\".\"Order Lines \"\"x\"\"\".\"Straße\""));
    QVERIFY(before.contains("== public.invoice_seq (1 rows)\n1006 t\n"));

    // The source's counts, taken in the copy's snapshot, are the source's real counts
    // (nothing wrote to it) and the copy's.
    QJsonObject atSource;
    QJsonObject counted;
    QVERIFY2(engine.tableRowCounts(source, &atSource, &e), qPrintable(e));
    QVERIFY2(engine.tableRowCounts(staging, &counted, &e), qPrintable(e));
    QVERIFY(!sourceRows.isEmpty());
    QCOMPARE(sourceRows, atSource);
    QCOMPARE(counted, sourceRows);
    QCOMPARE(counted.value(QStringLiteral("big")).toInteger(), 25000);
    QCOMPARE(counted.value(QStringLiteral("Odd Schema.Order Lines \"x\"")).toInteger(), 500);
    QCOMPARE(counted.value(QStringLiteral("measures_eu")).toInteger(), 100);
    QVERIFY2(engine.checkIntegrity(staging, &e), qPrintable(e));

    // The materialized view was refreshed from the copied rows; triggers work in the copy.
    QCOMPARE(value(staging, QStringLiteral("SELECT n FROM pair_totals")), QStringLiteral("100"));
    QVERIFY2(exec(staging, QStringLiteral("INSERT INTO pairs_a VALUES (100000, 'x')"), &e), qPrintable(e));
    QCOMPARE(value(staging, QStringLiteral("SELECT count(*) FROM audit WHERE what = 'pair 100000'")),
             QStringLiteral("1"));
    QVERIFY2(exec(staging, QStringLiteral("INSERT INTO \"Odd Schema\".\"Order Lines \"\"x\"\"\" (\"select\") "
                                          "VALUES ('next') RETURNING 1"),
                  &e),
             qPrintable(e));
    QCOMPARE(value(staging, QStringLiteral("SELECT max(\"Id\") FROM \"Odd Schema\".\"Order Lines \"\"x\"\"\"")),
             QStringLiteral("501"));
    QVERIFY2(engine.drop(staging, &e), qPrintable(e));
    QVERIFY(!databaseExists(staging.name));
}

void TestPostgresEngine::largeTablesSplitByPageRanges()
{
    // Every table of two pages or more split (DATAALM_PG_SPLIT_MB=0) across four
    // workers, each a range of its heap pages: the copy is still exact, a generated
    // column is computed again and a dropped one is not there, and each table holds
    // the rows its parts copied.
    const DatabaseRef source = newSource();
    DatabaseRef target = source;
    target.name = m_prefix + QStringLiteral("-split");
    const DatabaseRef staging = PostgresEngine().stagingFor(target, 1);
    qputenv("DATAALM_PG_SPLIT_MB", "0");
    PostgresSnapshotCopy copy(source, staging, 4, true);
    PostgresSnapshotCopy::Result result;
    QString e;
    const bool ok = copy.run({}, {}, &result, &e);
    qunsetenv("DATAALM_PG_SPLIT_MB");
    QVERIFY2(ok, qPrintable(e));
    // big (25,000 rows) and the odd-named table at least.
    QVERIFY2(result.splitTables >= 2, qPrintable(QString::number(result.splitTables)));
    QCOMPARE(dump(staging, &e), dump(source, &e));
    QCOMPARE(result.rows, result.sourceRows);
    QCOMPARE(result.rows.value(QStringLiteral("big")).toInteger(), 25000);
    QCOMPARE(value(staging, QStringLiteral("SELECT count(*) FROM big WHERE id BETWEEN 1 AND 25000")),
             QStringLiteral("25000"));
    QCOMPARE(value(staging, QStringLiteral("SELECT count(*) FROM \"Odd Schema\".\"Order Lines \"\"x\"\"\" WHERE twice IS "
                                           "DISTINCT FROM amount * 2")),
             QStringLiteral("0"));
    QVERIFY2(PostgresEngine().checkIntegrity(staging, &e), qPrintable(e));
}

void TestPostgresEngine::concurrentWritersSeeOneInstant()
{
    const DatabaseRef source = newSource();
    PostgresEngine engine;
    DatabaseRef target = source;
    target.name = m_prefix + QStringLiteral("-t2");
    const DatabaseRef staging = engine.stagingFor(target, 2);

    // Pairs of rows, each pair in one transaction: both or neither belong to any instant.
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::atomic<int> writtenDuringCopy{0};
    std::atomic<bool> copying{false};
    QString writerError;
    std::thread writer([&] {
        PostgresConnection c;
        QString e;
        if (!c.open(source, &e)) {
            writerError = e;
            return;
        }
        for (qint64 id = 1000; !stop && id < 1000000; ++id) {
            const bool ok = c.exec(QStringLiteral("BEGIN"), &e) &&
                            c.exec(QStringLiteral("INSERT INTO pairs_a VALUES ($1, 'a')"), &e, {id}) &&
                            c.exec(QStringLiteral("INSERT INTO pairs_b VALUES ($1, 'b')"), &e, {id}) &&
                            c.exec(QStringLiteral("UPDATE big SET data = data || '.' WHERE id = $1"), &e,
                                   {1 + id % 25000}) &&
                            c.exec(QStringLiteral("SELECT nextval('invoice_seq')"), &e) &&
                            c.exec(QStringLiteral("COMMIT"), &e);
            if (!ok) {
                writerError = e;
                return;
            }
            ++written;
            if (copying)
                ++writtenDuringCopy;
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(written > 20 || !writerError.isEmpty(), 10000);
    copying = true;
    QString e;
    const bool ok = engine.copySnapshot(source, staging, {}, {}, &e);
    copying = false;
    const int afterCopy = written;
    QTest::qWait(200);
    stop = true;
    writer.join();
    QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
    QVERIFY2(ok, qPrintable(e));
    QVERIFY2(writtenDuringCopy > 5, "the writer did not write while the copy ran");

    const QString unmatched = QStringLiteral("SELECT count(*) FROM pairs_a a FULL JOIN pairs_b b USING (id) WHERE "
                                             "a.id IS NULL OR b.id IS NULL");
    QCOMPARE(value(staging, unmatched), QStringLiteral("0"));
    const int inCopy = value(staging, QStringLiteral("SELECT count(*) FROM pairs_b WHERE id >= 1000")).toInt();
    const int inSource = value(source, QStringLiteral("SELECT count(*) FROM pairs_b WHERE id >= 1000")).toInt();
    QVERIFY2(inCopy > 0 && inCopy <= afterCopy && inCopy < inSource,
             qPrintable(QStringLiteral("copy %1, written by the end of the copy %2, source %3")
                            .arg(inCopy)
                            .arg(afterCopy)
                            .arg(inSource)));
    // The audit trigger ran in the same transactions: the copy's audit rows match its pairs.
    QCOMPARE(value(staging, QStringLiteral("SELECT count(*) FROM audit")).toInt(), inCopy);
    // Sequences are read at the snapshot (pg_dump's rule): at least the copied pairs' calls.
    QVERIFY(value(staging, QStringLiteral("SELECT last_value FROM invoice_seq")).toLongLong() >= 1006 + inCopy);
    QVERIFY2(engine.drop(staging, &e), qPrintable(e));
}

void TestPostgresEngine::connectionsEndedMidCopy()
{
    const DatabaseRef source = newSource();
    const QByteArray sourceBefore = dump(source);
    PostgresEngine engine;
    DatabaseRef target = source;
    target.name = m_prefix + QStringLiteral("-t3");
    const DatabaseRef staging = engine.stagingFor(target, 3);

    std::atomic<qint64> bytes{0};
    QString e;
    auto copy = std::async(std::launch::async, [&] {
        return engine.copySnapshot(
            source, staging, [&](qint64, qint64, qint64 b) { bytes = b; }, {}, &e);
    });
    QTRY_VERIFY_WITH_TIMEOUT(bytes > 0, 20000);
    // What a server restart or a network cut does to the copy's sessions.
    QString killError;
    QVERIFY2(exec(server(),
                  QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %1 AND pid <> "
                                 "pg_backend_pid()")
                      .arg(PostgresConnection::literal(source.name)),
                  &killError),
             qPrintable(killError));
    QVERIFY2(!copy.get(), "the copy succeeded although its connections were ended");
    QVERIFY2(e.contains(QLatin1String("terminat")) || e.contains(QLatin1String("server closed the connection")),
             qPrintable(e));
    QTRY_VERIFY_WITH_TIMEOUT(!databaseExists(staging.name), 10000);
    QCOMPARE(dump(source), sourceBefore);

    // Resume: the same copy again, from scratch, is whole.
    QVERIFY2(engine.copySnapshot(source, staging, {}, {}, &e), qPrintable(e));
    QCOMPARE(dump(staging), sourceBefore);
    QVERIFY2(engine.drop(staging, &e), qPrintable(e));
}

void TestPostgresEngine::cancelRemovesStaging()
{
    const DatabaseRef source = newSource();
    PostgresEngine engine;
    DatabaseRef target = source;
    target.name = m_prefix + QStringLiteral("-t4");
    const DatabaseRef staging = engine.stagingFor(target, 4);
    bool progressed = false;
    QString e;
    QVERIFY(!engine.copySnapshot(
        source, staging, [&](qint64, qint64, qint64 b) { progressed = progressed || b > 0; },
        [&] { return progressed; }, &e));
    QCOMPARE(e, QStringLiteral("cancelled"));
    QVERIFY(!databaseExists(staging.name));
}

void TestPostgresEngine::swapAndRestoreAreExactRenames()
{
    const DatabaseRef source = newSource();
    PostgresEngine engine;
    DatabaseRef target = source;
    target.name = m_prefix + QStringLiteral("-target \"odd\"");
    QString e;
    QVERIFY2(createDatabase(target.name, &e), qPrintable(e));
    QVERIFY2(exec(target, QStringLiteral("CREATE TABLE own (id int PRIMARY KEY, v bytea); INSERT INTO own VALUES (1, "
                                         "'\\x00ff'), (2, NULL); CREATE SEQUENCE s; SELECT nextval('s')"),
                  &e),
             qPrintable(e));
    const QByteArray targetBefore = dump(target, &e);
    QVERIFY2(!targetBefore.isEmpty(), qPrintable(e));
    const DatabaseRef staging = engine.stagingFor(target, 5);
    const DatabaseRef restorePoint = engine.restorePointFor(target, 5);
    QVERIFY2(engine.copySnapshot(source, staging, {}, {}, &e), qPrintable(e));

    // A client of the target is disconnected by the swap, not a reason to fail.
    PostgresConnection client;
    QVERIFY2(client.open(target, &e), qPrintable(e));
    QElapsedTimer t;
    t.start();
    QVERIFY2(engine.swap(target, staging, restorePoint, &e), qPrintable(e));
    const qint64 swapMs = t.elapsed();
    QVERIFY2(swapMs < 8000, qPrintable(QString::number(swapMs)));
    QVERIFY(!client.scalar(QStringLiteral("SELECT 1"), &e).isValid());
    QCOMPARE(dump(target), dump(source));
    QCOMPARE(dump(restorePoint), targetBefore);
    QVERIFY(!databaseExists(staging.name));
    // Idempotent: a swap run again after a crash finds it done.
    QVERIFY2(engine.swap(target, staging, restorePoint, &e), qPrintable(e));
    QCOMPARE(dump(target), dump(source));

    t.restart();
    QVERIFY2(engine.restore(target, restorePoint, &e), qPrintable(e));
    qInfo("swap %lld ms, restore %lld ms", swapMs, t.elapsed());
    QCOMPARE(dump(target), targetBefore);
    QVERIFY(!databaseExists(restorePoint.name));
    QVERIFY2(databaseExists(staging.name), "the refreshed database leaves under the staging name for discard()");
    QVERIFY2(engine.restore(target, restorePoint, &e), qPrintable(e));
    QCOMPARE(dump(target), targetBefore);
    QVERIFY2(engine.drop(staging, &e), qPrintable(e));
    QVERIFY(!databaseExists(staging.name));
    // Missing staging without a restore point: refused, nothing renamed.
    QVERIFY(!engine.swap(target, staging, restorePoint, &e));
    QVERIFY2(e.contains(QLatin1String("missing")), qPrintable(e));
    QCOMPARE(dump(target), targetBefore);
}

// "USERINFO" and userinfo are two tables in PostgreSQL: a rule naming one acts on that
// one only (the lookup used to fold case and blank userinfo, leaving "USERINFO" with
// production's e-mails), and a name that matches both only by case is refused.
void TestPostgresEngine::tablesThatDifferOnlyInCaseAreTwoTables()
{
    const QString name = uniqueName(m_prefix + QStringLiteral("-case"));
    QString e;
    QVERIFY2(createDatabase(name, &e), qPrintable(e));
    const DatabaseRef db = database(name);
    QVERIFY2(exec(db, QStringLiteral("CREATE TABLE \"USERINFO\" (\"ID\" text PRIMARY KEY, \"EMAIL\" text NOT NULL);"
                                     "CREATE TABLE userinfo (id text PRIMARY KEY, email text NOT NULL);"
                                     "INSERT INTO \"USERINFO\" VALUES ('alice', 'alice@prod.example');"
                                     "INSERT INTO userinfo VALUES ('bob', 'bob@prod.example');"),
                  &e),
             qPrintable(e));
    PostgresEngine engine;
    const auto schema = engine.readSchema(db, &e);
    QVERIFY2(schema, qPrintable(e));
    QCOMPARE(schema->tableName(QStringLiteral("USERINFO")), QStringLiteral("USERINFO"));
    QCOMPARE(schema->tableName(QStringLiteral("userinfo")), QStringLiteral("userinfo"));
    QCOMPARE(schema->tableName(QStringLiteral("UserInfo")), QString());

    const auto policy = DataPolicy::fromJson(R"({ "rules": [
        { "id": "users", "title": "Users", "reason": "security", "table": "USERINFO", "action": "blank",
          "columns": ["EMAIL"] } ] })",
                                             &e);
    QVERIFY2(policy, qPrintable(e));
    QVERIFY2(policy->validateAgainst(*schema, &e), qPrintable(e));
    const PolicyReport report = engine.applyPolicy(db, db, *policy, PolicyContext{}, {}, {});
    QVERIFY2(report.ok(), qPrintable(report.error));
    QCOMPARE(value(db, QStringLiteral("SELECT \"EMAIL\" FROM \"USERINFO\"")), QString());
    QCOMPARE(value(db, QStringLiteral("SELECT email FROM userinfo")), QStringLiteral("bob@prod.example"));

    const auto ambiguous = DataPolicy::fromJson(R"({ "rules": [
        { "id": "users", "title": "Users", "reason": "security", "table": "UserInfo", "action": "blank",
          "columns": ["EMAIL"] } ] })",
                                                &e);
    QVERIFY2(ambiguous, qPrintable(e));
    QVERIFY(!ambiguous->validateAgainst(*schema, &e));
    QVERIFY2(e.contains(QStringLiteral("table UserInfo is ambiguous")) && e.contains(QStringLiteral("USERINFO, userinfo")),
             qPrintable(e));
}

QTEST_GUILESS_MAIN(TestPostgresEngine)
#include "tst_postgresengine.moc"
