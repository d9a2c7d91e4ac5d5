#pragma once

#include "policy/PolicyRule.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <optional>

class SchemaInfo;

// A data policy: the ordered rules a refresh applies to the staging database
// (docs/data-policy.md). Rules run in their order in the file, so a rule may
// rely on an earlier one (the default policy disables users, then re-enables Admin).
//
// Promises:
// - A DataPolicy only exists well formed: fromJson()/fromFile() refuse, with every
//   problem listed and each message naming the rule ("rule \"emails\": ..." or
//   "rule #3: ..." when the id itself is missing), unknown or misplaced keys,
//   unknown actions and reasons, missing id/title/reason/action/table, blank
//   without columns, set without values, duplicate ids and values of types the
//   engine cannot bind.
// - validateAgainst() refuses a rule naming a table or column the database lacks,
//   naming the rule, the table and the column. Identifiers compare as SQLite does.
// - A value type with no global state: load it on any thread, copy it to another.
class DataPolicy
{
public:
    // Columns a person reviewed and found safe to copy as they are (the "reviewed" object):
    // `columns` ["*"] means the whole table.
    struct Reviewed
    {
        QString table;
        QStringList columns;
    };

    static inline const QString DefaultResource = QStringLiteral(":/policy/default-policy.json");

    static std::optional<DataPolicy> fromJson(const QByteArray& json, QString* error);
    static std::optional<DataPolicy> fromFile(const QString& path, QString* error);
    // The built-in default policy (resources/policy/default-policy.json).
    static std::optional<DataPolicy> defaultPolicy(QString* error = nullptr);
    // The bytes of the policy file at `path`, or of the built-in default when `path` is
    // empty: what an operation stores with itself, so that it applies what was reviewed
    // even if the file changes afterwards.
    static bool readSource(const QString& path, QByteArray* bytes, QString* error);
    // The policy at `path`, or the built-in default when `path` is empty.
    static std::optional<DataPolicy> load(const QString& path, QString* error);

    // Every problem of the policy against `schema`, one line each; true when none.
    bool validateAgainst(const SchemaInfo& schema, QString* error) const;

    QString name() const { return m_name; }
    QString description() const { return m_description; }
    const QList<PolicyRule>& rules() const { return m_rules; }
    // The rule with this id, or nullptr.
    const PolicyRule* rule(const QString& id) const;
    bool isEmpty() const { return m_rules.isEmpty(); }
    // Whether a rule of the policy has `action`.
    bool hasAction(PolicyRule::Action action) const;

    const QList<Reviewed>& reviewed() const { return m_reviewed; }
    // Whether the policy lists `column` of `table` (or the whole table) as reviewed; names
    // compare as SQLite compares them.
    bool isReviewed(const QString& table, const QString& column) const;
    // The id of the first rule that empties or keeps `table` or writes its `column`, by name
    // (as SQLite compares names), or empty.
    QString ruleCovering(const QString& table, const QString& column) const;
    // Whether the policy names `column` of `table` in "reviewed" (not only through "*").
    bool isReviewedByName(const QString& table, const QString& column) const;
    // "coverage": "block": the preflight blocks a refresh while a sensitive-looking column is
    // neither covered by a rule nor reviewed (the default, "warn", only warns).
    bool blocksUnreviewed() const { return m_blocksUnreviewed; }
    // The policy with `column` of `table` added to "reviewed" / with `rule` appended (the
    // console's "Mark reviewed" and "Mask column"); the caller saves it as the project's.
    DataPolicy withReviewed(const QString& table, const QString& column) const;
    DataPolicy withRule(const PolicyRule& rule) const;

    // The policy as a file would spell it.
    QJsonDocument toJson() const;

private:
    QString m_name;
    QString m_description;
    QList<PolicyRule> m_rules;
    QList<Reviewed> m_reviewed;
    bool m_blocksUnreviewed = false;
};
