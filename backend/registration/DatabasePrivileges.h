#pragma once

#include "environment/DatabaseRef.h"

#include <QString>
#include <QStringList>
#include <optional>

// What the role DataALM connects as may do on the PostgreSQL server of a refresh
// target, read from pg_roles and pg_database. A refresh creates its staging
// database next to the target (CREATE DATABASE: CREATEDB or superuser), then
// renames the target into its restore point and the staging into the target (only
// the target's owner or a superuser may; an owner also needs CREATEDB), and signing
// off drops the restore point (owner). The preflight's `privileges` check and
// `env add` of a sandbox use it.
//
// Promises: reads only (no statement that changes anything); opens its own
// connection, so it runs on any thread; SQLite databases have nothing to check here
// (their folder's permissions are SqliteEngine::testWritable's).
class DatabasePrivileges
{
public:
    static std::optional<DatabasePrivileges> read(const DatabaseRef& target, QString* error);

    QString role; // the role DataALM is connected as
    bool superuser = false;
    bool createDb = false; // rolcreatedb of the role itself (not inherited, as CREATE DATABASE checks it)
    bool owner = false;    // the role has the privileges of the database's owner
    QString databaseOwner; // the owner's name

    // What a refresh into `target` lacks, e.g. "CREATEDB", "ownership of database erp_uat"; empty when nothing.
    QStringList missing(const DatabaseRef& target) const;
    // One sentence naming the missing privileges and how to grant them; empty when nothing is missing.
    QString problem(const DatabaseRef& target) const;
};
