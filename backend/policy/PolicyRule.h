#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <optional>

// One rule of a data policy: what a refresh does to some tables of the staging
// database before it is swapped into the target (docs/data-policy.md).
//
// Promises:
// - A plain value type (no QObject, no shared state): safe to copy to and use from
//   any thread. DataPolicy builds it from JSON and guarantees it is well formed
//   (the fields an action needs are set, the others are empty).
// - Identifiers are kept as the policy spells them; SQLite compares them
//   case-insensitively, and SchemaInfo resolves them to the database's spelling.
// - Values are data, never SQL: they reach the database as bound parameters.
struct PolicyRule
{
    enum class Action
    {
        Exclude,
        KeepTarget,
        Blank,
        Set,
        ResetAdmin,
        Mask
    };
    enum class Reason
    {
        EnvironmentSpecific,
        Security,
        AvoidSideEffects
    };

    // One column condition of `where`/`except`: equality with the single value, or
    // membership when the policy gave a list. A null QVariant matches SQL NULL.
    struct Condition
    {
        QString column;
        QVariantList values;
        bool isList = false;
    };

    // A value read from the database when the rule runs, e.g. "the RECID of the
    // PARTITIONS row whose PARTITIONKEY is 'initial'". Exactly one row must match.
    // JSON: {"lookup": {"table": "PARTITIONS", "column": "RECID", "where": {"PARTITIONKEY": "initial"}}}
    struct Lookup
    {
        QString table;
        QString column;
        QList<Condition> where;
    };

    // One column a `set` rule writes: a literal (null, bool, integer, double or
    // text), or a lookup resolved once before the update.
    struct Assignment
    {
        QString column;
        QVariant literal;
        std::optional<Lookup> lookup;
    };

    // The columns a `reset-admin` rule writes on the administrator's row.
    // JSON: "adminColumns": {"enable": "ENABLE", "administrator": "NETWORKALIAS", "tenant": "NETWORKDOMAIN"}
    struct AdminColumns
    {
        QString enable = QStringLiteral("ENABLE");
        QString administrator = QStringLiteral("NETWORKALIAS");
        QString tenant = QStringLiteral("NETWORKDOMAIN");
    };

    static inline const QString DefaultAdminTable = QStringLiteral("USERINFO");
    static inline const QString DefaultAdminIdColumn = QStringLiteral("ID");
    static inline const QString DefaultAdminId = QStringLiteral("Admin");

    QString id;
    QString title;
    Reason reason = Reason::EnvironmentSpecific;
    Action action = Action::Exclude;
    QStringList tables;        // one or more; "table" and "tables" both land here
    QStringList columns;       // blank, mask
    QStringList maskKinds;     // mask: the Masker kind of each of `columns`, in the same order
    QList<Condition> where;    // blank, set, mask, reset-admin (default ID = 'Admin')
    QList<Condition> except;   // blank, set, mask: rows matching every condition are left alone
    QList<Assignment> values;  // set
    AdminColumns adminColumns; // reset-admin

    // The policy file's spelling: "exclude", "keep-target", "blank", "set", "reset-admin", "mask".
    static QString actionName(Action action);
    static std::optional<Action> actionFromName(const QString& name);
    // "environment-specific", "security", "avoid-side-effects".
    static QString reasonName(Reason reason);
    static std::optional<Reason> reasonFromName(const QString& name);
    // For people: "Environment-specific", "Security", "Avoids side effects".
    static QString reasonTitle(Reason reason);
    // Whether the rule changes values in place (blank, set, mask) rather than rows.
    bool changesValues() const { return action == Action::Blank || action == Action::Set || action == Action::Mask; }
    // The columns the rule writes (blank, mask: columns; set: values' columns; reset-admin: its three).
    QStringList columnsWritten() const;
    // Every column the rule reads or writes in `table` (where, except, columns,
    // values, admin columns), in that order, without duplicates.
    QStringList columnsUsed() const;
    // One sentence for the review dialog: "LOCATOR is blanked on rows where TYPE = 2."
    QString describe() const;
    // A SQL-like rendering of a value for people ('text', 42, NULL); never executed.
    static QString displayValue(const QVariant& value);
    // The rule as the policy file spells it (round-trips through DataPolicy).
    QJsonObject toJson() const;
};
