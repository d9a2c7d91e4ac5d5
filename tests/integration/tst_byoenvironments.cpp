// Bring your own environments, on SQLite files, through the real `dataalm` binary:
// env add/edit/remove and their refusals (nothing registered, the exit code of the
// contract, one line naming the cause), project policy/show, the preflight of a
// schema that is not Dynamics 365 (its D365-only checks pass, a policy that does not
// fit is refused naming the rule and the table or column), a refresh between two
// registered environments of a web shop under its own policy while a client writes
// to the source (pairs of rows: both or neither), rollback, sign off, logs, Apply
// updates of a package written for the shop, and the removal rules (refused while an operation needs the environment;
// the databases are never touched).
#include "CliProcess.h"
#include "SqliteInspect.h"
#include "SqlitePairWriter.h"
#include "TestSupport.h"
#include "ZipFixture.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "package/PackageBuilder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <csignal>
#include <memory>

using namespace TestSupport;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(DATAALM_TEST_DATA_DIR "/byo/") + name;
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// A web shop database: the schema of shop-sqlite.sql, `orders` orders of two lines
// each, a payment token per customer, and the shop's own settings.
bool createShop(const QString& path, int customers, int orders, const QString& environment, QString* error)
{
    const QString seed =
        QStringLiteral(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
            "INSERT INTO customers (name, email) SELECT 'Customer ' || i, 'customer' || i || '@mail.example' FROM n;"
            "INSERT INTO payment_tokens (customer_id, token) SELECT id, 'tok_' || hex(randomblob(8)) FROM customers;"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %2) "
            "INSERT INTO orders (customer_id, note) SELECT 1 + i % %1, 'seed' FROM n;"
            "INSERT INTO order_lines (order_id, sku, quantity, price, padding) "
            "SELECT id, 'SKU-' || (id % 97), 1 + id % 5, 9.95, hex(randomblob(400)) FROM orders;"
            "INSERT INTO order_lines (order_id, sku, quantity, price, padding) "
            "SELECT id, 'SKU-' || (id % 89), 2, 4.50, hex(randomblob(400)) FROM orders;"
            "INSERT INTO shop_settings VALUES ('environment', '%3'), ('payment-gateway', '%3.pay.example');")
            .arg(customers)
            .arg(orders)
            .arg(environment);
    return execSqlite(path, {readText(dataFile(QStringLiteral("shop-sqlite.sql"))), seed}, error);
}

// An order and its line in one transaction (%1: the pair's number): what a web shop
// commits while the refresh copies its database.
const QString OrderPairSql = QStringLiteral("BEGIN IMMEDIATE; INSERT INTO orders (customer_id, note) VALUES (1, "
                                            "'w%1'); INSERT INTO order_lines (order_id, sku, quantity, price) "
                                            "VALUES (last_insert_rowid(), 'w%1', 1, 1.00); COMMIT;");

} // namespace

class TestByoEnvironments : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void registerAndShow();
    void addRefused_data();
    void addRefused();
    void editAndRemoveArguments();
    void editRacesWithAnOperationStarting();
    void projectPolicy();
    void preflightOfAnotherSchema();
    void refreshUnderOwnPolicyWhileTheSourceIsWritten();
    void applyUpdatesToARegisteredEnvironment();
    void firstRefreshIntoAnEmptyDatabase();
    void removalRules();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 120000) const;
    QStringList addArgs(const QString& id, const QString& type, const QString& axdb, const QString& fr = {}) const;
    QString db(const QString& name) const { return m_dbsDir->filePath(name); }
    // prod (production) and uat (sandbox), each with a transactional and a financial reporting database.
    void registerShop();
    QString catalog() const { return m_catalogDir->path(); }
    QString inCatalog(const QString& name) const { return m_catalogDir->filePath(name); }
    QString dbFolder() const { return m_dbsDir->path(); }

    std::unique_ptr<QTemporaryDir> m_catalogDir;
    std::unique_ptr<QTemporaryDir> m_dbsDir;
};

void TestByoEnvironments::init()
{
    // A fresh catalog and database folder for every test.
    m_catalogDir = std::make_unique<QTemporaryDir>();
    m_dbsDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_catalogDir->isValid() && m_dbsDir->isValid());
    QString e;
    QVERIFY2(createShop(db(QStringLiteral("prod.db")), 300, 1500, QStringLiteral("prod"), &e), qPrintable(e));
    QVERIFY2(createShop(db(QStringLiteral("uat.db")), 20, 50, QStringLiteral("uat"), &e), qPrintable(e));
    for (const QString& fr : {QStringLiteral("prod-fr.db"), QStringLiteral("uat-fr.db")})
        QVERIFY2(execSqlite(db(fr),
                            {QStringLiteral("CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT)"),
                             QStringLiteral("INSERT INTO reports (title) VALUES ('%1')").arg(fr)},
                            &e),
                 qPrintable(e));
}

