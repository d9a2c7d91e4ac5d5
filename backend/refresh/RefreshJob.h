#pragma once

#include "environment/Environment.h"
#include "operation/OperationJob.h"

#include <QJsonObject>
#include <optional>

class DataPolicy;
class DatabaseEngine;

// The Refresh database operation (docs/ARCHITECTURE.md "Refresh database runbook"): copies
// one instant of the source's databases into staging databases next to the
// target's, applies the data policy there, verifies them, and swaps them in, the
// previous target databases becoming the operation's restore point.
//
// Promises: the target is untouched until step 9 (the swap); every step can run
// again after a failure or a crash; rollback() puts the restore point back (a
// rename: the same cost at any size); release() deletes it.
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

    QStringList stepNames() const override;
    bool runStep(int ordinal, QString* detail, QString* error) override;
    int resumeFrom(int failedOrdinal) const override;
    bool rollback(QString* error) override;
    bool release(QString* error) override;
    void discard() override;

private:
    struct Pair;
    QList<Pair>& pairs();
    Pair* pair(const QString& role);

    bool validate(QString* detail, QString* error);
    bool prepareStaging(QString* detail, QString* error);
    bool copy(const QString& role, QString* detail, QString* error);
    bool applyPolicy(int step, QString* detail, QString* error);
    bool verify(QString* detail, QString* error);
    bool swap(QString* detail, QString* error);
    bool followUps(QString* detail, QString* error);
    bool persistParams();

    QJsonObject m_params;
    QList<Pair>* m_pairs = nullptr;
};
