// DatabaseUrl: the URLs of `env add --db ROLE=URL`, parsed without touching a file
// or a server, refused with the form to use, and written back (round trip).
#include "environment/DatabaseUrl.h"

#include <QTest>

class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void sqlite_data();
    void sqlite();
    void postgres_data();
    void postgres();
    void refused_data();
    void refused();
    void assignment();
    void passwordNeverEchoed_data();
    void passwordNeverEchoed();
    void roundTrip_data();
    void roundTrip();
};

void TestDatabaseUrl::init()
{
    for (const char* v : {"PGHOST", "PGPORT", "PGUSER"})
        qunsetenv(v);
}

void TestDatabaseUrl::sqlite_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");
    QTest::newRow("plain") << "sqlite:///srv/erp/uat.db"
                           << "/srv/erp/uat.db";
    QTest::newRow("percent-encoded space") << "sqlite:///srv/my%20erp/uat.db"
                                           << "/srv/my erp/uat.db";
    QTest::newRow("dot segments") << "sqlite:///srv/erp/../erp2/./uat.db"
                                  << "/srv/erp2/uat.db";
    QTest::newRow("upper-case scheme") << "SQLITE:///a.db"
                                       << "/a.db";
    QTest::newRow("utf-8") << "sqlite:///srv/Stra%C3%9Fe.db" << QStringLiteral("/srv/Straße.db");
}

void TestDatabaseUrl::sqlite()
{
    QFETCH(QString, url);
    QString error;
    const auto ref = DatabaseUrl::parse(url, &error);
    QVERIFY2(ref, qPrintable(error));
    QCOMPARE(ref->driver, DatabaseRef::Sqlite);
    QTEST(ref->path, "path");
    QVERIFY(ref->role.isEmpty());
}

void TestDatabaseUrl::postgres_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("sslMode");
    QTest::newRow("full") << "postgresql://alm@db.example:6543/erp_uat"
                          << "db.example" << 6543 << "alm"
                          << "erp_uat"
                          << "";
    QTest::newRow("postgres scheme, default port") << "postgres://alm@db/erp"
                                                   << "db" << 5432 << "alm"
                                                   << "erp"
                                                   << "";
    QTest::newRow("sslmode") << "postgresql://alm@db:5432/erp?sslmode=require"
                             << "db" << 5432 << "alm"
                             << "erp"
                             << "require";
    QTest::newRow("ipv6") << "postgresql://alm@[::1]:5433/erp"
                          << "::1" << 5433 << "alm"
                          << "erp"
                          << "";
    QTest::newRow("encoded name") << "postgresql://alm@db/erp%20uat"
                                  << "db" << 5432 << "alm"
                                  << "erp uat"
                                  << "";
}

void TestDatabaseUrl::postgres()
{
    QFETCH(QString, url);
    QString error;
    const auto ref = DatabaseUrl::parse(url, &error);
    QVERIFY2(ref, qPrintable(error));
    QCOMPARE(ref->driver, DatabaseRef::Postgres);
    QTEST(ref->host, "host");
    QTEST(ref->port, "port");
    QTEST(ref->user, "user");
    QTEST(ref->name, "name");
    QTEST(ref->sslMode, "sslMode");
}

void TestDatabaseUrl::refused_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("mention");
    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("relative sqlite") << "sqlite://uat.db"
                                     << "sqlite:///absolute/path.db";
    QTest::newRow("sqlite with a host") << "sqlite://server/srv/uat.db"
                                        << "three slashes";
    QTest::newRow("sqlite without slashes") << "sqlite:uat.db"
                                            << "three slashes";
    QTest::newRow("sqlite options") << "sqlite:///srv/uat.db?mode=ro"
                                    << "options";
    QTest::newRow("sqlite folder") << "sqlite:///srv/erp/"
                                   << "folder";
    QTest::newRow("sqlite root") << "sqlite:///"
                                 << "folder";
    QTest::newRow("a bare path") << "/srv/erp/uat.db"
                                 << "not a database URL";
    QTest::newRow("mysql") << "mysql://u@h/db"
                           << "not a database URL";
    QTest::newRow("keyword/value") << "host=db dbname=erp"
                                   << "not a database URL";
    QTest::newRow("password") << "postgresql://alm:secret@db:5432/erp"
                              << ".pgpass";
    QTest::newRow("password option") << "postgresql://alm@db:5432/erp?password=secret"
                                     << ".pgpass";
    QTest::newRow("no database") << "postgresql://alm@db:5432"
                                 << "names no database";
    QTest::newRow("no database, slash") << "postgresql://alm@db:5432/"
                                        << "names no database";
    QTest::newRow("maintenance database") << "postgresql://alm@db:5432/postgres"
                                          << "database of its own";
    QTest::newRow("template1") << "postgresql://alm@db/template1"
                               << "database of its own";
    QTest::newRow("bad port") << "postgresql://alm@db:99999/erp"
                              << "port";
    QTest::newRow("not a port") << "postgresql://alm@db:abc/erp"
                                << "";
    QTest::newRow("bad sslmode") << "postgresql://alm@db/erp?sslmode=maybe"
                                 << "sslmode=maybe";
    QTest::newRow("unsupported option") << "postgresql://alm@db/erp?options=-c%20x%3D1"
                                        << "options";
    QTest::newRow("two hosts") << "postgresql://alm@db1,db2/erp"
                               << "several hosts";
}

