#include "demo/DemoTransactionalWriter.h"

#include "demo/DemoRandom.h"
#include "engine/SqliteStatement.h"
#include "demo/DemoWords.h"

#include <algorithm>
#include <cctype>

using namespace DemoWords;

namespace {

// D365's record id of the 'initial' partition.
constexpr qint64 InitialPartitionRecId = 5637144576;

// Business data lies between 2019-01-01 and 2024-12-31; "recent" reference rows in 2024.
constexpr std::int64_t BusinessStart = 1546300800;
constexpr std::int64_t BusinessSpan = 189302400;
constexpr std::int64_t RecentStart = 1704067200;
constexpr std::int64_t RecentSpan = 31536000;

// Bytes an index entry takes besides its key: record header, rowid, cell size and pointer.
// (Measured with dbstat: key bytes + columns + 8 per entry for up to 8M rows.)
constexpr qint64 IndexEntryOverhead = 8;
// Index pages built from sorted keys are full; interior pages add a little.
constexpr double IndexFill = 0.99;

// Accounting currency (USD) per unit of each entry of DemoWords::Currencies.
const double ExchangeRates[] = {1.0, 1.0, 1.0, 1.08, 1.08, 1.27, 0.73, 0.145, 0.0067, 0.66};
static_assert(std::size(ExchangeRates) == std::size(Currencies));

const std::string_view TaxGroups[] = {"DOM", "DOM", "EU", "EXPORT", "CA", "WA"};
const std::string_view TaxItemGroups[] = {"FULL", "FULL", "REDUCED", "EXEMPT", "SERVICE"};
const std::string_view Warehouses[] = {"11", "12", "13", "21", "22", "24", "31", "41"};

qint64 indexEntry(std::size_t keyBytes, int columns)
{
    return qint64(keyBytes) + columns + IndexEntryOverhead;
}

// The reference tables of docs/data-policy.md, then the business tables.
const char* const Schema[] = {
    "CREATE TABLE PARTITIONS (RECID INTEGER PRIMARY KEY, PARTITIONKEY TEXT UNIQUE, NAME TEXT)",
    "CREATE TABLE USERINFO (RECID INTEGER PRIMARY KEY, ID TEXT UNIQUE NOT NULL, NAME TEXT, ENABLE INTEGER NOT NULL, "
    "NETWORKDOMAIN TEXT, NETWORKALIAS TEXT, COMPANY TEXT, PARTITION INTEGER NOT NULL)",
    "CREATE TABLE BATCHJOB (RECID INTEGER PRIMARY KEY, CAPTION TEXT, STATUS INTEGER, ORIGSTARTDATETIME TEXT, "
    "RECURRENCEDATA TEXT, COMPANY TEXT)",
    "CREATE TABLE BATCHJOBHISTORY (RECID INTEGER PRIMARY KEY, BATCHJOBID INTEGER, CAPTION TEXT, STATUS INTEGER, "
    "STARTDATETIME TEXT, ENDDATETIME TEXT)",
    "CREATE TABLE BATCHHISTORY (RECID INTEGER PRIMARY KEY, BATCHJOBHISTORYID INTEGER, CAPTION TEXT, STATUS INTEGER, "
    "INFO TEXT)",
    "CREATE TABLE BATCHCONSTRAINTHISTORY (RECID INTEGER PRIMARY KEY, BATCHHISTORYID INTEGER, DEPENDSONBATCHID "
    "INTEGER, EXPECTEDSTATUS INTEGER)",
    "CREATE TABLE LOGISTICSELECTRONICADDRESS (RECID INTEGER PRIMARY KEY, LOCATION INTEGER, TYPE INTEGER, LOCATOR "
    "TEXT, DESCRIPTION TEXT, ISPRIMARY INTEGER)",
    "CREATE TABLE SYSEMAILPARAMETERS (RECID INTEGER PRIMARY KEY, SMTPRELAYSERVERNAME TEXT, SMTPPORTNUMBER INTEGER, "
    "SMTPUSERNAME TEXT)",
    "CREATE TABLE SYSEMAILSMTPPASSWORD (RECID INTEGER PRIMARY KEY, PASSWORD BLOB)",
    "CREATE TABLE PRINTMGMTSETTINGS (RECID INTEGER PRIMARY KEY, PARENTID INTEGER, DESCRIPTION TEXT, "
    "PRINTJOBSETTINGS BLOB)",
    "CREATE TABLE PRINTMGMTDOCINSTANCE (RECID INTEGER PRIMARY KEY, DOCUMENTTYPE INTEGER, NAME TEXT)",
    "CREATE TABLE SYSSERVERCONFIG (RECID INTEGER PRIMARY KEY, SERVERID TEXT, ENABLEBATCH INTEGER, MAXSESSIONS "
    "INTEGER)",
    "CREATE TABLE SYSSERVERSESSIONS (RECID INTEGER PRIMARY KEY, SERVERID TEXT, STATUS INTEGER, LOGINDATETIME TEXT)",
    "CREATE TABLE SYSCORPNETPRINTERS (RECID INTEGER PRIMARY KEY, PRINTERNAME TEXT, PRINTERDEVICE TEXT)",
    "CREATE TABLE SYSCLIENTSESSIONS (RECID INTEGER PRIMARY KEY, SESSIONID INTEGER, USERID TEXT, STATUS INTEGER)",
    "CREATE TABLE BATCHSERVERCONFIG (RECID INTEGER PRIMARY KEY, SERVERID TEXT, MAXBATCHSESSIONS INTEGER)",
    "CREATE TABLE BATCHSERVERGROUP (RECID INTEGER PRIMARY KEY, GROUPID TEXT, SERVERID TEXT)",
    "CREATE TABLE DOCUVALUE (RECID INTEGER PRIMARY KEY, FILENAME TEXT, FILETYPE TEXT, FILE BLOB)",
    "CREATE TABLE PERSONNELINTEGRATIONCONFIGURATION (RECID INTEGER PRIMARY KEY, NAME TEXT, CONNECTIONSTRING TEXT)",
    "CREATE TABLE DMFRECURRINGJOB (RECID INTEGER PRIMARY KEY, NAME TEXT, ENABLED INTEGER, PENDINGMESSAGES INTEGER)",
    "CREATE TABLE RETAILCONNDATABASEPROFILE (RECID INTEGER PRIMARY KEY, NAME TEXT, CONNECTIONSTRING TEXT)",
    "CREATE TABLE RETAILCDXDATAGROUP (RECID INTEGER PRIMARY KEY, NAME TEXT)",
    "CREATE TABLE RETAILSELFSERVICEPACKAGEINFO (RECID INTEGER PRIMARY KEY, NAME TEXT, VERSION TEXT, INSTALLERTYPE "
    "TEXT)",
    "CREATE TABLE RETAILDEVICE (RECID INTEGER PRIMARY KEY, DEVICEID TEXT, ACTIVATIONSTATUS INTEGER, TOKEN TEXT)",

    "CREATE TABLE CUSTTABLE (RECID INTEGER PRIMARY KEY, ACCOUNTNUM TEXT NOT NULL, NAME TEXT, CUSTGROUP TEXT, "
    "CURRENCY TEXT, CREDITMAX REAL, PAYMTERMID TEXT, DATAAREAID TEXT NOT NULL, ADDRESS TEXT, COUNTRYREGIONID TEXT, "
    "PHONE TEXT, EMAIL TEXT, CREATEDDATETIME TEXT, MODIFIEDDATETIME TEXT)",
    "CREATE TABLE VENDTABLE (RECID INTEGER PRIMARY KEY, ACCOUNTNUM TEXT NOT NULL, NAME TEXT, VENDGROUP TEXT, "
    "CURRENCY TEXT, PAYMTERMID TEXT, DATAAREAID TEXT NOT NULL, ADDRESS TEXT, BANKACCOUNT TEXT, CREATEDDATETIME "
    "TEXT, MODIFIEDDATETIME TEXT)",
    "CREATE TABLE INVENTTABLE (RECID INTEGER PRIMARY KEY, ITEMID TEXT NOT NULL, NAME TEXT, ITEMGROUP TEXT, UNITID "
    "TEXT, SALESPRICE REAL, COSTPRICE REAL, NETWEIGHT REAL, DESCRIPTION TEXT, DATAAREAID TEXT NOT NULL, "
    "CREATEDDATETIME TEXT, MODIFIEDDATETIME TEXT)",
    "CREATE TABLE SALESTABLE (RECID INTEGER PRIMARY KEY, SALESID TEXT NOT NULL, CUSTACCOUNT TEXT NOT NULL, SALESNAME "
    "TEXT, SALESSTATUS INTEGER, CURRENCY TEXT, DELIVERYDATE TEXT, DELIVERYADDRESS TEXT, CUSTOMERREF TEXT, "
    "DATAAREAID TEXT NOT NULL, CREATEDDATETIME TEXT, MODIFIEDDATETIME TEXT)",
    "CREATE TABLE SALESLINE (RECID INTEGER PRIMARY KEY, SALESID TEXT NOT NULL, LINENUM INTEGER NOT NULL, ITEMID "
    "TEXT, NAME TEXT, QTY REAL, SALESUNIT TEXT, SALESPRICE REAL, LINEDISC REAL, LINEAMOUNT REAL, COSTPRICE REAL, "
    "SALESSTATUS INTEGER, TAXGROUP TEXT, TAXITEMGROUP TEXT, INVENTDIMID TEXT, INVENTLOCATIONID TEXT, DELIVERYNAME "
    "TEXT, DELIVERYADDRESS TEXT, SHIPPINGDATEREQUESTED TEXT, SHIPPINGDATE TEXT, DATAAREAID TEXT NOT NULL, "
    "CREATEDDATETIME TEXT, MODIFIEDDATETIME TEXT)",
    "CREATE TABLE GENERALJOURNALENTRY (RECID INTEGER PRIMARY KEY, JOURNALNUMBER TEXT, ACCOUNTINGDATE TEXT, "
    "DOCUMENTNUMBER TEXT, DOCUMENTDATE TEXT, DESCRIPTION TEXT, POSTINGLAYER INTEGER, LEDGER TEXT, CREATEDDATETIME "
    "TEXT)",
    "CREATE TABLE GENERALJOURNALACCOUNTENTRY (RECID INTEGER PRIMARY KEY, GENERALJOURNALENTRY INTEGER NOT NULL, "
    "LEDGERACCOUNT TEXT, LEDGERDIMENSION INTEGER, TRANSACTIONCURRENCYCODE TEXT, TRANSACTIONCURRENCYAMOUNT REAL, "
    "ACCOUNTINGCURRENCYAMOUNT REAL, REPORTINGCURRENCYAMOUNT REAL, QUANTITY REAL, ISCREDIT INTEGER, ISCORRECTION "
    "INTEGER, POSTINGTYPE INTEGER, HISTORICALEXCHANGERATEDATE TEXT, PAYMENTREFERENCE TEXT, TEXT TEXT)",
};

// Created after the bulk load: building an index from sorted keys is far cheaper than
// maintaining it row by row.
const char* const IndexesViewsAndTriggers[] = {
    "CREATE UNIQUE INDEX CUSTTABLE_ACCOUNTIDX ON CUSTTABLE (DATAAREAID, ACCOUNTNUM)",
    "CREATE UNIQUE INDEX VENDTABLE_ACCOUNTIDX ON VENDTABLE (DATAAREAID, ACCOUNTNUM)",
    "CREATE UNIQUE INDEX INVENTTABLE_ITEMIDX ON INVENTTABLE (DATAAREAID, ITEMID)",
    "CREATE UNIQUE INDEX SALESTABLE_SALESIDX ON SALESTABLE (DATAAREAID, SALESID)",
    "CREATE INDEX SALESTABLE_CUSTIDX ON SALESTABLE (CUSTACCOUNT)",
    "CREATE INDEX SALESLINE_SALESLINEIDX ON SALESLINE (SALESID, LINENUM)",
    "CREATE INDEX SALESLINE_ITEMIDX ON SALESLINE (ITEMID)",
    "CREATE INDEX GENERALJOURNALENTRY_DATEIDX ON GENERALJOURNALENTRY (ACCOUNTINGDATE)",
    "CREATE INDEX GENERALJOURNALACCOUNTENTRY_ENTRYIDX ON GENERALJOURNALACCOUNTENTRY (GENERALJOURNALENTRY)",
    "CREATE INDEX BATCHJOBHISTORY_JOBIDX ON BATCHJOBHISTORY (BATCHJOBID)",
    "CREATE VIEW SALESORDERTOTALS AS SELECT s.DATAAREAID, s.SALESID, s.CUSTACCOUNT, s.CURRENCY, "
    "COUNT(l.RECID) AS LINECOUNT, COALESCE(SUM(l.LINEAMOUNT), 0) AS TOTALAMOUNT FROM SALESTABLE s "
    "LEFT JOIN SALESLINE l ON l.DATAAREAID = s.DATAAREAID AND l.SALESID = s.SALESID GROUP BY s.RECID",
    "CREATE VIEW GENERALJOURNALBALANCE AS SELECT a.LEDGERACCOUNT, SUM(a.ACCOUNTINGCURRENCYAMOUNT) AS BALANCE, "
    "COUNT(*) AS ENTRIES FROM GENERALJOURNALACCOUNTENTRY a GROUP BY a.LEDGERACCOUNT",
    "CREATE TRIGGER SALESTABLE_MODIFIEDDATETIME AFTER UPDATE ON SALESTABLE FOR EACH ROW "
    "WHEN NEW.MODIFIEDDATETIME IS OLD.MODIFIEDDATETIME BEGIN "
    "UPDATE SALESTABLE SET MODIFIEDDATETIME = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE RECID = NEW.RECID; END",
    "CREATE TRIGGER SALESLINE_MODIFIEDDATETIME AFTER UPDATE ON SALESLINE FOR EACH ROW "
    "WHEN NEW.MODIFIEDDATETIME IS OLD.MODIFIEDDATETIME BEGIN "
    "UPDATE SALESLINE SET MODIFIEDDATETIME = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE RECID = NEW.RECID; END",
};

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

void fillRandom(DemoRandom& rng, std::vector<unsigned char>& bytes, std::size_t from)
{
    for (std::size_t i = from; i < bytes.size(); i += 8) {
        const std::uint64_t v = rng.next();
        for (std::size_t k = 0; k < 8 && i + k < bytes.size(); ++k)
            bytes[i + k] = static_cast<unsigned char>(v >> (8 * k));
    }
}

} // namespace

