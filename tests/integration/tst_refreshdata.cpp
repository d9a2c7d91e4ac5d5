// What a whole refresh leaves in the target, on real SQLite files through the real
// `dataalm` binary: the source's schema and rows exactly, except where the data
// policy says otherwise; and for those tables, exactly the policy's result.
// - oddIdentifiers: a non-Dynamics schema full of names that only work quoted
//   (keywords, spaces, quotes, unicode), blobs, views, triggers, indexes and a WITHOUT
//   ROWID table, refreshed with a small custom policy (--policy) whose expected
//   result is the golden case tests/data/policy/odd-identifiers.
// - demoDefaultPolicy: the demo with the built-in default policy, checked table by
//   table against docs/data-policy.md.
#include "RefreshFixture.h"
#include "SqliteInspect.h"
#include "TestSupport.h"

#include "catalog/Catalog.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using namespace TestSupport;
namespace SI = SqliteInspect;

class TestRefreshData : public QObject
{
    Q_OBJECT

private slots:
    void oddIdentifiers();
    void demoDefaultPolicy();
};

namespace {

const QString Odd = QStringLiteral(DATAALM_TEST_DATA_DIR "/policy/odd-identifiers");

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The source's extras beyond the golden case: every kind of schema object, blobs
// (empty, with zero bytes, bigger than a page), a WITHOUT ROWID table, a trigger that
// fired, a view and indexes with names that need quoting.
const char* SourceExtras = R"sql(
CREATE TABLE "audit log" (id INTEGER PRIMARY KEY, what TEXT);
CREATE TABLE "table" ("index" INTEGER PRIMARY KEY, "from" TEXT, "where" BLOB);
CREATE TRIGGER "on ""table"" insert" AFTER INSERT ON "table"
  BEGIN INSERT INTO "audit log" (what) VALUES ('inserted ' || coalesce(new."from", 'null')); END;
INSERT INTO "table" VALUES (1, 'a', x'00ff00'), (2, 'zeros', zeroblob(70000)), (3, NULL, NULL),
                           (4, 'big', randomblob(200000)), (5, 'empty', x'');
CREATE TABLE "key value" ("the key" TEXT PRIMARY KEY, "välue" BLOB, n REAL) WITHOUT ROWID;
INSERT INTO "key value" VALUES ('b', x'01', 1.5), ('a', x'', -2.25), ('c''q', NULL, 1e300), ('日本', randomblob(9000), 0);
CREATE INDEX "idx ""quoted"" 日本" ON "order" ("select", "group by");
CREATE UNIQUE INDEX "kv by n" ON "key value" (n);
CREATE VIEW "v: people & orders" AS SELECT p."login", o."select" FROM "People" p CROSS JOIN "order" o;
PRAGMA user_version = 7;
)sql";

// What the target held before: tables, a view and an index the source lacks, which
// the refresh must not leave behind.
const char* TargetExtras = R"sql(
CREATE TABLE "target only" (x TEXT);
INSERT INTO "target only" VALUES ('gone after the refresh');
CREATE VIEW "old view" AS SELECT x FROM "target only";
CREATE TABLE "People" (RECID INTEGER PRIMARY KEY, "login" TEXT, "active" INTEGER, "e-mail" TEXT, "tenant id" TEXT);
INSERT INTO "People" VALUES (9, 'uat-only', 1, 'x@uat', 'uat');
)sql";

const char* SourceFr = R"sql(
CREATE TABLE "Report ""Definitions""" (RECID INTEGER PRIMARY KEY, name TEXT, body BLOB);
INSERT INTO "Report ""Definitions""" VALUES (1, 'Balance sheet', randomblob(5000)), (2, 'P&L', x'cafe');
CREATE TABLE rows_only (a PRIMARY KEY, b, c) WITHOUT ROWID;
INSERT INTO rows_only VALUES (1, 2.5, x'00'), ('k', NULL, 'v');
)sql";

