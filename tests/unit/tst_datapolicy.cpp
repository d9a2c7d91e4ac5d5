// DataPolicy: parsing the default policy and any policy file, its structural
// refusals, validation against a real SQLite schema, and the SQL PolicySql builds
// (identifier quoting, bound values, dialect markers).
#include "policy/Masker.h"
#include "policy/DataPolicy.h"
#include "engine/SqliteSchema.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

namespace {

QByteArray policyWithRule(const QByteArray& rule)
{
    return QByteArray("{\"rules\": [") + rule + QByteArray("]}");
}

// A throwaway SQLite database built from `sql`.
class Db
{
public:
    explicit Db(const QString& path)
    {
        sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr);
    }
    ~Db() { sqlite3_close(m_db); }
    bool exec(const QString& sql)
    {
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK)
            qWarning("%s", message);
        sqlite3_free(message);
        return rc == SQLITE_OK;
    }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

} // namespace

class TestDataPolicy : public QObject
{
    Q_OBJECT

private slots:
    void defaultPolicyLoads();
    void defaultPolicyRules_data();
    void defaultPolicyRules();
    void defaultPolicyOrder();
    void describe_data();
    void describe();
    void roundTrip();
    void refusals_data();
    void refusals();
    void hugePolicyIsRefusedAtOnce();
    void refusalListsEveryProblem();
    void reviewedAndCoverage();
    void maskFitsTheColumnsSize();
    void fromFileMissing();
    void acceptedShapes();
    void schemaInfoReadsRealDatabase();
    void validateAgainst_data();
    void validateAgainst();
    void defaultPolicyFitsReferenceSchema();
    void quoteIdentifier_data();
    void quoteIdentifier();
    void statementsBindValues();
    void postgresMarkers();
    void oddIdentifiersExecute();
};

void TestDataPolicy::defaultPolicyLoads()
{
    QString error;
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy(&error);
    QVERIFY2(policy, qPrintable(error));
    QCOMPARE(policy->rules().size(), 16);
    QVERIFY(!policy->name().isEmpty());
}

void TestDataPolicy::defaultPolicyRules_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QStringList>("tables");

    auto row = [](const char* id, const char* title, const char* reason, const char* action,
                  const QStringList& tables) {
        QTest::newRow(id) << QString::fromUtf8(id) << QString::fromUtf8(title) << QString::fromUtf8(reason)
                          << QString::fromUtf8(action) << tables;
    };
    row("emails", "Email addresses", "avoid-side-effects", "blank", {QStringLiteral("LOGISTICSELECTRONICADDRESS")});
    row("batch-history", "Batch job history", "avoid-side-effects", "exclude",
        {QStringLiteral("BATCHJOBHISTORY"), QStringLiteral("BATCHHISTORY"), QStringLiteral("BATCHCONSTRAINTHISTORY")});
    row("smtp-password", "SMTP password", "security", "exclude", {QStringLiteral("SYSEMAILSMTPPASSWORD")});
    row("smtp-relay", "SMTP relay server", "avoid-side-effects", "blank", {QStringLiteral("SYSEMAILPARAMETERS")});
    row("print-management", "Print management", "environment-specific", "exclude",
        {QStringLiteral("PRINTMGMTSETTINGS"), QStringLiteral("PRINTMGMTDOCINSTANCE")});
    row("server-config", "Environment-specific records", "environment-specific", "keep-target",
        {QStringLiteral("SYSSERVERCONFIG"), QStringLiteral("SYSSERVERSESSIONS"), QStringLiteral("SYSCORPNETPRINTERS"),
         QStringLiteral("SYSCLIENTSESSIONS"), QStringLiteral("BATCHSERVERCONFIG"), QStringLiteral("BATCHSERVERGROUP")});
    row("document-attachments", "Document attachments", "environment-specific", "keep-target",
        {QStringLiteral("DOCUVALUE")});
    row("integration-connection", "Integration connection string", "avoid-side-effects", "blank",
        {QStringLiteral("PERSONNELINTEGRATIONCONFIGURATION")});
    row("users", "Users", "security", "set", {QStringLiteral("USERINFO")});
    row("user-partitions", "User partitions", "environment-specific", "set", {QStringLiteral("USERINFO")});
    row("batch-jobs", "Batch jobs", "avoid-side-effects", "set", {QStringLiteral("BATCHJOB")});
    row("admin", "Environment administrator", "security", "reset-admin", {QStringLiteral("USERINFO")});
    row("channel-database", "Channel database records", "environment-specific", "keep-target",
        {QStringLiteral("RETAILCONNDATABASEPROFILE")});
    row("self-service-installers", "Self-service installers", "environment-specific", "keep-target",
        {QStringLiteral("RETAILSELFSERVICEPACKAGEINFO")});
    row("pos-devices", "POS device activations", "security", "set", {QStringLiteral("RETAILDEVICE")});
    row("recurring-data-jobs", "Recurring data jobs", "avoid-side-effects", "set", {QStringLiteral("DMFRECURRINGJOB")});
}

void TestDataPolicy::defaultPolicyRules()
{
    QFETCH(QString, id);
    QFETCH(QString, title);
    QFETCH(QString, reason);
    QFETCH(QString, action);
    QFETCH(QStringList, tables);
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QVERIFY(policy);
    const PolicyRule* rule = policy->rule(id);
    QVERIFY2(rule, qPrintable(id));
    QCOMPARE(rule->title, title);
    QCOMPARE(PolicyRule::reasonName(rule->reason), reason);
    QCOMPARE(PolicyRule::actionName(rule->action), action);
    QCOMPARE(rule->tables, tables);
}

