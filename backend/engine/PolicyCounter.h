#pragma once

#include "policy/DataPolicy.h"

#include <QList>
#include <QString>
#include <functional>

struct sqlite3;

// Counts, for the review dialog and `dataalm preflight`, how many rows of the
// SOURCE database each rule of a policy affects:
//   exclude      every row of each table (they will not travel);
//   keep-target  every row of each table (replaced by the target's own rows);
//   blank, set   the rows matching `where` and not `except`;
//   reset-admin  the administrator's row(s).
//
// Promises:
// - Read-only: SELECT COUNT(*) only (with the rule's filter, values bound), inside one
//   read transaction when the caller holds none, so the counts come from one snapshot.
//   Works on a connection opened with SQLITE_OPEN_READONLY.
// - Nothing is materialised: one COUNT(*) per table and rule, fast on a large file.
// - The policy is first checked against the source's schema; a missing table or
//   column fails the count with the rule id in the message.
// - No global state; belongs to the thread that owns the connection.
class PolicyCounter
{
public:
    struct TableCount
    {
        QString table;
        qint64 rows = 0;
    };
    struct RuleCount
    {
        QString id;
        QString title;
        QString description; // PolicyRule::describe()
        PolicyRule::Action action = PolicyRule::Action::Exclude;
        PolicyRule::Reason reason = PolicyRule::Reason::EnvironmentSpecific;
        QList<TableCount> tables;

        qint64 total() const;
    };
    using CancelCheck = std::function<bool()>;

    explicit PolicyCounter(sqlite3* source, const QString& schema = QStringLiteral("main"));

    // False with `error` set on a failure or a cancel (asked between tables).
    bool count(const DataPolicy& policy, QList<RuleCount>* counts, QString* error,
               const CancelCheck& cancelled = {}) const;

private:
    sqlite3* m_db;
    QString m_schema;
};
