// DemoGenerator: the demo project of docs/ARCHITECTURE.md ("Demo project") written into real
// SQLite files and registered in a real catalog.

#include "TestSupport.h"
#include "catalog/Catalog.h"
#include "demo/DemoGenerator.h"
#include "policy/DataPolicy.h"
#include "engine/PolicyCounter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <memory>

namespace {

constexpr qint64 MiB = 1024 * 1024;

// The tables and columns of docs/data-policy.md ("Dynamics 365 tables"), written down here from
// the document (not from the generator), with the constraints it gives.
struct Column
{
    const char* name;
    const char* type;
    bool notNull = false;
    bool unique = false;
};
struct Table
{
    const char* name;
    QList<Column> columns;
};

const QList<Table>& referenceTables()
{
    static const QList<Table> tables = {
        {"PARTITIONS", {{"PARTITIONKEY", "TEXT", false, true}, {"NAME", "TEXT"}}},
        {"USERINFO",
         {{"ID", "TEXT", true, true},
          {"NAME", "TEXT"},
          {"ENABLE", "INTEGER", true},
          {"NETWORKDOMAIN", "TEXT"},
          {"NETWORKALIAS", "TEXT"},
          {"COMPANY", "TEXT"},
          {"PARTITION", "INTEGER", true}}},
        {"BATCHJOB",
         {{"CAPTION", "TEXT"},
          {"STATUS", "INTEGER"},
          {"ORIGSTARTDATETIME", "TEXT"},
          {"RECURRENCEDATA", "TEXT"},
          {"COMPANY", "TEXT"}}},
        {"BATCHJOBHISTORY",
         {{"BATCHJOBID", "INTEGER"},
          {"CAPTION", "TEXT"},
          {"STATUS", "INTEGER"},
          {"STARTDATETIME", "TEXT"},
          {"ENDDATETIME", "TEXT"}}},
        {"BATCHHISTORY",
         {{"BATCHJOBHISTORYID", "INTEGER"}, {"CAPTION", "TEXT"}, {"STATUS", "INTEGER"}, {"INFO", "TEXT"}}},
        {"BATCHCONSTRAINTHISTORY",
         {{"BATCHHISTORYID", "INTEGER"}, {"DEPENDSONBATCHID", "INTEGER"}, {"EXPECTEDSTATUS", "INTEGER"}}},
        {"LOGISTICSELECTRONICADDRESS",
         {{"LOCATION", "INTEGER"},
          {"TYPE", "INTEGER"},
          {"LOCATOR", "TEXT"},
          {"DESCRIPTION", "TEXT"},
          {"ISPRIMARY", "INTEGER"}}},
        {"SYSEMAILPARAMETERS",
         {{"SMTPRELAYSERVERNAME", "TEXT"}, {"SMTPPORTNUMBER", "INTEGER"}, {"SMTPUSERNAME", "TEXT"}}},
        {"SYSEMAILSMTPPASSWORD", {{"PASSWORD", "BLOB"}}},
        {"PRINTMGMTSETTINGS", {{"PARENTID", "INTEGER"}, {"DESCRIPTION", "TEXT"}, {"PRINTJOBSETTINGS", "BLOB"}}},
        {"PRINTMGMTDOCINSTANCE", {{"DOCUMENTTYPE", "INTEGER"}, {"NAME", "TEXT"}}},
        {"SYSSERVERCONFIG", {{"SERVERID", "TEXT"}, {"ENABLEBATCH", "INTEGER"}, {"MAXSESSIONS", "INTEGER"}}},
        {"SYSSERVERSESSIONS", {{"SERVERID", "TEXT"}, {"STATUS", "INTEGER"}, {"LOGINDATETIME", "TEXT"}}},
        {"SYSCORPNETPRINTERS", {{"PRINTERNAME", "TEXT"}, {"PRINTERDEVICE", "TEXT"}}},
        {"SYSCLIENTSESSIONS", {{"SESSIONID", "INTEGER"}, {"USERID", "TEXT"}, {"STATUS", "INTEGER"}}},
        {"BATCHSERVERCONFIG", {{"SERVERID", "TEXT"}, {"MAXBATCHSESSIONS", "INTEGER"}}},
        {"BATCHSERVERGROUP", {{"GROUPID", "TEXT"}, {"SERVERID", "TEXT"}}},
        {"DOCUVALUE", {{"FILENAME", "TEXT"}, {"FILETYPE", "TEXT"}, {"FILE", "BLOB"}}},
        {"PERSONNELINTEGRATIONCONFIGURATION", {{"NAME", "TEXT"}, {"CONNECTIONSTRING", "TEXT"}}},
        {"DMFRECURRINGJOB", {{"NAME", "TEXT"}, {"ENABLED", "INTEGER"}, {"PENDINGMESSAGES", "INTEGER"}}},
        {"RETAILCONNDATABASEPROFILE", {{"NAME", "TEXT"}, {"CONNECTIONSTRING", "TEXT"}}},
        {"RETAILCDXDATAGROUP", {{"NAME", "TEXT"}}},
        {"RETAILSELFSERVICEPACKAGEINFO", {{"NAME", "TEXT"}, {"VERSION", "TEXT"}, {"INSTALLERTYPE", "TEXT"}}},
        {"RETAILDEVICE", {{"DEVICEID", "TEXT"}, {"ACTIVATIONSTATUS", "INTEGER"}, {"TOKEN", "TEXT"}}},
    };
    return tables;
}

// The keep-target tables of the default policy: each environment's rows are its own.
const QStringList KeepTargetTables = {
    QStringLiteral("SYSSERVERCONFIG"),
    QStringLiteral("SYSSERVERSESSIONS"),
    QStringLiteral("SYSCORPNETPRINTERS"),
    QStringLiteral("SYSCLIENTSESSIONS"),
    QStringLiteral("BATCHSERVERCONFIG"),
    QStringLiteral("BATCHSERVERGROUP"),
    QStringLiteral("DOCUVALUE"),
    QStringLiteral("RETAILCONNDATABASEPROFILE"),
    QStringLiteral("RETAILSELFSERVICEPACKAGEINFO"),
};

const QStringList BusinessTables = {
    QStringLiteral("CUSTTABLE"),
    QStringLiteral("VENDTABLE"),
    QStringLiteral("INVENTTABLE"),
    QStringLiteral("SALESTABLE"),
    QStringLiteral("SALESLINE"),
    QStringLiteral("GENERALJOURNALENTRY"),
    QStringLiteral("GENERALJOURNALACCOUNTENTRY"),
};

// A read-only connection to one generated file, through the sqlite3 C API.
class Sqlite
{
public:
    explicit Sqlite(const QString& path)
    {
        if (sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    }
    ~Sqlite() { sqlite3_close(m_db); }
    Sqlite(const Sqlite&) = delete;
    Sqlite& operator=(const Sqlite&) = delete;

    bool isOpen() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // Every row of `sql`, each value as a QVariant (blobs as QByteArray).
    QList<QVariantList> rows(const QString& sql)
    {
        QList<QVariantList> result;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.toUtf8().constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            m_error = QString::fromUtf8(sqlite3_errmsg(m_db)) + QStringLiteral(" in ") + sql;
            return result;
        }
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            QVariantList row;
            for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                switch (sqlite3_column_type(stmt, i)) {
                case SQLITE_INTEGER:
                    row.append(qint64(sqlite3_column_int64(stmt, i)));
                    break;
                case SQLITE_FLOAT:
                    row.append(sqlite3_column_double(stmt, i));
                    break;
                case SQLITE_TEXT:
                    row.append(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                                                 sqlite3_column_bytes(stmt, i)));
                    break;
                case SQLITE_BLOB:
                    row.append(QByteArray(static_cast<const char*>(sqlite3_column_blob(stmt, i)),
                                          sqlite3_column_bytes(stmt, i)));
                    break;
                default:
                    row.append(QVariant());
                }
            }
            result.append(row);
        }
        sqlite3_finalize(stmt);
        return result;
    }

    QVariant value(const QString& sql)
    {
        const auto r = rows(sql);
        return r.isEmpty() || r.first().isEmpty() ? QVariant() : r.first().first();
    }
    qint64 count(const QString& sql) { return value(sql).toLongLong(); }
    QStringList column(const QString& sql)
    {
        QStringList result;
        for (const auto& r : rows(sql))
            result.append(r.value(0).toString());
        return result;
    }

    // A SHA-256 over every value of every row, in RECID order, with types.
    QByteArray tableHash(const QString& table)
    {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        for (const auto& row : rows(QStringLiteral("SELECT * FROM \"%1\" ORDER BY RECID").arg(table))) {
            for (const QVariant& v : row) {
                hash.addData(QByteArray::number(v.typeId()));
                hash.addData(v.typeId() == QMetaType::QByteArray ? v.toByteArray() : v.toString().toUtf8());
                hash.addData(QByteArrayView("\x1f", 1));
            }
            hash.addData(QByteArrayView("\x1e", 1));
        }
        return hash.result().toHex();
    }

