// Catalog: opening, initialising and upgrading catalog.db, refusing what is not a
// catalog (and changing nothing then), environments, the audit trail, derived state.
#include "TestSupport.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace TestSupport;

class TestCatalog : public QObject
{
    Q_OBJECT

private slots:
    void freshFolderIsInitialised();
    void reopenKeepsEverything();
    void frozenCatalogIsUpgraded_data();
    void frozenCatalogIsUpgraded();
    void newerCatalogIsRefused();
    void notACatalogIsRefused_data();
    void notACatalogIsRefused();
    void readOnlyFolderIsRefused_data();
    void readOnlyFolderIsRefused();
    void folderUnderAFileIsRefused();
    void folderThatIsAFileIsRefused();
    void symlinkLoopIsNamed();
    void environmentRoundTrip();
    void duplicateEnvironmentIsRefused();
    void failedAddLeavesNothing();
    void removeCascadesDatabases();
    void auditTrailRecordsWhoAndWhat();
    void derivedState_data();
    void derivedState();
    void listingStreamsWithTheirSteps();

private:
    // Expects open() to refuse `folder` with a message containing every one of
    // `mentions`, to leave `watched` exactly as it was and to hold no connection.
    void expectRefusal(const QString& folder, const QStringList& mentions, const QString& watched);
};

namespace {

QStringList tables(const QSqlDatabase& db)
{
    QStringList names;
    QSqlQuery q(db);
    q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                          "ORDER BY name"));
    while (q.next())
        names << q.value(0).toString();
    return names;
}

QVariant pragma(const QSqlDatabase& db, const char* name)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA ") + QLatin1String(name)) || !q.next())
        return {};
    return q.value(0);
}

void compareEnvironments(const Environment& actual, const Environment& expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.projectId, expected.projectId);
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.type, expected.type);
    QCOMPARE(actual.tenant, expected.tenant);
    QCOMPARE(actual.admin, expected.admin);
    QCOMPARE(actual.versions.application, expected.versions.application);
    QCOMPARE(actual.versions.platform, expected.versions.platform);
    QCOMPARE(actual.versions.financialReporting, expected.versions.financialReporting);
    QCOMPARE(actual.versions.commerce, expected.versions.commerce);
    QCOMPARE(actual.databases.size(), expected.databases.size());
    for (const auto& want : expected.databases) {
        const DatabaseRef* got = actual.database(want.role);
        QVERIFY2(got, qPrintable(want.role));
        QCOMPARE(got->driver, want.driver);
        QCOMPARE(got->path, want.path);
        QCOMPARE(got->host, want.host);
        QCOMPARE(got->port, want.port);
        QCOMPARE(got->name, want.name);
        QCOMPARE(got->user, want.user);
        QCOMPARE(got->sslMode, want.sslMode);
    }
}

Project contoso()
{
    return {QStringLiteral("contoso"), QStringLiteral("Contoso"), QString()};
}

// A catalog folder holding a current catalog with one project and one environment.
bool writeCatalog(const QString& folder, QString* error)
{
    Catalog c;
    return c.open(folder, error) && c.addProject(contoso(), error) &&
           c.addEnvironment(sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso")), error);
}

} // namespace

void TestCatalog::expectRefusal(const QString& folder, const QStringList& mentions, const QString& watched)
{
    const auto before = folderSnapshot(watched);
    const QStringList connectionsBefore = QSqlDatabase::connectionNames();
    {
        Catalog c;
        QString error;
        QVERIFY2(!c.open(folder, &error), qPrintable(folder));
        QVERIFY(!c.isOpen());
        for (const QString& m : mentions)
            QVERIFY2(error.contains(m), qPrintable(QStringLiteral("'%1' not in: %2").arg(m, error)));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        // A refused open keeps no connection, even while the Catalog object lives.
        QCOMPARE(QSqlDatabase::connectionNames(), connectionsBefore);
    }
    QCOMPARE(folderSnapshot(watched), before);
}

