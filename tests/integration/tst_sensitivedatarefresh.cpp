// Proof that nothing sensitive travels, end to end through the real `dataalm` on the
// demo's SQLite files (run in a D-Bus session with a GNOME Keyring of its own: a
// one-person catalog keeps the project's masking secret in the OS keychain):
// - maskedRefreshThenNewColumnFlagged: a project policy masks the customers' name, email,
//   phone and address, and their copies on orders; after the refresh the sandbox holds
//   pseudonyms (emails on example.com, as many distinct ones as the source had, none of
//   the source's; a delivery name equal to its customer's name still is), the same on a
//   second refresh. Then a customization adds CUSTTABLE.PERSONAL_EMAIL to production: the next
//   preflight's policy-coverage check warns, naming it with its evidence and as new since
//   the last refresh; with "coverage": "block" it blocks (exit 3).
// - leakCaughtBeforeTheSwap: production copies each customer's email into a NOTES column;
//   a policy that blanks EMAIL alone fails Verify, naming CUSTTABLE.NOTES, and the sandbox
//   is untouched.
#include "RefreshFixture.h"
#include "SqliteInspect.h"

#include "catalog/Catalog.h"
#include "catalog/ProjectSecrets.h"
#include "engine/SqliteConnection.h"
#include "policy/Masker.h"
#include "policy/DataPolicy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>

namespace SI = SqliteInspect;

class TestSensitiveDataRefresh : public QObject
{
    Q_OBJECT

private slots:
    void maskedRefreshThenNewColumnFlagged();
    void leakCaughtBeforeTheSwap();
    void killedAfterMaskingResumesFromAFreshCopy();
    void leakScanIgnoresCaseAndScope();
    void projectMaskAndReviewOnTheCli();
};

namespace {

// The customers' contact data, and where orders copy it (the leak scan finds those copies
// when only CUSTTABLE is masked).
const QByteArray MaskRules = R"({"id": "customers", "title": "Customer contact data", "reason": "security",
        "table": "CUSTTABLE", "action": "mask", "columns": {"NAME": "name", "EMAIL": "email", "PHONE": "phone",
        "ADDRESS": "text"}},
    {"id": "order-customers", "title": "Customers on orders", "reason": "security", "table": "SALESTABLE",
        "action": "mask", "columns": {"SALESNAME": "name", "DELIVERYADDRESS": "text"}},
    {"id": "line-customers", "title": "Customers on order lines", "reason": "security", "table": "SALESLINE",
        "action": "mask", "columns": {"DELIVERYNAME": "name", "DELIVERYADDRESS": "text"}})";

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

bool write(const QString& db, const QString& sql, QString* error)
{
    SqliteConnection c;
    return c.open(db, SqliteConnection::ReadWrite, error) && c.exec(sql, error);
}

// The default policy plus `rule` (one or more, comma-separated), as the project's policy; `block`: "coverage": "block".
bool setPolicy(const RefreshFixture& f, const QByteArray& rule, bool block, QString* error)
{
    QJsonObject root = DataPolicy::defaultPolicy()->toJson().object();
    QJsonArray rules = root.value(QStringLiteral("rules")).toArray();
    for (const QJsonValue& r : QJsonDocument::fromJson("[" + rule + "]").array())
        rules.append(r);
    root.insert(QStringLiteral("rules"), rules);
    if (block)
        root.insert(QStringLiteral("coverage"), QStringLiteral("block"));
    const QString path = f.folder() + QStringLiteral("/shop-policy.json");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0) {
        *error = file.errorString();
        return false;
    }
    file.close();
    const CliRun run = f.cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("contoso"), path});
    *error = run.describe();
    return run.exitedWith(0);
}

QJsonObject coverageCheck(const CliRun& run)
{
    const QJsonArray checks = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("checks")).toArray();
    for (const QJsonValue& c : checks) {
        if (c.toObject().value(QStringLiteral("id")).toString() == QLatin1String("policy-coverage"))
            return c.toObject();
    }
    return {};
}

QStringList preflightArgs()
{
    return {QStringLiteral("--json"), QStringLiteral("preflight"), QStringLiteral("--source"), Prod,
            QStringLiteral("--target"), Uat};
}

} // namespace

