// Package validation (PackageArchive): one fixture zip per cause of refusal, built
// here with libzip, each refused with a message that names the archive and the rule
// broken, and nothing written anywhere when it is imported (no asset folder, no
// catalog row, no temporary file). Zip bombs (sizes claimed, and sizes that lie) are
// refused in seconds without the memory of the inflated size.
#include "TestSupport.h"
#include "ZipFixture.h"

#include "catalog/Catalog.h"
#include "package/AssetLibrary.h"
#include "package/PackageArchive.h"
#include "package/PackageBuilder.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>

using namespace TestSupport;
using ZipFixture::Entry;

namespace {

QByteArray sha(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray zipOf(const QList<Entry>& entries)
{
    QString error;
    const QByteArray bytes = ZipFixture::build(entries, &error);
    if (bytes.isEmpty())
        qFatal("cannot build a fixture: %s", qPrintable(error));
    return bytes;
}

QByteArray packageWith(const QJsonObject& manifest, const QMap<QString, QByteArray>& files = ZipFixture::sampleFiles())
{
    return zipOf(ZipFixture::packageEntries(manifest, files));
}

QJsonObject sampleWith(const QString& key, const QJsonValue& value)
{
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(key, value);
    return m;
}

QJsonObject sampleWithout(const QString& key)
{
    QJsonObject m = ZipFixture::sampleManifest();
    m.remove(key);
    return m;
}

QJsonObject sampleWithStep(const QJsonObject& step)
{
    return sampleWith(QStringLiteral("steps"), QJsonArray{step});
}

// The sample's manifest with its real sha256, and entries exactly as given.
QByteArray entriesWithSampleManifest(const QList<Entry>& files, const QMap<QString, QByteArray>& listed)
{
    QJsonObject hashes;
    for (auto it = listed.begin(); it != listed.end(); ++it)
        hashes.insert(it.key(), QString::fromLatin1(sha(it.value())));
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("sha256"), hashes);
    QList<Entry> entries{Entry{QStringLiteral("manifest.json"), QJsonDocument(m).toJson()}};
    entries << files;
    return zipOf(entries);
}

qint64 maxRssBytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_maxrss) * 1024;
}

// The sizes an honest zip of 200 MiB of zeros claims, and the same zip lying.
constexpr qint64 BombBytes = 200LL * 1024 * 1024;

} // namespace

class TestPackageArchive : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    // First: the peak memory of the process is measured here.
    void zipBombClaimedIsRefusedBeforeInflating();
    void zipBombWithLyingHeadersIsRefusedWhileReading();

    void validPackageIsAccepted();
    void folderEntriesAreAccepted();
    void builderIsDeterministic();
    void refused_data();
    void refused();
    void readRefusesAFileLargerThanTheLimit();

private:
    // Validates `zip` as a file and imports it into a fresh catalog: both must refuse
    // with `fragment` in the message, and the import must leave no trace.
    void checkRefused(const QByteArray& zip, const QString& fragment);

    QByteArray m_bomb;
};

void TestPackageArchive::initTestCase()
{
    // A manifest listing bomb.bin (the digest is never reached) and 200 MiB of zeros,
    // streamed into the zip: the fixture itself never holds them in memory.
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("steps"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Bomb")},
                                                             {QStringLiteral("sql"), QStringLiteral("bomb.bin")}}});
    m.insert(QStringLiteral("sha256"), QJsonObject{{QStringLiteral("bomb.bin"), QString(64, QLatin1Char('0'))}});
    Entry bomb{QStringLiteral("bomb.bin"), {}};
    bomb.zeros = BombBytes;
    m_bomb = zipOf({Entry{QStringLiteral("manifest.json"), QJsonDocument(m).toJson()}, bomb});
    QVERIFY2(m_bomb.size() < 2 * 1024 * 1024, qPrintable(QString::number(m_bomb.size())));
}

void TestPackageArchive::zipBombClaimedIsRefusedBeforeInflating()
{
    QElapsedTimer t;
    t.start();
    checkRefused(m_bomb, QStringLiteral("claim 200.0 MB uncompressed by 'bomb.bin'"));
    qInfo("claimed 200 MiB bomb (%lld bytes zipped): refused in %lld ms, peak RSS %lld MiB", qint64(m_bomb.size()),
          t.elapsed(), maxRssBytes() >> 20);
    QVERIFY2(t.elapsed() < 5000, qPrintable(QStringLiteral("%1 ms").arg(t.elapsed())));
    QVERIFY2(maxRssBytes() < BombBytes / 2, qPrintable(QStringLiteral("peak RSS %1 bytes").arg(maxRssBytes())));
}

