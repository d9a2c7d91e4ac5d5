// The asset libraries: a project's (AssetLibrary: <catalog>/assets/<project>/<sha256>.zip
// and the catalog's assets table) and the shared one of built-in packages
// (SharedLibrary, zips built at run time from resources/packages).
#include "TestSupport.h"
#include "ZipFixture.h"

#include "catalog/Catalog.h"
#include "package/AssetLibrary.h"
#include "package/PackageArchive.h"
#include "package/PackageBuilder.h"
#include "package/SharedLibrary.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>

using namespace TestSupport;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

QByteArray samplePackage(const QString& version, const QString& description = QStringLiteral("A package."))
{
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("version"), version);
    m.insert(QStringLiteral("description"), description);
    QString error;
    const auto bytes = PackageBuilder::build(m, ZipFixture::sampleFiles(), &error);
    if (!bytes)
        qFatal("%s", qPrintable(error));
    return *bytes;
}

} // namespace

class TestPackageLibrary : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void importStoresTheValidatedBytes();
    void duplicateNameAndVersionIsRefused();
    void unknownProjectIsRefused();
    void findByNameVersionOrDigest();
    void removeDeletesRowAndFile();
    void sharedLibraryBuildsTheBuiltInPackages();
    void sharedLibraryIsDeterministicAndRepairsItself();
    void builtInPackagesMatchTheDesign();

private:
    TemporaryCatalog* m_catalog = nullptr;
    QTemporaryDir* m_files = nullptr;
};

void TestPackageLibrary::init()
{
    m_catalog = new TemporaryCatalog;
    m_files = new QTemporaryDir;
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QString error;
    QVERIFY2(m_catalog->catalog().addProject({QStringLiteral("contoso"), QStringLiteral("Contoso"), {}}, &error),
             qPrintable(error));
}

void TestPackageLibrary::cleanup()
{
    delete m_files;
    delete m_catalog;
}

void TestPackageLibrary::importStoresTheValidatedBytes()
{
    const QByteArray zip = samplePackage(QStringLiteral("1.0.0"));
    const QString path = writeFile(*m_files, QStringLiteral("sample.zip"), zip);
    AssetLibrary library(m_catalog->catalog());
    QString error;
    const auto asset = library.importFile(QStringLiteral("contoso"), path, &error);
    QVERIFY2(asset, qPrintable(error));
    QCOMPARE(asset->name, QStringLiteral("Sample package"));
    QCOMPARE(asset->version, QStringLiteral("1.0.0"));
    QCOMPARE(asset->size, zip.size());
    QCOMPARE(asset->sha256.toLatin1(), fileSha256(path));
    QCOMPARE(asset->importedBy, Catalog::currentUser());
    const QString stored =
        QDir(m_catalog->folder()).filePath(QStringLiteral("assets/contoso/") + asset->sha256 + QStringLiteral(".zip"));
    QCOMPARE(asset->path, stored);
    QCOMPARE(fileSha256(stored), fileSha256(path));
    // Exactly one file in the asset folder: no temporary file left beside it.
    QCOMPARE(QDir(QFileInfo(stored).absolutePath()).entryList(QDir::Files | QDir::Hidden),
             QStringList{asset->sha256 + QStringLiteral(".zip")});

    const auto listed = library.list(QStringLiteral("contoso"));
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().sha256, asset->sha256);
    QCOMPARE(listed.first().description, QStringLiteral("A package."));
    QCOMPARE(listed.first().path, stored);
    const QJsonObject json = listed.first().toJson();
    QCOMPARE(sortedKeys(json),
             (QStringList{QStringLiteral("description"), QStringLiteral("importedAt"), QStringLiteral("importedBy"),
                          QStringLiteral("name"), QStringLiteral("project"), QStringLiteral("requires"),
                          QStringLiteral("sets"), QStringLiteral("sha256"), QStringLiteral("size"),
                          QStringLiteral("type"), QStringLiteral("version")}));
    QCOMPARE(m_catalog->catalog().auditTrail(1).first().action, QStringLiteral("package.import"));
}