private:
    sqlite3* m_db = nullptr;
    QString m_error;
};

QString dbPath(const Environment& e, const QString& role)
{
    const DatabaseRef* ref = e.database(role);
    return ref ? ref->path : QString();
}

} // namespace

class TestDemoGenerator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void registersFiveEnvironments();
    void otherProjectNamesItsEnvironments();
    void everyReferenceTableHasItsColumnsAndRows();
    void adminAndServiceAccounts();
    void everyPolicyRuleHasRowsToActOn();
    void defaultPolicyHasRowsToActOnEverywhere();
    void dataJobsDependOnTheEnvironmentType();
    void commerceDefaults();
    void keepTargetTablesNameTheirOwnEnvironment();
    void businessTablesIndexesViewsAndTriggers();
    void financialReportingDatabases();
    void databasesAreSoundAndInWalMode();
    void progressIsReported();
    void deterministic();
    void productionSizeWithinTolerance_data();
    void productionSizeWithinTolerance();
    void secondGenerationFailsAndChangesNothing();
    void failureRemovesEverythingItCreated();
    void unreachablePostgresChangesNothing();
    void cliCreatesTheDemoProject();

private:
    std::unique_ptr<TemporaryCatalog> m_catalog;
    QList<Environment> m_envs;
    QList<std::pair<qint64, qint64>> m_progress;
    qint64 m_progressTotal = 0;
};

