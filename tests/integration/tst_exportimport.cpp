// Export database and Import database on SQLite, through the real `dataalm` binary on
// the demo: an export writes a zip into the asset library whose manifest names its
// source, versions, policy digest and row counts, and whose payload has the policy
// applied; an import puts it into a sandbox or dev/test environment with that
// environment's own records and administrator, and rolls back like a refresh; a backup
// is downloaded and uploaded byte for byte; backups that are altered, truncated,
// hostile or from another release, project or environment type are refused with
// words and change nothing; a full disk or kill -9 during an export leaves nothing
// half-written in the asset library.
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "TmpfsMount.h"
#include "ZipFixture.h"

#include "backup/BackupArchive.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

#include <csignal>

class TestExportImport : public QObject
{
    Q_OBJECT

private slots:
    void exportWritesThePolicysCopy();
    void importIntoDevTestThenRollBack();
    void downloadAndUpload();
    void refusedBackupsChangeNothing();
    void alteredPayloadFailsBeforeTheSwap();
    void fullDiskWhileExporting();
    void killedWhileExportingThenResumed();
    void backupChangedUnderAnImport();
};

namespace {

const QString Uat = QStringLiteral("contoso-uat");
const QString Dev = QStringLiteral("contoso-dev");

QJsonObject lastBackup(const RefreshFixture& f)
{
    const CliRun run = f.cli({QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonArray a = run.json().array();
    return a.isEmpty() ? QJsonObject() : a.first().toObject();
}

QString exported(const RefreshFixture& f, QString* why)
{
    const CliRun run = f.cli({QStringLiteral("export"), QStringLiteral("--source"), Uat, QStringLiteral("--json")});
    if (!run.exitedWith(0)) {
        *why = run.describe();
        return {};
    }
    return lastBackup(f).value(QStringLiteral("name")).toString();
}

QString backupFile(const RefreshFixture& f, const QString& name)
{
    return f.folder() + QStringLiteral("/assets/contoso/backups/") + name + QStringLiteral(".zip");
}

QStringList importArgs(const QString& name, const QString& target)
{
    return {QStringLiteral("import"), QStringLiteral("--backup"), name, QStringLiteral("--target"), target,
            QStringLiteral("--yes"), QStringLiteral("--json")};
}

QByteArray fileSha(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace

void TestExportImport::exportWritesThePolicysCopy()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.folderState(Uat);
    QString why;
    const QString name = exported(f, &why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    QVERIFY(name.startsWith(QStringLiteral("contoso-uat-")));
    // The source is only read.
    QCOMPARE(f.folderState(Uat), before);

    const QString zip = backupFile(f, name);
    QString error;
    const std::optional<BackupManifest> m = BackupArchive::inspect(zip, &error);
    QVERIFY2(m, qPrintable(error));
    QCOMPARE(m->project, QStringLiteral("contoso"));
    QCOMPARE(m->sourceEnvironment, Uat);
    QCOMPARE(m->engine, QStringLiteral("sqlite"));
    QCOMPARE(m->versions.application, QStringLiteral("10.0.40"));
    QCOMPARE(m->policySha256.size(), 64);
    QCOMPARE(m->files.size(), 1);
    QCOMPARE(m->tables.value(QStringLiteral("BATCHJOBHISTORY")).toInteger(), 0);
    QCOMPARE(m->tables.value(QStringLiteral("CUSTTABLE")).toInteger(),
             SqliteInspect::value(f.db(Uat), QStringLiteral("SELECT count(*) FROM CUSTTABLE")).toLongLong());
    // The payload: the policy ran before anything was written.
    QTemporaryDir dir;
    const QString payload = dir.filePath(QStringLiteral("t.db"));
    QVERIFY2(BackupArchive::extract(zip, *m, QStringLiteral("transactional.db"), payload, {}, {}, &error),
             qPrintable(error));
    QCOMPARE(SqliteInspect::integrity(payload), QStringLiteral("ok"));
    QCOMPARE(SqliteInspect::value(payload, QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY")).toLongLong(), 0);
    QVERIFY(SqliteInspect::value(f.db(Uat), QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY")).toLongLong() > 0);
    // Email addresses (type 2) blanked, as the default policy says.
    const QString emails = QStringLiteral("SELECT count(*) FROM LOGISTICSELECTRONICADDRESS WHERE TYPE = 2 AND LOCATOR <> ''");
    QCOMPARE(SqliteInspect::value(payload, emails).toLongLong(), 0);
    QVERIFY(SqliteInspect::value(f.db(Uat), emails).toLongLong() > 0);
    // The library knows it by its digest; no work files are left.
    QCOMPARE(lastBackup(f).value(QStringLiteral("sha256")).toString().toLatin1(), fileSha(zip));
    QVERIFY(!QDir(f.folder() + QStringLiteral("/work/export-op1")).exists());
    // Production is exported only through a sandbox.
    const CliRun prod = f.cli({QStringLiteral("export"), QStringLiteral("--source"), QStringLiteral("contoso-prod")});
    QVERIFY2(prod.exitedWith(3), qPrintable(prod.describe()));
    QVERIFY2(prod.errText().contains(QStringLiteral("only a sandbox can be exported")), qPrintable(prod.describe()));
}

void TestExportImport::importIntoDevTestThenRollBack()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const QString name = exported(f, &why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    const auto devBefore = SqliteInspect::digests(f.db(Dev));
    const QStringList devAdmin =
        SqliteInspect::column(f.db(Dev), QStringLiteral("SELECT NETWORKALIAS FROM USERINFO WHERE ID = 'Admin'"));
    const QStringList devServers = SqliteInspect::rows(f.db(Dev), QStringLiteral("SYSSERVERCONFIG"));
    const auto reporting = f.fileHashes(Dev).value(RefreshFixture::FinancialReporting);

    const CliRun run = f.cli(importArgs(name, Dev));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const QJsonObject op = run.json().object();
    QCOMPARE(op.value(QStringLiteral("kind")).toString(), QStringLiteral("import"));
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    // The backup's data, the environment's own records and administrator.
    QCOMPARE(SqliteInspect::value(f.db(Dev), QStringLiteral("SELECT count(*) FROM CUSTTABLE")).toLongLong(),
             SqliteInspect::value(f.db(Uat), QStringLiteral("SELECT count(*) FROM CUSTTABLE")).toLongLong());
    QCOMPARE(SqliteInspect::value(f.db(Dev), QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY")).toLongLong(), 0);
    QCOMPARE(SqliteInspect::column(f.db(Dev), QStringLiteral("SELECT NETWORKALIAS FROM USERINFO WHERE ID = 'Admin'")),
             devAdmin);
    QCOMPARE(SqliteInspect::rows(f.db(Dev), QStringLiteral("SYSSERVERCONFIG")), devServers);
    QCOMPARE(SqliteInspect::integrity(f.db(Dev)), QStringLiteral("ok"));
    QCOMPARE(f.fileHashes(Dev).value(RefreshFixture::FinancialReporting), reporting);

    // Rolled back like a refresh: the database of before, byte for byte in content.
    const CliRun rollback = f.cli({QStringLiteral("rollback"), QString::number(op.value(QStringLiteral("id")).toInteger())});
    QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Dev)), devBefore);
}

void TestExportImport::downloadAndUpload()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const QString name = exported(f, &why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("copy.zip"));
    CliRun run = f.cli({QStringLiteral("backup"), QStringLiteral("download"), name, QStringLiteral("--out"), out});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(fileSha(out), fileSha(backupFile(f, name)));
    // Not over an existing file.
    run = f.cli({QStringLiteral("backup"), QStringLiteral("download"), name, QStringLiteral("--out"), out});
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));

    run = f.cli({QStringLiteral("backup"), QStringLiteral("upload"), out, QStringLiteral("--name"),
                 QStringLiteral("uploaded")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(fileSha(backupFile(f, QStringLiteral("uploaded"))), fileSha(out));
    run = f.cli({QStringLiteral("backup"), QStringLiteral("upload"), out, QStringLiteral("--name"),
                 QStringLiteral("uploaded")});
    QVERIFY2(run.exitedWith(5), qPrintable(run.describe()));
    // The uploaded backup imports as the exported one does.
    run = f.cli(importArgs(QStringLiteral("uploaded"), Dev));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
}

void TestExportImport::refusedBackupsChangeNothing()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const QString name = exported(f, &why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    const QString zip = backupFile(f, name);
    const auto uat2 = f.folderState(QStringLiteral("contoso-uat2"));
    const auto prod = f.folderState(QStringLiteral("contoso-prod"));

    // Another release, production.
    CliRun run = f.cli(importArgs(name, QStringLiteral("contoso-uat2")));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("an import runs no data upgrade")), qPrintable(run.describe()));
    run = f.cli(importArgs(name, QStringLiteral("contoso-prod")));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("never into production")), qPrintable(run.describe()));
    QCOMPARE(f.folderState(QStringLiteral("contoso-uat2")), uat2);
    QCOMPARE(f.folderState(QStringLiteral("contoso-prod")), prod);

    // Uploads that are not whole, honest backups of this project.
    QTemporaryDir dir;
    QFile in(zip);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray bytes = in.readAll();
    const auto write = [&](const QString& file, const QByteArray& data) {
        QFile out(dir.filePath(file));
        out.open(QIODevice::WriteOnly);
        out.write(data);
        return out.fileName();
    };
    QString e;
    const QByteArray manifestJson = [&] {
        const auto m = BackupArchive::inspect(zip, &e);
        return m ? m->toJson() : QByteArray();
    }();
    QVERIFY(!manifestJson.isEmpty());
    BackupManifest otherProject = *BackupManifest::fromJson(manifestJson, &e);
    otherProject.project = QStringLiteral("fabrikam");
    QByteArray payload;
    {
        const QString extracted = dir.filePath(QStringLiteral("payload.db"));
        QVERIFY2(BackupArchive::extract(zip, otherProject, QStringLiteral("transactional.db"), extracted, {}, {}, &e),
                 qPrintable(e));
        QFile pf(extracted);
        QVERIFY(pf.open(QIODevice::ReadOnly));
        payload = pf.readAll();
    }
    struct Case
    {
        QString file;
        QString words;
    };
    const QList<Case> cases = {
        {write(QStringLiteral("truncated.zip"), bytes.left(bytes.size() / 2)), QStringLiteral("not a zip archive")},
        {write(QStringLiteral("slip.zip"), ZipFixture::build({{QStringLiteral("manifest.json"), manifestJson},
                                                              {QStringLiteral("../transactional.db"), "x"}},
                                                             &e)),
         QStringLiteral("the entry name '../transactional.db'")},
        {write(QStringLiteral("link.zip"), ZipFixture::build({{QStringLiteral("manifest.json"), manifestJson},
                                                              {QStringLiteral("transactional.db"), "/etc/passwd", 0120777}},
                                                             &e)),
         QStringLiteral("symbolic link")},
        {write(QStringLiteral("nomanifest.zip"), ZipFixture::build({{QStringLiteral("transactional.db"), "x"}}, &e)),
         QStringLiteral("no manifest.json")},
        {write(QStringLiteral("bomb.zip"),
               ZipFixture::build({{QStringLiteral("manifest.json"), manifestJson},
                                  {QStringLiteral("transactional.db"), {}, 0100644, 64LL * 1024 * 1024}},
                                 &e)),
         QStringLiteral("manifest.json says")},
        {write(QStringLiteral("short.zip"), ZipFixture::build({{QStringLiteral("manifest.json"), manifestJson},
                                                               {QStringLiteral("transactional.db"), "x"}},
                                                              &e)),
         QStringLiteral("holds 1 bytes")},
        {write(QStringLiteral("other.zip"), ZipFixture::build({{QStringLiteral("manifest.json"), otherProject.toJson()},
                                                               {QStringLiteral("transactional.db"), payload}},
                                                              &e)),
         QStringLiteral("is a backup of project fabrikam")},
    };
    const QByteArray catalogBefore = TestSupport::folderSnapshot(f.folder()).value(QStringLiteral("catalog.db"));
    for (const Case& c : cases) {
        run = f.cli({QStringLiteral("backup"), QStringLiteral("upload"), c.file});
        QVERIFY2(run.exitedWith(6), qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(c.words), qPrintable(run.describe()));
    }
    // Nothing reached the library.
    QCOMPARE(QDir(f.folder() + QStringLiteral("/assets/contoso/backups")).entryList(QDir::Files), QStringList{name + QStringLiteral(".zip")});
    QCOMPARE(TestSupport::folderSnapshot(f.folder()).value(QStringLiteral("catalog.db")), catalogBefore);
}

void TestExportImport::alteredPayloadFailsBeforeTheSwap()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const QString name = exported(f, &why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    const QString zip = backupFile(f, name);
    QString e;
    const auto m = BackupArchive::inspect(zip, &e);
    QVERIFY2(m, qPrintable(e));
    // Same sizes, other bytes: only the digest can tell.
    QTemporaryDir dir;
    const QString payload = dir.filePath(QStringLiteral("t.db"));
    QVERIFY2(BackupArchive::extract(zip, *m, QStringLiteral("transactional.db"), payload, {}, {}, &e), qPrintable(e));
    QFile p(payload);
    QVERIFY(p.open(QIODevice::ReadWrite));
    p.seek(p.size() - 10);
    p.write("tampered!!");
    p.close();
    QFile p2(payload);
    QVERIFY(p2.open(QIODevice::ReadOnly));
    const QByteArray altered = ZipFixture::build(
        {{QStringLiteral("manifest.json"), m->toJson()}, {QStringLiteral("transactional.db"), p2.readAll()}}, &e);
    const auto devBefore = SqliteInspect::digests(f.db(Dev));
    // Written over the library's file: the import refuses it at once (its SHA-256 is not
    // the one the library recorded).
    {
        QFile out(zip);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(altered);
    }
    CliRun run = f.cli(importArgs(name, Dev));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("changed since it was added to the asset library")),
             qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Dev)), devBefore);
    // Uploaded as a backup of its own (its sizes and manifest are right): the payload's
    // SHA-256 stops it at the copy, before the swap.
    const QString file = dir.filePath(QStringLiteral("altered.zip"));
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(altered);
    }
    run = f.cli({QStringLiteral("backup"), QStringLiteral("upload"), file});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = f.cli(importArgs(QStringLiteral("altered"), Dev));
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("does not match the SHA-256")), qPrintable(run.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Dev)), devBefore);
    // Abort leaves the target as it was, without the staging file.
    const CliRun abort = f.cli({QStringLiteral("abort"), QString::number(run.json().object().value(QStringLiteral("id")).toInteger())});
    QVERIFY2(abort.exitedWith(0), qPrintable(abort.describe()));
    QCOMPARE(f.leftovers(Dev), QStringList());
}

