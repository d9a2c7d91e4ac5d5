// PostgreSQL refresh benchmark (scripts/bench): on one demo source created with
// `dataalm demo --postgres` (1 GB production database; 128 MB with
// DATAALM_BENCH_QUICK=1), in the same run and on the same server, in interleaved
// rounds (each round runs every contender once, the order rotated from round to round,
// so that a slow spell of the machine or a warm cache does not favour one of them),
// reporting each contender's median:
//   - `dataalm refresh` (snapshot copy, policy, verification, swap), rolled back after
//     each round so that every round refreshes the same target;
//   - `pg_dump -Fc | pg_restore` of the same two databases;
//   - `pgcopydb clone` of the same two databases (Debian package pgcopydb, installed by
//     scripts/bench from packaging/debian-build-deps.txt), with its default jobs (4 table
//     and 4 index jobs, like the refresh's DATAALM_PG_JOBS default);
//   - CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY (a copy that needs the source
//     offline);
//   - `dataalm rollback`, and the renames it is made of.
// Then, on a database of one large table (1 GB; quick: 128 MB) and a few small ones,
// the snapshot copy alone (PostgresSnapshotCopy, 4 workers) with the large table split
// into ranges of pages, the same without splitting, and `pgcopydb clone
// --split-tables-larger-than` with the same threshold, interleaved; then the split copy
// with 1, 2 and 4 workers: its throughput, and the time 100 GB would take at the best
// of them (an extrapolation: it assumes the throughput holds at that size).
// Each figure is one JSON line appended to $DATAALM_BENCH_OUT.
#include "BenchChild.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresSnapshotCopy.h"
#include "engine/PostgresTools.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>

using namespace PostgresTestSupport;

namespace {


constexpr int Rounds = 3;

using BenchChild::median;

QString seconds(const QList<double>& values)
{
    QStringList s;
    for (double v : values)
        s << QString::number(v, 'f', 2);
    return s.join(QStringLiteral(", "));
}

void emitFigure(const QString& name, double value, const QString& unit, const QString& baseline, double baselineValue)
{
    BenchChild::emitRow(name, value, unit, baseline, baselineValue);
}

} // namespace

class TestBenchPostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refreshAgainstBaselines();
    void restorePointAgainstPgDump();
    void exportImportAgainstPgDump();
    void oneLargeTable();

private:
    CliRun cli(const QStringList& args) const
    {
        return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, 3600000);
    }
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    // Seconds `pg_dump -Fc SOURCE | pg_restore -d NEW` takes (NEW created first).
    double dumpRestore(const QString& source, const QString& copy);
    // Seconds `pgcopydb clone --source SOURCE --target NEW` takes (NEW created first).
    // `extra`: more options (--split-tables-larger-than).
    double pgcopydbClone(const QString& source, const QString& copy, const QStringList& extra = {});
    // Seconds PostgresSnapshotCopy takes to copy `source` into the new `copy` with
    // `jobs` workers, tables larger than `splitMb` split (-1: none); -1 on a failure.
    double snapshotCopy(const QString& source, const QString& copy, int jobs, int splitMb, int* splitTables);
    double templateCopy(const QString& source, const QString& copy);
    // Our refresh of prod into uat; its rollback's seconds (command, renames) appended.
    double refreshAndRollback(QList<double>* rollbacks, QList<double>* renames);
    // A baseline run on both databases: its seconds; the copies are dropped again.
    double baseline(const QString& name, int round);

    QTemporaryDir m_catalog;
    QString m_project;
    QString m_pgcopydb;
    int m_sizeMb = 0;
};

void TestBenchPostgres::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the benchmarks through scripts/bench, which "
                               "starts a throwaway PostgreSQL server");
    m_pgcopydb = QStandardPaths::findExecutable(QStringLiteral("pgcopydb"));
    QVERIFY2(!m_pgcopydb.isEmpty(), "pgcopydb is not installed (Debian: apt-get install pgcopydb; scripts/bench "
                                    "installs it from packaging/debian-build-deps.txt)");
    m_sizeMb = BenchChild::quick() ? 128 : 1024;
    m_project = uniqueName(QStringLiteral("bpg"));
    QElapsedTimer t;
    t.start();
    const CliRun run = cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
                            QString::number(m_sizeMb), QStringLiteral("--postgres"), url()});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    qInfo("demo --postgres of %d MB in %.1f s; production is %s bytes", m_sizeMb, t.elapsed() / 1000.0,
          qPrintable(value(database(env(QStringLiteral("prod"))),
                           QStringLiteral("SELECT pg_database_size(current_database())"))));
}