void TestPackageArchive::zipBombWithLyingHeadersIsRefusedWhileReading()
{
    QByteArray lying = m_bomb;
    QVERIFY(ZipFixture::setClaimedSize(&lying, QStringLiteral("bomb.bin"), 1024));
    QElapsedTimer t;
    t.start();
    QString error;
    QVERIFY(!PackageArchive::fromBytes(lying, QStringLiteral("lying.zip"), &error));
    QVERIFY2(error.contains(QStringLiteral("'bomb.bin' inflates to more than the 1024 bytes its header claims")),
             qPrintable(error));
    checkRefused(lying, QStringLiteral("inflates to more than the 1024 bytes"));
    qInfo("lying bomb (claims 1 KiB, inflates to 200 MiB): refused in %lld ms, peak RSS %lld MiB", t.elapsed(),
          maxRssBytes() >> 20);
    QVERIFY2(t.elapsed() < 5000, qPrintable(QStringLiteral("%1 ms").arg(t.elapsed())));
    QVERIFY2(maxRssBytes() < BombBytes / 2, qPrintable(QStringLiteral("peak RSS %1 bytes").arg(maxRssBytes())));
}

void TestPackageArchive::validPackageIsAccepted()
{
    QString error;
    const auto zip = PackageBuilder::build(ZipFixture::sampleManifest(), ZipFixture::sampleFiles(), &error);
    QVERIFY2(zip, qPrintable(error));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sample.zip"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(*zip);
    f.close();
    const auto package = PackageArchive::read(path, &error);
    QVERIFY2(package, qPrintable(error));
    QCOMPARE(package->manifest.name, QStringLiteral("Sample package"));
    QCOMPARE(package->manifest.version, QStringLiteral("1.0.0"));
    QCOMPARE(package->manifest.type, PackageManifest::Type::Customization);
    QCOMPARE(package->manifest.steps.size(), 1);
    QCOMPARE(package->manifest.steps.first().fileFor(QStringLiteral("sqlite")), QStringLiteral("scripts/01.sql"));
    QCOMPARE(package->files, ZipFixture::sampleFiles());
    QCOMPARE(package->archive, *zip);
    QCOMPARE(package->sha256.toLatin1(), fileSha256(path));
}

void TestPackageArchive::folderEntriesAreAccepted()
{
    Entry folder{QStringLiteral("scripts/"), {}};
    folder.unixMode = 040755;
    const QMap<QString, QByteArray> files = ZipFixture::sampleFiles();
    const QByteArray zip =
        entriesWithSampleManifest({folder, Entry{QStringLiteral("scripts/01.sql"), files.first()}}, files);
    QString error;
    QVERIFY2(PackageArchive::fromBytes(zip, QStringLiteral("folders.zip"), &error), qPrintable(error));
}

void TestPackageArchive::builderIsDeterministic()
{
    QString error;
    const auto a = PackageBuilder::build(ZipFixture::sampleManifest(), ZipFixture::sampleFiles(), &error);
    QVERIFY2(a, qPrintable(error));
    QTest::qWait(1100); // a timestamp taken from the clock would differ now
    const auto b = PackageBuilder::build(ZipFixture::sampleManifest(), ZipFixture::sampleFiles(), &error);
    QVERIFY2(b, qPrintable(error));
    QCOMPARE(sha(*a), sha(*b));
    // The manifest inside lists the file's digest.
    const auto package = PackageArchive::fromBytes(*a, QStringLiteral("a.zip"), &error);
    QVERIFY2(package, qPrintable(error));
    QCOMPARE(package->manifest.sha256.value(QStringLiteral("scripts/01.sql")).toLatin1(),
             sha(ZipFixture::sampleFiles().first()));
}