CliRun TestByoEnvironments::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), catalog()}, timeoutMs);
}

QStringList TestByoEnvironments::addArgs(const QString& id, const QString& type, const QString& axdb,
                                         const QString& fr) const
{
    QStringList a{QStringLiteral("env"),
                  QStringLiteral("add"),
                  id,
                  QStringLiteral("--project"),
                  QStringLiteral("shop"),
                  QStringLiteral("--type"),
                  type,
                  QStringLiteral("--tenant"),
                  QStringLiteral("shop.example"),
                  QStringLiteral("--admin"),
                  QStringLiteral("ops@shop.example"),
                  QStringLiteral("--application"),
                  QStringLiteral("2.4.1"),
                  QStringLiteral("--platform"),
                  QStringLiteral("30"),
                  QStringLiteral("--db"),
                  QStringLiteral("transactional=sqlite://") + axdb};
    if (!fr.isEmpty())
        a << QStringLiteral("--db") << QStringLiteral("financial-reporting=sqlite://") + fr;
    return a;
}

void TestByoEnvironments::registerShop()
{
    CliRun run = cli(addArgs(QStringLiteral("prod"), QStringLiteral("production"), db(QStringLiteral("prod.db")),
                             db(QStringLiteral("prod-fr.db"))));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli(addArgs(QStringLiteral("uat"), QStringLiteral("sandbox"), db(QStringLiteral("uat.db")),
                      db(QStringLiteral("uat-fr.db"))));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestByoEnvironments::registerAndShow()
{
    const QByteArray prodHash = fileSha256(db(QStringLiteral("prod.db")));
    CliRun run = cli(addArgs(QStringLiteral("prod"), QStringLiteral("production"), db(QStringLiteral("prod.db")),
                             db(QStringLiteral("prod-fr.db")))
                     << QStringLiteral("--json") << QStringLiteral("--name") << QStringLiteral("Shop production")
                     << QStringLiteral("--financial-reporting") << QStringLiteral("7.0.1"));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // The new project is announced; stdout is the result only.
    QVERIFY2(run.errText().contains(QLatin1String("Created project shop")), qPrintable(run.describe()));
    const QJsonObject added = run.json().object();
    QCOMPARE(added.value(QStringLiteral("projectCreated")).toBool(), true);
    QCOMPARE(added.value(QStringLiteral("connections")).toArray().size(), 2);
    const QJsonObject env = added.value(QStringLiteral("environment")).toObject();
    QCOMPARE(env.value(QStringLiteral("id")).toString(), QStringLiteral("prod"));
    QCOMPARE(env.value(QStringLiteral("name")).toString(), QStringLiteral("Shop production"));
    QCOMPARE(env.value(QStringLiteral("type")).toString(), QStringLiteral("production"));
    QCOMPARE(env.value(QStringLiteral("versions")).toObject().value(QStringLiteral("platform")).toInt(), 30);
    QCOMPARE(env.value(QStringLiteral("versions")).toObject().value(QStringLiteral("commerce")).type(),
             QJsonValue::Null);
    const QJsonArray dbs = env.value(QStringLiteral("databases")).toArray();
    QCOMPARE(dbs.size(), 2);
    QCOMPARE(dbs.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("transactional"));
    QCOMPARE(dbs.at(0).toObject().value(QStringLiteral("path")).toString(), db(QStringLiteral("prod.db")));
    QCOMPARE(dbs.at(1).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("financial-reporting"));
    QCOMPARE(fileSha256(db(QStringLiteral("prod.db"))), prodHash); // opened read-only

    // env show says the same; env list --project lists it; env test opens both.
    run = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("prod"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object(), env);
    run = cli(addArgs(QStringLiteral("uat"), QStringLiteral("sandbox"), db(QStringLiteral("uat.db"))));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(!run.errText().contains(QLatin1String("Created project")), qPrintable(run.describe()));
    QVERIFY2(run.outText().startsWith(QLatin1String("Registered uat (sandbox) in project shop")),
             qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--project"), QStringLiteral("shop"),
               QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().array().size(), 2);
    QCOMPARE(run.json().array().at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("prod"));
    run = cli({QStringLiteral("env"), QStringLiteral("test"), QStringLiteral("prod")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.outText().count(QLatin1String("ok    ")), 2);

    // env edit changes only what is given.
    run = cli({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("uat"), QStringLiteral("--commerce"),
               QStringLiteral("9.50"), QStringLiteral("--db"),
               QStringLiteral("financial-reporting=sqlite://") + db(QStringLiteral("uat-fr.db")),
               QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("changed")).toArray(),
             (QJsonArray{QStringLiteral("commerce"), QStringLiteral("db:financial-reporting")}));
    run = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("uat")});
    QVERIFY2(run.outText().contains(QLatin1String("Commerce:                  9.50")), qPrintable(run.outText()));
    QVERIFY2(run.outText().contains(QLatin1String("Tenant:                    shop.example")),
             qPrintable(run.outText()));
    QVERIFY2(run.outText().contains(QLatin1String("Database financial-reporting: SQLite")), qPrintable(run.outText()));
}

