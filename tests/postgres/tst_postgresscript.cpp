// PostgresScript: where a package script's statements end (strings, quoted
// identifiers, dollar-quoted bodies, nested comments, parentheses), named parameters
// sent as values, scripts that would end the step's transaction refused before
// anything runs, all-or-nothing runs and read-only checks on the test server.
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresScript.h"

#include <QTest>

using namespace PostgresTestSupport;

class TestPostgresScript : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void split_data();
    void split();
    void bindSendsValuesNotText();
    void transactionControlIsRecognised_data();
    void transactionControlIsRecognised();
    void runIsAllOrNothing();
    void runRefusesBeforeAnythingRuns_data();
    void runRefusesBeforeAnythingRuns();
    void checkOnlyReads();

private:
    QString count(const QString& table) const;

    DatabaseRef m_db;
    PostgresConnection m_conn;
};

void TestPostgresScript::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test");
    const QString name = uniqueName(QStringLiteral("script"));
    QString error;
    QVERIFY2(createDatabase(name, &error), qPrintable(error));
    m_db = database(name);
    QVERIFY2(m_conn.open(m_db, &error), qPrintable(error));
    QVERIFY2(m_conn.exec(QStringLiteral("CREATE TABLE \"T\" (\"ID\" bigint PRIMARY KEY, \"NOTE\" text)"), &error),
             qPrintable(error));
}

void TestPostgresScript::cleanupTestCase()
{
    m_conn.close();
    if (!m_db.name.isEmpty())
        dropDatabase(m_db.name);
}

namespace {

QStringList texts(std::initializer_list<const char*> list)
{
    QStringList out;
    for (const char* t : list)
        out << QString::fromUtf8(t);
    return out;
}

} // namespace

QString TestPostgresScript::count(const QString& table) const
{
    return value(m_db, QStringLiteral("SELECT count(*) FROM %1").arg(table));
}

void TestPostgresScript::split_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QStringList>("statements");
    QTest::newRow("two plain") << QByteArray("SELECT 1; SELECT 2;") << texts({"SELECT 1", "SELECT 2"});
    QTest::newRow("no final semicolon") << QByteArray("SELECT 1;\nSELECT 2") << texts({"SELECT 1", "SELECT 2"});
    QTest::newRow("string with ; and ''")
        << QByteArray("INSERT INTO t VALUES ('a;b''c;'); SELECT 2")
        << texts({"INSERT INTO t VALUES ('a;b''c;')", "SELECT 2"});
    QTest::newRow("E string with \\'")
        << QByteArray("SELECT E'it\\'s; fine'; SELECT 2") << texts({"SELECT E'it\\'s; fine'", "SELECT 2"});
    QTest::newRow("quoted identifier") << QByteArray("SELECT 1 AS \"a;\"\"b\"; SELECT 2")
                                       << texts({"SELECT 1 AS \"a;\"\"b\"", "SELECT 2"});
    QTest::newRow("dollar-quoted body")
        << QByteArray("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$; SELECT 2")
        << texts({"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$", "SELECT 2"});
    QTest::newRow("tagged dollar quote holding $$")
        << QByteArray("SELECT $body$ a; $$ b; $body$; SELECT 2")
        << texts({"SELECT $body$ a; $$ b; $body$", "SELECT 2"});
    QTest::newRow("positional $1 is no quote") << QByteArray("SELECT $1; SELECT 2") << texts({"SELECT $1", "SELECT 2"});
    QTest::newRow("line comment") << QByteArray("SELECT 1 -- a; b\n; SELECT 2")
                                  << texts({"SELECT 1 -- a; b", "SELECT 2"});
    QTest::newRow("nested block comment") << QByteArray("SELECT /* a /* b; */ c; */ 1; SELECT 2")
                                          << texts({"SELECT /* a /* b; */ c; */ 1", "SELECT 2"});
    QTest::newRow("parentheses") << QByteArray("CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); SELECT 3")
                                 << texts({"CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)", "SELECT 3"});
    QTest::newRow("comments and blanks only") << QByteArray("-- nothing;\n/* ; */ ;;\n  ") << texts({});
}

void TestPostgresScript::split()
{
    QFETCH(QByteArray, sql);
    QFETCH(QStringList, statements);
    QCOMPARE(PostgresScript::split(sql), statements);
}

