// Bad input changes nothing, through the real `dataalm` binary on the demo: an
// unknown environment (exit 4), the source as target (3), a target database that is
// missing or on a read-only mount (3, the preflight says why), and a disk that fills
// up in the middle of the copy (the step fails with SQLite's "database or disk is
// full", the operation is Failed, the target untouched, the staging copy removed).
#include "CliProcess.h"
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"
#include "TmpfsMount.h"

#include <QDir>
#include <QFile>
#include <QtTest>

class TestRefreshBadInput : public QObject
{
    Q_OBJECT

private slots:
    void unknownEnvironment_data();
    void unknownEnvironment();
    void sourceIsTarget();
    void missingTargetDatabase();
    void readOnlyTarget();
    void diskFullMidCopy();
};

namespace {

const QString Prod = QStringLiteral("contoso-prod");
const QString Uat = QStringLiteral("contoso-uat");

QStringList preflightArgs(const QString& source, const QString& target)
{
    return {QStringLiteral("preflight"), QStringLiteral("--source"), source, QStringLiteral("--target"), target};
}

} // namespace

void TestRefreshBadInput::unknownEnvironment_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::newRow("unknown source") << QStringLiteral("contoso-nope") << Uat;
    QTest::newRow("unknown target") << Prod << QStringLiteral("contoso-nope");
}

void TestRefreshBadInput::unknownEnvironment()
{
    QFETCH(QString, source);
    QFETCH(QString, target);
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = TestSupport::folderSnapshot(QDir(f.folder()).filePath(QStringLiteral("environments")));

    for (const QStringList& args : {RefreshFixture::refreshArgs(source, target), preflightArgs(source, target)}) {
        const CliRun run = f.cli(args);
        QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(QLatin1String("unknown environment 'contoso-nope'")),
                 qPrintable(run.errText()));
        QCOMPARE(run.out, QByteArray());
    }
    QCOMPARE(TestSupport::folderSnapshot(QDir(f.folder()).filePath(QStringLiteral("environments"))), before);
    QCOMPARE(f.operations().size(), 0);
}

void TestRefreshBadInput::sourceIsTarget()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    const auto before = f.folderState(Uat);
    const CliRun run = f.cli(RefreshFixture::refreshArgs(Uat, Uat));
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("The source and the target are both contoso-uat")),
             qPrintable(run.errText()));
    QCOMPARE(f.folderState(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshBadInput::missingTargetDatabase()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(f.db(Uat) + suffix);
    const auto before = f.folderState(Uat);
    const auto sourceBefore = f.folderState(Prod);

    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("Cannot open the transactional database of contoso-uat")),
             qPrintable(run.errText()));
    QVERIFY2(run.errText().contains(QLatin1String("does not exist")), qPrintable(run.errText()));
    QCOMPARE(f.folderState(Uat), before);
    QCOMPARE(f.folderState(Prod), sourceBefore);
    QVERIFY(!QFile::exists(f.db(Uat)));
    QCOMPARE(f.leftovers(Uat), QStringList());
}

void TestRefreshBadInput::readOnlyTarget()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    TmpfsMount mount;
    QString error;
    if (!mount.mount(f.environmentFolder(Uat), 8 * 1024 * 1024, &error) || !mount.remountReadOnly(&error))
        QFAIL(qPrintable(QStringLiteral("cannot mount a read-only tmpfs (this test needs root, as CI has): %1").arg(error)));
    const auto before = f.folderState(Uat);
    QVERIFY(!before.isEmpty());

    for (const QStringList& args : {preflightArgs(Prod, Uat), RefreshFixture::refreshArgs()}) {
        const CliRun run = f.cli(args);
        QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
        // The preflight names the cause: the folder cannot be written.
        const QString said = run.outText() + run.errText();
        QVERIFY2(said.contains(QStringLiteral("Cannot open the transactional database of contoso-uat (%1): its "
                                              "folder %2 cannot be written (Read-only file system)")
                                   .arg(f.db(Uat), f.environmentFolder(Uat))),
                 qPrintable(said));
    }
    QCOMPARE(f.folderState(Uat), before);
    QCOMPARE(f.operations().first().value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
}

void TestRefreshBadInput::diskFullMidCopy()
{
    RefreshFixture f;
    QVERIFY2(f.create(2), qPrintable(f.error()));
    // Room enough for the preflight's capacity check (the copy plus 10% plus 16 MiB)...
    TmpfsMount mount;
    QString error;
    if (!mount.mount(f.environmentFolder(Uat), 24 * 1024 * 1024, &error))
        QFAIL(qPrintable(QStringLiteral("cannot mount a tmpfs (this test needs root, as CI has): %1").arg(error)));
    const auto before = f.fileHashes(Uat);

    // ... until another program fills the disk once the copy has begun.
    CliProcess refresh;
    refresh.setEnv(QStringLiteral("DATAALM_TEST_COPY_PAGES"), QStringLiteral("4"));
    refresh.setEnv(QStringLiteral("DATAALM_TEST_COPY_DELAY_MS"), QStringLiteral("20"));
    QVERIFY(f.start(refresh, RefreshFixture::refreshArgs()));
    QVERIFY2(refresh.waitForErr(QStringLiteral("[3/10] Copy transactional database...")),
             refresh.errSoFar().constData());
    const QString filler = QDir(f.environmentFolder(Uat)).filePath(QStringLiteral("filler.bin"));
    {
        QFile file(filler);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray block(64 * 1024, 'f');
        while (mount.freeBytes() > 128 * 1024)
            QVERIFY(file.write(block) == block.size());
    }
    const CliOutcome run = refresh.finish();
    QVERIFY2(run.exitedWith(1), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QLatin1String("database or disk is full")), qPrintable(run.errText()));

    const QJsonObject op = f.operation(1);
    QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("Failed"));
    QVERIFY2(op.value(QStringLiteral("error")).toString().contains(QLatin1String("database or disk is full")),
             qPrintable(op.value(QStringLiteral("error")).toString()));
    QCOMPARE(f.fileHashes(Uat), before);
    QCOMPARE(f.leftovers(Uat), QStringList{QStringLiteral("filler.bin")}); // no staging copy
    for (const QString& role : {RefreshFixture::Transactional, RefreshFixture::FinancialReporting})
        QCOMPARE(SqliteInspect::integrity(f.db(Uat, role)), QStringLiteral("ok"));

    // Once there is room again, the refresh resumes from the failed copy and completes.
    QVERIFY(QFile::remove(filler));
    const CliRun resume = f.cli({QStringLiteral("resume"), QStringLiteral("1")});
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
    QCOMPARE(f.operation(1).value(QStringLiteral("state")).toString(), QStringLiteral("Completed"));
    QCOMPARE(SqliteInspect::integrity(f.db(Uat)), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestRefreshBadInput)
#include "tst_refreshbadinput.moc"
