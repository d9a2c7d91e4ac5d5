#pragma once

#include "environment/DatabaseRef.h"
#include "policy/PolicyContext.h"
#include "engine/PolicyCounter.h"
#include "policy/PolicyReport.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"

#include <QJsonObject>
#include <QMap>
#include <QVariant>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

class DataPolicy;

// What an operation needs from a database engine, so that the refresh and apply
// runbooks are written once for SQLite files and PostgreSQL servers alike.
//
// Promises of every implementation:
// - copySnapshot() copies one consistent instant of the source, while the source
//   keeps serving, into a staging database that is never the target.
// - swap() and restore() are idempotent and crash-safe: at every instant the target
//   name holds a whole database (the old one or the new one), so a crash is repaired
//   by running them again.
// - Nothing here ever writes to a source database.
// - The policy, row counts and checks run inside the engine, so the refresh job and
//   the preflight have one code path for every engine.
class DatabaseEngine
{
public:
    // done/total in the engine's units (pages, rows), bytes copied so far.
    using Progress = std::function<void(qint64 done, qint64 total, qint64 bytes)>;
    using Cancelled = std::function<bool()>;
    // rule index, rule count, rule id (SqlitePolicyApplier::Progress).
    using PolicyProgress = std::function<void(int done, int total, const QString& ruleId)>;
    // The values a package script binds by name (":environment" -> "contoso-uat").
    using ScriptParameters = QMap<QString, QVariant>;
    // statements run, statements in the script.
    using ScriptProgress = std::function<void(qint64 done, qint64 total)>;

    virtual ~DatabaseEngine() = default;
    static std::unique_ptr<DatabaseEngine> forDatabase(const DatabaseRef& ref);

    // Opens the database read-only and reads its schema.
    virtual bool test(const DatabaseRef& ref, QString* error) = 0;
    // Whether a refresh can write where `target` lives (its staging copy, the swap); an
    // engine that cannot tell answers true and lets the refresh find out.
    virtual bool testWritable(const DatabaseRef& target, QString* error)
    {
        Q_UNUSED(target);
        Q_UNUSED(error);
        return true;
    }
    virtual bool exists(const DatabaseRef& ref) = 0;
    // What the database is, whatever name reaches it: the server's system identifier and
    // the database's oid (PostgreSQL), the file's device and inode (SQLite). Two
    // references with one identity are one database, under another host name, IP,
    // port, path or link. Opens it read-only.
    virtual bool identify(const DatabaseRef& ref, QString* identity, QString* error) = 0;
    // Size on disk, -1 if unknown.
    virtual qint64 sizeBytes(const DatabaseRef& ref) = 0;
    // Free space where a staging copy of `target` would be written, -1 if unknown.
    virtual qint64 freeBytesFor(const DatabaseRef& target) = 0;

    virtual DatabaseRef stagingFor(const DatabaseRef& target, qint64 operationId) = 0;
    virtual DatabaseRef restorePointFor(const DatabaseRef& target, qint64 operationId) = 0;
    // Where restore point `pointId` (RestorePointStore) keeps its copy of `database`: a
    // file `<folder>/<role>.db` for SQLite (the catalog's folder for restore points), a
    // database beside it on the same server for PostgreSQL.
    virtual DatabaseRef keptCopyFor(const DatabaseRef& database, qint64 pointId, const QString& folder) = 0;

    // With `sourceRowCounts`, every table of the SOURCE (keys as tableRowCounts() names
    // them) with its row count, counted in the snapshot the copy reads: the rows the
    // staging database must hold before anything else writes to it. With `countOnly`,
    // an engine whose copy is page for page (copiesPages()) counts only those tables
    // (names compared without case) and names the others with a null count, unless one
    // of them has a trigger (which may write elsewhere); another engine may count them all.
    virtual bool copySnapshot(const DatabaseRef& source, const DatabaseRef& staging, const Progress& progress,
                              const Cancelled& cancelled, QString* error, QJsonObject* sourceRowCounts = nullptr,
                              const QStringList* countOnly = nullptr) = 0;
    // Whether copySnapshot() copies the source's pages as they are (SQLite's backup API):
    // a table nothing writes afterwards then holds, byte for byte, the rows it held in the
    // source's snapshot, so counting it proves nothing and costs another read of the file.
    virtual bool copiesPages() const { return false; }
    // A mark that changes whenever the stored bytes of `ref` may have changed (SQLite:
    // the file's inode, size and modification time, and its WAL's): what a job records
    // after it wrote a staging database, to notice a change made behind its back before
    // it trusts tables it did not count. Empty where the engine has none.
    virtual QString changeStamp(const DatabaseRef& ref) const
    {
        Q_UNUSED(ref);
        return {};
    }
    // Copies `target` beside it as `restorePoint` (an apply's), while it stays online:
    // written under a temporary name and renamed, so the restore point's name never
    // holds a partial copy; restore() puts it back. By default a snapshot copy;
    // SqliteEngine copies the checkpointed file's bytes under a read lock, so that a
    // rollback gives back the very same bytes.
    virtual bool copyRestorePoint(const DatabaseRef& target, const DatabaseRef& restorePoint,
                                  const Progress& progress, const Cancelled& cancelled, QString* error)
    {
        return drop(restorePoint, error) && copySnapshot(target, restorePoint, progress, cancelled, error);
    }
    // Creates `staging` from a logical backup (a pg_dump directory) with the encoding and
    // locale of `like`; an engine without one refuses. A failure leaves no `staging`.
    virtual bool restoreDump(const DatabaseRef& staging, const QString& dumpDirectory, const DatabaseRef& like,
                             const Cancelled& cancelled, QString* error)
    {
        Q_UNUSED(staging);
        Q_UNUSED(dumpDirectory);
        Q_UNUSED(like);
        Q_UNUSED(cancelled);
        *error = QStringLiteral("this engine restores no logical backup");
        return false;
    }
    // Removes a staging database or a released restore point; absent is fine.
    virtual bool drop(const DatabaseRef& ref, QString* error) = 0;
    // Puts `staging` in place of `target`, keeping the previous target as `restorePoint`.
    virtual bool swap(const DatabaseRef& target, const DatabaseRef& staging, const DatabaseRef& restorePoint,
                      QString* error) = 0;
    // Puts `restorePoint` back in place of `target` (rollback). No restore point: nothing to do.
    // The database rolled back may be left under stagingFor(target, operation) instead of being
    // deleted (deleting a large one can take seconds): the job drops it once the rollback is recorded.
    virtual bool restore(const DatabaseRef& target, const DatabaseRef& restorePoint, QString* error) = 0;

