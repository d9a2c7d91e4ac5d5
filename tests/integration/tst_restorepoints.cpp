// Restore points and Point-in-time restore on SQLite, through the real `dataalm` binary
// on the demo: a manual restore point is a whole copy in the catalog's folder; a restore
// puts the environment's transactional database back as it was at that instant (its
// Financial Reporting database left as it is, and said so), can be rolled back, and
// keeps what it replaced as a restore point of its own; production's restore point goes
// into a sandbox with the project's data policy; what must be refused is, with words
// and nothing changed; expired restore points go at the next cleanup unless an
// operation still needs them; a restore point cut short by kill -9 or a full disk leaves
// nothing behind once cleanup ran.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "TmpfsMount.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

#include <csignal>

class TestRestorePoints : public QObject
{
    Q_OBJECT

private slots:
    void createListDelete();
    void restoreToItsOwnRestorePoint();
    void signedOffRestoreKeepsWhatItReplaced();
    void productionToSandboxAppliesThePolicy();
    void refusals();
    void expiredOnesGoAtTheNextCleanup();
    void killedWhileCreating();
    void fullDiskWhileCreating();
    void killedWhileRestoringIsResumed();
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");
const QString Prod = QStringLiteral("contoso-prod");
const qint64 Day = 86400;

QList<QJsonObject> points(const RefreshFixture& f, const QString& env = {})
{
    QStringList args{QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")};
    if (!env.isEmpty())
        args << QStringLiteral("--env") << env;
    const CliRun run = f.cli(args);
    QList<QJsonObject> result;
    for (const QJsonValue& v : run.json().array())
        result.append(v.toObject());
    return result;
}

qint64 createPoint(const RefreshFixture& f, const QString& env, QString* why)
{
    const CliRun run = f.cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"), env,
                              QStringLiteral("--json")});
    if (!run.exitedWith(0)) {
        *why = run.describe();
        return 0;
    }
    return run.json().object().value(QStringLiteral("id")).toInteger();
}

QStringList restoreArgs(const QString& target, qint64 point)
{
    return {QStringLiteral("restore"), QStringLiteral("--target"), target, QStringLiteral("--point"),
            QString::number(point), QStringLiteral("--yes")};
}

qint64 customers(const RefreshFixture& f, const QString& env)
{
    return SqliteInspect::value(f.db(env), QStringLiteral("SELECT count(*) FROM CUSTTABLE")).toLongLong();
}

bool deleteHalfOfTheCustomers(const RefreshFixture& f, const QString& env, QString* error)
{
    return TestSupport::execSqlite(f.db(env), {QStringLiteral("DELETE FROM CUSTTABLE WHERE rowid % 2 = 0")}, error);
}

QString state(const RefreshFixture& f, qint64 id)
{
    return f.operation(id).value(QStringLiteral("state")).toString();
}

QMap<QString, QString> skewed(qint64 seconds)
{
    return {{QStringLiteral("DATAALM_TEST_CLOCK_SKEW_S"), QString::number(seconds)}};
}

} // namespace

