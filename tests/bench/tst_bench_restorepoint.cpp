// Benchmark of restore points, Point-in-time restore, Export and Import on SQLite (issue
// 14), on the 1 GB demo: contoso-uat is first refreshed from contoso-prod (untimed), so
// that every contender works on the same 1 GB transactional database, then in each
// round, in a rotating order:
// - `sqlite3 uat.db ".backup COPY"`: the baseline of a whole consistent copy;
// - `dataalm restorepoint create --env contoso-uat` (both of its databases; deleted
//   after, untimed);
// - `dataalm export --source contoso-uat` (copy, policy, verify, zip; rolled back after,
//   untimed);
// - `dataalm import` of that backup into contoso-uat (rolled back after, untimed);
// - `dataalm restore` of contoso-uat from its restore point, against `dataalm refresh`
//   of contoso-uat from contoso-prod (each rolled back after, untimed).
// Figures are medians of the rounds; the test checks that each run succeeded, never
// the figures (they go to $DATAALM_BENCH_OUT, see scripts/bench).
// DATAALM_BENCH_QUICK=1: 128 MB, one round.
#include "BenchChild.h"
#include "CliRun.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

class BenchRestorePoint : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void restorePointExportImportRestore();

private:
    QJsonObject cli(const QStringList& args, BenchChild::Run* run = nullptr);

    bool m_quick = false;
    int m_rounds = 3;
    QString m_sqlite3;
    QString m_catalog;
    QString m_scratch;
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");
using BenchChild::emitRow;
using BenchChild::median;

} // namespace

void BenchRestorePoint::initTestCase()
{
    m_quick = BenchChild::quick();
    m_rounds = m_quick ? 1 : 3;
    m_sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath()));
    qInfo("mode: %s, %d round(s); load average: %s", m_quick ? "quick" : "full", m_rounds,
          BenchChild::loadAverage().constData());
}

QJsonObject BenchRestorePoint::cli(const QStringList& args, BenchChild::Run* run)
{
    const BenchChild::Run r =
        BenchChild::run(cliPath(), QStringList{QStringLiteral("--catalog"), m_catalog, QStringLiteral("--json")} + args,
                        m_scratch);
    if (run)
        *run = r;
    if (!r.ok())
        qWarning("%s", qPrintable(r.describe()));
    const QJsonDocument doc = QJsonDocument::fromJson(r.out);
    return doc.isObject() ? doc.object() : QJsonObject{{QStringLiteral("list"), doc.array()}};
}

