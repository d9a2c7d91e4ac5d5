// Bring your own PostgreSQL environments, through the real `dataalm` binary, on the
// server scripts/test starts (DATAALM_TEST_PG_URL): a web shop that is not Dynamics
// 365 (customers, orders and order lines tied by foreign keys, a sequence, a view) in
// two databases registered with env add; the refusals of env add (a password in the
// URL, a closed port, a database that does not exist, the server's maintenance
// database, an id or a database already registered); a refresh under the shop's own
// policy while a client writes pairs of rows to the source (both or neither in the
// target), exact rollback; a role without CREATEDB or ownership blocked by the
// `privileges` check, naming what is missing; and the removal rules (refused while an
// operation needs the environment: unfinished, or completed and not signed off after a
// resume; the databases untouched after removal).
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresPairWriter.h"
#include "PostgresTestSupport.h"
#include "TestSupport.h"

#include "catalog/Catalog.h"
#include "engine/PostgresConnection.h"
#include "environment/DatabaseUrl.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <tuple>

using namespace PostgresTestSupport;
using TestSupport::preflightCheck;

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

// The shop's schema and `orders` orders of two lines each (about 1.7 kB a line).
QString shopSql(int customers, int orders, const QString& environment)
{
    return readText(dataFile(QStringLiteral("shop-postgres.sql"))) +
           QStringLiteral(
               "INSERT INTO customers (name, email) SELECT 'Customer ' || i, 'customer' || i || '@mail.example' "
               "FROM generate_series(1, %1) i;"
               "INSERT INTO payment_tokens (customer_id, token) SELECT id, 'tok_' || md5(id::text) FROM customers;"
               "INSERT INTO orders (customer_id, note) SELECT 1 + i % %1, 'seed' FROM generate_series(1, %2) i;"
               "INSERT INTO order_lines (order_id, sku, quantity, price, padding) SELECT id, 'SKU-' || (id % 97), "
               "1 + id % 5, 9.95, repeat(md5(id::text), 25) FROM orders;"
               "INSERT INTO order_lines (order_id, sku, quantity, price, padding) SELECT id, 'SKU-' || (id % 89), 2, "
               "4.50, repeat(md5((id + 1)::text), 25) FROM orders;"
               "INSERT INTO shop_settings VALUES ('environment', '%3'), ('payment-gateway', '%3.pay.example');")
               .arg(customers)
               .arg(orders)
               .arg(environment);
}

// An order and its line in one transaction (%1: the pair's number).
const QString OrderPairSql = QStringLiteral("BEGIN; INSERT INTO orders (customer_id, note) VALUES (1, 'w%1'); "
                                            "INSERT INTO order_lines (order_id, sku, quantity, price) VALUES "
                                            "(currval('orders_id_seq'), 'w%1', 1, 1.00); COMMIT");

} // namespace

class TestByoPostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void registerThroughTheCli();
    void addRefused_data();
    void addRefused();
    void aliasOfTheSourceIsBlockedByPreflight();
    void refreshUnderOwnPolicyWhileTheSourceIsWritten();
    void privilegesNamed();
    void rowsHiddenByRowLevelSecurityFailTheCopy();
    void removalRules();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 180000) const;
    // postgresql://USER@host:port/NAME on the test server.
    QString urlOf(const QString& name, const QString& user = {}) const;
    QStringList addArgs(const QString& id, const QString& type, const QString& url) const;
    QString dbName(const QString& suffix) const { return m_prefix + QLatin1Char('_') + suffix; }
    QStringList refreshArgs() const;

    QTemporaryDir m_catalog;
    QString m_prefix;
    QString m_role; // a role without CREATEDB
};

void TestByoPostgres::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_prefix = uniqueName(QStringLiteral("byo"));
    m_role = m_prefix + QStringLiteral("_nocreatedb");
    QString e;
    for (const auto& [suffix, customers, orders] :
         {std::make_tuple(QStringLiteral("prod"), 400, 6000), std::make_tuple(QStringLiteral("uat"), 30, 80)}) {
        QVERIFY2(createDatabase(dbName(suffix), &e), qPrintable(e));
        QVERIFY2(exec(database(dbName(suffix)), shopSql(customers, orders, suffix), &e), qPrintable(e));
    }
}