void TestRestorePoints::createListDelete()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.folderState(Uat);
    QString why;
    const qint64 id = createPoint(f, Uat, &why);
    QVERIFY2(id > 0, qPrintable(why));
    // Taking it reads the environment only.
    QCOMPARE(f.folderState(Uat), before);

    const QList<QJsonObject> listed = points(f, Uat);
    QCOMPARE(listed.size(), 1);
    const QJsonObject p = listed.first();
    QCOMPARE(p.value(QStringLiteral("id")).toInteger(), id);
    QCOMPARE(p.value(QStringLiteral("kind")).toString(), QStringLiteral("manual"));
    QCOMPARE(p.value(QStringLiteral("state")).toString(), QStringLiteral("Available"));
    const QDateTime created = QDateTime::fromString(p.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    const QDateTime expires = QDateTime::fromString(p.value(QStringLiteral("expires")).toString(), Qt::ISODateWithMs);
    QCOMPARE(created.daysTo(expires), 7); // a sandbox's, by default
    QVERIFY(p.value(QStringLiteral("bytes")).toInteger() > 0);

    // A whole copy of each database, in the catalog's folder, with the same rows.
    const QJsonArray dbs = p.value(QStringLiteral("databases")).toArray();
    QCOMPARE(dbs.size(), 2);
    for (const QJsonValue& v : dbs) {
        const QString role = v.toObject().value(QStringLiteral("role")).toString();
        const QString path = v.toObject().value(QStringLiteral("location")).toString();
        QVERIFY2(path.startsWith(f.folder() + QStringLiteral("/restore-points/")), qPrintable(path));
        QCOMPARE(SqliteInspect::integrity(path), QStringLiteral("ok"));
        QCOMPARE(SqliteInspect::digests(path), SqliteInspect::digests(f.db(Uat, role)));
    }
    // Production keeps its restore points four weeks.
    const qint64 prodPoint = createPoint(f, Prod, &why);
    QVERIFY2(prodPoint > 0, qPrintable(why));
    const QJsonObject pp = points(f, Prod).first();
    QCOMPARE(QDateTime::fromString(pp.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs)
                 .daysTo(QDateTime::fromString(pp.value(QStringLiteral("expires")).toString(), Qt::ISODateWithMs)),
             28);
    QCOMPARE(points(f).size(), 2);

    const CliRun bad = f.cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QStringLiteral("99")});
    QVERIFY2(bad.exitedWith(4), qPrintable(bad.describe()));
    const CliRun del = f.cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QString::number(id)});
    QVERIFY2(del.exitedWith(0), qPrintable(del.describe()));
    QVERIFY(points(f, Uat).isEmpty());
    QVERIFY(!QDir(f.folder() + QStringLiteral("/restore-points/") + Uat).exists());
    QCOMPARE(f.folderState(Uat), before);
}

void TestRestorePoints::restoreToItsOwnRestorePoint()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const qint64 all = customers(f, Uat);
    QString why;
    const qint64 point = createPoint(f, Uat, &why);
    QVERIFY2(point > 0, qPrintable(why));
    const auto atThePoint = SqliteInspect::digests(f.db(Uat));
    QVERIFY2(deleteHalfOfTheCustomers(f, Uat, &why), qPrintable(why));
    QCOMPARE(customers(f, Uat), all / 2);
    const auto afterTheMistake = SqliteInspect::digests(f.db(Uat));
    const auto reporting = f.fileHashes(Uat).value(RefreshFixture::FinancialReporting);

    const CliRun run = f.cli(restoreArgs(Uat, point) << QStringLiteral("--json"));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = run.json().object();
    QCOMPARE(op.value(QStringLiteral("kind")).toString(), QStringLiteral("restore"));
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(SqliteInspect::digests(f.db(Uat)), atThePoint);
    QCOMPARE(customers(f, Uat), all);
    // The Financial Reporting database is left as it is, and the result says to reset it.
    QCOMPARE(f.fileHashes(Uat).value(RefreshFixture::FinancialReporting), reporting);
    const QJsonArray steps = op.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.at(3).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("Skipped"));
    QVERIFY(steps.at(9).toObject().value(QStringLiteral("detail")).toString().contains(
        QStringLiteral("Reset the Financial Reporting database")));
    // Its own data: no rule of the policy ran.
    QCOMPARE(steps.at(4).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("Skipped"));

    // What it replaced is a restore point too, and the manual one is still there.
    const QList<QJsonObject> listed = points(f, Uat);
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.first().value(QStringLiteral("kind")).toString(), QStringLiteral("operation"));
    const qint64 opId = op.value(QStringLiteral("id")).toInteger();
    QCOMPARE(listed.first().value(QStringLiteral("operation")).toInteger(), opId);

    // Rollback gives back the database of before the restore, mistake included.
    const CliRun rollback = f.cli({QStringLiteral("rollback"), QString::number(opId)});
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(state(f, opId), QStringLiteral("RollbackCompleted"));
    QCOMPARE(SqliteInspect::digests(f.db(Uat)), afterTheMistake);
    // Its restore point went back into the target: no longer listed; the manual one stays.
    const QList<QJsonObject> after = points(f, Uat);
    QCOMPARE(after.size(), 1);
    QCOMPARE(after.first().value(QStringLiteral("id")).toInteger(), point);
    QCOMPARE(f.leftovers(Uat), QStringList());

    // The chain is not broken: restore again from the same restore point.
    const CliRun again = f.cli(restoreArgs(Uat, point));
    QVERIFY2(again.exitedWith(0), qPrintable(again.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Uat)), atThePoint);
}