void TestDataPolicy::defaultPolicyOrder()
{
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QVERIFY(policy);
    QStringList ids;
    for (const PolicyRule& r : policy->rules())
        ids << r.id;
    // "users" disables Admin's neighbours; "admin" must come after it to re-enable Admin.
    QVERIFY(ids.indexOf(QStringLiteral("users")) < ids.indexOf(QStringLiteral("admin")));

    const PolicyRule* users = policy->rule(QStringLiteral("users"));
    QCOMPARE(users->values.size(), 1);
    QCOMPARE(users->values.at(0).column, QStringLiteral("ENABLE"));
    QCOMPARE(users->values.at(0).literal, QVariant(qint64(0)));
    QCOMPARE(users->except.size(), 1);
    QCOMPARE(users->except.at(0).values, (QVariantList{QStringLiteral("Admin"), QStringLiteral("RetailServiceAccount"),
                                                       QStringLiteral("FRServiceUser")}));

    const PolicyRule* partitions = policy->rule(QStringLiteral("user-partitions"));
    QCOMPARE(partitions->values.size(), 1);
    QVERIFY(partitions->values.at(0).lookup);
    QCOMPARE(partitions->values.at(0).lookup->table, QStringLiteral("PARTITIONS"));
    QCOMPARE(partitions->values.at(0).lookup->column, QStringLiteral("RECID"));

    const PolicyRule* admin = policy->rule(QStringLiteral("admin"));
    QCOMPARE(admin->adminColumns.enable, QStringLiteral("ENABLE"));
    QCOMPARE(admin->adminColumns.administrator, QStringLiteral("NETWORKALIAS"));
    QCOMPARE(admin->adminColumns.tenant, QStringLiteral("NETWORKDOMAIN"));
    QCOMPARE(admin->where.size(), 1);
    QCOMPARE(admin->where.at(0).column, QStringLiteral("ID"));
    QCOMPARE(admin->where.at(0).values, QVariantList{QStringLiteral("Admin")});
}

void TestDataPolicy::describe_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("sentence");
    QTest::newRow("emails") << QStringLiteral("emails") << QStringLiteral("LOCATOR is blanked on rows where TYPE = 2.");
    QTest::newRow("batch-history") << QStringLiteral("batch-history")
                                   << QStringLiteral("BATCHJOBHISTORY, BATCHHISTORY and BATCHCONSTRAINTHISTORY "
                                                     "arrive empty.");
    QTest::newRow("smtp-password") << QStringLiteral("smtp-password")
                                   << QStringLiteral("SYSEMAILSMTPPASSWORD arrives empty.");
    QTest::newRow("smtp-relay") << QStringLiteral("smtp-relay")
                                << QStringLiteral("SMTPRELAYSERVERNAME is blanked on every row.");
    QTest::newRow("document-attachments")
        << QStringLiteral("document-attachments") << QStringLiteral("DOCUVALUE keeps the target's own rows.");
    QTest::newRow("users") << QStringLiteral("users")
                           << QStringLiteral("ENABLE is set to 0 on every row except where ID is 'Admin', "
                                             "'RetailServiceAccount' or 'FRServiceUser'.");
    QTest::newRow("user-partitions") << QStringLiteral("user-partitions")
                                     << QStringLiteral("PARTITION is set to the RECID of the PARTITIONS row where "
                                                       "PARTITIONKEY = 'initial' on every row.");
    QTest::newRow("pos-devices") << QStringLiteral("pos-devices")
                                 << QStringLiteral("ACTIVATIONSTATUS is set to 2 and TOKEN to '' on every row.");
    QTest::newRow("admin") << QStringLiteral("admin")
                           << QStringLiteral("The USERINFO row where ID = 'Admin' gets ENABLE = 1, NETWORKALIAS = "
                                             "the target's administrator and NETWORKDOMAIN = the target's tenant.");
}

void TestDataPolicy::describe()
{
    QFETCH(QString, id);
    QFETCH(QString, sentence);
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QVERIFY(policy);
    QCOMPARE(policy->rule(id)->describe(), sentence);
}

void TestDataPolicy::roundTrip()
{
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QVERIFY(policy);
    const QByteArray json = policy->toJson().toJson();
    QString error;
    const std::optional<DataPolicy> again = DataPolicy::fromJson(json, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->toJson(), policy->toJson());
    QCOMPARE(again->rules().size(), policy->rules().size());
}

