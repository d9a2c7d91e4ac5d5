#pragma once

#include "environment/DatabaseRef.h"

#include <QMutex>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

class Catalog;
struct DemoEnvironmentPlan;

// Creates the demo project of docs/ARCHITECTURE.md ("Demo project"): five environments
// (contoso-prod, contoso-uat, contoso-uat2, contoso-dev, fabrikam-uat), each with a
// transactional and a financial reporting SQLite database under
// <catalog folder>/environments/<environment id>/, registered in the catalog.
// With `postgresUrl`, the databases are PostgreSQL databases on that server instead,
// one per environment and role, named after them ("contoso-uat", "contoso-uat-fr"),
// holding the same rows (written as SQLite first, then loaded with COPY).
//
// Promises:
// - Every table of docs/data-policy.md ("Dynamics 365 tables") exists in every transactional
//   database and holds rows, plus business tables (customers, vendors, items, sales
//   orders and lines, journal entries) that make up the bulk.
// - The production transactional database is about `sizeMb` MB (within 15%);
//   sandboxes and dev/test are smaller copies with environment-specific rows of their
//   own (server configuration, documents, channel database records...).
// - The same options give the same rows (a fixed pseudo-random sequence; no clock).
// - Environment databases are left in WAL mode, so a refresh can copy one instant
//   of them while others keep writing.
// - Nothing is registered unless every database was written: a failure removes the
//   files it created and leaves the catalog as it was.
class DemoGenerator
{
public:
    struct Options
    {
        QString project = QStringLiteral("contoso");
        int sizeMb = 32;     // production transactional database
        QString postgresUrl; // empty: SQLite files; else a libpq URL of the server (no password)
    };
    // what: a short description of the current work; done/total in bytes.
    using Progress = std::function<void(const QString& what, qint64 done, qint64 total)>;

    explicit DemoGenerator(Catalog& catalog);

    bool generate(const Options& options, QString* error, const Progress& progress = {});

private:
    QList<DemoEnvironmentPlan> plan(const Options& options) const;
    bool checkFree(const Options& options, const QList<DemoEnvironmentPlan>& plans, QString* error) const;
    bool writeDatabases(const QList<DemoEnvironmentPlan>& plans, QString* error, const Progress& progress);
    bool registerProject(const Options& options, const QList<DemoEnvironmentPlan>& plans, QString* error);
    // Removes the files and folders this generation created, newest first.
    void removeCreated();
    // PostgreSQL: loads the SQLite databases written under `folder` into the server.
    bool loadIntoPostgres(const QList<DemoEnvironmentPlan>& sqlitePlans, const QList<DemoEnvironmentPlan>& plans,
                          QString* error, const Progress& progress);

    Catalog& m_catalog;
    std::optional<DatabaseRef> m_server; // --postgres: the server, else none
    QStringList m_createdDatabases;      // PostgreSQL databases created so far
    QMutex m_createdMutex;
    QStringList m_createdFiles;
    QStringList m_createdFolders;
};