void TestBenchPostgres::cleanupTestCase()
{
    for (const QString& name : databasesLike(m_project + QLatin1Char('-')))
        dropDatabase(name);
    for (const QString& name : databasesLike(m_project + QStringLiteral("_")))
        dropDatabase(name);
}

double TestBenchPostgres::dumpRestore(const QString& source, const QString& copy)
{
    QString e;
    if (!createDatabase(copy, &e)) {
        qWarning("%s", qPrintable(e));
        return -1;
    }
    QProcess dump;
    QProcess restore;
    dump.setStandardOutputProcess(&restore);
    QElapsedTimer t;
    t.start();
    dump.start(PostgresTools::find(QStringLiteral("pg_dump"), &e),
               {QStringLiteral("-Fc"), QStringLiteral("--dbname=") + database(source).postgresConninfo()});
    restore.start(PostgresTools::find(QStringLiteral("pg_restore"), &e),
                  {QStringLiteral("--exit-on-error"), QStringLiteral("--dbname=") + database(copy).postgresConninfo()});
    const bool ok = dump.waitForFinished(3600000) && restore.waitForFinished(3600000) && dump.exitCode() == 0 &&
                    restore.exitCode() == 0;
    const double seconds = t.elapsed() / 1000.0;
    if (!ok) {
        qWarning("pg_dump | pg_restore failed: %s %s", dump.readAllStandardError().constData(),
                 restore.readAllStandardError().constData());
        return -1;
    }
    return seconds;
}

double TestBenchPostgres::pgcopydbClone(const QString& source, const QString& copy, const QStringList& extra)
{
    QString e;
    if (!createDatabase(copy, &e)) {
        qWarning("%s", qPrintable(e));
        return -1;
    }
    // pgcopydb takes URIs; its work folder must be new for a run without --restart.
    const auto uri = [](const QString& name) {
        QUrl u(url());
        u.setPath(QLatin1Char('/') + name);
        return u.toString();
    };
    QTemporaryDir work;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer t;
    t.start();
    p.start(m_pgcopydb, QStringList{QStringLiteral("clone"), QStringLiteral("--source"), uri(source),
                                    QStringLiteral("--target"), uri(copy), QStringLiteral("--dir"),
                                    work.filePath(QStringLiteral("pgcopydb"))} +
                            extra);
    const bool ok = p.waitForFinished(3600000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    const double seconds = t.elapsed() / 1000.0;
    if (!ok) {
        qWarning("pgcopydb clone failed: %s", p.readAll().right(4000).constData());
        return -1;
    }
    return seconds;
}

double TestBenchPostgres::templateCopy(const QString& source, const QString& copy)
{
    QElapsedTimer t;
    t.start();
    QString e;
    if (!exec(server(),
              QStringLiteral("CREATE DATABASE %1 TEMPLATE %2 STRATEGY FILE_COPY")
                  .arg(PostgresConnection::quote(copy), PostgresConnection::quote(source)),
              &e)) {
        qWarning("%s", qPrintable(e));
        return -1;
    }
    return t.elapsed() / 1000.0;
}

double TestBenchPostgres::refreshAndRollback(QList<double>* rollbacks, QList<double>* renames)
{
    // The refresh: both databases, policy, verification and swap, as a user runs it.
    QElapsedTimer t;
    t.start();
    const CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), env(QStringLiteral("prod")),
                            QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--yes"),
                            QStringLiteral("--json")});
    const double refresh = t.elapsed() / 1000.0;
    if (!run.exitedWith(0)) {
        qWarning("%s", qPrintable(run.describe()));
        return -1;
    }
    const QJsonObject op = run.json().object();
    for (const QJsonValue& s : op.value(QStringLiteral("steps")).toArray())
        qInfo("  %s: %s", qPrintable(s.toObject().value(QStringLiteral("name")).toString()),
              qPrintable(s.toObject().value(QStringLiteral("detail")).toString()));
    const qint64 id = op.value(QStringLiteral("id")).toInteger();

    // Rollback: the command as a user runs it, and the renames it is made of (from the
    // runbook log). It also gives the next round the same target to refresh.
    t.restart();
    const CliRun rollback = cli({QStringLiteral("rollback"), QString::number(id)});
    const double rolledBack = t.elapsed() / 1000.0;
    if (!rollback.exitedWith(0)) {
        qWarning("%s", qPrintable(rollback.describe()));
        return -1;
    }
    QFile log(m_catalog.filePath(QStringLiteral("logs/operation-%1.log").arg(id)));
    if (!log.open(QIODevice::ReadOnly)) {
        qWarning("no runbook log %s", qPrintable(log.fileName()));
        return -1;
    }
    QDateTime started;
    QDateTime restored;
    for (const QByteArray& line : log.readAll().split('\n')) {
        const QDateTime at =
            QDateTime::fromString(QString::fromUtf8(line.left(23)), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        if (line.contains("Rolling back operation"))
            started = at;
        if (line.contains("restored the financial-reporting database"))
            restored = at;
    }
    if (!started.isValid() || !restored.isValid()) {
        qWarning("the runbook log of operation %lld does not time the rollback", id);
        return -1;
    }
    *rollbacks << rolledBack;
    *renames << started.msecsTo(restored) / 1000.0;
    return refresh;
}