void TestPostgresScript::bindSendsValuesNotText()
{
    const PostgresScript::Parameters p{{QStringLiteral(":environment"), QStringLiteral("o'brien; DROP TABLE x")},
                                       {QStringLiteral(":tenant"), QStringLiteral("t")}};
    QString bound;
    QVariantList values;
    QString error;
    QVERIFY2(PostgresScript::bind(QStringLiteral("SELECT :environment || ':tenant', \"x:tenant\", :tenant::text, "
                                                 "a[1:2], :environment -- :missing"),
                                  p, &bound, &values, &error),
             qPrintable(error));
    QCOMPARE(bound, QStringLiteral("SELECT $1 || ':tenant', \"x:tenant\", $2::text, a[1:2], $1 -- :missing"));
    QCOMPARE(values, (QVariantList{QStringLiteral("o'brien; DROP TABLE x"), QStringLiteral("t")}));
    QVERIFY(!PostgresScript::bind(QStringLiteral("SELECT :administrator"), p, &bound, &values, &error));
    QVERIFY2(error.contains(QStringLiteral(":administrator")) && error.contains(QStringLiteral(":environment")),
             qPrintable(error));
    // The value arrives as one value, whatever it holds.
    QVERIFY2(PostgresScript::bind(QStringLiteral("SELECT :environment"), p, &bound, &values, &error), qPrintable(error));
    QList<PostgresConnection::Row> rows;
    QVERIFY2(m_conn.query(bound, &rows, &error, values), qPrintable(error));
    QCOMPARE(rows.value(0).value(0).toString(), QStringLiteral("o'brien; DROP TABLE x"));
}

void TestPostgresScript::transactionControlIsRecognised_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<bool>("ends");
    for (const char* s : {"BEGIN", "begin transaction", "START TRANSACTION", "COMMIT", "/* x */ commit", "END",
                          "ABORT", "ROLLBACK", "ROLLBACK AND CHAIN", "PREPARE TRANSACTION 'x'", "-- c\nCOMMIT"})
        QTest::newRow(s) << QString::fromUtf8(s) << true;
    for (const char* s : {"ROLLBACK TO SAVEPOINT a", "SAVEPOINT a", "CREATE FUNCTION f() AS $$ BEGIN END $$",
                          "SELECT 'COMMIT'", "PREPARE q AS SELECT 1", "BEGINNING"})
        QTest::newRow(s) << QString::fromUtf8(s) << false;
}

void TestPostgresScript::transactionControlIsRecognised()
{
    QFETCH(QString, statement);
    QFETCH(bool, ends);
    QCOMPARE(PostgresScript::endsTransaction(statement), ends);
}

void TestPostgresScript::runIsAllOrNothing()
{
    const PostgresScript::Parameters p{{QStringLiteral(":environment"), QStringLiteral("uat")}};
    qint64 statements = 0;
    QString error;
    QList<qint64> progress;
    QVERIFY2(PostgresScript::run(
                 m_conn, "INSERT INTO \"T\" VALUES (1, :environment);\nINSERT INTO \"T\" VALUES (2, 'two; 2');\n", p,
                 [&](qint64 done, qint64) { progress << done; }, &statements, &error),
             qPrintable(error));
    QCOMPARE(statements, 2);
    QCOMPARE(progress, (QList<qint64>{1, 2}));
    QCOMPARE(count(QStringLiteral("\"T\"")), QStringLiteral("2"));
    QCOMPARE(value(m_db, QStringLiteral("SELECT \"NOTE\" FROM \"T\" WHERE \"ID\" = 1")), QStringLiteral("uat"));

    // The third statement fails: the first two are not kept.
    QVERIFY(!PostgresScript::run(m_conn,
                                 "INSERT INTO \"T\" VALUES (3, 'x');\nUPDATE \"T\" SET \"NOTE\" = 'changed';\n"
                                 "INSERT INTO \"T\" VALUES (1, 'duplicate');",
                                 p, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("statement 3 (INSERT INTO \"T\" VALUES (1, 'duplicate'))")) &&
                 error.contains(QStringLiteral("duplicate key")) && error.contains(QStringLiteral("rolled back")),
             qPrintable(error));
    QCOMPARE(count(QStringLiteral("\"T\"")), QStringLiteral("2"));
    QCOMPARE(value(m_db, QStringLiteral("SELECT count(*) FROM \"T\" WHERE \"NOTE\" = 'changed'")), QStringLiteral("0"));
    // The connection is usable afterwards, outside any transaction.
    QVERIFY2(m_conn.exec(QStringLiteral("SELECT 1"), &error), qPrintable(error));

    // COPY from a data stream the script does not have: refused, nothing kept, the
    // connection usable.
    QVERIFY(!PostgresScript::run(m_conn, "DELETE FROM \"T\";\nCOPY \"T\" FROM STDIN;", p, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("statement 2")) && error.contains(QStringLiteral("INSERT")),
             qPrintable(error));
    QCOMPARE(count(QStringLiteral("\"T\"")), QStringLiteral("2"));
    QVERIFY2(m_conn.exec(QStringLiteral("SELECT 1"), &error), qPrintable(error));

    // A procedure body cannot end the step's transaction either: the server refuses it.
    QVERIFY(!PostgresScript::run(m_conn, "DELETE FROM \"T\";\nDO $$ BEGIN COMMIT; END $$;", p, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("statement 2")), qPrintable(error));
    QCOMPARE(count(QStringLiteral("\"T\"")), QStringLiteral("2"));
}

