// RunbookLogModel: the tail of a runbook log written by the real RunbookLog, then
// live lines; a capacity; a reload only when the file changed.
#include "RunbookLogModel.h"
#include "catalog/RunbookLog.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

class TestRunbookLogModel : public QObject
{
    Q_OBJECT

private slots:
    void readsWhatRunbookLogWrites();
    void missingFileIsEmpty();
    void liveLinesAndCapacity();
    void reloadOnlyWhenTheFileChanged();
    void readsOnlyTheEndOfALargeFile();
};

void TestRunbookLogModel::readsWhatRunbookLogWrites()
{
    QTemporaryDir dir;
    {
        RunbookLog log(dir.path(), 7);
        log.info(QStringLiteral("Starting Refresh database #7"));
        log.warn(QStringLiteral("check dmf-recurring-jobs: warn: 3 messages"));
        log.error(QStringLiteral("Copy transactional database: disk full"));
    }
    RunbookLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.loadFile(RunbookLog::pathFor(dir.path(), 7));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.index(0, RunbookLogModel::MessageColumn).data().toString(),
             QStringLiteral("Starting Refresh database #7"));
    QCOMPARE(model.index(0, RunbookLogModel::LevelColumn).data().toString(), QStringLiteral("info"));
    QCOMPARE(model.index(1, RunbookLogModel::LevelColumn).data().toString(), QStringLiteral("warning"));
    QCOMPARE(model.index(2, RunbookLogModel::LevelColumn).data().toString(), QStringLiteral("error"));
    QCOMPARE(model.index(2, RunbookLogModel::MessageColumn).data().toString(),
             QStringLiteral("Copy transactional database: disk full"));
    QCOMPARE(model.index(0, RunbookLogModel::TimeColumn).data().toString().size(), 12); // HH:mm:ss.zzz
    QCOMPARE(model.lastMessage(), QStringLiteral("Copy transactional database: disk full"));
    QCOMPARE(model.headerData(RunbookLogModel::MessageColumn, Qt::Horizontal).toString(), QStringLiteral("Message"));
}

void TestRunbookLogModel::missingFileIsEmpty()
{
    QTemporaryDir dir;
    RunbookLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(QStringLiteral("info"), QStringLiteral("old line"));
    model.loadFile(dir.filePath(QStringLiteral("logs/operation-1.log")));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.lastMessage(), QString());
}

void TestRunbookLogModel::liveLinesAndCapacity()
{
    RunbookLogModel model(nullptr, 3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i = 1; i <= 5; ++i)
        model.append(QStringLiteral("info"), QStringLiteral("line %1").arg(i));
    QCOMPARE(inserted.count(), 5);
    QCOMPARE(removed.count(), 2);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, RunbookLogModel::MessageColumn).data().toString(), QStringLiteral("line 3"));
    QCOMPARE(model.lastMessage(), QStringLiteral("line 5"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestRunbookLogModel::reloadOnlyWhenTheFileChanged()
{
    QTemporaryDir dir;
    const QString path = RunbookLog::pathFor(dir.path(), 1);
    {
        RunbookLog log(dir.path(), 1);
        log.info(QStringLiteral("first"));
    }
    RunbookLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.reloadIfChanged(path));
    QVERIFY(!model.reloadIfChanged(path));
    QCOMPARE(model.rowCount(), 1);
    {
        RunbookLog log(dir.path(), 1); // a resume appends to the same log
        log.info(QStringLiteral("second"));
    }
    QVERIFY(model.reloadIfChanged(path));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.lastMessage(), QStringLiteral("second"));
}

void TestRunbookLogModel::readsOnlyTheEndOfALargeFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.log"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray line = "2024-05-01 12:00:00.123 info  " + QByteArray(200, 'x') + '\n';
    for (int i = 0; i < 5000; ++i) // about 1.1 MB
        f.write(line);
    f.write("2024-05-01 12:00:01.000 info  the last line\n");
    f.close();
    RunbookLogModel model(nullptr, 100000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.loadFile(path);
    QVERIFY2(model.rowCount() < 2000, qPrintable(QString::number(model.rowCount())));
    QCOMPARE(model.lastMessage(), QStringLiteral("the last line"));
    // The first row is a whole line, not the cut end of one.
    QCOMPARE(model.index(0, RunbookLogModel::LevelColumn).data().toString(), QStringLiteral("info"));
    QCOMPARE(model.index(0, RunbookLogModel::MessageColumn).data().toString(),
             QString(QLatin1String(QByteArray(200, 'x'))));
}

QTEST_GUILESS_MAIN(TestRunbookLogModel)
#include "tst_runbooklogmodel.moc"