double TestBenchPostgres::baseline(const QString& name, int round)
{
    double total = 0;
    for (const QString& db : {env(QStringLiteral("prod")), env(QStringLiteral("prod-fr"))}) {
        const QString copy = QStringLiteral("%1_%2%3_%4").arg(m_project, name).arg(round).arg(db.right(4));
        double seconds = -1;
        if (name == QLatin1String("dump"))
            seconds = dumpRestore(db, copy);
        else if (name == QLatin1String("pgcopydb"))
            seconds = pgcopydbClone(db, copy);
        else
            seconds = templateCopy(db, copy);
        dropDatabase(copy);
        if (seconds <= 0)
            return -1;
        total += seconds;
    }
    return total;
}

void TestBenchPostgres::refreshAgainstBaselines()
{
    const QString size = QStringLiteral("%1 MB").arg(m_sizeMb);
    const QStringList contenders = {QStringLiteral("ours"), QStringLiteral("dump"), QStringLiteral("pgcopydb"),
                                    QStringLiteral("template")};
    QMap<QString, QList<double>> times;
    QList<double> rollbacks;
    QList<double> renames;
    for (int round = 0; round < Rounds; ++round) {
        QStringList order = contenders;
        std::rotate(order.begin(), order.begin() + round % order.size(), order.end());
        for (const QString& c : std::as_const(order)) {
            const double s = c == QLatin1String("ours") ? refreshAndRollback(&rollbacks, &renames) : baseline(c, round);
            QVERIFY2(s > 0, qPrintable(QStringLiteral("round %1: %2 failed").arg(round + 1).arg(c)));
            qInfo("round %d: %s %.2f s", round + 1, qPrintable(c), s);
            times[c] << s;
        }
    }
    for (const QString& c : contenders)
        qInfo("%s: %s s (median %.2f s)", qPrintable(c), qPrintable(seconds(times.value(c))), median(times.value(c)));
    const double ours = median(times.value(QStringLiteral("ours")));
    emitFigure(QStringLiteral("postgres refresh %1").arg(size), ours, QStringLiteral("s"),
               QStringLiteral("pg_dump -Fc | pg_restore"), median(times.value(QStringLiteral("dump"))));
    emitFigure(QStringLiteral("postgres refresh %1 vs pgcopydb").arg(size), ours, QStringLiteral("s"),
               QStringLiteral("pgcopydb clone"), median(times.value(QStringLiteral("pgcopydb"))));
    emitFigure(QStringLiteral("postgres refresh %1 vs template").arg(size), ours, QStringLiteral("s"),
               QStringLiteral("CREATE DATABASE TEMPLATE FILE_COPY"), median(times.value(QStringLiteral("template"))));
    emitFigure(QStringLiteral("postgres rollback %1").arg(size), median(rollbacks), QStringLiteral("s"),
               QStringLiteral("target: 1 s"), 1.0);
    emitFigure(QStringLiteral("postgres rollback %1 (renames)").arg(size), median(renames), QStringLiteral("s"),
               QStringLiteral("target: 1 s"), 1.0);
}