DemoTransactionalWriter::DemoTransactionalWriter(const DemoEnvironmentPlan& plan)
    : m_plan(plan), m_envId(plan.environment.id.toStdString()), m_serverTag(upper(plan.environment.id.toStdString())),
      m_tenant(plan.environment.tenant.toStdString()), m_admin(plan.environment.admin.toStdString()),
      m_commerceVersion(plan.environment.versions.commerce.isEmpty() ? std::string("9.50")
                                                                     : plan.environment.versions.commerce.toStdString())
{
}

DemoTransactionalWriter::~DemoTransactionalWriter() = default;

DemoRandom DemoTransactionalWriter::random(const char* table) const
{
    return DemoRandom(DemoRandom::seedFor(m_envId, table));
}

int DemoTransactionalWriter::scaled(int base, double perMiB, int max) const
{
    const double mib = double(m_plan.transactionalBytes) / (1024.0 * 1024.0);
    return std::min(max, base + int(perMiB * mib));
}

std::int64_t DemoTransactionalWriter::randomSecond(DemoRandom& rng)
{
    return BusinessStart + std::int64_t(rng.below(std::uint32_t(BusinessSpan)));
}

void DemoTransactionalWriter::addWords(DemoRandom& rng, int min, int max)
{
    const int n = rng.range(min, max);
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            m_text.add(' ');
        m_text.add(rng.pick(Words));
    }
}