void TestDataPolicy::refusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("expected"); // every string must be in the message

    auto row = [](const char* name, const char* rule, const QStringList& expected) {
        QTest::newRow(name) << policyWithRule(QByteArray(rule)) << expected;
    };
    row("unknown action", R"({"id": "r1", "title": "T", "reason": "security", "table": "A", "action": "drop"})",
        {QStringLiteral("rule \"r1\""), QStringLiteral("unknown action \"drop\"")});
    row("mask without columns", R"({"id": "m1", "title": "T", "reason": "security", "table": "A", "action": "mask"})",
        {QStringLiteral("rule \"m1\""), QStringLiteral("mask needs \"columns\""), QStringLiteral("email, name")});
    row("mask columns as a list",
        R"({"id": "m2", "title": "T", "reason": "security", "table": "A", "action": "mask", "columns": ["EMAIL"]})",
        {QStringLiteral("rule \"m2\""), QStringLiteral("object of column: kind")});
    row("mask of an unknown kind",
        R"({"id": "m3", "title": "T", "reason": "security", "table": "A", "action": "mask",
            "columns": {"EMAIL": "e-mail"}})",
        {QStringLiteral("rule \"m3\""), QStringLiteral("column EMAIL is masked as \"e-mail\""),
         QStringLiteral("one of email, name, first-name, last-name, phone, text, number")});
    row("mask with values",
        R"({"id": "m4", "title": "T", "reason": "security", "table": "A", "action": "mask",
            "columns": {"EMAIL": "email"}, "values": {"X": 1}})",
        {QStringLiteral("rule \"m4\""), QStringLiteral("\"values\" does not apply to action mask")});
    row("action not a string", R"({"id": "r1", "title": "T", "reason": "security", "table": "A", "action": 3})",
        {QStringLiteral("rule \"r1\""), QStringLiteral("unknown action")});
    row("unknown reason", R"({"id": "r2", "title": "T", "reason": "because", "table": "A", "action": "exclude"})",
        {QStringLiteral("rule \"r2\""), QStringLiteral("unknown reason \"because\"")});
    row("missing reason", R"({"id": "r2b", "title": "T", "table": "A", "action": "exclude"})",
        {QStringLiteral("rule \"r2b\""), QStringLiteral("missing \"reason\"")});
    row("missing action", R"({"id": "r2c", "title": "T", "reason": "security", "table": "A"})",
        {QStringLiteral("rule \"r2c\""), QStringLiteral("missing \"action\"")});
    row("missing id", R"({"title": "T", "reason": "security", "table": "A", "action": "exclude"})",
        {QStringLiteral("rule #1"), QStringLiteral("missing \"id\"")});
    row("empty id", R"({"id": " ", "title": "T", "reason": "security", "table": "A", "action": "exclude"})",
        {QStringLiteral("rule #1"), QStringLiteral("\"id\" must be a non-empty string")});
    row("missing title", R"({"id": "r3", "reason": "security", "table": "A", "action": "exclude"})",
        {QStringLiteral("rule \"r3\""), QStringLiteral("missing \"title\"")});
    row("missing table", R"({"id": "r4", "title": "T", "reason": "security", "action": "exclude"})",
        {QStringLiteral("rule \"r4\""), QStringLiteral("missing \"table\"")});
    row("empty tables", R"({"id": "r4b", "title": "T", "reason": "security", "tables": [], "action": "exclude"})",
        {QStringLiteral("rule \"r4b\""), QStringLiteral("\"tables\" must be a non-empty list")});
    row("table and tables",
        R"({"id": "r4c", "title": "T", "reason": "security", "table": "A", "tables": ["B"], "action": "exclude"})",
        {QStringLiteral("rule \"r4c\""), QStringLiteral("either \"table\" or \"tables\"")});
    row("table twice", R"({"id": "r4d", "title": "T", "reason": "security", "tables": ["A", "a"],
                           "action": "exclude"})",
        {QStringLiteral("rule \"r4d\""), QStringLiteral("listed twice")});
    row("empty table", R"({"id": "r4f", "title": "T", "reason": "security", "table": "", "action": "exclude"})",
        {QStringLiteral("rule \"r4f\""), QStringLiteral("\"table\" is empty: name a table or column")});
    row("table not a string", R"({"id": "r4e", "title": "T", "reason": "security", "table": 7, "action": "exclude"})",
        {QStringLiteral("rule \"r4e\""), QStringLiteral("\"table\" must be a non-empty string")});
    row("blank without columns", R"({"id": "r5", "title": "T", "reason": "security", "table": "A", "action": "blank"})",
        {QStringLiteral("rule \"r5\""), QStringLiteral("blank needs \"columns\"")});
    row("blank with empty columns",
        R"({"id": "r5b", "title": "T", "reason": "security", "table": "A", "action": "blank", "columns": []})",
        {QStringLiteral("rule \"r5b\""), QStringLiteral("\"columns\" must be a non-empty list")});
    row("set without values", R"({"id": "r6", "title": "T", "reason": "security", "table": "A", "action": "set"})",
        {QStringLiteral("rule \"r6\""), QStringLiteral("set needs \"values\"")});
    row("set with empty values",
        R"({"id": "r6b", "title": "T", "reason": "security", "table": "A", "action": "set", "values": {}})",
        {QStringLiteral("rule \"r6b\""), QStringLiteral("\"values\" must be a non-empty object")});
    row("value is an array",
        R"({"id": "r7", "title": "T", "reason": "security", "table": "A", "action": "set", "values": {"C": [1]}})",
        {QStringLiteral("rule \"r7\""), QStringLiteral("unsupported type (array)")});
    row("value is a plain object",
        R"({"id": "r7b", "title": "T", "reason": "security", "table": "A", "action": "set", "values": {"C": {"x": 1}}})",
        {QStringLiteral("rule \"r7b\""), QStringLiteral("not {\"lookup\"")});
    row("where value is an object",
        R"({"id": "r7c", "title": "T", "reason": "security", "table": "A", "action": "blank", "columns": ["C"],
            "where": {"K": {"a": 1}}})",
        {QStringLiteral("rule \"r7c\""), QStringLiteral("unsupported type (object)")});
    row("except list holds an array",
        R"({"id": "r7d", "title": "T", "reason": "security", "table": "A", "action": "set", "values": {"C": 1},
            "except": {"K": [[1]]}})",
        {QStringLiteral("rule \"r7d\""), QStringLiteral("unsupported type (array)")});
    row("where with an empty list",
        R"({"id": "r7e", "title": "T", "reason": "security", "table": "A", "action": "blank", "columns": ["C"],
            "where": {"K": []}})",
        {QStringLiteral("rule \"r7e\""), QStringLiteral("empty list")});
    row("where is not an object",
        R"({"id": "r7f", "title": "T", "reason": "security", "table": "A", "action": "blank", "columns": ["C"],
            "where": "K = 1"})",
        {QStringLiteral("rule \"r7f\""), QStringLiteral("\"where\" must be an object")});
    row("lookup without where",
        R"({"id": "r8", "title": "T", "reason": "security", "table": "A", "action": "set",
            "values": {"C": {"lookup": {"table": "P", "column": "RECID"}}}})",
        {QStringLiteral("rule \"r8\""), QStringLiteral("needs a \"where\"")});
    row("lookup with an unknown key",
        R"({"id": "r8b", "title": "T", "reason": "security", "table": "A", "action": "set",
            "values": {"C": {"lookup": {"table": "P", "column": "RECID", "where": {"K": 1}, "limit": 1}}}})",
        {QStringLiteral("rule \"r8b\""), QStringLiteral("unknown key \"limit\"")});
    row("lookup without column",
        R"({"id": "r8c", "title": "T", "reason": "security", "table": "A", "action": "set",
            "values": {"C": {"lookup": {"table": "P", "where": {"K": 1}}}}})",
        {QStringLiteral("rule \"r8c\""), QStringLiteral("\"column\" of the lookup for C")});
    row("unknown key", R"({"id": "r9", "title": "T", "reason": "security", "table": "A", "action": "exclude",
                           "colour": "red"})",
        {QStringLiteral("rule \"r9\""), QStringLiteral("unknown key \"colour\"")});
    row("key of another action",
        R"({"id": "r9b", "title": "T", "reason": "security", "table": "A", "action": "exclude", "columns": ["C"]})",
        {QStringLiteral("rule \"r9b\""), QStringLiteral("\"columns\" does not apply to action exclude")});
    row("where on keep-target",
        R"({"id": "r9c", "title": "T", "reason": "security", "table": "A", "action": "keep-target",
            "where": {"K": 1}})",
        {QStringLiteral("rule \"r9c\""), QStringLiteral("\"where\" does not apply to action keep-target")});
    row("unknown admin column key",
        R"({"id": "r9d", "title": "T", "reason": "security", "action": "reset-admin",
            "adminColumns": {"password": "PWD"}})",
        {QStringLiteral("rule \"r9d\""), QStringLiteral("unknown key \"password\" in \"adminColumns\"")});
    row("reset-admin with two tables",
        R"({"id": "r9e", "title": "T", "reason": "security", "tables": ["U1", "U2"], "action": "reset-admin"})",
        {QStringLiteral("rule \"r9e\""), QStringLiteral("reset-admin takes one table")});
    row("column twice in values",
        R"({"id": "r9f", "title": "T", "reason": "security", "table": "A", "action": "set",
            "values": {"C": 1, "c": 2}})",
        {QStringLiteral("rule \"r9f\""), QStringLiteral("appears twice in \"values\"")});
    row("duplicate ids",
        R"({"id": "dup", "title": "T", "reason": "security", "table": "A", "action": "exclude"},
           {"id": "dup", "title": "U", "reason": "security", "table": "B", "action": "exclude"})",
        {QStringLiteral("rule \"dup\""), QStringLiteral("duplicate id")});
    row("rule is not an object", R"("exclude everything")",
        {QStringLiteral("rule #1"), QStringLiteral("not an object")});
    QTest::newRow("unknown top-level key")
        << QByteArray(R"({"rules": [], "version": 2})") << QStringList{QStringLiteral("unknown key \"version\"")};
    QTest::newRow("no rules") << QByteArray(R"({"name": "x"})") << QStringList{QStringLiteral("no \"rules\" list")};
    QTest::newRow("not JSON") << QByteArray(R"({"rules": [)") << QStringList{QStringLiteral("not valid JSON")};
    QTest::newRow("not an object") << QByteArray(R"([])") << QStringList{QStringLiteral("must be a JSON object")};
}

