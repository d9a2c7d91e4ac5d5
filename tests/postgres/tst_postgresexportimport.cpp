// Export database and Import database between PostgreSQL environments, through the real
// `dataalm` binary, on a demo project created with `dataalm demo --postgres` on the
// server scripts/test starts (DATAALM_TEST_PG_URL): the export is a pg_dump directory
// of a staging copy with the policy applied (the source is only read, no staging
// database is left), the import restores it with pg_restore into a staging database
// and swaps it in with the target's own records and administrator, and a rollback
// gives back the database of before; a PostgreSQL backup cannot go into a SQLite
// environment.
#include "CliRun.h"
#include "PostgresTestSupport.h"

#include "backup/BackupArchive.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace PostgresTestSupport;

class TestPostgresExportImport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void exportThenImportThenRollBack();
    void crossEngineImportIsRefused();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 180000) const;
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }
    QStringList databases() const { return databasesLike(m_project + QLatin1Char('-')); }
    QString exported(QString* why) const;

    QTemporaryDir m_catalog;
    QString m_project;
    QStringList m_demoDatabases;
};

void TestPostgresExportImport::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_project = uniqueName(QStringLiteral("px"));
    const CliRun run =
        cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
             QStringLiteral("4"), QStringLiteral("--postgres"), url()},
            600000);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    m_demoDatabases = databases();
    QCOMPARE(m_demoDatabases.size(), 10);
}

void TestPostgresExportImport::cleanupTestCase()
{
    for (const QString& name : databases())
        dropDatabase(name);
}

CliRun TestPostgresExportImport::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

QString TestPostgresExportImport::exported(QString* why) const
{
    const CliRun run = cli({QStringLiteral("export"), QStringLiteral("--source"), env(QStringLiteral("uat")),
                            QStringLiteral("--json")});
    if (!run.exitedWith(0)) {
        *why = run.describe();
        return {};
    }
    const CliRun list = cli({QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--json")});
    return list.json().array().first().toObject().value(QStringLiteral("name")).toString();
}

void TestPostgresExportImport::exportThenImportThenRollBack()
{
    const DatabaseRef uat = database(env(QStringLiteral("uat")));
    const DatabaseRef dev = database(env(QStringLiteral("dev")));
    QString e;
    const QByteArray uatBefore = dump(uat, &e);
    QString why;
    const QString name = exported(&why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    // The source is only read, and no staging database is left.
    QVERIFY(dump(uat, &e) == uatBefore);
    QCOMPARE(databases(), m_demoDatabases);
    const QString zip = m_catalog.filePath(QStringLiteral("assets/%1/backups/%2.zip").arg(m_project, name));
    const std::optional<BackupManifest> m = BackupArchive::inspect(zip, &e);
    QVERIFY2(m, qPrintable(e));
    QCOMPARE(m->engine, QStringLiteral("postgres"));
    QVERIFY(m->file(QStringLiteral("pgdump/toc.dat")));
    QCOMPARE(m->tables.value(QStringLiteral("BATCHJOBHISTORY")).toInteger(), 0);

    const QString devAdmin = value(dev, QStringLiteral("SELECT \"NETWORKALIAS\" FROM \"USERINFO\" WHERE \"ID\" = 'Admin'"));
    const QByteArray devBefore = dump(dev, &e);
    CliRun run = cli({QStringLiteral("import"), QStringLiteral("--backup"), name, QStringLiteral("--target"),
                      env(QStringLiteral("dev")), QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    QCOMPARE(value(dev, QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\"")),
             value(uat, QStringLiteral("SELECT count(*) FROM \"CUSTTABLE\"")));
    QCOMPARE(value(dev, QStringLiteral("SELECT count(*) FROM \"BATCHJOBHISTORY\"")), QStringLiteral("0"));
    QCOMPARE(value(dev, QStringLiteral("SELECT \"NETWORKALIAS\" FROM \"USERINFO\" WHERE \"ID\" = 'Admin'")), devAdmin);

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(dump(dev, &e) == devBefore);

    // The same file uploaded: a PostgreSQL dump runs its SQL when restored, so only a
    // backup this catalog exported is imported.
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("copy.zip"));
    run = cli({QStringLiteral("backup"), QStringLiteral("download"), name, QStringLiteral("--out"), copy,
               QStringLiteral("--project"), m_project});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("backup"), QStringLiteral("upload"), copy, QStringLiteral("--name"),
               QStringLiteral("uploaded"), QStringLiteral("--project"), m_project});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("import"), QStringLiteral("--backup"), QStringLiteral("uploaded"),
               QStringLiteral("--target"), env(QStringLiteral("dev")), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("uploaded from elsewhere")), qPrintable(run.describe()));
    QVERIFY(dump(dev, &e) == devBefore);
    run = cli({QStringLiteral("cleanup")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databases(), m_demoDatabases);
}

void TestPostgresExportImport::crossEngineImportIsRefused()
{
    QTemporaryDir files;
    const QString path = files.filePath(QStringLiteral("uat.db"));
    QFile(path).open(QIODevice::WriteOnly);
    CliRun run = cli({QStringLiteral("env"), QStringLiteral("add"), QStringLiteral("lite-uat"), QStringLiteral("--project"),
                      m_project, QStringLiteral("--type"), QStringLiteral("sandbox"), QStringLiteral("--tenant"),
                      QStringLiteral("contoso.onmicrosoft.com"), QStringLiteral("--admin"),
                      QStringLiteral("admin@contoso.onmicrosoft.com"), QStringLiteral("--application"),
                      QStringLiteral("10.0.40"), QStringLiteral("--platform"), QStringLiteral("64"),
                      QStringLiteral("--db"), QStringLiteral("transactional=sqlite://") + path});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QString why;
    const QString name = exported(&why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    run = cli({QStringLiteral("import"), QStringLiteral("--backup"), name, QStringLiteral("--target"),
               QStringLiteral("lite-uat"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("an import cannot cross engines")), qPrintable(run.describe()));
    QCOMPARE(QFile(path).size(), 0);
}

QTEST_GUILESS_MAIN(TestPostgresExportImport)
#include "tst_postgresexportimport.moc"
