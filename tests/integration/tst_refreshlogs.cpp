// What a refresh tells scripts and people, through the real `dataalm` binary on the
// demo: `logs ID --out FILE.zip` writes a zip of runbook.log (every step, per-rule row
// counts, later rollbacks) and operation.json; `refresh --json` prints the contract's
// operation object on stdout, and only it, whatever the outcome: completed, failed,
// blocked by the preflight, or refused before an operation exists.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "ZipEntries.h"

#include "refresh/RefreshRunbook.h"

#include <QDateTime>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <sys/stat.h>


#include <csignal>

class TestRefreshLogs : public QObject
{
    Q_OBJECT

private slots:
    void logsArchive();
    void logsBadArguments();
    void jsonCompleted();
    void jsonFailed();
    void jsonBlocked();
    void jsonRefusedBeforeStart();
};

namespace {

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

// The CLI contract's operation object: these fields, of these types.
void checkContract(const QJsonObject& o, const QString& state, int steps)
{
    for (const char* key : {"id", "kind", "source", "target", "state", "started", "finished", "error", "steps"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("refresh"));
    QCOMPARE(o.value(QStringLiteral("source")).toString(), Prod);
    QCOMPARE(o.value(QStringLiteral("target")).toString(), Uat);
    if (state.isEmpty())
        QVERIFY(o.value(QStringLiteral("state")).isNull());
    else
        QCOMPARE(o.value(QStringLiteral("state")).toString(), state);
    QVERIFY(o.value(QStringLiteral("error")).isNull() || o.value(QStringLiteral("error")).isString());
    const QJsonArray stepArray = o.value(QStringLiteral("steps")).toArray();
    QCOMPARE(stepArray.size(), steps);
    for (const QJsonValue& v : stepArray) {
        const QJsonObject s = v.toObject();
        for (const char* key : {"name", "state", "started", "finished", "detail"})
            QVERIFY2(s.contains(QLatin1String(key)), key);
        QVERIFY(s.value(QStringLiteral("name")).isString());
        QVERIFY(s.value(QStringLiteral("detail")).isString());
    }
    if (state.isEmpty())
        return;
    QVERIFY(o.value(QStringLiteral("id")).isDouble());
    const QDateTime started = QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
    const QDateTime finished = QDateTime::fromString(o.value(QStringLiteral("finished")).toString(), Qt::ISODateWithMs);
    QVERIFY2(started.isValid(), qPrintable(o.value(QStringLiteral("started")).toString()));
    QVERIFY2(finished.isValid(), qPrintable(o.value(QStringLiteral("finished")).toString()));
    QVERIFY(started <= finished);
}

QStringList stepStates(const QJsonObject& o)
{
    QStringList states;
    for (const QJsonValue& v : o.value(QStringLiteral("steps")).toArray())
        states << v.toObject().value(QStringLiteral("state")).toString();
    return states;
}

qint64 sourceCount(const RefreshFixture& f, const QString& sql)
{
    return SqliteInspect::value(f.db(Prod), sql).toLongLong();
}

} // namespace

void TestRefreshLogs::logsArchive()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const qint64 emails =
        sourceCount(f, QStringLiteral("SELECT count(*) FROM LOGISTICSELECTRONICADDRESS WHERE TYPE = 2"));
    const qint64 history = sourceCount(f, QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY"));
    QVERIFY(emails > 0 && history > 0);
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");
    QVERIFY2(f.cli({QStringLiteral("rollback"), QStringLiteral("1")}).exitedWith(0), "rollback");

    const QString zip = QDir(f.folder()).filePath(QStringLiteral("operation 1 logs.zip"));
    const CliRun run = f.cli({QStringLiteral("logs"), QStringLiteral("1"), QStringLiteral("--out"), zip});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(zip), qPrintable(run.outText()));

    QString error;
    const QMap<QString, QByteArray> entries = zipEntries(zip, &error);
    QVERIFY2(!entries.isEmpty(), qPrintable(error));
    QCOMPARE(entries.keys(),
             (QStringList{QStringLiteral("operation-1/evidence.json"), QStringLiteral("operation-1/evidence.txt"),
                          QStringLiteral("operation-1/masking.html"), QStringLiteral("operation-1/masking.json"),
                          QStringLiteral("operation-1/operation.json"), QStringLiteral("operation-1/policy.json"),
                          QStringLiteral("operation-1/runbook.log")}));
    // The data policy the refresh applied, byte for byte (here the built-in default).
    QFile defaultPolicy(QStringLiteral(DATAALM_SOURCE_DIR "/resources/policy/default-policy.json"));
    QVERIFY(defaultPolicy.open(QIODevice::ReadOnly));
    QCOMPARE(entries.value(QStringLiteral("operation-1/policy.json")), defaultPolicy.readAll());

