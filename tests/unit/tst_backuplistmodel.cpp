// BackupListModel: the Import page's list of the asset library's database backups, over
// rows of a real catalog (BackupStore): columns, titles, what a row names, a reset on a
// new snapshot.
#include "TestSupport.h"

#include "BackupListModel.h"
#include "catalog/BackupStore.h"
#include "catalog/Catalog.h"
#include "core/ByteSize.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestBackupListModel : public QObject
{
    Q_OBJECT

private slots:
    void columnsOfRecordedBackups();
};

void TestBackupListModel::columnsOfRecordedBackups()
{
    TemporaryCatalog catalog;
    QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
    QString error;
    QVERIFY2(catalog->addProject({QStringLiteral("contoso"), QStringLiteral("contoso"), {}}, &error), qPrintable(error));
    BackupStore store(catalog.catalog());
    for (const char* name : {"contoso-uat-20261201-080000", "contoso-uat-20261202-080000"}) {
        BackupStore::Backup b;
        b.projectId = QStringLiteral("contoso");
        b.name = QLatin1String(name);
        b.file = store.folderFor(b.projectId) + QLatin1Char('/') + b.name + QStringLiteral(".zip");
        b.sha256 = QString(64, QLatin1Char('a'));
        b.bytes = 3 * 1024 * 1024;
        b.sourceEnvironment = QStringLiteral("contoso-uat");
        b.engine = QStringLiteral("postgres");
        b.application = QStringLiteral("10.0.40");
        b.created = QDateTime::fromString(b.name.mid(12, 8) + QStringLiteral("T08:00:00Z"), QStringLiteral("yyyyMMddTHH:mm:ssZ"));
        QVERIFY2(store.add(b, &error), qPrintable(error));
    }
    // A second backup of the same name is refused with words.
    BackupStore::Backup again = store.list().first();
    QVERIFY(!store.add(again, &error));
    QVERIFY2(error.contains(QStringLiteral("already holds a backup named")), qPrintable(error));

    BackupListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setBackups(store.list(QStringLiteral("contoso")));
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(BackupListModel::ColumnCount));
    // Newest first.
    QCOMPARE(model.index(0, BackupListModel::NameColumn).data().toString(), QStringLiteral("contoso-uat-20261202-080000"));
    QCOMPARE(model.index(0, 0).data(BackupListModel::NameRole).toString(), QStringLiteral("contoso-uat-20261202-080000"));
    QCOMPARE(model.index(0, BackupListModel::EngineColumn).data().toString(), QStringLiteral("PostgreSQL"));
    QCOMPARE(model.index(0, BackupListModel::SizeColumn).data().toString(), ByteSize::text(3 * 1024 * 1024));
    QCOMPARE(model.headerData(BackupListModel::ReleaseColumn, Qt::Horizontal).toString(), QStringLiteral("Release"));
    QVERIFY(!model.backupAt(2));
    model.setBackups({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestBackupListModel)
#include "tst_backuplistmodel.moc"
