// How responsive the console stays while it runs a real refresh: a heartbeat timer
// on the GUI thread (every 5 ms) records how late each beat comes while the Move
// database wizard runs its checks and counts, then while the refresh runs with the
// live progress view on screen. A late beat is a stall the user would feel.
//
// Data: the demo project at 1 GB (DATAALM_BENCH_QUICK=1: 128 MB), created with the
// real `dataalm demo`. Figures (JSON lines appended to $DATAALM_BENCH_OUT):
//   ui-stall-max-ms, ui-stall-p99-ms   during the refresh (targets 30 and 10 ms)
// The wizard's figures are printed only: its checks and counts end within a few beats,
// too few for a percentile to mean anything.
// A stall is the time a beat came later than 5 ms after the previous one.
#include "../gui/MoveDatabaseDriver.h"
#include "BenchChild.h"
#include "Heartbeat.h"
#include "TestSupport.h"

#include "PolicyReviewModel.h"
#include "logging/Logging.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>


using namespace TestSupport;
using namespace MoveDatabaseDriver;

namespace {

void report(const QString& name, double value, double target)
{
    BenchChild::emitRow(name, value, QStringLiteral("ms"), QStringLiteral("target"), target);
}

} // namespace

class BenchUiStall : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void refreshKeepsTheConsoleResponsive();
    void cleanupTestCase();

private:
    QTemporaryDir m_dir;
    QString m_catalog;
    int m_sizeMb = 1024;
};

void BenchUiStall::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_bench_uistall"));
    m_sizeMb = BenchChild::quick() ? 128 : 1024;
    QVERIFY(m_dir.isValid());
    m_catalog = m_dir.filePath(QStringLiteral("catalog"));
    QElapsedTimer t;
    t.start();
    QString error;
    QVERIFY2(createDemoCatalog(m_catalog, m_sizeMb, &error), qPrintable(error));
    qInfo("demo of %d MB created in %.1f s", m_sizeMb, double(t.elapsed()) / 1000.0);
}

void BenchUiStall::refreshKeepsTheConsoleResponsive()
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    QVERIFY2(catalog->open(m_catalog, &error), qPrintable(error));
    MainWindow window(std::move(catalog));
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    Heartbeat heartbeat;
    // The wizard: checks and row counts run on the preflight worker.
    MoveDatabaseWizard* wizard = openWizard(&window, QStringLiteral("contoso-uat"));
    QVERIFY(wizard);
    QVERIFY(clickNext(wizard));
    QElapsedTimer t;
    t.start();
    QVERIFY(clickNext(wizard)); // the checks start; measured once the page is up
    heartbeat.start();
    // A plain event loop, as the application runs (QTest::qWait would sleep between events).
    {
        QEventLoop loop;
        connect(wizard, &MoveDatabaseWizard::preflightChanged, &loop, [&] {
            if (wizard->checksDone() && !wizard->isPreflightRunning())
                loop.quit();
        });
        QTimer::singleShot(600000, &loop, &QEventLoop::quit);
        if (!wizard->checksDone() || wizard->isPreflightRunning())
            loop.exec();
    }
    QVERIFY(wizard->checksDone() && !wizard->isBlocked());
    QVERIFY(clickNext(wizard)); // the review
    QVERIFY(wizard->reviewModel()->allCounted());
    const double wizardSeconds = double(t.elapsed()) / 1000.0;
    heartbeat.stop();
    const double wizardMax = heartbeat.max();
    const double wizardP99 = heartbeat.percentile(0.99);
    qInfo("wizard: %s", qPrintable(heartbeat.worst()));
    const int wizardBeats = heartbeat.beats();
    QVERIFY(clickNext(wizard));
    acknowledge(wizard, wizard->target().name);

    // The refresh, with the live progress view on screen.
    heartbeat.start();
    t.restart();
    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.progressView()->session(), 10000); // started in the next turns of the loop
    OperationSession* session = window.progressView()->session();
    const qint64 id = session->operationId();
    {
        QEventLoop loop;
        connect(session, &OperationSession::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(3600000, &loop, &QEventLoop::quit);
        if (session->isBusy())
            loop.exec();
    }
    QVERIFY(!session->isBusy());
    const double refreshSeconds = double(t.elapsed()) / 1000.0;
    heartbeat.stop();
    QCOMPARE(operation(&window, id)->state, OperationState::Completed);
    QVERIFY2(heartbeat.beats() > 10, "the heartbeat must have run during the refresh");

    qInfo("refresh: %s", qPrintable(heartbeat.worst()));
    qInfo("%d MB: wizard checks and counts %.2f s (%d beats), refresh %.2f s (%d beats)", m_sizeMb, wizardSeconds,
          wizardBeats, refreshSeconds, heartbeat.beats());
    report(QStringLiteral("ui-stall-max-ms"), heartbeat.max(), 30);
    report(QStringLiteral("ui-stall-p99-ms"), heartbeat.percentile(0.99), 10);
    qInfo("wizard's checks and counts: stall max %.1f ms, p99 %.1f ms", wizardMax, wizardP99);
}

void BenchUiStall::cleanupTestCase() {}

QTEST_MAIN(BenchUiStall)
#include "tst_bench_uistall.moc"
