// Masking benchmark (scripts/bench): the `mask` action against today's `set` rule on the
// same table, on both engines, in interleaved rounds (each round applies both policies to
// fresh copies of one database, the order alternating), reporting each one's median time
// and the ratio mask/set. Issue: "as fast as today's set rule within 2x".
// The table: CUSTOMER with 300,000 rows (quick: 50,000) of a name, a unique email, a
// phone number and a credit limit (no unique index: `set` writes one constant everywhere),
// "narrow" with those alone (the worst case for `mask`: nothing else in the row to write),
// "wide" with 26 more columns of an ERP customer row (account, group, address, dates, flags:
// about 450 bytes a row);
// `set` writes constants of the pseudonyms' sizes into those four columns (both write as many
// bytes), `mask` writes their pseudonyms (name, email, phone, number). Only apply() is timed; the copies
// are made before. Each figure is one JSON line appended to $DATAALM_BENCH_OUT.
// A third statement in each round, the floor, writes the `set` constants and computes the
// digest of every value as well (SHA-256 of its secret, kind and value, what each pseudonym
// starts from): on PostgreSQL with sha256(), on SQLite in a registered function. It is what any
// keyed pseudonym built on the engine's hashing (or functions) costs at least, whatever shape
// it is then given.
#include "BenchChild.h"
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresPolicyApplier.h"
#include "engine/SqliteConnection.h"
#include "engine/SqlitePolicyApplier.h"
#include "policy/DataPolicy.h"
#include "policy/Masker.h"

#include <sqlite3.h>

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

const QByteArray SetPolicy = R"({"rules": [{"id": "set", "title": "Set", "reason": "security", "table": "CUSTOMER",
    "action": "set", "values": {"NAME": "Masked Name", "EMAIL": "masked.person.0123456789@example.com",
    "PHONE": "+1 (000) 000-0000", "CREDIT": 10000}}]})";
const QByteArray MaskPolicy = R"({"rules": [{"id": "mask", "title": "Mask", "reason": "security", "table": "CUSTOMER",
    "action": "mask", "columns": {"NAME": "name", "EMAIL": "email", "PHONE": "phone", "CREDIT": "number"}}]})";

// The wide table's other columns: name, type, the value of row n (SQL both engines run).
struct Filler
{
    const char* name;
    const char* type;
    const char* value;
};
const Filler WideColumns[] = {
    {"ACCOUNTNUM", "text", "'C' || (100000 + n)"},
    {"CUSTGROUP", "text", "'GRP' || (n % 12)"},
    {"CURRENCY", "text", "'USD'"},
    {"LANGUAGEID", "text", "'en-us'"},
    {"PAYMTERMID", "text", "'Net' || (15 * (1 + n % 4))"},
    {"DLVMODE", "text", "'Truck'"},
    {"STREET", "text", "(n % 9000) || ' Contoso Industrial Park, Building ' || (n % 40)"},
    {"CITY", "text", "'Redmond'"},
    {"STATE", "text", "'WA'"},
    {"ZIPCODE", "text", "'98' || (100 + n % 900)"},
    {"COUNTRYREGIONID", "text", "'USA'"},
    {"VATNUM", "text", "'US' || (700000000 + n)"},
    {"TAXGROUP", "text", "'TX-' || (n % 5)"},
    {"SALESGROUP", "text", "'SG' || (n % 30)"},
    {"SEGMENTID", "text", "'Retail'"},
    {"INVOICEACCOUNT", "text", "'C' || (100000 + n)"},
    {"NOTES", "text", "'Customer since ' || (1990 + n % 30) || ', reviewed yearly by the credit team'"},
    {"CREATEDDATETIME", "text", "'2024-0' || (1 + n % 9) || '-1' || (n % 10) || 'T08:30:00Z'"},
    {"MODIFIEDDATETIME", "text", "'2026-0' || (1 + n % 9) || '-2' || (n % 9) || 'T17:05:00Z'"},
    {"CREATEDBY", "text", "'admin'"},
    {"MODIFIEDBY", "text", "'svc-sync'"},
    {"DATAAREAID", "text", "'usmf'"},
    {"PARTITION", "bigint", "5637144576"},
    {"RECVERSION", "bigint", "1 + n % 1000"},
    {"BLOCKED", "bigint", "n % 50 = 0"},
    {"CREDITRATING", "bigint", "n % 10"},
};