std::string_view DemoTransactionalWriter::companyName(DemoRandom& rng, std::uint64_t number)
{
    m_text.start().add(rng.pick(CompanyWords)).add(' ').add(rng.pick(CompanyKinds)).add(' ');
    m_text.add(rng.pick(LegalForms));
    if (rng.percent(40))
        m_text.add(" #").number(number % 1000);
    return m_text.finish();
}

std::string_view DemoTransactionalWriter::address(DemoRandom& rng)
{
    return m_text.start()
        .number(rng.range(1, 9999))
        .add(' ')
        .add(rng.pick(Streets))
        .add(", ")
        .add(rng.pick(Cities))
        .finish();
}

bool DemoTransactionalWriter::write(const QString& path, QString* error, const Progress& progress)
{
    if (m_db.create(path)) {
        createSchema();
        writePartitionsAndUsers();
        writeBatchJobs();
        writeElectronicAddresses();
        writeEmailAndPrintSettings();
        writeServerConfiguration();
        writeDocuments();
        writeIntegrations();
        writeRetail();
        writeBusinessData(progress);
        createIndexesViewsAndTriggers();
        m_db.finish();
    }
    if (!m_db.ok()) {
        *error = m_db.error();
        return false;
    }
    return true;
}

void DemoTransactionalWriter::createSchema()
{
    for (const char* sql : Schema)
        m_db.exec(sql);
}