void TestDemoGenerator::initTestCase()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    DemoGenerator generator(m_catalog->catalog());
    DemoGenerator::Options options;
    options.sizeMb = 8;
    QString error;
    const bool ok = generator.generate(options, &error, [this](const QString& what, qint64 done, qint64 total) {
        QVERIFY(!what.isEmpty());
        m_progress.append({done, total});
        m_progressTotal = total;
    });
    QVERIFY2(ok, qPrintable(error));
    m_envs = (*m_catalog)->environments(QStringLiteral("contoso"));
    QCOMPARE(m_envs.size(), 5);
}

void TestDemoGenerator::registersFiveEnvironments()
{
    Catalog& catalog = m_catalog->catalog();
    QVERIFY(catalog.project(QStringLiteral("contoso")).has_value());

    struct Expected
    {
        const char* id;
        EnvironmentType type;
        const char* application;
        int platform;
        const char* fr;
        bool commerce;
        const char* tenant;
    };
    const Expected expected[] = {
        {"contoso-prod", EnvironmentType::Production, "10.0.40", 64, "7.0.10040.3", true, "contoso.onmicrosoft.com"},
        {"contoso-uat", EnvironmentType::Sandbox, "10.0.40", 64, "7.0.10040.5", true, "contoso.onmicrosoft.com"},
        {"contoso-uat2", EnvironmentType::Sandbox, "10.0.39", 63, "7.0.10039.1", true, "contoso.onmicrosoft.com"},
        {"contoso-dev", EnvironmentType::DevTest, "10.0.40", 64, "7.0.10040.5", false, "contoso.onmicrosoft.com"},
        {"fabrikam-uat", EnvironmentType::Sandbox, "10.0.40", 64, "7.0.10040.5", true, "fabrikam.onmicrosoft.com"},
    };
    for (const auto& x : expected) {
        const auto e = catalog.environment(QLatin1String(x.id));
        QVERIFY2(e.has_value(), x.id);
        QCOMPARE(e->projectId, QStringLiteral("contoso"));
        QCOMPARE(e->type, x.type);
        QCOMPARE(e->versions.application, QLatin1String(x.application));
        QCOMPARE(e->versions.platform, x.platform);
        QCOMPARE(e->versions.financialReporting, QLatin1String(x.fr));
        QCOMPARE(e->hasCommerce(), x.commerce);
        QCOMPARE(e->tenant, QLatin1String(x.tenant));
        QCOMPARE(e->admin, QStringLiteral("admin@") + QLatin1String(x.tenant));
        QVERIFY(!e->name.isEmpty());
        QCOMPARE(e->databases.size(), 2);
        for (const QString& role : {DatabaseRef::Transactional, DatabaseRef::FinancialReporting}) {
            const DatabaseRef* db = e->database(role);
            QVERIFY2(db, qPrintable(role));
            QCOMPARE(db->driver, DatabaseRef::Sqlite);
            const QString file = role == DatabaseRef::Transactional ? QStringLiteral("transactional.db")
                                                                    : QStringLiteral("financial-reporting.db");
            QCOMPARE(db->path,
                     QDir(m_catalog->folder())
                         .absoluteFilePath(QStringLiteral("environments/%1/%2").arg(QLatin1String(x.id), file)));
            QVERIFY2(QFileInfo(db->path).isFile(), qPrintable(db->path));
        }
    }
    QCOMPARE(catalog.environment(QStringLiteral("contoso-prod"))->name, QStringLiteral("Contoso production"));
    QCOMPARE(catalog.environment(QStringLiteral("contoso-uat"))->name, QStringLiteral("Contoso UAT"));
}

void TestDemoGenerator::otherProjectNamesItsEnvironments()
{
    TemporaryCatalog catalog;
    QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
    DemoGenerator::Options options;
    options.project = QStringLiteral("northwind");
    options.sizeMb = 1;
    QString error;
    QVERIFY2(DemoGenerator(catalog.catalog()).generate(options, &error), qPrintable(error));
    QStringList ids;
    for (const auto& e : catalog->environments(QStringLiteral("northwind"))) {
        ids.append(e.id);
        QCOMPARE(e.tenant, e.id.contains(QLatin1String("fabrikam")) ? QStringLiteral("fabrikam.onmicrosoft.com")
                                                                    : QStringLiteral("northwind.onmicrosoft.com"));
    }
    ids.sort();
    QCOMPARE(ids, QStringList({QStringLiteral("northwind-dev"), QStringLiteral("northwind-fabrikam-uat"),
                               QStringLiteral("northwind-prod"), QStringLiteral("northwind-uat"),
                               QStringLiteral("northwind-uat2")}));
    Sqlite db(dbPath(*catalog->environment(QStringLiteral("northwind-uat")), DatabaseRef::Transactional));
    QCOMPARE(db.value(QStringLiteral("SELECT NETWORKALIAS FROM USERINFO WHERE ID = 'Admin'")).toString(),
             QStringLiteral("admin@northwind.onmicrosoft.com"));
    QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM SYSSERVERCONFIG WHERE SERVERID LIKE 'NORTHWIND-UAT-%'")),
             db.count(QStringLiteral("SELECT count(*) FROM SYSSERVERCONFIG")));
}

