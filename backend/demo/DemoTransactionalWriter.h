#pragma once

#include "demo/DemoDatabase.h"
#include "demo/DemoEnvironmentPlan.h"
#include "demo/DemoText.h"

#include <QString>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class DemoRandom;
class SqliteStatement;

// Writes one environment's transactional database: every table of
// docs/data-policy.md ("Dynamics 365 tables") with rows for every default policy rule to act on,
// environment-specific rows that name their own environment, and business tables
// (customers, vendors, items, sales orders and lines, general journal entries) sized so
// that the file ends up close to the plan's byte budget. Secondary indexes, views and
// triggers are created after the bulk load.
//
// Deterministic: the rows depend only on the plan (environment id, tenant, ordinal,
// budget), never on the clock.
class DemoTransactionalWriter
{
public:
    // `bytes`: the size of the database so far. Returning false stops the writer (write() fails).
    using Progress = std::function<bool(qint64 bytes)>;

    explicit DemoTransactionalWriter(const DemoEnvironmentPlan& plan);
    ~DemoTransactionalWriter();
    DemoTransactionalWriter(const DemoTransactionalWriter&) = delete;
    DemoTransactionalWriter& operator=(const DemoTransactionalWriter&) = delete;

    // Creates `path` (which must not exist). On failure the half-written file is left
    // for the caller to remove, and `error` names the cause.
    bool write(const QString& path, QString* error, const Progress& progress);

private:
    DemoRandom random(const char* table) const;
    // Rows of reference tables grow with the budget: `base` plus `perMiB` per MiB, at most `max`.
    int scaled(int base, double perMiB, int max) const;

    void createSchema();
    void writePartitionsAndUsers();
    void writeBatchJobs();
    void writeElectronicAddresses();
    void writeEmailAndPrintSettings();
    void writeServerConfiguration();
    void writeDocuments();
    void writeIntegrations();
    void writeRetail();
    void writeBusinessData(const Progress& progress);
    void writeBusinessRound(DemoRandom& rng);
    void createIndexesViewsAndTriggers();

    // Appends `min`..`max` words of the vocabulary, separated by spaces, to the value being composed.
    void addWords(DemoRandom& rng, int min, int max);
    std::string_view companyName(DemoRandom& rng, std::uint64_t number);
    std::string_view address(DemoRandom& rng);
    std::int64_t randomSecond(DemoRandom& rng);

    const DemoEnvironmentPlan& m_plan;
    DemoDatabase m_db;
    DemoText m_text;
    std::string m_envId;     // e.g. contoso-uat
    std::string m_serverTag; // e.g. CONTOSO-UAT
    std::string m_tenant;
    std::string m_admin;
    std::string m_commerceVersion;
    std::vector<std::string> m_userIds;
    struct Item
    {
        std::string name;
        std::string_view unit;
        double price = 0;
        double cost = 0;
    };
    std::vector<Item> m_items;
    qint64 m_initialPartition = 0;
    qint64 m_otherPartition = 0;

    // Business data generated so far, and the estimated bytes its secondary indexes will take.
    struct Business
    {
        qint64 customers = 0;
        qint64 vendors = 0;
        qint64 items = 0;
        qint64 salesOrders = 0;
        qint64 salesLines = 0;
        qint64 journalEntries = 0;
        qint64 accountEntries = 0;
        qint64 indexBytes = 0;
    } m_business;
    std::unique_ptr<SqliteStatement> m_customer;
    std::unique_ptr<SqliteStatement> m_vendor;
    std::unique_ptr<SqliteStatement> m_item;
    std::unique_ptr<SqliteStatement> m_salesOrder;
    std::unique_ptr<SqliteStatement> m_salesLine;
    std::unique_ptr<SqliteStatement> m_journalEntry;
    std::unique_ptr<SqliteStatement> m_accountEntry;
};
