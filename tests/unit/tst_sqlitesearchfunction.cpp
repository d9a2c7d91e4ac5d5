// SqliteSearchFunction: dataalm_contains_any(text, needles) on a real SQLite connection, as
// the leak scan calls it. It finds a needle whatever the case of its ASCII letters, in
// text longer than its stack buffer too, with quotes, backslashes and a NUL in a needle;
// NULL and an empty list find nothing; needles that are not a JSON array of strings are
// an error that says so.
#include "engine/SqliteSearchFunction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <sqlite3.h>

class TestSqliteSearchFunction : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void finds_data();
    void finds();
    void badNeedlesAreAnError();

private:
    // dataalm_contains_any(text, needles) with both bound: 0 or 1, or -1 with m_error set.
    int containsAny(const QVariant& text, const QString& needles);

    sqlite3* m_db = nullptr;
    QString m_error;
};

void TestSqliteSearchFunction::init()
{
    QCOMPARE(sqlite3_open(":memory:", &m_db), SQLITE_OK);
    QString e;
    QVERIFY2(SqliteSearchFunction::install(m_db, &e), qPrintable(e));
}

void TestSqliteSearchFunction::cleanup()
{
    sqlite3_close(m_db);
    m_db = nullptr;
}

int TestSqliteSearchFunction::containsAny(const QVariant& text, const QString& needles)
{
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT dataalm_contains_any(?1, ?2)", -1, &stmt, nullptr) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return -1;
    }
    const QByteArray t = text.toString().toUtf8();
    if (text.isNull())
        sqlite3_bind_null(stmt, 1);
    else
        sqlite3_bind_text(stmt, 1, t.constData(), int(t.size()), SQLITE_TRANSIENT);
    const QByteArray n = needles.toUtf8();
    sqlite3_bind_text(stmt, 2, n.constData(), int(n.size()), SQLITE_TRANSIENT);
    int result = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        result = sqlite3_column_int(stmt, 0);
    else
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_finalize(stmt);
    return result;
}

void TestSqliteSearchFunction::finds_data()
{
    QTest::addColumn<QVariant>("text");
    QTest::addColumn<QStringList>("needles");
    QTest::addColumn<int>("found");
    const QStringList emails{QStringLiteral("alice@contoso.com"), QStringLiteral("Bob@Contoso.com")};
    QTest::newRow("lower case") << QVariant(QStringLiteral("mail alice@contoso.com today")) << emails << 1;
    QTest::newRow("capitals in the text") << QVariant(QStringLiteral("MAIL ALICE@CONTOSO.COM")) << emails << 1;
    QTest::newRow("capitals in the needle") << QVariant(QStringLiteral("bob@contoso.com")) << emails << 1;
    QTest::newRow("not there") << QVariant(QStringLiteral("carol@contoso.com")) << emails << 0;
    QTest::newRow("half of one") << QVariant(QStringLiteral("alice@\x1f" "contoso.com")) << emails << 0;
    QTest::newRow("NULL") << QVariant() << emails << 0;
    QTest::newRow("no needles") << QVariant(QStringLiteral("alice@contoso.com")) << QStringList() << 0;
    QTest::newRow("at the end of a long text")
        << QVariant(QString(5000, QLatin1Char('x')) + QStringLiteral("ALICE@contoso.com")) << emails << 1;
    QTest::newRow("quotes, a backslash and a NUL")
        << QVariant(QStringLiteral("note: \"o'brien\\\"") + QChar(0) + QStringLiteral("x"))
        << QStringList{QStringLiteral("\"O'Brien\\\"") + QChar(0) + QStringLiteral("x")} << 1;
    // Like SQLite's lower(): ASCII letters only (PostgreSQL's lower() folds the others too).
    QTest::newRow("outside ASCII, same case") << QVariant(QStringLiteral("émile@contoso.com"))
                                              << QStringList{QStringLiteral("Émile@contoso.com")} << 0;
    QTest::newRow("outside ASCII") << QVariant(QStringLiteral("Émile@Contoso.com"))
                                   << QStringList{QStringLiteral("Émile@contoso.com")} << 1;
}

void TestSqliteSearchFunction::finds()
{
    QFETCH(QVariant, text);
    QFETCH(QStringList, needles);
    QFETCH(int, found);
    const QString json = QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(needles)).toJson());
    QCOMPARE(containsAny(text, json), found);
}

void TestSqliteSearchFunction::badNeedlesAreAnError()
{
    QCOMPARE(containsAny(QStringLiteral("alice@contoso.com"), QStringLiteral("alice@contoso.com")), -1);
    QVERIFY2(m_error.contains(QLatin1String("not a JSON array")), qPrintable(m_error));
    QCOMPARE(containsAny(QStringLiteral("alice@contoso.com"), QStringLiteral("[\"alice\", 7]")), -1);
    QVERIFY2(m_error.contains(QLatin1String("a needle is not a string")), qPrintable(m_error));
}

QTEST_GUILESS_MAIN(TestSqliteSearchFunction)
#include "tst_sqlitesearchfunction.moc"