void TestDemoGenerator::everyReferenceTableHasItsColumnsAndRows()
{
    for (const auto& e : m_envs) {
        Sqlite db(dbPath(e, DatabaseRef::Transactional));
        QVERIFY2(db.isOpen(), qPrintable(db.error()));
        for (const auto& table : referenceTables()) {
            const QString name = QLatin1String(table.name);
            const auto info = db.rows(QStringLiteral("PRAGMA table_info(\"%1\")").arg(name));
            QVERIFY2(!info.isEmpty(), qPrintable(e.id + QLatin1Char(' ') + name));
            // RECID INTEGER PRIMARY KEY, then exactly the document's columns in its order.
            QCOMPARE(info.size(), table.columns.size() + 1);
            QCOMPARE(info.at(0).at(1).toString(), QStringLiteral("RECID"));
            QCOMPARE(info.at(0).at(2).toString(), QStringLiteral("INTEGER"));
            QCOMPARE(info.at(0).at(5).toInt(), 1);
            QStringList uniqueColumns;
            for (const auto& index : db.rows(QStringLiteral("PRAGMA index_list(\"%1\")").arg(name))) {
                if (index.at(2).toInt() == 1) {
                    const auto cols = db.rows(QStringLiteral("PRAGMA index_info(\"%1\")").arg(index.at(1).toString()));
                    if (cols.size() == 1)
                        uniqueColumns.append(cols.first().at(2).toString());
                }
            }
            for (int i = 0; i < table.columns.size(); ++i) {
                const Column& c = table.columns.at(i);
                const QString where = e.id + QLatin1Char(' ') + name + QLatin1Char('.') + QLatin1String(c.name);
                QVERIFY2(info.at(i + 1).at(1).toString() == QLatin1String(c.name), qPrintable(where));
                QVERIFY2(info.at(i + 1).at(2).toString() == QLatin1String(c.type), qPrintable(where));
                QVERIFY2(info.at(i + 1).at(3).toBool() == c.notNull, qPrintable(where + QStringLiteral(" NOT NULL")));
                QVERIFY2(uniqueColumns.contains(QLatin1String(c.name)) == c.unique,
                         qPrintable(where + QStringLiteral(" UNIQUE")));
            }
            QVERIFY2(db.count(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(name)) > 0,
                     qPrintable(e.id + QStringLiteral(": no rows in ") + name));
        }
        QVERIFY(db.isOpen());
    }
}

void TestDemoGenerator::adminAndServiceAccounts()
{
    for (const auto& e : m_envs) {
        Sqlite db(dbPath(e, DatabaseRef::Transactional));
        const auto admin = db.rows(
            QStringLiteral("SELECT u.NAME, u.ENABLE, u.NETWORKALIAS, u.NETWORKDOMAIN, p.PARTITIONKEY FROM USERINFO u "
                           "JOIN PARTITIONS p ON p.RECID = u.PARTITION WHERE u.ID = 'Admin'"));
        QCOMPARE(admin.size(), 1);
        QCOMPARE(admin.first().at(1).toInt(), 1);
        QCOMPARE(admin.first().at(2).toString(), e.admin);
        QCOMPARE(admin.first().at(3).toString(), e.tenant);
        QCOMPARE(admin.first().at(4).toString(), QStringLiteral("initial"));
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM USERINFO WHERE ID IN ('RetailServiceAccount', "
                                         "'FRServiceUser') AND ENABLE = 1")),
                 2);
        // Ordinary users, mostly enabled: the users rule has rows to switch off.
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM USERINFO WHERE ID NOT IN ('Admin', "
                                        "'RetailServiceAccount', 'FRServiceUser') AND ENABLE = 1")) >= 20);
    }
}