    const QString log = QString::fromUtf8(entries.value(QStringLiteral("operation-1/runbook.log")));
    const QStringList names = RefreshRunbook::stepNames();
    for (int i = 0; i < names.size(); ++i) {
        const QString step = QStringLiteral("Step %1/10 %2").arg(i + 1).arg(names.at(i));
        QVERIFY2(log.contains(step + QStringLiteral(": started")), qPrintable(step));
        QVERIFY2(log.contains(step + QStringLiteral(": Completed")), qPrintable(step));
    }
    // Each rule with the rows it changed, as counted in the source.
    QVERIFY2(log.contains(QStringLiteral("emails: LOGISTICSELECTRONICADDRESS: %1 rows updated").arg(emails)),
             qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("batch-history: BATCHJOBHISTORY: %1 rows deleted").arg(history)),
             qPrintable(log));
    QVERIFY(log.contains(QLatin1String("admin: USERINFO: 1 row updated")));
    QVERIFY(log.contains(QLatin1String("server-config: SYSSERVERCONFIG: ")));
    // The later rollback is in the same log.
    QVERIFY(log.contains(QLatin1String("Rolling back operation 1")));
    QVERIFY(log.contains(QLatin1String("Rolled back in")));

    const QJsonObject op =
        QJsonDocument::fromJson(entries.value(QStringLiteral("operation-1/operation.json"))).object();
    QCOMPARE(op.value(QStringLiteral("id")).toInt(), 1);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("RollbackCompleted"));
    QCOMPARE(op.value(QStringLiteral("steps")).toArray().size(), 10);

    // The evidence pack: who asked, the policy's digest (of the very file beside it), each rule's rows, the
    // steps' results and the audit.
    const QJsonObject evidence =
        QJsonDocument::fromJson(entries.value(QStringLiteral("operation-1/evidence.json"))).object();
    QCOMPARE(evidence.value(QStringLiteral("request")).toObject().value(QStringLiteral("by")).toString(),
             op.value(QStringLiteral("who")).toString());
    QCOMPARE(evidence.value(QStringLiteral("approval")).toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("not required"));
    QCOMPARE(evidence.value(QStringLiteral("policy")).toObject().value(QStringLiteral("sha256")).toString(),
             QString::fromLatin1(QCryptographicHash::hash(entries.value(QStringLiteral("operation-1/policy.json")),
                                                          QCryptographicHash::Sha256)
                                     .toHex()));
    qint64 emailRows = -1;
    for (const QJsonValue& r : evidence.value(QStringLiteral("rules")).toArray()) {
        if (r.toObject().value(QStringLiteral("id")).toString() != QLatin1String("emails"))
            continue;
        for (const QJsonValue& t : r.toObject().value(QStringLiteral("tables")).toArray())
            if (t.toObject().value(QStringLiteral("table")).toString() == QLatin1String("LOGISTICSELECTRONICADDRESS"))
                emailRows = t.toObject().value(QStringLiteral("updated")).toInteger();
    }
    QCOMPARE(emailRows, emails);
    QCOMPARE(evidence.value(QStringLiteral("steps")).toArray().size(), 10);
    QStringList actions;
    for (const QJsonValue& a : evidence.value(QStringLiteral("audit")).toArray())
        actions << a.toObject().value(QStringLiteral("action")).toString();
    QVERIFY2(actions.contains(QStringLiteral("operation.create")) && actions.contains(QStringLiteral("operation.state")),
             qPrintable(actions.join(QLatin1Char(' '))));
    const QString text = QString::fromUtf8(entries.value(QStringLiteral("operation-1/evidence.txt")));
    QVERIFY2(text.contains(QStringLiteral("LOGISTICSELECTRONICADDRESS: 0 deleted, 0 inserted, %1 updated").arg(emails)),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Approval: not required (a one-person catalog has no approvals)")),
             qPrintable(text));
    // The masking report: the emails the default policy blanks, their rows, the leak scan's verdict.
    const QJsonObject masking =
        QJsonDocument::fromJson(entries.value(QStringLiteral("operation-1/masking.json"))).object();
    bool locator = false;
    for (const QJsonValue& c : masking.value(QStringLiteral("columns")).toArray()) {
        const QJsonObject o = c.toObject();
        if (o.value(QStringLiteral("column")).toString() != QLatin1String("LOCATOR"))
            continue;
        locator = true;
        QCOMPARE(o.value(QStringLiteral("rule")).toString(), QStringLiteral("emails"));
        QCOMPARE(o.value(QStringLiteral("rows")).toInteger(), emails);
        QVERIFY2(o.value(QStringLiteral("leakScan")).toString().endsWith(QLatin1String("sampled values found nowhere")),
                 qPrintable(o.value(QStringLiteral("leakScan")).toString()));
    }
    QVERIFY(locator);
    QVERIFY(!masking.value(QStringLiteral("leakScan")).toObject().value(QStringLiteral("leaked")).toBool());
    QVERIFY(masking.value(QStringLiteral("coverage")).toObject().value(QStringLiteral("covered")).toInt() > 0);
    QVERIFY(entries.value(QStringLiteral("operation-1/masking.html")).contains("<h1>Masking report</h1>"));
}