// The rows, as SQL both engines run: a recursive count, not a loop of inserts.
QString fillSql(bool postgres, bool wide)
{
    const QString series = postgres ? QStringLiteral("SELECT g AS n FROM generate_series(1, %1) g").arg(rows())
                                    : QStringLiteral("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                                                     "WHERE n < %1) SELECT n FROM s")
                                          .arg(rows());
    QString others;
    for (const Filler& f : WideColumns) {
        if (wide)
            others += QStringLiteral(", ") +
                      (qstrcmp(f.name, "BLOCKED") == 0 ? QStringLiteral("CASE WHEN %1 THEN 1 ELSE 0 END").arg(QLatin1String(f.value))
                                                       : QString::fromLatin1(f.value));
    }
    return QStringLiteral("INSERT INTO \"CUSTOMER\" SELECT n, 'Customer ' || n, 'customer' || n || '@contoso.com', "
                          "'+1 (425) 555-' || (1000 + n %% 9000), (n * 37) %% 100000%2 FROM (%1) AS t")
        .arg(series, others)
        .replace(QLatin1String("%%"), QLatin1String("%"));
}

QString createSql(bool wide)
{
    QString others;
    for (const Filler& f : WideColumns) {
        if (wide)
            others += QStringLiteral(", \"%1\" %2").arg(QLatin1String(f.name), QLatin1String(f.type));
    }
    return QStringLiteral("CREATE TABLE \"CUSTOMER\" (\"RECID\" bigint PRIMARY KEY, \"NAME\" text, \"EMAIL\" text, "
                          "\"PHONE\" text, \"CREDIT\" bigint%1)")
        .arg(others);
}

void addTables()
{
    QTest::addColumn<bool>("wide");
    QTest::newRow("narrow") << false;
    QTest::newRow("wide") << true;
}

// The SQLite floor's function: what any registered function that hashes each value costs at
// least (SQLite's call, the value read, SHA-256 of secret, kind and value), without the
// pseudonym's shaping or its result: the hash of a first name (one word copied) and its length.
void digestOnly(sqlite3_context* ctx, int, sqlite3_value** argv)
{
    const auto* masker = static_cast<const Masker*>(sqlite3_user_data(ctx));
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
    Masker::Utf8 out;
    masker->maskUtf8(Masker::Kind::FirstName, QByteArrayView(text, sqlite3_value_bytes(argv[1])), out);
    sqlite3_result_int(ctx, int(out.size()));
}

// The `set` rule's constants, written only where the digest is not NULL (it never is), as
// PostgreSQL's floor below.
QString sqliteFloorSql()
{
    return QStringLiteral(
        "UPDATE \"CUSTOMER\" SET \"NAME\" = CASE WHEN bench_digest('name', \"NAME\") IS NULL THEN NULL ELSE "
        "'Masked Name' END, \"EMAIL\" = CASE WHEN bench_digest('email', \"EMAIL\") IS NULL THEN NULL ELSE "
        "'masked.person.0123456789@example.com' END, \"PHONE\" = CASE WHEN bench_digest('phone', \"PHONE\") IS "
        "NULL THEN NULL ELSE '+1 (000) 000-0000' END, \"CREDIT\" = CASE WHEN bench_digest('number', \"CREDIT\") "
        "IS NULL THEN NULL ELSE 10000 END");
}

PolicyContext context()
{
    PolicyContext c;
    c.maskSecret = Masker::newSecret();
    return c;
}

} // namespace

class TestBenchMask : public QObject
{
    Q_OBJECT

private slots:
    void sqlite_data() { addTables(); }
    void sqlite();
    void postgres_data() { addTables(); }
    void postgres();
};