void DemoTransactionalWriter::writePartitionsAndUsers()
{
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO PARTITIONS VALUES (?, ?, ?)");
        m_initialPartition = InitialPartitionRecId;
        m_otherPartition = InitialPartitionRecId + 1;
        insert.integer(m_initialPartition).text("initial").text("Initial partition").insert();
        insert.integer(m_otherPartition).text("ps").text("Public sector").insert();
        insert.integer(m_otherPartition + 1).text("archive").text("Archived companies").insert();
    }

    DemoRandom rng = random("USERINFO");
    SqliteStatement insert = m_db.prepare("INSERT INTO USERINFO VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    qint64 recid = 0;
    const std::string_view tenant = m_tenant;
    // The administrator and the internal service accounts that a refresh keeps enabled.
    insert.integer(++recid).text("Admin").text("Admin").integer(1).text(tenant).text(m_admin).text("DAT");
    insert.integer(m_initialPartition).insert();
    m_userIds.push_back("Admin");
    const std::string_view services[][2] = {{"RetailServiceAccount", "Retail service account"},
                                            {"FRServiceUser", "Financial reporting service user"}};
    for (const auto& service : services) {
        m_text.reset();
        const auto alias = m_text.start().add(service[0]).add('@').add(tenant).finish();
        insert.integer(++recid).text(service[0]).text(service[1]).integer(1).text(tenant).text(alias).text("DAT");
        insert.integer(m_initialPartition).insert();
        m_userIds.emplace_back(service[0]);
    }

    const int users = scaled(40, 2.0, 3000);
    for (int i = 1; i <= users; ++i) {
        m_text.reset();
        const std::string_view first = rng.pick(FirstNames);
        const std::string_view last = rng.pick(LastNames);
        m_text.start().add(char(std::tolower(static_cast<unsigned char>(first[0]))));
        for (const char c : last.substr(0, 8))
            m_text.add(char(std::tolower(static_cast<unsigned char>(c))));
        const auto id = m_text.number(std::uint64_t(i)).finish();
        const auto name = m_text.start().add(first).add(' ').add(last).finish();
        m_text.start();
        for (const char c : first)
            m_text.add(char(std::tolower(static_cast<unsigned char>(c))));
        m_text.add('.');
        for (const char c : last)
            m_text.add(char(std::tolower(static_cast<unsigned char>(c))));
        const auto alias = m_text.number(std::uint64_t(i)).add('@').add(tenant).finish();
        const bool enabled = rng.percent(92);
        const qint64 partition = rng.percent(85) ? m_initialPartition : m_otherPartition;
        insert.integer(++recid).text(id).text(name).integer(enabled ? 1 : 0).text(tenant).text(alias);
        insert.text(rng.pick(Companies)).integer(partition).insert();
        m_userIds.emplace_back(id);
    }
}

void DemoTransactionalWriter::writeBatchJobs()
{
    static const int Statuses[] = {0, 1, 1, 1, 2, 3, 4, 4, 4, 5, 8};
    DemoRandom rng = random("BATCHJOB");
    const int jobs = scaled(30, 4.0, 5000);
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO BATCHJOB VALUES (?, ?, ?, ?, ?, ?)");
        for (int i = 1; i <= jobs; ++i) {
            m_text.reset();
            const auto start = m_text.isoDateTime(RecentStart + rng.below(RecentSpan));
            insert.integer(i).text(rng.pick(BatchCaptions)).integer(rng.pick(Statuses)).text(start);
            insert.text(rng.pick(Recurrences)).text(rng.pick(Companies)).insert();
        }
    }

    // History: job runs, their tasks, and the constraints between tasks.
    static const int EndStatuses[] = {3, 4, 4, 4, 4, 4, 8};
    SqliteStatement jobHistory = m_db.prepare("INSERT INTO BATCHJOBHISTORY VALUES (?, ?, ?, ?, ?, ?)");
    SqliteStatement taskHistory = m_db.prepare("INSERT INTO BATCHHISTORY VALUES (?, ?, ?, ?, ?)");
    SqliteStatement constraintHistory = m_db.prepare("INSERT INTO BATCHCONSTRAINTHISTORY VALUES (?, ?, ?, ?)");
    const int runs = scaled(60, 40.0, 2000000);
    qint64 taskId = 0;
    qint64 constraintId = 0;
    for (int run = 1; run <= runs; ++run) {
        m_text.reset();
        const std::int64_t started = RecentStart + rng.below(RecentSpan);
        const int status = rng.pick(EndStatuses);
        jobHistory.integer(run).integer(rng.range(1, jobs)).text(rng.pick(BatchCaptions)).integer(status);
        jobHistory.text(m_text.isoDateTime(started)).text(m_text.isoDateTime(started + rng.range(1, 3600))).insert();
        const int tasks = rng.range(1, 5);
        for (int t = 0; t < tasks; ++t) {
            m_text.reset();
            const auto info =
                status == 3 && t == tasks - 1
                    ? m_text.start().add("Error: ").add(rng.pick(Words)).add(" could not be posted.").finish()
                    : m_text.start().add("Task completed in ").number(rng.range(1, 900)).add(" s.").finish();
            taskHistory.integer(++taskId).integer(run).text(rng.pick(BatchTaskCaptions)).integer(status).text(info);
            taskHistory.insert();
            if (t > 0)
                constraintHistory.integer(++constraintId).integer(taskId).integer(taskId - 1).integer(4).insert();
        }
    }
}