void TestCatalog::freshFolderIsInitialised()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString folder = tmp.filePath(QStringLiteral("not/yet/there"));
    Catalog c;
    QString error;
    QVERIFY2(c.open(folder, &error), qPrintable(error));
    QVERIFY(c.isOpen());
    QCOMPARE(c.schemaVersion(), Catalog::currentSchemaVersion());
    QVERIFY(Catalog::currentSchemaVersion() >= 2);
    QCOMPARE(c.folder(), QFileInfo(folder).absoluteFilePath());
    QCOMPARE(c.databasePath(), QDir(folder).filePath(QStringLiteral("catalog.db")));
    QVERIFY(QFileInfo(c.databasePath()).isFile());
    QCOMPARE(pragma(c.database(), "application_id").toInt(), 0x44414C4D);
    QCOMPARE(pragma(c.database(), "journal_mode").toString(), QStringLiteral("wal"));
    QCOMPARE(pragma(c.database(), "foreign_keys").toInt(), 1);
    const QStringList expected = {QStringLiteral("audit"),        QStringLiteral("environment_databases"),
                                  QStringLiteral("environments"), QStringLiteral("operation_steps"),
                                  QStringLiteral("operations"),   QStringLiteral("projects")};
    for (const QString& t : expected)
        QVERIFY2(tables(c.database()).contains(t), qPrintable(t));
    QVERIFY(c.projects().isEmpty());
    QVERIFY(c.environments().isEmpty());

    // An empty folder that exists is initialised too.
    Catalog empty;
    QVERIFY2(empty.open(tmp.path(), &error), qPrintable(error));
    QCOMPARE(empty.schemaVersion(), Catalog::currentSchemaVersion());
}

void TestCatalog::reopenKeepsEverything()
{
    QTemporaryDir tmp;
    QString error;
    QVERIFY2(writeCatalog(tmp.path(), &error), qPrintable(error));
    Catalog c;
    QVERIFY2(c.open(tmp.path(), &error), qPrintable(error));
    QCOMPARE(c.schemaVersion(), Catalog::currentSchemaVersion());
    QCOMPARE(c.projects().size(), 1);
    QVERIFY(c.environment(QStringLiteral("contoso-uat")));
    // Two catalogs on the same folder at once (console and CLI): both work.
    Catalog second;
    QVERIFY2(second.open(tmp.path(), &error), qPrintable(error));
    QVERIFY(second.environment(QStringLiteral("contoso-uat")));
}

void TestCatalog::frozenCatalogIsUpgraded_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("schema version 1") << 1;
    QTest::newRow("schema version 2") << 2;
}