void TestBenchPostgres::restorePointAgainstPgDump()
{
    // A restore point of production (its two databases, copied into databases beside
    // them) against `pg_dump --format=directory --jobs=4` of the same two databases.
    const QString size = QStringLiteral("%1 MB").arg(m_sizeMb);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QList<double> points;
    QList<double> dumps;
    for (int round = 0; round < Rounds; ++round) {
        for (int turn = 0; turn < 2; ++turn) {
            if ((round + turn) % 2 == 0) {
                QElapsedTimer t;
                t.start();
                const CliRun run = cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"),
                                        env(QStringLiteral("prod")), QStringLiteral("--json")});
                const double s = t.elapsed() / 1000.0;
                QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
                points << s;
                const CliRun del = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
                                        QString::number(run.json().object().value(QStringLiteral("id")).toInteger())});
                QVERIFY2(del.exitedWith(0), qPrintable(del.describe()));
            } else {
                QElapsedTimer t;
                t.start();
                for (const QString& db : {env(QStringLiteral("prod")), env(QStringLiteral("prod-fr"))}) {
                    QString e;
                    const QString out = dir.filePath(QStringLiteral("dump-%1-%2").arg(round).arg(db));
                    QVERIFY2(PostgresTools::run(QStringLiteral("pg_dump"),
                                                {QStringLiteral("--format=directory"), QStringLiteral("--jobs=4"),
                                                 QStringLiteral("--file=") + out,
                                                 QStringLiteral("--dbname=") + database(db).postgresConninfo()},
                                                &e),
                             qPrintable(e));
                }
                dumps << t.elapsed() / 1000.0;
                QDir(dir.path()).removeRecursively();
                QDir().mkpath(dir.path());
            }
        }
        qInfo("round %d: restore point %.2f s, pg_dump -Fd -j4 %.2f s", round + 1, points.last(), dumps.last());
    }
    emitFigure(QStringLiteral("postgres restore point %1").arg(size), median(points), QStringLiteral("s"),
               QStringLiteral("pg_dump -Fd -j4"), median(dumps));
}

