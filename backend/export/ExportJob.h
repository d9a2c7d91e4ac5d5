#pragma once

#include "environment/Environment.h"
#include "operation/OperationJob.h"

#include <QJsonObject>
#include <optional>

class Catalog;
class DatabaseEngine;

// Export database (LCS's name): a sandbox's transactional database into a backup file of
// the project's asset library ("Database backups"), with the data policy applied
// before anything is written: one instant of the source is copied into a staging
// database the source never sees (SQLite: under the catalog's folder; PostgreSQL: beside
// it on its server), the policy's exclude, blank and set rules run there (keep-target
// and reset-admin are the importing environment's business), the copy is checked,
// and the zip (BackupArchive: manifest.json with versions, policy digest, row counts
// and every payload file's SHA-256; the SQLite file or a pg_dump directory) is written
// under a temporary name and renamed into the library.
//
// Promises: the source is only read; nothing half-written is left in the asset
// library (a failure, a cancel or kill -9 leaves at most the staging copy and a .part
// file, which Resume, Abort and Rollback remove); every step can run again.
class ExportJob : public OperationJob
{
public:
    explicit ExportJob(Context& context);
    ~ExportJob() override;

    // Checks the source and the policy and creates the operation (NotStarted); its id, or
    // nullopt with `error`. `invalidPolicy` tells the policy was the cause.
    static std::optional<qint64> create(Catalog& catalog, const Environment& source, const QString& policyPath,
                                        QString* error, bool* invalidPolicy = nullptr);

    QStringList stepNames() const override;
    bool runStep(int ordinal, QString* detail, QString* error) override;
    int resumeFrom(int failedOrdinal) const override;
    bool rollback(QString* error) override;
    bool release(QString* error) override;
    bool discard() override;

private:
    bool validate(QString* detail, QString* error);
    bool prepare(QString* detail, QString* error);
    bool copy(QString* detail, QString* error);
    bool applyPolicy(QString* detail, QString* error);
    bool verify(QString* detail, QString* error);
    bool writeBackup(QString* detail, QString* error);
    bool addToLibrary(QString* detail, QString* error);
    // The work folder of this operation under the catalog (SQLite staging, pg_dump output).
    QString workFolder() const;
    QString backupPath() const;
    DatabaseRef staging() const;
    bool persistParams();

    QJsonObject m_params;
    DatabaseRef m_source;
    std::shared_ptr<DatabaseEngine> m_engine;
};