// Catalog files of older schema versions, frozen in tests/data/catalog (made once from
// their .sql beside them, never with today's code), are upgraded with every row kept.
void TestCatalog::frozenCatalogIsUpgraded()
{
    QFETCH(int, version);
    QTemporaryDir tmp;
    QString error;
    const QString fixture = QStringLiteral(DATAALM_TEST_DATA_DIR "/catalog/catalog-v%1.db").arg(version);
    const QString path = QDir(tmp.path()).filePath(QLatin1String(Catalog::FileName));
    QVERIFY2(QFile::copy(fixture, path), qPrintable(fixture));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    {
        // The fixture is what it says it is, before the upgrade.
        QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("frozen"));
        raw.setDatabaseName(path);
        QVERIFY(raw.open());
        QCOMPARE(pragma(raw, "user_version").toInt(), version);
        QCOMPARE(tables(raw).contains(QStringLiteral("operations")), version >= 2);
        QVERIFY(!tables(raw).contains(QStringLiteral("assets")));
        raw.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("frozen"));

    Catalog c;
    QVERIFY2(c.open(tmp.path(), &error), qPrintable(error));
    QCOMPARE(c.schemaVersion(), Catalog::currentSchemaVersion());
    QVERIFY(tables(c.database()).contains(QStringLiteral("operations")));
    QVERIFY(tables(c.database()).contains(QStringLiteral("assets")));

    // Every project, environment and database of the old file is there, as it was.
    QCOMPARE(c.projects().size(), 2);
    const auto fabrikam = c.project(QStringLiteral("fabrikam"));
    QVERIFY(fabrikam);
    QCOMPARE(fabrikam->policyPath, QStringLiteral("/srv/dataalm/fabrikam-policy.json"));
    const auto prod = c.environment(QStringLiteral("contoso-prod"));
    QVERIFY(prod);
    QCOMPARE(prod->type, EnvironmentType::Production);
    QCOMPARE(prod->versions.application, QStringLiteral("10.0.40"));
    QCOMPARE(prod->versions.platform, 64);
    QCOMPARE(prod->versions.financialReporting, QStringLiteral("7.0.10040.3"));
    QCOMPARE(prod->versions.commerce, QStringLiteral("9.50"));
    QCOMPARE(prod->databases.size(), 2);
    QCOMPARE(prod->database(DatabaseRef::Transactional)->path, QStringLiteral("/srv/dataalm/contoso-prod/AxDB.sqlite"));
    const auto dev = c.environment(QStringLiteral("fabrikam-dev"));
    QVERIFY(dev);
    QCOMPARE(dev->type, EnvironmentType::DevTest);
    const DatabaseRef* devDb = dev->database(DatabaseRef::Transactional);
    QVERIFY(devDb);
    QCOMPARE(devDb->driver, QStringLiteral("postgres"));
    QCOMPARE(devDb->host, QStringLiteral("db.fabrikam.test"));
    QCOMPARE(devDb->port, 5433);
    QCOMPARE(devDb->name, QStringLiteral("axdb_dev"));

    // The operations of a version 2 file keep their states, steps and errors.
    OperationStore store(c);
    if (version >= 2) {
        const auto signedOff = store.get(1);
        QVERIFY(signedOff);
        QCOMPARE(signedOff->state, OperationState::SignedOff);
        QCOMPARE(signedOff->steps.size(), 2);
        QCOMPARE(signedOff->steps.at(1).bytes, 16777216);
        const auto failed = store.get(2);
        QVERIFY(failed);
        QCOMPARE(failed->state, OperationState::Failed);
        QCOMPARE(failed->error, QStringLiteral("Apply data policy: rule \"users\": database is locked"));
        QCOMPARE(stepStateName(failed->steps.at(1).state), QStringLiteral("Failed"));
        // A failed operation of the old file still holds its target.
        QCOMPARE(c.environment(QStringLiteral("contoso-uat"))->state, QStringLiteral("Failed"));
        QCOMPARE(c.auditTrail(10).constLast().action, QStringLiteral("operation.create"));
    } else {
        QVERIFY(!store.get(1));
        QCOMPARE(c.environment(QStringLiteral("contoso-uat"))->state, QStringLiteral("Deployed"));
    }
    // The tables added by the upgrade work, and a second open changes nothing.
    c.audit(QStringLiteral("test.upgraded"), QStringLiteral("contoso-uat"));
    QCOMPARE(c.auditTrail(1).constFirst().action, QStringLiteral("test.upgraded"));
    Catalog again;
    QVERIFY2(again.open(tmp.path(), &error), qPrintable(error));
    QCOMPARE(again.schemaVersion(), Catalog::currentSchemaVersion());
    QCOMPARE(again.projects().size(), 2);
}

void TestCatalog::newerCatalogIsRefused()
{
    QTemporaryDir tmp;
    QString error;
    QVERIFY2(writeCatalog(tmp.path(), &error), qPrintable(error));
    const int newer = Catalog::currentSchemaVersion() + 7;
    const QString path = QDir(tmp.path()).filePath(QStringLiteral("catalog.db"));
    QVERIFY2(execSqlite(path, {QStringLiteral("PRAGMA user_version = %1").arg(newer)}, &error), qPrintable(error));
    const QByteArray hash = fileSha256(path);
    expectRefusal(tmp.path(),
                  {QStringLiteral("version %1").arg(newer), QString::number(Catalog::currentSchemaVersion()), path},
                  tmp.path());
    QCOMPARE(fileSha256(path), hash);
}

void TestCatalog::notACatalogIsRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("mention");
    QTest::newRow("random bytes") << QStringLiteral("random") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("short text") << QStringLiteral("text") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("catalog, header damaged")
        << QStringLiteral("damaged-header") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("catalog, schema damaged")
        << QStringLiteral("damaged-schema") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("foreign database") << QStringLiteral("foreign") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("foreign database, WAL") << QStringLiteral("foreign-wal") << QStringLiteral("not a DataALM catalog");
}