void TestSensitiveDataRefresh::maskedRefreshThenNewColumnFlagged()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString e;
    QVERIFY2(setPolicy(f, MaskRules, false, &e), qPrintable(e));
    // Where a line's delivery name is its customer's name, the pseudonyms match too.
    const QString sameName = QStringLiteral("SELECT l.RECID || ':' || c.RECID FROM SALESLINE l JOIN CUSTTABLE c ON "
                                            "c.NAME = l.DELIVERYNAME ORDER BY 1");
    const QStringList sameInSource = SI::column(f.db(Prod), sameName);
    QVERIFY(!sameInSource.isEmpty());
    const QStringList sourceEmails = SI::column(f.db(Prod), QStringLiteral("SELECT EMAIL FROM CUSTTABLE"));
    QVERIFY(sourceEmails.size() > 10);
    CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QStringList masked = SI::column(f.db(Uat), QStringLiteral("SELECT EMAIL FROM CUSTTABLE ORDER BY RECID"));
    QCOMPARE(masked.size(), sourceEmails.size());
    const QRegularExpression pseudonym(QStringLiteral("^[a-z]+\\.[a-z]+\\.[0-9a-f]{10}@example\\.com$"));
    for (const QString& m : masked)
        QVERIFY2(pseudonym.match(m).hasMatch(), qPrintable(m));
    QCOMPARE(QSet<QString>(masked.cbegin(), masked.cend()).size(),
             QSet<QString>(sourceEmails.cbegin(), sourceEmails.cend()).size());
    for (const QString& s : sourceEmails)
        QVERIFY2(!masked.contains(s), qPrintable(s));
    const QStringList sameInTarget = SI::column(f.db(Uat), sameName);
    for (const QString& pair : sameInSource)
        QVERIFY2(sameInTarget.contains(pair), qPrintable(pair));
    const QString phone = SI::value(f.db(Uat), QStringLiteral("SELECT PHONE FROM CUSTTABLE ORDER BY RECID")).toString();
    const QString sourcePhone =
        SI::value(f.db(Prod), QStringLiteral("SELECT PHONE FROM CUSTTABLE ORDER BY RECID")).toString();
    QVERIFY(phone != sourcePhone);
    QCOMPARE(QString(phone).replace(QRegularExpression(QStringLiteral("[0-9]")), QStringLiteral("9")),
             QString(sourcePhone).replace(QRegularExpression(QStringLiteral("[0-9]")), QStringLiteral("9")));
    // The masking secret is the project's: the next refresh gives the same pseudonyms.
    QVERIFY2(f.processRecurringMessages(Uat, &e), qPrintable(e));
    run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(SI::column(f.db(Uat), QStringLiteral("SELECT EMAIL FROM CUSTTABLE ORDER BY RECID")), masked);
    QVERIFY2(f.processRecurringMessages(Uat, &e), qPrintable(e));

    // Before the customization nothing in CUSTTABLE is flagged, and nothing is new.
    run = f.cli(preflightArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QJsonObject check = coverageCheck(run);
    QVERIFY2(!check.value(QStringLiteral("message")).toString().contains(QLatin1String("CUSTTABLE")),
             qPrintable(check.value(QStringLiteral("message")).toString()));
    QVERIFY(!check.value(QStringLiteral("message")).toString().contains(QLatin1String("New since")));

    // A customization adds a personal email column to production.
    QVERIFY2(write(f.db(Prod),
                   QStringLiteral("ALTER TABLE CUSTTABLE ADD COLUMN PERSONAL_EMAIL TEXT; UPDATE CUSTTABLE SET "
                                  "PERSONAL_EMAIL = 'p' || RECID || '@private-mail.net'"),
                   &e),
             qPrintable(e));
    run = f.cli(preflightArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe())); // a warning does not block
    check = coverageCheck(run);
    QCOMPARE(check.value(QStringLiteral("verdict")).toString(), QStringLiteral("warn"));
    const QString message = check.value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QRegularExpression(QStringLiteral(
                 "CUSTTABLE\\.PERSONAL_EMAIL \\(its name says email; [0-9]+ of [0-9]+ sampled values are email "
                 "addresses; new since the last refresh\\)"))),
             qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("New since the last refresh: CUSTTABLE.PERSONAL_EMAIL.")),
             qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("@private-mail.net")), "the evidence never shows a value");
    // The JSON says the same per column.
    const QJsonArray tables = QJsonDocument::fromJson(run.out)
                                  .object()
                                  .value(QStringLiteral("coverage"))
                                  .toObject()
                                  .value(QStringLiteral("tables"))
                                  .toArray();
    bool found = false;
    for (const QJsonValue& t : tables) {
        for (const QJsonValue& c : t.toObject().value(QStringLiteral("columns")).toArray()) {
            if (c.toObject().value(QStringLiteral("column")).toString() == QLatin1String("PERSONAL_EMAIL")) {
                found = true;
                QVERIFY(c.toObject().value(QStringLiteral("flagged")).toBool());
                QVERIFY(c.toObject().value(QStringLiteral("new")).toBool());
                QCOMPARE(c.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("unreviewed"));
            }
            if (c.toObject().value(QStringLiteral("column")).toString() == QLatin1String("EMAIL") &&
                t.toObject().value(QStringLiteral("table")).toString() == QLatin1String("CUSTTABLE"))
                QCOMPARE(c.toObject().value(QStringLiteral("rule")).toString(), QStringLiteral("customers"));
        }
    }
    QVERIFY(found);

    // A project that says so blocks the refresh until the column is covered or reviewed.
    QVERIFY2(setPolicy(f, MaskRules, true, &e), qPrintable(e));
    run = f.cli(preflightArgs());
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QCOMPARE(coverageCheck(run).value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    const auto before = f.fileHashes(Uat);
    run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(!run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("PERSONAL_EMAIL")), qPrintable(run.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
}

void TestSensitiveDataRefresh::leakCaughtBeforeTheSwap()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString e;
    QVERIFY2(write(f.db(Prod),
                   QStringLiteral("ALTER TABLE CUSTTABLE ADD COLUMN NOTES TEXT; UPDATE CUSTTABLE SET NOTES = "
                                  "'Call back, write to ' || EMAIL || ' first'"),
                   &e),
             qPrintable(e));
    QVERIFY2(setPolicy(f, R"({"id": "customer-emails", "title": "Customer emails", "reason": "security",
        "table": "CUSTTABLE", "action": "blank", "columns": ["EMAIL"]})",
                       false, &e),
             qPrintable(e));
    const auto before = f.fileHashes(Uat);
    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(!run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("leak scan: values of CUSTTABLE.EMAIL (rule \"customer-emails\") "
                                                  "were found in CUSTTABLE.NOTES of the staging copy")),
             qPrintable(run.describe()));
    QCOMPARE(f.fileHashes(Uat), before);
    const QJsonObject scan =
        f.operation(1).value(QStringLiteral("params")).toObject().value(QStringLiteral("leakScan")).toObject();
    QVERIFY(scan.value(QStringLiteral("leaked")).toBool());
    QCOMPARE(f.operation(1).value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
}