void TestRefreshLogs::logsBadArguments()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QVERIFY2(f.cli(RefreshFixture::refreshArgs()).exitedWith(0), "refresh");
    const QString missingFolder = QDir(f.folder()).filePath(QStringLiteral("no such folder/logs.zip"));
    struct Case
    {
        QStringList args;
        int exit;
    };
    const QList<Case> cases = {
        {{QStringLiteral("logs"), QStringLiteral("1")}, 2},
        {{QStringLiteral("logs"), QStringLiteral("9"), QStringLiteral("--out"),
          QDir(f.folder()).filePath(QStringLiteral("x.zip"))},
         4},
        {{QStringLiteral("logs"), QStringLiteral("1"), QStringLiteral("--out"), missingFolder}, 1},
    };
    for (const Case& c : cases) {
        const CliRun run = f.cli(c.args);
        QVERIFY2(run.exitedWith(c.exit), qPrintable(run.describe()));
    }
    QVERIFY(!QFile::exists(QDir(f.folder()).filePath(QStringLiteral("x.zip"))));
    QVERIFY(!QFile::exists(missingFolder));

    // Only a new or regular file is written: a FIFO, a symbolic link and a folder at the
    // path are refused and left as they are (before, the rename replaced them).
    const QString fifo = QDir(f.folder()).filePath(QStringLiteral("pipe.zip"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    const QString elsewhere = QDir(f.folder()).filePath(QStringLiteral("elsewhere.txt"));
    QFile file(elsewhere);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("keep me") == 7);
    file.close();
    const QString link = QDir(f.folder()).filePath(QStringLiteral("link.zip"));
    QVERIFY(QFile::link(elsewhere, link));
    const QString folder = QDir(f.folder()).filePath(QStringLiteral("folder.zip"));
    QVERIFY(QDir().mkpath(folder));
    for (const auto& [path, what] : {std::pair{fifo, QStringLiteral("a FIFO")}, std::pair{link, QStringLiteral("a symbolic link")},
                                     std::pair{folder, QStringLiteral("a folder")}}) {
        const CliRun run = f.cli({QStringLiteral("logs"), QStringLiteral("1"), QStringLiteral("--out"), path});
        QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(what) && run.errText().contains(QStringLiteral("Nothing was written")),
                 qPrintable(run.errText()));
    }
    struct stat st;
    QVERIFY(::lstat(QFile::encodeName(fifo).constData(), &st) == 0 && S_ISFIFO(st.st_mode));
    QVERIFY(::lstat(QFile::encodeName(link).constData(), &st) == 0 && S_ISLNK(st.st_mode));
    QVERIFY(QFileInfo(folder).isDir());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("keep me"));
    // A regular file is replaced, whole.
    const QString regular = QDir(f.folder()).filePath(QStringLiteral("old.zip"));
    QFile old(regular);
    QVERIFY(old.open(QIODevice::WriteOnly) && old.write("old") == 3);
    old.close();
    QVERIFY(f.cli({QStringLiteral("logs"), QStringLiteral("1"), QStringLiteral("--out"), regular}).exitedWith(0));
    QVERIFY(QFileInfo(regular).size() > 100);
}