void TestByoEnvironments::addRefused_data()
{
    QTest::addColumn<QStringList>("change"); // option, value pairs appended to a valid env add
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mention");
    QTest::addColumn<bool>("beforeCatalog"); // refused before the catalog is opened (it stays missing)
    const auto s = [](std::initializer_list<const char*> words) {
        QStringList l;
        for (const char* w : words)
            l << QString::fromUtf8(w);
        return l;
    };
    QTest::newRow("unknown type") << s({"--type", "staging"}) << 2 << "'staging'" << true;
    QTest::newRow("platform not a number") << s({"--platform", "latest"}) << 2 << "'latest'" << true;
    QTest::newRow("relative sqlite url") << s({"--db", "transactional=sqlite://shop.db"}) << 2 << "three slashes"
                                         << true;
    QTest::newRow("not a url") << s({"--db", "transactional=/srv/shop.db"}) << 2 << "not a database URL" << true;
    QTest::newRow("password in the url") << s({"--db", "financial-reporting=postgresql://shop:s3cret@127.0.0.1/fr"})
                                         << 2 << ".pgpass" << true;
    QTest::newRow("unknown role") << s({"--db", "reporting=sqlite:///srv/x.db"}) << 2 << "'reporting'" << true;
    QTest::newRow("bad project name") << s({"--project", "Shop_1"}) << 2 << "'Shop_1'" << true;
    QTest::newRow("same database twice") << s({"--db", "financial-reporting=SELF"}) << 2 << "same database" << true;
    QTest::newRow("duplicate id") << s({"ID", "prod"}) << 2 << "already exists" << false;
    QTest::newRow("database of another environment")
        << s({"--db", "transactional=PROD"}) << 2 << "already registered as prod's transactional" << false;
    // Names that no URL comparison can see through: what the engine says the file is decides.
    QTest::newRow("database of another environment, by a hard link")
        << s({"--db", "transactional=ALIAS_OF_P"}) << 2 << "is prod's transactional database" << false;
    QTest::newRow("same database twice, by a hard link")
        << s({"--db", "financial-reporting=UATLINK"}) << 2 << "one database, reached under two names" << false;
    QTest::newRow("missing file") << s({"--db", "financial-reporting=MISSING"}) << 7 << "does not exist" << false;
    QTest::newRow("closed port") << s({"--db", "financial-reporting=postgresql://shop@127.0.0.1:1/fr"}) << 7
                                 << "127.0.0.1" << false;
}