void TestPackageLibrary::duplicateNameAndVersionIsRefused()
{
    AssetLibrary library(m_catalog->catalog());
    QString error;
    QVERIFY2(library.importFile(QStringLiteral("contoso"),
                                writeFile(*m_files, QStringLiteral("a.zip"), samplePackage(QStringLiteral("1.0.0"))),
                                &error),
             qPrintable(error));
    const auto before = folderSnapshot(QDir(m_catalog->folder()).filePath(QStringLiteral("assets")));
    // Same name and version, other bytes: still the same package as far as anyone can tell.
    const QString other = writeFile(*m_files, QStringLiteral("b.zip"),
                                    samplePackage(QStringLiteral("1.0.0"), QStringLiteral("Rebuilt.")));
    AssetLibrary::Refusal refusal = AssetLibrary::Refusal::None;
    QVERIFY(!library.importFile(QStringLiteral("contoso"), other, &error, &refusal));
    QCOMPARE(int(refusal), int(AssetLibrary::Refusal::Duplicate));
    QVERIFY2(error.contains(QStringLiteral("already holds Sample package 1.0.0")), qPrintable(error));
    // A sentence: capital letter, a date a person reads (no raw ISO timestamp), a full stop.
    QVERIFY2(error.startsWith(QStringLiteral("The asset library")) && error.contains(QStringLiteral(" on ")) &&
                 !error.contains(QRegularExpression(QStringLiteral("\\d{4}-\\d{2}-\\d{2}T"))) && error.endsWith(QLatin1Char('.')),
             qPrintable(error));
    QCOMPARE(folderSnapshot(QDir(m_catalog->folder()).filePath(QStringLiteral("assets"))), before);
    QCOMPARE(library.list().size(), 1);
    // Another version is another package.
    QVERIFY2(library.importFile(QStringLiteral("contoso"),
                                writeFile(*m_files, QStringLiteral("c.zip"), samplePackage(QStringLiteral("1.1.0"))),
                                &error),
             qPrintable(error));
    QCOMPARE(library.list().size(), 2);
}

void TestPackageLibrary::unknownProjectIsRefused()
{
    AssetLibrary library(m_catalog->catalog());
    QString error;
    AssetLibrary::Refusal refusal = AssetLibrary::Refusal::None;
    QVERIFY(!library.importFile(QStringLiteral("nowhere"),
                                writeFile(*m_files, QStringLiteral("a.zip"), samplePackage(QStringLiteral("1.0.0"))),
                                &error, &refusal));
    QCOMPARE(int(refusal), int(AssetLibrary::Refusal::UnknownProject));
    QVERIFY(!QFileInfo::exists(QDir(m_catalog->folder()).filePath(QStringLiteral("assets"))));
}

void TestPackageLibrary::findByNameVersionOrDigest()
{
    AssetLibrary library(m_catalog->catalog());
    QString error;
    QStringList digests;
    for (const QString& v : {QStringLiteral("1.2.0"), QStringLiteral("1.10.0"), QStringLiteral("1.9.1")}) {
        const auto a = library.importFile(QStringLiteral("contoso"),
                                          writeFile(*m_files, v + QStringLiteral(".zip"), samplePackage(v)), &error);
        QVERIFY2(a, qPrintable(error));
        digests << a->sha256;
    }
    auto found = library.find(QStringLiteral("contoso"), QStringLiteral("sample PACKAGE"), &error);
    QVERIFY2(found, qPrintable(error));
    QCOMPARE(found->version, QStringLiteral("1.10.0")); // the latest, compared as numbers
    found = library.find(QStringLiteral("contoso"), QStringLiteral("Sample package@1.2.0"), &error);
    QVERIFY2(found, qPrintable(error));
    QCOMPARE(found->version, QStringLiteral("1.2.0"));
    found = library.find(QStringLiteral("contoso"), digests.at(2).left(10), &error);
    QVERIFY2(found, qPrintable(error));
    QCOMPARE(found->version, QStringLiteral("1.9.1"));
    QVERIFY(!library.find(QStringLiteral("contoso"), QStringLiteral("Other package"), &error));
    QVERIFY2(error.contains(QStringLiteral("holds no package 'Other package'")), qPrintable(error));
}

void TestPackageLibrary::removeDeletesRowAndFile()
{
    AssetLibrary library(m_catalog->catalog());
    QString error;
    const auto a = library.importFile(
        QStringLiteral("contoso"), writeFile(*m_files, QStringLiteral("a.zip"), samplePackage(QStringLiteral("1.0.0"))),
        &error);
    QVERIFY2(a, qPrintable(error));
    QVERIFY2(library.remove(QStringLiteral("contoso"), a->sha256, &error), qPrintable(error));
    QVERIFY(!QFileInfo::exists(a->path));
    QVERIFY(library.list().isEmpty());
    AssetLibrary::Refusal refusal = AssetLibrary::Refusal::None;
    QVERIFY(!library.remove(QStringLiteral("contoso"), a->sha256, &error, &refusal));
    QCOMPARE(int(refusal), int(AssetLibrary::Refusal::NotFound));
}