void DemoTransactionalWriter::writeElectronicAddresses()
{
    // TYPE: 0 none, 1 phone, 2 email, 3 URL, 4 telex, 5 fax; emails are the most common.
    static const int Types[] = {0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5};
    DemoRandom rng = random("LOGISTICSELECTRONICADDRESS");
    SqliteStatement insert = m_db.prepare("INSERT INTO LOGISTICSELECTRONICADDRESS VALUES (?, ?, ?, ?, ?, ?)");
    const int rows = scaled(80, 60.0, 5000000);
    for (int i = 1; i <= rows; ++i) {
        m_text.reset();
        const int type = rng.pick(Types);
        std::string_view locator;
        std::string_view description;
        switch (type) {
        case 1:
        case 5:
            locator =
                m_text.start().add("+1 ").number(rng.range(200, 989)).add(" 555 ").number(rng.below(10000), 4).finish();
            description = type == 1 ? "Phone" : "Fax";
            break;
        case 2: {
            m_text.start();
            for (const char c : rng.pick(FirstNames))
                m_text.add(char(std::tolower(static_cast<unsigned char>(c))));
            m_text.add('.');
            for (const char c : rng.pick(LastNames))
                m_text.add(char(std::tolower(static_cast<unsigned char>(c))));
            locator = m_text.add('@').add(rng.pick(EmailDomains)).finish();
            description = rng.percent(50) ? "Work email" : "Invoice email";
            break;
        }
        case 3:
            locator = m_text.start().add("https://www.").add(rng.pick(EmailDomains)).add("/orders").finish();
            description = "Web site";
            break;
        case 4:
            locator = m_text.code("TLX ", rng.below(1000000), 6);
            description = "Telex";
            break;
        default:
            locator = "";
            description = "Not specified";
        }
        insert.integer(i).integer(rng.range(1, std::max(1, rows / 2))).integer(type).text(locator).text(description);
        insert.integer(rng.percent(30) ? 1 : 0).insert();
    }
}

void DemoTransactionalWriter::writeEmailAndPrintSettings()
{
    DemoRandom rng = random("SYSEMAIL");
    m_text.reset();
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO SYSEMAILPARAMETERS VALUES (?, ?, ?, ?)");
        const auto user = m_text.concat("noreply@", m_tenant);
        insert.integer(1).text("smtp.office365.com").integer(587).text(user).insert();
    }
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO SYSEMAILSMTPPASSWORD VALUES (?, ?)");
        std::vector<unsigned char> secret(48);
        fillRandom(rng, secret, 0);
        insert.integer(1).blob(secret.data(), int(secret.size())).insert();
    }

    const int documentTypes = int(std::size(PrintDocuments));
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO PRINTMGMTDOCINSTANCE VALUES (?, ?, ?)");
        for (int i = 0; i < documentTypes; ++i)
            insert.integer(i + 1).integer(i + 1).text(PrintDocuments[i]).insert();
    }
    SqliteStatement insert = m_db.prepare("INSERT INTO PRINTMGMTSETTINGS VALUES (?, ?, ?, ?)");
    std::vector<unsigned char> settings;
    const int rows = scaled(12, 0.25, 5000);
    for (int i = 1; i <= rows; ++i) {
        m_text.reset();
        const int parent = rng.range(1, documentTypes);
        const auto description = m_text.start()
                                     .add(PrintDocuments[parent - 1])
                                     .add(rng.percent(50) ? ": original to " : ": copy to ")
                                     .add(rng.percent(50) ? "printer" : "email")
                                     .finish();
        static const std::string_view Magic = "PRINTJOBSETTINGS/1";
        settings.assign(std::size_t(rng.range(128, 768)), 0);
        std::copy(Magic.begin(), Magic.end(), settings.begin());
        fillRandom(rng, settings, Magic.size());
        insert.integer(i).integer(parent).text(description).blob(settings.data(), int(settings.size())).insert();
    }
}

void DemoTransactionalWriter::writeServerConfiguration()
{
    // Every row names this environment's own servers, printers or sessions: after a
    // refresh they must be the target's, never the source's.
    DemoRandom rng = random("SYSSERVERCONFIG");
    std::vector<std::string> servers;
    for (int i = 1; i <= m_plan.aosCount; ++i)
        servers.push_back(m_serverTag + "-AOS" + (i < 10 ? "0" : "") + std::to_string(i));

    SqliteStatement config = m_db.prepare("INSERT INTO SYSSERVERCONFIG VALUES (?, ?, ?, ?)");
    SqliteStatement batchConfig = m_db.prepare("INSERT INTO BATCHSERVERCONFIG VALUES (?, ?, ?)");
    SqliteStatement sessions = m_db.prepare("INSERT INTO SYSSERVERSESSIONS VALUES (?, ?, ?, ?)");
    SqliteStatement groups = m_db.prepare("INSERT INTO BATCHSERVERGROUP VALUES (?, ?, ?)");
    qint64 sessionId = 0;
    qint64 groupId = 0;
    static const std::string_view Groups[] = {"", "FIN", "RETAIL"};
    for (std::size_t i = 0; i < servers.size(); ++i) {
        m_text.reset();
        const std::string_view server = servers[i];
        config.integer(qint64(i) + 1).text(server).integer(i == 0 && servers.size() > 1 ? 0 : 1).integer(2000).insert();
        batchConfig.integer(qint64(i) + 1).text(server).integer(8 * m_plan.aosCount).insert();
        for (int s = 0; s < 2; ++s) {
            const auto login = m_text.isoDateTime(RecentStart + rng.below(RecentSpan));
            sessions.integer(++sessionId).text(server).integer(s == 0 ? 1 : 0).text(login).insert();
        }
        for (const auto group : Groups)
            groups.integer(++groupId).text(group).text(server).insert();
    }

    SqliteStatement printers = m_db.prepare("INSERT INTO SYSCORPNETPRINTERS VALUES (?, ?, ?)");
    static const std::string_view Rooms[] = {"Finance", "Warehouse", "Reception", "Shipping"};
    qint64 printerId = 0;
    for (const auto room : Rooms) {
        m_text.reset();
        const auto name = m_text.start().add("\\\\").add(m_serverTag).add("-PRN01\\").add(room).finish();
        const auto device = m_text.start().add("HP LaserJet M607 on ").add(m_envId).finish();
        printers.integer(++printerId).text(name).text(device).insert();
    }

    // Client session ids are numbered per environment, so each environment's sessions are its own.
    SqliteStatement clients = m_db.prepare("INSERT INTO SYSCLIENTSESSIONS VALUES (?, ?, ?, ?)");
    const int clientSessions = scaled(12, 0.1, 500);
    for (int i = 1; i <= clientSessions; ++i) {
        const std::string_view user = m_userIds[rng.below(std::uint32_t(m_userIds.size()))];
        clients.integer(i).integer(qint64(m_plan.ordinal + 1) * 100000 + i).text(user).integer(rng.percent(70) ? 1 : 0);
        clients.insert();
    }
}

