// The policy golden cases of tests/data/policy/ (README.md there), which
// tests/unit/tst_policyapplier.cpp runs on SQLite files, run here through
// PostgresPolicyApplier on the throwaway server scripts/test starts
// (DATAALM_TEST_PG_URL), against the SAME expected files: one _data() row per case
// folder, none left out (the list of cases is the folder listing, not a list here).
//
// Each case's source.sql / target.sql (written for SQLite) is translated as little as
// PostgreSQL needs (translateSqlite()), loaded into three fresh databases (staging,
// a pristine source, target), the policy applied to the staging one, and then:
// every table as expected/<table>.jsonl says or exactly as in the source; the report's
// log lines as expected-log.txt; a failure containing every line of expected-error.txt
// (PostgreSQL's own wording where SQLite's is engine-specific: ErrorWording); the
// rows PostgresEngine::countPolicyRows counts in the source as expected-counts.json.
#include "PolicyGolden.h"
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresEngine.h"
#include "engine/PostgresPolicyApplier.h"
#include "policy/DataPolicy.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>
#include <QUrl>

using namespace PolicyGolden;
using namespace PostgresTestSupport;

namespace {

const QString CasesDir = QStringLiteral(DATAALM_TEST_DATA_DIR "/policy");

// Where a line of expected-error.txt holds SQLite's own message, the line PostgreSQL's
// message for the same failure makes (case -> {SQLite's line, PostgreSQL's line}; the
// engine passes the server's message on as libpq gives it, severity included). Every
// other line of every expected file is used as it is.
const QMap<QString, QPair<QString, QString>> ErrorWording = {
    {QStringLiteral("failure-rolls-back"),
     {QStringLiteral("rule \"two\": updating C: UNIQUE constraint failed: C.V"),
      QStringLiteral("rule \"two\": updating C: ERROR:  duplicate key value violates unique constraint")}},
};

} // namespace

