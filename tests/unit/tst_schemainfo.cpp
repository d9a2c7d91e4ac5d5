// SchemaInfo: names as each engine compares them. SQLite folds ASCII case (and only
// ASCII); PostgreSQL's "USERINFO" and userinfo are two tables: the exact name wins, a
// name that differs only in case matches when one table fits, and an ambiguous name
// matches nothing and says why.
#include "policy/SchemaInfo.h"

#include <QtTest>

class TestSchemaInfo : public QObject
{
    Q_OBJECT

private slots:
    void sqliteFoldsAsciiCase();
    void postgresMatchesExactlyFirst();
    void ambiguousNamesMatchNothing();
    void familiesAndViews();
};

namespace {

QList<SchemaInfo::Column> columns(std::initializer_list<const char*> names)
{
    QList<SchemaInfo::Column> list;
    for (const char* n : names)
        list << SchemaInfo::Column{QString::fromUtf8(n), QStringLiteral("text"), false, false, false};
    return list;
}

} // namespace

void TestSchemaInfo::sqliteFoldsAsciiCase()
{
    SchemaInfo s;
    s.addTable(QStringLiteral("Order"), columns({"Straße", "ID"}));
    QCOMPARE(s.tableName(QStringLiteral("ORDER")), QStringLiteral("Order"));
    QCOMPARE(s.columnName(QStringLiteral("order"), QStringLiteral("id")), QStringLiteral("ID"));
    QVERIFY(!s.hasColumn(QStringLiteral("Order"), QStringLiteral("STRASSE")));
    // A second spelling of the same name replaces the table (SQLite has one).
    s.addTable(QStringLiteral("ORDER"), columns({"X"}));
    QCOMPARE(s.tables(), QStringList{QStringLiteral("ORDER")});
    QCOMPARE(s.ambiguity(QStringLiteral("order")), QString());
}

void TestSchemaInfo::postgresMatchesExactlyFirst()
{
    SchemaInfo s(SchemaInfo::Names::Exact);
    s.addTable(QStringLiteral("USERINFO"), columns({"EMAIL"}));
    s.addTable(QStringLiteral("userinfo"), columns({"email", "Email"}));
    s.addTable(QStringLiteral("shop_orders"), columns({"id"}));
    QCOMPARE(s.tables().size(), 3);
    QCOMPARE(s.tableName(QStringLiteral("USERINFO")), QStringLiteral("USERINFO"));
    QCOMPARE(s.tableName(QStringLiteral("userinfo")), QStringLiteral("userinfo"));
    QCOMPARE(s.columns(QStringLiteral("USERINFO")).size(), 1);
    QCOMPARE(s.columnName(QStringLiteral("USERINFO"), QStringLiteral("EMAIL")), QStringLiteral("EMAIL"));
    // One table fits a name that differs only in case (the default policy's SHOP_ORDERS).
    QCOMPARE(s.tableName(QStringLiteral("SHOP_ORDERS")), QStringLiteral("shop_orders"));
    QCOMPARE(s.columnName(QStringLiteral("SHOP_ORDERS"), QStringLiteral("ID")), QStringLiteral("id"));
}

void TestSchemaInfo::ambiguousNamesMatchNothing()
{
    SchemaInfo s(SchemaInfo::Names::Exact);
    s.addTable(QStringLiteral("USERINFO"), columns({"EMAIL"}));
    s.addTable(QStringLiteral("userinfo"), columns({"email", "Email"}));
    QVERIFY(!s.hasTable(QStringLiteral("UserInfo")));
    QCOMPARE(s.ambiguity(QStringLiteral("UserInfo")), QStringLiteral("USERINFO, userinfo"));
    QCOMPARE(s.ambiguity(QStringLiteral("USERINFO")), QString());
    // Columns likewise: "EMAIL" matches email and Email of userinfo only by case.
    QVERIFY(!s.hasColumn(QStringLiteral("userinfo"), QStringLiteral("EMAIL")));
    QCOMPARE(s.ambiguity(QStringLiteral("userinfo"), QStringLiteral("EMAIL")), QStringLiteral("email, Email"));
    QCOMPARE(s.columnName(QStringLiteral("userinfo"), QStringLiteral("Email")), QStringLiteral("Email"));
}

void TestSchemaInfo::familiesAndViews()
{
    SchemaInfo s(SchemaInfo::Names::Exact);
    s.addTable(QStringLiteral("events"), {});
    s.addTable(QStringLiteral("events_eu"), {});
    s.addTable(QStringLiteral("people"), {});
    s.setFamily(QStringLiteral("events"), true, {QStringLiteral("events_eu"), QStringLiteral("archive.events_old")});
    s.setFamily(QStringLiteral("people"), false, {QStringLiteral("staff")});
    s.setFamily(QStringLiteral("missing"), true, {QStringLiteral("x")}); // no such table: ignored
    QCOMPARE(s.members(QStringLiteral("events")),
             (QStringList{QStringLiteral("events_eu"), QStringLiteral("archive.events_old")}));
    QVERIFY(s.isPartitioned(QStringLiteral("events")));
    QVERIFY(!s.isPartitioned(QStringLiteral("people")));
    QCOMPARE(s.members(QStringLiteral("people")), QStringList{QStringLiteral("staff")});
    QVERIFY(s.members(QStringLiteral("events_eu")).isEmpty());
    QVERIFY(!s.hasTable(QStringLiteral("missing")));
    // Re-adding a table keeps its family.
    s.addTable(QStringLiteral("events"), {SchemaInfo::Column{QStringLiteral("id"), QStringLiteral("integer")}});
    QVERIFY(s.isPartitioned(QStringLiteral("events")));

    s.addView(QStringLiteral("Note_View"));
    QVERIFY(s.isView(QStringLiteral("Note_View")));
    QVERIFY(s.isView(QStringLiteral("note_view"))); // the one name differing only in case
    QVERIFY(!s.hasTable(QStringLiteral("Note_View")));
    QVERIFY(!s.isView(QStringLiteral("events")));
}

QTEST_GUILESS_MAIN(TestSchemaInfo)
#include "tst_schemainfo.moc"