void TestRestorePoints::signedOffRestoreKeepsWhatItReplaced()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const qint64 point = createPoint(f, Uat, &why);
    QVERIFY2(point > 0, qPrintable(why));
    QVERIFY2(deleteHalfOfTheCustomers(f, Uat, &why), qPrintable(why));
    const auto replaced = SqliteInspect::digests(f.db(Uat));
    const CliRun run = f.cli(restoreArgs(Uat, point));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 kept = points(f, Uat).first().value(QStringLiteral("id")).toInteger();
    QVERIFY(kept != point);

    // While the restore can be rolled back to it, its restore point cannot be deleted.
    const CliRun refused = f.cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QString::number(kept)});
    QVERIFY2(refused.exitedWith(5), qPrintable(refused.describe()));
    QVERIFY2(refused.errText().contains(QStringLiteral("can still be rolled back")), qPrintable(refused.describe()));

    // Signed off, it stays until it expires, and can be restored from.
    const CliRun signoff = f.cli({QStringLiteral("signoff"), QStringLiteral("1")});
    QVERIFY2(signoff.exitedWith(0), qPrintable(signoff.describe()));
    QCOMPARE(points(f, Uat).size(), 2);
    const CliRun back = f.cli(restoreArgs(Uat, kept));
    QVERIFY2(back.exitedWith(0), qPrintable(back.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Uat)), replaced);

    // Deleted by hand once nothing needs it.
    const CliRun del = f.cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QString::number(kept)});
    QVERIFY2(del.exitedWith(0), qPrintable(del.describe()));
    QVERIFY(!QFile::exists(f.db(Uat) + QStringLiteral(".restore-op1")));
}