void TestByoPostgres::cleanupTestCase()
{
    for (const QString& name : databasesLike(m_prefix + QLatin1Char('_')))
        dropDatabase(name);
    if (!m_role.isEmpty())
        exec(server(), QStringLiteral("DROP ROLE IF EXISTS %1").arg(PostgresConnection::quote(m_role)));
}

CliRun TestByoPostgres::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

QString TestByoPostgres::urlOf(const QString& name, const QString& user) const
{
    DatabaseRef ref = server();
    ref.name = name;
    if (!user.isEmpty())
        ref.user = user;
    return DatabaseUrl::format(ref);
}

QStringList TestByoPostgres::addArgs(const QString& id, const QString& type, const QString& url) const
{
    return {QStringLiteral("env"),
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
            QStringLiteral("transactional=") + url};
}

QStringList TestByoPostgres::refreshArgs() const
{
    return {QStringLiteral("refresh"),  QStringLiteral("--source"),  QStringLiteral("prod"),
            QStringLiteral("--target"), QStringLiteral("uat"),       QStringLiteral("--yes"),
            QStringLiteral("--json"),   QStringLiteral("--catalog"), m_catalog.path()};
}

void TestByoPostgres::registerThroughTheCli()
{
    CliRun run =
        cli(addArgs(QStringLiteral("prod"), QStringLiteral("production"), urlOf(dbName(QStringLiteral("prod")))));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("Created project shop")), qPrintable(run.describe()));
    run = cli(addArgs(QStringLiteral("uat"), QStringLiteral("sandbox"),
                      urlOf(dbName(QStringLiteral("uat"))) + QStringLiteral("?sslmode=disable"))
              << QStringLiteral("--json"));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // The connected role may refresh it: no warning.
    QCOMPARE(run.json().object().value(QStringLiteral("warnings")).toArray().size(), 0);
    QVERIFY2(!run.errText().contains(QLatin1String("warning")), qPrintable(run.describe()));

    run = cli({QStringLiteral("env"), QStringLiteral("show"), QStringLiteral("uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject db = run.json().object().value(QStringLiteral("databases")).toArray().at(0).toObject();
    QCOMPARE(db.value(QStringLiteral("driver")).toString(), QStringLiteral("postgres"));
    QCOMPARE(db.value(QStringLiteral("host")).toString(), server().host);
    QCOMPARE(db.value(QStringLiteral("port")).toInt(), server().port);
    QCOMPARE(db.value(QStringLiteral("name")).toString(), dbName(QStringLiteral("uat")));
    QCOMPARE(db.value(QStringLiteral("sslmode")).toString(), QStringLiteral("disable"));
    QVERIFY(!db.contains(QStringLiteral("password")));
    run = cli({QStringLiteral("env"), QStringLiteral("test"), QStringLiteral("prod"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(run.json()
                .object()
                .value(QStringLiteral("databases"))
                .toArray()
                .at(0)
                .toObject()
                .value(QStringLiteral("sizeBytes"))
                .toInteger() > 5 * 1024 * 1024);
}

void TestByoPostgres::addRefused_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mention");
    QTest::newRow("password in the url") << "other"
                                         << "PASSWORD" << 2 << ".pgpass";
    QTest::newRow("closed port") << "other"
                                 << "postgresql://postgres@127.0.0.1:1/shop" << 7 << "127.0.0.1";
    QTest::newRow("database that does not exist") << "other"
                                                  << "MISSING" << 7 << "does not exist";
    QTest::newRow("maintenance database") << "other"
                                          << "MAINTENANCE" << 2 << "database of its own";
    QTest::newRow("bad sslmode") << "other"
                                 << "SSLMODE" << 2 << "sslmode=sometimes";
    QTest::newRow("duplicate id") << "uat"
                                  << "UNUSED" << 2 << "already exists";
    QTest::newRow("database of another environment")
        << "other"
        << "PROD_AS_LOCALHOST" << 2 << "already registered as prod's transactional database";
    // 127.1 is 127.0.0.1 to the resolver, not to a URL comparison: the server's own
    // identifier and the database's oid tell.
    QTest::newRow("database of another environment, by another address")
        << "other"
        << "PROD_AS_127_1" << 2 << "is prod's transactional database";
}

void TestByoPostgres::addRefused()
{
    QFETCH(QString, id);
    QFETCH(QString, url);
    QFETCH(int, exitCode);
    QFETCH(QString, mention);
    const QString unused = dbName(QStringLiteral("unused"));
    if (url == QLatin1String("PASSWORD"))
        url = urlOf(unused).replace(QStringLiteral("@"), QStringLiteral(":s3cret@"));
    else if (url == QLatin1String("MISSING"))
        url = urlOf(dbName(QStringLiteral("missing")));
    else if (url == QLatin1String("MAINTENANCE"))
        url = urlOf(QStringLiteral("postgres"));
    else if (url == QLatin1String("SSLMODE"))
        url = urlOf(unused) + QStringLiteral("?sslmode=sometimes");
    else if (url == QLatin1String("UNUSED"))
        url = urlOf(unused);
    else if (url == QLatin1String("PROD_AS_127_1"))
        url = urlOf(dbName(QStringLiteral("prod"))).replace(QStringLiteral("127.0.0.1"), QStringLiteral("127.1"));
    else if (url == QLatin1String("PROD_AS_LOCALHOST"))
        url = urlOf(dbName(QStringLiteral("prod"))).replace(QStringLiteral("127.0.0.1"), QStringLiteral("localhost"));
    const QStringList databasesBefore = databasesLike(m_prefix + QLatin1Char('_'));
    const CliRun run = cli(addArgs(id, QStringLiteral("sandbox"), url));
    QVERIFY2(run.exitedWith(exitCode), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(mention), qPrintable(run.describe()));
    QVERIFY2(!run.errText().contains(QLatin1String("s3cret")), qPrintable(run.describe()));
    QCOMPARE(run.outText(), QString());
    // Nothing registered, no database created.
    const CliRun list = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.json().array().size(), 2);
    QCOMPARE(databasesLike(m_prefix + QLatin1Char('_')), databasesBefore);
}

void TestByoPostgres::aliasOfTheSourceIsBlockedByPreflight()
{
    // A sandbox registered (before the check at env add existed, or by hand) on prod's
    // database under another address: the refresh would scrub production.
    Catalog catalog;
    QString error;
    QVERIFY2(catalog.open(m_catalog.path(), &error), qPrintable(error));
    auto alias = catalog.environment(QStringLiteral("uat"));
    QVERIFY(alias);
    alias->id = QStringLiteral("uat-alias");
    alias->name = QStringLiteral("uat-alias");
    DatabaseRef prod = database(dbName(QStringLiteral("prod")));
    prod.role = DatabaseRef::Transactional;
    prod.host = QStringLiteral("127.1");
    alias->databases = {prod};
    QVERIFY2(catalog.addEnvironment(*alias, &error), qPrintable(error));
    const QByteArray before = dump(database(dbName(QStringLiteral("prod"))));

    CliRun run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("prod"),
                      QStringLiteral("--target"), QStringLiteral("uat-alias"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QString verdict;
    QString message;
    for (const QJsonValue& c : run.json().object().value(QStringLiteral("checks")).toArray()) {
        if (c.toObject().value(QStringLiteral("id")).toString() == QLatin1String("distinct-databases")) {
            verdict = c.toObject().value(QStringLiteral("verdict")).toString();
            message = c.toObject().value(QStringLiteral("message")).toString();
        }
    }
    QCOMPARE(verdict, QStringLiteral("fail"));
    QVERIFY2(message.contains(QStringLiteral("the transactional database of uat-alias")) &&
                 message.contains(QStringLiteral("is the transactional database of prod")) &&
                 message.contains(QStringLiteral("one database reached under two names")),
             qPrintable(message));
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"), QStringLiteral("--target"),
               QStringLiteral("uat-alias"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(dump(database(dbName(QStringLiteral("prod")))) == before, "production was changed");
    QVERIFY2(catalog.removeEnvironment(QStringLiteral("uat-alias"), &error), qPrintable(error));
}

void TestByoPostgres::refreshUnderOwnPolicyWhileTheSourceIsWritten()
{
    CliRun run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("shop"),
                      dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("prod"),
               QStringLiteral("--target"), QStringLiteral("uat"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const QString& id : {QStringLiteral("privileges"), QStringLiteral("data-policy"),
                              QStringLiteral("dmf-recurring-jobs"), QStringLiteral("commerce-defaults")})
        QCOMPARE(preflightCheck(run, id).value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
    QVERIFY(preflightCheck(run, QStringLiteral("dmf-recurring-jobs"))
                .value(QStringLiteral("message"))
                .toString()
                .contains(QLatin1String("Not a Dynamics 365")));

    const DatabaseRef prod = database(dbName(QStringLiteral("prod")));
    const DatabaseRef uat = database(dbName(QStringLiteral("uat")));
    QString e;
    const QByteArray before = dump(uat, &e);
    QVERIFY2(!before.isEmpty(), qPrintable(e));
    const QString settings =
        QStringLiteral("SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM shop_settings");
    const QString uatSettings = value(uat, settings);
    QCOMPARE(uatSettings, QStringLiteral("environment=uat,payment-gateway=uat.pay.example"));

    PostgresPairWriter writer(prod, OrderPairSql, 2);
    writer.start();
    QTRY_VERIFY(writer.committed() > 20);
    const qint64 beforeRefresh = writer.committed();
    CliProcess p;
    p.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("60"));
    QVERIFY(p.start(refreshArgs()));
    QVERIFY2(p.waitForErr(QStringLiteral("Copy transactional database..."), 60000), p.errSoFar().constData());
    const qint64 atCopyStart = writer.committed();
    QVERIFY2(p.waitForErr(QStringLiteral("Copy transactional database: Completed"), 120000), p.errSoFar().constData());
    const qint64 atCopyEnd = writer.committed();
    const CliOutcome out = p.finish(180000);
    writer.stop();
    QVERIFY2(out.exitedWith(0), qPrintable(out.describe()));
    QVERIFY2(writer.errors().isEmpty(), qPrintable(writer.errors().join(QLatin1Char('\n'))));
    QVERIFY2(atCopyEnd > atCopyStart, "the writer did not write while the copy ran");
    const qint64 id = out.json().object().value(QStringLiteral("id")).toInteger();

    // One snapshot of the source: every pair whole, the pairs 1..n of one moment.
    const qint64 orders = value(uat, QStringLiteral("SELECT count(*) FROM orders WHERE note LIKE 'w%'")).toLongLong();
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id AND "
                                       "l.sku = o.note WHERE o.note LIKE 'w%'"))
                 .toLongLong(),
             orders);
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM order_lines WHERE sku LIKE 'w%'")).toLongLong(), orders);
    QCOMPARE(value(uat, QStringLiteral("SELECT coalesce(max(substr(note, 2)::bigint), 0) FROM orders WHERE note LIKE "
                                       "'w%'"))
                 .toLongLong(),
             orders);
    QVERIFY2(orders >= beforeRefresh && orders < atCopyEnd,
             qPrintable(QStringLiteral("%1 pairs copied; %2 committed before the refresh, %3 at the end of the copy")
                            .arg(orders)
                            .arg(beforeRefresh)
                            .arg(atCopyEnd)));
    // The policy: payment tokens excluded, emails blanked, the target's own settings kept.
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM payment_tokens")), QStringLiteral("0"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM customers")), QStringLiteral("400"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM customers WHERE coalesce(email, '') <> ''")),
             QStringLiteral("0"));
    QCOMPARE(value(uat, settings), uatSettings);
    // The schema is the source's: foreign keys, the index, the view, and a sequence
    // that goes on after the copied orders.
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM pg_constraint WHERE contype = 'f'")), QStringLiteral("3"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'order_lines_by_order'")),
             QStringLiteral("1"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM order_totals")).toLongLong(), 6000 + orders);
    QVERIFY2(exec(uat, QStringLiteral("INSERT INTO orders (customer_id, note) VALUES (1, 'after the refresh')"), &e),
             qPrintable(e));
    QVERIFY(
        value(uat, QStringLiteral("SELECT number FROM orders WHERE note = 'after the refresh'")).toLongLong() >
        value(uat, QStringLiteral("SELECT max(number) FROM orders WHERE note <> 'after the refresh'")).toLongLong());
    QVERIFY2(exec(uat, QStringLiteral("DELETE FROM orders WHERE note = 'after the refresh'"), &e), qPrintable(e));

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(dump(uat, &e) == before, "the rollback did not bring back the target exactly");
    QCOMPARE(databasesLike(m_prefix + QLatin1Char('_')),
             (QStringList{dbName(QStringLiteral("prod")), dbName(QStringLiteral("uat"))}));
}

