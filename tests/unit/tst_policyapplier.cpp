// SqlitePolicyApplier and PolicyCounter on real SQLite files, golden-file style
// (Tiled's automapping tests): one _data() row per folder of tests/data/policy/.
// See tests/data/policy/README.md for what a case folder holds.
#include "PolicyGolden.h"

#include "policy/DataPolicy.h"
#include "engine/PolicyCounter.h"
#include "engine/SqlitePolicyApplier.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <sqlite3.h>

using namespace PolicyGolden;

namespace {

const QString CasesDir = QStringLiteral(DATAALM_TEST_DATA_DIR "/policy");

// A sqlite3 connection for the test's own reading and writing.
class Db
{
public:
    Db(const QString& path, int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    {
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, flags, nullptr) != SQLITE_OK)
            qWarning("cannot open %s: %s", qPrintable(path), sqlite3_errmsg(m_db));
    }
    ~Db() { sqlite3_close(m_db); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    bool exec(const QString& sql, QString* error = nullptr)
    {
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK && error)
            *error = QString::fromUtf8(message ? message : sqlite3_errmsg(m_db));
        sqlite3_free(message);
        return rc == SQLITE_OK;
    }
    // ATTACH with the file name bound, as the refresh runner does.
    bool attach(const QString& path, const QString& schema)
    {
        sqlite3_stmt* stmt = nullptr;
        const QByteArray sql = QByteArray("ATTACH DATABASE ?1 AS ") + schema.toUtf8();
        sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr);
        const QByteArray file = QFile::encodeName(path);
        sqlite3_bind_text(stmt, 1, file.constData(), int(file.size()), SQLITE_TRANSIENT);
        const int rc = sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        return rc == SQLITE_DONE;
    }
    QVariant scalar(const QString& sql)
    {
        sqlite3_stmt* stmt = nullptr;
        QVariant v;
        if (sqlite3_prepare_v2(m_db, sql.toUtf8().constData(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            if (sqlite3_column_type(stmt, 0) == SQLITE_INTEGER)
                v = qint64(sqlite3_column_int64(stmt, 0));
            else if (sqlite3_column_type(stmt, 0) != SQLITE_NULL)
                v = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        }
        sqlite3_finalize(stmt);
        return v;
    }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

bool buildDatabase(const QString& path, const QString& sqlFile, QString* error)
{
    Db db(path);
    return db.exec(sqlFile.isEmpty() ? QString() : QString::fromUtf8(readFile(sqlFile)), error);
}

// The tables of the main schema, as the test sees them (independently of SchemaInfo).
QStringList tableNames(sqlite3* db)
{
    QStringList names;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                       "ORDER BY name",
                       -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW)
        names << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return names;
}

// Every row of `table` as a canonical JSON object (blobs as {"blob": "<hex>"}),
// ordered by RECID when the table has one, else by every column.
QStringList dumpTable(sqlite3* db, const QString& table)
{
    QStringList columns;
    sqlite3_stmt* stmt = nullptr;
    const QByteArray info = (QLatin1String("SELECT name FROM pragma_table_info(") + QLatin1Char('\'') +
                             QString(table).replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1String("')"))
                                .toUtf8();
    sqlite3_prepare_v2(db, info.constData(), -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW)
        columns << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);

    QStringList order;
    if (columns.contains(QStringLiteral("RECID"), Qt::CaseInsensitive))
        order << QStringLiteral("RECID");
    else
        for (int i = 1; i <= columns.size(); ++i)
            order << QString::number(i);
    QStringList select;
    for (const QString& c : std::as_const(columns))
        select << quoted(c);
    const QByteArray sql = (QLatin1String("SELECT ") + select.join(QLatin1String(", ")) + QLatin1String(" FROM ") +
                            quoted(table) + QLatin1String(" ORDER BY ") + order.join(QLatin1String(", ")))
                               .toUtf8();
    QStringList rows;
    if (sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
        rows << QStringLiteral("cannot dump %1: %2").arg(table, QString::fromUtf8(sqlite3_errmsg(db)));
        return rows;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        QJsonObject row;
        for (int i = 0; i < columns.size(); ++i) {
            QJsonValue v;
            switch (sqlite3_column_type(stmt, i)) {
            case SQLITE_INTEGER:
                v = qint64(sqlite3_column_int64(stmt, i));
                break;
            case SQLITE_FLOAT:
                v = sqlite3_column_double(stmt, i);
                break;
            case SQLITE_TEXT:
                v = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                                      sqlite3_column_bytes(stmt, i));
                break;
            case SQLITE_BLOB: {
                const QByteArray blob(static_cast<const char*>(sqlite3_column_blob(stmt, i)),
                                      sqlite3_column_bytes(stmt, i));
                v = QJsonObject{{QStringLiteral("blob"), QString::fromLatin1(blob.toHex())}};
                break;
            }
            default:
                v = QJsonValue(QJsonValue::Null);
            }
            row.insert(columns.at(i), v);
        }
        rows << canonical(row);
    }
    sqlite3_finalize(stmt);
    return rows;
}