void TestCatalog::notACatalogIsRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, mention);
    QTemporaryDir tmp;
    const QString path = QDir(tmp.path()).filePath(QStringLiteral("catalog.db"));
    QString error;
    if (kind == QLatin1String("foreign") || kind == QLatin1String("foreign-wal")) {
        QStringList sql;
        if (kind == QLatin1String("foreign-wal"))
            sql << QStringLiteral("PRAGMA journal_mode = WAL");
        sql << QStringLiteral("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
            << QStringLiteral("INSERT INTO recipes VALUES ('bread', 240)");
        QVERIFY2(execSqlite(path, sql, &error), qPrintable(error));
    } else {
        QByteArray bytes;
        if (kind == QLatin1String("random")) {
            QRandomGenerator rng(42);
            bytes.resize(3 * 4096);
            rng.fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
        } else if (kind == QLatin1String("text")) {
            bytes = "not a database\n";
        } else {
            QVERIFY2(writeCatalog(tmp.path(), &error), qPrintable(error));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            bytes = f.readAll();
            f.close();
            // Keep "SQLite format 3\0" (and, for a damaged schema, the whole 100-byte header with the
            // catalog's application id and version); wreck the rest of the first page.
            const int from = kind == QLatin1String("damaged-header") ? 16 : 100;
            for (int i = from; i < 4096 && i < bytes.size(); ++i)
                bytes[i] = char(0xA5);
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), qint64(bytes.size()));
    }
    expectRefusal(tmp.path(), {mention, path}, tmp.path());
}

void TestCatalog::readOnlyFolderIsRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("empty read-only folder") << QStringLiteral("empty");
    QTest::newRow("missing folder on a read-only file system") << QStringLiteral("missing");
    QTest::newRow("catalog on a read-only file system") << QStringLiteral("catalog");
}

void TestCatalog::readOnlyFolderIsRefused()
{
    QFETCH(QString, kind);
    ReadOnlyMount mount;
    QString error;
    std::function<bool(const QString&)> populate;
    if (kind == QLatin1String("catalog"))
        populate = [](const QString& dir) {
            QString e;
            return writeCatalog(dir, &e);
        };
    if (!mount.mount(&error, populate))
        QFAIL(qPrintable(QStringLiteral("cannot mount a read-only tmpfs (this test needs root, as CI has): ") + error));
    if (kind == QLatin1String("catalog"))
        QVERIFY(QFileInfo::exists(QDir(mount.path()).filePath(QStringLiteral("catalog.db"))));

    const QString folder =
        kind == QLatin1String("missing") ? QDir(mount.path()).filePath(QStringLiteral("sub/catalog")) : mount.path();
    expectRefusal(folder, {folder}, mount.path());
}

void TestCatalog::folderUnderAFileIsRefused()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("plain-file"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just a file\n");
    }
    const QString folder = file + QStringLiteral("/catalog");
    expectRefusal(folder, {folder, QStringLiteral("Not a directory")}, tmp.path());
}

void TestCatalog::symlinkLoopIsNamed()
{
    QTemporaryDir tmp;
    const QString a = tmp.filePath(QStringLiteral("a"));
    const QString b = tmp.filePath(QStringLiteral("b"));
    QVERIFY(QFile::link(b, a));
    QVERIFY(QFile::link(a, b));
    for (const QString& folder : QStringList{a, a + QStringLiteral("/catalog")})
        expectRefusal(folder, {folder, QStringLiteral("a symbolic link on its path leads back to itself (a loop)")},
                      tmp.path());
}

