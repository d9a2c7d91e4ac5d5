// DatabaseListModel: the Databases table of an environment over real catalog data;
// sizes from stat (file + -wal), never from opening a database.
#include "TestSupport.h"

#include "DatabaseListModel.h"
#include "catalog/Catalog.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestDatabaseListModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rolesEnginesLocations();
    void sizeIsFilePlusWal();
    void missingFileAndPostgresHaveNoSize();
    void growingFileIsDataChangedOnSizeOnly();
    void sameSnapshotSignalsNothing();
    void otherDatabasesReset();
    void formatSize();

private:
    Environment uat() const;
    std::unique_ptr<TemporaryCatalog> m_catalog;
};

void TestDatabaseListModel::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QString error;
    QVERIFY2((*m_catalog)->addProject({QStringLiteral("contoso"), QStringLiteral("contoso"), {}}, &error),
             qPrintable(error));
    Environment e = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"),
                                      EnvironmentType::Sandbox, m_catalog->folder());
    QVERIFY(QDir().mkpath(QFileInfo(e.databases.at(0).path).absolutePath()));
    for (const auto& db : e.databases) {
        QVERIFY2(execSqlite(db.path,
                            {QStringLiteral("CREATE TABLE t (x BLOB)"),
                             QStringLiteral("INSERT INTO t VALUES (zeroblob(100000))")},
                            &error),
                 qPrintable(error));
    }
    QVERIFY2((*m_catalog)->addEnvironment(e, &error), qPrintable(error));
}

void TestDatabaseListModel::cleanup()
{
    m_catalog.reset();
}

Environment TestDatabaseListModel::uat() const
{
    const auto e = (*m_catalog)->environment(QStringLiteral("contoso-uat"));
    return e.value_or(Environment{});
}

void TestDatabaseListModel::rolesEnginesLocations()
{
    DatabaseListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const Environment e = uat();
    QCOMPARE(e.databases.size(), 2);
    model.setDatabases(e.databases);

    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 4);
    QStringList headers;
    for (int c = 0; c < model.columnCount(); ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{QStringLiteral("Role"), QStringLiteral("Engine"), QStringLiteral("Location"),
                                   QStringLiteral("Size")}));
    QCOMPARE(model.index(0, DatabaseListModel::RoleColumn).data().toString(), QStringLiteral("Transactional"));
    QCOMPARE(model.index(1, DatabaseListModel::RoleColumn).data().toString(), QStringLiteral("Financial reporting"));
    QCOMPARE(model.index(1, 0).data(DatabaseListModel::RoleIdRole).toString(), DatabaseRef::FinancialReporting);
    QCOMPARE(model.index(0, DatabaseListModel::EngineColumn).data().toString(), QStringLiteral("SQLite"));
    QCOMPARE(model.index(0, DatabaseListModel::LocationColumn).data().toString(),
             e.database(DatabaseRef::Transactional)->path);
    QCOMPARE(model.index(0, DatabaseListModel::LocationColumn).data(Qt::ToolTipRole).toString(),
             e.database(DatabaseRef::Transactional)->path);
    QCOMPARE(model.databases().size(), 2);
}

void TestDatabaseListModel::sizeIsFilePlusWal()
{
    const Environment e = uat();
    const QString path = e.database(DatabaseRef::Transactional)->path;
    const qint64 fileBytes = QFileInfo(path).size();
    QVERIFY(fileBytes > 100000);
    // A write-ahead log beside it counts too (its content does not matter to a stat).
    QFile wal(path + QStringLiteral("-wal"));
    QVERIFY(wal.open(QIODevice::WriteOnly));
    QCOMPARE(wal.write(QByteArray(32768, 'w')), qint64(32768));
    wal.close();

    DatabaseListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabases(e.databases);
    QCOMPARE(model.index(0, 0).data(DatabaseListModel::SizeBytesRole).toLongLong(), fileBytes + 32768);
    QCOMPARE(model.index(0, DatabaseListModel::SizeColumn).data().toString(),
             DatabaseListModel::formatSize(fileBytes + 32768));
    QCOMPARE(model.index(1, 0).data(DatabaseListModel::SizeBytesRole).toLongLong(),
             QFileInfo(e.database(DatabaseRef::FinancialReporting)->path).size());
    QCOMPARE(model.index(0, DatabaseListModel::SizeColumn).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
}

void TestDatabaseListModel::missingFileAndPostgresHaveNoSize()
{
    Environment e = uat();
    QVERIFY(QFile::remove(e.databases[1].path));
    DatabaseRef pg;
    pg.role = DatabaseRef::FinancialReporting;
    pg.driver = DatabaseRef::Postgres;
    pg.host = QStringLiteral("127.0.0.1");
    pg.port = 5433;
    pg.name = QStringLiteral("fr");
    pg.user = QStringLiteral("alm");

    DatabaseListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabases({e.databases.at(1), pg});
    QCOMPARE(model.index(0, 0).data(DatabaseListModel::SizeBytesRole).toLongLong(), qint64(-1));
    QCOMPARE(model.index(0, DatabaseListModel::SizeColumn).data().toString(), QStringLiteral("File missing"));
    QCOMPARE(model.index(1, 0).data(DatabaseListModel::SizeBytesRole).toLongLong(), qint64(-1));
    QCOMPARE(model.index(1, DatabaseListModel::SizeColumn).data().toString(), QStringLiteral("n/a"));
    QCOMPARE(model.index(1, DatabaseListModel::EngineColumn).data().toString(), QStringLiteral("PostgreSQL"));
    QCOMPARE(model.index(1, DatabaseListModel::LocationColumn).data().toString(),
             QStringLiteral("alm@127.0.0.1:5433/fr"));
}

void TestDatabaseListModel::growingFileIsDataChangedOnSizeOnly()
{
    const Environment e = uat();
    DatabaseListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabases(e.databases);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.refreshSizes();
    QCOMPARE(changed.count(), 0);

    QString error;
    const QString path = e.database(DatabaseRef::FinancialReporting)->path;
    QVERIFY2(execSqlite(path, {QStringLiteral("INSERT INTO t VALUES (zeroblob(200000))")}, &error), qPrintable(error));
    model.refreshSizes();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(1, DatabaseListModel::SizeColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(1, DatabaseListModel::SizeColumn));
    QCOMPARE(model.index(1, 0).data(DatabaseListModel::SizeBytesRole).toLongLong(), QFileInfo(path).size());

    // setDatabases() with the same databases also updates in place.
    QVERIFY2(execSqlite(path, {QStringLiteral("INSERT INTO t VALUES (zeroblob(200000))")}, &error), qPrintable(error));
    model.setDatabases(uat().databases);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(1, 0));
}

void TestDatabaseListModel::sameSnapshotSignalsNothing()
{
    DatabaseListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabases(uat().databases);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setDatabases(uat().databases);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 0);
}

void TestDatabaseListModel::otherDatabasesReset()
{
    DatabaseListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabases(uat().databases);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setDatabases({uat().databases.at(0)});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    model.setDatabases({});
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.rowCount(), 0);
}

void TestDatabaseListModel::formatSize()
{
    QCOMPARE(DatabaseListModel::formatSize(-1), QString());
    // The console's one unit (ByteSize): KB, MB, GB, as the runbook log and the CLI write them.
    QCOMPARE(DatabaseListModel::formatSize(512), QStringLiteral("512 bytes"));
    QCOMPARE(DatabaseListModel::formatSize(2 * 1024 * 1024 + 100 * 1024), QStringLiteral("2.1 MB"));
}

QTEST_GUILESS_MAIN(TestDatabaseListModel)
#include "tst_databaselistmodel.moc"
