// A one-person (SQLite) catalog keeps database passwords in the OS keychain (QtKeychain;
// here a GNOME Keyring of the test's own in a D-Bus session: tests/support/with-keyring).
// The environments' databases live on a private PostgreSQL server that wants a password
// over TCP, and nobody's ~/.pgpass helps: with the password set (from standard input),
// a refresh run by the CLI completes; the catalog file holds no password, only that there
// is one; it is revealed for a reason (not production's), and removed from the keychain.
// No file the test leaves holds it.
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "PrivatePostgresServer.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray Secret = "Keyring-kept-Secret-3377";
}

class TestKeychainCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keptInTheKeychainAndUsed();

private:
    CliRun cli(const QStringList& args, const QByteArray& input = {});

    PrivatePostgresServer m_server;
    QTemporaryDir m_dir;
    QTemporaryDir m_state;
    QString m_catalog;
    QList<CliRun> m_runs;
};

CliRun TestKeychainCredentials::cli(const QStringList& args, const QByteArray& input)
{
    const CliRun run = runCliWithInput(QStringList{QStringLiteral("--catalog"), m_catalog} + args, input, 300000);
    m_runs.append(run);
    return run;
}

void TestKeychainCredentials::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run through tests/support/with-keyring");
    QVERIFY(m_dir.isValid() && m_state.isValid());
    qputenv("DATAALM_STATE_DIR", m_state.path().toLocal8Bit());
    qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("no-pgpass")).toLocal8Bit());
    qunsetenv("PGPASSWORD");
    QString error;
    m_server.requirePasswords();
    QVERIFY2(m_server.start(&error), qPrintable(error));
    QVERIFY2(m_server.execLocal(QStringLiteral("ALTER ROLE postgres PASSWORD '%1'").arg(QString::fromLatin1(Secret)),
                                &error),
             qPrintable(error));
    m_catalog = m_dir.filePath(QStringLiteral("catalog"));
    qputenv("PGPASSWORD", Secret);
    const CliRun demo = cli({QStringLiteral("demo"), QStringLiteral("--size-mb"), QStringLiteral("1"),
                             QStringLiteral("--postgres"), m_server.url()});
    qunsetenv("PGPASSWORD");
    QVERIFY2(demo.exitedWith(0), qPrintable(demo.describe()));
}

void TestKeychainCredentials::keptInTheKeychainAndUsed()
{
    // Without a password the refresh cannot open the databases.
    CliRun run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                      QStringLiteral("--target"), QStringLiteral("contoso-uat")});
    QVERIFY2(!run.exitedWith(0) && run.outText().contains(QStringLiteral("no password supplied")),
             qPrintable(run.describe()));
    for (const QString& env : {QStringLiteral("contoso-uat"), QStringLiteral("contoso-prod")}) {
        run = cli({QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("set"), env}, Secret + '\n');
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    }
    // The checks now open the databases with it.
    run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
               QStringLiteral("--target"), QStringLiteral("contoso-uat")});
    QVERIFY2(!run.outText().contains(QStringLiteral("no password supplied")), qPrintable(run.describe()));
    // The catalog file knows there is one, not what it is.
    QFile db(m_catalog + QStringLiteral("/catalog.db"));
    QVERIFY(db.open(QIODevice::ReadOnly));
    QVERIFY(!db.readAll().contains(Secret));
    run = cli({QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("list"), QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(0) && run.outText().startsWith(QStringLiteral("transactional\tpostgres\tset by")),
             qPrintable(run.describe()));

    run = cli({QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
               QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(QJsonDocument::fromJson(run.out).object().value(QStringLiteral("state")).toString(),
             QStringLiteral("Completed"));

    run = cli({QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("reveal"), QStringLiteral("contoso-uat"),
               QStringLiteral("--reason"), QStringLiteral("a report")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.out, Secret + '\n');
    m_runs.removeLast();
    run = cli({QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("reveal"), QStringLiteral("contoso-prod"),
               QStringLiteral("--reason"), QStringLiteral("a report")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("remove"), QStringLiteral("contoso-uat")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("env"), QStringLiteral("credential"), QStringLiteral("reveal"), QStringLiteral("contoso-uat"),
               QStringLiteral("--reason"), QStringLiteral("again")});
    QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));

    // No file the test leaves, and no output but the reveal's, holds the password.
    int files = 0;
    for (const QString& root : {m_catalog, m_state.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            QVERIFY2(!f.readAll().contains(Secret), qPrintable(f.fileName()));
        }
    }
    QVERIFY(files > 0);
    for (const CliRun& r : std::as_const(m_runs)) {
        if (r.args.contains(QStringLiteral("demo")))
            continue; // made with PGPASSWORD in its environment, which it never prints either
        QVERIFY2(!r.out.contains(Secret) && !r.err.contains(Secret), qPrintable(r.args.join(QLatin1Char(' '))));
    }
}

QTEST_GUILESS_MAIN(TestKeychainCredentials)
#include "tst_keychaincredentials.moc"