void TestCatalog::folderThatIsAFileIsRefused()
{
    QTemporaryDir tmp;
    const QString file = tmp.filePath(QStringLiteral("plain-file"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just a file\n");
    }
    expectRefusal(file, {file, QStringLiteral("not a folder")}, tmp.path());
}

void TestCatalog::environmentRoundTrip()
{
    TemporaryCatalog t;
    QVERIFY2(t.isOpen(), qPrintable(t.error()));
    QString error;
    QVERIFY2(t->addProject(contoso(), &error), qPrintable(error));

    Environment prod = sampleEnvironment(QStringLiteral("contoso-prod"), QStringLiteral("contoso"),
                                         EnvironmentType::Production, t.folder());
    prod.versions.financialReporting = QStringLiteral("7.0.10040.3");
    Environment uat = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"),
                                        EnvironmentType::Sandbox, t.folder());
    DatabaseRef pg;
    pg.role = DatabaseRef::Transactional;
    pg.driver = DatabaseRef::Postgres;
    pg.host = QStringLiteral("127.0.0.1");
    pg.port = 55432;
    pg.name = QStringLiteral("contoso_uat");
    pg.user = QStringLiteral("alm");
    pg.sslMode = QStringLiteral("disable");
    uat.databases[0] = pg;
    Environment dev = sampleEnvironment(QStringLiteral("contoso-dev"), QStringLiteral("contoso"),
                                        EnvironmentType::DevTest, t.folder());
    dev.versions.commerce.clear();
    dev.databases.clear();

    for (const Environment& e : {dev, uat, prod})
        QVERIFY2(t->addEnvironment(e, &error), qPrintable(error));

    for (const Environment& e : {prod, uat, dev}) {
        const auto got = t->environment(e.id);
        QVERIFY2(got, qPrintable(e.id));
        compareEnvironments(*got, e);
        QCOMPARE(got->state, QStringLiteral("Deployed"));
    }
    QVERIFY(!t->environment(QStringLiteral("nope")));

    // Listing: production first, then sandboxes, then dev/test.
    QStringList ids;
    for (const auto& e : t->environments())
        ids << e.id;
    QCOMPARE(ids, (QStringList{prod.id, uat.id, dev.id}));
    QCOMPARE(t->environments(QStringLiteral("contoso")).size(), 3);
    QVERIFY(t->environments(QStringLiteral("other")).isEmpty());

    // Update every field, and replace the databases.
    Environment changed = uat;
    changed.name = QStringLiteral("UAT (renamed)");
    changed.tenant = QStringLiteral("fabrikam.onmicrosoft.com");
    changed.admin = QStringLiteral("ops@fabrikam.onmicrosoft.com");
    changed.versions = {QStringLiteral("10.0.41"), 65, QStringLiteral("7.0.10041.1"), QString()};
    changed.databases = {prod.databases.at(1)};
    // Another database of the same kind: one database belongs to one environment (on a team catalog the server
    // refuses production's own).
    changed.databases[0].path += QStringLiteral("-uat");
    changed.databases[0].name += QStringLiteral("_uat");
    QVERIFY2(t->updateEnvironment(changed, &error), qPrintable(error));
    compareEnvironments(*t->environment(uat.id), changed);

    EnvironmentVersions v{QStringLiteral("10.0.42"), 66, QStringLiteral("7.0.10042.1"), QStringLiteral("9.52")};
    QVERIFY2(t->setEnvironmentVersions(uat.id, v, &error), qPrintable(error));
    changed.versions = v;
    compareEnvironments(*t->environment(uat.id), changed);

    // Unknown ids are refused with their name.
    Environment ghost = sampleEnvironment(QStringLiteral("ghost"), QStringLiteral("contoso"));
    QVERIFY(!t->updateEnvironment(ghost, &error));
    QVERIFY2(error.contains(QLatin1String("ghost")), qPrintable(error));
    QVERIFY(!t->environment(QStringLiteral("ghost")));
    QVERIFY(!t->setEnvironmentVersions(QStringLiteral("ghost"), v, &error));
    QVERIFY2(error.contains(QLatin1String("ghost")), qPrintable(error));

    QVERIFY2(t->removeEnvironment(dev.id, &error), qPrintable(error));
    QVERIFY(!t->environment(dev.id));
    QCOMPARE(t->environments().size(), 2);
    QVERIFY(!t->removeEnvironment(dev.id, &error));
    QVERIFY2(error.contains(dev.id), qPrintable(error));
}

void TestCatalog::duplicateEnvironmentIsRefused()
{
    TemporaryCatalog t;
    QVERIFY2(t.isOpen(), qPrintable(t.error()));
    QString error;
    QVERIFY2(t->addProject(contoso(), &error), qPrintable(error));
    const Environment first = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    QVERIFY2(t->addEnvironment(first, &error), qPrintable(error));

    Environment second = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"),
                                           EnvironmentType::DevTest, QStringLiteral("/elsewhere"));
    second.admin = QStringLiteral("someone@else");
    error.clear();
    QVERIFY(!t->addEnvironment(second, &error));
    QVERIFY2(error.contains(QLatin1String("contoso-uat")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("already exists")), qPrintable(error));
    // The first one is untouched, databases included.
    QCOMPARE(t->environments().size(), 1);
    compareEnvironments(*t->environment(first.id), first);

    // Same for projects.
    QVERIFY(!t->addProject(contoso(), &error));
    QVERIFY2(error.contains(QLatin1String("contoso")), qPrintable(error));
    QCOMPARE(t->projects().size(), 1);
}

