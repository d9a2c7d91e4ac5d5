// The SQL of package steps (SqliteScript): statements split by SQLite's own parser
// (semicolons inside strings, comments and trigger bodies are not breaks), a script
// runs in one transaction (a failure keeps nothing of it), a script cannot end that
// transaction, named parameters, and check queries (0 and NULL and no row fail).
#include "TestSupport.h"

#include "engine/SqliteScript.h"
#include "engine/SqliteConnection.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace TestSupport;

class TestPackageSql : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void splitKeepsSemicolonsInsideStringsAndComments();
    void splitKeepsTriggerBodiesWhole();
    void semicolonsInsideStringsReachTheDatabase();
    void failureKeepsNothingOfTheScript();
    void scriptCannotEndTheTransaction_data();
    void scriptCannotEndTheTransaction();
    void savepointsAreAllowed();
    void namedParametersAreBound();
    void unknownParameterFails();
    void checkValues_data();
    void checkValues();
    void checkMustOnlyRead();
    void checkHoldsOneQuery();

private:
    QStringList names(const QString& table);
    qint64 count(const QString& sql);

    QTemporaryDir* m_dir = nullptr;
    SqliteConnection* m_db = nullptr;
};

void TestPackageSql::init()
{
    m_dir = new QTemporaryDir;
    m_db = new SqliteConnection;
    QString error;
    QVERIFY2(m_db->open(m_dir->filePath(QStringLiteral("t.db")), SqliteConnection::Create, &error), qPrintable(error));
    QVERIFY(m_db->exec(QStringLiteral("CREATE TABLE T (RECID INTEGER PRIMARY KEY, NAME TEXT);"
                                      "INSERT INTO T (NAME) VALUES ('before');"),
                       &error));
}

void TestPackageSql::cleanup()
{
    delete m_db;
    delete m_dir;
}

QStringList TestPackageSql::names(const QString& table)
{
    QStringList result;
    QString error;
    const qint64 n = count(QStringLiteral("SELECT count(*) FROM ") + table);
    for (qint64 i = 1; i <= n; ++i)
        result << m_db->scalar(
                          QStringLiteral("SELECT NAME FROM %1 ORDER BY RECID LIMIT 1 OFFSET %2").arg(table).arg(i - 1),
                          &error)
                      .toString();
    return result;
}

qint64 TestPackageSql::count(const QString& sql)
{
    QString error;
    return m_db->scalar(sql, &error).toLongLong();
}

void TestPackageSql::splitKeepsSemicolonsInsideStringsAndComments()
{
    const QByteArray sql = "INSERT INTO T (NAME) VALUES ('a;b');\n"
                           "-- a comment; with a semicolon\n"
                           "/* another; one */ INSERT INTO T (NAME) VALUES (\"x;y\");\n"
                           "UPDATE T SET NAME = 'it''s; fine' WHERE NAME = 'a;b'\n";
    const QStringList statements = SqliteScript::split(sql);
    QCOMPARE(statements.size(), 3);
    QVERIFY(statements.at(0).startsWith(QStringLiteral("INSERT INTO T (NAME) VALUES ('a;b')")));
    QVERIFY(statements.at(2).startsWith(QStringLiteral("UPDATE")));
    QCOMPARE(SqliteScript::split("-- only a comment;\n/* ; */ ;;\n").size(), 0);
}

void TestPackageSql::splitKeepsTriggerBodiesWhole()
{
    const QByteArray sql = "CREATE TRIGGER T_NOT_EMPTY BEFORE INSERT ON T WHEN NEW.NAME = '' BEGIN\n"
                           "  SELECT RAISE(ABORT, 'empty; names are refused');\n"
                           "  SELECT 1;\n"
                           "END;\n"
                           "INSERT INTO T (NAME) VALUES ('after the trigger');";
    QCOMPARE(SqliteScript::split(sql).size(), 2);
    qint64 statements = 0;
    QString error;
    QVERIFY2(SqliteScript::run(m_db->handle(), sql, {}, {}, &statements, &error), qPrintable(error));
    QCOMPARE(statements, 2);
    QVERIFY(!m_db->exec(QStringLiteral("INSERT INTO T (NAME) VALUES ('')"), &error));
    QVERIFY2(error.contains(QStringLiteral("empty; names are refused")), qPrintable(error));
}