void TestByoEnvironments::addRefused()
{
    QFETCH(QStringList, change);
    QFETCH(int, exitCode);
    QFETCH(QString, mention);
    QFETCH(bool, beforeCatalog);
    if (!beforeCatalog) {
        const CliRun run =
            cli(addArgs(QStringLiteral("prod"), QStringLiteral("production"), db(QStringLiteral("prod.db"))));
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        // Second names of the same files (made before the snapshots below).
        QCOMPARE(::link(QFile::encodeName(db(QStringLiteral("prod.db"))).constData(),
                        QFile::encodeName(db(QStringLiteral("prod-link.db"))).constData()),
                 0);
        QCOMPARE(::link(QFile::encodeName(db(QStringLiteral("uat.db"))).constData(),
                        QFile::encodeName(db(QStringLiteral("uat-link.db"))).constData()),
                 0);
    }
    const QString folder = beforeCatalog ? inCatalog(QStringLiteral("never")) : catalog();
    // The database files (a read-only connection to a WAL database may leave its -shm and -wal).
    const auto databaseFiles = [this] {
        auto files = folderSnapshot(dbFolder());
        for (const QString& key : files.keys()) {
            if (key.endsWith(QLatin1String("-wal")) || key.endsWith(QLatin1String("-shm")))
                files.remove(key);
        }
        return files;
    };
    // The catalog's files (its WAL comes and goes with connections).
    const auto catalogFiles = [this] {
        QStringList keys = folderSnapshot(catalog()).keys();
        return keys.filter(QRegularExpression(QStringLiteral("^(?!.*-(wal|shm)$)")));
    };
    const QStringList before = catalogFiles();
    const auto dbsBefore = databaseFiles();

    QStringList args = addArgs(QStringLiteral("other"), QStringLiteral("sandbox"), db(QStringLiteral("uat.db")));
    for (int i = 0; i + 1 < change.size(); i += 2) {
        QString value = change.at(i + 1);
        value.replace(QLatin1String("ALIAS_OF_P"), QStringLiteral("sqlite://") + db(QStringLiteral("prod-link.db")));
        value.replace(QLatin1String("SELF"), QStringLiteral("sqlite://") + db(QStringLiteral("uat.db")));
        value.replace(QLatin1String("PROD"), QStringLiteral("sqlite://") + db(QStringLiteral("prod.db")));
        value.replace(QLatin1String("MISSING"), QStringLiteral("sqlite://") + db(QStringLiteral("missing.db")));
        value.replace(QLatin1String("UATLINK"), QStringLiteral("sqlite://") + db(QStringLiteral("uat-link.db")));
        if (change.at(i) == QLatin1String("ID")) {
            args[2] = value;
            continue;
        }
        const int at = args.indexOf(change.at(i));
        if (at >= 0 && change.at(i) != QLatin1String("--db"))
            args[at + 1] = value;
        else if (value.startsWith(QLatin1String("transactional=")))
            args[args.indexOf(QStringLiteral("--db")) + 1] = value;
        else
            args << change.at(i) << value;
    }
    for (const bool json : {false, true}) {
        const CliRun run = runCli(args + QStringList{QStringLiteral("--catalog"), folder} +
                                  (json ? QStringList{QStringLiteral("--json")} : QStringList()));
        QVERIFY2(run.exitedWith(exitCode), qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(mention), qPrintable(run.describe()));
        // One line naming the cause (env add may say first that it opens the databases).
        QVERIFY2(run.errLines().filter(QStringLiteral("dataalm: ")).size() == 1, qPrintable(run.describe()));
        QCOMPARE(run.outText(), QString());
        if (exitCode == 7)
            QVERIFY2(run.errText().contains(QLatin1String("nothing was registered")), qPrintable(run.describe()));
    }
    // Nothing registered, nothing created, no database touched.
    if (beforeCatalog)
        QVERIFY(!QFileInfo::exists(folder));
    QCOMPARE(databaseFiles(), dbsBefore);
    const CliRun list = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.json().array().size(), beforeCatalog ? 0 : 1);
    if (!beforeCatalog)
        QCOMPARE(catalogFiles(), before); // no new file (a policy folder, a project's files)
}

// env edit checks that no operation holds the environment, then tests the new database's
// connection, then writes: an operation that starts in between used to be missed (the
// environment then pointed at a database the operation never touched). The check is now
// made again under the catalog's write lock, with the change.
void TestByoEnvironments::editRacesWithAnOperationStarting()
{
    registerShop();
    QVERIFY(QFile::copy(db(QStringLiteral("uat.db")), db(QStringLiteral("uat-new.db"))));
    CliProcess edit;
    edit.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("env-edit-before-write"));
    edit.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("5000"));
    QVERIFY(edit.start({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("uat"), QStringLiteral("--db"),
                        QStringLiteral("transactional=sqlite://") + db(QStringLiteral("uat-new.db")),
                        QStringLiteral("--catalog"), catalog()}));
    // By now it has checked, tested the new database (a local file: milliseconds) and is
    // pausing before it writes.
    QTest::qWait(1500);
    QVERIFY(edit.isRunning());
    // An operation starts on uat meanwhile (as a refresh or an apply would create it).
    Catalog c;
    QString error;
    QVERIFY2(c.open(catalog(), &error), qPrintable(error));
    const auto id = OperationStore(c).create(QStringLiteral("refresh"), QStringLiteral("shop"), QStringLiteral("prod"),
                                             QStringLiteral("uat"), {QStringLiteral("Validate")}, {}, &error);
    QVERIFY2(id, qPrintable(error));
    const CliOutcome run = edit.finish();
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("uat cannot be changed now: operation %1").arg(*id)),
             qPrintable(run.describe()));
    const CliRun show = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("uat"), QStringLiteral("--json")});
    QCOMPARE(show.json().object().value(QStringLiteral("databases")).toArray().at(0).toObject().value(
                 QStringLiteral("path")),
             QJsonValue(db(QStringLiteral("uat.db"))));
}

