#pragma once

#include "policy/PolicyRule.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// What applying a data policy did, rule by rule and table by table, for the
// runbook log and the operation's step detail. A value type: it can travel from
// the runner's thread to the GUI in a queued signal.
struct PolicyReport
{
    enum class Status
    {
        Completed,
        Cancelled,
        Failed
    };

    struct Table
    {
        QString table;
        qint64 deleted = 0;  // exclude; keep-target: the source's rows removed
        qint64 inserted = 0; // keep-target: the target's rows copied in
        qint64 updated = 0;  // blank, set, reset-admin
        QString note;        // e.g. "the target has no table X: it arrives empty"
        // The other tables whose rows the statements on `table` reached: a partitioned
        // table's partitions, an inheritance parent's children (as row counts name them).
        QStringList reached;
        // The triggers of `table` (and of the tables it reached) that were off while the
        // rule's statements ran on it ("AUDIT_CUSTOMER", or "part_1.audit" of a member).
        QStringList triggersOff;
    };

    struct Rule
    {
        QString id;
        QString title;
        PolicyRule::Action action = PolicyRule::Action::Exclude;
        QList<Table> tables;

        // Rows deleted + inserted + updated over every table.
        qint64 rowsAffected() const;
    };

    Status status = Status::Completed;
    QString error;        // Failed: "rule \"users\": ...: <SQLite's message>"; Cancelled: why
    QString failedRuleId; // Failed: the rule that failed, if one did
    QList<Rule> rules;    // the rules that ran to the end (committed)

    bool ok() const { return status == Status::Completed; }
    static QString statusName(Status status);
    // One line per table: "emails: LOGISTICSELECTRONICADDRESS: 12 rows updated".
    QStringList logLines() const;
    QJsonObject toJson() const;
};