void TestCatalog::failedAddLeavesNothing()
{
    TemporaryCatalog t;
    QVERIFY2(t.isOpen(), qPrintable(t.error()));
    QString error;
    QVERIFY2(t->addProject(contoso(), &error), qPrintable(error));

    // A database the schema refuses: the environment row must not stay behind.
    Environment bad = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    bad.databases[1].role = QStringLiteral("warehouse");
    QVERIFY(!t->addEnvironment(bad, &error));
    QVERIFY2(error.contains(QLatin1String("contoso-uat")), qPrintable(error));
    QVERIFY(!t->environment(bad.id));
    QSqlQuery q(t->database());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM environment_databases")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);

    // An unknown project.
    const Environment orphan = sampleEnvironment(QStringLiteral("orphan"), QStringLiteral("no-such-project"));
    QVERIFY(!t->addEnvironment(orphan, &error));
    QVERIFY2(error.contains(QLatin1String("orphan")), qPrintable(error));
    QVERIFY(!t->environment(orphan.id));

    // A failed update keeps the previous environment and databases.
    const Environment good = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    QVERIFY2(t->addEnvironment(good, &error), qPrintable(error));
    Environment badUpdate = good;
    badUpdate.admin = QStringLiteral("changed@contoso");
    badUpdate.databases[0].driver = QStringLiteral("oracle");
    QVERIFY(!t->updateEnvironment(badUpdate, &error));
    QVERIFY2(error.contains(QLatin1String("contoso-uat")), qPrintable(error));
    compareEnvironments(*t->environment(good.id), good);
}

