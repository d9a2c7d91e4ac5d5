// PostgresPolicyApplier on the server scripts/test starts (DATAALM_TEST_PG_URL): what its
// golden cases (tst_postgrespolicygolden, written for both engines) cannot say in SQLite's
// SQL. Triggers: a rule's statements run with the table's own triggers off, those of a
// partitioned table's partitions too, and each is back as it was when the rule ends, or
// when it fails (ALTER TABLE is transactional). Foreign keys stay enforced.
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresPolicyApplier.h"
#include "policy/DataPolicy.h"

#include <QTest>

using namespace PostgresTestSupport;

class TestPostgresPolicyApplier : public QObject
{
    Q_OBJECT

private slots:
    void triggersDoNotFire();
    void cleanup();

private:
    QStringList m_made;
};

namespace {

// Every trigger of the database that is not a foreign key's: "table.name state".
const QString TriggerStates = QStringLiteral(
    "SELECT string_agg(tgrelid::regclass::text || '.' || tgname || ' ' || tgenabled::text, ', ' ORDER BY "
    "tgrelid::regclass::text, tgname) FROM pg_trigger WHERE NOT tgisinternal");

} // namespace

void TestPostgresPolicyApplier::cleanup()
{
    for (const QString& name : std::as_const(m_made))
        dropDatabase(name);
    m_made.clear();
}

