#pragma once

#include "environment/Environment.h"
#include "operation/OperationJob.h"

#include <QJsonObject>
#include <optional>

class DataPolicy;
struct BackupManifest;
class DatabaseEngine;

// The Refresh database operation (docs/ARCHITECTURE.md "Refresh database runbook"): copies
// one instant of the source's databases into staging databases next to the
// target's, applies the data policy there, verifies them, and swaps them in, the
// previous target databases becoming the operation's restore point.
//
// Promises: the target is untouched until step 9 (the swap); every step can run
// again after a failure or a crash; rollback() puts the restore point back (a
// rename: the same cost at any size); release() deletes it.
//
// Verify (step 8) holds the staging databases to the SOURCE, not to themselves: the
// copy steps have the engine count every table's rows in the snapshot it copies
// (DatabaseEngine::copySnapshot) and store them with the operation, so a Resume has
// them too. Verify counts the staging tables again and requires, table by table:
// - a table of an `exclude` rule: 0 rows (the rule empties it);
// - a table of a `keep-target` rule: the rows the rule's last, successful run reports
//   having copied from the target (PolicyReport);
// - every other table, in every database: exactly the source's count. Blank, set and
//   reset-admin update rows in place and change no count.
// The rows rules report deleted are NOT subtracted: a policy step re-run by Resume
// reports 0 deleted for the rows an interrupted run already removed, so a subtraction
// would fail a correct database. A trigger that adds or removes rows elsewhere while
// the policy runs makes Verify fail: that change is not the policy's. Verify also
// requires the same set of tables as the source, and, for each reset-admin rule, that
// the administrator's row (the rule's `where`, ID = 'Admin' by default) exists and is
// enabled for the target's administrator. It reports every problem it finds.
class RefreshJob : public OperationJob
{
public:
    explicit RefreshJob(Context& context);
    ~RefreshJob() override;

    // What create() stores with the operation: the database pairs (so later edits of
    // the environments do not change a running refresh) and the policy to apply.
    static QJsonObject makeParams(const Environment& source, const Environment& target, const QString& policyPath);
    // The policy a refresh applies: `policyPath`, or the built-in default when empty.
    static std::optional<DataPolicy> loadPolicy(const QString& policyPath, QString* error);
    // Stores the policy's bytes (base64) and their SHA-256 in an operation's params.
    static void recordPolicy(QJsonObject& params, const QByteArray& policy);
    // The policy bytes an operation's params hold; empty for an operation made before
    // policies were stored with their operations.
    static QByteArray recordedPolicy(const QJsonObject& params);

    QStringList stepNames() const override;
    bool runStep(int ordinal, QString* detail, QString* error) override;
    int resumeFrom(int failedOrdinal) const override;
    bool rollback(QString* error) override;
    bool release(QString* error) override;
    bool discard() override;

private:
    // The policy this operation applies: the copy stored with it (checked against its
    // SHA-256), or for an operation made before that, the file its params name.
    std::optional<DataPolicy> policy(QString* error) const;
    struct Pair;
    QList<Pair>& pairs();
    Pair* pair(const QString& role);

    bool validate(QString* detail, QString* error);
    // An import's Validate and copy: the backup checked again and restored into staging.
    bool validateImport(const Environment& target, QString* detail, QString* error);
    bool restoreBackup(Pair& p, QString* detail, QString* error);
    // A restore to an instant's Validate and copy: the stanza's window; pgBackRest's
    // restore into a temporary instance (PitrInstance), copied with the snapshot copy.
    bool validateInstant(const Environment& source, const Environment& target, QString* detail, QString* error);
    bool copyFromInstant(Pair& p, QString* detail, QString* error);
    QString instantFolder() const;
    // The import's backup, if it is still the file it was created with (the asset
    // library's SHA-256), validated.
    std::optional<BackupManifest> reviewedBackup(QString* error) const;
    bool prepareStaging(QString* detail, QString* error);
    bool copy(const QString& role, QString* detail, QString* error);
    bool applyPolicy(int step, QString* detail, QString* error);
    bool verify(QString* detail, QString* error);
    // Verify's leak scan (LeakScan) of the transactional pair; records it and the source's
    // columns with the operation, appends a leak to `problems`; the line for the step.
    QString leakScan(Pair& p, const DataPolicy& policy, QStringList* problems);
    // What the tables of the staging `role` database must hold before the swap, from the
    // source's counts in the copied snapshot and the policy steps' reports: each table
    // is in exactly one expectation, alone or with its partitions (a keep-target rule
    // on a partitioned table: the rows kept, wherever PostgreSQL routed them).
    // `rows` is -1 for a table only named, not counted (RefreshJob::countedTables()).
    struct RowExpectation
    {
        QStringList tables;
        qint64 rows = 0;
        QString why;
    };
    // The tables of `p` whose rows the copy and Verify count: every table (nullopt),
    // unless the engine copies pages: then only those `policy` writes, on the
    // transactional database (the others hold the source's snapshot byte for byte).
    std::optional<QStringList> countedTables(const Pair& p, const DataPolicy& policy) const;
    QList<RowExpectation> expectedRows(const QString& role, const QJsonObject& sourceRows) const;
    bool swap(QString* detail, QString* error);
    bool followUps(QString* detail, QString* error);
    bool persistParams();
    // Records each staging database's DatabaseEngine::changeStamp() with the operation
    // (after a step that wrote them), and the sentence naming the ones changed since.
    bool stampStaging();
    QStringList stagingChangedBehindUs();

    QJsonObject m_params;
    QList<Pair>* m_pairs = nullptr;
};
