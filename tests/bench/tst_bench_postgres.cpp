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
// Each figure is one JSON line appended to $DATAALM_BENCH_OUT.
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresTools.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
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

bool quick()
{
    return qEnvironmentVariableIntValue("DATAALM_BENCH_QUICK") == 1;
}

constexpr int Rounds = 3;

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? -1 : values.at(values.size() / 2);
}

QString seconds(const QList<double>& values)
{
    QStringList s;
    for (double v : values)
        s << QString::number(v, 'f', 2);
    return s.join(QStringLiteral(", "));
}

void emitFigure(const QString& name, double value, const QString& unit, const QString& baseline, double baselineValue)
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("value"), value},
                  {QStringLiteral("unit"), unit},
                  {QStringLiteral("baseline"), baseline},
                  {QStringLiteral("baseline_value"), baselineValue},
                  {QStringLiteral("ratio"), baselineValue > 0 ? value / baselineValue : 0.0}};
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    qInfo("%s", line.constData());
    const QString out = qEnvironmentVariable("DATAALM_BENCH_OUT");
    if (out.isEmpty())
        return;
    QFile f(out);
    if (f.open(QIODevice::Append))
        f.write(line + '\n');
}

} // namespace

class TestBenchPostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refreshAgainstBaselines();

private:
    CliRun cli(const QStringList& args) const
    {
        return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, 3600000);
    }
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    // Seconds `pg_dump -Fc SOURCE | pg_restore -d NEW` takes (NEW created first).
    double dumpRestore(const QString& source, const QString& copy);
    // Seconds `pgcopydb clone --source SOURCE --target NEW` takes (NEW created first).
    double pgcopydbClone(const QString& source, const QString& copy);
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
    m_sizeMb = quick() ? 128 : 1024;
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

double TestBenchPostgres::pgcopydbClone(const QString& source, const QString& copy)
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
    p.start(m_pgcopydb, {QStringLiteral("clone"), QStringLiteral("--source"), uri(source), QStringLiteral("--target"),
                         uri(copy), QStringLiteral("--dir"), work.filePath(QStringLiteral("pgcopydb"))});
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

QTEST_GUILESS_MAIN(TestBenchPostgres)
#include "tst_bench_postgres.moc"
