// Leak scan benchmark (scripts/bench): Verify's leak scan (LeakScan::run) of a staging copy
// against a plain read of the same text, on both engines, in interleaved rounds, reporting
// each one's median time and the ratio scan/read.
// The tables: CUSTOMER with 300,000 rows (quick: 50,000) of 24 text columns (an ERP customer
// row: name, email, phone, account, address, notes...) and ORDERS with as many rows of 8.
// The policy blanks five of CUSTOMER's columns, so the scan samples 50 values of the source
// and looks for them in every text column of both tables of the staging copy (the source
// with those columns blank); none is there. The read: one statement per table summing the
// length of every text column of the copy, what reading its text costs at least.
// Each figure is one JSON line appended to $DATAALM_BENCH_OUT.
#include "BenchChild.h"
#include "PostgresTestSupport.h"

#include "coverage/LeakScan.h"
#include "engine/PostgresConnection.h"
#include "engine/PostgresEngine.h"
#include "engine/SqliteConnection.h"
#include "engine/SqliteEngine.h"
#include "policy/DataPolicy.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace PostgresTestSupport;

namespace {

int rows()
{
    return BenchChild::quick() ? 50000 : 300000;
}
constexpr int Rounds = 5;

const QByteArray Policy = R"({"rules": [{"id": "contacts", "title": "Contacts", "reason": "security",
    "table": "CUSTOMER", "action": "blank", "columns": ["NAME", "EMAIL", "PHONE", "STREET", "VATNUM"]}]})";

// Text columns and the value of row n (SQL both engines run).
const char* const CustomerColumns[][2] = {
    {"NAME", "'Customer ' || n"},
    {"EMAIL", "'customer' || n || '@contoso.com'"},
    {"PHONE", "'+1 (425) 555-' || (1000 + n % 9000)"},
    {"STREET", "(n % 9000) || ' Contoso Industrial Park, Building ' || (n % 40)"},
    {"VATNUM", "'US' || (700000000 + n)"},
    {"ACCOUNTNUM", "'C' || (100000 + n)"},
    {"CUSTGROUP", "'GRP' || (n % 12)"},
    {"CURRENCY", "'USD'"},
    {"LANGUAGEID", "'en-us'"},
    {"PAYMTERMID", "'Net' || (15 * (1 + n % 4))"},
    {"DLVMODE", "'Truck'"},
    {"CITY", "'Redmond'"},
    {"STATE", "'WA'"},
    {"ZIPCODE", "'98' || (100 + n % 900)"},
    {"COUNTRYREGIONID", "'USA'"},
    {"TAXGROUP", "'TX-' || (n % 5)"},
    {"SALESGROUP", "'SG' || (n % 30)"},
    {"SEGMENTID", "'Retail'"},
    {"INVOICEACCOUNT", "'C' || (100000 + n)"},
    {"NOTES", "'Customer since ' || (1990 + n % 30) || ', reviewed yearly by the credit team'"},
    {"CREATEDBY", "'admin'"},
    {"MODIFIEDBY", "'svc-sync'"},
    {"DATAAREAID", "'usmf'"},
    {"CREATEDDATETIME", "'2024-0' || (1 + n % 9) || '-1' || (n % 10) || 'T08:30:00Z'"},
};
const char* const OrderColumns[][2] = {
    {"SALESID", "'SO-' || (500000 + n)"},
    {"CUSTACCOUNT", "'C' || (100000 + n % 5000)"},
    {"SALESNAME", "'Order ' || n"},
    {"DELIVERYNAME", "'Warehouse ' || (n % 40)"},
    {"STATUS", "'Invoiced'"},
    {"PURCHORDERFORMNUM", "'PO' || n"},
    {"CURRENCYCODE", "'USD'"},
    {"DATAAREAID", "'usmf'"},
};

template <size_t N>
QStringList setupTable(bool postgres, const char* table, const char* const (&columns)[N][2])
{
    QStringList names;
    QStringList values;
    QStringList declared;
    for (const auto& c : columns) {
        names << QStringLiteral("\"%1\"").arg(QLatin1String(c[0]));
        declared << QStringLiteral("\"%1\" text").arg(QLatin1String(c[0]));
        values << QString::fromLatin1(c[1]);
    }
    const QString series = postgres ? QStringLiteral("SELECT g AS n FROM generate_series(1, %1) g").arg(rows())
                                    : QStringLiteral("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                                                     "WHERE n < %1) SELECT n FROM s")
                                          .arg(rows());
    return {QStringLiteral("CREATE TABLE \"%1\" (\"RECID\" bigint PRIMARY KEY, %2)")
                .arg(QLatin1String(table), declared.join(QLatin1String(", "))),
            QStringLiteral("INSERT INTO \"%1\" (\"RECID\", %2) SELECT n, %3 FROM (%4) AS t")
                .arg(QLatin1String(table), names.join(QLatin1String(", ")), values.join(QLatin1String(", ")), series)
                .replace(QLatin1String("%%"), QLatin1String("%"))};
}

template <size_t N>
QString readSql(const char* table, const char* const (&columns)[N][2])
{
    QStringList lengths;
    for (const auto& c : columns)
        lengths << QStringLiteral("coalesce(length(\"%1\"), 0)").arg(QLatin1String(c[0]));
    return QStringLiteral("SELECT sum(%1) FROM \"%2\"").arg(lengths.join(QLatin1String(" + ")), QLatin1String(table));
}

} // namespace