// policy.json of the case, or the built-in default policy when there is none.
std::optional<DataPolicy> casePolicy(const QDir& dir, QString* error)
{
    if (dir.exists(QStringLiteral("policy.json")))
        return DataPolicy::fromFile(dir.filePath(QStringLiteral("policy.json")), error);
    return DataPolicy::defaultPolicy(error);
}

// A staging database built from a case's source.sql, with the case's target attached.
struct Fixture
{
    QTemporaryDir tmp;
    QString staging;
    QString pristine;
    QString target;
};

bool buildFixture(const QDir& dir, Fixture& f, QString* error)
{
    f.staging = f.tmp.filePath(QStringLiteral("staging.db"));
    f.pristine = f.tmp.filePath(QStringLiteral("source.db"));
    f.target = f.tmp.filePath(QStringLiteral("target.db"));
    if (!buildDatabase(f.staging, dir.filePath(QStringLiteral("source.sql")), error) ||
        !buildDatabase(f.pristine, dir.filePath(QStringLiteral("source.sql")), error))
        return false;
    if (dir.exists(QStringLiteral("target.sql")))
        return buildDatabase(f.target, dir.filePath(QStringLiteral("target.sql")), error);
    return buildDatabase(f.target, QString(), error); // an empty target
}

} // namespace

class TestPolicyApplier : public QObject
{
    Q_OBJECT

private slots:
    void golden_data();
    void golden();
    void sqlInValuesIsStoredVerbatim();
    void progressReportsEveryRule();
    void cancelBeforeARule();
    void cancelBetweenTablesRollsBackTheRule();
    void keepTargetNeedsTheTargetAttached();
    void triggersDoNotFire();
    void readOnlyStagingIsRefused();
    void runsOnAWorkerThread();
    void counterWorksReadOnly();
    void counterRefusesMissingTable();
};

