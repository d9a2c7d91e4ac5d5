// SqliteEngine on real files: the snapshot copy is one instant of a source that keeps
// being written (writes made between two batches of the copy never reach it), never
// writes the source, cancels and fails cleanly (no staging file left, also on a full
// disk); swap() and restore() give byte-identical databases back, are idempotent, and
// finish a swap that a crash interrupted between its two moves.
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "TmpfsMount.h"

#include "engine/SqliteEngine.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace TestSupport;

class TestSqliteEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void names();
    void copyIsOneInstant();
    void copyCancelled();
    void copyOntoFullDisk();
    void swapAndRestore();
    void swapAfterCrashBetweenMoves();
    void swapWithoutStaging();
    void dropAbsent();
    void writable();
    void countsOnlyWhatIsAsked();

private:
    DatabaseRef ref(const QString& name) const;
    // A WAL database of `rows` pairs (T1, T2 with the same keys) with 1 KB blobs.
    bool makeSource(const QString& path, int rows, QString* error) const;

    QTemporaryDir m_dir;
};

void TestSqliteEngine::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Many small batches (read once by the engine): writes can happen between them.
    qputenv("DATAALM_TEST_COPY_PAGES", "4");
}

DatabaseRef TestSqliteEngine::ref(const QString& name) const
{
    DatabaseRef r;
    r.role = DatabaseRef::Transactional;
    r.driver = DatabaseRef::Sqlite;
    r.path = m_dir.filePath(name);
    return r;
}

bool TestSqliteEngine::makeSource(const QString& path, int rows, QString* error) const
{
    return execSqlite(path,
                      {QStringLiteral("PRAGMA journal_mode = WAL"),
                       QStringLiteral("CREATE TABLE T1 (K INTEGER PRIMARY KEY, V BLOB)"),
                       QStringLiteral("CREATE TABLE T2 (K INTEGER PRIMARY KEY, V BLOB)"),
                       QStringLiteral("WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < %1) "
                                      "INSERT INTO T1 SELECT k, randomblob(1000) FROM n")
                           .arg(rows),
                       QStringLiteral("INSERT INTO T2 SELECT K, V FROM T1")},
                      error);
}

void TestSqliteEngine::names()
{
    SqliteEngine engine;
    const DatabaseRef target = ref(QStringLiteral("axdb.db"));
    QCOMPARE(engine.stagingFor(target, 7).path, target.path + QStringLiteral(".staging-op7"));
    QCOMPARE(engine.restorePointFor(target, 7).path, target.path + QStringLiteral(".restore-op7"));
    QCOMPARE(engine.stagingFor(target, 7).role, target.role);
}

void TestSqliteEngine::copyIsOneInstant()
{
    const DatabaseRef source = ref(QStringLiteral("instant-source.db"));
    const DatabaseRef staging = ref(QStringLiteral("instant-staging.db"));
    QString error;
    QVERIFY2(makeSource(source.path, 300, &error), qPrintable(error));
    const QMap<QString, QByteArray> atStart = SqliteInspect::digests(source.path);

    // Between every two batches, another connection commits a pair and changes a row.
    SqliteEngine engine;
    int batches = 0;
    qint64 lastDone = -1;
    qint64 lastTotal = 0;
    QStringList writeErrors;
    const bool ok = engine.copySnapshot(
        source, staging,
        [&](qint64 done, qint64 total, qint64 bytes) {
            ++batches;
            QVERIFY(done > lastDone);
            // Counted in bytes: whole pages of 4 KiB, the same figure as the bytes copied.
            QCOMPARE(bytes, done);
            QCOMPARE(done % 4096, qint64(0));
            lastDone = done;
            lastTotal = total;
            // (Bounded: a copy that restarted on every write would otherwise never end.)
            QString e;
            if (batches < 500 &&
                !execSqlite(source.path,
                            {QStringLiteral("BEGIN IMMEDIATE; INSERT INTO T1 VALUES (%1, x'01'); INSERT INTO T2 VALUES "
                                            "(%1, x'02'); UPDATE T1 SET V = x'ff' WHERE K = 1; COMMIT;")
                                 .arg(1000 + batches)},
                            &e))
                writeErrors << e;
        },
        {}, &error);
    QVERIFY2(ok, qPrintable(error));
    QVERIFY2(writeErrors.isEmpty(), qPrintable(writeErrors.join(QLatin1Char('\n'))));
    QVERIFY2(batches > 20, qPrintable(QString::number(batches)));
    QCOMPARE(lastDone, lastTotal);

    // The staging copy is the source as it was when the copy began; the source moved on.
    QCOMPARE(SqliteInspect::digests(staging.path), atStart);
    QCOMPARE(SqliteInspect::integrity(staging.path), QStringLiteral("ok"));
    QCOMPARE(SqliteInspect::value(source.path, QStringLiteral("SELECT count(*) FROM T2")).toLongLong(),
             qint64(300 + qMin(batches, 499)));
}

