// Restore to an instant from the console: Move database > Point-in-time restore > An
// instant, on a PostgreSQL demo whose server scripts/test archives with pgBackRest
// (DATAALM_TEST_PGBACKREST_CONFIG). The page reads the stanza's window off the GUI
// thread and bounds the date-time field by it; the checks include the window; the
// acknowledgements name the instant; Start restore puts the sandbox's transactional
// database back exactly as it was then.
#include "MoveDatabaseDriver.h"
#include "PostgresTestSupport.h"
#include "TestSupport.h"

#include "logging/Logging.h"

#include <QDateTimeEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRadioButton>
#include <QThread>

using namespace MoveDatabaseDriver;

class TestPitrWizard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void restoreToAnInstantFromTheWizard();

private:
    CliRun cli(const QStringList& args) const
    {
        return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, 600000);
    }
    QString env(const QString& suffix) const { return m_project + QLatin1Char('-') + suffix; }

    QTemporaryDir m_catalog;
    QString m_project;
};

void TestPitrWizard::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_pitrwizard"));
    QVERIFY2(!PostgresTestSupport::url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the tests through scripts/test");
    QVERIFY2(!qEnvironmentVariable("DATAALM_TEST_PGBACKREST_CONFIG").isEmpty(),
             "DATAALM_TEST_PGBACKREST_CONFIG is not set: scripts/test creates a pgBackRest stanza on its server");
    m_project = PostgresTestSupport::uniqueName(QStringLiteral("pw"));
    const CliRun run = cli({QStringLiteral("demo"), QStringLiteral("--project"), m_project, QStringLiteral("--size-mb"),
                            QStringLiteral("4"), QStringLiteral("--postgres"), PostgresTestSupport::url()});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestPitrWizard::cleanupTestCase()
{
    for (const QString& name : PostgresTestSupport::databasesLike(m_project + QLatin1Char('-')))
        PostgresTestSupport::dropDatabase(name);
}

void TestPitrWizard::restoreToAnInstantFromTheWizard()
{
    const QString config = qEnvironmentVariable("DATAALM_TEST_PGBACKREST_CONFIG");
    const QString stanza = qEnvironmentVariable("DATAALM_TEST_PGBACKREST_STANZA");
    const QString osUser = qEnvironmentVariable("DATAALM_TEST_PG_OSUSER");
    // A backup once the demo exists, then a change after the instant.
    QProcess backup;
    const QStringList command{QStringLiteral("pgbackrest"), QStringLiteral("--config=") + config,
                              QStringLiteral("--stanza=") + stanza, QStringLiteral("--type=full"), QStringLiteral("backup")};
    backup.setWorkingDirectory(QStringLiteral("/"));
    if (osUser.isEmpty())
        backup.start(command.first(), command.mid(1));
    else
        backup.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), osUser, QStringLiteral("--")} + command);
    QVERIFY(backup.waitForFinished(300000) && backup.exitCode() == 0);
    QThread::sleep(3);
    const DatabaseRef uat = PostgresTestSupport::database(env(QStringLiteral("uat")));
    QString e;
    QVERIFY2(PostgresTestSupport::exec(uat, QStringLiteral("CREATE TABLE gui_pitr (x integer); INSERT INTO gui_pitr VALUES (1)"), &e),
             qPrintable(e));
    QThread::msleep(1200);
    const QDateTime instant = QDateTime::currentDateTimeUtc().addMSecs(-200);
    QThread::msleep(300);
    QVERIFY2(PostgresTestSupport::exec(uat, QStringLiteral("INSERT INTO gui_pitr VALUES (2)"), &e), qPrintable(e));
    CliRun run = cli({QStringLiteral("env"), QStringLiteral("pitr"), env(QStringLiteral("uat")), QStringLiteral("--stanza"),
                      stanza, QStringLiteral("--config"), config, QStringLiteral("--os-user"), osUser});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));

    auto catalog = std::make_unique<Catalog>();
    QVERIFY2(catalog->open(m_catalog.path(), &e), qPrintable(e));
    MainWindow window(std::move(catalog));
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    MoveDatabaseWizard* wizard = openWizard(&window, env(QStringLiteral("uat")));
    QVERIFY(wizard);
    auto* restore = wizard->findChild<QRadioButton*>(QStringLiteral("pointInTimeChoice"));
    QVERIFY(restore && restore->isEnabled());
    QTest::mouseClick(restore, Qt::LeftButton, {}, QPoint(8, restore->height() / 2));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_RestorePoint));
    auto* instantChoice = wizard->findChild<QRadioButton*>(QStringLiteral("instantChoice"));
    QVERIFY(instantChoice && instantChoice->isVisible());
    QTest::mouseClick(instantChoice, Qt::LeftButton, {}, QPoint(8, instantChoice->height() / 2));
    auto* edit = wizard->findChild<QDateTimeEdit*>(QStringLiteral("instantEdit"));
    // The window arrives from the worker; the field is bounded by it.
    QTRY_VERIFY_WITH_TIMEOUT(edit->isEnabled(), 30000);
    QVERIFY2(label(wizard, "instantWindow").contains(QStringLiteral("can go back to any instant")),
             qPrintable(label(wizard, "instantWindow")));
    QVERIFY(edit->minimumDateTime() <= instant.toLocalTime());
    edit->setDateTime(instant.toLocalTime());
    saveScreenshot(wizard, QStringLiteral("restore-instant-page"));
    QVERIFY(clickNext(wizard));
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Checks));
    QVERIFY(clickNext(wizard)); // once the checks, the window's among them, passed
    QCOMPARE(wizard->currentId(), int(MoveDatabaseWizard::Page_Acknowledge));
    const QString summary = wizard->findChild<QPlainTextEdit*>(QStringLiteral("refreshSummary"))->toPlainText();
    QVERIFY2(summary.contains(QStringLiteral("restored by pgBackRest")), qPrintable(summary));
    acknowledge(wizard, wizard->target().name);
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(operation(&window, 1) && operation(&window, 1)->state == OperationState::Completed, 180000);
    QCOMPARE(PostgresTestSupport::value(uat, QStringLiteral("SELECT string_agg(x::text, ',' ORDER BY x) FROM gui_pitr")),
             QStringLiteral("1"));
    for (OperationSession* s : window.operations()->busySessions())
        QTRY_VERIFY_WITH_TIMEOUT(!s->isBusy(), 60000);
}

QTEST_MAIN(TestPitrWizard)
#include "tst_pitrwizard.moc"