void TestDataPolicy::hugePolicyIsRefusedAtOnce()
{
    // 200,000 rules (about 25 MB) used to be parsed and applied for minutes.
    QByteArray json = "{ \"rules\": [";
    for (int i = 0; i < 200000; ++i)
        json += (i ? ",\n" : "") + QByteArrayLiteral("{\"id\": \"r") + QByteArray::number(i) +
                QByteArrayLiteral("\", \"title\": \"T\", \"reason\": \"security\", \"table\": \"A\", \"action\": "
                                  "\"exclude\"}");
    json += "] }";
    QVERIFY(json.size() > 4 * 1024 * 1024);
    QString error;
    QVERIFY(!DataPolicy::fromJson(json, &error));
    QVERIFY2(error.contains(QStringLiteral("at most 4 MiB")), qPrintable(error));
}

void TestDataPolicy::refusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, expected);
    QString error;
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(json, &error);
    QVERIFY2(!policy, "the policy should have been refused");
    for (const QString& part : std::as_const(expected))
        QVERIFY2(error.contains(part), qPrintable(QStringLiteral("'%1' not in: %2").arg(part, error)));
    // Every line of the message names its rule (or is about the document as a whole).
    for (const QString& line : error.split(QLatin1Char('\n'))) {
        if (expected.constFirst().startsWith(QLatin1String("rule ")))
            QVERIFY2(line.startsWith(QLatin1String("rule ")), qPrintable(line));
    }
}

void TestDataPolicy::reviewedAndCoverage()
{
    QString error;
    const QByteArray json = R"({"coverage": "block", "reviewed": {"ITEMS": "*", "Contact": ["Name", "CITY"]},
        "rules": [{"id": "m", "title": "Mask", "reason": "security", "table": "CONTACT", "action": "mask",
                   "columns": {"EMAIL": "email", "PHONE": "phone"}, "except": {"KIND": 9}}]})";
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(json, &error);
    QVERIFY2(policy, qPrintable(error));
    QVERIFY(policy->blocksUnreviewed());
    QVERIFY(policy->isReviewed(QStringLiteral("items"), QStringLiteral("ANYTHING")));
    QVERIFY(policy->isReviewed(QStringLiteral("CONTACT"), QStringLiteral("name")));
    QVERIFY(!policy->isReviewed(QStringLiteral("CONTACT"), QStringLiteral("EMAIL")));
    const PolicyRule& m = policy->rules().constFirst();
    QCOMPARE(m.action, PolicyRule::Action::Mask);
    QCOMPARE(m.columns, (QStringList{QStringLiteral("EMAIL"), QStringLiteral("PHONE")}));
    QCOMPARE(m.maskKinds, (QStringList{QStringLiteral("email"), QStringLiteral("phone")}));
    QCOMPARE(m.describe(), QStringLiteral("EMAIL (as an email address) and PHONE (as a phone number) are masked on "
                                          "every row except where KIND = 9: the same value gets the same pseudonym "
                                          "everywhere."));
    // What the file says survives a round trip, and the console's two edits add to it.
    const std::optional<DataPolicy> again = DataPolicy::fromJson(policy->toJson().toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->toJson(), policy->toJson());
    const DataPolicy edited = again->withReviewed(QStringLiteral("CONTACT"), QStringLiteral("NOTES"))
                                  .withReviewed(QStringLiteral("ORDERS"), QStringLiteral("REF"));
    QVERIFY(edited.isReviewed(QStringLiteral("CONTACT"), QStringLiteral("notes")));
    QVERIFY(edited.isReviewed(QStringLiteral("ORDERS"), QStringLiteral("REF")));
    QVERIFY(!again->isReviewed(QStringLiteral("ORDERS"), QStringLiteral("REF"))); // a copy was edited
    QCOMPARE(edited.reviewed().size(), 3);
    // Bad shapes are refused with the key's name.
    for (const QByteArray& bad : {QByteArray(R"({"coverage": "maybe", "rules": []})"),
                                  QByteArray(R"({"reviewed": ["CONTACT.NAME"], "rules": []})"),
                                  QByteArray(R"({"reviewed": {"CONTACT": "NAME"}, "rules": []})")}) {
        QVERIFY2(!DataPolicy::fromJson(bad, &error), bad.constData());
        QVERIFY2(error.contains(QLatin1String("coverage")) || error.contains(QLatin1String("reviewed")),
                 qPrintable(error));
    }
}