void TestSqliteEngine::copyCancelled()
{
    const DatabaseRef source = ref(QStringLiteral("cancel-source.db"));
    const DatabaseRef staging = ref(QStringLiteral("cancel-staging.db"));
    QString error;
    QVERIFY2(makeSource(source.path, 100, &error), qPrintable(error));
    const QByteArray before = fileSha256(source.path);
    SqliteEngine engine;
    int batches = 0;
    const bool ok = engine.copySnapshot(
        source, staging, [&](qint64, qint64, qint64) { ++batches; }, [&] { return batches >= 3; }, &error);
    QVERIFY(!ok);
    QCOMPARE(error, QStringLiteral("cancelled"));
    QCOMPARE(batches, 3);
    for (const QString& suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QVERIFY2(!QFile::exists(staging.path + suffix), qPrintable(suffix));
    QCOMPARE(fileSha256(source.path), before);
}

void TestSqliteEngine::copyOntoFullDisk()
{
    const DatabaseRef source = ref(QStringLiteral("full-source.db"));
    QString error;
    QVERIFY2(makeSource(source.path, 300, &error), qPrintable(error)); // about 700 KB
    const QString folder = m_dir.filePath(QStringLiteral("small-disk"));
    QVERIFY(QDir().mkpath(folder));
    TmpfsMount mount;
    if (!mount.mount(folder, 256 * 1024, &error))
        QFAIL(qPrintable(QStringLiteral("cannot mount a tmpfs (this test needs root, as CI has): %1").arg(error)));
    DatabaseRef staging = ref(QStringLiteral("small-disk/staging.db"));
    SqliteEngine engine;
    QVERIFY(!engine.copySnapshot(source, staging, {}, {}, &error));
    QVERIFY2(error.contains(QLatin1String("database or disk is full")), qPrintable(error));
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden), QStringList());
}

void TestSqliteEngine::swapAndRestore()
{
    const DatabaseRef target = ref(QStringLiteral("swap-target.db"));
    const DatabaseRef source = ref(QStringLiteral("swap-source.db"));
    QString error;
    QVERIFY2(makeSource(target.path, 10, &error), qPrintable(error));
    QVERIFY2(makeSource(source.path, 50, &error), qPrintable(error));
    SqliteEngine engine;
    const DatabaseRef staging = engine.stagingFor(target, 1);
    const DatabaseRef restorePoint = engine.restorePointFor(target, 1);
    QVERIFY2(engine.copySnapshot(source, staging, {}, {}, &error), qPrintable(error));
    // The policy steps write to the staging copy in WAL mode.
    QVERIFY2(execSqlite(staging.path, {QStringLiteral("DELETE FROM T2 WHERE K > 40")}, &error), qPrintable(error));
    const QMap<QString, QByteArray> staged = SqliteInspect::digests(staging.path);
    const QByteArray old = fileSha256(target.path);

    QVERIFY2(engine.swap(target, staging, restorePoint, &error), qPrintable(error));
    QCOMPARE(SqliteInspect::digests(target.path), staged);
    QCOMPARE(fileSha256(restorePoint.path), old);
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QVERIFY2(!QFile::exists(staging.path + suffix), qPrintable(QStringLiteral("staging") + suffix));
    // Again (a resume after a crash right after the swap): nothing changes.
    const QByteArray swapped = fileSha256(target.path);
    QVERIFY2(engine.swap(target, staging, restorePoint, &error), qPrintable(error));
    QCOMPARE(fileSha256(target.path), swapped);

    QVERIFY2(engine.restore(target, restorePoint, &error), qPrintable(error));
    QCOMPARE(fileSha256(target.path), old);
    QVERIFY(!QFile::exists(restorePoint.path));
    // Again: nothing to restore, nothing changes.
    QVERIFY2(engine.restore(target, restorePoint, &error), qPrintable(error));
    QCOMPARE(fileSha256(target.path), old);
    QCOMPARE(SqliteInspect::integrity(target.path), QStringLiteral("ok"));
}

void TestSqliteEngine::swapAfterCrashBetweenMoves()
{
    // A crash after the restore point was linked and before the staging file moved.
    const DatabaseRef target = ref(QStringLiteral("crash-target.db"));
    QString error;
    QVERIFY2(makeSource(target.path, 10, &error), qPrintable(error));
    SqliteEngine engine;
    const DatabaseRef staging = engine.stagingFor(target, 2);
    const DatabaseRef restorePoint = engine.restorePointFor(target, 2);
    QVERIFY2(makeSource(staging.path, 20, &error), qPrintable(error));
    const QByteArray old = fileSha256(target.path);
    const QMap<QString, QByteArray> staged = SqliteInspect::digests(staging.path);
    QCOMPARE(::link(QFile::encodeName(target.path).constData(), QFile::encodeName(restorePoint.path).constData()), 0);

    QVERIFY2(engine.swap(target, staging, restorePoint, &error), qPrintable(error));
    QCOMPARE(SqliteInspect::digests(target.path), staged);
    QCOMPARE(fileSha256(restorePoint.path), old);
    QVERIFY2(engine.restore(target, restorePoint, &error), qPrintable(error));
    QCOMPARE(fileSha256(target.path), old);
}

