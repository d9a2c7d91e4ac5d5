// PostgresUrl (the --postgres URL of `dataalm demo`) and PostgresEngine's derived
// database names: pure parsing, no server needed.
#include "engine/PostgresEngine.h"
#include "environment/PostgresUrl.h"

#include <QTest>

class TestPostgresUrl : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void parses_data();
    void parses();
    void defaultsFromEnvironment();
    void refuses_data();
    void refuses();
    void derivedNameShort();
    void derivedNameLong();
    void derivedNameMultibyte();
};

void TestPostgresUrl::init()
{
    for (const char* v : {"PGHOST", "PGPORT", "PGUSER"})
        qunsetenv(v);
}

void TestPostgresUrl::parses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("sslMode");
    QTest::newRow("full") << "postgresql://postgres@127.0.0.1:55432/postgres" << "127.0.0.1" << 55432 << "postgres"
                          << "postgres" << "";
    QTest::newRow("scheme postgres://") << "postgres://alm@db.example:6000/erp" << "db.example" << 6000 << "alm"
                                        << "erp" << "";
    QTest::newRow("sslmode") << "postgresql://alm@db/erp?sslmode=require" << "db" << 5432 << "alm" << "erp"
                             << "require";
    QTest::newRow("no database") << "postgresql://alm@db" << "db" << 5432 << "alm" << "postgres" << "";
    QTest::newRow("percent-encoded user") << "postgresql://d%40ta@db/x" << "db" << 5432 << "d@ta" << "x" << "";
    QTest::newRow("ipv6") << "postgresql://u@[::1]:5433/x" << "::1" << 5433 << "u" << "x" << "";
    QTest::newRow("keyword/value") << "host=10.1.2.3 port=5440 user=u dbname=d" << "10.1.2.3" << 5440 << "u" << "d"
                                   << "";
}

void TestPostgresUrl::parses()
{
    QFETCH(QString, url);
    QString error;
    const auto ref = PostgresUrl::parse(url, &error);
    QVERIFY2(ref, qPrintable(error));
    QCOMPARE(ref->driver, DatabaseRef::Postgres);
    QTEST(ref->host, "host");
    QTEST(ref->port, "port");
    QTEST(ref->user, "user");
    QTEST(ref->name, "name");
    QTEST(ref->sslMode, "sslMode");
    QVERIFY(!ref->postgresConninfo().contains(QLatin1String("password")));
}

void TestPostgresUrl::defaultsFromEnvironment()
{
    qputenv("PGHOST", "pg.internal");
    qputenv("PGPORT", "7777");
    qputenv("PGUSER", "ops");
    QString error;
    auto ref = PostgresUrl::parse(QStringLiteral("postgresql:///erp"), &error);
    QVERIFY2(ref, qPrintable(error));
    QCOMPARE(ref->host, QStringLiteral("pg.internal"));
    QCOMPARE(ref->port, 7777);
    QCOMPARE(ref->user, QStringLiteral("ops"));
    QCOMPARE(ref->name, QStringLiteral("erp"));
    init();
    ref = PostgresUrl::parse(QStringLiteral("postgresql://"), &error);
    QVERIFY2(ref, qPrintable(error));
    QCOMPARE(ref->host, QStringLiteral("localhost"));
    QCOMPARE(ref->port, 5432);
    QCOMPARE(ref->name, QStringLiteral("postgres"));
}

void TestPostgresUrl::refuses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("password in URL") << "postgresql://u:secret@db/x" << ".pgpass";
    QTest::newRow("password keyword") << "host=db password=secret" << ".pgpass";
    QTest::newRow("not a URL") << "http://db/x" << "not a PostgreSQL URL";
    QTest::newRow("bad port") << "postgresql://u@db:99999/x" << "port";
    QTest::newRow("unknown option") << "postgresql://u@db/x?foo=bar" << "not a PostgreSQL URL";
    QTest::newRow("unsupported option") << "postgresql://u@db/x?options=-c%20x%3Dy" << "options";
    QTest::newRow("several hosts") << "postgresql://u@a,b/x" << "several hosts";
}

void TestPostgresUrl::refuses()
{
    QFETCH(QString, url);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!PostgresUrl::parse(url, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1String("secret")), qPrintable(error));
}

void TestPostgresUrl::derivedNameShort()
{
    QCOMPARE(PostgresEngine::derivedName(QStringLiteral("contoso-uat"), QStringLiteral("_staging_op7")),
             QStringLiteral("contoso-uat_staging_op7"));
    DatabaseRef target;
    target.driver = DatabaseRef::Postgres;
    target.name = QStringLiteral("contoso-uat");
    PostgresEngine engine;
    QCOMPARE(engine.stagingFor(target, 12).name, QStringLiteral("contoso-uat_staging_op12"));
    QCOMPARE(engine.restorePointFor(target, 12).name, QStringLiteral("contoso-uat_restore_op12"));
}

void TestPostgresUrl::derivedNameLong()
{
    const QString a = QString(60, QLatin1Char('a')) + QStringLiteral("1");
    const QString b = QString(60, QLatin1Char('a')) + QStringLiteral("2");
    const QString na = PostgresEngine::derivedName(a, QStringLiteral("_staging_op123"));
    const QString nb = PostgresEngine::derivedName(b, QStringLiteral("_staging_op123"));
    QVERIFY2(na.toUtf8().size() <= 63, qPrintable(na));
    QVERIFY(na.endsWith(QLatin1String("_staging_op123")));
    QVERIFY2(na != nb, "two long names that differ only at the end must stay different");
    // The restore point name has the same length: rollback derives one from the other.
    const QString ra = PostgresEngine::derivedName(a, QStringLiteral("_restore_op123"));
    QCOMPARE(QString(ra).replace(QStringLiteral("_restore_op"), QStringLiteral("_staging_op")), na);
}

void TestPostgresUrl::derivedNameMultibyte()
{
    const QString base = QString(40, QChar(0x00e9)); // 80 bytes of UTF-8
    const QString n = PostgresEngine::derivedName(base, QStringLiteral("_restore_op1"));
    QVERIFY2(n.toUtf8().size() <= 63, qPrintable(n));
    QCOMPARE(QString::fromUtf8(n.toUtf8()), n); // cut on a character boundary
    QVERIFY(n.startsWith(QChar(0x00e9)));
}

QTEST_GUILESS_MAIN(TestPostgresUrl)
#include "tst_postgresurl.moc"