void TestPackageSql::semicolonsInsideStringsReachTheDatabase()
{
    const QByteArray sql = "INSERT INTO T (NAME) VALUES ('Server=tcp:x;Database=y;');\n"
                           "INSERT INTO T (NAME) VALUES ('--not a comment;'); -- a comment; after\n"
                           "INSERT INTO T (NAME) VALUES ('/* nor this; */')";
    qint64 statements = 0;
    qint64 progressTotal = 0;
    QString error;
    QVERIFY2(SqliteScript::run(
                 m_db->handle(), sql, {}, [&](qint64, qint64 total) { progressTotal = total; }, &statements, &error),
             qPrintable(error));
    QCOMPARE(statements, 3);
    QCOMPARE(progressTotal, 3);
    QCOMPARE(names(QStringLiteral("T")),
             (QStringList{QStringLiteral("before"), QStringLiteral("Server=tcp:x;Database=y;"),
                          QStringLiteral("--not a comment;"), QStringLiteral("/* nor this; */")}));
}

void TestPackageSql::failureKeepsNothingOfTheScript()
{
    const QByteArray sql = "CREATE TABLE NEWTABLE (RECID INTEGER PRIMARY KEY, NAME TEXT);\n"
                           "INSERT INTO T (NAME) VALUES ('half; done');\n"
                           "INSERT INTO T (RECID, NAME) VALUES (1, 'duplicate key');\n"
                           "INSERT INTO T (NAME) VALUES ('never');";
    qint64 statements = 0;
    QString error;
    QVERIFY(!SqliteScript::run(m_db->handle(), sql, {}, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("statement 3 (INSERT INTO T (RECID, NAME) VALUES (1, 'duplicate key'))")),
             qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("UNIQUE constraint failed: T.RECID")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("rolled back")), qPrintable(error));
    QCOMPARE(statements, 2);
    QCOMPARE(names(QStringLiteral("T")), QStringList{QStringLiteral("before")});
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE name = 'NEWTABLE'")), 0);
    // The connection is usable again: no transaction was left open.
    QVERIFY(m_db->exec(QStringLiteral("INSERT INTO T (NAME) VALUES ('later')"), &error));
}

void TestPackageSql::scriptCannotEndTheTransaction_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::newRow("COMMIT") << QByteArray(
        "INSERT INTO T (NAME) VALUES ('x');\nCOMMIT;\nINSERT INTO T (NAME) VALUES ('y');");
    QTest::newRow("END after a comment") << QByteArray(
        "INSERT INTO T (NAME) VALUES ('x');\n/* done */ end transaction;");
    QTest::newRow("BEGIN") << QByteArray("BEGIN;\nINSERT INTO T (NAME) VALUES ('x');");
    QTest::newRow("ROLLBACK") << QByteArray("INSERT INTO T (NAME) VALUES ('x');\n-- undo\nROLLBACK;");
}

void TestPackageSql::scriptCannotEndTheTransaction()
{
    QFETCH(QByteArray, sql);
    qint64 statements = 0;
    QString error;
    QVERIFY(!SqliteScript::run(m_db->handle(), sql, {}, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("must not begin, commit or roll back")), qPrintable(error));
    QCOMPARE(names(QStringLiteral("T")), QStringList{QStringLiteral("before")});
}

void TestPackageSql::savepointsAreAllowed()
{
    const QByteArray sql = "SAVEPOINT s1;\nINSERT INTO T (NAME) VALUES ('undone');\nROLLBACK TO s1;\nRELEASE s1;\n"
                           "INSERT INTO T (NAME) VALUES ('kept');";
    qint64 statements = 0;
    QString error;
    QVERIFY2(SqliteScript::run(m_db->handle(), sql, {}, {}, &statements, &error), qPrintable(error));
    QCOMPARE(names(QStringLiteral("T")), (QStringList{QStringLiteral("before"), QStringLiteral("kept")}));
}