void TestDatabaseUrl::refused()
{
    QFETCH(QString, url);
    QFETCH(QString, mention);
    QString error;
    const auto ref = DatabaseUrl::parse(url, &error);
    QVERIFY2(!ref, qPrintable(url));
    QVERIFY2(!error.isEmpty(), qPrintable(url));
    QVERIFY2(error.contains(mention), qPrintable(error));
    // Whatever the cause, a refusal never repeats a password.
    QVERIFY2(!error.contains(QLatin1String("secret")) || url.contains(QLatin1String("password=")), qPrintable(error));
}

void TestDatabaseUrl::assignment()
{
    QString error;
    auto ref = DatabaseUrl::parseAssignment(QStringLiteral("financial-reporting=sqlite:///srv/fr.db"), &error);
    QVERIFY2(ref, qPrintable(error));
    QCOMPARE(ref->role, DatabaseRef::FinancialReporting);
    QCOMPARE(ref->path, QStringLiteral("/srv/fr.db"));

    ref = DatabaseUrl::parseAssignment(QStringLiteral("reporting=sqlite:///srv/fr.db"), &error);
    QVERIFY(!ref);
    QVERIFY2(error.contains(QLatin1String("transactional or financial-reporting")), qPrintable(error));
    ref = DatabaseUrl::parseAssignment(QStringLiteral("sqlite:///srv/fr.db"), &error);
    QVERIFY(!ref);
    ref = DatabaseUrl::parseAssignment(QStringLiteral("transactional=sqlite://x.db"), &error);
    QVERIFY(!ref);
    QVERIFY2(error.startsWith(QLatin1String("the transactional database: ")), qPrintable(error));
}

void TestDatabaseUrl::passwordNeverEchoed_data()
{
    // URLs that fail to parse, or that parse and are refused for another reason, with a
    // password in every form libpq takes: the message names the cause, never the password.
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("secret");
    QTest::newRow("bad percent-encoding") << QStringLiteral("postgresql://alice:s3cr%zzet@db.example/shop")
                                          << QStringLiteral("s3cr");
    QTest::newRow("unclosed [") << QStringLiteral("postgresql://alice:s3cret@[::1/shop") << QStringLiteral("s3cret");
    QTest::newRow("key=value, missing =") << QStringLiteral("host=db.example password=s3cret dbname")
                                          << QStringLiteral("s3cret");
    QTest::newRow("key=value, quoted") << QStringLiteral("host=db.example password='s3 cret' port")
                                       << QStringLiteral("s3 cret");
    QTest::newRow("option password, bad option") << QStringLiteral("postgresql://db.example/shop?password=s3cret&x=%zz")
                                                 << QStringLiteral("s3cret");
    QTest::newRow("sqlite with userinfo") << QStringLiteral("sqlite://alice:s3cret@host/x.db") << QStringLiteral("s3cret");
    QTest::newRow("not a database URL") << QStringLiteral("mysql://alice:s3cret@db.example/shop")
                                        << QStringLiteral("s3cret");
}

void TestDatabaseUrl::passwordNeverEchoed()
{
    QFETCH(QString, url);
    QFETCH(QString, secret);
    QString error;
    QVERIFY(!DatabaseUrl::parse(url, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(secret), qPrintable(error));
    QVERIFY(!DatabaseUrl::parseAssignment(QStringLiteral("transactional=") + url, &error));
    QVERIFY2(!error.contains(secret), qPrintable(error));
    QVERIFY(!DatabaseUrl::parseAssignment(QStringLiteral("nosuchrole=") + url, &error));
    QVERIFY2(!error.isEmpty() && !error.contains(secret), qPrintable(error));
}

void TestDatabaseUrl::roundTrip_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("sqlite") << "sqlite:///srv/erp/uat.db";
    QTest::newRow("sqlite with odd characters") << "sqlite:///srv/my%20erp/50%25%3F.db";
    QTest::newRow("postgres") << "postgresql://alm@db.example:6543/erp_uat";
    QTest::newRow("postgres sslmode") << "postgresql://alm@db:5432/erp?sslmode=verify-full";
    QTest::newRow("postgres ipv6") << "postgresql://alm@[::1]:5433/erp";
    QTest::newRow("postgres odd user and name") << "postgresql://d%40ta@db:5432/erp%2Fuat%20x";
}

void TestDatabaseUrl::roundTrip()
{
    QFETCH(QString, url);
    QString error;
    const auto ref = DatabaseUrl::parse(url, &error);
    QVERIFY2(ref, qPrintable(error));
    const QString written = DatabaseUrl::format(*ref);
    const auto again = DatabaseUrl::parse(written, &error);
    QVERIFY2(again, qPrintable(written + QLatin1String(": ") + error));
    QCOMPARE(again->toJson(), ref->toJson());
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