bool buildDatabase(const QString& path, const QStringList& sqlTexts, QString* error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QStringList statements{QStringLiteral("PRAGMA journal_mode = WAL")};
    statements << sqlTexts;
    return execSqlite(path, statements, error);
}

// The golden expected rows of the odd-identifiers case, by table, canonical and sorted.
QMap<QString, QStringList> goldenRows()
{
    QMap<QString, QStringList> result;
    const QDir dir(Odd + QStringLiteral("/expected"));
    for (const QString& file : dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files)) {
        const QString table = QUrl::fromPercentEncoding(file.chopped(6).toUtf8());
        QStringList rows;
        for (const QString& line : readText(dir.filePath(file)).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            rows << QString::fromUtf8(QJsonDocument::fromJson(line.toUtf8()).toJson(QJsonDocument::Compact));
        rows.sort();
        result.insert(table, rows);
    }
    return result;
}

QStringList demoKeepTargetTables()
{
    return {QStringLiteral("SYSSERVERCONFIG"),
            QStringLiteral("SYSSERVERSESSIONS"),
            QStringLiteral("SYSCORPNETPRINTERS"),
            QStringLiteral("SYSCLIENTSESSIONS"),
            QStringLiteral("BATCHSERVERCONFIG"),
            QStringLiteral("BATCHSERVERGROUP"),
            QStringLiteral("DOCUVALUE"),
            QStringLiteral("RETAILCONNDATABASEPROFILE"),
            QStringLiteral("RETAILSELFSERVICEPACKAGEINFO")};
}

QStringList demoExcludedTables()
{
    return {QStringLiteral("BATCHJOBHISTORY"),        QStringLiteral("BATCHHISTORY"),
            QStringLiteral("BATCHCONSTRAINTHISTORY"), QStringLiteral("SYSEMAILSMTPPASSWORD"),
            QStringLiteral("PRINTMGMTSETTINGS"),      QStringLiteral("PRINTMGMTDOCINSTANCE")};
}

// Tables the default policy changes column by column: the columns it writes.
QMap<QString, QStringList> demoChangedColumns()
{
    return {
        {QStringLiteral("LOGISTICSELECTRONICADDRESS"), {QStringLiteral("LOCATOR")}},
        {QStringLiteral("SYSEMAILPARAMETERS"), {QStringLiteral("SMTPRELAYSERVERNAME")}},
        {QStringLiteral("PERSONNELINTEGRATIONCONFIGURATION"), {QStringLiteral("CONNECTIONSTRING")}},
        {QStringLiteral("USERINFO"),
         {QStringLiteral("ENABLE"), QStringLiteral("PARTITION"), QStringLiteral("NETWORKALIAS"),
          QStringLiteral("NETWORKDOMAIN")}},
        {QStringLiteral("BATCHJOB"), {QStringLiteral("STATUS")}},
        {QStringLiteral("RETAILDEVICE"), {QStringLiteral("ACTIVATIONSTATUS"), QStringLiteral("TOKEN")}},
        {QStringLiteral("DMFRECURRINGJOB"), {QStringLiteral("ENABLED")}},
    };
}

qint64 count(const QString& db, const QString& sql)
{
    QString e;
    const QVariant v = SI::value(db, sql, &e);
    if (!v.isValid())
        qWarning("%s: %s", qPrintable(sql), qPrintable(e));
    return v.isValid() ? v.toLongLong() : -1;
}

} // namespace

