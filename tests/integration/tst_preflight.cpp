// The refresh preflight through the real `dataalm` binary on the demo project: one
// data row per check id, each set up so that exactly that check (plus those the demo
// makes fail along with it) blocks. For each: `dataalm preflight` exits 3 and prints
// the check's message, `dataalm refresh --yes` exits 3 with it, and nothing changed:
// not the target's files, not the source's, and the preflight creates no operation.
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "TmpfsMount.h"

#include "catalog/Catalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

#include <csignal>

using namespace TestSupport;

class TestPreflight : public QObject
{
    Q_OBJECT

private slots:
    void blocked_data();
    void blocked();
    void passesWithSourceWarning();
    void stoppedJobsMessagesWarnEnabledJobsMessagesBlock();
    void restorePointsKeptAreNamedWithTheirSize();
};

namespace {

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

bool setVersions(const QString& folder, const QString& env, const std::function<void(EnvironmentVersions&)>& change,
                 QString* error)
{
    Catalog catalog;
    if (!catalog.open(folder, error))
        return false;
    auto e = catalog.environment(env);
    if (!e) {
        *error = QStringLiteral("no %1").arg(env);
        return false;
    }
    EnvironmentVersions v = e->versions;
    change(v);
    return catalog.setEnvironmentVersions(env, v, error);
}

QString writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        return QStringLiteral("cannot write %1").arg(path);
    return {};
}

void removeDatabase(const QString& path)
{
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
}

} // namespace

void TestPreflight::blocked_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("check");
    QTest::addColumn<QString>("message");
    // Checks the demo makes fail along with the one of the row.
    QTest::addColumn<QStringList>("alsoFailing");

    const auto row = [](const char* name, const char* setup, const char* source, const char* target, const char* check,
                        const char* message, std::initializer_list<const char*> also = {}) {
        QStringList alsoFailing;
        for (const char* a : also)
            alsoFailing << QString::fromUtf8(a);
        QTest::newRow(name) << QString::fromUtf8(setup) << QString::fromUtf8(source) << QString::fromUtf8(target)
                            << QString::fromUtf8(check) << QString::fromUtf8(message) << alsoFailing;
    };
    row("distinct-environments", "", "contoso-uat", "contoso-uat", "distinct-environments",
        "The source and the target are both contoso-uat");
    row("target-is-sandbox: dev/test", "", "contoso-prod", "contoso-dev", "target-is-sandbox",
        "contoso-dev is a dev/test environment; only sandboxes can be refreshed");
    row("target-is-sandbox: production", "", "contoso-uat", "contoso-prod", "target-is-sandbox",
        "contoso-prod is a production environment; only sandboxes can be refreshed",
        {"financial-reporting-version", "dmf-recurring-jobs"});
    row("same-tenant", "", "contoso-prod", "fabrikam-uat", "same-tenant",
        "fabrikam-uat belongs to tenant fabrikam.onmicrosoft.com and the source contoso-prod to "
        "contoso.onmicrosoft.com");
    row("application-release", "", "contoso-prod", "contoso-uat2", "application-release",
        "contoso-uat2 runs application release 10.0.39; the source runs 10.0.40", {"financial-reporting-version"});
    row("financial-reporting-version", "fr-older", "contoso-prod", "contoso-uat", "financial-reporting-version",
        "contoso-uat runs Financial Reporting 7.0.10040.2, older than the source's 7.0.10040.3");
    row("platform-update", "platform-20", "contoso-prod", "contoso-uat", "platform-update",
        "contoso-uat runs platform update 20; refreshes need platform update 21 or later");
    row("dmf-recurring-jobs", "dmf-enabled", "contoso-prod", "contoso-uat", "dmf-recurring-jobs",
        "contoso-uat has 1 enabled recurring data jobs and 0 unprocessed messages");
    // A check that cannot read what it checks blocks with the reason (it fails closed).
    row("dmf-recurring-jobs: unreadable", "dmf-unreadable", "contoso-prod", "contoso-uat", "dmf-recurring-jobs",
        "The recurring data jobs of contoso-uat could not be read: table DMFRECURRINGJOB has no column "
        "PENDINGMESSAGES");
    row("commerce-defaults: unreadable", "channel-unreadable", "contoso-prod", "contoso-uat", "commerce-defaults",
        "The channel records of contoso-uat could not be read: table RETAILCDXDATAGROUP has no column NAME");
    row("commerce-defaults", "channel-renamed", "contoso-prod", "contoso-uat", "commerce-defaults",
        "contoso-uat has no channel database named Default");
    row("target-idle", "unfinished-operation", "contoso-prod", "contoso-uat", "target-idle",
        "contoso-uat has an unfinished operation 1 (Refresh database, failed); resume, roll back or abort it first.");
    // What cannot be checked without the broken database fails too; what can, is checked.
    row("connectivity: missing file", "missing-file", "contoso-prod", "contoso-uat", "connectivity",
        "Cannot open the financial-reporting database of contoso-uat", {"capacity", "distinct-databases"});
    row("connectivity: corrupt file", "corrupt-file", "contoso-prod", "contoso-uat", "connectivity",
        "Cannot open the transactional database of contoso-uat",
        {"capacity", "distinct-databases", "dmf-recurring-jobs", "commerce-defaults"});
    row("connectivity: missing source file", "missing-source-file", "contoso-prod", "contoso-uat", "connectivity",
        "Cannot open the transactional database of contoso-prod",
        {"capacity", "distinct-databases", "dmf-recurring-jobs", "data-policy", "policy-coverage"});
    row("capacity", "small-disk", "contoso-prod", "contoso-uat", "capacity", "contoso-uat has");
    row("data-policy", "misfit-policy", "contoso-prod", "contoso-uat", "data-policy",
        "The data policy does not fit contoso-prod: rule \"ghost-column\"");
}