void TestDataPolicy::maskFitsTheColumnsSize()
{
    // PostgreSQL's character varying(30) cannot hold an email pseudonym; varchar(64) can.
    SchemaInfo schema;
    schema.addTable(QStringLiteral("CONTACT"),
                    {SchemaInfo::Column{QStringLiteral("EMAIL"), QStringLiteral("character varying(30)"), false, false,
                                        false},
                     SchemaInfo::Column{QStringLiteral("WIDE"), QStringLiteral("character varying(64)"), false, false,
                                        false}});
    const auto policy = DataPolicy::fromJson(R"({"rules": [{"id": "m", "title": "M", "reason": "security",
        "table": "CONTACT", "action": "mask", "columns": {"EMAIL": "email", "WIDE": "email"}}]})",
                                             nullptr);
    QVERIFY(policy);
    QString error;
    QVERIFY(!policy->validateAgainst(schema, &error));
    QVERIFY2(error.contains(QStringLiteral("column EMAIL of table CONTACT is character varying(30): a pseudonym as email "
                                           "can be %1 characters long")
                                .arg(Masker::longest(Masker::Kind::Email))),
             qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("WIDE")), qPrintable(error));
    QVERIFY(Masker::longest(Masker::Kind::Email) > 30 && Masker::longest(Masker::Kind::Email) <= 64);
}

void TestDataPolicy::refusalListsEveryProblem()
{
    QString error;
    const QByteArray json = policyWithRule(
        R"({"id": "a", "title": "T", "reason": "nope", "table": "A", "action": "exclude"},
           {"id": "b", "title": "T", "reason": "security", "table": "B", "action": "blank"},
           {"id": "c", "title": "T", "reason": "security", "table": "C", "action": "exclude"})");
    QVERIFY(!DataPolicy::fromJson(json, &error));
    const QStringList lines = error.split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith(QLatin1String("rule \"a\"")));
    QVERIFY(lines.at(1).startsWith(QLatin1String("rule \"b\"")));
}

