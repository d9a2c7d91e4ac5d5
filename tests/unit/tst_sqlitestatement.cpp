// SqliteStatement, the one statement wrapper: values bound by type, rows read back
// typed, bulk inserts that report failures to their sink, statements prepared one
// after the other from a script, and what a statement says about itself.
#include "engine/SqliteConnection.h"
#include "engine/SqliteStatement.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

class TestSqliteStatement : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void bindsAndReadsBackByType();
    void bulkInsertReportsFailuresToItsSink();
    void preparesAScriptStatementByStatement();
    void describesItself();

private:
    QTemporaryDir* m_dir = nullptr;
    SqliteConnection* m_db = nullptr;
};

void TestSqliteStatement::init()
{
    m_dir = new QTemporaryDir;
    m_db = new SqliteConnection;
    QString error;
    QVERIFY2(m_db->open(QDir(m_dir->path()).filePath(QStringLiteral("t.db")), SqliteConnection::Create, &error),
             qPrintable(error));
    QVERIFY2(m_db->exec(QStringLiteral("CREATE TABLE T (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, AMOUNT REAL, "
                                       "DATA BLOB)"),
                        &error),
             qPrintable(error));
}

void TestSqliteStatement::cleanup()
{
    delete m_db;
    delete m_dir;
}

void TestSqliteStatement::bindsAndReadsBackByType()
{
    SqliteStatement insert(m_db->handle(), QStringLiteral("INSERT INTO T VALUES (?1, ?2, ?3, ?4)"));
    QVERIFY(insert.isValid());
    QVERIFY(insert.bind(1, qint64(7)) && insert.bind(2, QStringLiteral("")) && insert.bind(3, 2.5) &&
            insert.bind(4, QByteArray("\0x", 2)));
    QVERIFY2(insert.run(), qPrintable(insert.errorMessage()));
    SqliteStatement select(m_db->handle(), QStringLiteral("SELECT ID, NAME, AMOUNT, DATA, NULL FROM T"));
    QCOMPARE(select.step(), SQLITE_ROW);
    QCOMPARE(select.columnCount(), 5);
    QCOMPARE(select.value(0), QVariant(qint64(7)));
    QCOMPARE(select.value(1), QVariant(QString())); // an empty text stays '', not NULL
    QVERIFY(!select.value(1).isNull());
    QCOMPARE(select.value(2), QVariant(2.5));
    QCOMPARE(select.value(3), QVariant(QByteArray("\0x", 2)));
    QVERIFY(select.value(4).isNull());
    QCOMPARE(select.step(), SQLITE_DONE);
}

void TestSqliteStatement::bulkInsertReportsFailuresToItsSink()
{
    QStringList failures;
    SqliteStatement insert(m_db->handle(), "INSERT INTO T VALUES (?, ?, ?, ?)", SqliteStatement::Reuse::Many);
    insert.setErrorSink([&](const QString& message) { failures << message; });
    const std::string name = "first";
    QVERIFY(insert.integer(1).text(name).real(1.5).null().insert());
    QVERIFY(insert.integer(2).text("second").real(2).blob("ab", 2).insert());
    // NAME is NOT NULL: the row fails, the sink hears it, the next row still goes in.
    QVERIFY(!insert.integer(3).null().real(3).null().insert());
    QCOMPARE(failures.size(), 1);
    QVERIFY2(failures.constFirst().contains(QLatin1String("NOT NULL")), qPrintable(failures.constFirst()));
    QVERIFY(insert.integer(4).text("fourth").real(4).null().insert());
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT group_concat(NAME, ',') FROM T"), nullptr).toString(),
             QStringLiteral("first,second,fourth"));

    // A statement that cannot be prepared says so to its sink at once.
    SqliteStatement bad(m_db->handle(), "INSERT INTO MISSING VALUES (?)", SqliteStatement::Reuse::Many);
    QVERIFY(!bad.isValid());
    bad.setErrorSink([&](const QString& message) { failures << message; });
    QCOMPARE(failures.size(), 2);
    QVERIFY2(failures.constLast().contains(QLatin1String("MISSING")), qPrintable(failures.constLast()));
    QVERIFY(!bad.integer(1).insert());
    SqliteStatement none(nullptr, "SELECT 1", SqliteStatement::Reuse::Once);
    QVERIFY(!none.isValid() && !none.isEmpty());
}

void TestSqliteStatement::preparesAScriptStatementByStatement()
{
    const QByteArray script("-- a comment; not a statement\nINSERT INTO T VALUES (1, 'a;b', 0, NULL);\n"
                            "  SELECT count(*) FROM T ;\n/* trailing */ ");
    const char* tail = script.constData();
    const char* end = tail + script.size();
    QStringList kinds;
    while (tail < end) {
        const char* next = nullptr;
        SqliteStatement s(m_db->handle(), tail, end, &next);
        QVERIFY(s.isValid() || s.isEmpty());
        kinds << (s.isEmpty() ? QStringLiteral("empty") : s.isReadOnly() ? QStringLiteral("read") : QStringLiteral("write"));
        if (s.isValid())
            QVERIFY2(s.run(), qPrintable(s.errorMessage()));
        tail = next;
    }
    QCOMPARE(kinds, (QStringList{QStringLiteral("write"), QStringLiteral("read"), QStringLiteral("empty")}));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT NAME FROM T"), nullptr).toString(), QStringLiteral("a;b"));

    const QByteArray broken("SELEC 1; SELECT 2");
    const char* next = nullptr;
    SqliteStatement s(m_db->handle(), broken.constData(), broken.constData() + broken.size(), &next);
    QVERIFY(!s.isValid() && !s.isEmpty());
    QVERIFY2(s.errorMessage().contains(QLatin1String("syntax error")), qPrintable(s.errorMessage()));
}

void TestSqliteStatement::describesItself()
{
    SqliteStatement s(m_db->handle(), QStringLiteral("UPDATE T SET NAME = :name WHERE ID = ?2"));
    QVERIFY(s.isValid());
    QVERIFY(!s.isReadOnly());
    QCOMPARE(s.parameterCount(), 2);
    QCOMPARE(s.parameterName(1), QStringLiteral(":name"));
    QCOMPARE(s.parameterName(2), QStringLiteral("?2"));
    SqliteStatement positional(m_db->handle(), QStringLiteral("SELECT ?"));
    QCOMPARE(positional.parameterName(1), QString());
    QString error;
    QVERIFY(!SqliteStatement::exec(m_db->handle(), QStringLiteral("NOT SQL"), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "tst_sqlitestatement.moc"
