// PreflightCheckModel: the wizard's live checklist. Every check is listed before the
// first verdict, the running one is marked, verdicts update rows in place.
#include "PreflightCheckModel.h"
#include "preflight/Preflight.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

class TestPreflightCheckModel : public QObject
{
    Q_OBJECT

private slots:
    void everyCheckWaitsBeforeTheFirstVerdict();
    void verdictsUpdateInPlace();
    void unknownCheckIsAppended();
    void finishMarksTheRestNotRun();
    void resetStartsAgain();
    void everyCheckHasATitle();

private:
    static QString status(const PreflightCheckModel& model, int row)
    {
        return model.index(row, 0).data(PreflightCheckModel::StatusRole).toString();
    }
};

void TestPreflightCheckModel::everyCheckWaitsBeforeTheFirstVerdict()
{
    PreflightCheckModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QStringList ids = Preflight::checkIds();
    QCOMPARE(model.rowCount(), int(ids.size()));
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Check"));
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Result"));
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.index(row, 0).data(PreflightCheckModel::IdRole).toString(), ids.at(row));
    QCOMPARE(status(model, 0), QStringLiteral("running"));
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("Checking…"));
    QCOMPARE(status(model, 1), QStringLiteral("pending"));
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("Waiting…"));
    QVERIFY(!model.isFinished());
}

void TestPreflightCheckModel::verdictsUpdateInPlace()
{
    PreflightCheckModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QStringList ids = Preflight::checkIds();
    model.addResult({ids.at(0), CheckResult::Pass, QStringLiteral("contoso-uat is refreshed from contoso-prod.")});
    model.addResult({ids.at(1), CheckResult::Fail, QStringLiteral("Choose a sandbox as the target.")});
    model.addResult({ids.at(2), CheckResult::Warn, QStringLiteral("Read this first.")});
    QCOMPARE(reset.count(), 0);
    QVERIFY(changed.count() >= 3);
    QCOMPARE(model.rowCount(), int(ids.size()));
    QCOMPARE(status(model, 0), QStringLiteral("pass"));
    QCOMPARE(status(model, 1), QStringLiteral("fail"));
    QCOMPARE(status(model, 2), QStringLiteral("warn"));
    QCOMPARE(status(model, 3), QStringLiteral("running"));
    QCOMPARE(status(model, 4), QStringLiteral("pending"));
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("Choose a sandbox as the target."));
    QVERIFY(model.index(1, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("blocked")));
    QCOMPARE(model.count(CheckResult::Fail), 1);
    QCOMPARE(model.count(CheckResult::Warn), 1);
    QCOMPARE(model.count(CheckResult::Pass), 1);
    const QList<CheckResult> failures = model.results(CheckResult::Fail);
    QCOMPARE(failures.size(), 1);
    QCOMPARE(failures.first().id, ids.at(1));
    QCOMPARE(failures.first().message, QStringLiteral("Choose a sandbox as the target."));
}

void TestPreflightCheckModel::unknownCheckIsAppended()
{
    PreflightCheckModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const int before = model.rowCount();
    model.addResult({QStringLiteral("a-future-check"), CheckResult::Pass, QStringLiteral("fine")});
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), before + 1);
    QCOMPARE(model.index(before, 0).data().toString(), QStringLiteral("a-future-check")); // its id as the title
    QCOMPARE(status(model, before), QStringLiteral("pass"));
}

void TestPreflightCheckModel::finishMarksTheRestNotRun()
{
    PreflightCheckModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addResult({Preflight::checkIds().at(0), CheckResult::Pass, QStringLiteral("ok")});
    model.finish();
    QVERIFY(model.isFinished());
    QCOMPARE(status(model, 0), QStringLiteral("pass"));
    for (int row = 1; row < model.rowCount(); ++row) {
        QCOMPARE(status(model, row), QStringLiteral("skipped"));
        QCOMPARE(model.index(row, 1).data().toString(), QStringLiteral("Not run."));
    }
}

void TestPreflightCheckModel::resetStartsAgain()
{
    PreflightCheckModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addResult({Preflight::checkIds().at(0), CheckResult::Fail, QStringLiteral("no")});
    model.finish();
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.reset();
    QCOMPARE(reset.count(), 1);
    QVERIFY(!model.isFinished());
    QCOMPARE(model.count(CheckResult::Fail), 0);
    QCOMPARE(status(model, 0), QStringLiteral("running"));
}

void TestPreflightCheckModel::everyCheckHasATitle()
{
    for (const QString& id : Preflight::checkIds()) {
        const QString title = PreflightCheckModel::checkTitle(id);
        QVERIFY2(title != id && !title.isEmpty(), qPrintable(id));
        QVERIFY2(title.at(0).isUpper(), qPrintable(title));
    }
}

QTEST_GUILESS_MAIN(TestPreflightCheckModel)
#include "tst_preflightcheckmodel.moc"