void TestSensitiveDataRefresh::killedAfterMaskingResumesFromAFreshCopy()
{
    // Killed after the masks committed but before the step was recorded: a Resume that ran
    // the policy step again would mask pseudonyms (another value each); it copies afresh.
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString e;
    QVERIFY2(setPolicy(f, MaskRules, false, &e), qPrintable(e));
    const CliOutcome killed = f.cliWith(RefreshFixture::refreshArgs(),
                                        {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("step-5-ran")}});
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    const CliRun resumed = f.cli({QStringLiteral("resume"), QStringLiteral("1")});
    QVERIFY2(resumed.exitedWith(0), qPrintable(resumed.describe()));
    QVERIFY2(resumed.errText().contains(QLatin1String("Copy transactional database: Completed")),
             qPrintable(resumed.describe()));
    // Exactly the pseudonyms of the source's values under the project's secret.
    Catalog catalog;
    QVERIFY2(catalog.open(f.folder(), &e), qPrintable(e));
    const auto secret = ProjectSecrets(catalog).maskSecret(QStringLiteral("contoso"), QStringLiteral("test"), &e);
    QVERIFY2(secret, qPrintable(e));
    const Masker masker(*secret);
    const QStringList source = SI::column(f.db(Prod), QStringLiteral("SELECT EMAIL FROM CUSTTABLE ORDER BY RECID"));
    const QStringList masked = SI::column(f.db(Uat), QStringLiteral("SELECT EMAIL FROM CUSTTABLE ORDER BY RECID"));
    QCOMPARE(masked.size(), source.size());
    for (int i = 0; i < source.size(); ++i)
        QCOMPARE(masked.at(i), masker.maskText(Masker::Kind::Email, source.at(i)));
}

