#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>

#include "policy/PolicyRule.h"

class DataPolicy;
class SchemaInfo;

// Which columns of a source database a data policy covers (docs/data-policy.md "Coverage"):
// for each column, a rule that acts on it, a review that found it safe, or nothing; and,
// for those with nothing, whether it looks sensitive (SensitiveDataDetector, by name and
// by sampled values) and whether it is new since the target's last refresh.
//
// Promises:
// - A column is covered by a rule that empties or keeps its table (exclude, keep-target)
//   or writes it (blank, set, mask, reset-admin's columns); reading it in `where` does
//   not cover it. A reviewed column is one the policy's "reviewed" lists.
// - Flagged columns are exactly the unreviewed, uncovered ones that look sensitive; each
//   carries its evidence, and never a value. A column new since the last refresh counts as
//   reviewed only if the policy names it: a table's "*" was given before it existed.
// - A plain value type built from its inputs; any thread.
class PolicyCoverage
{
public:
    enum class Status
    {
        Covered,
        Reviewed,
        Unreviewed
    };

    struct Column
    {
        QString table;
        QString column;
        QString type;
        Status status = Status::Unreviewed;
        QString ruleId;     // Covered: the first rule that covers it
        QString nameWord;   // the sensitive word of its name, if any
        QString valueHint;  // "12 of 40 sampled values are email addresses", if any
        QString valueKind;  // "email addresses", ...
        bool isNew = false; // not in the source at the target's last refresh
        bool flagged() const { return status == Status::Unreviewed && (!nameWord.isEmpty() || !valueHint.isEmpty()); }
        // Flagged, or new since the last refresh and neither covered nor reviewed.
        bool needsDecision() const { return flagged() || (status == Status::Unreviewed && isNew); }
        // "CONTACT.PERSONAL_EMAIL (its name says email; 40 of 40 sampled values are email addresses; new since
        // the last refresh)"
        QString describe() const;
        // The mask kind to suggest for it.
        QString suggestedMask() const;
        QString key() const; // "TABLE.COLUMN" as the database spells it
    };

    struct Table
    {
        QString table;
        QList<Column> columns;
        int count(Status status) const;
        int flaggedCount() const;
    };

    // `samples`: table -> column -> sampled text values (columns not sampled are judged by
    // name alone). `previous`: the "TABLE.COLUMN" keys of the source at the target's last
    // refresh, folded with SchemaInfo::foldCase; empty when unknown (nothing is then new).
    static PolicyCoverage analyse(const DataPolicy& policy, const SchemaInfo& source,
                                  const QHash<QString, QHash<QString, QStringList>>& samples,
                                  const QSet<QString>& previous = {});

    const QList<Table>& tables() const { return m_tables; }
    QList<Column> flagged() const;
    QList<Column> newColumns() const;
    // What the policy-coverage check warns about (or blocks on): flagged columns and new
    // unreviewed ones.
    QList<Column> needingDecision() const;
    int count(Status status) const;
    int columnCount() const;

    // The check's sentence: what is flagged, with evidence, and what is new.
    QString summary() const;
    QJsonObject toJson() const;
    static PolicyCoverage fromJson(const QJsonObject& json);
    // Every column's folded key, for the next refresh's `previous`.
    static QStringList keys(const SchemaInfo& source);
    static QString statusName(Status status); // "covered", "reviewed", "unreviewed"
    // A rule that masks `column` of `table` as `kind` (a Masker kind), with an id `policy`
    // does not use yet ("mask-custtable-personal-email"): what "Mask Column…" adds.
    static PolicyRule maskRule(const DataPolicy& policy, const QString& table, const QString& column,
                               const QString& kind);

private:
    QList<Column> columnsWhere(const std::function<bool(const Column&)>& wanted) const;

    QList<Table> m_tables;
};