void TestSqliteEngine::swapWithoutStaging()
{
    const DatabaseRef target = ref(QStringLiteral("nostaging-target.db"));
    QString error;
    QVERIFY2(makeSource(target.path, 5, &error), qPrintable(error));
    const QByteArray old = fileSha256(target.path);
    SqliteEngine engine;
    QVERIFY(!engine.swap(target, engine.stagingFor(target, 3), engine.restorePointFor(target, 3), &error));
    QVERIFY2(error.contains(QLatin1String("is missing")), qPrintable(error));
    QCOMPARE(fileSha256(target.path), old);
    QVERIFY(!QFile::exists(engine.restorePointFor(target, 3).path));
}

void TestSqliteEngine::dropAbsent()
{
    SqliteEngine engine;
    QString error;
    QVERIFY2(engine.drop(ref(QStringLiteral("never-there.db")), &error), qPrintable(error));
    const DatabaseRef there = ref(QStringLiteral("drop-me.db"));
    QVERIFY2(makeSource(there.path, 1, &error), qPrintable(error));
    QVERIFY(engine.exists(there));
    QVERIFY2(engine.drop(there, &error), qPrintable(error));
    QVERIFY(!engine.exists(there));
}

void TestSqliteEngine::writable()
{
    SqliteEngine engine;
    QString error;
    const DatabaseRef here = ref(QStringLiteral("writable.db"));
    QVERIFY2(makeSource(here.path, 1, &error), qPrintable(error));
    QVERIFY2(engine.testWritable(here, &error), qPrintable(error));

    const QString folder = m_dir.filePath(QStringLiteral("read-only"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY2(makeSource(QDir(folder).filePath(QStringLiteral("db.db")), 1, &error), qPrintable(error));
    TmpfsMount mount;
    if (!mount.mount(folder, 1024 * 1024, &error) || !mount.remountReadOnly(&error))
        QFAIL(qPrintable(QStringLiteral("cannot mount a read-only tmpfs (this test needs root, as CI has): %1").arg(error)));
    DatabaseRef ro = ref(QStringLiteral("read-only/db.db"));
    QVERIFY(!engine.testWritable(ro, &error));
    QVERIFY2(error.contains(QLatin1String("Read-only file system")), qPrintable(error));
}

void TestSqliteEngine::countsOnlyWhatIsAsked()
{
    // Asked for T1 only (the tables a policy writes), the engine names every table and
    // counts T1; once T1 has a trigger (which may write to any table), it counts them all.
    const DatabaseRef db = ref(QStringLiteral("counts"));
    QString error;
    QVERIFY2(execSqlite(db.path,
                        {QStringLiteral("CREATE TABLE T1 (K INTEGER PRIMARY KEY)"),
                         QStringLiteral("CREATE TABLE T2 (K INTEGER PRIMARY KEY)"),
                         QStringLiteral("CREATE TABLE T3 (K INTEGER PRIMARY KEY)"),
                         QStringLiteral("CREATE TRIGGER T3_AUDIT AFTER INSERT ON T3 BEGIN INSERT INTO T2 VALUES (NULL); END"),
                         QStringLiteral("INSERT INTO T1 VALUES (1), (2)"), QStringLiteral("INSERT INTO T2 VALUES (7)")},
                        &error),
             qPrintable(error));
    SqliteEngine engine;
    const QStringList only{QStringLiteral("t1")};
    QJsonObject counts;
    QVERIFY2(engine.tableRowCounts(db, &counts, &error, &only), qPrintable(error));
    QCOMPARE(counts.value(QStringLiteral("T1")).toInteger(), 2);
    QVERIFY(counts.contains(QStringLiteral("T2")) && counts.value(QStringLiteral("T2")).isNull());
    QVERIFY(counts.value(QStringLiteral("T3")).isNull());
    QVERIFY2(execSqlite(db.path,
                        {QStringLiteral("CREATE TRIGGER T1_AUDIT AFTER DELETE ON T1 BEGIN INSERT INTO T2 VALUES (NULL); END")},
                        &error),
             qPrintable(error));
    QVERIFY2(engine.tableRowCounts(db, &counts, &error, &only), qPrintable(error));
    QCOMPARE(counts.value(QStringLiteral("T2")).toInteger(), 1);
    QCOMPARE(counts.value(QStringLiteral("T3")).toInteger(), 0);
}

QTEST_GUILESS_MAIN(TestSqliteEngine)
#include "tst_sqliteengine.moc"