void TestDemoGenerator::everyPolicyRuleHasRowsToActOn()
{
    for (const auto& e : m_envs) {
        Sqlite db(dbPath(e, DatabaseRef::Transactional));
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM PARTITIONS WHERE PARTITIONKEY = 'initial'")), 1);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM PARTITIONS")) >= 2);
        // User partitions: some users sit in a partition that is not 'initial'.
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM USERINFO WHERE PARTITION <> (SELECT RECID FROM "
                                        "PARTITIONS WHERE PARTITIONKEY = 'initial')")) > 0);
        // Batch jobs in several statuses, not all Withhold.
        QVERIFY(db.count(QStringLiteral("SELECT count(DISTINCT STATUS) FROM BATCHJOB")) >= 3);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM BATCHJOB WHERE STATUS <> 0")) > 0);
        // Email addresses among other kinds of electronic address.
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM LOGISTICSELECTRONICADDRESS WHERE TYPE = 2 AND "
                                        "LOCATOR LIKE '%@%'")) > 0);
        QVERIFY(db.count(QStringLiteral("SELECT count(DISTINCT TYPE) FROM LOGISTICSELECTRONICADDRESS")) >= 4);
        QVERIFY(!db.value(QStringLiteral("SELECT SMTPRELAYSERVERNAME FROM SYSEMAILPARAMETERS")).toString().isEmpty());
        QCOMPARE(db.value(QStringLiteral("SELECT typeof(PASSWORD) FROM SYSEMAILSMTPPASSWORD")).toString(),
                 QStringLiteral("blob"));
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM PRINTMGMTSETTINGS WHERE typeof(PRINTJOBSETTINGS) "
                                         "<> 'blob'")),
                 0);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM PERSONNELINTEGRATIONCONFIGURATION WHERE "
                                        "CONNECTIONSTRING <> ''")) > 0);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM RETAILDEVICE WHERE ACTIVATIONSTATUS <> 2")) > 0);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM RETAILDEVICE WHERE TOKEN <> ''")) > 0);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM BATCHJOBHISTORY")) > 0);
        QVERIFY(db.isOpen());
    }
}

void TestDemoGenerator::defaultPolicyHasRowsToActOnEverywhere()
{
    QString error;
    const auto policy = DataPolicy::defaultPolicy(&error);
    QVERIFY2(policy.has_value(), qPrintable(error));
    for (const auto& e : m_envs) {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(dbPath(e, DatabaseRef::Transactional)).constData(), &db,
                                 SQLITE_OPEN_READONLY, nullptr),
                 SQLITE_OK);
        QList<PolicyCounter::RuleCount> counts;
        const bool counted = PolicyCounter(db).count(*policy, &counts, &error);
        sqlite3_close(db);
        QVERIFY2(counted, qPrintable(e.id + QStringLiteral(": ") + error));
        QVERIFY(!counts.isEmpty());
        for (const auto& rule : counts)
            QVERIFY2(rule.total() > 0, qPrintable(e.id + QStringLiteral(": nothing for rule ") + rule.id));
    }
}

void TestDemoGenerator::dataJobsDependOnTheEnvironmentType()
{
    for (const auto& e : m_envs) {
        Sqlite db(dbPath(e, DatabaseRef::Transactional));
        const qint64 enabled = db.count(QStringLiteral("SELECT count(*) FROM DMFRECURRINGJOB WHERE ENABLED = 1"));
        const qint64 pending =
            db.count(QStringLiteral("SELECT count(*) FROM DMFRECURRINGJOB WHERE PENDINGMESSAGES > 0"));
        if (e.type == EnvironmentType::Production) {
            QVERIFY(enabled > 0);
            QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM DMFRECURRINGJOB WHERE ENABLED = 1 AND "
                                            "PENDINGMESSAGES > 0")) > 0);
        } else {
            QVERIFY2(enabled == 0 && pending == 0, qPrintable(e.id));
        }
    }
}

void TestDemoGenerator::commerceDefaults()
{
    for (const auto& e : m_envs) {
        if (!e.hasCommerce())
            continue;
        Sqlite db(dbPath(e, DatabaseRef::Transactional));
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM RETAILCONNDATABASEPROFILE WHERE NAME = 'Default'")), 1);
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM RETAILCDXDATAGROUP WHERE NAME = 'Default'")), 1);
    }
}

