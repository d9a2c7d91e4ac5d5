// LeakScan on both engines (SQLite files; the PostgreSQL server scripts/test starts): a
// policy blanks the customers' emails, and the staging copy still holds some of them
// elsewhere: in capitals in an order's memo, and in the 37th text column of a wide table
// (past the first chunk of columns the scan joins per row). Both are named, nothing else:
// not the blanked column, not a column whose value is only half of an email, not a table
// a value never reached. With no copy left, the scan finds nothing.
#include "PostgresTestSupport.h"

#include "coverage/LeakScan.h"
#include "engine/PostgresEngine.h"
#include "engine/SqliteConnection.h"
#include "engine/SqliteEngine.h"
#include "policy/DataPolicy.h"

#include <QTemporaryDir>
#include <QTest>

using namespace PostgresTestSupport;

class TestLeakScan : public QObject
{
    Q_OBJECT

private slots:
    void copiesAreNamed_data();
    void copiesAreNamed();
    void cleanup();

private:
    QStringList m_made;
};

namespace {

const QByteArray Policy = R"({"rules": [{"id": "emails", "title": "Emails", "reason": "security",
    "table": "CUSTOMER", "action": "blank", "columns": ["EMAIL"]}]})";

// The source: as many customers as the scan samples values (so it samples them all), with an
// email each, their orders, and a wide table of 40 text columns.
// `leaks`: whether the staging copy (the source with the emails blanked) still holds copies.
QStringList setupSql(bool staging, bool leaks)
{
    QStringList wideColumns;
    for (int i = 1; i <= 40; ++i)
        wideColumns << QStringLiteral("\"C%1\" text").arg(i);
    QStringList sql{
        QStringLiteral("CREATE TABLE \"CUSTOMER\" (\"RECID\" bigint PRIMARY KEY, \"EMAIL\" text, \"NOTES\" text)"),
        QStringLiteral("CREATE TABLE \"ORDERS\" (\"RECID\" bigint PRIMARY KEY, \"MEMO\" text, \"AMOUNT\" bigint)"),
        QStringLiteral("CREATE TABLE \"WIDE\" (\"RECID\" bigint PRIMARY KEY, %1)").arg(wideColumns.join(QLatin1String(", "))),
        QStringLiteral("CREATE TABLE \"UNTOUCHED\" (\"RECID\" bigint PRIMARY KEY, \"NAME\" text)"),
    };
    for (int i = 1; i <= LeakScan::ValuesPerColumn; ++i) {
        const QString email = QStringLiteral("customer.%1@contoso.com").arg(i);
        sql << QStringLiteral("INSERT INTO \"CUSTOMER\" VALUES (%1, '%2', 'a good customer')")
                   .arg(i)
                   .arg(staging ? QString() : email);
        sql << QStringLiteral("INSERT INTO \"ORDERS\" VALUES (%1, '%2', %1)")
                   .arg(i)
                   .arg(leaks && i == 7 ? QStringLiteral("call ") + email.toUpper() : QStringLiteral("no memo"));
        sql << QStringLiteral("INSERT INTO \"UNTOUCHED\" VALUES (%1, 'name %1')").arg(i);
    }
    // Row 1 splits an email over C1 and C2; row 2 holds one in C37 (with 'x' around it).
    QStringList row1{QStringLiteral("1"), QStringLiteral("'customer.5@'"), QStringLiteral("'contoso.com'")};
    QStringList row2{QStringLiteral("2"), QStringLiteral("'plain'"), QStringLiteral("NULL")};
    for (int i = 3; i <= 40; ++i) {
        row1 << QStringLiteral("'filler %1'").arg(i);
        row2 << (leaks && i == 37 ? QStringLiteral("'xcustomer.3@contoso.comx'") : QStringLiteral("NULL"));
    }
    sql << QStringLiteral("INSERT INTO \"WIDE\" VALUES (%1)").arg(row1.join(QLatin1String(", ")));
    sql << QStringLiteral("INSERT INTO \"WIDE\" VALUES (%1)").arg(row2.join(QLatin1String(", ")));
    return sql;
}

} // namespace

void TestLeakScan::cleanup()
{
    for (const QString& name : std::as_const(m_made))
        dropDatabase(name);
    m_made.clear();
}

void TestLeakScan::copiesAreNamed_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<bool>("leaks");
    QTest::newRow("SQLite, copies left") << false << true;
    QTest::newRow("SQLite, none") << false << false;
    QTest::newRow("PostgreSQL, copies left") << true << true;
    QTest::newRow("PostgreSQL, none") << true << false;
}

void TestLeakScan::copiesAreNamed()
{
    QFETCH(bool, postgres);
    QFETCH(bool, leaks);
    QTemporaryDir dir;
    DatabaseRef source;
    DatabaseRef staging;
    QString e;
    for (const bool isStaging : {false, true}) {
        const QStringList sql = setupSql(isStaging, leaks);
        DatabaseRef ref;
        if (postgres) {
            QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set (scripts/test starts the server)");
            const QString name = uniqueName(isStaging ? QStringLiteral("leak_staging") : QStringLiteral("leak_source"));
            QVERIFY2(createDatabase(name, &e), qPrintable(e));
            m_made << name;
            ref = database(name);
            QVERIFY2(exec(ref, sql.join(QLatin1String(";\n")), &e), qPrintable(e));
        } else {
            ref.role = DatabaseRef::Transactional;
            ref.driver = DatabaseRef::Sqlite;
            ref.path = dir.filePath(isStaging ? QStringLiteral("staging.db") : QStringLiteral("source.db"));
            SqliteConnection db;
            QVERIFY2(db.open(ref.path, SqliteConnection::Create, &e), qPrintable(e));
            for (const QString& s : sql)
                QVERIFY2(db.exec(s, &e), qPrintable(e));
        }
        (isStaging ? staging : source) = ref;
    }
    std::unique_ptr<DatabaseEngine> engine;
    if (postgres)
        engine = std::make_unique<PostgresEngine>();
    else
        engine = std::make_unique<SqliteEngine>();
    const std::optional<SchemaInfo> sourceSchema = engine->readSchema(source, &e);
    QVERIFY2(sourceSchema, qPrintable(e));
    const std::optional<SchemaInfo> stagingSchema = engine->readSchema(staging, &e);
    QVERIFY2(stagingSchema, qPrintable(e));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(Policy, &e);
    QVERIFY2(policy, qPrintable(e));

    const std::optional<LeakScan::Result> result =
        LeakScan::run(*engine, source, *sourceSchema, staging, *stagingSchema, *policy, &e);
    QVERIFY2(result, qPrintable(e));
    QCOMPARE(result->tablesSearched, 4);
    QCOMPARE(result->columnsSearched, 2 + 1 + 40 + 1);
    QCOMPARE(result->columns.size(), 1);
    QCOMPARE(result->columns.at(0).sampled, LeakScan::ValuesPerColumn);
    QStringList found = result->columns.at(0).foundIn;
    found.sort();
    QCOMPARE(found, leaks ? QStringList({QStringLiteral("ORDERS.MEMO"), QStringLiteral("WIDE.C37")}) : QStringList());
    QCOMPARE(result->leaked(), leaks);
    QVERIFY(!result->columns.at(0).leftInPlace);
}

QTEST_GUILESS_MAIN(TestLeakScan)
#include "tst_leakscan.moc"