void TestPostgresPolicyApplier::triggersDoNotFire()
{
    // The application audits every change of a customer's email, refuses to delete a posted
    // order, and keeps an ALWAYS trigger on a partitioned ledger (each partition has its
    // copy); one trigger was disabled in the source and must stay so, one fires only as a
    // replica. The policy masks the emails, empties the orders, blanks the ledger's notes,
    // and its last rule fails on a CHECK.
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set (scripts/test starts the server)");
    const QString name = uniqueName(QStringLiteral("policy_triggers"));
    QString e;
    QVERIFY2(createDatabase(name, &e), qPrintable(e));
    m_made << name;
    QVERIFY2(exec(database(name), QStringLiteral(R"(
        CREATE TABLE "AUDIT" ("OLD" text);
        CREATE TABLE "CUSTOMER" ("RECID" bigint PRIMARY KEY, "EMAIL" text CHECK ("EMAIL" LIKE '%@%'));
        CREATE TABLE "ORDERS" ("RECID" bigint PRIMARY KEY, "CUSTOMER" bigint REFERENCES "CUSTOMER");
        CREATE TABLE "LEDGER" ("RECID" bigint, "NOTES" text) PARTITION BY RANGE ("RECID");
        CREATE TABLE "LEDGER_1" PARTITION OF "LEDGER" FOR VALUES FROM (0) TO (100);
        CREATE TABLE "LEDGER_2" PARTITION OF "LEDGER" FOR VALUES FROM (100) TO (200);
        CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO "AUDIT" VALUES (to_jsonb(OLD)::text); RETURN NEW; END $$;
        CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            RAISE EXCEPTION 'posted rows cannot change'; END $$;
        CREATE TRIGGER "audit ""email""" AFTER UPDATE ON "CUSTOMER" FOR EACH ROW EXECUTE FUNCTION audit();
        CREATE TRIGGER posted BEFORE DELETE ON "ORDERS" FOR EACH ROW EXECUTE FUNCTION refuse();
        CREATE TRIGGER ledger AFTER UPDATE ON "LEDGER" FOR EACH ROW EXECUTE FUNCTION audit();
        ALTER TABLE "LEDGER" ENABLE ALWAYS TRIGGER ledger;
        CREATE TRIGGER dormant BEFORE UPDATE ON "CUSTOMER" FOR EACH ROW EXECUTE FUNCTION refuse();
        ALTER TABLE "CUSTOMER" DISABLE TRIGGER dormant;
        CREATE TRIGGER replica BEFORE UPDATE ON "CUSTOMER" FOR EACH ROW EXECUTE FUNCTION refuse();
        ALTER TABLE "CUSTOMER" ENABLE REPLICA TRIGGER replica;
        INSERT INTO "CUSTOMER" VALUES (1, 'alice@contoso.com'), (2, 'bob@contoso.com');
        INSERT INTO "ORDERS" VALUES (1, 1), (2, 2);
        INSERT INTO "LEDGER" VALUES (1, 'paid by alice@contoso.com'), (150, 'paid by bob@contoso.com');
    )"),
                  &e),
             qPrintable(e));
    const QString before = value(database(name), TriggerStates, &e);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    QVERIFY2(before.contains(QLatin1String("\"LEDGER_2\".ledger A")), qPrintable(before));

    PostgresConnection c;
    QVERIFY2(c.open(database(name), &e), qPrintable(e));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(R"({"rules": [
        {"id": "emails", "title": "Emails", "reason": "security", "table": "CUSTOMER", "action": "mask",
         "columns": {"EMAIL": "email"}},
        {"id": "orders", "title": "Orders", "reason": "security", "table": "ORDERS", "action": "exclude"},
        {"id": "notes", "title": "Notes", "reason": "security", "table": "LEDGER", "action": "blank",
         "columns": ["NOTES"]},
        {"id": "broken", "title": "Broken", "reason": "security", "table": "CUSTOMER", "action": "set",
         "values": {"EMAIL": "nobody"}}]})",
                                                                  &e);
    QVERIFY2(policy, qPrintable(e));
    PolicyContext context;
    context.maskSecret = QStringLiteral("aa00000000000000000000000000000000000000000000000000000000000001");
    const PolicyReport report = PostgresPolicyApplier(c, database(name)).apply(*policy, context);

    QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Failed"));
    QCOMPARE(report.failedRuleId, QStringLiteral("broken"));
    QVERIFY2(report.error.contains(QLatin1String("check constraint")), qPrintable(report.error));
    QCOMPARE(report.rules.size(), 3);
    QCOMPARE(report.rules.at(0).tables.at(0).triggersOff, QStringList{QStringLiteral("audit \"email\"")});
    QCOMPARE(report.rules.at(1).tables.at(0).triggersOff, QStringList{QStringLiteral("posted")});
    QCOMPARE(report.rules.at(2).tables.at(0).triggersOff,
             (QStringList{QStringLiteral("ledger"), QStringLiteral("\"LEDGER_1\".ledger"),
                          QStringLiteral("\"LEDGER_2\".ledger")}));
    QCOMPARE(value(database(name), QStringLiteral("SELECT count(*) FROM \"AUDIT\"")), QStringLiteral("0"));
    QCOMPARE(value(database(name), QStringLiteral("SELECT count(*) FROM \"CUSTOMER\" WHERE \"EMAIL\" LIKE "
                                                  "'%@example.com'")),
             QStringLiteral("2"));
    QCOMPARE(value(database(name), QStringLiteral("SELECT count(*) FROM \"ORDERS\"")), QStringLiteral("0"));
    QCOMPARE(value(database(name), QStringLiteral("SELECT string_agg(\"NOTES\", '') FROM \"LEDGER\"")), QString());
    QCOMPARE(value(database(name), TriggerStates), before);
    c.close();

    // They fire again; the foreign key was enforced all along (its triggers are not the user's).
    QVERIFY(exec(database(name), QStringLiteral("UPDATE \"CUSTOMER\" SET \"EMAIL\" = 'x@example.org' WHERE \"RECID\" = 1")));
    QCOMPARE(value(database(name), QStringLiteral("SELECT count(*) FROM \"AUDIT\"")), QStringLiteral("1"));
    QVERIFY(exec(database(name), QStringLiteral("INSERT INTO \"ORDERS\" VALUES (3, 2)")));
    QVERIFY(!exec(database(name), QStringLiteral("DELETE FROM \"ORDERS\"")));
    QVERIFY(!exec(database(name), QStringLiteral("INSERT INTO \"ORDERS\" VALUES (4, 99)")));
}

QTEST_GUILESS_MAIN(TestPostgresPolicyApplier)
#include "tst_postgrespolicyapplier.moc"
