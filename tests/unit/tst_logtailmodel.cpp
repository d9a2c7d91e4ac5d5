// LogTailModel: the log pane's model follows LogTail live, from any thread, through
// spdlog, and keeps at most its capacity of rows.
#include "LogTailModel.h"
#include "logging/LogTail.h"
#include "logging/Logging.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <spdlog/spdlog.h>

class TestLogTailModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void startsWithTheExistingTail();
    void followsNewLines();
    void linesFromAnotherThreadArriveQueued();
    void spdlogMessagesReachTheModel();
    void capacityDropsTheOldest();
};

void TestLogTailModel::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_logtailmodel"));
}

void TestLogTailModel::startsWithTheExistingTail()
{
    LogTail::instance()->append(QStringLiteral("info"), QStringLiteral("before the model"));
    LogTailModel model(nullptr, 500);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowCount() >= 1);
    const int last = model.rowCount() - 1;
    QCOMPARE(model.index(last, LogTailModel::MessageColumn).data().toString(), QStringLiteral("before the model"));
    QCOMPARE(model.index(last, LogTailModel::LevelColumn).data().toString(), QStringLiteral("info"));
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(LogTailModel::MessageColumn, Qt::Horizontal).toString(), QStringLiteral("Message"));
    // The line logged before the model was created is not announced again.
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QCoreApplication::processEvents();
    QCOMPARE(inserted.count(), 0);
}

void TestLogTailModel::followsNewLines()
{
    LogTailModel model(nullptr, 500);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const int before = model.rowCount();
    LogTail::instance()->append(QStringLiteral("warning"), QStringLiteral("first new line"));
    LogTail::instance()->append(QStringLiteral("info"), QStringLiteral("second new line"));
    QTRY_COMPARE(model.rowCount(), before + 2);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), before);
    QCOMPARE(model.index(before, LogTailModel::LevelColumn).data().toString(), QStringLiteral("warning"));
    QCOMPARE(model.index(before + 1, LogTailModel::MessageColumn).data().toString(), QStringLiteral("second new line"));
    const QString time = model.index(before, LogTailModel::TimeColumn).data().toString();
    QVERIFY2(QTime::fromString(time, QStringLiteral("HH:mm:ss.zzz")).isValid(), qPrintable(time));
}

void TestLogTailModel::linesFromAnotherThreadArriveQueued()
{
    LogTailModel model(nullptr, 500);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int before = model.rowCount();
    QThread* thread = QThread::create([] {
        for (int i = 0; i < 50; ++i)
            LogTail::instance()->append(QStringLiteral("info"), QStringLiteral("worker line %1").arg(i));
    });
    thread->start();
    QVERIFY(thread->wait(10000));
    delete thread;
    QTRY_COMPARE(model.rowCount(), before + 50);
    QCOMPARE(model.index(before + 49, LogTailModel::MessageColumn).data().toString(), QStringLiteral("worker line 49"));
}

void TestLogTailModel::spdlogMessagesReachTheModel()
{
    LogTailModel model(nullptr, 500);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    spdlog::info("connecting with password=hunter2 to the catalog");
    spdlog::debug("debug lines stay in the file");
    QTRY_VERIFY(model.rowCount() > 0 && model.index(model.rowCount() - 1, LogTailModel::MessageColumn)
                                            .data()
                                            .toString()
                                            .startsWith(QStringLiteral("connecting with")));
    const QString text = model.index(model.rowCount() - 1, LogTailModel::MessageColumn).data().toString();
    // Redacted before any sink sees it.
    QVERIFY2(!text.contains(QStringLiteral("hunter2")), qPrintable(text));
    QCoreApplication::processEvents();
    QVERIFY(!model.index(model.rowCount() - 1, LogTailModel::MessageColumn)
                 .data()
                 .toString()
                 .contains(QStringLiteral("debug lines")));
}

void TestLogTailModel::capacityDropsTheOldest()
{
    LogTailModel model(nullptr, 3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowCount() <= 3);
    for (int i = 0; i < 5; ++i)
        LogTail::instance()->append(QStringLiteral("info"), QStringLiteral("capped %1").arg(i));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QTRY_COMPARE(model.index(2, LogTailModel::MessageColumn).data().toString(), QStringLiteral("capped 4"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, LogTailModel::MessageColumn).data().toString(), QStringLiteral("capped 2"));
    QVERIFY(removed.count() >= 2);
}

QTEST_GUILESS_MAIN(TestLogTailModel)
#include "tst_logtailmodel.moc"