void TestPreflight::blocked()
{
    QFETCH(QString, setup);
    QFETCH(QString, source);
    QFETCH(QString, target);
    QFETCH(QString, check);
    QFETCH(QString, message);
    QFETCH(QStringList, alsoFailing);

    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString error;
    QStringList extra; // more arguments of preflight and refresh
    TmpfsMount mount;
    const QString targetDb = f.db(target);
    if (setup == QLatin1String("fr-older")) {
        QVERIFY2(setVersions(
                     f.folder(), target,
                     [](EnvironmentVersions& v) { v.financialReporting = QStringLiteral("7.0.10040.2"); }, &error),
                 qPrintable(error));
    } else if (setup == QLatin1String("platform-20")) {
        QVERIFY2(setVersions(
                     f.folder(), target, [](EnvironmentVersions& v) { v.platform = 20; }, &error),
                 qPrintable(error));
    } else if (setup == QLatin1String("dmf-enabled")) {
        QVERIFY2(
            execSqlite(targetDb, {QStringLiteral("UPDATE DMFRECURRINGJOB SET ENABLED = 1 WHERE RECID = 1")}, &error),
            qPrintable(error));
    } else if (setup == QLatin1String("dmf-unreadable")) {
        QVERIFY2(execSqlite(targetDb,
                            {QStringLiteral("ALTER TABLE DMFRECURRINGJOB RENAME COLUMN PENDINGMESSAGES TO PENDING")},
                            &error),
                 qPrintable(error));
    } else if (setup == QLatin1String("channel-unreadable")) {
        QVERIFY2(execSqlite(targetDb, {QStringLiteral("ALTER TABLE RETAILCDXDATAGROUP RENAME COLUMN NAME TO LABEL")},
                            &error),
                 qPrintable(error));
    } else if (setup == QLatin1String("channel-renamed")) {
        QVERIFY2(execSqlite(targetDb,
                            {QStringLiteral("UPDATE RETAILCONNDATABASEPROFILE SET NAME = 'Default (old)' "
                                            "WHERE NAME = 'Default'")},
                            &error),
                 qPrintable(error));
    } else if (setup == QLatin1String("unfinished-operation")) {
        const CliOutcome crashed = f.cliWith(RefreshFixture::refreshArgs(source, target),
                                             {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-5")}});
        QVERIFY2(crashed.killedBy(SIGKILL), qPrintable(crashed.describe()));
    } else if (setup == QLatin1String("missing-file")) {
        removeDatabase(f.db(target, RefreshFixture::FinancialReporting));
    } else if (setup == QLatin1String("missing-source-file")) {
        removeDatabase(f.db(source));
    } else if (setup == QLatin1String("corrupt-file")) {
        removeDatabase(targetDb);
        const QString e = writeFile(targetDb, QByteArray(64 * 1024, 'x'));
        QVERIFY2(e.isEmpty(), qPrintable(e));
    } else if (setup == QLatin1String("small-disk")) {
        if (!mount.mount(f.environmentFolder(target), 2 * 1024 * 1024, &error))
            QFAIL(qPrintable(QStringLiteral("cannot mount a tmpfs (this test needs root, as CI has): %1").arg(error)));
    } else if (setup == QLatin1String("misfit-policy")) {
        const QString policy = QDir(f.folder()).filePath(QStringLiteral("misfit-policy.json"));
        const QString e = writeFile(policy, R"({ "rules": [
            { "id": "users", "title": "Users", "reason": "security", "table": "USERINFO", "action": "set",
              "values": { "ENABLE": 0 } },
            { "id": "ghost-column", "title": "A column that is not there", "reason": "security",
              "table": "USERINFO", "action": "blank", "columns": ["NO_SUCH_COLUMN"] } ] })");
        QVERIFY2(e.isEmpty(), qPrintable(e));
        extra << QStringLiteral("--policy") << policy;
    }

    const auto sourceBefore = f.folderState(source);
    const auto targetBefore = f.folderState(target);
    const int operationsBefore = int(f.operations().size());

    // dataalm preflight: exit 3, the check's verdict and message in the text output...
    const CliRun text = f.cli(QStringList{QStringLiteral("preflight"), QStringLiteral("--source"), source,
                                          QStringLiteral("--target"), target} +
                              extra);
    QVERIFY2(text.exitedWith(3), qPrintable(text.describe()));
    QVERIFY2(text.outText().contains(QStringLiteral("[fail] %1: %2").arg(check, message)), qPrintable(text.outText()));
    QVERIFY2(text.outText().startsWith(QStringLiteral("Refresh %1 from %2: BLOCKED").arg(target, source)),
             qPrintable(text.outText()));

    // ... and in the JSON: exactly the expected checks fail.
    const CliRun json = f.cli(QStringList{QStringLiteral("preflight"), QStringLiteral("--source"), source,
                                          QStringLiteral("--target"), target, QStringLiteral("--json")} +
                              extra);
    QVERIFY2(json.exitedWith(3), qPrintable(json.describe()));
    const QJsonObject result = json.json().object();
    QCOMPARE(result.value(QStringLiteral("blocked")).toBool(), true);
    QStringList failing;
    QStringList ids;
    for (const QJsonValue& v : result.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject c = v.toObject();
        ids << c.value(QStringLiteral("id")).toString();
        if (c.value(QStringLiteral("verdict")).toString() == QLatin1String("fail"))
            failing << c.value(QStringLiteral("id")).toString();
    }
    QVERIFY2(ids.contains(check), qPrintable(ids.join(QLatin1Char(' '))));
    QStringList expectedFailing = alsoFailing << check;
    expectedFailing.sort();
    failing.sort();
    QVERIFY2(failing == expectedFailing, qPrintable(failing.join(QLatin1Char(' '))));

    // dataalm refresh --yes: blocked the same way, exit 3, the message on stderr.
    const CliRun refresh = f.cli(RefreshFixture::refreshArgs(source, target, extra));
    QVERIFY2(refresh.exitedWith(3), qPrintable(refresh.describe()));
    // Refused before an operation is created (OperationRules::canStart): a busy or
    // non-sandbox target. The other checks block the refresh at Validate.
    const bool refusedBeforeStart =
        check == QLatin1String("target-idle") || check == QLatin1String("target-is-sandbox");
    const QString reason = check == QLatin1String("target-idle")
                               ? QStringLiteral("contoso-uat has an unfinished operation 1")
                               : message;
    QVERIFY2(refresh.errText().contains(reason), qPrintable(refresh.errText()));

    // Nothing changed, on either side.
    QCOMPARE(f.folderState(target), targetBefore);
    QCOMPARE(f.folderState(source), sourceBefore);
    if (!refusedBeforeStart) {
        QCOMPARE(f.leftovers(target), QStringList());
        // The refresh recorded its blocked attempt; the two preflights recorded nothing.
        const QList<QJsonObject> ops = f.operations();
        QCOMPARE(ops.size(), operationsBefore + 1);
        QCOMPARE(ops.first().value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
        QVERIFY2(ops.first().value(QStringLiteral("error")).toString().contains(message),
                 qPrintable(ops.first().value(QStringLiteral("error")).toString()));
    } else {
        QCOMPARE(int(f.operations().size()), operationsBefore);
    }
}

void TestPreflight::passesWithSourceWarning()
{
    // The source's pending recurring-job messages only warn: the preflight passes.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QVERIFY(SqliteInspect::value(f.db(Prod), QStringLiteral("SELECT sum(PENDINGMESSAGES) FROM DMFRECURRINGJOB"))
                .toLongLong() > 0);
    const auto before = f.folderState(Uat);
    const CliRun run = f.cli({QStringLiteral("preflight"), QStringLiteral("--source"), Prod, QStringLiteral("--target"),
                              Uat, QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject result = run.json().object();
    QCOMPARE(result.value(QStringLiteral("blocked")).toBool(), false);
    QStringList ids;
    for (const QJsonValue& v : result.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject c = v.toObject();
        ids << c.value(QStringLiteral("id")).toString();
        const QString verdict = c.value(QStringLiteral("verdict")).toString();
        if (c.value(QStringLiteral("id")).toString() == QLatin1String("dmf-recurring-jobs")) {
            QCOMPARE(verdict, QStringLiteral("warn"));
            QVERIFY(c.value(QStringLiteral("message")).toString().contains(QLatin1String("unprocessed")));
        } else if (c.value(QStringLiteral("id")).toString() == QLatin1String("policy-coverage")) {
            // The default policy, like Lifecycle Services, copies the demo's customer data: named, not blocked.
            QCOMPARE(verdict, QStringLiteral("warn"));
            QVERIFY(c.value(QStringLiteral("message")).toString().contains(QLatin1String("CUSTTABLE.EMAIL")));
        } else {
            QVERIFY2(verdict == QLatin1String("pass"), qPrintable(c.value(QStringLiteral("id")).toString()));
        }
    }
    // Every check of docs/ARCHITECTURE.md ran.
    for (const char* id : {"distinct-environments", "target-is-sandbox", "same-tenant", "application-release",
                           "financial-reporting-version", "platform-update", "dmf-recurring-jobs", "commerce-defaults",
                           "target-idle", "connectivity", "distinct-databases", "capacity", "restore-points",
                           "data-policy", "policy-coverage"})
        QVERIFY2(ids.contains(QLatin1String(id)), id);
    // Each rule's count of source rows.
    const QJsonArray policy = result.value(QStringLiteral("policy")).toArray();
    QCOMPARE(policy.size(), 16);
    for (const QJsonValue& v : policy)
        QVERIFY2(v.toObject().value(QStringLiteral("rows")).toInteger(-1) >= 0,
                 qPrintable(v.toObject().value(QStringLiteral("rule")).toString()));
    QCOMPARE(f.folderState(Uat), before);
    QCOMPARE(f.operations().size(), 0);
}

void TestPreflight::stoppedJobsMessagesWarnEnabledJobsMessagesBlock()
{
    // After a refresh the target holds the source's messages in jobs the policy stopped:
    // they cannot be processed there and the next refresh replaces them, so they warn.
    // Messages that an enabled job still has to process block.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString error;
    QVERIFY2(
        execSqlite(f.db(Uat), {QStringLiteral("UPDATE DMFRECURRINGJOB SET ENABLED = 0, PENDINGMESSAGES = 7")}, &error),
        qPrintable(error));
    auto dmfCheck = [&](int* exitCode) {
        const CliRun run = f.cli({QStringLiteral("preflight"), QStringLiteral("--source"), Prod,
                                  QStringLiteral("--target"), Uat, QStringLiteral("--json")});
        *exitCode = run.exitCode;
        for (const QJsonValue& v : run.json().object().value(QStringLiteral("checks")).toArray()) {
            if (v.toObject().value(QStringLiteral("id")).toString() == QLatin1String("dmf-recurring-jobs"))
                return v.toObject();
        }
        return QJsonObject();
    };
    int code = -1;
    QJsonObject check = dmfCheck(&code);
    QCOMPARE(code, 0);
    QCOMPARE(check.value(QStringLiteral("verdict")).toString(), QStringLiteral("warn"));
    QVERIFY2(check.value(QStringLiteral("message")).toString().contains(QLatin1String("messages of stopped")),
             qPrintable(check.value(QStringLiteral("message")).toString()));

    QVERIFY2(execSqlite(f.db(Uat), {QStringLiteral("UPDATE DMFRECURRINGJOB SET ENABLED = 1 WHERE RECID = 1")}, &error),
             qPrintable(error));
    check = dmfCheck(&code);
    QCOMPARE(code, 3);
    QCOMPARE(check.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    QVERIFY2(check.value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String("1 enabled recurring data jobs and 7")),
             qPrintable(check.value(QStringLiteral("message")).toString()));
}

void TestPreflight::restorePointsKeptAreNamedWithTheirSize()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto checkOf = [&f](const QString& id) {
        const CliRun run = f.cli({QStringLiteral("preflight"), QStringLiteral("--source"), Prod,
                                  QStringLiteral("--target"), Uat, QStringLiteral("--json")});
        for (const QJsonValue& c : run.json().object().value(QStringLiteral("checks")).toArray()) {
            if (c.toObject().value(QStringLiteral("id")).toString() == id)
                return c.toObject();
        }
        return QJsonObject();
    };
    QJsonObject check = checkOf(QStringLiteral("restore-points"));
    QCOMPARE(check.value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    QVERIFY2(check.value(QStringLiteral("message")).toString().contains(QStringLiteral(" MB) until you sign it off")),
             qPrintable(check.value(QStringLiteral("message")).toString()));

    // A refresh not signed off keeps the sandbox's databases: the next one is warned, with both sizes.
    QVERIFY(f.cli(RefreshFixture::refreshArgs()).exitedWith(0));
    QVERIFY(f.processRecurringMessages(Uat, nullptr));
    qint64 kept = 0;
    for (const QString& role : {RefreshFixture::Transactional, RefreshFixture::FinancialReporting})
        kept += QFileInfo(f.db(Uat, role) + QStringLiteral(".restore-op1")).size();
    QVERIFY(kept > 0);
    const QString size = QLocale::c().formattedDataSize(kept, 1, QLocale::DataSizeTraditionalFormat);
    check = checkOf(QStringLiteral("restore-points"));
    QCOMPARE(check.value(QStringLiteral("verdict")).toString(), QStringLiteral("warn"));
    const QString message = check.value(QStringLiteral("message")).toString();
    QVERIFY2(message.startsWith(QStringLiteral("contoso-uat keeps the restore point of operation 1 (Refresh database, ")) &&
                 message.contains(QStringLiteral("), %1 until it is signed off or rolled back.").arg(size)) &&
                 message.contains(QStringLiteral("This refresh keeps another (about ")),
             qPrintable(message + QStringLiteral(" / expected size ") + size));

    // Signed off: nothing is kept any more.
    QVERIFY(f.cli({QStringLiteral("signoff"), QStringLiteral("1")}).exitedWith(0));
    QCOMPARE(checkOf(QStringLiteral("restore-points")).value(QStringLiteral("verdict")).toString(),
             QStringLiteral("pass"));
}

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