void TestExportImport::fullDiskWhileExporting()
{
    RefreshFixture f;
    QVERIFY2(f.create(8), qPrintable(f.error()));
    const QString library = f.folder() + QStringLiteral("/assets/contoso/backups");
    QVERIFY(QDir().mkpath(library));
    TmpfsMount disk;
    QString why;
    QVERIFY2(disk.mount(library, 2 * 1024 * 1024, &why), qPrintable(why));
    // The disk fills up (another program) between the check and the writing of the zip.
    CliProcess p;
    p.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_AT"), QStringLiteral("export-writing"));
    p.setEnv(QStringLiteral("DATAALM_TEST_PAUSE_MS"), QStringLiteral("3000"));
    QVERIFY(f.start(p, {QStringLiteral("export"), QStringLiteral("--source"), Uat, QStringLiteral("--json")}));
    QVERIFY(p.waitForErr(QStringLiteral("[6/7] Write backup file..."), 60000));
    {
        QFile filler(library + QStringLiteral("/filler"));
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(64 * 1024, 'x');
        while (filler.write(block) == block.size() && filler.flush()) {
        }
    }
    const CliOutcome run = p.finish(120000);
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("Write backup file")), qPrintable(run.describe()));
    // Nothing half-written in the library, nothing recorded.
    QCOMPARE(QDir(library).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{QStringLiteral("filler")});
    QVERIFY(lastBackup(f).isEmpty());
    // Abort removes the staging copy too.
    const CliRun abort = f.cli({QStringLiteral("abort"), QStringLiteral("1")});
    QVERIFY2(abort.exitedWith(0), qPrintable(abort.describe()));
    QVERIFY(!QDir(f.folder() + QStringLiteral("/work/export-op1")).exists());
    // A disk that is too small from the start is refused by Validate, with both sizes.
    QFile::remove(library + QStringLiteral("/filler"));
    QVERIFY2(TestSupport::execSqlite(f.db(Uat), {QStringLiteral("CREATE TABLE noise (x BLOB)"),
                                    QStringLiteral("INSERT INTO noise SELECT randomblob(600000) FROM "
                                                   "(SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4)")},
                        &why),
             qPrintable(why));
    const CliRun small = f.cli({QStringLiteral("export"), QStringLiteral("--source"), Uat});
    QVERIFY2(small.exitedWith(3), qPrintable(small.describe()));
    QVERIFY2(small.errText().contains(QStringLiteral("the asset library's disk has")), qPrintable(small.describe()));
}

