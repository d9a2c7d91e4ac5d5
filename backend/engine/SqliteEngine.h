#pragma once

#include "engine/DatabaseEngine.h"

// DatabaseEngine for SQLite files.
// - The snapshot copy is SQLite's online backup, stepped page by page inside one
//   read transaction of the source: in WAL mode writers go on, and the copy is the
//   instant the transaction began.
// - Staging and restore points are files next to the target
//   (<target>.staging-op<N>, <target>.restore-op<N>).
// - swap(): checkpoint the target, fsync the staging file, hard-link the target as
//   the restore point, then rename() the staging file over it: the target path always
//   names a whole database.
// - restore(): rename() the restore point back over the target. The rename does not
//   depend on the size, but it frees the refreshed database it replaces, and that
//   does: about 1.3 s per GB on ext4 mounted with discard (README, Benchmarks).
class SqliteEngine : public DatabaseEngine
{
public:
    bool test(const DatabaseRef& ref, QString* error) override;
    // The file and its folder can be written (a read-only mount cannot).
    bool testWritable(const DatabaseRef& target, QString* error) override;
    bool exists(const DatabaseRef& ref) override;
    bool identify(const DatabaseRef& ref, QString* identity, QString* error) override;
    qint64 sizeBytes(const DatabaseRef& ref) override;
    qint64 freeBytesFor(const DatabaseRef& target) override;
    DatabaseRef stagingFor(const DatabaseRef& target, qint64 operationId) override;
    DatabaseRef restorePointFor(const DatabaseRef& target, qint64 operationId) override;
    DatabaseRef keptCopyFor(const DatabaseRef& database, qint64 pointId, const QString& folder) override;
    bool copySnapshot(const DatabaseRef& source, const DatabaseRef& staging, const Progress& progress,
                      const Cancelled& cancelled, QString* error, QJsonObject* sourceRowCounts = nullptr,
                      const QStringList* countOnly = nullptr) override;
    // A byte copy of the checkpointed file taken under a read lock that keeps any
    // checkpoint from writing to it meanwhile (a backup-API copy would renumber the
    // schema cookie and the change counter).
    bool copyRestorePoint(const DatabaseRef& target, const DatabaseRef& restorePoint, const Progress& progress,
                          const Cancelled& cancelled, QString* error) override;
    bool drop(const DatabaseRef& ref, QString* error) override;
    bool swap(const DatabaseRef& target, const DatabaseRef& staging, const DatabaseRef& restorePoint,
              QString* error) override;
    bool restore(const DatabaseRef& target, const DatabaseRef& restorePoint, QString* error) override;
    PolicySql::Dialect dialect() const override { return PolicySql::Dialect::Sqlite; }
    QString copyUnit() const override { return QStringLiteral("bytes"); }
    // The backup API copies pages.
    bool copiesPages() const override { return true; }
    QString changeStamp(const DatabaseRef& ref) const override;
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
    // SqlitePolicyApplier on the staging file, the target attached as "target" for keep-target rules.
    PolicyReport applyPolicy(const DatabaseRef& staging, const DatabaseRef& target, const DataPolicy& policy,
                             const PolicyContext& context, const PolicyProgress& progress,
                             const Cancelled& cancelled) override;
    bool tableRowCounts(const DatabaseRef& ref, QJsonObject* counts, QString* error,
                        const QStringList* countOnly = nullptr) override;
    // PRAGMA quick_check.
    bool checkIntegrity(const DatabaseRef& ref, QString* error) override;
    // PRAGMA quick_check(TABLE) for each table (SQLite 3.33+): its b-tree and its indexes.
    bool checkTablesIntegrity(const DatabaseRef& ref, const QStringList& tables, QString* error) override;

    // Checkpoints and truncates the WAL of `path` so that the file alone is the database.
    static bool quiesce(const QString& path, QString* error);
    // Pages per backup step: 16 MiB at the default page size.
    static constexpr int PagesPerStep = 4096;
};