void TestRefreshData::oddIdentifiers()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.path();

    // A project of two environments with SQLite files of our own making.
    Environment source =
        sampleEnvironment(QStringLiteral("odd-prod"), QStringLiteral("odd"), EnvironmentType::Production, folder);
    Environment target =
        sampleEnvironment(QStringLiteral("odd-uat"), QStringLiteral("odd"), EnvironmentType::Sandbox, folder);
    const QJsonObject context =
        QJsonDocument::fromJson(readText(Odd + QStringLiteral("/context.json")).toUtf8()).object();
    for (Environment* e : {&source, &target}) {
        e->tenant = context.value(QStringLiteral("tenant")).toString();
        e->versions.commerce.clear();
    }
    source.admin = QStringLiteral("root@prod");
    target.admin = context.value(QStringLiteral("administrator")).toString();
    {
        Catalog catalog;
        QString error;
        QVERIFY2(catalog.open(folder, &error), qPrintable(error));
        QVERIFY2(catalog.addProject({QStringLiteral("odd"), QStringLiteral("Odd names"), QString()}, &error),
                 qPrintable(error));
        QVERIFY2(catalog.addEnvironment(source, &error), qPrintable(error));
        QVERIFY2(catalog.addEnvironment(target, &error), qPrintable(error));
    }
    const QString srcDb = source.database(DatabaseRef::Transactional)->path;
    const QString srcFr = source.database(DatabaseRef::FinancialReporting)->path;
    const QString tgtDb = target.database(DatabaseRef::Transactional)->path;
    const QString tgtFr = target.database(DatabaseRef::FinancialReporting)->path;
    QString error;
    QVERIFY2(
        buildDatabase(srcDb, {readText(Odd + QStringLiteral("/source.sql")), QString::fromUtf8(SourceExtras)}, &error),
        qPrintable(error));
    QVERIFY2(
        buildDatabase(tgtDb, {readText(Odd + QStringLiteral("/target.sql")), QString::fromUtf8(TargetExtras)}, &error),
        qPrintable(error));
    QVERIFY2(buildDatabase(srcFr, {QString::fromUtf8(SourceFr)}, &error), qPrintable(error));
    QVERIFY2(buildDatabase(tgtFr, {QStringLiteral("CREATE TABLE old (x); INSERT INTO old VALUES (1);")}, &error),
             qPrintable(error));

    const QStringList sourceSchema = SI::schema(srcDb);
    const QMap<QString, QByteArray> sourceFr = SI::digests(srcFr);
    QVERIFY(SI::schema(tgtDb) != sourceSchema);
    QCOMPARE(SI::value(srcDb, QStringLiteral("SELECT count(*) FROM \"audit log\"")).toLongLong(), qint64(5));

    const CliRun run =
        runCli({QStringLiteral("refresh"), QStringLiteral("--source"), source.id, QStringLiteral("--target"), target.id,
                QStringLiteral("--yes"), QStringLiteral("--policy"), Odd + QStringLiteral("/policy.json"),
                QStringLiteral("--catalog"), folder});
    QVERIFY2(run.exitedWith(0), qPrintable(run.errLines().mid(run.errLines().size() - 8).join(QLatin1Char('\n'))));

    // The source's schema exactly: its views, triggers and indexes, none of the target's.
    QCOMPARE(SI::schema(tgtDb), sourceSchema);
    QCOMPARE(SI::integrity(tgtDb), QStringLiteral("ok"));
    QVERIFY(!SI::hasTable(tgtDb, QStringLiteral("target only")));

    // Every table: the policy's golden result, or the source's rows exactly.
    const QMap<QString, QStringList> golden = goldenRows();
    QCOMPARE(golden.size(), 5);
    const QStringList tables = SI::tables(srcDb);
    QCOMPARE(SI::tables(tgtDb), tables);
    for (const QString& t : tables) {
        if (golden.contains(t))
            QVERIFY2(SI::rows(tgtDb, t) == golden.value(t),
                     qPrintable(QStringLiteral("%1: %2").arg(t, SI::rows(tgtDb, t).join(QLatin1Char('\n')))));
        else
            QVERIFY2(SI::rows(tgtDb, t) == SI::rows(srcDb, t), qPrintable(t));
    }
    for (const QString& t : golden.keys())
        QVERIFY2(tables.contains(t), qPrintable(t));
    // The blobs arrived byte for byte (rows() compares them as hex; the sizes say they are not empty).
    QCOMPARE(SI::value(tgtDb, QStringLiteral("SELECT sum(length(\"where\")) FROM \"table\"")).toLongLong(),
             qint64(3 + 70000 + 200000));
    // The trigger came along, and works in the target.
    QVERIFY2(execSqlite(tgtDb, {QStringLiteral("INSERT INTO \"table\" (\"from\") VALUES ('after')")}, &error),
             qPrintable(error));
    QCOMPARE(SI::value(tgtDb, QStringLiteral("SELECT count(*) FROM \"audit log\"")).toLongLong(), qint64(6));

    // The financial reporting database: the source's, whole.
    QCOMPARE(SI::digests(tgtFr), sourceFr);
}