void TestByoEnvironments::editAndRemoveArguments()
{
    registerShop();
    CliRun run = cli({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("ghost"), QStringLiteral("--admin"),
                      QStringLiteral("x@y")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("uat")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("nothing to change")), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("uat"), QStringLiteral("--db"),
               QStringLiteral("transactional=none")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("uat"), QStringLiteral("--db"),
               QStringLiteral("transactional=sqlite://") + db(QStringLiteral("nope.db"))});
    QVERIFY2(run.exitedWith(7), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("nothing was changed")), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("ghost")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("remove")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat"), QStringLiteral("--type"),
               QStringLiteral("sandbox")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("--type")), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(
        run.json().object().value(QStringLiteral("databases")).toArray().at(0).toObject().value(QStringLiteral("path")),
        QJsonValue(db(QStringLiteral("uat.db"))));
}

void TestByoEnvironments::projectPolicy()
{
    registerShop();
    const QString copy = inCatalog(QStringLiteral("policies/shop.json"));
    // Invalid: exit 2, each bad rule named, nothing copied or recorded.
    CliRun run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
                      dataFile(QStringLiteral("shop-policy-invalid.json"))});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("rule \"customer-emails\"")), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("rule \"shop-settings\"")), qPrintable(run.describe()));
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY(!QFileInfo::exists(copy));
    run = cli({QStringLiteral("project"), QStringLiteral("show"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("policy")).toObject().value(QStringLiteral("default")).toBool(),
             true);

    // Valid: copied byte for byte into the catalog, recorded, shown rule by rule.
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
               dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(fileSha256(copy), fileSha256(dataFile(QStringLiteral("shop-policy.json"))));
    QVERIFY2(QDir(QFileInfo(copy).absolutePath()).entryList(QDir::Files) == QStringList{QStringLiteral("shop.json")},
             "a temporary file was left beside the policy");
    run = cli({QStringLiteral("project"), QStringLiteral("show"), QStringLiteral("shop"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject policy = run.json().object().value(QStringLiteral("policy")).toObject();
    QCOMPARE(policy.value(QStringLiteral("default")).toBool(), false);
    QCOMPARE(policy.value(QStringLiteral("path")).toString(), copy);
    QCOMPARE(policy.value(QStringLiteral("name")).toString(), QStringLiteral("Web shop"));
    const QJsonArray rules = policy.value(QStringLiteral("rules")).toArray();
    QCOMPARE(rules.size(), 3);
    QCOMPARE(rules.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("payment-tokens"));
    QCOMPARE(rules.at(2).toObject().value(QStringLiteral("action")).toString(), QStringLiteral("keep-target"));
    QCOMPARE(run.json().object().value(QStringLiteral("environments")).toArray().size(), 2);
    run = cli({QStringLiteral("project"), QStringLiteral("show"), QStringLiteral("shop")});
    QVERIFY2(run.outText().contains(QLatin1String("customer-emails")) &&
                 run.outText().contains(QLatin1String("email is blanked on every row")),
             qPrintable(run.outText()));
    run = cli({QStringLiteral("project"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().at(0).toObject().value(QStringLiteral("policy")).toString(), copy);

    // Usage and unknown project.
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("ghost"),
               dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop")});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
               db(QStringLiteral("no-such-policy.json"))});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));

    // Back to the default: the copy goes.
    run =
        cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"), QStringLiteral("--default")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(!QFileInfo::exists(copy));
    run = cli({QStringLiteral("project"), QStringLiteral("show"), QStringLiteral("shop"), QStringLiteral("--json")});
    QCOMPARE(
        run.json().object().value(QStringLiteral("policy")).toObject().value(QStringLiteral("rules")).toArray().size(),
        16);
}

void TestByoEnvironments::preflightOfAnotherSchema()
{
    registerShop();
    const QStringList preflight{QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("prod"),
                                QStringLiteral("--target"),  QStringLiteral("uat"),      QStringLiteral("--json")};
    // The default (Dynamics 365) policy does not fit a web shop: refused, naming the rule and the table.
    CliRun run = cli(preflight);
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QJsonObject c = preflightCheck(run, QStringLiteral("data-policy"));
    QCOMPARE(c.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    QVERIFY2(c.value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String("rule \"emails\": table LOGISTICSELECTRONICADDRESS does not exist")),
             qPrintable(c.value(QStringLiteral("message")).toString()));

    // Its own policy fits; the checks that only make sense for Dynamics 365 pass, saying why.
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
               dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli(preflight);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    c = preflightCheck(run, QStringLiteral("dmf-recurring-jobs"));
    QCOMPARE(c.value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    QVERIFY2(c.value(QStringLiteral("message")).toString().contains(QLatin1String("Not a Dynamics 365")),
             qPrintable(c.value(QStringLiteral("message")).toString()));
    QCOMPARE(preflightCheck(run, QStringLiteral("commerce-defaults")).value(QStringLiteral("verdict")).toString(),
             QStringLiteral("pass"));
    QCOMPARE(preflightCheck(run, QStringLiteral("privileges")).value(QStringLiteral("verdict")).toString(),
             QStringLiteral("pass"));
    QCOMPARE(preflightCheck(run, QStringLiteral("data-policy")).value(QStringLiteral("verdict")).toString(),
             QStringLiteral("pass"));
    QHash<QString, qint64> rows;
    for (const QJsonValue& r : run.json().object().value(QStringLiteral("policy")).toArray())
        rows.insert(r.toObject().value(QStringLiteral("rule")).toString(),
                    r.toObject().value(QStringLiteral("rows")).toInteger());
    QCOMPARE(rows.value(QStringLiteral("payment-tokens")), 300);
    QCOMPARE(rows.value(QStringLiteral("customer-emails")), 300);
    QCOMPARE(rows.value(QStringLiteral("shop-settings")), 2);
    // Commerce on the target does not make a web shop's channel tables appear.
    run = cli({QStringLiteral("env"), QStringLiteral("edit"), QStringLiteral("uat"), QStringLiteral("--commerce"),
               QStringLiteral("9.50")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli(preflight);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(preflightCheck(run, QStringLiteral("commerce-defaults"))
                .value(QStringLiteral("message"))
                .toString()
                .contains(QLatin1String("Not a Dynamics 365 Commerce database")));

    // A policy naming a column the shop lacks: the rule and the column are named.
    run = cli(preflight +
              QStringList{QStringLiteral("--policy"), dataFile(QStringLiteral("shop-policy-misfit-column.json"))});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    c = preflightCheck(run, QStringLiteral("data-policy"));
    QCOMPARE(c.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    QVERIFY2(c.value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String("rule \"customer-phones\": column phone does not exist in table customers")),
             qPrintable(c.value(QStringLiteral("message")).toString()));
    // A keep-target table only the source has: the target's rows cannot be kept.
    QString e;
    QVERIFY2(execSqlite(db(QStringLiteral("prod.db")),
                        {QStringLiteral("CREATE TABLE gift_cards (code TEXT PRIMARY KEY, balance NUMERIC)")}, &e),
             qPrintable(e));
    run = cli(preflight +
              QStringList{QStringLiteral("--policy"), dataFile(QStringLiteral("shop-policy-misfit-target.json"))});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    c = preflightCheck(run, QStringLiteral("data-policy"));
    QVERIFY2(c.value(QStringLiteral("message"))
                 .toString()
                 .contains(QLatin1String(
                     "rule \"gift-cards\": table gift_cards, whose rows uat keeps, does not exist in uat's "
                     "database")),
             qPrintable(c.value(QStringLiteral("message")).toString()));
    // ... and the refresh is blocked before the target is touched.
    const QByteArray uatHash = fileSha256(db(QStringLiteral("uat.db")));
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"),
               QStringLiteral("--target"), QStringLiteral("uat"), QStringLiteral("--yes"), QStringLiteral("--policy"),
               dataFile(QStringLiteral("shop-policy-misfit-target.json"))});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("table gift_cards, whose rows uat keeps")),
             qPrintable(run.describe()));
    QCOMPARE(fileSha256(db(QStringLiteral("uat.db"))), uatHash);
}