void TestByoPostgres::privilegesNamed()
{
    const QString np = dbName(QStringLiteral("np"));
    QString e;
    QVERIFY2(createDatabase(np, &e), qPrintable(e));
    QVERIFY2(exec(database(np), shopSql(5, 5, QStringLiteral("np")), &e), qPrintable(e));
    const QString role = PostgresConnection::quote(m_role);
    QVERIFY2(exec(server(), QStringLiteral("CREATE ROLE %1 LOGIN NOCREATEDB").arg(role), &e), qPrintable(e));
    QVERIFY2(exec(database(np), QStringLiteral("GRANT SELECT ON ALL TABLES IN SCHEMA public TO %1").arg(role), &e),
             qPrintable(e));

    // Registered: it can be read, but the registration warns that it cannot be refreshed.
    CliRun run = cli(addArgs(QStringLiteral("uat-np"), QStringLiteral("sandbox"), urlOf(np, m_role)));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("warning: refreshes into uat-np will be blocked")) &&
                 run.errText().contains(QLatin1String("lacks CREATEDB")),
             qPrintable(run.describe()));

    const QStringList preflight{QStringLiteral("preflight"),
                                QStringLiteral("--source"),
                                QStringLiteral("prod"),
                                QStringLiteral("--target"),
                                QStringLiteral("uat-np"),
                                QStringLiteral("--policy"),
                                dataFile(QStringLiteral("shop-policy.json")),
                                QStringLiteral("--json")};
    run = cli(preflight);
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QJsonObject c = preflightCheck(run, QStringLiteral("privileges"));
    QString message = c.value(QStringLiteral("message")).toString();
    QCOMPARE(c.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    QVERIFY2(message.contains(QStringLiteral("the role %1 lacks CREATEDB").arg(m_role)), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("neither the owner of database %1 (postgres is)").arg(np)),
             qPrintable(message));
    // The only failing check: everything else about the environment is fine.
    QStringList failing;
    for (const QJsonValue& v : run.json().object().value(QStringLiteral("checks")).toArray()) {
        if (v.toObject().value(QStringLiteral("verdict")).toString() == QLatin1String("fail"))
            failing << v.toObject().value(QStringLiteral("id")).toString();
    }
    QCOMPARE(failing, QStringList{QStringLiteral("privileges")});
    // The refresh is blocked the same way, before anything is created on the server.
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("prod"),
               QStringLiteral("--target"), QStringLiteral("uat-np"), QStringLiteral("--yes"),
               QStringLiteral("--policy"), dataFile(QStringLiteral("shop-policy.json"))});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("lacks CREATEDB")), qPrintable(run.describe()));
    QVERIFY(databasesLike(np + QLatin1Char('_')).isEmpty());

    // CREATEDB alone is not enough: the target must be the role's to rename.
    QVERIFY2(exec(server(), QStringLiteral("ALTER ROLE %1 CREATEDB").arg(role), &e), qPrintable(e));
    run = cli(preflight);
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    message = preflightCheck(run, QStringLiteral("privileges")).value(QStringLiteral("message")).toString();
    QVERIFY2(!message.contains(QLatin1String("CREATEDB,")) && !message.contains(QLatin1String("lacks CREATEDB")),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("ALTER DATABASE %1 OWNER TO %2").arg(PostgresConnection::quote(np), role)),
             qPrintable(message));
    // Its owner with CREATEDB: passes.
    QVERIFY2(
        exec(server(), QStringLiteral("ALTER DATABASE %1 OWNER TO %2").arg(PostgresConnection::quote(np), role), &e),
        qPrintable(e));
    run = cli(preflight);
    QCOMPARE(preflightCheck(run, QStringLiteral("privileges")).value(QStringLiteral("verdict")).toString(),
             QStringLiteral("pass"));

    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat-np")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(databaseExists(np));
    QVERIFY(dropDatabase(np));
}