void TestDemoGenerator::keepTargetTablesNameTheirOwnEnvironment()
{
    const auto prod = *m_catalog->catalog().environment(QStringLiteral("contoso-prod"));
    const auto uat = *m_catalog->catalog().environment(QStringLiteral("contoso-uat"));
    Sqlite prodDb(dbPath(prod, DatabaseRef::Transactional));
    Sqlite uatDb(dbPath(uat, DatabaseRef::Transactional));
    for (const QString& table : KeepTargetTables) {
        QVERIFY2(prodDb.tableHash(table) != uatDb.tableHash(table), qPrintable(table));
        // Each row shows which environment it belongs to, and it is never the other one.
        const QString rowText = QStringLiteral("SELECT * FROM \"%1\"").arg(table);
        for (auto* side : {&prodDb, &uatDb}) {
            const QString own = side == &prodDb ? QStringLiteral("contoso-prod") : QStringLiteral("contoso-uat");
            const QString other = side == &prodDb ? QStringLiteral("contoso-uat") : QStringLiteral("contoso-prod");
            for (const auto& row : side->rows(rowText)) {
                QString text;
                for (const QVariant& v : row)
                    text +=
                        (v.typeId() == QMetaType::QByteArray ? QString::fromLatin1(v.toByteArray()) : v.toString()) +
                        QLatin1Char('|');
                if (table == QLatin1String("SYSCLIENTSESSIONS"))
                    continue; // tells its environment by the session numbers, compared below
                QVERIFY2(text.contains(own, Qt::CaseInsensitive), qPrintable(table + QLatin1Char(' ') + text));
                QVERIFY2(!text.contains(other + QLatin1Char('-'), Qt::CaseInsensitive) &&
                             !text.contains(other + QLatin1Char(')'), Qt::CaseInsensitive),
                         qPrintable(table + QLatin1Char(' ') + text));
            }
        }
    }
    QCOMPARE(uatDb.count(QStringLiteral("SELECT count(*) FROM SYSSERVERCONFIG WHERE SERVERID = 'CONTOSO-UAT-AOS01'")),
             1);
    const qint64 uatMin = uatDb.count(QStringLiteral("SELECT min(SESSIONID) FROM SYSCLIENTSESSIONS"));
    const qint64 prodMax = prodDb.count(QStringLiteral("SELECT max(SESSIONID) FROM SYSCLIENTSESSIONS"));
    QVERIFY(uatMin > prodMax);
    QCOMPARE(uatDb.count(QStringLiteral("SELECT count(*) FROM DOCUVALUE WHERE typeof(FILE) <> 'blob' OR "
                                        "instr(FILE, CAST('contoso-uat' AS BLOB)) = 0")),
             0);
}

void TestDemoGenerator::businessTablesIndexesViewsAndTriggers()
{
    for (const auto& e : m_envs) {
        Sqlite db(dbPath(e, DatabaseRef::Transactional));
        for (const QString& table : BusinessTables)
            QVERIFY2(db.count(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table)) > 0, qPrintable(table));
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                                        "NULL")) >= 3);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'view'")) >= 1);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")) >= 1);
        // The view works and agrees with the lines.
        QCOMPARE(db.value(QStringLiteral("SELECT sum(LINECOUNT) FROM SALESORDERTOTALS")).toLongLong(),
                 db.count(QStringLiteral("SELECT count(*) FROM SALESLINE")));
        // Lines point at orders, orders at customers, account entries at journal entries.
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM SALESLINE l WHERE NOT EXISTS (SELECT 1 FROM "
                                         "SALESTABLE s WHERE s.SALESID = l.SALESID)")),
                 0);
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM SALESTABLE s WHERE NOT EXISTS (SELECT 1 FROM "
                                         "CUSTTABLE c WHERE c.ACCOUNTNUM = s.CUSTACCOUNT)")),
                 0);
        QCOMPARE(
            db.count(QStringLiteral("SELECT count(*) FROM GENERALJOURNALACCOUNTENTRY a WHERE NOT EXISTS "
                                    "(SELECT 1 FROM GENERALJOURNALENTRY g WHERE g.RECID = a.GENERALJOURNALENTRY)")),
            0);
        // Every journal entry balances.
        QCOMPARE(db.count(QStringLiteral("SELECT count(*) FROM (SELECT GENERALJOURNALENTRY FROM "
                                         "GENERALJOURNALACCOUNTENTRY GROUP BY 1 HAVING abs(sum("
                                         "ACCOUNTINGCURRENCYAMOUNT)) > 0.001)")),
                 0);
        QVERIFY(db.count(QStringLiteral("SELECT count(*) FROM SALESTABLE WHERE CREATEDDATETIME GLOB "
                                        "'20[0-9][0-9]-[01][0-9]-[0-3][0-9]T*'")) > 0);
        QVERIFY(db.isOpen());
    }

    // The trigger keeps MODIFIEDDATETIME: on a copy, since the demo files stay pristine.
    const auto prod = *m_catalog->catalog().environment(QStringLiteral("contoso-prod"));
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("copy.db"));
    QVERIFY(QFile::copy(dbPath(prod, DatabaseRef::Transactional), copy));
    QString error;
    QVERIFY2(TestSupport::execSqlite(copy, {QStringLiteral("UPDATE SALESTABLE SET SALESSTATUS = 4 WHERE RECID = 1")},
                                     &error),
             qPrintable(error));
    Sqlite db(copy);
    const QString modified =
        db.value(QStringLiteral("SELECT MODIFIEDDATETIME FROM SALESTABLE WHERE RECID = 1")).toString();
    Sqlite original(dbPath(prod, DatabaseRef::Transactional));
    QVERIFY(modified != original.value(QStringLiteral("SELECT MODIFIEDDATETIME FROM SALESTABLE WHERE RECID = 1")));
    QCOMPARE(modified, QDateTime::fromString(modified, Qt::ISODate).toString(Qt::ISODate));
}