    // The bind markers of the statements queryValue() runs.
    virtual PolicySql::Dialect dialect() const = 0;
    // The unit of copySnapshot()'s done/total ("bytes" for both engines).
    virtual QString copyUnit() const = 0;
    // The tables and columns of the database (its default schema), read-only.
    virtual std::optional<SchemaInfo> readSchema(const DatabaseRef& ref, QString* error) = 0;
    // Runs one read-only statement built for dialect() and returns its first value;
    // an invalid QVariant on an error, an empty QString for NULL or no row.
    virtual QVariant queryValue(const DatabaseRef& ref, const PolicyStatement& statement, QString* error) = 0;
    // Runs read-only statements built for dialect() on one connection and one snapshot,
    // handing each row to `row` with the statement's index (values as queryValue gives
    // them, NULL as a null QVariant). False with `error` at the first statement that fails.
    // With `skipped`, a statement that fails (a table another session locked past
    // `lockTimeoutMs`, on PostgreSQL) is left out and its error appended there, and the
    // others still run. lockTimeoutMs 0: PostgresSnapshotCopy::lockTimeoutSeconds().
    using RowHandler = std::function<void(int statement, const QVariantList& values)>;
    struct QueryOptions
    {
        QStringList* skipped = nullptr;
        int lockTimeoutMs = 0;
    };
    virtual bool queryEach(const DatabaseRef& ref, const QList<PolicyStatement>& statements, const RowHandler& row,
                           QString* error, const QueryOptions& options) = 0;
    bool queryEach(const DatabaseRef& ref, const QList<PolicyStatement>& statements, const RowHandler& row,
                   QString* error)
    {
        return queryEach(ref, statements, row, error, QueryOptions{});
    }
    // How many rows of `source` each rule of `policy` affects (PolicyCounter), from one snapshot.
    virtual bool countPolicyRows(const DatabaseRef& source, const DataPolicy& policy,
                                 QList<PolicyCounter::RuleCount>* counts, QString* error) = 0;
    // Applies `policy` to the staging database; keep-target rules read the rows of
    // `target` (the pre-refresh target, read-only).
    virtual PolicyReport applyPolicy(const DatabaseRef& staging, const DatabaseRef& target, const DataPolicy& policy,
                                     const PolicyContext& context, const PolicyProgress& progress,
                                     const Cancelled& cancelled) = 0;
    // The row count of every table, by name ("schema.table" outside the default schema);
    // with `countOnly`, as copySnapshot() counts.
    virtual bool tableRowCounts(const DatabaseRef& ref, QJsonObject* counts, QString* error,
                                const QStringList* countOnly = nullptr) = 0;
    // The engine's own integrity check of a (staging) database.
    virtual bool checkIntegrity(const DatabaseRef& ref, QString* error) = 0;
    // A package step of an operation, as marked in the database it changed.
    struct StepMark
    {
        qint64 operation = 0;
        int ordinal = 0;
    };
    // Runs the SQL of a package step on `ref` in ONE transaction: every statement or, on
    // any error, none; a script that begins, commits or rolls back a transaction itself
    // is refused. `statements` receives how many ran. (SqliteScript, PostgresScript.)
    // The same transaction records `mark` in the table dataalm_step_mark, so that a
    // crash between the commit and the runbook's record of it leaves a trace: a Resume
    // asks stepMarked() and does not run a committed step twice.
    virtual bool runScript(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                           const ScriptProgress& progress, const StepMark& mark, qint64* statements,
                           QString* error) = 0;
    // Whether the step `mark` committed in `ref` (read-only).
    virtual bool stepMarked(const DatabaseRef& ref, const StepMark& mark, bool* marked, QString* error) = 0;
    // Removes the marks of `operation` from `ref`, and their table once it is empty:
    // what an apply does once all its steps are recorded, or when it is aborted.
    virtual bool clearStepMarks(const DatabaseRef& ref, qint64 operation, QString* error) = 0;
    // Runs a package's check: one query that only reads, its first value in `value`
    // (a null QVariant for NULL or no row).
    virtual bool runCheck(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                          QVariant* value, QString* error) = 0;

    // The integrity check limited to `tables` and their indexes (what a refresh wrote);
    // an engine without a cheaper per-table check runs the whole one.
    virtual bool checkTablesIntegrity(const DatabaseRef& ref, const QStringList& tables, QString* error)
    {
        Q_UNUSED(tables);
        return checkIntegrity(ref, error);
    }
};
