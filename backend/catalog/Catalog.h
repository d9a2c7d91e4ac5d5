#pragma once

#include "environment/Environment.h"
#include "environment/Project.h"
#include "environment/PitrSource.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <functional>
#include <optional>

// The catalog: a SQLite database (catalog.db) in the catalog folder that holds the
// projects, their environments and databases, the operations with their runbook
// steps, and an audit trail of who did what.
//
// Promises:
// - open() either gives a catalog at the current schema version or changes nothing:
//   a folder that cannot be written, a file that is not a catalog and a catalog
//   written by a newer build are refused with a message that names the cause.
// - An older catalog is upgraded in one transaction by the versioned migrations.
// - One Catalog object owns one connection, usable only from the thread that
//   opened it; every thread that needs the catalog opens its own Catalog.
class Catalog
{
public:
    // The schema version this build writes; see CatalogMigrations.cpp.
    static int currentSchemaVersion();
    static constexpr const char* FileName = "catalog.db";

    Catalog();
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // Opens (creating and initialising where needed) the catalog in `folder`.
    // `upToVersion` exists for tests that build an older catalog.
    bool open(const QString& folder, QString* error, int upToVersion = -1);
    bool isOpen() const;
    QString folder() const { return m_folder; }
    QString databasePath() const;
    int schemaVersion() const;
    // SQLite's PRAGMA data_version: changes whenever another connection (another
    // thread's Catalog, another process) commits to the catalog, and only then. A
    // screen that polls compares it to skip re-reading what did not change. -1 on an error.
    qint64 dataVersion() const;
    QSqlDatabase database() const;

    // Projects and environments.
    QList<Project> projects() const;
    std::optional<Project> project(const QString& id) const;
    bool addProject(const Project& project, QString* error);
    bool setProjectPolicy(const QString& projectId, const QString& policyPath, QString* error);
    QList<Environment> environments(const QString& projectId = {}) const;
    // The ids of the environments with a database on `driver` ("postgres"), sorted.
    QStringList environmentIdsUsing(const QString& driver) const;
    std::optional<Environment> environment(const QString& id) const;
    bool addEnvironment(const Environment& environment, QString* error);
    // `check`, when given, runs under the catalog's write lock right before the change:
    // a non-empty answer refuses it (as `error`) and changes nothing.
    bool updateEnvironment(const Environment& environment, QString* error,
                           const std::function<QString()>& check = {});
    bool removeEnvironment(const QString& id, QString* error);
    bool setEnvironmentVersions(const QString& id, const EnvironmentVersions& versions, QString* error);
    // Where `environmentId`'s server archives its WAL with pgBackRest (empty when it is not set).
    PitrSource pitrSource(const QString& environmentId) const;
    // Sets it (an empty stanza removes it).
    bool setPitrSource(const QString& environmentId, const PitrSource& source, QString* error);

    // The audit trail: who did what to which subject, newest first.
    struct AuditEntry
    {
        QDateTime at;
        QString who;
        QString action;
        QString subject;
        QString detail;
    };
    void audit(const QString& action, const QString& subject, const QString& detail = {});
    QList<AuditEntry> auditTrail(int limit = 100) const;

    // The login name of the person running this process.
    static QString currentUser();
    // An ISO 8601 UTC timestamp with milliseconds, as the catalog stores times.
    static QString now();

private:
    bool openConnection(const QString& path, int upToVersion, QString* error);
    void closeConnection();
    bool migrate(int upToVersion, QString* error);
    Environment environmentFromQuery(const class QSqlQuery& q) const;
    QString derivedState(const QString& environmentId) const;

    QString m_folder;
    QString m_connectionName;
};