void TestRefreshData::demoDefaultPolicy()
{
    RefreshFixture f;
    QVERIFY2(f.create(4), qPrintable(f.error()));
    const QString uatAdmin = QStringLiteral("uat-admin@contoso.onmicrosoft.com");
    {
        // The target's administrator differs from the source's, so that the reset is visible.
        Catalog catalog;
        QString error;
        QVERIFY2(catalog.open(f.folder(), &error), qPrintable(error));
        auto uat = catalog.environment(QStringLiteral("contoso-uat"));
        QVERIFY(uat);
        uat->admin = uatAdmin;
        QVERIFY2(catalog.updateEnvironment(*uat, &error), qPrintable(error));
    }
    const QString src = f.db(QStringLiteral("contoso-prod"));
    const QString tgt = f.db(QStringLiteral("contoso-uat"));
    const QString srcFr = f.db(QStringLiteral("contoso-prod"), RefreshFixture::FinancialReporting);
    const QString tgtFr = f.db(QStringLiteral("contoso-uat"), RefreshFixture::FinancialReporting);

    QMap<QString, QStringList> keptRows;
    for (const QString& t : demoKeepTargetTables()) {
        keptRows.insert(t, SI::rows(tgt, t));
        QVERIFY2(!keptRows.value(t).isEmpty(), qPrintable(t));
        QVERIFY2(keptRows.value(t) != SI::rows(src, t), qPrintable(t)); // else the test could not fail
    }
    for (const QString& t : demoExcludedTables())
        QVERIFY2(count(src, QStringLiteral("SELECT count(*) FROM %1").arg(t)) > 0, qPrintable(t));
    const QStringList sourceSchema = SI::schema(src);
    const QStringList sourceFrSchema = SI::schema(srcFr);
    const QMap<QString, QByteArray> sourceFr = SI::digests(srcFr);
    const QMap<QString, QByteArray> sourceTables = SI::digests(src);
    QVERIFY(count(src, QStringLiteral("SELECT count(*) FROM BATCHJOB WHERE STATUS <> 0")) > 0);
    QVERIFY(count(src, QStringLiteral("SELECT count(*) FROM USERINFO WHERE ENABLE = 1 AND ID NOT IN ('Admin', "
                                      "'RetailServiceAccount', 'FRServiceUser')")) > 0);
    QVERIFY(count(src, QStringLiteral("SELECT count(*) FROM LOGISTICSELECTRONICADDRESS WHERE TYPE = 2 AND LOCATOR "
                                      "<> ''")) > 0);

    const CliRun run = f.cli(RefreshFixture::refreshArgs());
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));

    QCOMPARE(SI::schema(tgt), sourceSchema);
    QCOMPARE(SI::schema(tgtFr), sourceFrSchema);
    QCOMPARE(SI::integrity(tgt), QStringLiteral("ok"));
    QCOMPARE(SI::digests(tgtFr), sourceFr);

    const QMap<QString, QStringList> changed = demoChangedColumns();
    const QStringList kept = demoKeepTargetTables();
    const QStringList excluded = demoExcludedTables();
    for (const QString& t : SI::tables(src)) {
        if (kept.contains(t))
            QVERIFY2(SI::rows(tgt, t) == keptRows.value(t), qPrintable(t + QStringLiteral(": not the target's rows")));
        else if (excluded.contains(t))
            QVERIFY2(count(tgt, QStringLiteral("SELECT count(*) FROM %1").arg(t)) == 0, qPrintable(t));
        else if (changed.contains(t))
            QVERIFY2(SI::rows(tgt, t, changed.value(t)) == SI::rows(src, t, changed.value(t)),
                     qPrintable(t + QStringLiteral(": columns the policy does not write changed")));
        else
            QVERIFY2(SI::tableDigest(tgt, t) == sourceTables.value(t), qPrintable(t));
    }

    // Column by column, docs/data-policy.md's "What the refreshed target holds".
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM LOGISTICSELECTRONICADDRESS WHERE TYPE = 2 AND LOCATOR <> "
                                       "''")),
             qint64(0));
    QCOMPARE(SI::column(tgt, QStringLiteral("SELECT RECID || ':' || quote(LOCATOR) FROM LOGISTICSELECTRONICADDRESS "
                                            "WHERE TYPE <> 2 ORDER BY RECID")),
             SI::column(src, QStringLiteral("SELECT RECID || ':' || quote(LOCATOR) FROM LOGISTICSELECTRONICADDRESS "
                                            "WHERE TYPE <> 2 ORDER BY RECID")));
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM SYSEMAILPARAMETERS WHERE SMTPRELAYSERVERNAME <> ''")),
             qint64(0));
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM PERSONNELINTEGRATIONCONFIGURATION WHERE "
                                       "CONNECTIONSTRING <> ''")),
             qint64(0));
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM BATCHJOB WHERE STATUS IS NOT 0")), qint64(0));
    QVERIFY(count(tgt, QStringLiteral("SELECT count(*) FROM BATCHJOB")) > 0);
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM RETAILDEVICE WHERE ACTIVATIONSTATUS IS NOT 2 OR TOKEN "
                                       "IS NOT ''")),
             qint64(0));
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM DMFRECURRINGJOB WHERE ENABLED IS NOT 0")), qint64(0));

    // Users: every one but Admin and the service accounts disabled, all in the initial
    // partition, and Admin is the target's administrator.
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM USERINFO WHERE ENABLE <> 0 AND ID NOT IN ('Admin', "
                                       "'RetailServiceAccount', 'FRServiceUser')")),
             qint64(0));
    QCOMPARE(SI::column(tgt, QStringLiteral("SELECT ID || ':' || ENABLE FROM USERINFO WHERE ID IN "
                                            "('RetailServiceAccount', 'FRServiceUser') ORDER BY ID")),
             SI::column(src, QStringLiteral("SELECT ID || ':' || ENABLE FROM USERINFO WHERE ID IN "
                                            "('RetailServiceAccount', 'FRServiceUser') ORDER BY ID")));
    QCOMPARE(count(tgt, QStringLiteral("SELECT count(*) FROM USERINFO WHERE PARTITION IS NOT (SELECT RECID FROM "
                                       "PARTITIONS WHERE PARTITIONKEY = 'initial')")),
             qint64(0));
    QCOMPARE(SI::column(tgt, QStringLiteral("SELECT ENABLE || '|' || NETWORKALIAS || '|' || NETWORKDOMAIN FROM "
                                            "USERINFO WHERE ID = 'Admin'")),
             QStringList{QStringLiteral("1|%1|contoso.onmicrosoft.com").arg(uatAdmin)});
    QCOMPARE(SI::column(tgt, QStringLiteral("SELECT ID || '|' || NETWORKALIAS || '|' || NETWORKDOMAIN FROM USERINFO "
                                            "WHERE ID <> 'Admin' ORDER BY ID")),
             SI::column(src, QStringLiteral("SELECT ID || '|' || NETWORKALIAS || '|' || NETWORKDOMAIN FROM USERINFO "
                                            "WHERE ID <> 'Admin' ORDER BY ID")));

    // Nothing left beside the target but the restore point of this operation.
    QCOMPARE(f.leftovers(QStringLiteral("contoso-uat")),
             (QStringList{QStringLiteral("financial-reporting.db.restore-op1"),
                          QStringLiteral("transactional.db.restore-op1")}));
}

QTEST_GUILESS_MAIN(TestRefreshData)
#include "tst_refreshdata.moc"