void TestPolicyApplier::golden_data()
{
    QTest::addColumn<QString>("caseName");
    const QStringList cases = QDir(CasesDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(cases.size() >= 10, qPrintable(CasesDir));
    for (const QString& name : cases)
        QTest::newRow(qPrintable(name)) << name;
}

void TestPolicyApplier::golden()
{
    QFETCH(QString, caseName);
    const QDir dir(CasesDir + QLatin1Char('/') + caseName);
    QVERIFY2(dir.exists(QStringLiteral("source.sql")), "every case needs a source.sql");

    Fixture f;
    QString error;
    QVERIFY2(buildFixture(dir, f, &error), qPrintable(error));
    const std::optional<DataPolicy> policy = casePolicy(dir, &error);
    QVERIFY2(policy, qPrintable(error));
    const PolicyContext context = readContext(dir.filePath(QStringLiteral("context.json")));

    PolicyReport report;
    QList<int> progress;
    {
        Db staging(f.staging);
        QVERIFY(staging.attach(f.target, QStringLiteral("target")));
        const SqlitePolicyApplier applier(staging.handle());
        const int ruleCount = int(policy->rules().size());
        report = applier.apply(*policy, context, [&progress, ruleCount](int done, int total, const QString&) {
            progress << (total == ruleCount ? done : -1);
        });
    }

    const QStringList expectedError = nonEmptyLines(readFile(dir.filePath(QStringLiteral("expected-error.txt"))));
    if (!expectedError.isEmpty()) {
        QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Failed"));
        for (const QString& part : expectedError)
            QVERIFY2(report.error.contains(part),
                     qPrintable(QStringLiteral("'%1' not in: %2").arg(part, report.error)));
    } else {
        QVERIFY2(report.ok(), qPrintable(report.error));
        QCOMPARE(report.rules.size(), policy->rules().size());
        QCOMPARE(progress.size(), policy->rules().size() + 1);
        for (int i = 0; i < progress.size(); ++i)
            QCOMPARE(progress.at(i), i);
    }
    if (dir.exists(QStringLiteral("expected-log.txt")))
        QCOMPARE(report.logLines(), nonEmptyLines(readFile(dir.filePath(QStringLiteral("expected-log.txt")))));

    // Every table of the result: as expected/<table>.jsonl says, or exactly as in the source.
    Db result(f.staging, SQLITE_OPEN_READONLY);
    Db source(f.pristine, SQLITE_OPEN_READONLY);
    const QStringList tables = tableNames(result.handle());
    QCOMPARE(tables, tableNames(source.handle()));
    const QDir expectedDir(dir.filePath(QStringLiteral("expected")));
    QStringList expectedTables;
    for (const QString& file : expectedDir.entryList({QStringLiteral("*.jsonl")}, QDir::Files))
        expectedTables << tableFromFileName(file);
    for (const QString& table : std::as_const(expectedTables))
        QVERIFY2(tables.contains(table),
                 qPrintable(QStringLiteral("expected/ names a table the database lacks: ") + table));
    QStringList differing;
    for (const QString& table : tables) {
        const QStringList actual = dumpTable(result.handle(), table);
        QStringList expected;
        if (expectedTables.contains(table)) {
            const QString file = QString::fromLatin1(QUrl::toPercentEncoding(table, " ")) + QLatin1String(".jsonl");
            expected = readExpectedRows(expectedDir.filePath(file), &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        } else {
            expected = dumpTable(source.handle(), table);
        }
        if (actual != expected) {
            qWarning("table %s, actual rows:\n%s", qPrintable(table), qPrintable(actual.join(QLatin1Char('\n'))));
            qWarning("table %s, expected rows:\n%s", qPrintable(table), qPrintable(expected.join(QLatin1Char('\n'))));
            differing << table;
        }
    }
    QVERIFY2(differing.isEmpty(),
             qPrintable(QStringLiteral("tables that differ: ") + differing.join(QLatin1String(", "))));

    // expected-counts.json: {"rule": {"TABLE": rows}} that PolicyCounter finds in the source.
    if (dir.exists(QStringLiteral("expected-counts.json"))) {
        const QJsonObject expectedCounts =
            QJsonDocument::fromJson(readFile(dir.filePath(QStringLiteral("expected-counts.json")))).object();
        QVERIFY(!expectedCounts.isEmpty());
        const PolicyCounter counter(source.handle());
        QList<PolicyCounter::RuleCount> counts;
        QVERIFY2(counter.count(*policy, &counts, &error), qPrintable(error));
        QJsonObject actualCounts;
        for (const PolicyCounter::RuleCount& rc : std::as_const(counts)) {
            QJsonObject tablesJson;
            for (const PolicyCounter::TableCount& t : rc.tables)
                tablesJson.insert(t.table, t.rows);
            actualCounts.insert(rc.id, tablesJson);
        }
        QCOMPARE(canonical(actualCounts), canonical(expectedCounts));
    }
}

void TestPolicyApplier::sqlInValuesIsStoredVerbatim()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("s.db"));
    Db db(path);
    QVERIFY(db.exec(QStringLiteral("CREATE TABLE USERINFO (RECID INTEGER PRIMARY KEY, ID TEXT, NAME TEXT);"
                                   "INSERT INTO USERINFO VALUES (1, 'Admin', 'a'), (2, 'x''; DROP TABLE USERINFO; --', "
                                   "'b');")));
    const QString evil = QStringLiteral("x'; DROP TABLE USERINFO; --");
    QJsonObject rule{{QStringLiteral("id"), QStringLiteral("evil")},
                     {QStringLiteral("title"), QStringLiteral("Evil")},
                     {QStringLiteral("reason"), QStringLiteral("security")},
                     {QStringLiteral("table"), QStringLiteral("USERINFO")},
                     {QStringLiteral("action"), QStringLiteral("set")},
                     {QStringLiteral("values"), QJsonObject{{QStringLiteral("NAME"), evil}}},
                     {QStringLiteral("where"), QJsonObject{{QStringLiteral("ID"), evil}}}};
    QString error;
    const std::optional<DataPolicy> policy =
        DataPolicy::fromJson(QJsonDocument(QJsonObject{{QStringLiteral("rules"), QJsonArray{rule}}}).toJson(), &error);
    QVERIFY2(policy, qPrintable(error));
    const PolicyReport report = SqlitePolicyApplier(db.handle()).apply(*policy, {});
    QVERIFY2(report.ok(), qPrintable(report.error));
    QCOMPARE(report.rules.at(0).tables.at(0).updated, 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT NAME FROM USERINFO WHERE RECID = 2")).toString(), evil);
    QCOMPARE(db.scalar(QStringLiteral("SELECT NAME FROM USERINFO WHERE RECID = 1")).toString(), QStringLiteral("a"));
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM USERINFO")).toLongLong(), 2);
}

namespace {

// Three rules over three tables of ten rows each: X, Y and Z.
const QByteArray ThreeRules = R"({"rules": [
    {"id": "one", "title": "One", "reason": "security", "table": "X", "action": "exclude"},
    {"id": "two", "title": "Two", "reason": "security", "tables": ["Y", "Z"], "action": "exclude"},
    {"id": "three", "title": "Three", "reason": "security", "table": "Z", "action": "set", "values": {"V": 1}}
]})";