void TestPackageSql::namedParametersAreBound()
{
    const QByteArray sql = "INSERT INTO T (NAME) VALUES ('Server=' || :environment || '-csu;Database=' || "
                           ":environment || ';');";
    qint64 statements = 0;
    QString error;
    QVERIFY2(SqliteScript::run(m_db->handle(), sql, {{QStringLiteral(":environment"), QStringLiteral("contoso-uat")}},
                               {}, &statements, &error),
             qPrintable(error));
    QCOMPARE(names(QStringLiteral("T")).last(), QStringLiteral("Server=contoso-uat-csu;Database=contoso-uat;"));
}

void TestPackageSql::unknownParameterFails()
{
    qint64 statements = 0;
    QString error;
    QVERIFY(!SqliteScript::run(m_db->handle(),
                               "INSERT INTO T (NAME) VALUES ('x');\nINSERT INTO T (NAME) VALUES (:who);",
                               {{QStringLiteral(":environment"), QStringLiteral("e")}}, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("statement 2")) && error.contains(QStringLiteral(":who")),
             qPrintable(error));
    QCOMPARE(names(QStringLiteral("T")), QStringList{QStringLiteral("before")});
    QVERIFY(!SqliteScript::run(m_db->handle(), "INSERT INTO T (NAME) VALUES (?);", {}, {}, &statements, &error));
    QVERIFY2(error.contains(QStringLiteral("positional parameter")), qPrintable(error));
}

void TestPackageSql::checkValues_data()
{
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QVariant>("expected");
    QTest::newRow("one") << QByteArray("SELECT 1;") << QVariant(qint64(1));
    QTest::newRow("zero") << QByteArray("SELECT count(*) FROM T WHERE NAME = 'nobody'") << QVariant(qint64(0));
    QTest::newRow("NULL") << QByteArray("SELECT NULL") << QVariant();
    QTest::newRow("no row") << QByteArray("SELECT NAME FROM T WHERE 0") << QVariant();
    QTest::newRow("text") << QByteArray("-- a comment; first\nSELECT NAME FROM T")
                          << QVariant(QStringLiteral("before"));
    QTest::newRow("parameter") << QByteArray("SELECT :environment") << QVariant(QStringLiteral("contoso-uat"));
}

void TestPackageSql::checkValues()
{
    QFETCH(QByteArray, sql);
    QFETCH(QVariant, expected);
    QVariant value;
    QString error;
    QVERIFY2(SqliteScript::check(m_db->handle(), sql, {{QStringLiteral(":environment"), QStringLiteral("contoso-uat")}},
                                 &value, &error),
             qPrintable(error));
    QCOMPARE(value.isNull(), expected.isNull());
    if (!expected.isNull())
        QCOMPARE(value, expected);
}

void TestPackageSql::checkMustOnlyRead()
{
    QVariant value;
    QString error;
    QVERIFY(!SqliteScript::check(m_db->handle(), "DELETE FROM T", {}, &value, &error));
    QVERIFY2(error.contains(QStringLiteral("must only read")), qPrintable(error));
    QCOMPARE(names(QStringLiteral("T")), QStringList{QStringLiteral("before")});
}

void TestPackageSql::checkHoldsOneQuery()
{
    QVariant value;
    QString error;
    QVERIFY(!SqliteScript::check(m_db->handle(), "SELECT 1; SELECT 2;", {}, &value, &error));
    QVERIFY2(error.contains(QStringLiteral("holds one query")), qPrintable(error));
    QVERIFY2(SqliteScript::check(m_db->handle(), "SELECT 'a;b'; -- trailing comment;\n", {}, &value, &error),
             qPrintable(error));
    QCOMPARE(value.toString(), QStringLiteral("a;b"));
}

QTEST_GUILESS_MAIN(TestPackageSql)
#include "tst_packagesql.moc"