void TestRestorePoints::productionToSandboxAppliesThePolicy()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const qint64 point = createPoint(f, Prod, &why);
    QVERIFY2(point > 0, qPrintable(why));
    const qint64 prodCustomers = customers(f, Prod);
    // Production goes on after the restore point: the sandbox gets the past.
    QVERIFY2(deleteHalfOfTheCustomers(f, Prod, &why), qPrintable(why));
    const QStringList uatAdmin = SqliteInspect::column(
        f.db(Uat), QStringLiteral("SELECT NETWORKALIAS FROM USERINFO WHERE ID = 'Admin'"));

    const CliRun run = f.cli(restoreArgs(Uat, point) << QStringLiteral("--json"));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = run.json().object();
    QCOMPARE(op.value(QStringLiteral("source")).toString(), Prod);
    QCOMPARE(customers(f, Uat), prodCustomers);
    // The policy ran: excluded tables are empty, the administrator is the sandbox's.
    QCOMPARE(SqliteInspect::value(f.db(Uat), QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY")).toLongLong(), 0);
    QVERIFY(SqliteInspect::value(f.db(Prod), QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY")).toLongLong() > 0);
    QCOMPARE(SqliteInspect::column(f.db(Uat), QStringLiteral("SELECT NETWORKALIAS FROM USERINFO WHERE ID = 'Admin'")),
             uatAdmin);
    const QJsonArray steps = op.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.at(4).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
}

void TestRestorePoints::refusals()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const qint64 uatPoint = createPoint(f, Uat, &why);
    QVERIFY2(uatPoint > 0, qPrintable(why));
    const qint64 prodPoint = createPoint(f, Prod, &why);
    QVERIFY2(prodPoint > 0, qPrintable(why));
    const QByteArray catalogBefore = TestSupport::folderSnapshot(f.folder()).value(QStringLiteral("catalog.db"));
    const auto prod = f.folderState(Prod);
    const auto dev = f.folderState(QStringLiteral("contoso-dev"));
    const auto uat2 = f.folderState(QStringLiteral("contoso-uat2"));

    struct Case
    {
        QStringList args;
        int code;
        QString words;
    };
    const QList<Case> cases = {
        {restoreArgs(Prod, prodPoint), 3, QStringLiteral("never production's")},
        {restoreArgs(QStringLiteral("contoso-dev"), prodPoint), 3, QStringLiteral("can only go into a sandbox")},
        {restoreArgs(QStringLiteral("contoso-uat2"), uatPoint), 3, QStringLiteral("only production's restore points")},
        {restoreArgs(Uat, 42), 4, QStringLiteral("unknown restore point 42")},
        {{QStringLiteral("restore"), QStringLiteral("--target"), Uat, QStringLiteral("--point"), QStringLiteral("x"),
          QStringLiteral("--yes")},
         2, QStringLiteral("--point takes a restore point id")},
        {{QStringLiteral("restore"), QStringLiteral("--target"), Uat, QStringLiteral("--point"),
          QString::number(uatPoint)},
         2, QStringLiteral("add --yes")},
    };
    for (const Case& c : cases) {
        const CliRun run = f.cli(c.args);
        QVERIFY2(run.exitedWith(c.code), qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(c.words), qPrintable(run.describe()));
    }
    // Nothing was written: no operation, no database touched.
    QCOMPARE(TestSupport::folderSnapshot(f.folder()).value(QStringLiteral("catalog.db")), catalogBefore);
    QCOMPARE(f.folderState(Prod), prod);
    QCOMPARE(f.folderState(QStringLiteral("contoso-dev")), dev);
    QCOMPARE(f.folderState(QStringLiteral("contoso-uat2")), uat2);

    // A restore point that expired meanwhile is refused with its date.
    const CliOutcome expired = f.cliWith(restoreArgs(Uat, uatPoint), skewed(8 * Day));
    QVERIFY2(expired.exitedWith(3), qPrintable(expired.describe()));
    QVERIFY2(expired.errText().contains(QStringLiteral("expired on")), qPrintable(expired.describe()));

    // A restore point whose copy vanished behind the catalog's back fails the restore
    // before the swap: the target is untouched.
    const auto uat = f.folderState(Uat);
    const QString copy = points(f, Uat).first().value(QStringLiteral("databases")).toArray().at(0).toObject().value(
        QStringLiteral("location")).toString();
    QVERIFY(QFile::remove(copy));
    const CliRun gone = f.cli(restoreArgs(Uat, uatPoint));
    QVERIFY2(gone.exitedWith(1) || gone.exitedWith(3), qPrintable(gone.describe()));
    QCOMPARE(f.folderState(Uat), uat);
}

void TestRestorePoints::expiredOnesGoAtTheNextCleanup()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const qint64 manual = createPoint(f, Uat, &why);
    QVERIFY2(manual > 0, qPrintable(why));
    const qint64 prodPoint = createPoint(f, Prod, &why);
    QVERIFY2(prodPoint > 0, qPrintable(why));
    // A refresh not signed off: its restore point is needed for a rollback, whatever its age.
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");
    QCOMPARE(points(f, Uat).size(), 2);

    const CliOutcome early = f.cliWith({QStringLiteral("cleanup"), QStringLiteral("--json")}, skewed(6 * Day));
    QVERIFY2(early.exitedWith(0), qPrintable(early.describe()));
    QCOMPARE(points(f).size(), 3);

    const CliOutcome late = f.cliWith({QStringLiteral("cleanup"), QStringLiteral("--json")}, skewed(8 * Day));
    QVERIFY2(late.exitedWith(0), qPrintable(late.describe()));
    QCOMPARE(late.json().object().value(QStringLiteral("restorePoints")).toArray(), QJsonArray{manual});
    const QList<QJsonObject> left = points(f);
    QCOMPARE(left.size(), 2); // production's (28 days) and the refresh's (not signed off)
    QVERIFY(!QDir(f.folder() + QStringLiteral("/restore-points/") + Uat).exists());

    // Signed off, the refresh's goes too once expired; production's after four weeks.
    QVERIFY2(f.cli({QStringLiteral("signoff"), QStringLiteral("1")}).exitedWith(0), "signoff");
    QVERIFY2(f.cliWith({QStringLiteral("cleanup")}, skewed(8 * Day)).exitedWith(0), "cleanup");
    QCOMPARE(points(f).size(), 1);
    QCOMPARE(f.leftovers(Uat), QStringList());
    QVERIFY2(f.cliWith({QStringLiteral("cleanup")}, skewed(29 * Day)).exitedWith(0), "cleanup");
    QVERIFY(points(f).isEmpty());

    // A project keeps them as long as it says.
    const CliRun set = f.cli({QStringLiteral("project"), QStringLiteral("retention"), QStringLiteral("contoso"),
                              QStringLiteral("--other"), QStringLiteral("2")});
    QVERIFY2(set.exitedWith(0), qPrintable(set.describe()));
    const qint64 shortLived = createPoint(f, Uat, &why);
    QVERIFY2(shortLived > 0, qPrintable(why));
    const QJsonObject p = points(f, Uat).first();
    QCOMPARE(QDateTime::fromString(p.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs)
                 .daysTo(QDateTime::fromString(p.value(QStringLiteral("expires")).toString(), Qt::ISODateWithMs)),
             2);
    const CliRun bad = f.cli({QStringLiteral("project"), QStringLiteral("retention"), QStringLiteral("contoso"),
                              QStringLiteral("--other"), QStringLiteral("0")});
    QVERIFY2(bad.exitedWith(2), qPrintable(bad.describe()));
}

void TestRestorePoints::killedWhileCreating()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    const auto before = f.folderState(Uat);
    for (const char* point : {"restorepoint-recorded", "restorepoint-copy-mid"}) {
        const CliOutcome killed = f.cliWith(
            {QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"), Uat},
            {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QString::fromUtf8(point)},
             {QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16")}});
        QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
        // Listed as being created, never offered for a restore.
        const QList<QJsonObject> listed = points(f, Uat);
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().value(QStringLiteral("state")).toString(), QStringLiteral("Creating"));
        const CliRun refused = f.cli(restoreArgs(Uat, listed.first().value(QStringLiteral("id")).toInteger()));
        QVERIFY2(refused.exitedWith(3), qPrintable(refused.describe()));
        QVERIFY2(refused.errText().contains(QStringLiteral("still being created")), qPrintable(refused.describe()));

        const CliRun cleanup = f.cli({QStringLiteral("cleanup")});
        QVERIFY2(cleanup.exitedWith(0), qPrintable(cleanup.describe()));
        QVERIFY(points(f, Uat).isEmpty());
        QVERIFY2(!QDir(f.folder() + QStringLiteral("/restore-points/") + Uat).exists(), point);
    }
    QCOMPARE(f.folderState(Uat), before);
}

void TestRestorePoints::fullDiskWhileCreating()
{
    RefreshFixture f;
    QVERIFY2(f.create(8), qPrintable(f.error()));
    // The catalog's restore point folder on a disk too small for the copy.
    const QString folder = f.folder() + QStringLiteral("/restore-points");
    QVERIFY(QDir().mkpath(folder));
    TmpfsMount disk;
    QString why;
    QVERIFY2(disk.mount(folder, 2 * 1024 * 1024, &why), qPrintable(why));
    const CliRun run = f.cli({QStringLiteral("restorepoint"), QStringLiteral("create"), QStringLiteral("--env"), Prod});
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("cannot copy contoso-prod's transactional database")),
             qPrintable(run.describe()));
    // Nothing half-written is left, on the disk or in the catalog.
    QVERIFY(points(f).isEmpty());
    QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    QVERIFY(disk.freeBytes() > 2 * 1024 * 1024 - 64 * 1024);
}