void TestDataPolicy::fromFileMissing()
{
    QString error;
    QVERIFY(!DataPolicy::fromFile(QStringLiteral("/nonexistent/policy.json"), &error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent/policy.json")), qPrintable(error));
}

void TestDataPolicy::acceptedShapes()
{
    QString error;
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(policyWithRule(R"(
        {"id": "n", "title": "Null, bool, double, big integer", "reason": "security", "table": "A",
         "action": "set", "values": {"C": null, "D": true, "E": 1.5, "F": 9007199254740993},
         "where": {"K": null, "L": ["x", null]}},
        {"id": "adm", "title": "Admin of another table", "reason": "security", "table": "PEOPLE",
         "action": "reset-admin", "where": {"LOGIN": "root"}, "adminColumns": {"enable": "ACTIVE"}})"),
                                                                  &error);
    QVERIFY2(policy, qPrintable(error));
    const PolicyRule& set = policy->rules().at(0);
    QCOMPARE(set.values.size(), 4);
    QVERIFY(set.values.at(0).literal.isNull());
    QCOMPARE(set.values.at(1).literal, QVariant(true));
    QCOMPARE(set.values.at(2).literal, QVariant(1.5));
    QCOMPARE(set.values.at(3).literal, QVariant(qint64(9007199254740993LL)));
    const PolicyRule& admin = policy->rules().at(1);
    QCOMPARE(admin.tables, QStringList{QStringLiteral("PEOPLE")});
    QCOMPARE(admin.adminColumns.enable, QStringLiteral("ACTIVE"));
    QCOMPARE(admin.adminColumns.administrator, QStringLiteral("NETWORKALIAS")); // the default stays
    QCOMPARE(admin.where.at(0).column, QStringLiteral("LOGIN"));

    // reset-admin without table or where: USERINFO's ID = 'Admin'.
    const std::optional<DataPolicy> defaults = DataPolicy::fromJson(
        policyWithRule(R"({"id": "a", "title": "T", "reason": "security", "action": "reset-admin"})"), &error);
    QVERIFY2(defaults, qPrintable(error));
    QCOMPARE(defaults->rules().at(0).tables, QStringList{QStringLiteral("USERINFO")});
    QCOMPARE(defaults->rules().at(0).where.at(0).column, QStringLiteral("ID"));
    QCOMPARE(defaults->rules().at(0).where.at(0).values, QVariantList{QStringLiteral("Admin")});
}

void TestDataPolicy::schemaInfoReadsRealDatabase()
{
    QTemporaryDir dir;
    Db db(dir.filePath(QStringLiteral("s.db")));
    QVERIFY(db.exec(QStringLiteral("CREATE TABLE \"Mixed Case\" (RECID INTEGER PRIMARY KEY, \"Straße\" TEXT, "
                                   "G INTEGER GENERATED ALWAYS AS (RECID * 2) VIRTUAL);"
                                   "CREATE TABLE \"order\" (\"select\" TEXT NOT NULL);"
                                   "CREATE VIEW V AS SELECT 1;")));
    QVERIFY(db.exec(QStringLiteral("ATTACH DATABASE ':memory:' AS other; CREATE TABLE other.T (X INTEGER);")));
    QString error;
    const std::optional<SchemaInfo> info = SqliteSchema::read(db.handle(), QStringLiteral("main"), &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(info->tables(), (QStringList{QStringLiteral("Mixed Case"), QStringLiteral("order")}));
    QVERIFY(info->hasTable(QStringLiteral("MIXED CASE")));
    QVERIFY(info->hasTable(QStringLiteral("ORDER")));
    QVERIFY(!info->hasTable(QStringLiteral("V"))); // views are not tables
    QCOMPARE(info->tableName(QStringLiteral("mixed case")), QStringLiteral("Mixed Case"));
    QVERIFY(info->hasColumn(QStringLiteral("mixed case"), QStringLiteral("recid")));
    // SQLite folds ASCII only: ß and ẞ/SS are different names.
    QVERIFY(info->hasColumn(QStringLiteral("Mixed Case"), QString::fromUtf8("STRAßE")));
    QVERIFY(!info->hasColumn(QStringLiteral("Mixed Case"), QStringLiteral("STRASSE")));
    QCOMPARE(info->columns(QStringLiteral("Mixed Case")).size(), 3);
    QVERIFY(info->column(QStringLiteral("Mixed Case"), QStringLiteral("g"))->generated);
    QVERIFY(info->column(QStringLiteral("Mixed Case"), QStringLiteral("RECID"))->primaryKey);
    QVERIFY(info->column(QStringLiteral("order"), QStringLiteral("SELECT"))->notNull);

    const std::optional<SchemaInfo> other = SqliteSchema::read(db.handle(), QStringLiteral("OTHER"), &error);
    QVERIFY2(other, qPrintable(error));
    QCOMPARE(other->tables(), QStringList{QStringLiteral("T")});
    QVERIFY(!SqliteSchema::read(db.handle(), QStringLiteral("target"), &error));
    QVERIFY2(error.contains(QLatin1String("target")), qPrintable(error));
}

void TestDataPolicy::validateAgainst_data()
{
    QTest::addColumn<QByteArray>("rule");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("missing table") << QByteArray(
                                          R"({"id": "gone", "title": "T", "reason": "security", "table": "NOSUCHTABLE",
                          "action": "exclude"})")
                                   << QStringList{QStringLiteral("rule \"gone\""),
                                                  QStringLiteral("table NOSUCHTABLE does not exist")};
    QTest::newRow("missing table among several")
        << QByteArray(R"({"id": "some", "title": "T", "reason": "security", "tables": ["USERINFO", "MISSING2"],
                          "action": "keep-target"})")
        << QStringList{QStringLiteral("rule \"some\""), QStringLiteral("table MISSING2")};
    QTest::newRow("missing blank column")
        << QByteArray(R"({"id": "blanky", "title": "T", "reason": "security", "table": "userinfo",
                          "action": "blank", "columns": ["PASSWORD"]})")
        << QStringList{QStringLiteral("rule \"blanky\""), QStringLiteral("column PASSWORD"),
                       QStringLiteral("table USERINFO")};
    QTest::newRow("mask text into a number column")
        << QByteArray(R"({"id": "mk", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "mask", "columns": {"NAME": "name", "ENABLE": "email"}})")
        << QStringList{QStringLiteral("rule \"mk\""), QStringLiteral("column ENABLE of table USERINFO is INTEGER"),
                       QStringLiteral("mask it as email only where it holds text")};
    QTest::newRow("mask a text column as number")
        << QByteArray(R"({"id": "mn", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "mask", "columns": {"NAME": "number"}})")
        << QStringList{QStringLiteral("rule \"mn\""), QStringLiteral("column NAME of table USERINFO is TEXT"),
                       QStringLiteral("mask it as number only where it holds numbers")};
    QTest::newRow("missing where column")
        << QByteArray(R"({"id": "wh", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "blank", "columns": ["NAME"], "where": {"KIND": 1}})")
        << QStringList{QStringLiteral("rule \"wh\""), QStringLiteral("column KIND"), QStringLiteral("USERINFO")};
    QTest::newRow("missing except column")
        << QByteArray(R"({"id": "ex", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "set", "values": {"ENABLE": 0}, "except": {"ROLE": "x"}})")
        << QStringList{QStringLiteral("rule \"ex\""), QStringLiteral("column ROLE"), QStringLiteral("USERINFO")};
    QTest::newRow("missing set column") << QByteArray(
                                               R"({"id": "sv", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "set", "values": {"LOCKED": 1}})")
                                        << QStringList{QStringLiteral("rule \"sv\""), QStringLiteral("column LOCKED"),
                                                       QStringLiteral("USERINFO")};
    QTest::newRow("missing lookup table")
        << QByteArray(R"({"id": "lt", "title": "T", "reason": "security", "table": "USERINFO", "action": "set",
                          "values": {"PARTITION": {"lookup": {"table": "PARTS", "column": "RECID",
                                                             "where": {"PARTITIONKEY": "initial"}}}}})")
        << QStringList{QStringLiteral("rule \"lt\""), QStringLiteral("table PARTS")};
    QTest::newRow("missing lookup column")
        << QByteArray(R"({"id": "lc", "title": "T", "reason": "security", "table": "USERINFO", "action": "set",
                          "values": {"PARTITION": {"lookup": {"table": "PARTITIONS", "column": "RECID",
                                                             "where": {"KEY": "initial"}}}}})")
        << QStringList{QStringLiteral("rule \"lc\""), QStringLiteral("column KEY"), QStringLiteral("PARTITIONS")};
    QTest::newRow("missing admin column")
        << QByteArray(R"({"id": "ad", "title": "T", "reason": "security", "action": "reset-admin",
                          "adminColumns": {"tenant": "TENANT"}})")
        << QStringList{QStringLiteral("rule \"ad\""), QStringLiteral("column TENANT"), QStringLiteral("USERINFO")};
    // What a set would break, found before step 5 (issue: it used to fail there).
    QTest::newRow("NOT NULL column set to null")
        << QByteArray(R"({"id": "nn", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "set", "values": {"ENABLE": null}})")
        << QStringList{QStringLiteral("rule \"nn\""), QStringLiteral("column ENABLE of table USERINFO is NOT NULL")};
    QTest::newRow("primary key set")
        << QByteArray(R"({"id": "pk", "title": "T", "reason": "security", "table": "PARTITIONS",
                          "action": "set", "values": {"RECID": 1}})")
        << QStringList{QStringLiteral("rule \"pk\""), QStringLiteral("column RECID is the primary key of table "
                                                                      "PARTITIONS")};
    QTest::newRow("generated column written")
        << QByteArray(R"({"id": "gen", "title": "T", "reason": "security", "table": "USERINFO",
                          "action": "set", "values": {"UPPERID": "x"}})")
        << QStringList{QStringLiteral("rule \"gen\""), QStringLiteral("UPPERID"), QStringLiteral("generated")};
}