void TestPostgresScript::runRefusesBeforeAnythingRuns_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QString>("message");
    QTest::newRow("commit") << QByteArray("DELETE FROM \"T\";\nCOMMIT;\nDELETE FROM \"T\";")
                            << QStringLiteral("statement 2 (COMMIT): a step runs in one transaction");
    QTest::newRow("begin") << QByteArray("BEGIN; DELETE FROM \"T\";")
                           << QStringLiteral("statement 1 (BEGIN): a step runs in one transaction");
    QTest::newRow("unknown parameter") << QByteArray("DELETE FROM \"T\";\nDELETE FROM \"T\" WHERE \"NOTE\" = :who;")
                                       << QStringLiteral("statement 2 (DELETE FROM \"T\" WHERE \"NOTE\" = :who) uses "
                                                         "the parameter :who");
}

void TestPostgresScript::runRefusesBeforeAnythingRuns()
{
    QFETCH(QByteArray, sql);
    QFETCH(QString, message);
    const QString before = count(QStringLiteral("\"T\""));
    qint64 statements = -1;
    QString error;
    QVERIFY(!PostgresScript::run(m_conn, sql, {{QStringLiteral(":environment"), QStringLiteral("uat")}}, {},
                                 &statements, &error));
    QVERIFY2(error.contains(message) && error.contains(QStringLiteral("nothing was run")), qPrintable(error));
    QCOMPARE(statements, 0);
    QCOMPARE(count(QStringLiteral("\"T\"")), before);
}

void TestPostgresScript::checkOnlyReads()
{
    const PostgresScript::Parameters p{{QStringLiteral(":environment"), QStringLiteral("uat")}};
    QVariant v;
    QString error;
    QVERIFY2(PostgresScript::check(m_conn, "SELECT count(*) FROM \"T\" WHERE \"NOTE\" = :environment;", p, &v, &error),
             qPrintable(error));
    QCOMPARE(v.toString(), QStringLiteral("1"));
    QVERIFY2(PostgresScript::check(m_conn, "SELECT EXISTS (SELECT 1 FROM \"T\")", p, &v, &error), qPrintable(error));
    QCOMPARE(v.toLongLong(), 1); // a boolean: true is 1
    QVERIFY2(PostgresScript::check(m_conn, "SELECT NULL", p, &v, &error), qPrintable(error));
    QVERIFY(v.isNull());
    QVERIFY2(PostgresScript::check(m_conn, "SELECT 1 WHERE false", p, &v, &error), qPrintable(error));
    QVERIFY(v.isNull());

    const QString before = count(QStringLiteral("\"T\""));
    QVERIFY(!PostgresScript::check(m_conn, "DELETE FROM \"T\" RETURNING 1", p, &v, &error));
    QVERIFY2(error.contains(QStringLiteral("must only read")), qPrintable(error));
    QVERIFY(!PostgresScript::check(m_conn, "SELECT 1; SELECT 2", p, &v, &error));
    QVERIFY2(error.contains(QStringLiteral("holds one query")), qPrintable(error));
    QVERIFY(!PostgresScript::check(m_conn, "-- nothing", p, &v, &error));
    QVERIFY2(error.contains(QStringLiteral("no query")), qPrintable(error));
    QVERIFY(!PostgresScript::check(m_conn, "COMMIT", p, &v, &error));
    QCOMPARE(count(QStringLiteral("\"T\"")), before);
}

QTEST_GUILESS_MAIN(TestPostgresScript)
#include "tst_postgresscript.moc"