void TestDemoGenerator::financialReportingDatabases()
{
    for (const auto& e : m_envs) {
        Sqlite db(dbPath(e, DatabaseRef::FinancialReporting));
        QVERIFY2(db.isOpen(), qPrintable(db.error()));
        qint64 rows = 0;
        for (const char* table : {"CONTROLREPORT", "CONTROLROWDETAIL", "CONTROLCOLUMNMASTER", "CONTROLTREE"}) {
            const qint64 n = db.count(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table)));
            QVERIFY2(n > 0, table);
            rows += n;
        }
        QVERIFY(rows >= 100);
        QVERIFY(QFileInfo(dbPath(e, DatabaseRef::FinancialReporting)).size() < 2 * MiB);
    }
}

void TestDemoGenerator::databasesAreSoundAndInWalMode()
{
    for (const auto& e : m_envs) {
        for (const QString& role : {DatabaseRef::Transactional, DatabaseRef::FinancialReporting}) {
            const QString path = dbPath(e, role);
            // Closed cleanly: no write-ahead log holding content.
            QVERIFY2(!QFileInfo::exists(path + QStringLiteral("-wal")) ||
                         QFileInfo(path + QStringLiteral("-wal")).size() == 0,
                     qPrintable(path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray header = f.read(100);
            // Bytes 18 and 19 of the header: 2 = WAL.
            QCOMPARE(int(header.at(18)), 2);
            QCOMPARE(int(header.at(19)), 2);
            f.close();
            Sqlite db(path);
            QCOMPARE(db.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
            QCOMPARE(db.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        }
    }
}

void TestDemoGenerator::progressIsReported()
{
    QVERIFY(m_progress.size() >= 10);
    qint64 last = 0;
    for (const auto& [done, total] : m_progress) {
        QCOMPARE(total, m_progressTotal);
        QVERIFY(done >= last);
        QVERIFY(done <= total);
        last = done;
    }
    QCOMPARE(last, m_progressTotal);
    // Throttled by rows: a few hundred calls at most for a small demo.
    QVERIFY(m_progress.size() < 1000);
}

void TestDemoGenerator::deterministic()
{
    TemporaryCatalog other;
    QVERIFY2(other.isOpen(), qPrintable(other.error()));
    DemoGenerator::Options options;
    options.sizeMb = 8;
    QString error;
    QVERIFY2(DemoGenerator(other.catalog()).generate(options, &error), qPrintable(error));

    for (const auto& e : m_envs) {
        const auto twin = other->environment(e.id);
        QVERIFY(twin.has_value());
        for (const QString& role : {DatabaseRef::Transactional, DatabaseRef::FinancialReporting}) {
            Sqlite a(dbPath(e, role));
            Sqlite b(dbPath(*twin, role));
            const QStringList tables =
                a.column(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
            QVERIFY(!tables.isEmpty());
            QCOMPARE(b.column(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")),
                     tables);
            QCOMPARE(b.column(QStringLiteral("SELECT sql FROM sqlite_master ORDER BY name")),
                     a.column(QStringLiteral("SELECT sql FROM sqlite_master ORDER BY name")));
            for (const QString& table : tables)
                QVERIFY2(a.tableHash(table) == b.tableHash(table), qPrintable(e.id + QLatin1Char(' ') + table));
            QCOMPARE(QFileInfo(dbPath(*twin, role)).size(), QFileInfo(dbPath(e, role)).size());
            // Byte for byte, even.
            QCOMPARE(TestSupport::fileSha256(dbPath(*twin, role)), TestSupport::fileSha256(dbPath(e, role)));
        }
    }
}

void TestDemoGenerator::productionSizeWithinTolerance_data()
{
    QTest::addColumn<int>("sizeMb");
    QTest::newRow("8 MB") << 8;
    QTest::newRow("40 MB") << 40;
}

void TestDemoGenerator::productionSizeWithinTolerance()
{
    QFETCH(int, sizeMb);
    std::unique_ptr<TemporaryCatalog> separate;
    Catalog* catalog = &m_catalog->catalog();
    if (sizeMb != 8) {
        separate = std::make_unique<TemporaryCatalog>();
        QVERIFY2(separate->isOpen(), qPrintable(separate->error()));
        DemoGenerator::Options options;
        options.sizeMb = sizeMb;
        QString error;
        QVERIFY2(DemoGenerator(separate->catalog()).generate(options, &error), qPrintable(error));
        catalog = &separate->catalog();
    }
    const qint64 target = sizeMb * MiB;
    for (const auto& e : catalog->environments()) {
        const qint64 size = QFileInfo(dbPath(e, DatabaseRef::Transactional)).size();
        if (e.type == EnvironmentType::Production) {
            QVERIFY2(qAbs(size - target) <= target * 15 / 100,
                     qPrintable(QStringLiteral("%1 bytes for a %2 MB target").arg(size).arg(sizeMb)));
        } else {
            QVERIFY2(size < target, qPrintable(e.id));
            const qint64 copyTarget = qMax(1, sizeMb / 8) * MiB;
            QVERIFY2(qAbs(size - copyTarget) <= copyTarget * 25 / 100,
                     qPrintable(QStringLiteral("%1: %2 bytes").arg(e.id).arg(size)));
        }
    }
}

void TestDemoGenerator::secondGenerationFailsAndChangesNothing()
{
    Catalog& catalog = m_catalog->catalog();
    const QString environments = QDir(m_catalog->folder()).filePath(QStringLiteral("environments"));
    const auto before = TestSupport::folderSnapshot(environments);
    QVERIFY(!before.isEmpty());
    const int envCount = catalog.environments().size();
    const int projectCount = catalog.projects().size();
    const int auditCount = catalog.auditTrail(100000).size();

    DemoGenerator::Options options;
    options.sizeMb = 1;
    QString error;
    QVERIFY(!DemoGenerator(catalog).generate(options, &error));
    QVERIFY2(error.contains(QLatin1String("contoso")), qPrintable(error));
    QVERIFY2(error.contains(catalog.folder()), qPrintable(error));

    QCOMPARE(TestSupport::folderSnapshot(environments), before);
    QCOMPARE(catalog.environments().size(), envCount);
    QCOMPARE(catalog.projects().size(), projectCount);
    QCOMPARE(catalog.auditTrail(100000).size(), auditCount);
}

void TestDemoGenerator::failureRemovesEverythingItCreated()
{
    TemporaryCatalog catalog;
    QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
    // A file where the dev environment's folder must go: production and the sandboxes
    // are written first, then the generation fails.
    const QString environments = QDir(catalog.folder()).filePath(QStringLiteral("environments"));
    QVERIFY(QDir().mkpath(environments));
    QFile blocker(QDir(environments).filePath(QStringLiteral("contoso-dev")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.write("not a folder");
    blocker.close();

    DemoGenerator::Options options;
    options.sizeMb = 2;
    QString error;
    const QString production = QDir(environments).filePath(QStringLiteral("contoso-prod/transactional.db"));
    bool productionWritten = false;
    QVERIFY(!DemoGenerator(catalog.catalog()).generate(options, &error, [&](const QString&, qint64, qint64) {
        productionWritten = productionWritten || QFileInfo::exists(production);
    }));
    QVERIFY2(error.contains(QLatin1String("contoso-dev")), qPrintable(error));
    QVERIFY(productionWritten); // it did get going before failing
    QVERIFY(catalog->projects().isEmpty());
    QVERIFY(catalog->environments().isEmpty());
    QCOMPARE(QDir(environments).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList({QStringLiteral("contoso-dev")}));

    // Once the obstacle is gone the same generation succeeds.
    QVERIFY(QFile::remove(blocker.fileName()));
    QVERIFY2(DemoGenerator(catalog.catalog()).generate(options, &error), qPrintable(error));
    QCOMPARE(catalog->environments().size(), 5);
}

void TestDemoGenerator::unreachablePostgresChangesNothing()
{
    // (The PostgreSQL demo itself is tested with a server, in tests/postgres.)
    TemporaryCatalog catalog;
    QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
    DemoGenerator::Options options;
    options.postgresUrl = QStringLiteral("postgresql://nobody@127.0.0.1:1/demo");
    QString error;
    QVERIFY(!DemoGenerator(catalog.catalog()).generate(options, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(catalog->projects().isEmpty());
    QVERIFY(catalog->environments().isEmpty());
    QVERIFY(!QFileInfo::exists(QDir(catalog.folder()).filePath(QStringLiteral("environments"))));
    QCOMPARE(QDir(catalog.folder()).entryList({QStringLiteral(".demo-postgres-*")}, QDir::AllEntries | QDir::Hidden),
             QStringList());
}

void TestDemoGenerator::cliCreatesTheDemoProject()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("catalog"));
    const CliRun demo = runCli({QStringLiteral("demo"), QStringLiteral("--catalog"), folder,
                                QStringLiteral("--size-mb"), QStringLiteral("4")});
    QVERIFY2(demo.exitedWith(0), qPrintable(demo.describe()));
    QVERIFY2(demo.outText().contains(QLatin1String("contoso")), qPrintable(demo.describe()));

    const CliRun list = runCli(
        {QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--catalog"), folder});
    QVERIFY2(list.exitedWith(0), qPrintable(list.describe()));
    QString error;
    const QJsonDocument json = list.json(&error);
    QVERIFY2(json.isArray(), qPrintable(error));
    QStringList ids;
    for (const auto& v : json.array())
        ids.append(v.toObject().value(QStringLiteral("id")).toString());
    ids.sort();
    QCOMPARE(ids,
             QStringList({QStringLiteral("contoso-dev"), QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"),
                          QStringLiteral("contoso-uat2"), QStringLiteral("fabrikam-uat")}));

    // A second demo in the same catalog fails, naming the project, and exits 1.
    const CliRun again = runCli({QStringLiteral("demo"), QStringLiteral("--catalog"), folder});
    QVERIFY2(again.exitedWith(1), qPrintable(again.describe()));
    QVERIFY2(again.errText().contains(QLatin1String("contoso")), qPrintable(again.describe()));
}

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