void TestDataPolicy::validateAgainst()
{
    QFETCH(QByteArray, rule);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    Db db(dir.filePath(QStringLiteral("v.db")));
    QVERIFY(db.exec(QStringLiteral(
        "CREATE TABLE PARTITIONS (RECID INTEGER PRIMARY KEY, PARTITIONKEY TEXT UNIQUE, NAME TEXT);"
        "CREATE TABLE USERINFO (RECID INTEGER PRIMARY KEY, ID TEXT UNIQUE NOT NULL, NAME TEXT, "
        "ENABLE INTEGER NOT NULL, NETWORKDOMAIN TEXT, NETWORKALIAS TEXT, COMPANY TEXT, PARTITION INTEGER NOT NULL, "
        "UPPERID TEXT GENERATED ALWAYS AS (upper(ID)) VIRTUAL);")));
    QString error;
    const std::optional<SchemaInfo> schema = SqliteSchema::read(db.handle(), QStringLiteral("main"), &error);
    QVERIFY2(schema, qPrintable(error));

    const std::optional<DataPolicy> policy = DataPolicy::fromJson(policyWithRule(rule), &error);
    QVERIFY2(policy, qPrintable(error));
    QVERIFY(!policy->validateAgainst(*schema, &error));
    for (const QString& part : std::as_const(expected))
        QVERIFY2(error.contains(part), qPrintable(QStringLiteral("'%1' not in: %2").arg(part, error)));

    // The same database fits a rule that names existing columns in another case.
    const std::optional<DataPolicy> fine = DataPolicy::fromJson(policyWithRule(R"(
        {"id": "ok", "title": "T", "reason": "security", "table": "userinfo", "action": "set",
         "values": {"enable": 0}, "except": {"id": ["Admin"]}})"),
                                                                &error);
    QVERIFY(fine);
    QVERIFY2(fine->validateAgainst(*schema, &error), qPrintable(error));
}

void TestDataPolicy::defaultPolicyFitsReferenceSchema()
{
    QTemporaryDir dir;
    Db db(dir.filePath(QStringLiteral("ref.db")));
    QFile schemaFile(QStringLiteral(DATAALM_TEST_DATA_DIR "/policy/full-default/source.sql"));
    QVERIFY(schemaFile.open(QIODevice::ReadOnly));
    QVERIFY(db.exec(QString::fromUtf8(schemaFile.readAll())));
    QString error;
    const std::optional<SchemaInfo> schema = SqliteSchema::read(db.handle(), QStringLiteral("main"), &error);
    QVERIFY2(schema, qPrintable(error));
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QVERIFY2(policy->validateAgainst(*schema, &error), qPrintable(error));

    // Without DOCUVALUE.FILENAME nothing breaks (keep-target needs no column), but without
    // LOGISTICSELECTRONICADDRESS.TYPE the email rule is refused, naming it.
    QVERIFY(db.exec(QStringLiteral("ALTER TABLE LOGISTICSELECTRONICADDRESS DROP COLUMN TYPE;")));
    const std::optional<SchemaInfo> changed = SqliteSchema::read(db.handle(), QStringLiteral("main"), &error);
    QVERIFY(!policy->validateAgainst(*changed, &error));
    QCOMPARE(error, QStringLiteral("rule \"emails\": column TYPE does not exist in table LOGISTICSELECTRONICADDRESS"));
}

void TestDataPolicy::quoteIdentifier_data()
{
    QTest::addColumn<QString>("identifier");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << QStringLiteral("USERINFO") << QStringLiteral("\"USERINFO\"");
    QTest::newRow("space") << QStringLiteral("order lines") << QStringLiteral("\"order lines\"");
    QTest::newRow("quote") << QStringLiteral("we\"ird") << QStringLiteral("\"we\"\"ird\"");
    QTest::newRow("only quotes") << QStringLiteral("\"\"") << QStringLiteral("\"\"\"\"\"\"");
    QTest::newRow("keyword") << QStringLiteral("order") << QStringLiteral("\"order\"");
    QTest::newRow("mixed case") << QStringLiteral("MixedCase") << QStringLiteral("\"MixedCase\"");
    QTest::newRow("unicode") << QString::fromUtf8("Straße_日本") << QString::fromUtf8("\"Straße_日本\"");
    QTest::newRow("single quote and semicolon")
        << QStringLiteral("a'; DROP TABLE x; --") << QStringLiteral("\"a'; DROP TABLE x; --\"");
    QTest::newRow("brackets") << QStringLiteral("[x]") << QStringLiteral("\"[x]\"");
}

void TestDataPolicy::quoteIdentifier()
{
    QFETCH(QString, identifier);
    QFETCH(QString, quoted);
    QCOMPARE(PolicySql::quoteIdentifier(identifier), quoted);
}