void TestByoEnvironments::refreshUnderOwnPolicyWhileTheSourceIsWritten()
{
    registerShop();
    CliRun run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
                      dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QString prod = db(QStringLiteral("prod.db"));
    const QString uat = db(QStringLiteral("uat.db"));
    const auto uatBefore = SqliteInspect::digests(uat);
    const QStringList uatSettings = SqliteInspect::rows(uat, QStringLiteral("shop_settings"));
    QCOMPARE(uatSettings.size(), 2);

    SqlitePairWriter writer(prod, OrderPairSql, QStringLiteral("PRAGMA foreign_keys = ON"), 2);
    writer.start();
    QTRY_VERIFY(writer.committed() > 20);
    const qint64 beforeRefresh = writer.committed();
    CliProcess p;
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("8"));
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("15"));
    QVERIFY(p.start({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"),
                     QStringLiteral("--target"), QStringLiteral("uat"), QStringLiteral("--yes"),
                     QStringLiteral("--json"), QStringLiteral("--catalog"), catalog()}));
    QVERIFY2(p.waitForErr(QStringLiteral("Copy transactional database...")), p.errSoFar().constData());
    const qint64 atCopyStart = writer.committed(); // a little after: stderr is polled
    QVERIFY2(p.waitForErr(QStringLiteral("Copy transactional database: Completed")), p.errSoFar().constData());
    const qint64 atCopyEnd = writer.committed();
    const CliOutcome out = p.finish();
    writer.stop();
    QVERIFY2(out.exitedWith(0), qPrintable(out.describe()));
    QVERIFY2(writer.errors().isEmpty(), qPrintable(writer.errors().join(QLatin1Char('\n'))));
    QVERIFY2(atCopyEnd > atCopyStart, "the writer did not write while the copy ran");
    const QJsonObject op = out.json().object();
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    const qint64 id = op.value(QStringLiteral("id")).toInteger();

    // One instant of the source: every pair whole, none written after the copy ended.
    const QStringList orders =
        SqliteInspect::column(uat, QStringLiteral("SELECT note FROM orders WHERE note LIKE 'w%' ORDER BY note"));
    const QStringList lines =
        SqliteInspect::column(uat, QStringLiteral("SELECT sku FROM order_lines WHERE sku LIKE 'w%' ORDER BY sku"));
    QCOMPARE(lines, orders);
    QVERIFY2(orders.size() >= beforeRefresh && orders.size() < atCopyEnd,
             qPrintable(QStringLiteral("%1 pairs copied; %2 committed before the refresh, %3 at the end of the copy")
                            .arg(orders.size())
                            .arg(beforeRefresh)
                            .arg(atCopyEnd)));
    // No gap: the pairs 1..n of one moment.
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT max(CAST(substr(note, 2) AS INTEGER)) FROM orders WHERE "
                                                      "note LIKE 'w%'"))
                 .toLongLong(),
             qint64(orders.size()));
    // The policy: one table excluded, one column blanked, one table kept from the target.
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT count(*) FROM payment_tokens")).toLongLong(), 0);
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT count(*) FROM customers")).toLongLong(), 300);
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT count(*) FROM customers WHERE coalesce(email, '') <> ''"))
                 .toLongLong(),
             0);
    QCOMPARE(SqliteInspect::rows(uat, QStringLiteral("shop_settings")), uatSettings);
    // The rest is the source's: foreign keys hold, the view answers, the file is whole.
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT count(*) FROM pragma_foreign_key_check")).toLongLong(),
             0);
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT count(*) FROM order_totals")).toLongLong(),
             1500 + orders.size());
    QCOMPARE(SqliteInspect::integrity(uat), QStringLiteral("ok"));
    QCOMPARE(
        SqliteInspect::value(db(QStringLiteral("uat-fr.db")), QStringLiteral("SELECT title FROM reports")).toString(),
        QStringLiteral("prod-fr.db"));

    // The runbook log names the project's policy rules.
    const QString zip = db(QStringLiteral("logs.zip"));
    run = cli({QStringLiteral("logs"), QString::number(id), QStringLiteral("--out"), zip});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(QFileInfo(zip).size() > 0);

    // Rollback brings the target back exactly; a second refresh can be signed off.
    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::digests(uat), uatBefore);
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"),
               QStringLiteral("--target"), QStringLiteral("uat"), QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 second = run.json().object().value(QStringLiteral("id")).toInteger();
    run = cli({QStringLiteral("signoff"), QString::number(second)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("rollback"), QString::number(second)});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::rows(uat, QStringLiteral("shop_settings")), uatSettings);
}

