#pragma once

#include "environment/DatabaseRef.h"
#include "policy/DataPolicy.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>

// Validates a data policy against one environment's transactional database on the
// thread it is moved to: reads the schema (read-only, DatabaseEngine::readSchema)
// and reports, per rule, which tables and columns it touches and whether they exist,
// then DataPolicy::validateAgainst's verdict, then what it covers of the database
// (CoverageScan: every column covered, reviewed or not, sensitive-looking ones flagged).
//
// Promises: never writes to the database; finished() is emitted exactly once per run().
class PolicyValidationWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(PolicyValidationWorker)

public:
    // `previous`: the source's columns at a target's last refresh (OperationStore::lastSourceColumns),
    // for the coverage's "new since the last refresh"; empty: nothing is called new.
    PolicyValidationWorker(const DataPolicy& policy, const DatabaseRef& database, const QSet<QString>& previous = {});

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // One line per table: "CUSTTABLE: exists; columns CREDITMAX (exists), X (missing)".
    void ruleChecked(const QString& ruleId, bool ok, const QStringList& tables);
    // What the policy covers of the database (PolicyCoverage::toJson), before finished().
    void coverageReady(const QJsonObject& coverage, const QString& error);
    // `message`: why the schema could not be read, or validateAgainst's problems.
    void finished(bool ok, const QString& message);

private:
    DataPolicy m_policy;
    DatabaseRef m_database;
    QSet<QString> m_previous;
};
