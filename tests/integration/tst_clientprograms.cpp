// ClientPrograms: the programs a catalog's environments need. A catalog with a
// PostgreSQL environment on a machine without pg_dump and pg_restore makes the real
// `dataalm` say, when it opens the catalog, which package to install; a catalog of
// SQLite files needs nothing, and a machine with the programs hears nothing. The
// machine without them is this one with /usr/lib/postgresql hidden under an empty
// tmpfs in a private mount namespace (unshare -m, as root, as CI runs) and PATH
// emptied.
#include "CliRun.h"

#include "catalog/Catalog.h"
#include "registration/ClientPrograms.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestClientPrograms : public QObject
{
    Q_OBJECT

private slots:
    void postgresEnvironmentsNeedTheClientPrograms();
    void sqliteEnvironmentsNeedNone();
    void presentProgramsAreNotReported();

private:
    // A PostgreSQL database (that nothing needs to reach: only its engine counts).
    static DatabaseRef serverDatabase();
    // Writes a catalog in `folder` with one environment whose database is `db`.
    static void writeCatalog(const QString& folder, const DatabaseRef& db);
    // `dataalm env list` on `folder` where the PostgreSQL client programs cannot be found.
    static void runWithoutClientPrograms(const QString& folder, int* exitCode, QString* err);
};

DatabaseRef TestClientPrograms::serverDatabase()
{
    DatabaseRef db;
    db.role = DatabaseRef::Transactional;
    db.driver = QStringLiteral("postgres");
    db.host = QStringLiteral("127.0.0.1");
    db.port = 1;
    db.name = QStringLiteral("shop_uat");
    return db;
}

void TestClientPrograms::writeCatalog(const QString& folder, const DatabaseRef& db)
{
    Catalog catalog;
    QString error;
    QVERIFY2(catalog.open(folder, &error), qPrintable(error));
    QVERIFY2(catalog.addProject({QStringLiteral("shop"), QStringLiteral("Shop"), QString()}, &error),
             qPrintable(error));
    Environment e;
    e.id = QStringLiteral("shop-uat");
    e.projectId = QStringLiteral("shop");
    e.name = QStringLiteral("Shop UAT");
    e.type = EnvironmentType::Sandbox;
    e.tenant = QStringLiteral("shop.example");
    e.admin = QStringLiteral("admin@shop.example");
    e.versions.application = QStringLiteral("1.0");
    e.versions.platform = 1;
    e.databases = {db};
    QVERIFY2(catalog.addEnvironment(e, &error), qPrintable(error));
}

void TestClientPrograms::runWithoutClientPrograms(const QString& folder, int* exitCode, QString* err)
{
    QProcess p;
    p.setProgram(QStringLiteral("unshare"));
    p.setArguments({QStringLiteral("--mount"), QStringLiteral("--propagation"), QStringLiteral("private"),
                    QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("mount -t tmpfs none /usr/lib/postgresql && PATH=/nonexistent exec \"$0\" \"$@\""),
                    cliPath(), QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--catalog"), folder});
    p.start();
    QVERIFY2(p.waitForFinished(60000), "unshare did not finish");
    *exitCode = p.exitCode();
    *err = QString::fromUtf8(p.readAllStandardError());
    // A machine where the namespace cannot be made fails the test (never a skip).
    QVERIFY2(!err->contains(QLatin1String("unshare:")) && !err->contains(QLatin1String("mount:")), qPrintable(*err));
}

void TestClientPrograms::postgresEnvironmentsNeedTheClientPrograms()
{
    QTemporaryDir tmp;
    writeCatalog(tmp.path(), serverDatabase());
    int code = -1;
    QString err;
    runWithoutClientPrograms(tmp.path(), &code, &err);
    QCOMPARE(code, 0); // a warning, not a refusal: the SQLite environments still work
    QVERIFY2(err.contains(QStringLiteral("dataalm: warning: pg_dump and pg_restore were not found: refreshes of the "
                                         "PostgreSQL environments (shop-uat) need pg_dump and pg_restore. Install the "
                                         "Debian package postgresql-client")),
             qPrintable(err));
}

void TestClientPrograms::sqliteEnvironmentsNeedNone()
{
    QTemporaryDir tmp;
    DatabaseRef db;
    db.role = DatabaseRef::Transactional;
    db.driver = QStringLiteral("sqlite");
    db.path = QDir(tmp.path()).filePath(QStringLiteral("shop.db"));
    writeCatalog(tmp.path(), db);
    int code = -1;
    QString err;
    runWithoutClientPrograms(tmp.path(), &code, &err);
    QCOMPARE(code, 0);
    QVERIFY2(!err.contains(QLatin1String("warning")), qPrintable(err));
}

void TestClientPrograms::presentProgramsAreNotReported()
{
    QTemporaryDir tmp;
    writeCatalog(tmp.path(), serverDatabase());
    Catalog catalog;
    QString error;
    QVERIFY2(catalog.open(tmp.path(), &error), qPrintable(error));
    // scripts/test installs the PostgreSQL server, whose packages bring the client programs.
    QCOMPARE(ClientPrograms::missingFor(catalog), QString());
    const CliRun run = runCli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--catalog"), tmp.path()});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(!run.errText().contains(QLatin1String("warning")), qPrintable(run.errText()));
}

QTEST_GUILESS_MAIN(TestClientPrograms)
#include "tst_clientprograms.moc"
