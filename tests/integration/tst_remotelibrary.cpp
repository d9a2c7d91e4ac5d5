// The remote shared library against a loopback HTTP server (127.0.0.1 only): the
// index, a good download, a checksum mismatch, the server gone mid-download and the
// download resumed with a Range request, a server that ignores Range, an unreachable
// server; and `dataalm package import --url` doing the same from the command line.
#include "LoopbackHttpServer.h"
#include "TestSupport.h"
#include "ZipFixture.h"

#include "catalog/Catalog.h"
#include "package/AssetLibrary.h"
#include "package/PackageBuilder.h"
#include "package/RemoteLibrary.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>

using namespace TestSupport;

namespace {

const QString IndexPath = QStringLiteral("/library/index.json");
const QString PackagePath = QStringLiteral("/library/packages/big-1.0.0.zip");
const QString SmallPath = QStringLiteral("/library/packages/small-2.0.0.zip");
constexpr qint64 DropAt = 100000;

QByteArray hexSha(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// A package with 300 KB of incompressible data, so that a download takes several reads.
QByteArray bigPackage()
{
    QByteArray noise(300 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    for (char& c : noise)
        c = char(random.bounded(256));
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), QStringLiteral("Big package"));
    QMap<QString, QByteArray> files = ZipFixture::sampleFiles();
    files.insert(QStringLiteral("data/noise.bin"), noise);
    QString error;
    const auto zip = PackageBuilder::build(m, files, &error);
    if (!zip)
        qFatal("%s", qPrintable(error));
    return *zip;
}

QByteArray smallPackage()
{
    QJsonObject m = ZipFixture::sampleManifest();
    m.insert(QStringLiteral("name"), QStringLiteral("Small package"));
    m.insert(QStringLiteral("version"), QStringLiteral("2.0.0"));
    QString error;
    const auto zip = PackageBuilder::build(m, ZipFixture::sampleFiles(), &error);
    if (!zip)
        qFatal("%s", qPrintable(error));
    return *zip;
}

QJsonObject entry(const QString& name, const QString& version, const QString& url, const QByteArray& body)
{
    return {{QStringLiteral("name"), name},
            {QStringLiteral("version"), version},
            {QStringLiteral("type"), QStringLiteral("customization")},
            {QStringLiteral("url"), url},
            {QStringLiteral("size"), body.size()},
            {QStringLiteral("sha256"), QString::fromLatin1(hexSha(body))}};
}

} // namespace

class TestRemoteLibrary : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void indexIsRead();
    void goodDownload();
    void checksumMismatchIsRefusedAndDeleted();
    void serverGoneMidDownloadThenResumedWithRange();
    void serverIgnoringRangeStartsOver();
    void unreachableAndMissing();

    void cliImportFromUrl();
    void cliResumesAfterTheServerWentAway();
    void cliRefusesAWrongChecksum();

private:
    std::optional<QString> download(RemoteLibrary& library, QString* error, RemoteLibrary::Outcome* outcome);
    // The index, listing the big package at `bigUrl` (relative to the index) and the small one.
    void serveIndex(const QString& bigUrl);
    QString downloads() const { return m_dir->filePath(QStringLiteral("downloads")); }
    CliRun cli(QStringList args);

    LoopbackHttpServer* m_server = nullptr;
    QTemporaryDir* m_dir = nullptr;
    TemporaryCatalog* m_catalog = nullptr;
    QByteArray m_big;
    QByteArray m_small;
};

void TestRemoteLibrary::init()
{
    m_server = new LoopbackHttpServer;
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_big = bigPackage();
    m_small = smallPackage();
    m_server->serve(PackagePath, m_big, "application/zip");
    m_server->serve(SmallPath, m_small, "application/zip");
    serveIndex(QStringLiteral("packages/big-1.0.0.zip"));
    m_dir = new QTemporaryDir;
    m_catalog = new TemporaryCatalog;
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QVERIFY2(m_catalog->catalog().addProject({QStringLiteral("contoso"), QStringLiteral("Contoso"), {}}, &error),
             qPrintable(error));
}

void TestRemoteLibrary::serveIndex(const QString& bigUrl)
{
    const QJsonArray index{
        entry(QStringLiteral("Big package"), QStringLiteral("1.0.0"), bigUrl, m_big),
        entry(QStringLiteral("Small package"), QStringLiteral("2.0.0"), m_server->url(SmallPath).toString(), m_small)};
    m_server->serve(IndexPath, QJsonDocument(QJsonObject{{QStringLiteral("packages"), index}}).toJson(),
                    "application/json");
}

void TestRemoteLibrary::cleanup()
{
    delete m_catalog;
    delete m_dir;
    delete m_server;
}

std::optional<QString> TestRemoteLibrary::download(RemoteLibrary& library, QString* error,
                                                   RemoteLibrary::Outcome* outcome)
{
    auto index = library.fetchIndexAndWait(m_server->url(IndexPath), error, outcome);
    if (!index)
        return std::nullopt;
    return library.downloadAndWait(index->first(), error, outcome);
}