void TestDataPolicy::statementsBindValues()
{
    const PolicySql sql(PolicySql::Dialect::Sqlite);
    const QString evil = QStringLiteral("x'; DROP TABLE USERINFO; --");
    const PolicyStatement update = sql.update(
        QStringLiteral("main"), QStringLiteral("USERINFO"), {{QStringLiteral("NAME"), QVariant(evil)}},
        {PolicyRule::Condition{QStringLiteral("TYPE"), {QVariant(qint64(2))}, false}},
        {PolicyRule::Condition{QStringLiteral("ID"), {QVariant(QStringLiteral("Admin")), QVariant(evil)}, true}});
    QCOMPARE(update.sql, QStringLiteral("UPDATE \"main\".\"USERINFO\" SET \"NAME\" = ?1 WHERE \"TYPE\" = ?2 AND "
                                        "(\"ID\" IN (?3, ?4)) IS NOT TRUE"));
    QCOMPARE(update.bindings, (QVariantList{evil, qint64(2), QStringLiteral("Admin"), evil}));
    QVERIFY(!update.sql.contains(QLatin1String("DROP")));

    const PolicyStatement withNull =
        sql.countRows(QString(), QStringLiteral("T"),
                      {PolicyRule::Condition{QStringLiteral("A"), {QVariant()}, false},
                       PolicyRule::Condition{QStringLiteral("B"), {QVariant(QStringLiteral("x")), QVariant()}, true}});
    QCOMPARE(withNull.sql,
             QStringLiteral("SELECT COUNT(*) FROM \"T\" WHERE \"A\" IS NULL AND (\"B\" = ?1 OR \"B\" IS NULL)"));
    QCOMPARE(withNull.bindings, QVariantList{QStringLiteral("x")});

    const PolicyStatement copy =
        sql.copyRows(QStringLiteral("target"), QStringLiteral("T"), {QStringLiteral("a"), QStringLiteral("b\"")},
                     QStringLiteral("main"), QStringLiteral("T"), {QStringLiteral("A"), QStringLiteral("B\"")});
    QCOMPARE(copy.sql, QStringLiteral("INSERT INTO \"main\".\"T\" (\"A\", \"B\"\"\") SELECT \"a\", \"b\"\"\" FROM "
                                      "\"target\".\"T\""));
    QVERIFY(copy.bindings.isEmpty());

    const PolicyStatement lookup = sql.lookup(
        QStringLiteral("main"),
        PolicyRule::Lookup{
            QStringLiteral("PARTITIONS"),
            QStringLiteral("RECID"),
            {PolicyRule::Condition{QStringLiteral("PARTITIONKEY"), {QVariant(QStringLiteral("initial"))}, false}}});
    QCOMPARE(lookup.sql, QStringLiteral("SELECT \"RECID\" FROM \"main\".\"PARTITIONS\" WHERE \"PARTITIONKEY\" = ?1 "
                                        "LIMIT 2"));
    QCOMPARE(lookup.bindings, QVariantList{QStringLiteral("initial")});
}

void TestDataPolicy::postgresMarkers()
{
    const PolicySql sql(PolicySql::Dialect::Postgres);
    const PolicyStatement update =
        sql.update(QStringLiteral("public"), QStringLiteral("userinfo"),
                   {{QStringLiteral("enable"), QVariant(qint64(0))}, {QStringLiteral("name"), QVariant()}}, {},
                   {PolicyRule::Condition{QStringLiteral("id"), {QVariant(QStringLiteral("Admin"))}, true}});
    QCOMPARE(update.sql, QStringLiteral("UPDATE \"public\".\"userinfo\" SET \"enable\" = $1, \"name\" = $2 WHERE "
                                        "(\"id\" = $3) IS NOT TRUE"));
    QCOMPARE(update.bindings.size(), 3);
    QVERIFY(update.bindings.at(1).isNull());
}

void TestDataPolicy::oddIdentifiersExecute()
{
    // The generated SQL runs on SQLite against names that need quoting, with the
    // policy spelling them in another case.
    QTemporaryDir dir;
    Db db(dir.filePath(QStringLiteral("odd.db")));
    QVERIFY(db.exec(QString::fromUtf8("CREATE TABLE \"order\" (\"select\" TEXT, \"we\"\"ird col\" INTEGER, "
                                      "\"Größe\" TEXT);"
                                      "INSERT INTO \"order\" VALUES ('a', 1, 'x'), ('b', 2, 'y'), (NULL, 3, 'z');")));
    const PolicySql sql(PolicySql::Dialect::Sqlite);
    const PolicyStatement update = sql.update(
        QString(), QStringLiteral("ORDER"), {{QString::fromUtf8("Größe"), QVariant(QStringLiteral("it's"))}},
        {PolicyRule::Condition{QStringLiteral("WE\"IRD COL"), {QVariant(qint64(1)), QVariant(qint64(3))}, true}},
        {PolicyRule::Condition{QStringLiteral("SELECT"), {QVariant(QStringLiteral("a"))}, false}});
    sqlite3_stmt* stmt = nullptr;
    QCOMPARE(sqlite3_prepare_v2(db.handle(), update.sql.toUtf8().constData(), -1, &stmt, nullptr), SQLITE_OK);
    for (int i = 0; i < update.bindings.size(); ++i) {
        const QVariant& v = update.bindings.at(i);
        if (v.typeId() == QMetaType::LongLong)
            sqlite3_bind_int64(stmt, i + 1, v.toLongLong());
        else
            sqlite3_bind_text(stmt, i + 1, v.toString().toUtf8().constData(), -1, SQLITE_TRANSIENT);
    }
    QCOMPARE(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
    // Row 1 is excepted ("select" = 'a'), row 3 matches (its "select" is NULL, so not excepted).
    QCOMPARE(sqlite3_changes(db.handle()), 1);
    QVERIFY(db.exec(QString::fromUtf8("CREATE TABLE result AS SELECT group_concat(\"Größe\", '|') AS g FROM "
                                      "(SELECT \"Größe\" FROM \"order\" ORDER BY rowid)")));
    sqlite3_prepare_v2(db.handle(), "SELECT g FROM result", -1, &stmt, nullptr);
    QCOMPARE(sqlite3_step(stmt), SQLITE_ROW);
    QCOMPARE(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))),
             QStringLiteral("x|y|it's"));
    sqlite3_finalize(stmt);
}

QTEST_GUILESS_MAIN(TestDataPolicy)
#include "tst_datapolicy.moc"
