// RunbookStepModel: an operation's runbook for the progress view, fed by catalog
// snapshots of a real OperationStore and by the runner's live events.
#include "TestSupport.h"

#include "RunbookStepModel.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "catalog/OperationStore.h"
#include "refresh/RefreshRunbook.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestRunbookStepModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void snapshotOfANewOperation();
    void liveStepsAndProgress();
    void snapshotsUpdateInPlaceAndKeepLiveProgress();
    void overallProgress();
    void otherStepsResetTheModel();
    void texts();

private:
    QList<StepRecord> steps() const { return m_store->get(m_id)->steps; }

    std::unique_ptr<TemporaryCatalog> m_catalog;
    std::unique_ptr<OperationStore> m_store;
    qint64 m_id = 0;
};

void TestRunbookStepModel::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    m_store = std::make_unique<OperationStore>(m_catalog->catalog());
    QString error;
    const auto id =
        m_store->create(QStringLiteral("refresh"), QStringLiteral("contoso"), QStringLiteral("contoso-prod"),
                        QStringLiteral("contoso-uat"), RefreshRunbook::stepNames(), {}, &error);
    QVERIFY2(id, qPrintable(error));
    m_id = *id;
}

void TestRunbookStepModel::cleanup()
{
    m_store.reset();
    m_catalog.reset();
}

void TestRunbookStepModel::snapshotOfANewOperation()
{
    RunbookStepModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSteps(steps());
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.columnCount(), 5);
    QCOMPARE(model.index(0, RunbookStepModel::StepColumn).data().toString(), QStringLiteral("1. Validate"));
    QCOMPARE(model.index(8, RunbookStepModel::StepColumn).data().toString(), QStringLiteral("9. Swap into target"));
    QCOMPARE(model.index(0, RunbookStepModel::StateColumn).data().toString(), QStringLiteral("Not started"));
    QCOMPARE(model.index(0, 0).data(RunbookStepModel::StateRole).toString(), QStringLiteral("NotStarted"));
    QCOMPARE(model.index(0, RunbookStepModel::StartedColumn).data().toString(), QString());
    QCOMPARE(model.index(0, RunbookStepModel::DurationColumn).data().toString(), QString());
    QCOMPARE(model.index(0, 0).data(RunbookStepModel::OrdinalRole).toInt(), 1);
    QCOMPARE(model.index(0, 0).data(RunbookStepModel::PercentRole).toInt(), 0);
    QCOMPARE(model.currentOrdinal(), 0);
    QCOMPARE(model.latestOrdinal(), 0);
    QCOMPARE(model.finishedCount(), 0);
    QCOMPARE(model.overallPercent(), 0);
}

void TestRunbookStepModel::liveStepsAndProgress()
{
    RunbookStepModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSteps(steps());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyStep(1, StepState::InProgress, {});
    QCOMPARE(model.currentOrdinal(), 1);
    QCOMPARE(model.index(0, RunbookStepModel::StateColumn).data().toString(), QStringLiteral("In progress"));
    QVERIFY(!model.index(0, RunbookStepModel::StartedColumn).data().toString().isEmpty());
    QCOMPARE(model.index(0, RunbookStepModel::DurationColumn).data().toString(), QStringLiteral("< 0.1 s"));
    model.applyStep(1, StepState::Completed, QStringLiteral("13 checks passed"));
    QCOMPARE(model.index(0, RunbookStepModel::DetailColumn).data().toString(), QStringLiteral("13 checks passed"));
    QCOMPARE(model.index(0, 0).data(RunbookStepModel::PercentRole).toInt(), 100);
    model.applyStep(3, StepState::InProgress, {});

    OperationProgress p;
    p.operationId = m_id;
    p.ordinal = 3;
    p.done = 250;
    p.total = 1000;
    p.unit = QStringLiteral("pages");
    p.bytes = 1024000;
    p.bytesPerSecond = 2e6;
    p.secondsRemaining = 3;
    const int before = changed.count();
    model.applyProgress(p);
    QCOMPARE(changed.count(), before + 1);
    // Only the live columns of that row.
    QCOMPARE(changed.last().at(0).toModelIndex(), model.index(2, RunbookStepModel::DurationColumn));
    QCOMPARE(changed.last().at(1).toModelIndex(), model.index(2, RunbookStepModel::DetailColumn));
    QCOMPARE(model.index(2, RunbookStepModel::DetailColumn).data().toString(),
             QStringLiteral("%1 of %2 pages").arg(QLocale().toString(250), QLocale().toString(1000)));
    QCOMPARE(model.index(2, 0).data(RunbookStepModel::PercentRole).toInt(), 25);
    const RunbookStepModel::Step* copy = model.step(3);
    QVERIFY(copy);
    QCOMPARE(copy->bytesPerSecond, 2e6);
    QCOMPARE(copy->secondsRemaining, 3.0);
    QCOMPARE(copy->unit, QStringLiteral("pages"));
    // A progress report for a step that does not exist changes nothing.
    p.ordinal = 42;
    model.applyProgress(p);
    QCOMPARE(changed.count(), before + 1);

    // tick() announces only the running step's duration.
    model.tick();
    QCOMPARE(changed.last().at(0).toModelIndex(), model.index(2, RunbookStepModel::DurationColumn));
    QCOMPARE(changed.last().at(1).toModelIndex(), model.index(2, RunbookStepModel::DurationColumn));
}