void DemoTransactionalWriter::writeDocuments()
{
    static const std::string_view Kinds[] = {"Invoice", "Contract", "Packing slip", "Photo", "Price list"};
    static const std::string_view Types[] = {"pdf", "docx", "pdf", "png", "xlsx"};
    static const std::string_view Magic[] = {"%PDF-1.7\n", "PK\x03\x04", "%PDF-1.7\n", "\x89PNG\r\n\x1a\n",
                                             "PK\x03\x04"};
    DemoRandom rng = random("DOCUVALUE");
    SqliteStatement insert = m_db.prepare("INSERT INTO DOCUVALUE VALUES (?, ?, ?, ?)");
    std::vector<unsigned char> file;
    const int rows = scaled(8, 4.0, 200000);
    for (int i = 1; i <= rows; ++i) {
        m_text.reset();
        const std::uint32_t kind = rng.below(std::uint32_t(std::size(Kinds)));
        const auto name = m_text.start()
                              .add(Kinds[kind])
                              .add(' ')
                              .number(std::uint64_t(i), 6)
                              .add(" (")
                              .add(m_envId)
                              .add(").")
                              .add(Types[kind])
                              .finish();
        // A file header, the environment it was attached in, then incompressible bytes.
        const auto header = m_text.start().add(Magic[kind]).add("attached in ").add(m_envId).add('\n').finish();
        file.assign(std::size_t(rng.range(512, 6144)), 0);
        std::copy(header.begin(), header.end(), file.begin());
        fillRandom(rng, file, header.size());
        insert.integer(i).text(name).text(Types[kind]).blob(file.data(), int(file.size())).insert();
    }
}

void DemoTransactionalWriter::writeIntegrations()
{
    DemoRandom rng = random("PERSONNELINTEGRATIONCONFIGURATION");
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO PERSONNELINTEGRATIONCONFIGURATION VALUES (?, ?, ?)");
        static const std::string_view Names[][2] = {{"Dynamics 365 Human Resources", "hr"},
                                                    {"Payroll provider", "payroll"}};
        qint64 recid = 0;
        for (const auto& name : Names) {
            m_text.reset();
            const auto connection = m_text.start()
                                        .add("Server=tcp:")
                                        .add(name[1])
                                        .add('-')
                                        .add(m_envId)
                                        .add(".database.windows.net,1433;Database=")
                                        .add(name[1])
                                        .add(";User ID=svc-")
                                        .add(name[1])
                                        .add(";Password=")
                                        .hex(rng.next(), 16)
                                        .add(';')
                                        .finish();
            insert.integer(++recid).text(name[0]).text(connection).insert();
        }
    }

    // Production runs its recurring integrations; a sandbox has them all switched off
    // with nothing waiting, so it passes the dmf-recurring-jobs check as a target.
    const bool production = m_plan.environment.type == EnvironmentType::Production;
    SqliteStatement insert = m_db.prepare("INSERT INTO DMFRECURRINGJOB VALUES (?, ?, ?, ?)");
    qint64 recid = 0;
    for (const auto name : RecurringJobs) {
        const bool enabled = production && recid % 3 != 2;
        const int pending = enabled && recid % 2 == 0 ? rng.range(1, 500) : 0;
        insert.integer(++recid).text(name).integer(enabled ? 1 : 0).integer(pending).insert();
    }
}

void DemoTransactionalWriter::writeRetail()
{
    DemoRandom rng = random("RETAIL");
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO RETAILCONNDATABASEPROFILE VALUES (?, ?, ?)");
        static const std::string_view Profiles[][2] = {
            {"Default", "csu"}, {"Houston", "houston"}, {"Seattle", "seattle"}};
        qint64 recid = 0;
        for (const auto& profile : Profiles) {
            m_text.reset();
            const auto connection = m_text.start()
                                        .add("Server=tcp:")
                                        .add(m_envId)
                                        .add('-')
                                        .add(profile[1])
                                        .add(".database.windows.net;Database=")
                                        .add(m_envId)
                                        .add("-channel;Authentication=Active Directory Managed Identity")
                                        .finish();
            insert.integer(++recid).text(profile[0]).text(connection).insert();
        }
    }
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO RETAILCDXDATAGROUP VALUES (?, ?)");
        insert.integer(1).text("Default").insert();
        insert.integer(2).text("Stores East").insert();
        insert.integer(3).text("Stores West").insert();
    }
    {
        SqliteStatement insert = m_db.prepare("INSERT INTO RETAILSELFSERVICEPACKAGEINFO VALUES (?, ?, ?, ?)");
        static const std::string_view Packages[][2] = {{"Store Commerce", "StoreCommerce"},
                                                       {"Hardware station", "HardwareStation"},
                                                       {"Store Commerce for Android", "StoreCommerceAndroid"}};
        qint64 recid = 0;
        for (const auto& package : Packages) {
            m_text.reset();
            const auto name = m_text.start().add(package[0]).add(" (").add(m_envId).add(')').finish();
            const auto version =
                m_text.start().add(m_commerceVersion).add('.').number(24000 + recid * 17).add(".1").finish();
            insert.integer(++recid).text(name).text(version).text(package[1]).insert();
        }
    }
    // ACTIVATIONSTATUS: 0 pending, 1 activated, 2 deactivated.
    SqliteStatement insert = m_db.prepare("INSERT INTO RETAILDEVICE VALUES (?, ?, ?, ?)");
    const int devices = scaled(10, 0.5, 20000);
    for (int i = 1; i <= devices; ++i) {
        m_text.reset();
        const int status = rng.percent(70) ? 1 : rng.percent(50) ? 0 : 2;
        const auto device = m_text.start().add(rng.pick(Stores)).add('-').number(std::uint64_t(i), 3).finish();
        const auto token =
            status == 1 ? m_text.start().hex(rng.next(), 16).hex(rng.next(), 16).finish() : std::string_view();
        insert.integer(i).text(device).integer(status).text(token).insert();
    }
}

