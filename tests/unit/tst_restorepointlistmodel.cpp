// RestorePointListModel: the Restore points panel and the Point-in-time restore page,
// over restore points of a real catalog (RestorePointService copies real SQLite files):
// columns, expiry measured against the given time, the state said in Kind, and a
// snapshot of the same restore points changing only what changed.
#include "TestSupport.h"

#include "RestorePointListModel.h"
#include "catalog/Catalog.h"
#include "catalog/RestorePointStore.h"
#include "restorepoint/RestorePointService.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestRestorePointListModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void columnsOfRealRestorePoints();
    void expiryAndStateAreSaid();
    void sameRestorePointsChangeRowsOnly();

private:
    std::unique_ptr<TemporaryCatalog> m_catalog;
    QList<RestorePoint> m_points;
};

void TestRestorePointListModel::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QString error;
    QVERIFY2((*m_catalog)->addProject({QStringLiteral("contoso"), QStringLiteral("contoso"), {}}, &error),
             qPrintable(error));
    Environment e = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"),
                                      EnvironmentType::Sandbox, m_catalog->folder());
    QVERIFY(QDir().mkpath(QFileInfo(e.databases.at(0).path).absolutePath()));
    for (const auto& db : e.databases)
        QVERIFY2(execSqlite(db.path, {QStringLiteral("CREATE TABLE t (x BLOB)"),
                                      QStringLiteral("INSERT INTO t VALUES (zeroblob(100000))")},
                            &error),
                 qPrintable(error));
    QVERIFY2((*m_catalog)->addEnvironment(e, &error), qPrintable(error));
    RestorePointService service(m_catalog->catalog());
    for (int i = 0; i < 2; ++i)
        QVERIFY2(service.create(e, RestorePoint::Manual, {}, {}, &error), qPrintable(error));
    m_points = RestorePointStore(m_catalog->catalog()).list(e.id);
    QCOMPARE(m_points.size(), 2);
}

void TestRestorePointListModel::cleanup()
{
    m_catalog.reset();
}

void TestRestorePointListModel::columnsOfRealRestorePoints()
{
    RestorePointListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    model.setPoints(m_points, now);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(RestorePointListModel::ColumnCount));
    QCOMPARE(model.headerData(RestorePointListModel::TakenColumn, Qt::Horizontal).toString(), QStringLiteral("Taken"));
    // Newest first, as the store lists them.
    QCOMPARE(model.index(0, 0).data(RestorePointListModel::IdRole).toLongLong(), m_points.first().id);
    QCOMPARE(model.index(0, RestorePointListModel::EnvironmentColumn).data().toString(), QStringLiteral("contoso-uat"));
    QCOMPARE(model.index(0, RestorePointListModel::KindColumn).data().toString(), QStringLiteral("Manual"));
    QCOMPARE(model.index(0, RestorePointListModel::StateColumn).data().toString(), QStringLiteral("Available"));
    QVERIFY(model.index(0, RestorePointListModel::SizeColumn).data().toString().endsWith(QStringLiteral("kB")));
    // This year's dates without the year.
    const QString taken = model.index(0, RestorePointListModel::TakenColumn).data().toString();
    QVERIFY2(!taken.contains(QString::number(now.date().year())), qPrintable(taken));
    QVERIFY(model.index(0, 0).data(RestorePointListModel::AvailableRole).toBool());
}

void TestRestorePointListModel::expiryAndStateAreSaid()
{
    RestorePointListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<RestorePoint> points = m_points;
    points[1].state = RestorePoint::Creating;
    // Eight days on, a sandbox's restore point (7 days) has expired.
    model.setPoints(points, QDateTime::currentDateTimeUtc().addDays(8));
    QCOMPARE(model.index(0, RestorePointListModel::StateColumn).data().toString(), QStringLiteral("Expired"));
    QCOMPARE(model.index(0, RestorePointListModel::KindColumn).data().toString(), QStringLiteral("Manual (expired)"));
    QVERIFY(!model.index(0, 0).data(RestorePointListModel::AvailableRole).toBool());
    QCOMPARE(model.index(1, RestorePointListModel::KindColumn).data().toString(),
             QStringLiteral("Manual (being created)"));
    QVERIFY(!model.index(1, 0).data(RestorePointListModel::AvailableRole).toBool());
}

void TestRestorePointListModel::sameRestorePointsChangeRowsOnly()
{
    RestorePointListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    model.setPoints(m_points, now);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setPoints(m_points, now);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(changes.size(), 0);
    QList<RestorePoint> deleting = m_points;
    deleting[0].state = RestorePoint::Deleting;
    model.setPoints(deleting, now);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes.first().at(0).toModelIndex().row(), 0);
    model.setPoints(m_points.mid(1), now);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.rowCount(), 1);
}

QTEST_GUILESS_MAIN(TestRestorePointListModel)
#include "tst_restorepointlistmodel.moc"