void BenchRestorePoint::restorePointExportImportRestore()
{
    QVERIFY2(!m_sqlite3.isEmpty(), "the sqlite3 command-line shell is not installed (scripts/deps installs it): "
                                   "no baseline to measure against");
    const int sizeMb = m_quick ? 128 : 1024;
    QTemporaryDir dir;
    QVERIFY2(dir.isValid(), qPrintable(dir.errorString()));
    m_scratch = dir.filePath(QStringLiteral("scratch"));
    QVERIFY(QDir().mkpath(m_scratch));
    m_catalog = dir.filePath(QStringLiteral("catalog"));
    QString e;
    QVERIFY2(TestSupport::createDemoCatalog(m_catalog, sizeMb, &e), qPrintable(e));
    // contoso-uat becomes a copy of production: every contender works on the same size.
    BenchChild::Run run;
    QJsonObject op = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                          QStringLiteral("--target"), Uat, QStringLiteral("--yes")},
                         &run);
    QVERIFY2(run.ok(), qPrintable(run.describe()));
    cli({QStringLiteral("signoff"), QString::number(op.value(QStringLiteral("id")).toInteger())}, &run);
    QVERIFY2(run.ok(), qPrintable(run.describe()));
    const QString uatDb = m_catalog + QStringLiteral("/environments/contoso-uat/transactional.db");
    qInfo("contoso-uat's transactional database: %.1f MB", double(QFileInfo(uatDb).size()) / (1024.0 * 1024.0));
    // A restore point and a backup to restore and import from, made once (untimed).
    op = cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"), Uat}, &run);
    QVERIFY2(run.ok(), qPrintable(run.describe()));
    const qint64 point = op.value(QStringLiteral("id")).toInteger();
    op = cli({QStringLiteral("export"), QStringLiteral("--source"), Uat}, &run);
    QVERIFY2(run.ok(), qPrintable(run.describe()));
    const QJsonObject backups = cli({QStringLiteral("backup"), QStringLiteral("list")});
    const QString backup = backups.value(QStringLiteral("list")).toArray().first().toObject().value(QStringLiteral("name")).toString();
    QVERIFY(!backup.isEmpty());
    const QString copy = m_scratch + QStringLiteral("/bench-backup.db");
    ::sync();

    QList<double> backupS, pointS, exportS, importS, restoreS, refreshS;
    const auto rollBack = [&](qint64 id) {
        BenchChild::Run back;
        cli({QStringLiteral("rollback"), QString::number(id)}, &back);
        QVERIFY2(back.ok(), qPrintable(back.describe()));
        QVERIFY2(waitForBackgroundCleanup({QStringLiteral("--catalog"), m_catalog, QStringLiteral("rollback")},
                                          QString()),
                 "the background cleanup did not finish");
        ::sync();
    };
    for (int round = 0; round < m_rounds; ++round) {
        for (int turn = 0; turn < 6; ++turn) {
            switch ((round + turn) % 6) {
            case 0: {
                const BenchChild::Run r = BenchChild::run(m_sqlite3, {uatDb, QStringLiteral(".backup ") + copy}, m_scratch);
                QVERIFY2(r.ok(), qPrintable(r.describe()));
                backupS << r.seconds;
                QFile::remove(copy);
                ::sync();
                break;
            }
            case 1: {
                const QJsonObject p =
                    cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"), Uat}, &run);
                QVERIFY2(run.ok(), qPrintable(run.describe()));
                pointS << run.seconds;
                BenchChild::Run del;
                cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
                     QString::number(p.value(QStringLiteral("id")).toInteger())},
                    &del);
                QVERIFY2(del.ok(), qPrintable(del.describe()));
                ::sync();
                break;
            }
            case 2: {
                const QJsonObject x = cli({QStringLiteral("export"), QStringLiteral("--source"), Uat}, &run);
                QVERIFY2(run.ok(), qPrintable(run.describe()));
                exportS << run.seconds;
                rollBack(x.value(QStringLiteral("id")).toInteger());
                break;
            }
            case 3: {
                const QJsonObject i = cli({QStringLiteral("import"), QStringLiteral("--backup"), backup,
                                           QStringLiteral("--target"), Uat, QStringLiteral("--yes")},
                                          &run);
                QVERIFY2(run.ok(), qPrintable(run.describe()));
                importS << run.seconds;
                rollBack(i.value(QStringLiteral("id")).toInteger());
                break;
            }
            case 4: {
                const QJsonObject r = cli({QStringLiteral("restore"), QStringLiteral("--target"), Uat,
                                           QStringLiteral("--point"), QString::number(point), QStringLiteral("--yes")},
                                          &run);
                QVERIFY2(run.ok(), qPrintable(run.describe()));
                restoreS << run.seconds;
                rollBack(r.value(QStringLiteral("id")).toInteger());
                break;
            }
            case 5: {
                const QJsonObject r = cli({QStringLiteral("refresh"), QStringLiteral("--source"),
                                           QStringLiteral("contoso-prod"), QStringLiteral("--target"), Uat,
                                           QStringLiteral("--yes")},
                                          &run);
                QVERIFY2(run.ok(), qPrintable(run.describe()));
                refreshS << run.seconds;
                rollBack(r.value(QStringLiteral("id")).toInteger());
                break;
            }
            }
        }
        qInfo("round %d: .backup %.3f s, restore point %.3f s, export %.3f s, import %.3f s, restore %.3f s, "
              "refresh %.3f s",
              round + 1, backupS.last(), pointS.last(), exportS.last(), importS.last(), restoreS.last(),
              refreshS.last());
    }
    const QString tag = m_quick ? QStringLiteral("128mb") : QStringLiteral("1gb");
    const double baseline = median(backupS);
    emitRow(QStringLiteral("restorepoint-%1-seconds").arg(tag), median(pointS), QStringLiteral("s"),
            QStringLiteral("sqlite3 .backup"), baseline);
    emitRow(QStringLiteral("export-%1-seconds").arg(tag), median(exportS), QStringLiteral("s"),
            QStringLiteral("sqlite3 .backup"), baseline);
    emitRow(QStringLiteral("import-%1-seconds").arg(tag), median(importS), QStringLiteral("s"),
            QStringLiteral("sqlite3 .backup"), baseline);
    emitRow(QStringLiteral("restore-%1-seconds").arg(tag), median(restoreS), QStringLiteral("s"),
            QStringLiteral("dataalm refresh"), median(refreshS));
}

QTEST_GUILESS_MAIN(BenchRestorePoint)
#include "tst_bench_restorepoint.moc"