void TestBenchMask::sqlite()
{
    QFETCH(bool, wide);
    const QString table = wide ? QStringLiteral("wide, 30 columns") : QStringLiteral("4 columns");
    QTemporaryDir dir;
    const QString source = dir.filePath(QStringLiteral("source.db"));
    {
        SqliteConnection db;
        QString e;
        QVERIFY2(db.open(source, SqliteConnection::Create, &e), qPrintable(e));
        QVERIFY2(db.exec(createSql(wide), &e) && db.exec(fillSql(false, wide), &e), qPrintable(e));
    }
    const PolicyContext ctx = context();
    const Masker masker(ctx.maskSecret);
    QList<double> set;
    QList<double> floor;
    QList<double> mask;
    enum Statement { Set, Floor, Mask };
    for (int round = 0; round < Rounds; ++round) {
        for (int i = 0; i < 3; ++i) {
            // The order turns each round, as on PostgreSQL.
            const auto statement = Statement((i + round) % 3);
            const QString copy = dir.filePath(QStringLiteral("copy-%1-%2.db").arg(round).arg(i));
            QVERIFY(QFile::copy(source, copy));
            SqliteConnection db;
            QString e;
            QVERIFY2(db.open(copy, SqliteConnection::ReadWrite, &e), qPrintable(e));
            db.exec(QStringLiteral("PRAGMA synchronous = OFF"), nullptr); // as SqliteEngine::applyPolicy
            QElapsedTimer t;
            if (statement == Floor) {
                QCOMPARE(sqlite3_create_function_v2(db.handle(), "bench_digest", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                                    const_cast<Masker*>(&masker), digestOnly, nullptr, nullptr, nullptr),
                         SQLITE_OK);
                t.start();
                QVERIFY2(db.exec(sqliteFloorSql(), &e), qPrintable(e));
                floor << double(t.nsecsElapsed()) / 1e9;
                QCOMPARE(sqlite3_changes(db.handle()), rows());
                continue;
            }
            const auto policy = DataPolicy::fromJson(statement == Mask ? MaskPolicy : SetPolicy, &e);
            QVERIFY2(policy, qPrintable(e));
            t.start();
            const PolicyReport report = SqlitePolicyApplier(db.handle()).apply(*policy, ctx);
            (statement == Mask ? mask : set) << double(t.nsecsElapsed()) / 1e9;
            QVERIFY2(report.ok(), qPrintable(report.error));
            QCOMPARE(report.rules.at(0).tables.at(0).updated, qint64(rows()));
        }
    }
    const double s = BenchChild::median(set);
    const double f = BenchChild::median(floor);
    const double m = BenchChild::median(mask);
    BenchChild::emitRow(QStringLiteral("SQLite: mask 4 columns of %1 rows (%2), median s").arg(rows()).arg(table), m,
                        QStringLiteral("s"), QStringLiteral("set rule on the same columns"), s);
    BenchChild::emitRow(QStringLiteral("SQLite: set plus a function's SHA-256 of the 4 columns (floor; %1), median s")
                            .arg(table),
                        f, QStringLiteral("s"), QStringLiteral("set rule on the same columns"), s);
    qInfo("SQLite, %d rows (%s): set %.3f s, floor (set + function + SHA-256) %.3f s, mask %.3f s; floor/set %.2f, "
          "mask/set %.2f",
          rows(), qPrintable(table), s, f, m, f / s, m / s);
}

