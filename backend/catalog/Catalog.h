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

// The catalog: the projects, their environments and databases, the operations with
// their runbook steps, and an audit trail of who did what. Two backends, one schema:
// - a SQLite database (catalog.db) in a catalog folder: one person, the default;
// - a PostgreSQL database named by a URL (postgresql://host:port/db): a team, whose
//   agents and consoles share it. Files (runbook logs, restore points, the asset
//   library) then live in a local files folder: DATAALM_FILES, or
//   ~/.local/share/dataalm/team/<host>-<port>-<db>.
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

    enum class Backend { Sqlite, Postgres };

    // Opens (creating and initialising where needed) the catalog at `location`: a
    // folder, or a postgresql:// URL (never with a password: ~/.pgpass, PGPASSFILE or
    // a service file hold it). `upToVersion` exists for tests that build an older catalog.
    bool open(const QString& location, QString* error, int upToVersion = -1);
    bool isOpen() const;
    // What open() was given (the folder made absolute): what another thread or process
    // opens to reach the same catalog.
    QString location() const { return m_location; }
    // Where this catalog's files live: the catalog folder, or a team catalog's files folder.
    QString folder() const { return m_folder; }
    Backend backend() const { return m_backend; }
    bool isTeam() const { return m_backend == Backend::Postgres; }
    static bool isTeamLocation(const QString& location);
    // The files folder of a team catalog's URL (DATAALM_FILES when set).
    static QString filesFolderFor(const QString& url);
    // The catalog file, or the team catalog's URL.
    QString databasePath() const;
    // Begins a transaction that holds the catalog's write lock (SQLite's BEGIN
    // IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock): checks made in it
    // cannot be overtaken by another writer before it commits.
    bool beginWrite(QString* error = nullptr);
    // Whether `error` is a unique constraint's refusal (either backend).
    static bool isUniqueViolation(const class QSqlError& error);
    // The sentence a server's refusal carries (a trigger's RAISE, a policy's denial),
    // without "ERROR:" and the driver's codes, as a sentence: what the CLI and the
    // console show.
    static QString serverMessage(const class QSqlError& error);
    int schemaVersion() const;
    // SQLite's PRAGMA data_version: changes whenever another connection (another
    // thread's Catalog, another process) commits to the catalog, and only then. A
    // screen that polls compares it to skip re-reading what did not change. -1 on an error.
    // On a team catalog: a count of the changes announced on LISTEN/NOTIFY (received in
    // this thread's event loop), moved once every 30 seconds too (a fallback).
    qint64 dataVersion() const;
    // Team catalog: calls `heard` in this thread's event loop for each notification on
    // `channel` (LISTEN). False on a SQLite catalog, or when the server refuses.
    bool listen(const QString& channel, const std::function<void(const QString& payload)>& heard);
    // Whether the connection answers; when it does not (a team catalog's server restarted,
    // a dropped connection), opens it again, LISTENs again, and says whether that
    // worked, trying again for up to `waitMs` (a server that restarts). A SQLite catalog
    // always answers. For the writers that must survive a dropped connection: the agent,
    // the runner, the store's state changes.
    bool ensureConnected(int waitMs = 0);
    // How long the runner's writes wait for a team catalog that went away (a restart).
    static constexpr int ReconnectWaitMs = 60000;
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

    // Who this process acts as: on a team catalog the server's login (session_user, set
    // when one is opened), else the OS user.
    static QString currentUser();
    static void setProcessLogin(const QString& login);
    // An ISO 8601 UTC timestamp with milliseconds, as the catalog stores times.
    static QString now();

private:
    bool openConnection(const QString& path, int upToVersion, QString* error);
    bool openTeamConnection(const QString& url, int upToVersion, QString* error);
    void closeConnection();
    bool migrate(int upToVersion, QString* error);
    Environment environmentFromQuery(const class QSqlQuery& q, bool* complete) const;
    QString derivedState(const QString& environmentId) const;

    QString m_location;
    QString m_folder;
    QString m_connectionName;
    Backend m_backend = Backend::Sqlite;
    mutable qint64 m_changes = 0;
    mutable bool m_listening = false;
    struct Listener
    {
        QString channel;
        std::function<void(const QString&)> heard;
    };
    QList<Listener> m_listeners;
};