// A source table whose row-level security hides rows from the connecting role (FORCE
// ROW LEVEL SECURITY on a table the role owns): the copy must fail, as pg_dump does,
// instead of copying the rows the role may see (it used to copy 0 of 30, and pass).
void TestByoPostgres::rowsHiddenByRowLevelSecurityFailTheCopy()
{
    const QString role = m_prefix + QStringLiteral("_rls");
    const QString prodName = dbName(QStringLiteral("rlsprod"));
    const QString uatName = dbName(QStringLiteral("rlsuat"));
    QString e;
    QVERIFY2(exec(server(), QStringLiteral("CREATE ROLE %1 LOGIN").arg(PostgresConnection::quote(role)), &e),
             qPrintable(e));
    for (const QString& name : {prodName, uatName})
        QVERIFY2(createDatabase(name, &e), qPrintable(e));
    const QString table = QStringLiteral("CREATE TABLE secrets (id integer PRIMARY KEY, v text NOT NULL); "
                                         "CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL); ");
    QVERIFY2(exec(database(prodName),
                  table + QStringLiteral("INSERT INTO secrets SELECT g, 'secret ' || g FROM generate_series(1, 30) g; "
                                         "INSERT INTO notes VALUES (1, 'hello'); "
                                         "ALTER TABLE secrets OWNER TO %1; ALTER TABLE notes OWNER TO %1; "
                                         "ALTER TABLE secrets ENABLE ROW LEVEL SECURITY; "
                                         "ALTER TABLE secrets FORCE ROW LEVEL SECURITY; "
                                         "CREATE POLICY hide ON secrets USING (id < 0);")
                              .arg(PostgresConnection::quote(role)),
                  &e),
             qPrintable(e));
    QVERIFY2(exec(database(uatName), table + QStringLiteral("INSERT INTO notes VALUES (7, 'the sandbox''s own');"), &e),
             qPrintable(e));
    // The role sees none of the 30 rows.
    DatabaseRef asRole = database(prodName);
    asRole.user = role;
    QCOMPARE(value(asRole, QStringLiteral("SELECT count(*) FROM secrets")), QStringLiteral("0"));

    const QString policy = QDir(m_catalog.path()).filePath(QStringLiteral("rls-policy.json"));
    QFile f(policy);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({ "rules": [ { "id": "notes", "title": "Notes", "reason": "security", "table": "notes",
                              "action": "blank", "columns": ["body"] } ] })");
    f.close();
    QStringList add = addArgs(QStringLiteral("rls-prod"), QStringLiteral("production"), urlOf(prodName, role));
    add[add.indexOf(QStringLiteral("shop"))] = QStringLiteral("rls");
    CliRun run = cli(add);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    add = addArgs(QStringLiteral("rls-uat"), QStringLiteral("sandbox"), urlOf(uatName));
    add[add.indexOf(QStringLiteral("shop"))] = QStringLiteral("rls");
    run = cli(add);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("rls"), policy});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));

    const QByteArray before = dump(database(uatName));
    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("rls-prod"),
               QStringLiteral("--target"), QStringLiteral("rls-uat"), QStringLiteral("--yes")});
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("row-level security")) &&
                 run.errText().contains(QStringLiteral("BYPASSRLS")),
             qPrintable(run.describe()));
    QVERIFY2(dump(database(uatName)) == before, "the target was changed");
    QCOMPARE(databasesLike(uatName), QStringList{uatName}); // no staging copy left behind

    // Clean up: the failed refresh is aborted, the environments go, the role with them.
    const qint64 id = cli({QStringLiteral("operations"), QStringLiteral("--json")})
                          .json().array().first().toObject().value(QStringLiteral("id")).toInteger();
    QVERIFY2(cli({QStringLiteral("abort"), QString::number(id)}).exitedWith(0), "abort");
    for (const char* env : {"rls-uat", "rls-prod"})
        QVERIFY2(cli({QStringLiteral("env"), QStringLiteral("remove"), QString::fromUtf8(env)})
                     .exitedWith(0),
                 env);
    for (const QString& name : {prodName, uatName})
        dropDatabase(name);
    exec(server(), QStringLiteral("DROP ROLE %1").arg(PostgresConnection::quote(role)));
}

