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

    // The policy as a file would spell it.
    QJsonDocument toJson() const;

private:
    QString m_name;
    QString m_description;
    QList<PolicyRule> m_rules;
};