bool buildThreeTables(Db& db)
{
    return db.exec(QStringLiteral(
        "CREATE TABLE X (RECID INTEGER PRIMARY KEY, V INTEGER); CREATE TABLE Y (RECID INTEGER PRIMARY KEY, V INTEGER);"
        "CREATE TABLE Z (RECID INTEGER PRIMARY KEY, V INTEGER);"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
        "INSERT INTO X SELECT i, 0 FROM n; INSERT INTO Y SELECT * FROM X; INSERT INTO Z SELECT * FROM X;"));
}

} // namespace

void TestPolicyApplier::progressReportsEveryRule()
{
    QTemporaryDir tmp;
    Db db(tmp.filePath(QStringLiteral("p.db")));
    QVERIFY(buildThreeTables(db));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(ThreeRules, nullptr);
    QVERIFY(policy);
    QStringList calls;
    const PolicyReport report =
        SqlitePolicyApplier(db.handle()).apply(*policy, {}, [&calls](int done, int total, const QString& id) {
            calls << QStringLiteral("%1/%2 %3").arg(done).arg(total).arg(id);
        });
    QVERIFY2(report.ok(), qPrintable(report.error));
    QCOMPARE(calls, (QStringList{QStringLiteral("0/3 one"), QStringLiteral("1/3 two"), QStringLiteral("2/3 three"),
                                 QStringLiteral("3/3 ")}));
    QCOMPARE(report.rules.size(), 3);
    QCOMPARE(report.rules.at(1).rowsAffected(), 20);
    QCOMPARE(report.rules.at(2).tables.at(0).updated, 0); // Z was emptied by "two"
}

void TestPolicyApplier::cancelBeforeARule()
{
    QTemporaryDir tmp;
    Db db(tmp.filePath(QStringLiteral("c.db")));
    QVERIFY(buildThreeTables(db));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(ThreeRules, nullptr);
    bool cancel = false;
    const PolicyReport report = SqlitePolicyApplier(db.handle())
                                    .apply(
                                        *policy, {}, [&cancel](int done, int, const QString&) { cancel = done >= 1; },
                                        [&cancel] { return cancel; });
    QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Cancelled"));
    QVERIFY2(report.error.contains(QLatin1String("\"two\"")), qPrintable(report.error));
    QCOMPARE(report.rules.size(), 1); // "one" ran and stays
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM X")).toLongLong(), 0);
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM Y")).toLongLong(), 10);
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM Z")).toLongLong(), 10);
}

void TestPolicyApplier::cancelBetweenTablesRollsBackTheRule()
{
    QTemporaryDir tmp;
    Db db(tmp.filePath(QStringLiteral("c.db")));
    QVERIFY(buildThreeTables(db));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(ThreeRules, nullptr);
    // Asked before rule one, before its table, before rule two, before Y, before Z: cancel then.
    int asked = 0;
    const PolicyReport report =
        SqlitePolicyApplier(db.handle()).apply(*policy, {}, {}, [&asked] { return ++asked == 5; });
    QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Cancelled"));
    QVERIFY2(report.error.contains(QLatin1String("rolled back")), qPrintable(report.error));
    QCOMPARE(report.rules.size(), 1);
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM X")).toLongLong(), 0);
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM Y")).toLongLong(), 10); // rule two rolled back
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM Z")).toLongLong(), 10);
    QVERIFY(sqlite3_get_autocommit(db.handle()) != 0); // no transaction left open
}