// The fixtures' SQLite SQL as PostgreSQL SQL; only what must change does:
// - a bare identifier is double-quoted: SQLite keeps its spelling (the expected files
//   and the reports use it), PostgreSQL would fold it to lower case;
// - types: INTEGER -> bigint (RECIDs exceed 32 bits), REAL -> double precision (SQLite's
//   REAL is 8 bytes), BLOB -> bytea; TEXT stays;
// - blob literals X'hex' -> '\xhex'::bytea.
// Strings, quoted identifiers, comments, numbers and punctuation pass unchanged (the
// server runs with standard_conforming_strings: a backslash in a string is a backslash,
// as in SQLite). The keywords the fixtures use stay keywords.
static QString translateSqlite(const QString& sql)
{
    static const QStringList Keywords = {QStringLiteral("CREATE"), QStringLiteral("TABLE"),  QStringLiteral("INSERT"),
                                         QStringLiteral("INTO"),   QStringLiteral("VALUES"), QStringLiteral("PRIMARY"),
                                         QStringLiteral("KEY"),    QStringLiteral("NOT"),    QStringLiteral("NULL"),
                                         QStringLiteral("UNIQUE"), QStringLiteral("DEFAULT")};
    static const QMap<QString, QString> Types = {{QStringLiteral("INTEGER"), QStringLiteral("bigint")},
                                                 {QStringLiteral("REAL"), QStringLiteral("double precision")},
                                                 {QStringLiteral("BLOB"), QStringLiteral("bytea")},
                                                 {QStringLiteral("TEXT"), QStringLiteral("text")}};
    QString out;
    const int n = int(sql.size());
    int i = 0;
    // The end of a quoted run starting at `from` (a quote doubled is part of it).
    auto quotedEnd = [&](int from, QChar q) {
        int j = from + 1;
        while (j < n) {
            if (sql.at(j) == q) {
                if (j + 1 < n && sql.at(j + 1) == q) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            ++j;
        }
        return n;
    };
    while (i < n) {
        const QChar c = sql.at(i);
        if (c == QLatin1Char('-') && i + 1 < n && sql.at(i + 1) == QLatin1Char('-')) {
            const int end = sql.indexOf(QLatin1Char('\n'), i);
            const int stop = end < 0 ? n : end;
            out += sql.mid(i, stop - i);
            i = stop;
        } else if ((c == QLatin1Char('X') || c == QLatin1Char('x')) && i + 1 < n &&
                   sql.at(i + 1) == QLatin1Char('\'') &&
                   (i == 0 || !(sql.at(i - 1).isLetterOrNumber() || sql.at(i - 1) == QLatin1Char('_')))) {
            const int end = quotedEnd(i + 1, QLatin1Char('\''));
            out += QStringLiteral("'\\x") + sql.mid(i + 2, end - i - 3) + QStringLiteral("'::bytea");
            i = end;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            const int end = quotedEnd(i, c);
            out += sql.mid(i, end - i);
            i = end;
        } else if (c.isLetter() || c == QLatin1Char('_')) {
            int j = i;
            while (j < n && (sql.at(j).isLetterOrNumber() || sql.at(j) == QLatin1Char('_')))
                ++j;
            const QString word = sql.mid(i, j - i);
            if (Types.contains(word.toUpper()))
                out += Types.value(word.toUpper());
            else if (Keywords.contains(word.toUpper()))
                out += word;
            else
                out += quoted(word);
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

class TestPostgresPolicyGolden : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void translation();
    void golden_data();
    void golden();

private:
    QString m_prefix;
};

namespace {

// The ordinary tables of the public schema, sorted as the SQLite test sorts them.
QStringList tableNames(PostgresConnection& db, QString* error)
{
    QList<PostgresConnection::Row> rows;
    if (!db.query(QStringLiteral("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE c.relkind = 'r' AND n.nspname = 'public'"),
                  &rows, error))
        return {};
    QStringList names;
    for (const auto& r : std::as_const(rows))
        names << r.at(0).toString();
    names.sort();
    return names;
}

// Every row of `table` as the SQLite test writes it: a canonical JSON object per row
// (integers, doubles, text, bytea as {"blob": "<hex>"}, NULL as null), ordered by
// RECID when the table has one, else by every column (NULLs first, as in SQLite).
QStringList dumpTable(PostgresConnection& db, const QString& table)
{
    QList<PostgresConnection::Row> cols;
    QString e;
    if (!db.query(QStringLiteral("SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
                                 "AND NOT attisdropped ORDER BY attnum"),
                  &cols, &e, {quoted(table)}))
        return {QStringLiteral("cannot read the columns of %1: %2").arg(table, e)};
    QStringList columns;
    for (const auto& c : std::as_const(cols))
        columns << c.at(0).toString();
    QStringList order;
    for (const QString& c : std::as_const(columns)) {
        if (c.compare(QLatin1String("RECID"), Qt::CaseInsensitive) == 0)
            order = {quoted(c)};
    }
    if (order.isEmpty()) {
        for (int i = 1; i <= columns.size(); ++i)
            order << QString::number(i) + QStringLiteral(" NULLS FIRST");
    }
    QStringList select;
    for (const QString& c : std::as_const(columns))
        select << quoted(c);
    QList<PostgresConnection::Row> rows;
    if (!db.query(QStringLiteral("SELECT %1 FROM %2 ORDER BY %3")
                      .arg(select.join(QLatin1String(", ")), quoted(table), order.join(QLatin1String(", "))),
                  &rows, &e))
        return {QStringLiteral("cannot dump %1: %2").arg(table, e)};
    QStringList result;
    for (const auto& r : std::as_const(rows)) {
        QJsonObject row;
        for (int i = 0; i < columns.size(); ++i) {
            const QVariant v = r.at(i);
            QJsonValue j;
            if (v.isNull())
                j = QJsonValue(QJsonValue::Null);
            else if (v.typeId() == QMetaType::LongLong)
                j = v.toLongLong();
            else if (v.typeId() == QMetaType::Double)
                j = v.toDouble();
            else if (v.typeId() == QMetaType::QByteArray)
                j = QJsonObject{{QStringLiteral("blob"), QString::fromLatin1(v.toByteArray().toHex())}};
            else
                j = v.toString();
            row.insert(columns.at(i), j);
        }
        result << canonical(row);
    }
    return result;
}

} // namespace

void TestPostgresPolicyGolden::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QString e;
    QVERIFY2(!value(server(), QStringLiteral("SELECT version()"), &e).isEmpty(), qPrintable(e));
    m_prefix = uniqueName(QStringLiteral("gold"));
}

void TestPostgresPolicyGolden::cleanupTestCase()
{
    for (const QString& name : databasesLike(m_prefix))
        dropDatabase(name);
}

void TestPostgresPolicyGolden::translation()
{
    // The translation itself, on the constructs the fixtures use.
    QCOMPARE(translateSqlite(QStringLiteral("CREATE TABLE T (RECID INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT "
                                            "'it''s x''00''', B BLOB, R REAL, \"we\"\"ird\" TEXT UNIQUE); -- X'00' "
                                            "stays\nINSERT INTO T VALUES (1, 'X''41''', X'00ff', 1.5, NULL);")),
             QStringLiteral("CREATE TABLE \"T\" (\"RECID\" bigint PRIMARY KEY, \"name\" text NOT NULL DEFAULT "
                            "'it''s x''00''', \"B\" bytea, \"R\" double precision, \"we\"\"ird\" text UNIQUE); -- "
                            "X'00' stays\nINSERT INTO \"T\" VALUES (1, 'X''41''', '\\x00ff'::bytea, 1.5, NULL);"));
}

void TestPostgresPolicyGolden::golden_data()
{
    QTest::addColumn<QString>("caseName");
    const QStringList cases = QDir(CasesDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(cases.size() >= 10, qPrintable(CasesDir));
    for (const QString& name : cases)
        QTest::newRow(qPrintable(name)) << name;
}

void TestPostgresPolicyGolden::golden()
{
    QFETCH(QString, caseName);
    const QDir dir(CasesDir + QLatin1Char('/') + caseName);
    QVERIFY2(dir.exists(QStringLiteral("source.sql")), "every case needs a source.sql");

    // Three databases of the test server: staging (the policy's), source (pristine), target.
    const QString base = m_prefix + QLatin1Char('_') + caseName.left(20).replace(QLatin1Char('-'), QLatin1Char('_'));
    const DatabaseRef staging = database(base + QStringLiteral("_s"));
    const DatabaseRef source = database(base + QStringLiteral("_p"));
    const DatabaseRef target = database(base + QStringLiteral("_t"));
    const QString sourceSql = translateSqlite(QString::fromUtf8(readFile(dir.filePath(QStringLiteral("source.sql")))));
    const QString targetSql =
        dir.exists(QStringLiteral("target.sql"))
            ? translateSqlite(QString::fromUtf8(readFile(dir.filePath(QStringLiteral("target.sql")))))
            : QString();
    QString error;
    for (const DatabaseRef& db : {staging, source, target})
        QVERIFY2(createDatabase(db.name, &error), qPrintable(error));
    QVERIFY2(exec(staging, sourceSql, &error), qPrintable(error));
    QVERIFY2(exec(source, sourceSql, &error), qPrintable(error));
    if (!targetSql.isEmpty())
        QVERIFY2(exec(target, targetSql, &error), qPrintable(error));

    const std::optional<DataPolicy> policy =
        dir.exists(QStringLiteral("policy.json"))
            ? DataPolicy::fromFile(dir.filePath(QStringLiteral("policy.json")), &error)
            : DataPolicy::defaultPolicy(&error);
    QVERIFY2(policy, qPrintable(error));
    const PolicyContext context = readContext(dir.filePath(QStringLiteral("context.json")));

    PolicyReport report;
    QList<int> progress;
    {
        PostgresConnection db;
        QVERIFY2(db.open(staging, &error), qPrintable(error));
        const int ruleCount = int(policy->rules().size());
        report = PostgresPolicyApplier(db, target)
                     .apply(*policy, context, [&progress, ruleCount](int done, int total, const QString&) {
                         progress << (total == ruleCount ? done : -1);
                     });
    }

    QStringList expectedError = nonEmptyLines(readFile(dir.filePath(QStringLiteral("expected-error.txt"))));
    if (ErrorWording.contains(caseName)) {
        const auto wording = ErrorWording.value(caseName);
        QVERIFY2(expectedError.contains(wording.first),
                 "ErrorWording names a line the case's expected-error.txt lacks");
        expectedError.replace(expectedError.indexOf(wording.first), wording.second);
    }
    if (!expectedError.isEmpty()) {
        QCOMPARE(PolicyReport::statusName(report.status), QStringLiteral("Failed"));
        for (const QString& part : std::as_const(expectedError))
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
    PostgresConnection result;
    PostgresConnection pristine;
    QVERIFY2(result.open(staging, &error), qPrintable(error));
    QVERIFY2(pristine.open(source, &error), qPrintable(error));
    const QStringList tables = tableNames(result, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!tables.isEmpty());
    QCOMPARE(tables, tableNames(pristine, &error));
    const QDir expectedDir(dir.filePath(QStringLiteral("expected")));
    QStringList expectedTables;
    for (const QString& file : expectedDir.entryList({QStringLiteral("*.jsonl")}, QDir::Files))
        expectedTables << QUrl::fromPercentEncoding(file.chopped(6).toUtf8());
    for (const QString& table : std::as_const(expectedTables))
        QVERIFY2(tables.contains(table),
                 qPrintable(QStringLiteral("expected/ names a table the database lacks: ") + table));
    QStringList differing;
    for (const QString& table : tables) {
        const QStringList actual = dumpTable(result, table);
        QStringList expected;
        if (expectedTables.contains(table)) {
            const QString file = QString::fromLatin1(QUrl::toPercentEncoding(table, " ")) + QLatin1String(".jsonl");
            expected = readExpectedRows(expectedDir.filePath(file), &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        } else {
            expected = dumpTable(pristine, table);
        }
        if (actual != expected) {
            qWarning("table %s, actual rows:\n%s", qPrintable(table), qPrintable(actual.join(QLatin1Char('\n'))));
            qWarning("table %s, expected rows:\n%s", qPrintable(table), qPrintable(expected.join(QLatin1Char('\n'))));
            differing << table;
        }
    }
    QVERIFY2(differing.isEmpty(),
             qPrintable(QStringLiteral("tables that differ: ") + differing.join(QLatin1String(", "))));

    // expected-counts.json: what the PostgreSQL engine's counter finds in the source.
    if (dir.exists(QStringLiteral("expected-counts.json"))) {
        const QJsonObject expectedCounts =
            QJsonDocument::fromJson(readFile(dir.filePath(QStringLiteral("expected-counts.json")))).object();
        QVERIFY(!expectedCounts.isEmpty());
        QList<PolicyCounter::RuleCount> counts;
        QVERIFY2(PostgresEngine().countPolicyRows(source, *policy, &counts, &error), qPrintable(error));
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

QTEST_GUILESS_MAIN(TestPostgresPolicyGolden)
#include "tst_postgrespolicygolden.moc"