void TestBenchMask::postgres()
{
    QFETCH(bool, wide);
    const QString table = wide ? QStringLiteral("wide, 30 columns") : QStringLiteral("4 columns");
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set (scripts/test starts the server)");
    const QString templateName = uniqueName(QStringLiteral("bench_mask"));
    QString e;
    QVERIFY2(createDatabase(templateName, &e), qPrintable(e));
    QVERIFY2(exec(database(templateName), createSql(wide) + QLatin1Char(';') + fillSql(true, wide), &e) &&
                 exec(database(templateName), QStringLiteral("VACUUM ANALYZE"), &e),
             qPrintable(e));
    const PolicyContext ctx = context();
    // The floor: the `set` rule's constants, written only where the digest is not NULL (it
    // never is), so that PostgreSQL cannot skip computing it.
    const auto digest = [&ctx](const QString& kind, const QString& column) {
        return Masker::postgresDigest(QLatin1Char('\'') + ctx.maskSecret + QLatin1Char('\''),
                                      QLatin1Char('\'') + kind + QLatin1Char('\''),
                                      QLatin1Char('"') + column + QLatin1String("\"::text"));
    };
    const QString floorSql =
        QStringLiteral("UPDATE \"CUSTOMER\" SET \"NAME\" = CASE WHEN %1 IS NULL THEN NULL ELSE 'Masked Name' END, "
                       "\"EMAIL\" = CASE WHEN %2 IS NULL THEN NULL ELSE 'masked.person.0123456789@example.com' END, "
                       "\"PHONE\" = CASE WHEN %3 IS NULL THEN NULL ELSE '+1 (000) 000-0000' END, "
                       "\"CREDIT\" = CASE WHEN %4 IS NULL THEN NULL ELSE 10000 END")
            .arg(digest(QStringLiteral("name"), QStringLiteral("NAME")),
                 digest(QStringLiteral("email"), QStringLiteral("EMAIL")),
                 digest(QStringLiteral("phone"), QStringLiteral("PHONE")),
                 digest(QStringLiteral("number"), QStringLiteral("CREDIT")));
    QList<double> set;
    QList<double> floor;
    QList<double> mask;
    QStringList made;
    enum Statement { Set, Floor, Mask };
    for (int round = 0; round < Rounds; ++round) {
        for (int i = 0; i < 3; ++i) {
            // The order turns each round: set floor mask, floor mask set, mask set floor...
            const auto statement = Statement((i + round) % 3);
            const QString copy = uniqueName(QStringLiteral("bench_mask_copy"));
            QVERIFY2(exec(server(), QStringLiteral("CREATE DATABASE %1 TEMPLATE %2").arg(copy, templateName), &e),
                     qPrintable(e));
            made << copy;
            PostgresConnection c;
            QVERIFY2(c.open(database(copy), &e), qPrintable(e));
            c.exec(QStringLiteral("SET synchronous_commit = off"), nullptr); // as PostgresEngine::applyPolicy
            QElapsedTimer t;
            if (statement == Floor) {
                t.start();
                const qint64 updated = c.execCount(floorSql, &e);
                floor << double(t.nsecsElapsed()) / 1e9;
                QCOMPARE(updated, qint64(rows()));
                continue;
            }
            const auto policy = DataPolicy::fromJson(statement == Mask ? MaskPolicy : SetPolicy, &e);
            QVERIFY2(policy, qPrintable(e));
            t.start();
            const PolicyReport report = PostgresPolicyApplier(c, database(templateName)).apply(*policy, ctx);
            (statement == Mask ? mask : set) << double(t.nsecsElapsed()) / 1e9;
            QVERIFY2(report.ok(), qPrintable(report.error));
            QCOMPARE(report.rules.at(0).tables.at(0).updated, qint64(rows()));
        }
    }
    for (const QString& name : std::as_const(made))
        dropDatabase(name);
    dropDatabase(templateName);
    const double s = BenchChild::median(set);
    const double f = BenchChild::median(floor);
    const double m = BenchChild::median(mask);
    BenchChild::emitRow(QStringLiteral("PostgreSQL: mask 4 columns of %1 rows (%2), median s").arg(rows()).arg(table),
                        m, QStringLiteral("s"), QStringLiteral("set rule on the same columns"), s);
    BenchChild::emitRow(QStringLiteral("PostgreSQL: set plus sha256() of the 4 columns (floor; %1), median s").arg(table),
                        f, QStringLiteral("s"), QStringLiteral("set rule on the same columns"), s);
    qInfo("PostgreSQL, %d rows (%s): set %.3f s, floor (set + sha256) %.3f s, mask %.3f s; floor/set %.2f, "
          "mask/set %.2f",
          rows(), qPrintable(table), s, f, m, f / s, m / s);
}

QTEST_GUILESS_MAIN(TestBenchMask)
#include "tst_bench_mask.moc"