void TestByoPostgres::removalRules()
{
    const DatabaseRef prod = database(dbName(QStringLiteral("prod")));
    const DatabaseRef uat = database(dbName(QStringLiteral("uat")));
    const CliOutcome killed = runCliWith(refreshArgs(),
                                         {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QStringLiteral("copy-mid")},
                                          {QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("20")}},
                                         180000);
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    CliRun run =
        cli({QStringLiteral("operations"), QStringLiteral("--env"), QStringLiteral("uat"), QStringLiteral("--json")});
    const QJsonObject last = run.json().array().first().toObject();
    QCOMPARE(last.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    const qint64 id = last.value(QStringLiteral("id")).toInteger();

    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("operation %1").arg(id)), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("prod")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("source of operation %1").arg(id)), qPrintable(run.describe()));

    // Resumed, it completes, and keeps a restore point until it is signed off.
    run = cli({QStringLiteral("resume"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM payment_tokens")), QStringLiteral("0"));
    run = cli({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("uat")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("dataalm signoff %1").arg(id)), qPrintable(run.describe()));
    run = cli({QStringLiteral("signoff"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QString e;
    const QByteArray prodDump = dump(prod, &e);
    const QByteArray uatDump = dump(uat, &e);
    QVERIFY2(!prodDump.isEmpty() && !uatDump.isEmpty(), qPrintable(e));
    for (const QString& env : {QStringLiteral("uat"), QStringLiteral("prod")}) {
        run = cli({QStringLiteral("env"), QStringLiteral("remove"), env});
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    // Forgotten, not dropped: both databases are there, unchanged, with nothing beside them.
    QCOMPARE(databasesLike(m_prefix + QLatin1Char('_')),
             (QStringList{dbName(QStringLiteral("prod")), dbName(QStringLiteral("uat"))}));
    QCOMPARE(QCryptographicHash::hash(dump(prod, &e), QCryptographicHash::Sha256),
             QCryptographicHash::hash(prodDump, QCryptographicHash::Sha256));
    QCOMPARE(QCryptographicHash::hash(dump(uat, &e), QCryptographicHash::Sha256),
             QCryptographicHash::hash(uatDump, QCryptographicHash::Sha256));
    run = cli({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(run.json().array().size(), 0);
}

QTEST_GUILESS_MAIN(TestByoPostgres)
#include "tst_byopostgres.moc"