void TestPolicyApplier::keepTargetNeedsTheTargetAttached()
{
    QTemporaryDir tmp;
    Db db(tmp.filePath(QStringLiteral("k.db")));
    QVERIFY(buildThreeTables(db));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(R"({"rules": [
        {"id": "first", "title": "First", "reason": "security", "table": "X", "action": "exclude"},
        {"id": "keep", "title": "Keep", "reason": "environment-specific", "table": "Y", "action": "keep-target"}]})",
                                                                  nullptr);
    QVERIFY(policy);
    const PolicyReport report = SqlitePolicyApplier(db.handle()).apply(*policy, {});
    QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Failed"));
    QCOMPARE(report.failedRuleId, QStringLiteral("keep"));
    QVERIFY2(report.error.contains(QLatin1String("\"target\"")), qPrintable(report.error));
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM X")).toLongLong(), 10); // nothing touched
}

void TestPolicyApplier::triggersDoNotFire()
{
    // The source's application has an audit trigger that copies a customer's old email into
    // AUDIT on every update, and one that refuses to delete a posted order. Masking the emails
    // must not copy them into AUDIT, and emptying the orders must not be refused; afterwards
    // both triggers are there as they were, and fire again. A rule that fails leaves them too.
    QTemporaryDir tmp;
    Db db(tmp.filePath(QStringLiteral("t.db")));
    const QString triggers =
        QStringLiteral("CREATE TRIGGER \"audit \"\"email\"\"\" AFTER UPDATE OF EMAIL ON customer BEGIN INSERT INTO AUDIT "
                       "VALUES (old.EMAIL); END; CREATE TRIGGER posted BEFORE DELETE ON ORDERS BEGIN SELECT "
                       "RAISE(ABORT, 'posted orders cannot be deleted'); END");
    QVERIFY(db.exec(QStringLiteral("CREATE TABLE CUSTOMER (RECID INTEGER PRIMARY KEY, EMAIL TEXT CHECK (EMAIL LIKE "
                                   "'%@%')); "
                                   "CREATE TABLE AUDIT (OLDEMAIL TEXT); CREATE TABLE ORDERS (RECID INTEGER PRIMARY KEY); "
                                   "INSERT INTO CUSTOMER VALUES (1, 'alice@contoso.com'), (2, 'bob@contoso.com'); "
                                   "INSERT INTO ORDERS VALUES (1), (2); ") +
                    triggers));
    const QString triggersNow = QStringLiteral("SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master "
                                               "WHERE type = 'trigger' ORDER BY name)");
    const QString before = db.scalar(triggersNow).toString();
    QVERIFY(before.contains(QLatin1String("RAISE")));
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(R"({"rules": [
        {"id": "emails", "title": "Emails", "reason": "security", "table": "CUSTOMER", "action": "mask",
         "columns": {"EMAIL": "email"}},
        {"id": "orders", "title": "Orders", "reason": "security", "table": "ORDERS", "action": "exclude"},
        {"id": "broken", "title": "Broken", "reason": "security", "table": "CUSTOMER", "action": "set",
         "values": {"EMAIL": "nobody"}}]})",
                                                                  nullptr);
    QVERIFY(policy);
    PolicyContext context;
    context.maskSecret = QStringLiteral("aa00000000000000000000000000000000000000000000000000000000000001");
    const PolicyReport report = SqlitePolicyApplier(db.handle()).apply(*policy, context);
    // The third rule breaks the CHECK: it fails and is rolled back, its dropped trigger with it.
    QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Failed"));
    QCOMPARE(report.failedRuleId, QStringLiteral("broken"));
    QCOMPARE(report.rules.size(), 2);
    QCOMPARE(report.rules.at(0).tables.at(0).triggersOff, QStringList{QStringLiteral("audit \"email\"")});
    QCOMPARE(report.rules.at(1).tables.at(0).triggersOff, QStringList{QStringLiteral("posted")});
    QVERIFY2(report.logLines().at(0).endsWith(QLatin1String("(trigger audit \"email\" off meanwhile)")),
             qPrintable(report.logLines().at(0)));
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM AUDIT")).toLongLong(), 0);
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM CUSTOMER WHERE EMAIL LIKE '%@example.com'")).toLongLong(), 2);
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM ORDERS")).toLongLong(), 0);
    QCOMPARE(db.scalar(triggersNow).toString(), before);
    QVERIFY(sqlite3_get_autocommit(db.handle()) != 0);
    // And they fire again.
    QVERIFY(db.exec(QStringLiteral("UPDATE CUSTOMER SET EMAIL = 'x@example.org' WHERE RECID = 1")));
    QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM AUDIT")).toLongLong(), 1);
    QVERIFY(db.exec(QStringLiteral("INSERT INTO ORDERS VALUES (3)")));
    QVERIFY(!db.exec(QStringLiteral("DELETE FROM ORDERS")));
}

