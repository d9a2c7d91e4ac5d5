// PackageListModel: the asset library's packages over a real catalog (built-in
// packages imported through AssetLibrary), columns, applicability against the demo's
// environment versions, and resets only when the snapshot changes.
#include "TestSupport.h"

#include "PackageListModel.h"
#include "catalog/Catalog.h"
#include "package/AssetLibrary.h"
#include "package/SharedLibrary.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestPackageListModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void listsImportedPackages();
    void applicabilityFollowsTheTarget();
    void sameSnapshotSignalsNothing();
    void sharedPackagesAreBuiltIn();

private:
    std::unique_ptr<TemporaryCatalog> m_catalog;
    QList<PackageAsset> m_imported;
};

void TestPackageListModel::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QString error;
    QVERIFY2((*m_catalog)->addProject({QStringLiteral("contoso"), QStringLiteral("contoso"), {}}, &error),
             qPrintable(error));
    SharedLibrary shared(m_catalog->folder());
    const QList<PackageAsset> builtIn = shared.list(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(builtIn.size(), 3);
    AssetLibrary library(m_catalog->catalog());
    m_imported.clear();
    for (const PackageAsset& p : builtIn) {
        auto asset = library.importFile(QStringLiteral("contoso"), p.path, &error);
        QVERIFY2(asset, qPrintable(error));
    }
    m_imported = library.list(QStringLiteral("contoso"));
    QCOMPARE(m_imported.size(), 3);
}

void TestPackageListModel::cleanup()
{
    m_catalog.reset();
}

void TestPackageListModel::listsImportedPackages()
{
    PackageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPackages(m_imported);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(PackageListModel::ColumnCount));
    QCOMPARE(model.headerData(PackageListModel::ImportedColumn, Qt::Horizontal).toString(), QStringLiteral("Imported"));
    const int row = model.rowOf(m_imported.at(0).sha256);
    QCOMPARE(row, 0);
    const PackageAsset* p = model.packageAt(row);
    QVERIFY(p);
    QCOMPARE(model.index(row, PackageListModel::NameColumn).data().toString(), p->name);
    QCOMPARE(model.index(row, PackageListModel::VersionColumn).data().toString(), p->version);
    QCOMPARE(model.index(row, PackageListModel::TypeColumn).data().toString(), PackageManifest::typeTitle(p->type));
    QVERIFY(!model.index(row, PackageListModel::SizeColumn).data().toString().isEmpty());
    const QString imported = model.index(row, PackageListModel::ImportedColumn).data().toString();
    QVERIFY2(imported.endsWith(QStringLiteral(" by ") + p->importedBy), qPrintable(imported));
    QVERIFY(!p->importedBy.isEmpty());
    QCOMPARE(model.index(row, PackageListModel::NameColumn).data(PackageListModel::Sha256Role).toString(), p->sha256);
    // Without a target, everything is applicable.
    for (int r = 0; r < model.rowCount(); ++r)
        QVERIFY(model.index(r, 0).data(PackageListModel::ApplicableRole).toBool());
    QVERIFY(!model.packageAt(3));
    QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
}

void TestPackageListModel::applicabilityFollowsTheTarget()
{
    PackageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPackages(m_imported);
    auto rowNamed = [&](const QString& name) {
        for (int r = 0; r < model.rowCount(); ++r) {
            if (model.packageAt(r)->name == name)
                return r;
        }
        return -1;
    };
    const int update = rowNamed(QStringLiteral("Application update"));
    const int tool = rowNamed(SharedLibrary::ReprovisioningTool);
    QVERIFY(update >= 0 && tool >= 0);

    // contoso-uat of the demo: 10.0.40, platform 64, Commerce.
    Environment uat = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    uat.versions.application = QStringLiteral("10.0.40");
    uat.versions.platform = 64;
    uat.versions.commerce = QStringLiteral("9.50");
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setTarget(uat);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(reset.size(), 0);
    QVERIFY(model.index(update, 0).data(PackageListModel::ApplicableRole).toBool());
    QVERIFY(model.index(tool, 0).data(PackageListModel::ApplicableRole).toBool());
    QCOMPARE(model.index(update, PackageListModel::PrerequisitesColumn).data().toString(),
             QStringLiteral("Met by contoso-uat"));

    // contoso-uat2: 10.0.39, platform 63: the update needs 10.0.40 and 64.
    Environment old = uat;
    old.id = QStringLiteral("contoso-uat2");
    old.versions.application = QStringLiteral("10.0.39");
    old.versions.platform = 63;
    old.versions.commerce.clear();
    model.setTarget(old);
    QVERIFY(!model.index(update, 0).data(PackageListModel::ApplicableRole).toBool());
    const QString why = model.index(update, 0).data(PackageListModel::ReasonRole).toString();
    QVERIFY2(why.contains(QStringLiteral("requires application release 10.0.40")), qPrintable(why));
    QVERIFY2(why.contains(QStringLiteral("platform update 64")), qPrintable(why));
    QCOMPARE(model.index(update, PackageListModel::VersionColumn).data(Qt::ToolTipRole).toString(), why);
    const QString toolWhy = model.index(tool, 0).data(PackageListModel::ReasonRole).toString();
    QVERIFY2(toolWhy.contains(QStringLiteral("requires Commerce")), qPrintable(toolWhy));

    // Already at 10.0.41: the update would not move it forward.
    Environment updated = uat;
    updated.versions.application = QStringLiteral("10.0.41");
    QVERIFY(!PackageListModel::unmetRequirements(*model.packageAt(update), updated).isEmpty());
    model.setTarget(std::nullopt);
    QVERIFY(model.index(update, 0).data(PackageListModel::ApplicableRole).toBool());
    QCOMPARE(model.index(update, PackageListModel::PrerequisitesColumn).data().toString(),
             QStringLiteral("Application 10.0.40 or later, platform update 64 or later"));
    QCOMPARE(model.index(tool, PackageListModel::PrerequisitesColumn).data().toString(), QStringLiteral("Commerce"));
}

void TestPackageListModel::sameSnapshotSignalsNothing()
{
    PackageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPackages(m_imported);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setPackages(m_imported);
    QCOMPARE(reset.size(), 0);
    QList<PackageAsset> fewer = m_imported;
    fewer.removeLast();
    model.setPackages(fewer);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    model.setPackages({});
    QCOMPARE(reset.size(), 2);
    QCOMPARE(model.rowCount(), 0);
}

void TestPackageListModel::sharedPackagesAreBuiltIn()
{
    PackageListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString error;
    model.setPackages(SharedLibrary(m_catalog->folder()).list(&error));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, PackageListModel::ImportedColumn).data().toString(), QStringLiteral("Built in"));
}

QTEST_GUILESS_MAIN(TestPackageListModel)
#include "tst_packagelistmodel.moc"