class TestBenchLeakScan : public QObject
{
    Q_OBJECT

private slots:
    void scan_data();
    void scan();

private:
    QStringList m_made;
};

void TestBenchLeakScan::scan_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("SQLite") << false;
    QTest::newRow("PostgreSQL") << true;
}

void TestBenchLeakScan::scan()
{
    QFETCH(bool, postgres);
    const QStringList sql = setupTable(postgres, "CUSTOMER", CustomerColumns) + setupTable(postgres, "ORDERS", OrderColumns);
    QTemporaryDir dir;
    QString e;
    DatabaseRef source;
    std::unique_ptr<DatabaseEngine> engine;
    if (postgres) {
        QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set (scripts/test starts the server)");
        const QString name = uniqueName(QStringLiteral("bench_leak"));
        QVERIFY2(createDatabase(name, &e), qPrintable(e));
        m_made << name;
        source = database(name);
        QVERIFY2(exec(source, sql.join(QLatin1String(";\n")), &e), qPrintable(e));
        engine = std::make_unique<PostgresEngine>();
    } else {
        source.role = DatabaseRef::Transactional;
        source.driver = DatabaseRef::Sqlite;
        source.path = dir.filePath(QStringLiteral("source.db"));
        SqliteConnection db;
        QVERIFY2(db.open(source.path, SqliteConnection::Create, &e), qPrintable(e));
        for (const QString& s : sql)
            QVERIFY2(db.exec(s, &e), qPrintable(e));
        engine = std::make_unique<SqliteEngine>();
    }
    // The staging copy: the source with the policy's columns blanked, as Verify finds it.
    const QString blank = QStringLiteral("UPDATE \"CUSTOMER\" SET \"NAME\" = '', \"EMAIL\" = '', \"PHONE\" = '', "
                                         "\"STREET\" = '', \"VATNUM\" = ''");
    DatabaseRef staging = source;
    if (postgres) {
        const QString name = uniqueName(QStringLiteral("bench_leak_staging"));
        QVERIFY2(exec(server(), QStringLiteral("CREATE DATABASE %1 TEMPLATE %2").arg(name, source.name), &e), qPrintable(e));
        m_made << name;
        staging = database(name);
        QVERIFY2(exec(staging, blank, &e) && exec(staging, QStringLiteral("VACUUM ANALYZE"), &e), qPrintable(e));
    } else {
        staging.path = dir.filePath(QStringLiteral("staging.db"));
        QVERIFY(QFile::copy(source.path, staging.path));
        SqliteConnection db;
        QVERIFY2(db.open(staging.path, SqliteConnection::ReadWrite, &e) && db.exec(blank, &e), qPrintable(e));
    }
    const std::optional<SchemaInfo> schema = engine->readSchema(source, &e);
    QVERIFY2(schema, qPrintable(e));
    const std::optional<SchemaInfo> stagingSchema = engine->readSchema(staging, &e);
    QVERIFY2(stagingSchema, qPrintable(e));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(Policy, &e);
    QVERIFY2(policy, qPrintable(e));
    const QList<PolicyStatement> reads{PolicyStatement{readSql("CUSTOMER", CustomerColumns), {}},
                                       PolicyStatement{readSql("ORDERS", OrderColumns), {}}};
    QList<double> scanTimes;
    QList<double> readTimes;
    for (int round = 0; round < Rounds; ++round) {
        for (int i = 0; i < 2; ++i) {
            QElapsedTimer t;
            t.start();
            if ((i == 0) == (round % 2 == 0)) {
                const std::optional<LeakScan::Result> result =
                    LeakScan::run(*engine, source, *schema, staging, *stagingSchema, *policy, &e);
                scanTimes << double(t.nsecsElapsed()) / 1e9;
                QVERIFY2(result, qPrintable(e));
                QCOMPARE(result->columnsSearched, int(std::size(CustomerColumns) + std::size(OrderColumns)));
                QCOMPARE(result->columns.size(), 5);
                QVERIFY(!result->leaked());
            } else {
                qint64 total = 0;
                QVERIFY2(engine->queryEach(
                             staging, reads, [&total](int, const QVariantList& row) { total += row.at(0).toLongLong(); },
                             &e),
                         qPrintable(e));
                readTimes << double(t.nsecsElapsed()) / 1e9;
                QVERIFY(total > 0);
            }
        }
    }
    for (const QString& name : std::as_const(m_made))
        dropDatabase(name);
    m_made.clear();
    const QString engineName = postgres ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
    const double s = BenchChild::median(scanTimes);
    const double r = BenchChild::median(readTimes);
    BenchChild::emitRow(QStringLiteral("%1: leak scan of 50 values in 32 text columns, 2 x %2 rows, median s")
                            .arg(engineName)
                            .arg(rows()),
                        s, QStringLiteral("s"), QStringLiteral("reading the same text"), r);
    qInfo("%s, 2 x %d rows: read %.3f s, leak scan %.3f s, scan/read %.2f", qPrintable(engineName), rows(), r, s,
          s / r);
}

QTEST_GUILESS_MAIN(TestBenchLeakScan)
#include "tst_bench_leakscan.moc"