void TestPackageLibrary::sharedLibraryBuildsTheBuiltInPackages()
{
    SharedLibrary shared(m_catalog->folder());
    QString error;
    const auto all = shared.list(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList titles;
    for (const PackageAsset& a : all) {
        titles << a.title();
        QVERIFY(a.shared);
        QCOMPARE(a.importedBy, QStringLiteral("built-in"));
        QVERIFY2(PackageArchive::read(a.path, &error), qPrintable(error));
        QCOMPARE(QFileInfo(a.path).absolutePath(), QDir(m_catalog->folder()).filePath(QStringLiteral("shared")));
    }
    QCOMPARE(titles, (QStringList{QStringLiteral("Application update 10.0.41"),
                                  QStringLiteral("Contoso credit limit rules 1.0.0"),
                                  QStringLiteral("Environment reprovisioning tool 1.0.0")}));
    // Importing a built-in package into the project.
    const auto tool = shared.find(QStringLiteral("environment reprovisioning tool"), &error);
    QVERIFY2(tool, qPrintable(error));
    const auto asset = AssetLibrary(m_catalog->catalog()).importFile(QStringLiteral("contoso"), tool->path, &error);
    QVERIFY2(asset, qPrintable(error));
    QCOMPARE(asset->sha256, tool->sha256);
    QVERIFY(!shared.find(QStringLiteral("No such tool"), &error));
    QVERIFY2(error.contains(QStringLiteral("Environment reprovisioning tool 1.0.0")), qPrintable(error));
}

void TestPackageLibrary::sharedLibraryIsDeterministicAndRepairsItself()
{
    SharedLibrary shared(m_catalog->folder());
    QString error;
    QVERIFY2(shared.ensureBuilt(&error), qPrintable(error));
    const auto first = folderSnapshot(shared.folder());
    QCOMPARE(first.size(), SharedLibrary::builtInSources().size());
    const QString zip = QDir(shared.folder()).filePath(first.firstKey());
    const QDateTime built = QFileInfo(zip).lastModified();

    // Built again elsewhere, later: the same bytes.
    QTest::qWait(1100);
    QTemporaryDir elsewhere;
    SharedLibrary other(elsewhere.path());
    QVERIFY2(other.ensureBuilt(&error), qPrintable(error));
    QCOMPARE(folderSnapshot(other.folder()), first);
    // Up to date: left alone.
    QVERIFY2(shared.ensureBuilt(&error), qPrintable(error));
    QCOMPARE(QFileInfo(zip).lastModified(), built);
    // Damaged: replaced, with no temporary file left.
    QFile f(zip);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("damaged");
    f.close();
    QVERIFY2(shared.ensureBuilt(&error), qPrintable(error));
    QCOMPARE(folderSnapshot(shared.folder()), first);
}

void TestPackageLibrary::builtInPackagesMatchTheDesign()
{
    SharedLibrary shared(m_catalog->folder());
    QString error;
    const auto tool = shared.find(SharedLibrary::ReprovisioningTool, &error);
    QVERIFY2(tool, qPrintable(error));
    auto package = PackageArchive::read(tool->path, &error);
    QVERIFY2(package, qPrintable(error));
    QCOMPARE(package->manifest.type, PackageManifest::Type::Reprovisioning);
    QVERIFY(package->manifest.requirements.commerce);
    QCOMPARE(package->manifest.steps.first().kind, PackageManifest::Step::Kind::Check);

    const auto update = shared.find(QStringLiteral("Application update"), &error);
    QVERIFY2(update, qPrintable(error));
    package = PackageArchive::read(update->path, &error);
    QVERIFY2(package, qPrintable(error));
    QCOMPARE(package->manifest.type, PackageManifest::Type::Application);
    QCOMPARE(package->manifest.requirements.application, QStringLiteral("10.0.40"));
    QCOMPARE(package->manifest.sets.application, QStringLiteral("10.0.41"));
    const auto& schema = package->manifest.steps.first();
    QVERIFY(!schema.fileFor(QStringLiteral("sqlite")).isEmpty());
    QVERIFY(!schema.fileFor(QStringLiteral("postgres")).isEmpty());
    QVERIFY(schema.fileFor(QStringLiteral("sqlite")) != schema.fileFor(QStringLiteral("postgres")));

    const auto custom = shared.find(QStringLiteral("Contoso credit limit rules"), &error);
    QVERIFY2(custom, qPrintable(error));
    QCOMPARE(custom->type, PackageManifest::Type::Customization);
}

QTEST_GUILESS_MAIN(TestPackageLibrary)
#include "tst_packagelibrary.moc"