void TestRunbookStepModel::snapshotsUpdateInPlaceAndKeepLiveProgress()
{
    RunbookStepModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSteps(steps());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // Nothing changed: nothing announced.
    model.setSteps(steps());
    QCOMPARE(changed.count(), 0);

    QVERIFY(m_store->setStep(m_id, 1, StepState::InProgress));
    QVERIFY(m_store->setStep(m_id, 1, StepState::Completed, QStringLiteral("ok")));
    QVERIFY(m_store->setStep(m_id, 2, StepState::InProgress));
    QVERIFY(m_store->setStepProgress(m_id, 2, 10, 100, 4096));
    model.setSteps(steps());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(model.index(0, RunbookStepModel::StateColumn).data().toString(), QStringLiteral("Completed"));
    QVERIFY(!model.index(0, RunbookStepModel::StartedColumn).data().toString().isEmpty());
    QCOMPARE(model.currentOrdinal(), 2);

    // The live report (60 of 100) is newer than the catalog's (10 of 100, stored every 500 ms).
    OperationProgress p;
    p.ordinal = 2;
    p.done = 60;
    p.total = 100;
    p.unit = QStringLiteral("pages");
    model.applyProgress(p);
    model.setSteps(steps());
    QCOMPARE(model.step(2)->record.done, qint64(60));
    // A newer catalog figure wins.
    QVERIFY(m_store->setStepProgress(m_id, 2, 90, 100, 8192));
    model.setSteps(steps());
    QCOMPARE(model.step(2)->record.done, qint64(90));
    QCOMPARE(model.step(2)->record.bytes, qint64(8192));
}

void TestRunbookStepModel::overallProgress()
{
    RunbookStepModel model;
    model.setSteps(steps());
    for (int ordinal = 1; ordinal <= 4; ++ordinal) {
        model.applyStep(ordinal, StepState::InProgress, {});
        model.applyStep(ordinal, ordinal == 4 ? StepState::Skipped : StepState::Completed, {});
    }
    QCOMPARE(model.finishedCount(), 4);
    QCOMPARE(model.overallPercent(), 40);
    model.applyStep(5, StepState::InProgress, {});
    OperationProgress p;
    p.ordinal = 5;
    p.done = 5;
    p.total = 10;
    model.applyProgress(p);
    QCOMPARE(model.overallPercent(), 45);
    QCOMPARE(model.latestOrdinal(), 5);
    model.applyStep(5, StepState::Failed, QStringLiteral("disk full"));
    QCOMPARE(model.currentOrdinal(), 0);
    QCOMPARE(model.latestOrdinal(), 5);
    QCOMPARE(model.index(4, RunbookStepModel::DetailColumn).data().toString(), QStringLiteral("disk full"));
    QVERIFY(model.index(4, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("disk full")));

    // Weighted by each step's share of the time: the refresh's copy (step 3) is most of it.
    RunbookStepModel weighted;
    weighted.setSteps(steps());
    const OperationKind* refresh = BuiltInOperationKinds::registry().find(QStringLiteral("refresh"));
    QVERIFY(refresh && refresh->stepWeights);
    const QList<double> w = refresh->stepWeights(int(steps().size()));
    QCOMPARE(w.size(), steps().size());
    weighted.setWeights(w);
    for (int ordinal = 1; ordinal <= 2; ++ordinal)
        weighted.applyStep(ordinal, StepState::Completed, {});
    weighted.applyStep(3, StepState::InProgress, {});
    p.ordinal = 3;
    p.done = 9;
    p.total = 10; // the copy 90% done
    weighted.applyProgress(p);
    double total = 0;
    for (double x : w)
        total += x;
    QCOMPARE(weighted.overallPercent(), int(100.0 * (w.at(0) + w.at(1) + 0.9 * w.at(2)) / total));
    QVERIFY2(weighted.overallPercent() > 50, qPrintable(QString::number(weighted.overallPercent())));
    // Durations to the tenth of a second under a minute.
    QCOMPARE(RunbookStepModel::stepDuration(1800), QLocale().toString(1.8, 'f', 1) + QStringLiteral(" s"));
    QCOMPARE(RunbookStepModel::stepDuration(65000), QStringLiteral("1 min 05 s"));
}

void TestRunbookStepModel::otherStepsResetTheModel()
{
    RunbookStepModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSteps(steps());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setSteps(steps().mid(0, 3));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    model.setSteps({});
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.overallPercent(), 0);
}

void TestRunbookStepModel::texts()
{
    QSet<QString> titles;
    for (StepState state : {StepState::NotStarted, StepState::InProgress, StepState::Completed, StepState::Failed,
                            StepState::Skipped, StepState::Cancelled})
        titles.insert(RunbookStepModel::stateTitle(state));
    QCOMPARE(titles.size(), 6);
    QCOMPARE(RunbookStepModel::unitsText(0, 0, QStringLiteral("rows")), QString());
    QCOMPARE(RunbookStepModel::unitsText(7, 0, QStringLiteral("rows")), QStringLiteral("7 rows"));
    QCOMPARE(RunbookStepModel::unitsText(2, 5, QStringLiteral("rules")), QStringLiteral("2 of 5 rules"));
    // An apply's copy counts bytes: written as sizes, like the refresh's figures.
    QCOMPARE(RunbookStepModel::unitsText(3 * 1024 * 1024, 12 * 1024 * 1024, QStringLiteral("bytes")),
             QStringLiteral("3.0 MB of 12.0 MB"));
}

QTEST_GUILESS_MAIN(TestRunbookStepModel)
#include "tst_runbookstepmodel.moc"