void TestByoEnvironments::applyUpdatesToARegisteredEnvironment()
{
    registerShop();
    const QString uat = db(QStringLiteral("uat.db"));
    const auto before = SqliteInspect::digests(uat);
    // A customization of the shop: requires its release, sets the next one.
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), QStringLiteral("Shop loyalty points"));
    m.insert(QStringLiteral("requires"),
             QJsonObject{{QStringLiteral("application"), QStringLiteral("2.4.0")}, {QStringLiteral("platform"), 21}});
    m.insert(QStringLiteral("sets"), QJsonObject{{QStringLiteral("application"), QStringLiteral("2.5.0")}});
    m.insert(QStringLiteral("steps"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Add loyalty points")},
                                    {QStringLiteral("sql"), QStringLiteral("scripts/01.sql")}},
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("Check every customer has an account")},
                                    {QStringLiteral("check"), QStringLiteral("scripts/02.sql")},
                                    {QStringLiteral("message"), QStringLiteral("Customers without an account.")}}});
    QString error;
    const auto zip = PackageBuilder::build(
        m,
        {{QStringLiteral("scripts/01.sql"),
          "CREATE TABLE loyalty_accounts (customer_id INTEGER PRIMARY KEY REFERENCES customers(id), points INTEGER);\n"
          "INSERT INTO loyalty_accounts SELECT id, 0 FROM customers;\n"},
         {QStringLiteral("scripts/02.sql"),
          "SELECT count(*) = (SELECT count(*) FROM customers) FROM loyalty_accounts"}},
        &error);
    QVERIFY2(zip, qPrintable(error));
    const QString file = db(QStringLiteral("loyalty.zip"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(*zip) == zip->size());
    f.close();
    CliRun run = cli({QStringLiteral("package"), QStringLiteral("import"), file});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("apply"), QStringLiteral("--package"), QStringLiteral("Shop loyalty points"),
               QStringLiteral("--target"), QStringLiteral("uat"), QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    QCOMPARE(SqliteInspect::value(uat, QStringLiteral("SELECT count(*) FROM loyalty_accounts")).toLongLong(), 20);
    run = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("uat"), QStringLiteral("--json")});
    QCOMPARE(run.json().object().value(QStringLiteral("versions")).toObject().value(QStringLiteral("application")),
             QJsonValue(QStringLiteral("2.5.0")));
    // Its restore point keeps uat registered until the apply is signed off or rolled back.
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("dataalm signoff %1").arg(id)), qPrintable(run.describe()));
    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::digests(uat), before);
    run = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("uat"), QStringLiteral("--json")});
    QCOMPARE(run.json().object().value(QStringLiteral("versions")).toObject().value(QStringLiteral("application")),
             QJsonValue(QStringLiteral("2.4.1")));
}

