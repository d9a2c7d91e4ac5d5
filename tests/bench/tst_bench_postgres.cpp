// PostgreSQL refresh benchmark (scripts/bench): on one demo source created with
// `dataalm demo --postgres` (1 GB production database; 128 MB with
// DATAALM_BENCH_QUICK=1), in the same run and on the same server:
//   - `dataalm refresh` (snapshot copy, policy, verification, swap) against
//     `pg_dump -Fc | pg_restore` and against CREATE DATABASE ... TEMPLATE ...
//     STRATEGY FILE_COPY (a copy that needs the source offline);
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
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace PostgresTestSupport;

namespace {

bool quick()
{
    return qEnvironmentVariableIntValue("DATAALM_BENCH_QUICK") == 1;
}

void emitFigure(const QString& name, double value, const QString& unit, const QString& baseline,
                double baselineValue)
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
    double templateCopy(const QString& source, const QString& copy);

    QTemporaryDir m_catalog;
    QString m_project;
    int m_sizeMb = 0;
};

void TestBenchPostgres::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the benchmarks through scripts/bench, which "
                               "starts a throwaway PostgreSQL server");
    m_sizeMb = quick() ? 128 : 1024;
    m_project = uniqueName(QStringLiteral("bpg"));
    QElapsedTimer t;
    t.start();
    const CliRun run = cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
                            QString::number(m_sizeMb), QStringLiteral("--postgres"), url()});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    qInfo("demo --postgres of %d MB in %.1f s; production is %s bytes", m_sizeMb, t.elapsed() / 1000.0,
          qPrintable(value(database(env(QStringLiteral("prod"))), QStringLiteral("SELECT pg_database_size(current_database())"))));
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

double TestBenchPostgres::templateCopy(const QString& source, const QString& copy)
{
    QElapsedTimer t;
    t.start();
    QString e;
    if (!exec(server(), QStringLiteral("CREATE DATABASE %1 TEMPLATE %2 STRATEGY FILE_COPY")
                            .arg(PostgresConnection::quote(copy), PostgresConnection::quote(source)),
              &e)) {
        qWarning("%s", qPrintable(e));
        return -1;
    }
    return t.elapsed() / 1000.0;
}

void TestBenchPostgres::refreshAgainstBaselines()
{
    const QString size = QStringLiteral("%1 MB").arg(m_sizeMb);
    // The refresh: both databases, policy, verification and swap, as a user runs it.
    QElapsedTimer t;
    t.start();
    const CliRun run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), env(QStringLiteral("prod")),
                            QStringLiteral("--target"), env(QStringLiteral("uat")), QStringLiteral("--yes"),
                            QStringLiteral("--json")});
    const double refresh = t.elapsed() / 1000.0;
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = run.json().object();
    for (const QJsonValue& s : op.value(QStringLiteral("steps")).toArray())
        qInfo("  %s: %s", qPrintable(s.toObject().value(QStringLiteral("name")).toString()),
              qPrintable(s.toObject().value(QStringLiteral("detail")).toString()));
    const qint64 id = op.value(QStringLiteral("id")).toInteger();

    // The same two databases with PostgreSQL's own tools.
    double dumped = 0;
    double templated = 0;
    for (const QString& db : {env(QStringLiteral("prod")), env(QStringLiteral("prod-fr"))}) {
        const double d = dumpRestore(db, m_project + QStringLiteral("_dump_") + db.right(4));
        const double c = templateCopy(db, m_project + QStringLiteral("_tmpl_") + db.right(4));
        QVERIFY(d > 0 && c > 0);
        dumped += d;
        templated += c;
    }
    emitFigure(QStringLiteral("postgres refresh %1").arg(size), refresh, QStringLiteral("s"),
               QStringLiteral("pg_dump -Fc | pg_restore"), dumped);
    emitFigure(QStringLiteral("postgres refresh %1 vs template").arg(size), refresh, QStringLiteral("s"),
               QStringLiteral("CREATE DATABASE TEMPLATE FILE_COPY"), templated);

    // Rollback: the command as a user runs it, and the renames it is made of (from the runbook log).
    t.restart();
    const CliRun rollback = cli({QStringLiteral("rollback"), QString::number(id)});
    const double rolledBack = t.elapsed() / 1000.0;
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QFile log(m_catalog.filePath(QStringLiteral("logs/operation-%1.log").arg(id)));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QDateTime started;
    QDateTime restored;
    for (const QByteArray& line : log.readAll().split('\n')) {
        const QDateTime at = QDateTime::fromString(QString::fromUtf8(line.left(23)), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        if (line.contains("Rolling back operation"))
            started = at;
        if (line.contains("restored the financial-reporting database"))
            restored = at;
    }
    const double renames = started.isValid() && restored.isValid() ? started.msecsTo(restored) / 1000.0 : -1;
    emitFigure(QStringLiteral("postgres rollback %1").arg(size), rolledBack, QStringLiteral("s"),
               QStringLiteral("target: 1 s"), 1.0);
    emitFigure(QStringLiteral("postgres rollback %1 (renames)").arg(size), renames, QStringLiteral("s"),
               QStringLiteral("target: 1 s"), 1.0);
}

QTEST_GUILESS_MAIN(TestBenchPostgres)
#include "tst_bench_postgres.moc"