void TestBenchPostgres::exportImportAgainstPgDump()
{
    // Export database of uat (copy, policy, verify, pg_dump into the zip) against
    // `pg_dump -Fd -j4` of its transactional database; Import database of that backup
    // into uat (rolled back after, untimed) against `pg_restore -j4` of the dump into a
    // new database (dropped after, untimed).
    const QString size = QStringLiteral("%1 MB").arg(m_sizeMb);
    const QString uat = env(QStringLiteral("uat"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QList<double> exports, dumps, imports, restores;
    QString backup;
    const QString dump = dir.filePath(QStringLiteral("dump"));
    for (int round = 0; round < Rounds; ++round) {
        for (int turn = 0; turn < 4; ++turn) {
            QElapsedTimer t;
            QString e;
            switch ((round + turn) % 4) {
            case 0: {
                t.start();
                const CliRun run = cli({QStringLiteral("export"), QStringLiteral("--source"), uat, QStringLiteral("--json")});
                exports << t.elapsed() / 1000.0;
                QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
                const CliRun list = cli({QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--json")});
                backup = list.json().array().first().toObject().value(QStringLiteral("name")).toString();
                break;
            }
            case 1:
                QDir(dump).removeRecursively();
                t.start();
                QVERIFY2(PostgresTools::run(QStringLiteral("pg_dump"),
                                            {QStringLiteral("--format=directory"), QStringLiteral("--jobs=4"),
                                             QStringLiteral("--file=") + dump,
                                             QStringLiteral("--dbname=") + database(uat).postgresConninfo()},
                                            &e),
                         qPrintable(e));
                dumps << t.elapsed() / 1000.0;
                break;
            case 2: {
                if (backup.isEmpty()) {
                    const CliRun run = cli({QStringLiteral("export"), QStringLiteral("--source"), uat});
                    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
                    const CliRun list = cli({QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--json")});
                    backup = list.json().array().first().toObject().value(QStringLiteral("name")).toString();
                }
                t.start();
                const CliRun run = cli({QStringLiteral("import"), QStringLiteral("--backup"), backup,
                                        QStringLiteral("--target"), uat, QStringLiteral("--yes"), QStringLiteral("--json")});
                imports << t.elapsed() / 1000.0;
                QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
                const CliRun back = cli({QStringLiteral("rollback"),
                                         QString::number(run.json().object().value(QStringLiteral("id")).toInteger())});
                QVERIFY2(back.exitedWith(0), qPrintable(back.describe()));
                QVERIFY(cli({QStringLiteral("cleanup")}).exitedWith(0));
                break;
            }
            case 3: {
                if (!QFileInfo::exists(dump))
                    QVERIFY2(PostgresTools::run(QStringLiteral("pg_dump"),
                                                {QStringLiteral("--format=directory"), QStringLiteral("--jobs=4"),
                                                 QStringLiteral("--file=") + dump,
                                                 QStringLiteral("--dbname=") + database(uat).postgresConninfo()},
                                                &e),
                             qPrintable(e));
                const QString copy = uniqueName(QStringLiteral("bpgrestore"));
                QVERIFY2(createDatabase(copy, &e), qPrintable(e));
                t.start();
                QVERIFY2(PostgresTools::run(QStringLiteral("pg_restore"),
                                            {QStringLiteral("--jobs=4"), QStringLiteral("--exit-on-error"),
                                             QStringLiteral("--dbname=") + database(copy).postgresConninfo(), dump},
                                            &e),
                         qPrintable(e));
                restores << t.elapsed() / 1000.0;
                QVERIFY(dropDatabase(copy));
                break;
            }
            }
        }
        qInfo("round %d: export %.2f s, pg_dump -Fd -j4 %.2f s, import %.2f s, pg_restore -j4 %.2f s", round + 1,
              exports.last(), dumps.last(), imports.last(), restores.last());
    }
    emitFigure(QStringLiteral("postgres export %1").arg(size), median(exports), QStringLiteral("s"),
               QStringLiteral("pg_dump -Fd -j4"), median(dumps));
    emitFigure(QStringLiteral("postgres import %1").arg(size), median(imports), QStringLiteral("s"),
               QStringLiteral("pg_restore -j4"), median(restores));
}

double TestBenchPostgres::snapshotCopy(const QString& source, const QString& copy, int jobs, int splitMb,
                                       int* splitTables)
{
    qputenv("DATAALM_PG_SPLIT_MB", QByteArray::number(splitMb < 0 ? 1 << 30 : splitMb));
    DatabaseRef staging = database(copy);
    PostgresSnapshotCopy c(database(source), staging, jobs, false);
    PostgresSnapshotCopy::Result result;
    QString e;
    QElapsedTimer t;
    t.start();
    const bool ok = c.run({}, {}, &result, &e);
    const double seconds = t.elapsed() / 1000.0;
    qunsetenv("DATAALM_PG_SPLIT_MB");
    if (!ok) {
        qWarning("snapshot copy failed: %s", qPrintable(e));
        return -1;
    }
    *splitTables = result.splitTables;
    return seconds;
}

void TestBenchPostgres::oneLargeTable()
{
    const int sizeMb = BenchChild::quick() ? 128 : 1024;
    const int splitMb = BenchChild::quick() ? 32 : 256;
    const QString source = m_project + QStringLiteral("-large");
    QString e;
    QVERIFY2(createDatabase(source, &e), qPrintable(e));
    QElapsedTimer t;
    t.start();
    // About 250 bytes a row: an order line with a few text columns, and its index.
    const qint64 rows = qint64(sizeMb) * 1024 * 1024 / 250;
    QVERIFY2(exec(database(source),
                  QStringLiteral("CREATE TABLE lines (id bigint PRIMARY KEY, item text, note text, amount numeric, at "
                                 "timestamptz); INSERT INTO lines SELECT g, 'item ' || (g % 5000), repeat(md5(g::text), "
                                 "5), g * 0.01, now() - g * interval '1 second' FROM generate_series(1, %1) g; "
                                 "CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, "
                                 "'item ' || g FROM generate_series(1, 5000) g")
                      .arg(rows),
                  &e) &&
                 exec(database(source), QStringLiteral("VACUUM ANALYZE"), &e),
             qPrintable(e));
    const qint64 bytes = value(database(source), QStringLiteral("SELECT pg_database_size(current_database())")).toLongLong();
    qInfo("one large table: %lld rows, database of %.0f MB, made in %.1f s", rows, bytes / 1048576.0,
          t.elapsed() / 1000.0);

    const QStringList contenders = {QStringLiteral("split"), QStringLiteral("whole"), QStringLiteral("pgcopydb")};
    QMap<QString, QList<double>> times;
    for (int round = 0; round < Rounds; ++round) {
        QStringList order = contenders;
        std::rotate(order.begin(), order.begin() + round % order.size(), order.end());
        for (const QString& c : std::as_const(order)) {
            const QString copy = QStringLiteral("%1_large_%2%3").arg(m_project, c).arg(round);
            int split = 0;
            double s = -1;
            if (c == QLatin1String("pgcopydb"))
                s = pgcopydbClone(source, copy,
                                  {QStringLiteral("--table-jobs"), QStringLiteral("4"),
                                   QStringLiteral("--split-tables-larger-than"), QStringLiteral("%1MB").arg(splitMb)});
            else
                s = snapshotCopy(source, copy, 4, c == QLatin1String("split") ? splitMb : -1, &split);
            dropDatabase(copy);
            QVERIFY2(s > 0, qPrintable(QStringLiteral("round %1: %2 failed").arg(round + 1).arg(c)));
            if (c == QLatin1String("split"))
                QVERIFY2(split == 1, "the large table must be split, and only it");
            qInfo("round %d: %s %.2f s", round + 1, qPrintable(c), s);
            times[c] << s;
        }
    }
    const QString size = QStringLiteral("%1 MB").arg(sizeMb);
    const double split = median(times.value(QStringLiteral("split")));
    emitFigure(QStringLiteral("postgres copy, one large table %1, split").arg(size), split, QStringLiteral("s"),
               QStringLiteral("pgcopydb clone --split-tables-larger-than"), median(times.value(QStringLiteral("pgcopydb"))));
    emitFigure(QStringLiteral("postgres copy, one large table %1, split vs whole").arg(size), split,
               QStringLiteral("s"), QStringLiteral("the same copy, the table not split"),
               median(times.value(QStringLiteral("whole"))));

    // Worker scaling of the split copy, and the 100 GB extrapolation.
    QMap<int, double> throughput; // workers -> MB/s
    for (const int jobs : {1, 2, 4}) {
        QList<double> s;
        for (int round = 0; round < (BenchChild::quick() ? 1 : 2); ++round) {
            int splitCount = 0;
            const QString copy = QStringLiteral("%1_large_j%2_%3").arg(m_project).arg(jobs).arg(round);
            const double seconds = snapshotCopy(source, copy, jobs, splitMb, &splitCount);
            dropDatabase(copy);
            QVERIFY2(seconds > 0, "the split copy failed");
            s << seconds;
        }
        throughput.insert(jobs, bytes / 1048576.0 / median(s));
        qInfo("%d worker(s): %s s, %.0f MB/s", jobs, qPrintable(seconds(s)), throughput.value(jobs));
    }
    double best = 0;
    int bestJobs = 0;
    for (auto it = throughput.cbegin(); it != throughput.cend(); ++it) {
        emitFigure(QStringLiteral("postgres copy throughput, %1 worker(s)").arg(it.key()), it.value(),
                   QStringLiteral("MB/s"), QStringLiteral("1 worker"), throughput.value(1));
        if (it.value() > best) {
            best = it.value();
            bestJobs = it.key();
        }
    }
    const double hundredGb = 100.0 * 1024 / best;
    qInfo("100 GB at %.0f MB/s (%d workers): %.0f s (%.1f min)", best, bestJobs, hundredGb, hundredGb / 60);
    emitFigure(QStringLiteral("postgres copy of 100 GB, extrapolated"), hundredGb, QStringLiteral("s"),
               QStringLiteral("measured MB/s of the best worker count"), best);
    dropDatabase(source);
}

QTEST_GUILESS_MAIN(TestBenchPostgres)
#include "tst_bench_postgres.moc"