void TestByoEnvironments::firstRefreshIntoAnEmptyDatabase()
{
    // A new sandbox whose database was just created: nothing of its own to keep yet.
    const QString fresh = db(QStringLiteral("fresh.db"));
    QFile f(fresh);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    CliRun run = cli(addArgs(QStringLiteral("prod"), QStringLiteral("production"), db(QStringLiteral("prod.db"))));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli(addArgs(QStringLiteral("fresh"), QStringLiteral("sandbox"), fresh));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
               dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("prod"),
               QStringLiteral("--target"), QStringLiteral("fresh"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject c = preflightCheck(run, QStringLiteral("data-policy"));
    QCOMPARE(c.value(QStringLiteral("verdict")).toString(), QStringLiteral("warn"));
    QVERIFY2(
        c.value(QStringLiteral("message")).toString().contains(QLatin1String("fresh's database has no tables yet")),
        qPrintable(c.value(QStringLiteral("message")).toString()));
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"),
               QStringLiteral("--target"), QStringLiteral("fresh"), QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::value(fresh, QStringLiteral("SELECT count(*) FROM orders")).toLongLong(), 1500);
    QCOMPARE(SqliteInspect::value(fresh, QStringLiteral("SELECT count(*) FROM shop_settings")).toLongLong(), 0);
    QCOMPARE(SqliteInspect::value(fresh, QStringLiteral("SELECT count(*) FROM payment_tokens")).toLongLong(), 0);
}

void TestByoEnvironments::removalRules()
{
    registerShop();
    CliRun run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
                      dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // A refresh killed in the middle of its copy: Failed (interrupted) from the next command on.
    const CliOutcome killed = runCliWith({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"),
                                          QStringLiteral("--target"), QStringLiteral("uat"), QStringLiteral("--yes"),
                                          QStringLiteral("--catalog"), catalog()},
                                         {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("copy-mid")},
                                          {QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("4")}});
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    run = cli({QStringLiteral("operations"), QStringLiteral("--json")});
    const qint64 id = run.json().array().first().toObject().value(QStringLiteral("id")).toInteger();

    const auto files = folderSnapshot(dbFolder());
    const QString catalogFile = inCatalog(QStringLiteral("catalog.db"));
    // Neither the target (resume or roll back first) nor the source (a resume reads it again).
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("operation %1 (Refresh database) on it is Failed").arg(id)),
             qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("prod")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("source of operation %1").arg(id)), qPrintable(run.describe()));
    // Nor may the policy change under it.
    run =
        cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"), QStringLiteral("--default")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().size(), 2);

    // Rolled back: both can go, and their files stay exactly as they were.
    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const auto afterRollback = folderSnapshot(dbFolder());
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("databasesKept")).toArray().size(), 2);
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("prod")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QLatin1String("its databases were not touched")), qPrintable(run.describe()));
    QCOMPARE(folderSnapshot(dbFolder()), afterRollback);
    QCOMPARE(files.value(QStringLiteral("uat.db")), afterRollback.value(QStringLiteral("uat.db")));
    QCOMPARE(files.value(QStringLiteral("prod.db")), afterRollback.value(QStringLiteral("prod.db")));
    run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().size(), 0);
    // The history stays; the same databases can be registered again.
    run = cli({QStringLiteral("operation"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(QFileInfo::exists(catalogFile));
    registerShop();
}

QTEST_GUILESS_MAIN(TestByoEnvironments)
#include "tst_byoenvironments.moc"