void TestCatalog::removeCascadesDatabases()
{
    TemporaryCatalog t;
    QVERIFY2(t.isOpen(), qPrintable(t.error()));
    QString error;
    QVERIFY2(t->addProject(contoso(), &error), qPrintable(error));
    QVERIFY2(t->addEnvironment(sampleEnvironment(QStringLiteral("a"), QStringLiteral("contoso")), &error),
             qPrintable(error));
    QVERIFY2(t->addEnvironment(sampleEnvironment(QStringLiteral("b"), QStringLiteral("contoso")), &error),
             qPrintable(error));
    QVERIFY2(t->removeEnvironment(QStringLiteral("a"), &error), qPrintable(error));
    QSqlQuery q(t->database());
    QVERIFY(q.exec(QStringLiteral("SELECT environment_id, count(*) FROM environment_databases GROUP BY 1")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("b"));
    QCOMPARE(q.value(1).toInt(), 2);
    QVERIFY(!q.next());
    // Re-adding the removed id works (nothing of it is left behind).
    QVERIFY2(t->addEnvironment(sampleEnvironment(QStringLiteral("a"), QStringLiteral("contoso")), &error),
             qPrintable(error));
}

void TestCatalog::auditTrailRecordsWhoAndWhat()
{
    TemporaryCatalog t;
    QVERIFY2(t.isOpen(), qPrintable(t.error()));
    const QByteArray savedUser = qgetenv("USER");
    qputenv("USER", "alice");
    const auto restore = qScopeGuard([&] { qputenv("USER", savedUser); });
    // On a team catalog the user is the server's login, and the server writes it (the
    // OS user has no say); on SQLite it is the OS user.
    QString login;
    if (t->isTeam()) {
        QSqlQuery who(t->database());
        QVERIFY(who.exec(QStringLiteral("SELECT session_user")) && who.next());
        login = who.value(0).toString();
    }
    QCOMPARE(Catalog::currentUser(), t->isTeam() ? login : QStringLiteral("alice"));

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QString error;
    Environment e = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    QVERIFY2(t->addProject(contoso(), &error), qPrintable(error));
    QVERIFY2(t->addEnvironment(e, &error), qPrintable(error));
    e.admin = QStringLiteral("bob@contoso.onmicrosoft.com");
    QVERIFY2(t->updateEnvironment(e, &error), qPrintable(error));
    qputenv("USER", "bob");
    QVERIFY2(t->setProjectPolicy(QStringLiteral("contoso"), QStringLiteral("/policies/strict.json"), &error),
             qPrintable(error));
    t->audit(QStringLiteral("operation.start"), QStringLiteral("contoso-uat"), QStringLiteral("refresh #1"));
    QVERIFY2(t->removeEnvironment(e.id, &error), qPrintable(error));
    // Refused changes are not audited.
    QVERIFY(!t->removeEnvironment(e.id, &error));
    QVERIFY(!t->addProject(contoso(), &error));
    const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(1);

    const auto trail = t->auditTrail();
    struct Expected
    {
        const char* who;
        const char* action;
        const char* subject;
        const char* detail;
    };
    const Expected expected[] = {
        {"bob", "environment.remove", "contoso-uat", ""},
        {"bob", "operation.start", "contoso-uat", "refresh #1"},
        {"bob", "project.policy", "contoso", "/policies/strict.json"},
        {"alice", "environment.edit", "contoso-uat", ""},
        {"alice", "environment.add", "contoso-uat", "sandbox"},
        {"alice", "project.add", "contoso", ""},
    };
    QCOMPARE(trail.size(), int(std::size(expected)));
    for (int i = 0; i < trail.size(); ++i) {
        const auto& a = trail.at(i);
        QCOMPARE(a.who, t->isTeam() ? login : QString::fromUtf8(expected[i].who));
        QCOMPARE(a.action, QString::fromUtf8(expected[i].action));
        QCOMPARE(a.subject, QString::fromUtf8(expected[i].subject));
        QCOMPARE(a.detail, QString::fromUtf8(expected[i].detail));
        QVERIFY2(a.at.isValid() && a.at >= before && a.at <= after, qPrintable(a.at.toString(Qt::ISODateWithMs)));
    }
    QCOMPARE(t->auditTrail(2).size(), 2);
    QCOMPARE(t->auditTrail(2).constFirst().action, QStringLiteral("environment.remove"));
}

void TestCatalog::derivedState_data()
{
    // Operations on the environment, oldest first, as "state" or "state@other-environment"
    // or "state<source" (the environment is the operation's source, not its target).
    QTest::addColumn<QStringList>("operations");
    QTest::addColumn<QString>("state");
    const QString deployed = QStringLiteral("Deployed");
    const QString servicing = QStringLiteral("Servicing");
    const QString failed = QStringLiteral("Failed");
    QTest::newRow("no operation") << QStringList() << deployed;
    QTest::newRow("completed") << QStringList{QStringLiteral("Completed")} << deployed;
    QTest::newRow("signed off") << QStringList{QStringLiteral("SignedOff")} << deployed;
    QTest::newRow("not started") << QStringList{QStringLiteral("NotStarted")} << deployed;
    QTest::newRow("aborted") << QStringList{QStringLiteral("Aborted")} << deployed;
    QTest::newRow("rolled back") << QStringList{QStringLiteral("RollbackCompleted")} << deployed;
    QTest::newRow("in progress") << QStringList{QStringLiteral("InProgress")} << servicing;
    QTest::newRow("rolling back") << QStringList{QStringLiteral("RollbackInProgress")} << servicing;
    QTest::newRow("failed") << QStringList{QStringLiteral("Failed")} << failed;
    QTest::newRow("rollback failed") << QStringList{QStringLiteral("RollbackFailed")} << failed;
    QTest::newRow("failed, then completed")
        << QStringList{QStringLiteral("Failed"), QStringLiteral("Completed")} << deployed;
    QTest::newRow("completed, then failed")
        << QStringList{QStringLiteral("Completed"), QStringLiteral("Failed")} << failed;
    QTest::newRow("failed, then running")
        << QStringList{QStringLiteral("Failed"), QStringLiteral("InProgress")} << servicing;
    QTest::newRow("running, then an older one failed")
        << QStringList{QStringLiteral("InProgress"), QStringLiteral("Failed")} << servicing;
    QTest::newRow("another environment failed")
        << QStringList{QStringLiteral("Completed"), QStringLiteral("Failed@contoso-uat2")} << deployed;
    QTest::newRow("another environment is servicing")
        << QStringList{QStringLiteral("InProgress@contoso-uat2")} << deployed;
    QTest::newRow("used as a source") << QStringList{QStringLiteral("InProgress<source")} << deployed;
}

void TestCatalog::derivedState()
{
    QFETCH(QStringList, operations);
    QFETCH(QString, state);
    TemporaryCatalog t;
    QVERIFY2(t.isOpen(), qPrintable(t.error()));
    QString error;
    QVERIFY2(t->addProject(contoso(), &error), qPrintable(error));
    for (const char* id : {"contoso-prod", "contoso-uat", "contoso-uat2"})
        QVERIFY2(t->addEnvironment(sampleEnvironment(QString::fromUtf8(id), QStringLiteral("contoso")), &error),
                 qPrintable(error));

    for (const QString& op : operations) {
        QString opState = op;
        QString target = QStringLiteral("contoso-uat");
        QString source = QStringLiteral("contoso-prod");
        if (op.contains(QLatin1Char('@'))) {
            opState = op.section(QLatin1Char('@'), 0, 0);
            target = op.section(QLatin1Char('@'), 1);
        } else if (op.endsWith(QLatin1String("<source"))) {
            opState = op.section(QLatin1Char('<'), 0, 0);
            source = QStringLiteral("contoso-uat");
            target = QStringLiteral("contoso-uat2");
        }
        QSqlQuery q(t->database());
        q.prepare(QStringLiteral("INSERT INTO operations (kind, project_id, source, target, state, who, created) "
                                 "VALUES ('refresh', 'contoso', ?, ?, ?, 'tester', ?)"));
        q.addBindValue(source);
        q.addBindValue(target);
        q.addBindValue(opState);
        q.addBindValue(Catalog::now());
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    QCOMPARE(t->environment(QStringLiteral("contoso-uat"))->state, state);
    for (const auto& e : t->environments()) {
        if (e.id == QLatin1String("contoso-uat"))
            QCOMPARE(e.state, state);
    }
}

void TestCatalog::listingStreamsWithTheirSteps()
{
    // forEach: newest first, each operation with its own steps (one query beside the
    // operations, merged), params left out when not asked for; list() keeps them.
    QTemporaryDir tmp;
    QString error;
    QVERIFY2(writeCatalog(tmp.path(), &error), qPrintable(error));
    Catalog c;
    QVERIFY2(c.open(tmp.path(), &error), qPrintable(error));
    QVERIFY2(c.addEnvironment(sampleEnvironment(QStringLiteral("contoso-uat2"), QStringLiteral("contoso")), &error),
             qPrintable(error));
    OperationStore store(c);
    const QJsonObject params{{QStringLiteral("policySha256"), QStringLiteral("abc")},
                             {QStringLiteral("followUps"), QJsonArray{QStringLiteral("Reactivate the POS devices")}}};
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        // The middle one is on another environment: it is neither listed nor are its steps given to another.
        const QString target = i == 1 ? QStringLiteral("contoso-uat2") : QStringLiteral("contoso-uat");
        QStringList steps;
        for (int k = 0; k <= i + 1; ++k)
            steps << QStringLiteral("Step %1").arg(k);
        const auto id = store.create(QStringLiteral("refresh"), QStringLiteral("contoso"), QString(), target, steps,
                                     params, &error);
        QVERIFY2(id, qPrintable(error));
        ids << *id;
        QString e;
        QVERIFY2(store.transition(*id, OperationState::InProgress, &e), qPrintable(e));
        QVERIFY2(store.transition(*id, OperationState::Completed, &e), qPrintable(e));
        QVERIFY2(store.transition(*id, OperationState::SignedOff, &e), qPrintable(e));
    }
    QList<OperationRecord> seen;
    store.forEach(QStringLiteral("contoso-uat"), true, false, [&seen](const OperationRecord& r) { seen << r; });
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(0).id, ids.at(2));
    QCOMPARE(seen.at(0).steps.size(), 4);
    QCOMPARE(seen.at(1).id, ids.at(0));
    QCOMPARE(seen.at(1).steps.size(), 2);
    QCOMPARE(seen.at(1).steps.at(1).name, QStringLiteral("Step 1"));
    QVERIFY(seen.at(0).params.isEmpty());
    // Every environment, without steps.
    seen.clear();
    store.forEach({}, false, false, [&seen](const OperationRecord& r) { seen << r; });
    QCOMPARE(seen.size(), 3);
    QVERIFY(seen.at(1).steps.isEmpty());
    // list() is the same walk, with the params.
    const QList<OperationRecord> listed = store.list(QStringLiteral("contoso-uat"), true);
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.at(0).params, params);
    QCOMPARE(listed.at(0).steps.size(), 4);
    // Summaries keep what a list decides with (the follow-ups, an apply's package), not the rest.
    const QList<OperationRecord> summaries = store.listSummaries(QStringLiteral("contoso-uat"));
    QCOMPARE(summaries.size(), 2);
    QCOMPARE(summaries.at(0).params.value(QStringLiteral("followUps")).toArray().size(), 1);
    QVERIFY(!summaries.at(0).params.contains(QStringLiteral("policySha256")));
    QCOMPARE(summaries.at(0).steps.size(), 4);
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
