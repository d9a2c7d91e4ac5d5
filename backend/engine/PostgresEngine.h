#pragma once

#include "engine/DatabaseEngine.h"

// DatabaseEngine for PostgreSQL databases (libpq; no password is ever stored).
// - copySnapshot(): PostgresSnapshotCopy: one exported snapshot of the source shared
//   by parallel COPY workers, the schema by pg_dump/pg_restore, into a new staging
//   database <target>_staging_op<N> on the target's server.
// - swap(): in ONE transaction (ALTER DATABASE ... RENAME may run in a transaction
//   block): the target's sessions are ended, the target is renamed
//   <target>_restore_op<N> and the staging database takes the target's name. The
//   target name always holds a whole database; a crash leaves one state or the other.
// - restore(): the same renames the other way (the refreshed database takes the
//   staging name, for discard() to drop): about a second at any size.
// - Names longer than PostgreSQL's 63 bytes are shortened with a hash (derivedName).
class PostgresEngine : public DatabaseEngine
{
public:
    bool test(const DatabaseRef& ref, QString* error) override;
    bool exists(const DatabaseRef& ref) override;
    bool identify(const DatabaseRef& ref, QString* identity, QString* error) override;
    qint64 sizeBytes(const DatabaseRef& ref) override;
    // Unknown (-1): the server's disk is not visible from here.
    qint64 freeBytesFor(const DatabaseRef& target) override;
    DatabaseRef stagingFor(const DatabaseRef& target, qint64 operationId) override;
    DatabaseRef restorePointFor(const DatabaseRef& target, qint64 operationId) override;
    DatabaseRef keptCopyFor(const DatabaseRef& database, qint64 pointId, const QString& folder) override;
    bool restoreDump(const DatabaseRef& staging, const QString& dumpDirectory, const DatabaseRef& like,
                     const Cancelled& cancelled, QString* error) override;
    bool copySnapshot(const DatabaseRef& source, const DatabaseRef& staging, const Progress& progress,
                      const Cancelled& cancelled, QString* error, QJsonObject* sourceRowCounts = nullptr,
                      const QStringList* countOnly = nullptr) override;
    bool drop(const DatabaseRef& ref, QString* error) override;
    bool swap(const DatabaseRef& target, const DatabaseRef& staging, const DatabaseRef& restorePoint,
              QString* error) override;
    bool restore(const DatabaseRef& target, const DatabaseRef& restorePoint, QString* error) override;
    PolicySql::Dialect dialect() const override { return PolicySql::Dialect::Postgres; }
    QString copyUnit() const override { return QStringLiteral("bytes"); }
    std::optional<SchemaInfo> readSchema(const DatabaseRef& ref, QString* error) override;
    QVariant queryValue(const DatabaseRef& ref, const PolicyStatement& statement, QString* error) override;
    using DatabaseEngine::queryEach;
    bool queryEach(const DatabaseRef& ref, const QList<PolicyStatement>& statements, const RowHandler& row,
                   QString* error, const QueryOptions& options) override;
    bool runScript(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                   const ScriptProgress& progress, const StepMark& mark, qint64* statements,
                   QString* error) override;
    bool stepMarked(const DatabaseRef& ref, const StepMark& mark, bool* marked, QString* error) override;
    bool clearStepMarks(const DatabaseRef& ref, qint64 operation, QString* error) override;
    bool runCheck(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters, QVariant* value,
                  QString* error) override;
    bool countPolicyRows(const DatabaseRef& source, const DataPolicy& policy, QList<PolicyCounter::RuleCount>* counts,
                         QString* error) override;
    PolicyReport applyPolicy(const DatabaseRef& staging, const DatabaseRef& target, const DataPolicy& policy,
                             const PolicyContext& context, const PolicyProgress& progress,
                             const Cancelled& cancelled) override;
    // count(*) of every table, in one REPEATABLE READ transaction: always counted, so a
    // verification never reads back what the copy reported.
    bool tableRowCounts(const DatabaseRef& ref, QJsonObject* counts, QString* error,
                        const QStringList* countOnly = nullptr) override;
    // Every index valid (a failed CREATE INDEX leaves an invalid one behind).
    bool checkIntegrity(const DatabaseRef& ref, QString* error) override;

    // `base` + `suffix` as a database name of at most 63 bytes: when too long, `base` is
    // cut (on a character boundary) and an 8-digit hash of the whole of it inserted, so
    // different long names stay different. The suffix is always kept whole at the end.
    static QString derivedName(const QString& base, const QString& suffix);
    // Parallel COPY workers and pg_restore jobs: DATAALM_PG_JOBS, else 4.
    static int copyJobs();
    // Last copy's summary, for the step detail ("12 tables, 1 234 567 rows").
    QString lastCopySummary() const { return m_lastSummary; }

private:
    QString m_lastSummary;
};