void TestRefreshLogs::jsonCompleted()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const CliRun run = f.cli(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QString error;
    const QJsonDocument doc = run.json(&error);
    QVERIFY2(doc.isObject(), qPrintable(error + QStringLiteral(": ") + run.outText()));
    checkContract(doc.object(), QStringLiteral("Completed"), 10);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(doc.object().value(QStringLiteral("error")).toString().isEmpty());
    QCOMPARE(stepStates(doc.object()), QStringList(10, QStringLiteral("Completed")));
    QCOMPARE(doc.object().value(QStringLiteral("steps")).toArray().first().toObject().value(QStringLiteral("name")),
             QJsonValue(QStringLiteral("Validate")));
    // Progress went to stderr, not into the JSON.
    QVERIFY(run.errText().contains(QLatin1String("[3/10] Copy transactional database")));
}

void TestRefreshLogs::jsonFailed()
{
    // A policy that breaks a constraint in the staging database: step 5 fails.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.fileHashes(Uat);
    const QString policy = QDir(f.folder()).filePath(QStringLiteral("null-ids.json"));
    {
        QFile file(policy);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Every user the same id: USERINFO.ID is UNIQUE, which only running the rule finds.
        file.write(R"({ "rules": [ { "id": "null-ids", "title": "One id for all users", "reason": "security",
                       "table": "USERINFO", "action": "set", "values": { "ID": "same" } } ] })");
    }
    const CliRun run =
        f.cli(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--json"), QStringLiteral("--policy"), policy}));
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    const QJsonObject o = run.json().object();
    checkContract(o, QStringLiteral("Failed"), 10);
    if (QTest::currentTestFailed())
        return;
    const QString opError = o.value(QStringLiteral("error")).toString();
    QVERIFY2(opError.startsWith(QLatin1String("Apply data policy: ")), qPrintable(opError));
    QVERIFY2(opError.contains(QLatin1String("null-ids")), qPrintable(opError));
    QVERIFY2(opError.contains(QLatin1String("UNIQUE")), qPrintable(opError));
    QCOMPARE(stepStates(o).mid(3, 3),
             (QStringList{QStringLiteral("Completed"), QStringLiteral("Failed"), QStringLiteral("NotStarted")}));
    QCOMPARE(f.fileHashes(Uat), before);
}

void TestRefreshLogs::jsonBlocked()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const CliRun run =
        f.cli(RefreshFixture::refreshArgs(Prod, QStringLiteral("contoso-uat2"), {QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QJsonObject o = run.json().object();
    QCOMPARE(o.value(QStringLiteral("target")).toString(), QStringLiteral("contoso-uat2"));
    o.insert(QStringLiteral("target"), Uat); // checkContract's target
    checkContract(o, QStringLiteral("Aborted"), 10);
    QVERIFY2(o.value(QStringLiteral("error")).toString().contains(QLatin1String("application release 10.0.39")),
             qPrintable(o.value(QStringLiteral("error")).toString()));
    QCOMPARE(stepStates(o).first(), QStringLiteral("Failed"));
}

void TestRefreshLogs::jsonRefusedBeforeStart()
{
    // The target has an unfinished (interrupted) refresh: the next one is refused at once.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const CliOutcome crashed =
        f.cliWith(RefreshFixture::refreshArgs(), {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-3")}});
    QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    const CliRun run = f.cli(RefreshFixture::refreshArgs(Prod, Uat, {QStringLiteral("--json")}));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QString error;
    const QJsonDocument doc = run.json(&error);
    QVERIFY2(doc.isObject(), qPrintable(error));
    const QJsonObject o = doc.object();
    checkContract(o, QString(), 0);
    QVERIFY(o.value(QStringLiteral("id")).isNull());
    QVERIFY2(o.value(QStringLiteral("error")).toString().contains(QLatin1String("has an unfinished operation 1")),
             qPrintable(o.value(QStringLiteral("error")).toString()));
}

QTEST_GUILESS_MAIN(TestRefreshLogs)
#include "tst_refreshlogs.moc"