void TestExportImport::killedWhileExportingThenResumed()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    for (const char* point : {"export-copy-mid", "export-written"}) {
        const CliOutcome killed = f.cliWith({QStringLiteral("export"), QStringLiteral("--source"), Uat},
                                            {{QStringLiteral("DATAALM_TEST_CRASH_AT"), QString::fromUtf8(point)},
                                             {QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("16")}});
        QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
        const QList<QJsonObject> ops = f.operations();
        const qint64 id = ops.first().value(QStringLiteral("id")).toInteger();
        QCOMPARE(ops.first().value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
        // Nothing is in the library until the export is.
        QVERIFY(lastBackup(f).isEmpty());
        const CliRun resume = f.cli({QStringLiteral("resume"), QString::number(id)});
        QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
        const QJsonObject b = lastBackup(f);
        QVERIFY(!b.isEmpty());
        QString e;
        QVERIFY2(BackupArchive::inspect(backupFile(f, b.value(QStringLiteral("name")).toString()), &e), qPrintable(e));
        // Rolled back, the export takes its backup out of the library.
        const CliRun rollback = f.cli({QStringLiteral("rollback"), QString::number(id)});
        QVERIFY2(rollback.exitedWith(0), qPrintable(rollback.describe()));
        QVERIFY(lastBackup(f).isEmpty());
        QCOMPARE(QDir(f.folder() + QStringLiteral("/assets/contoso/backups")).entryList(QDir::Files), QStringList());
    }
}