void TestPolicyApplier::readOnlyStagingIsRefused()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("r.db"));
    {
        Db db(path);
        QVERIFY(buildThreeTables(db));
    }
    Db db(path, SQLITE_OPEN_READONLY);
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(ThreeRules, nullptr);
    const PolicyReport report = SqlitePolicyApplier(db.handle()).apply(*policy, {});
    QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Failed"));
    QVERIFY2(report.error.contains(QLatin1String("read-only")), qPrintable(report.error));
}

void TestPolicyApplier::runsOnAWorkerThread()
{
    // As the refresh runner does: the policy is loaded on one thread, the connection
    // is opened, used and closed on the worker thread.
    const QDir dir(CasesDir + QStringLiteral("/full-default"));
    Fixture f;
    QString error;
    QVERIFY2(buildFixture(dir, f, &error), qPrintable(error));
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QVERIFY(policy);
    PolicyReport report;
    QThread* worker = QThread::create([&] {
        Db staging(f.staging);
        staging.attach(f.target, QStringLiteral("target"));
        report = SqlitePolicyApplier(staging.handle())
                     .apply(*policy, readContext(dir.filePath(QStringLiteral("context.json"))));
    });
    worker->start();
    QVERIFY(worker->wait(60000));
    delete worker;
    QVERIFY2(report.ok(), qPrintable(report.error));
    Db result(f.staging, SQLITE_OPEN_READONLY);
    QCOMPARE(result.scalar(QStringLiteral("SELECT ENABLE FROM USERINFO WHERE ID = 'Admin'")).toLongLong(), 1);
}

void TestPolicyApplier::counterWorksReadOnly()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("r.db"));
    {
        Db db(path);
        QVERIFY(buildThreeTables(db));
        QVERIFY(db.exec(QStringLiteral("UPDATE Z SET V = RECID % 3")));
    }
    Db db(path, SQLITE_OPEN_READONLY);
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(R"({"rules": [
        {"id": "all", "title": "All", "reason": "security", "tables": ["X", "y"], "action": "exclude"},
        {"id": "some", "title": "Some", "reason": "security", "table": "Z", "action": "blank", "columns": ["V"],
         "where": {"V": [1, 2]}, "except": {"RECID": [1, 2, 3]}}]})",
                                                                  nullptr);
    QVERIFY(policy);
    QList<PolicyCounter::RuleCount> counts;
    QString error;
    QVERIFY2(PolicyCounter(db.handle()).count(*policy, &counts, &error), qPrintable(error));
    QCOMPARE(counts.size(), 2);
    QCOMPARE(counts.at(0).tables.at(1).table, QStringLiteral("Y")); // the database's spelling
    QCOMPARE(counts.at(0).total(), 20);
    // V in (1, 2): RECIDs 1,2,4,5,7,8,10; minus RECID 1..3: 4,5,7,8,10.
    QCOMPARE(counts.at(1).total(), 5);
    QCOMPARE(counts.at(1).description, QStringLiteral("V is blanked on rows where V is 1 or 2, except where RECID is "
                                                      "1, 2 or 3."));
    QVERIFY(sqlite3_get_autocommit(db.handle()) != 0);

    // Cancelled between tables: a failure that says so.
    QVERIFY(!PolicyCounter(db.handle()).count(*policy, &counts, &error, [] { return true; }));
    QVERIFY2(error.contains(QLatin1String("cancelled")), qPrintable(error));
}

void TestPolicyApplier::counterRefusesMissingTable()
{
    QTemporaryDir tmp;
    Db db(tmp.filePath(QStringLiteral("m.db")));
    QVERIFY(buildThreeTables(db));
    const std::optional<DataPolicy> policy = DataPolicy::defaultPolicy();
    QList<PolicyCounter::RuleCount> counts;
    QString error;
    QVERIFY(!PolicyCounter(db.handle()).count(*policy, &counts, &error));
    QVERIFY2(error.contains(QLatin1String("rule \"emails\": table LOGISTICSELECTRONICADDRESS")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestPolicyApplier)
#include "tst_policyapplier.moc"
