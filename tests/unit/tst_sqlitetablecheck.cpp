// SqliteEngine::checkTablesIntegrity, the check a refresh's Verify step runs on the
// tables its policy wrote: it finds a damaged index of a named table (as the whole
// quick_check does), ignores damage in tables it was not asked about (that is the
// trade-off: those are untouched page copies of the source), refuses a table that does
// not exist, and accepts names that need quoting.
#include "SqliteInspect.h"
#include "TestSupport.h"

#include "engine/SqliteEngine.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace TestSupport;

class TestSqliteTableCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void healthy();
    void damagedIndex();
    void missingTable();

private:
    DatabaseRef ref() const;

    QTemporaryDir m_dir;
};

namespace {

const QString Odd = QStringLiteral("odd \"name\" 'here'");

// Zeroes one leaf page of `btree` (a table or index name) in the file itself.
bool zeroLeafPage(const QString& path, const QString& btree, QString* error)
{
    const QVariant page = SqliteInspect::value(
        path,
        QStringLiteral("SELECT pageno FROM dbstat WHERE name = '%1' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1")
            .arg(btree),
        error);
    const QVariant size = SqliteInspect::value(path, QStringLiteral("PRAGMA page_size"), error);
    if (!page.isValid() || !size.isValid() || page.toLongLong() < 2) {
        if (error->isEmpty())
            *error = QStringLiteral("no leaf page of %1").arg(btree);
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.seek((page.toLongLong() - 1) * size.toLongLong())) {
        *error = f.errorString();
        return false;
    }
    return f.write(QByteArray(size.toInt(), '\0')) == size.toInt();
}

} // namespace

DatabaseRef TestSqliteTableCheck::ref() const
{
    DatabaseRef r;
    r.role = DatabaseRef::Transactional;
    r.driver = DatabaseRef::Sqlite;
    r.path = m_dir.filePath(QStringLiteral("db.sqlite"));
    return r;
}

void TestSqliteTableCheck::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestSqliteTableCheck::healthy()
{
    const QString path = ref().path;
    QFile::remove(path);
    QString e;
    QVERIFY2(execSqlite(path,
                        {QStringLiteral("CREATE TABLE A (ID INTEGER PRIMARY KEY, NAME TEXT)"),
                         QStringLiteral("CREATE TABLE ") + SqliteInspect::quote(Odd) + QStringLiteral(" (X)"),
                         QStringLiteral("INSERT INTO A (NAME) VALUES ('one'), ('two')")},
                        &e),
             qPrintable(e));
    SqliteEngine engine;
    QVERIFY2(engine.checkTablesIntegrity(ref(), {QStringLiteral("A"), QStringLiteral("a"), Odd}, &e), qPrintable(e));
    QVERIFY2(engine.checkTablesIntegrity(ref(), {}, &e), qPrintable(e));
}

void TestSqliteTableCheck::damagedIndex()
{
    const QString path = ref().path;
    QFile::remove(path);
    QString e;
    QStringList fill{QStringLiteral("BEGIN"), QStringLiteral("CREATE TABLE A (ID INTEGER PRIMARY KEY, NAME TEXT)"),
                     QStringLiteral("CREATE INDEX A_NAME ON A (NAME)"),
                     QStringLiteral("CREATE TABLE B (ID INTEGER PRIMARY KEY, NAME TEXT)")};
    for (int i = 0; i < 2000; ++i) {
        fill << QStringLiteral("INSERT INTO A (NAME) VALUES ('a name long enough to fill pages %1')").arg(i)
             << QStringLiteral("INSERT INTO B (NAME) VALUES ('b %1')").arg(i);
    }
    fill << QStringLiteral("COMMIT");
    QVERIFY2(execSqlite(path, fill, &e), qPrintable(e));
    QVERIFY2(zeroLeafPage(path, QStringLiteral("A_NAME"), &e), qPrintable(e));

    SqliteEngine engine;
    QVERIFY(!engine.checkIntegrity(ref(), &e));
    e.clear();
    QVERIFY(!engine.checkTablesIntegrity(ref(), {QStringLiteral("B"), QStringLiteral("A")}, &e));
    QVERIFY2(e.contains(QLatin1String("table A")), qPrintable(e));
    // Not asked about A: B alone is fine.
    QVERIFY2(engine.checkTablesIntegrity(ref(), {QStringLiteral("B")}, &e), qPrintable(e));
}

void TestSqliteTableCheck::missingTable()
{
    const QString path = ref().path;
    QFile::remove(path);
    QString e;
    QVERIFY2(execSqlite(path, {QStringLiteral("CREATE TABLE A (ID INTEGER PRIMARY KEY)")}, &e), qPrintable(e));
    SqliteEngine engine;
    QVERIFY(!engine.checkTablesIntegrity(ref(), {QStringLiteral("NOPE")}, &e));
    QVERIFY2(e.contains(QLatin1String("NOPE")), qPrintable(e));
}

QTEST_GUILESS_MAIN(TestSqliteTableCheck)
#include "tst_sqlitetablecheck.moc"