CliRun TestRemoteLibrary::cli(QStringList args)
{
    return runCli(args << QStringLiteral("--catalog") << m_catalog->folder());
}

void TestRemoteLibrary::indexIsRead()
{
    RemoteLibrary library(downloads());
    QString error;
    RemoteLibrary::Outcome outcome = RemoteLibrary::Failed;
    const auto index = library.fetchIndexAndWait(m_server->url(IndexPath), &error, &outcome);
    QVERIFY2(index, qPrintable(error));
    QCOMPARE(outcome, RemoteLibrary::Ok);
    QCOMPARE(index->size(), 2);
    QCOMPARE(index->first().title(), QStringLiteral("Big package 1.0.0"));
    QCOMPARE(index->first().url, m_server->url(PackagePath)); // relative to the index
    QCOMPARE(index->first().size, m_big.size());
    QCOMPARE(index->first().sha256.toLatin1(), hexSha(m_big));
    // Nothing is downloaded by reading the index.
    QVERIFY(!QFileInfo::exists(downloads()));
}

void TestRemoteLibrary::goodDownload()
{
    RemoteLibrary library(downloads());
    qint64 lastReceived = 0;
    connect(&library, &RemoteLibrary::progressed, this, [&](qint64 received, qint64) { lastReceived = received; });
    QString error;
    RemoteLibrary::Outcome outcome = RemoteLibrary::Failed;
    const auto path = download(library, &error, &outcome);
    QVERIFY2(path, qPrintable(error));
    QCOMPARE(outcome, RemoteLibrary::Ok);
    QCOMPARE(lastReceived, m_big.size());
    QFile f(*path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), m_big);
    const auto asset = AssetLibrary(m_catalog->catalog()).importFile(QStringLiteral("contoso"), *path, &error);
    QVERIFY2(asset, qPrintable(error));
    QCOMPARE(asset->name, QStringLiteral("Big package"));
    const auto requests = m_server->requests();
    QCOMPARE(requests.size(), 2);
    QVERIFY(requests.last().range.isEmpty());
}

void TestRemoteLibrary::checksumMismatchIsRefusedAndDeleted()
{
    m_server->setCorrupt(PackagePath, true);
    RemoteLibrary library(downloads());
    QString error;
    RemoteLibrary::Outcome outcome = RemoteLibrary::Ok;
    QVERIFY(!download(library, &error, &outcome));
    QCOMPARE(outcome, RemoteLibrary::Corrupt);
    QVERIFY2(error.contains(QStringLiteral("does not match the index's SHA-256")), qPrintable(error));
    QCOMPARE(QDir(downloads()).entryList(QDir::Files | QDir::Hidden), QStringList());
}