void TestRestorePoints::killedWhileRestoringIsResumed()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    QString why;
    const qint64 point = createPoint(f, Uat, &why);
    QVERIFY2(point > 0, qPrintable(why));
    const auto atThePoint = SqliteInspect::digests(f.db(Uat));
    QVERIFY2(deleteHalfOfTheCustomers(f, Uat, &why), qPrintable(why));
    const auto mistaken = SqliteInspect::digests(f.db(Uat));
    const CliOutcome killed = f.cliWith(restoreArgs(Uat, point),
                                        {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("copy-mid")},
                                         {QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16")}});
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    // The next command finds it interrupted; the target is as it was.
    QCOMPARE(state(f, 1), QStringLiteral("Failed"));
    QCOMPARE(SqliteInspect::digests(f.db(Uat)), mistaken);
    // While it reads the restore point, the restore point cannot be deleted.
    const CliRun refused = f.cli({QStringLiteral("restorepoint"), QStringLiteral("delete"), QString::number(point)});
    QVERIFY2(refused.exitedWith(5), qPrintable(refused.describe()));
    QVERIFY2(refused.errText().contains(QStringLiteral("restores contoso-uat from restore point")),
             qPrintable(refused.describe()));

    const CliRun resume = f.cli({QStringLiteral("resume"), QStringLiteral("1")});
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Uat)), atThePoint);
}

QTEST_GUILESS_MAIN(TestRestorePoints)
#include "tst_restorepoints.moc"