void TestSensitiveDataRefresh::leakScanIgnoresCaseAndScope()
{
    // A copy in capitals is a copy.
    {
        RefreshFixture f;
        QVERIFY2(f.create(2), qPrintable(f.error()));
        QString e;
        QVERIFY2(write(f.db(Prod),
                       QStringLiteral("ALTER TABLE SALESTABLE ADD COLUMN NOTES TEXT; UPDATE SALESTABLE SET NOTES = "
                                      "'contact: ' || upper((SELECT EMAIL FROM CUSTTABLE WHERE RECID = 5))"),
                       &e),
                 qPrintable(e));
        QVERIFY2(setPolicy(f, R"({"id": "customer-emails", "title": "E", "reason": "security", "table": "CUSTTABLE",
            "action": "blank", "columns": ["EMAIL"]})",
                           false, &e),
                 qPrintable(e));
        const CliRun run = f.cli(RefreshFixture::refreshArgs());
        QVERIFY2(!run.exitedWith(0) && run.errText().contains(QLatin1String("were found in SALESTABLE.NOTES")),
                 qPrintable(run.describe()));
    }
    // A kind that does not change the values (emails have no digits) leaves them in place: said so.
    {
        RefreshFixture f;
        QVERIFY2(f.create(2), qPrintable(f.error()));
        QString e;
        QVERIFY2(setPolicy(f, R"({"id": "wrong-kind", "title": "E", "reason": "security", "table": "CUSTTABLE",
            "action": "mask", "columns": {"EMAIL": "phone"}})",
                           false, &e),
                 qPrintable(e));
        const auto before = f.fileHashes(Uat);
        const CliRun run = f.cli(RefreshFixture::refreshArgs());
        QVERIFY2(!run.exitedWith(0) && run.errText().contains(QLatin1String(
                                            "rule \"wrong-kind\" (mask as phone) left values of CUSTTABLE.EMAIL as "
                                            "they were")),
                 qPrintable(run.describe()));
        QCOMPARE(f.fileHashes(Uat), before);
    }
    // A mask scoped by `where`: the same values in rows it leaves alone are not a leak.
    {
        RefreshFixture f;
        QVERIFY2(f.create(2), qPrintable(f.error()));
        QString e;
        QVERIFY2(write(f.db(Prod),
                       QStringLiteral("UPDATE CUSTTABLE SET DATAAREAID = CASE WHEN RECID % 2 = 0 THEN 'usmf' ELSE "
                                      "'usrt' END; UPDATE CUSTTABLE SET EMAIL = 'shared' || (RECID / 2) || "
                                      "'@contoso.com'"),
                       &e),
                 qPrintable(e));
        QVERIFY2(setPolicy(f, R"({"id": "usmf-emails", "title": "E", "reason": "security", "table": "CUSTTABLE",
            "action": "mask", "columns": {"EMAIL": "email"}, "where": {"DATAAREAID": "usmf"}})",
                           false, &e),
                 qPrintable(e));
        const CliRun run = f.cli(RefreshFixture::refreshArgs());
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        QCOMPARE(SI::value(f.db(Uat), QStringLiteral("SELECT count(*) FROM CUSTTABLE WHERE DATAAREAID = 'usmf' AND "
                                                     "EMAIL NOT LIKE '%@example.com'"))
                     .toLongLong(),
                 qint64(0));
    }
}

void TestSensitiveDataRefresh::projectMaskAndReviewOnTheCli()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto cli = [&f](const QStringList& args) { return f.cli(QStringList{QStringLiteral("project")} + args); };
    const QString p = QStringLiteral("contoso");
    CliRun run = cli({QStringLiteral("mask"), p, QStringLiteral("CUSTTABLE"), QStringLiteral("EMAIL"),
                      QStringLiteral("--as"), QStringLiteral("email")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // The same column again, in another case: refused, nothing written.
    run = cli({QStringLiteral("mask"), p, QStringLiteral("custtable"), QStringLiteral("email"), QStringLiteral("--as"),
               QStringLiteral("name")});
    QVERIFY2(run.exitedWith(5) && run.errText().contains(QLatin1String("is covered by rule \"mask-custtable-email\"")),
             qPrintable(run.describe()));
    run = cli({QStringLiteral("review"), p, QStringLiteral("CUSTTABLE"), QStringLiteral("EMAIL")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = cli({QStringLiteral("mask"), p, QStringLiteral("CUSTTABLE"), QStringLiteral("PHONE"), QStringLiteral("--as"),
               QStringLiteral("mail")});
    QVERIFY2(run.exitedWith(2) && run.errText().contains(QLatin1String("one of email, name")), qPrintable(run.describe()));
    run = cli({QStringLiteral("review"), p, QStringLiteral("VENDTABLE"), QStringLiteral("NAME")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QFile file(f.folder() + QStringLiteral("/policies/contoso.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto policy = DataPolicy::fromJson(file.readAll(), nullptr);
    QVERIFY(policy);
    QCOMPARE(policy->rules().size(), 17);
    QVERIFY(policy->isReviewed(QStringLiteral("VENDTABLE"), QStringLiteral("NAME")));
    // The preflight no longer names them.
    run = f.cli(preflightArgs());
    const QString message = coverageCheck(run).value(QStringLiteral("message")).toString();
    QVERIFY2(!message.contains(QLatin1String("CUSTTABLE.EMAIL")) && !message.contains(QLatin1String("VENDTABLE.NAME")) &&
                 message.contains(QLatin1String("CUSTTABLE.PHONE")),
             qPrintable(message));
}

QTEST_GUILESS_MAIN(TestSensitiveDataRefresh)
#include "tst_sensitivedatarefresh.moc"