void DemoTransactionalWriter::writeBusinessData(const Progress& progress)
{
    m_customer = std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO CUSTTABLE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    m_vendor = std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO VENDTABLE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    m_item =
        std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO INVENTTABLE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    m_salesOrder =
        std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO SALESTABLE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    m_salesLine = std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO SALESLINE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    m_journalEntry =
        std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO GENERALJOURNALENTRY VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    m_accountEntry = std::make_unique<SqliteStatement>(m_db.prepare("INSERT INTO GENERALJOURNALACCOUNTENTRY VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));

    // Rounds of business activity until the file (with the indexes still to come) reaches
    // the budget; stopping half a round early or late keeps it within a few percent.
    DemoRandom rng = random("BUSINESS");
    const qint64 budget = m_plan.transactionalBytes;
    const qint64 start = m_db.size();
    int rounds = 0;
    while (m_db.ok()) {
        writeBusinessRound(rng);
        ++rounds;
        const qint64 size = m_db.size();
        const qint64 expected = size + qint64(double(m_business.indexBytes) / IndexFill);
        const qint64 perRound = (expected - start) / rounds;
        if (expected + perRound / 2 >= budget)
            break;
        if (progress && rounds % 4 == 0 && !progress(size))
            m_db.fail(QStringLiteral("stopped"));
    }
    // Statements must be finalized before the database can close.
    m_customer.reset();
    m_vendor.reset();
    m_item.reset();
    m_salesOrder.reset();
    m_salesLine.reset();
    m_journalEntry.reset();
    m_accountEntry.reset();
    if (progress && m_db.ok())
        progress(m_db.size());
}

void DemoTransactionalWriter::writeBusinessRound(DemoRandom& rng)
{
    static const std::string_view Areas[] = {"usmf", "usmf", "usmf", "usrt", "demf"};
    static const int SalesStatuses[] = {0, 1, 1, 2, 3, 3, 3, 4};
    Business& b = m_business;

    for (int i = 0; i < 6; ++i) {
        m_text.reset();
        const qint64 recid = ++b.customers;
        const std::string_view area = rng.pick(Areas);
        const auto account = m_text.code("C", std::uint64_t(recid), 6);
        const std::int64_t created = randomSecond(rng);
        m_customer->integer(recid).text(account).text(companyName(rng, std::uint64_t(recid)));
        // Customers 3 and 5 have a negative credit limit: a data problem on purpose, on
        // which the demo customization "Contoso credit limit rules" fails (fix, resume).
        m_customer->text(rng.pick(CustomerGroups)).text(rng.pick(Currencies));
        const double creditMax = rng.range(1, 500) * 1000.0;
        m_customer->real(recid == 3 || recid == 5 ? -creditMax : creditMax);
        m_customer->text(rng.pick(PaymentTerms)).text(area).text(address(rng)).text(rng.pick(Countries));
        m_customer->text(
            m_text.start().add("+1 ").number(rng.range(200, 989)).add(" 555 ").number(rng.below(10000), 4).finish());
        m_customer->text(m_text.start().add("orders@").add(rng.pick(EmailDomains)).finish());
        m_customer->text(m_text.isoDateTime(created)).text(m_text.isoDateTime(created + rng.below(86400 * 90)));
        m_customer->insert();
        b.indexBytes += indexEntry(area.size() + account.size(), 2);
    }
    for (int i = 0; i < 2; ++i) {
        m_text.reset();
        const qint64 recid = ++b.vendors;
        const std::string_view area = rng.pick(Areas);
        const auto account = m_text.code("V", std::uint64_t(recid), 6);
        const std::int64_t created = randomSecond(rng);
        m_vendor->integer(recid).text(account).text(companyName(rng, std::uint64_t(recid)));
        m_vendor->text(rng.pick(VendorGroups)).text(rng.pick(Currencies)).text(rng.pick(PaymentTerms)).text(area);
        m_vendor->text(address(rng));
        m_vendor->text(m_text.start()
                           .add("DK")
                           .number(rng.below(100), 2)
                           .add(" 5000 ")
                           .number(rng.next() % 10000000000ULL, 10)
                           .finish());
        m_vendor->text(m_text.isoDateTime(created)).text(m_text.isoDateTime(created + rng.below(86400 * 90)));
        m_vendor->insert();
        b.indexBytes += indexEntry(area.size() + account.size(), 2);
    }
    for (int i = 0; i < 3; ++i) {
        m_text.reset();
        const qint64 recid = ++b.items;
        const auto itemId = m_text.code("I", std::uint64_t(recid), 7);
        const auto name = m_text.start().add(rng.pick(ItemAdjectives)).add(' ').add(rng.pick(ItemNouns)).finish();
        const double cost = rng.range(50, 250000) / 100.0;
        const double price = double(qint64(cost * rng.range(110, 180))) / 100.0;
        const std::int64_t created = randomSecond(rng);
        const std::string_view unit = rng.pick(Units);
        m_items.push_back({std::string(name), unit, price, cost});
        m_item->integer(recid).text(itemId).text(name).text(rng.pick(ItemGroups)).text(unit);
        m_item->real(price).real(cost).real(rng.range(1, 50000) / 1000.0);
        m_item->text([&] {
            m_text.start();
            addWords(rng, 8, 20);
            return m_text.add('.').finish();
        }());
        m_item->text("usmf")
            .text(m_text.isoDateTime(created))
            .text(m_text.isoDateTime(created + rng.below(86400 * 90)));
        m_item->insert();
        b.indexBytes += indexEntry(4 + itemId.size(), 2);
    }

    for (int i = 0; i < 40; ++i) {
        m_text.reset();
        const qint64 recid = ++b.salesOrders;
        const std::string_view area = rng.pick(Areas);
        const auto salesId = m_text.code("SO", std::uint64_t(recid), 8);
        const auto customer = m_text.code("C", 1 + rng.below(std::uint32_t(b.customers)), 6);
        const std::int64_t created = randomSecond(rng);
        const int status = rng.pick(SalesStatuses);
        const std::string_view currency = rng.pick(Currencies);
        const auto createdText = m_text.isoDateTime(created);
        const auto modified = m_text.isoDateTime(created + rng.below(86400 * 30));
        const auto deliveryName = companyName(rng, 1 + rng.below(999));
        const auto deliveryAddress = address(rng);
        const auto requested = m_text.isoDate(created / 86400 + rng.range(1, 30));
        const std::string_view taxGroup = rng.pick(TaxGroups);
        const std::string_view warehouse = rng.pick(Warehouses);
        m_salesOrder->integer(recid).text(salesId).text(customer).text(deliveryName);
        m_salesOrder->integer(status).text(currency).text(requested);
        m_salesOrder->text(deliveryAddress).text(m_text.code("PO-", rng.below(1000000), 6)).text(area);
        m_salesOrder->text(createdText).text(modified).insert();
        b.indexBytes += indexEntry(area.size() + salesId.size(), 2) + indexEntry(customer.size(), 1);

        const int lines = rng.range(1, 8);
        for (int line = 1; line <= lines; ++line) {
            const std::uint32_t item = rng.below(std::uint32_t(b.items));
            const auto itemId = m_text.code("I", item + 1, 7);
            const double qty = rng.percent(80) ? rng.range(1, 20) : rng.range(1, 5000) / 10.0;
            // Now and then a negotiated price instead of the item's list price.
            const Item& it = m_items[item];
            const double price = rng.percent(80) ? it.price : rng.range(100, 200000) / 100.0;
            const double discount = rng.percent(70) ? 0.0 : rng.range(1, 50) * 0.5;
            const double amount = double(qint64(qty * (price - discount) * 100.0)) / 100.0;
            m_salesLine->integer(++b.salesLines).text(salesId).integer(line).text(itemId).text(it.name);
            m_salesLine->real(qty).text(it.unit).real(price).real(discount).real(amount).real(it.cost);
            m_salesLine->integer(std::min(status, 3)).text(taxGroup).text(rng.pick(TaxItemGroups));
            m_salesLine->text(m_text.code("#", rng.below(1000000), 6)).text(warehouse).text(deliveryName);
            m_salesLine->text(deliveryAddress).text(requested);
            m_salesLine->text(m_text.isoDate(created / 86400 + rng.range(1, 45))).text(area).text(createdText);
            m_salesLine->text(modified).insert();
            b.indexBytes += indexEntry(salesId.size() + 1, 2) + indexEntry(itemId.size(), 1);
        }
    }

    for (int i = 0; i < 50; ++i) {
        m_text.reset();
        const qint64 recid = ++b.journalEntries;
        const std::int64_t posted = randomSecond(rng);
        const auto date = m_text.isoDate(posted / 86400);
        m_journalEntry->integer(recid).text(m_text.code("GJ", std::uint64_t(recid / 7 + 1), 8)).text(date);
        m_journalEntry->text(m_text.code("DOC-", rng.below(10000000), 7)).text(date);
        m_journalEntry->text([&] {
            m_text.start();
            addWords(rng, 3, 9);
            return m_text.finish();
        }());
        m_journalEntry->integer(rng.percent(95) ? 0 : rng.range(1, 3)).text(rng.pick(Areas));
        m_journalEntry->text(m_text.isoDateTime(posted)).insert();
        b.indexBytes += indexEntry(date.size(), 1);

        // Balanced entries: debits first, then one credit of the total, in each currency.
        const int debits = rng.range(1, 5);
        const std::uint32_t currency = rng.below(std::uint32_t(std::size(Currencies)));
        const double rate = ExchangeRates[currency];
        const auto reference = m_text.code("INV-", rng.below(100000000), 8);
        qint64 totalCents = 0;
        qint64 totalAccountingCents = 0;
        for (int k = 0; k <= debits; ++k) {
            const bool credit = k == debits;
            const qint64 cents = credit ? -totalCents : qint64(rng.range(100, 2000000));
            const qint64 accountingCents = credit ? -totalAccountingCents : qint64(double(cents) * rate);
            totalCents += credit ? 0 : cents;
            totalAccountingCents += credit ? 0 : accountingCents;
            const auto account = m_text.start()
                                     .add(rng.pick(LedgerMainAccounts))
                                     .add('-')
                                     .add(rng.pick(Departments))
                                     .add('-')
                                     .add(rng.pick(CostCenters))
                                     .finish();
            m_accountEntry->integer(++b.accountEntries).integer(recid).text(account);
            m_accountEntry->integer(5637144576LL + rng.below(100000)).text(Currencies[currency]);
            m_accountEntry->real(double(cents) / 100.0).real(double(accountingCents) / 100.0);
            m_accountEntry->real(double(accountingCents) / 100.0).real(rng.percent(30) ? rng.range(1, 100) : 0);
            m_accountEntry->integer(credit ? 1 : 0).integer(rng.percent(2) ? 1 : 0).integer(rng.range(1, 40));
            m_accountEntry->text(date).text(reference).text([&] {
                m_text.start();
                addWords(rng, 3, 10);
                return m_text.finish();
            }());
            m_accountEntry->insert();
            b.indexBytes += indexEntry(4, 1);
        }
    }
}

void DemoTransactionalWriter::createIndexesViewsAndTriggers()
{
    for (const char* sql : IndexesViewsAndTriggers)
        m_db.exec(sql);
}