void TestPackageArchive::refused_data()
{
    QTest::addColumn<QByteArray>("zip");
    QTest::addColumn<QString>("fragment");

    const QMap<QString, QByteArray> files = ZipFixture::sampleFiles();
    const QByteArray good = packageWith(ZipFixture::sampleManifest());
    const QString script = QStringLiteral("scripts/01.sql");

    QTest::newRow("not a zip") << QByteArrayLiteral("This is a text file, not a package.\n")
                               << QStringLiteral("the file is not a zip archive");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("the file is empty, not a zip archive");
    QTest::newRow("truncated in the middle") << good.left(good.size() / 2) << QStringLiteral("truncated");
    QTest::newRow("truncated central directory") << good.chopped(10) << QStringLiteral("truncated");
    QTest::newRow("no manifest") << zipOf({Entry{script, files.first()}}) << QStringLiteral("no manifest.json");
    QTest::newRow("manifest not JSON") << zipOf({Entry{QStringLiteral("manifest.json"), "{ \"format\": 1, "},
                                                 Entry{script, files.first()}})
                                       << QStringLiteral("manifest.json: not valid JSON");
    QTest::newRow("manifest not an object") << zipOf({Entry{QStringLiteral("manifest.json"), "[1, 2]"}})
                                            << QStringLiteral("manifest.json: must hold a JSON object");
    QTest::newRow("name missing") << packageWith(sampleWithout(QStringLiteral("name")))
                                  << QStringLiteral("manifest.json: the field 'name' is missing");
    QTest::newRow("format 2") << packageWith(sampleWith(QStringLiteral("format"), 2))
                              << QStringLiteral("format 2 is not supported");
    QTest::newRow("unknown type") << packageWith(sampleWith(QStringLiteral("type"), QStringLiteral("hotfix")))
                                  << QStringLiteral("type 'hotfix' is not one of");
    QTest::newRow("version not a release number")
        << packageWith(sampleWith(QStringLiteral("version"), QStringLiteral("latest")))
        << QStringLiteral("'version' must be a dotted release number");
    QTest::newRow("unknown field") << packageWith(sampleWith(QStringLiteral("author"), QStringLiteral("me")))
                                   << QStringLiteral("unknown field 'author'");
    QTest::newRow("requires commerce not a boolean")
        << packageWith(
               sampleWith(QStringLiteral("requires"), QJsonObject{{QStringLiteral("commerce"), QStringLiteral("yes")}}))
        << QStringLiteral("requires: 'commerce' must be true or false");
    QTest::newRow("sets platform not a number")
        << packageWith(
               sampleWith(QStringLiteral("sets"), QJsonObject{{QStringLiteral("platform"), QStringLiteral("65")}}))
        << QStringLiteral("sets: 'platform' must be a platform update number");
    QTest::newRow("unknown step kind") << packageWith(
                                              sampleWithStep({{QStringLiteral("name"), QStringLiteral("Run it")},
                                                              {QStringLiteral("powershell"), script}}))
                                       << QStringLiteral("step 1 (Run it): unknown step kind 'powershell'");
    QTest::newRow("step without a kind") << packageWith(
                                                sampleWithStep({{QStringLiteral("name"), QStringLiteral("Nothing")}}))
                                         << QStringLiteral("step 1 (Nothing): no kind");
    QTest::newRow("sql for an unknown engine")
        << packageWith(sampleWithStep({{QStringLiteral("name"), QStringLiteral("Run it")},
                                       {QStringLiteral("sql"), QJsonObject{{QStringLiteral("oracle"), script}}}}))
        << QStringLiteral("unknown field 'oracle'");
    QTest::newRow("check without a message")
        << packageWith(sampleWithStep(
               {{QStringLiteral("name"), QStringLiteral("Check it")}, {QStringLiteral("check"), script}}))
        << QStringLiteral("step 1 (Check it): the field 'message' is missing");
    QTest::newRow("step file not listed")
        << packageWith(sampleWithStep({{QStringLiteral("name"), QStringLiteral("Run it")},
                                       {QStringLiteral("sql"), QStringLiteral("scripts/02.sql")}}))
        << QStringLiteral("scripts/02.sql is not listed in 'sha256'");
    QTest::newRow("manifest names a file with ..")
        << packageWith(sampleWith(QStringLiteral("sha256"),
                                  QJsonObject{{script, QString::fromLatin1(sha(files.first()))},
                                              {QStringLiteral("../escape.sql"), QString(64, QLatin1Char('a'))}}))
        << QStringLiteral("the file name '../escape.sql' contains '..'");
    QTest::newRow("missing file") << entriesWithSampleManifest({}, files) << QStringLiteral("(a missing file)");
    QTest::newRow("extra file") << entriesWithSampleManifest({Entry{script, files.first()},
                                                              Entry{QStringLiteral("scripts/extra.sql"), "SELECT 1;"}},
                                                             files)
                                << QStringLiteral("'scripts/extra.sql' is in the archive but not listed");
    QTest::newRow("altered file") << entriesWithSampleManifest({Entry{script, "DROP TABLE CUSTTABLE;\n"}}, files)
                                  << QStringLiteral("'scripts/01.sql' does not match its SHA-256");
    QTest::newRow("absolute path") << entriesWithSampleManifest({Entry{script, files.first()},
                                                                 Entry{QStringLiteral("/etc/cron.d/evil"), "x"}},
                                                                files)
                                   << QStringLiteral("the entry name '/etc/cron.d/evil' is absolute");
    QTest::newRow("dot-dot") << entriesWithSampleManifest({Entry{script, files.first()},
                                                           Entry{QStringLiteral("scripts/../../evil.sql"), "x"}},
                                                          files)
                             << QStringLiteral("the entry name 'scripts/../../evil.sql' contains '..'");
    QTest::newRow("backslash") << entriesWithSampleManifest(
                                      {Entry{script, files.first()}, Entry{QStringLiteral("scripts\\evil.sql"), "x"}},
                                      files)
                               << QStringLiteral("the entry name 'scripts\\evil.sql' contains a backslash");
    Entry link{QStringLiteral("scripts/01.sql"), "/etc/passwd"};
    link.unixMode = 0120777;
    QTest::newRow("symbolic link") << entriesWithSampleManifest({link}, {{script, "/etc/passwd"}})
                                   << QStringLiteral("'scripts/01.sql' is a symbolic link");
    Entry fifo{QStringLiteral("scripts/pipe"), {}};
    fifo.unixMode = 010644;
    QTest::newRow("not a regular file") << entriesWithSampleManifest({Entry{script, files.first()}, fifo}, files)
                                        << QStringLiteral("'scripts/pipe' is not a regular file");
}