void TestRemoteLibrary::serverGoneMidDownloadThenResumedWithRange()
{
    m_server->dropAfter(PackagePath, DropAt);
    RemoteLibrary library(downloads());
    QString error;
    RemoteLibrary::Outcome outcome = RemoteLibrary::Ok;
    QVERIFY(!download(library, &error, &outcome));
    QCOMPARE(outcome, RemoteLibrary::Interrupted);
    QVERIFY2(error.contains(QStringLiteral("stopped after")) && error.contains(QStringLiteral("resumes")),
             qPrintable(error));
    RemotePackage package;
    package.sha256 = QString::fromLatin1(hexSha(m_big));
    const QString part = library.partPathFor(package);
    QCOMPARE(QFileInfo(part).size(), DropAt);

    // The next attempt asks for the rest only. QNetworkAccessManager may send the interrupted
    // attempt's GET once more after it reported the error (seen under load: that whole-file
    // answer lands after clearRequests()), so the next attempt finds the same file at another
    // URL, and its requests are told apart. The .part goes by the SHA-256, not the URL.
    const QString againPath = QStringLiteral("/library/packages/again/big-1.0.0.zip");
    m_server->serve(againPath, m_big, "application/zip");
    serveIndex(QStringLiteral("packages/again/big-1.0.0.zip"));
    m_server->clearRequests();
    qint64 resumedFrom = -1;
    connect(&library, &RemoteLibrary::progressed, this, [&](qint64, qint64, qint64 from) { resumedFrom = from; });
    const auto path = download(library, &error, &outcome);
    QVERIFY2(path, qPrintable(error));
    QCOMPARE(*path, part);
    QCOMPARE(resumedFrom, DropAt);
    // The package was asked for the rest only, every time (QNetworkAccessManager may send a
    // GET again when the keep-alive connection it reused had been closed by the server: the
    // index can show twice under load).
    QList<LoopbackHttpServer::Request> packageRequests;
    for (const auto& r : m_server->requests()) {
        if (r.path == againPath)
            packageRequests << r;
    }
    QVERIFY(!packageRequests.isEmpty());
    for (const auto& r : std::as_const(packageRequests))
        QCOMPARE(r.range, QByteArray("bytes=") + QByteArray::number(DropAt) + '-');
    QCOMPARE(packageRequests.last().status, 206);
    QCOMPARE(packageRequests.last().bodyBytesSent, m_big.size() - DropAt);
    QFile f(*path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(hexSha(f.readAll()), hexSha(m_big));
}

void TestRemoteLibrary::serverIgnoringRangeStartsOver()
{
    m_server->dropAfter(PackagePath, DropAt);
    RemoteLibrary library(downloads());
    QString error;
    RemoteLibrary::Outcome outcome = RemoteLibrary::Ok;
    QVERIFY(!download(library, &error, &outcome));
    m_server->setIgnoreRange(true);
    m_server->clearRequests();
    const auto path = download(library, &error, &outcome);
    QVERIFY2(path, qPrintable(error));
    QCOMPARE(m_server->requests().last().status, 200);
    QCOMPARE(m_server->requests().last().bodyBytesSent, m_big.size());
    QCOMPARE(TestSupport::fileSha256(*path), hexSha(m_big));
}

void TestRemoteLibrary::unreachableAndMissing()
{
    RemoteLibrary library(downloads());
    QString error;
    RemoteLibrary::Outcome outcome = RemoteLibrary::Ok;
    QVERIFY(!library.fetchIndexAndWait(m_server->url(QStringLiteral("/nothing/index.json")), &error, &outcome));
    QCOMPARE(outcome, RemoteLibrary::Failed);
    QVERIFY2(error.contains(QStringLiteral("404")), qPrintable(error));

    const auto index = library.fetchIndexAndWait(m_server->url(IndexPath), &error, &outcome);
    QVERIFY2(index, qPrintable(error));
    m_server->stop();
    QVERIFY(!library.downloadAndWait(index->first(), &error, &outcome));
    QCOMPARE(outcome, RemoteLibrary::Unreachable);
    QVERIFY(!library.fetchIndexAndWait(m_server->url(IndexPath), &error, &outcome));
    QCOMPARE(outcome, RemoteLibrary::Unreachable);
}

void TestRemoteLibrary::cliImportFromUrl()
{
    const QString url = m_server->url(IndexPath).toString();
    CliRun run = cli({QStringLiteral("package"), QStringLiteral("list"), QStringLiteral("--shared"),
                      QStringLiteral("--url"), url, QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().array().size(), 2);
    // Two packages: the name is needed.
    run = cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--url"), url});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Big package 1.0.0, Small package 2.0.0")),
             qPrintable(run.errText()));

    run = cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--url"), url,
               QStringLiteral("--shared"), QStringLiteral("Big package"), QStringLiteral("--json")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.json().object().value(QStringLiteral("sha256")).toString().toLatin1(), hexSha(m_big));
    QCOMPARE(run.json().object().value(QStringLiteral("from")).toString(), m_server->url(PackagePath).toString());
    QVERIFY2(run.errText().contains(QStringLiteral("Verified Big package 1.0.0")), qPrintable(run.errText()));
    QCOMPARE(AssetLibrary(m_catalog->catalog()).list().size(), 1);
    // The download is gone once imported.
    QCOMPARE(QDir(QDir(m_catalog->folder()).filePath(QStringLiteral("downloads"))).entryList(QDir::Files),
             QStringList());
}

void TestRemoteLibrary::cliResumesAfterTheServerWentAway()
{
    const QString url = m_server->url(IndexPath).toString();
    m_server->dropAfter(PackagePath, DropAt);
    const QStringList args{QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--url"), url,
                           QStringLiteral("Big package@1.0.0")};
    CliRun run = cli(args);
    QVERIFY2(run.exitedWith(7), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("the next attempt resumes it")), qPrintable(run.errText()));
    QVERIFY(AssetLibrary(m_catalog->catalog()).list().isEmpty());

    m_server->clearRequests();
    run = cli(args);
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Resuming the download of Big package 1.0.0")),
             qPrintable(run.errText()));
    const auto last = m_server->requests().last();
    QCOMPARE(last.path, PackagePath);
    QCOMPARE(last.range, QByteArray("bytes=") + QByteArray::number(DropAt) + '-');
    QCOMPARE(last.bodyBytesSent, m_big.size() - DropAt);
    const auto assets = AssetLibrary(m_catalog->catalog()).list();
    QCOMPARE(assets.size(), 1);
    QCOMPARE(assets.first().sha256.toLatin1(), hexSha(m_big));
}

void TestRemoteLibrary::cliRefusesAWrongChecksum()
{
    const QString url = m_server->url(IndexPath).toString();
    m_server->setCorrupt(SmallPath, true);
    CliRun run = cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--url"), url,
                      QStringLiteral("Small package")});
    QVERIFY2(run.exitedWith(6), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("does not match the index's SHA-256")), qPrintable(run.errText()));
    QVERIFY(AssetLibrary(m_catalog->catalog()).list().isEmpty());
    QCOMPARE(QDir(QDir(m_catalog->folder()).filePath(QStringLiteral("downloads"))).entryList(QDir::Files),
             QStringList());
    m_server->stop();
    run = cli({QStringLiteral("package"), QStringLiteral("import"), QStringLiteral("--url"), url,
               QStringLiteral("Small package")});
    QVERIFY2(run.exitedWith(7), qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(TestRemoteLibrary)
#include "tst_remotelibrary.moc"