void TestExportImport::backupChangedUnderAnImport()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    QString why;
    const QString name = exported(f, &why);
    QVERIFY2(!name.isEmpty(), qPrintable(why));
    const QString zip = backupFile(f, name);
    const auto devBefore = SqliteInspect::digests(f.db(Dev));
    // The import is killed once Validate has passed (step 1 is Validate)...
    const CliOutcome killed = f.cliWith(importArgs(name, Dev), {{QStringLiteral("DATAALM_TEST_CRASH_AT"),
                                                                 QStringLiteral("step-1-done")}});
    QVERIFY2(killed.killedBy(SIGKILL), qPrintable(killed.describe()));
    const qint64 id = f.operations().first().value(QStringLiteral("id")).toInteger();
    // ...and the file is rewritten meanwhile: the same payload under another manifest.
    QString e;
    auto m = BackupArchive::inspect(zip, &e);
    QVERIFY2(m, qPrintable(e));
    QTemporaryDir dir;
    const QString payload = dir.filePath(QStringLiteral("t.db"));
    QVERIFY2(BackupArchive::extract(zip, *m, QStringLiteral("transactional.db"), payload, {}, {}, &e), qPrintable(e));
    m->tables.insert(QStringLiteral("CUSTTABLE"), m->tables.value(QStringLiteral("CUSTTABLE")).toInteger() + 1);
    QFile p(payload);
    QVERIFY(p.open(QIODevice::ReadOnly));
    const QByteArray altered = ZipFixture::build(
        {{QStringLiteral("manifest.json"), m->toJson()}, {QStringLiteral("transactional.db"), p.readAll()}}, &e);
    QVERIFY2(!altered.isEmpty(), qPrintable(e));
    {
        QFile out(zip);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(altered);
    }
    const CliRun resume = f.cli({QStringLiteral("resume"), QString::number(id)});
    QVERIFY2(resume.exitedWith(1), qPrintable(resume.describe()));
    QVERIFY2(resume.errText().contains(QStringLiteral("changed since the import was requested")),
             qPrintable(resume.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Dev)), devBefore);
    const CliRun abort = f.cli({QStringLiteral("abort"), QString::number(id)});
    QVERIFY2(abort.exitedWith(0), qPrintable(abort.describe()));
    QCOMPARE(SqliteInspect::digests(f.db(Dev)), devBefore);
    QCOMPARE(f.leftovers(Dev), QStringList());
}

QTEST_GUILESS_MAIN(TestExportImport)
#include "tst_exportimport.moc"