void TestPackageArchive::refused()
{
    QFETCH(QByteArray, zip);
    QFETCH(QString, fragment);
    checkRefused(zip, fragment);
}

void TestPackageArchive::readRefusesAFileLargerThanTheLimit()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.zip"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(PackageArchive::MaxUncompressedBytes + 2 * 1024 * 1024)); // sparse: no disk, no memory
    f.close();
    QString error;
    QVERIFY(!PackageArchive::read(path, &error));
    QVERIFY2(error.contains(QStringLiteral("huge.zip is 66.0 MB; a package holds at most 64.0 MB")),
             qPrintable(error));
}

void TestPackageArchive::checkRefused(const QByteArray& zip, const QString& fragment)
{
    QTemporaryDir fixtures;
    const QString path = fixtures.filePath(QStringLiteral("fixture.zip"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(zip), zip.size());
    f.close();

    QString error;
    QVERIFY2(!PackageArchive::read(path, &error), "an invalid package was accepted");
    QVERIFY2(error.contains(fragment), qPrintable(QStringLiteral("'%1' lacks '%2'").arg(error, fragment)));
    QVERIFY2(error.contains(QStringLiteral("fixture.zip")), qPrintable(error));

    // Imported into a project: refused, and nothing anywhere changed.
    TemporaryCatalog catalog;
    QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
    QVERIFY2(catalog->addProject({QStringLiteral("contoso"), QStringLiteral("Contoso"), {}}, &error),
             qPrintable(error));
    const int auditBefore = catalog->auditTrail(1000).size();
    auto withoutCatalogDb = [](QMap<QString, QByteArray> snapshot) {
        for (auto it = snapshot.begin(); it != snapshot.end();) {
            if (it.key().startsWith(QLatin1String(Catalog::FileName)))
                it = snapshot.erase(it);
            else
                ++it;
        }
        return snapshot;
    };
    const auto before = withoutCatalogDb(folderSnapshot(catalog.folder()));
    const auto fixturesBefore = folderSnapshot(fixtures.path());
    AssetLibrary library(catalog.catalog());
    AssetLibrary::Refusal refusal = AssetLibrary::Refusal::None;
    error.clear();
    QVERIFY(!library.importFile(QStringLiteral("contoso"), path, &error, &refusal));
    QCOMPARE(int(refusal), int(AssetLibrary::Refusal::InvalidPackage));
    QVERIFY2(error.contains(fragment), qPrintable(error));
    QCOMPARE(withoutCatalogDb(folderSnapshot(catalog.folder())), before);
    QCOMPARE(folderSnapshot(fixtures.path()), fixturesBefore);
    QVERIFY(!QFileInfo::exists(QDir(catalog.folder()).filePath(QStringLiteral("assets"))));
    QSqlQuery q(catalog->database());
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM assets")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QCOMPARE(catalog->auditTrail(1000).size(), auditBefore);
}

QTEST_GUILESS_MAIN(TestPackageArchive)
#include "tst_packagearchive.moc"
