#include "policy/DataPolicy.h"

#include "policy/Masker.h"
#include "policy/SchemaInfo.h"

#include <algorithm>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

namespace {

// The keys every rule accepts.
QStringList commonRuleKeys()
{
    return {QStringLiteral("id"),     QStringLiteral("title"), QStringLiteral("reason"),
            QStringLiteral("action"), QStringLiteral("table"), QStringLiteral("tables")};
}

// The keys only some actions accept.
QStringList actionSpecificKeys()
{
    return {QStringLiteral("columns"), QStringLiteral("where"), QStringLiteral("except"), QStringLiteral("values"),
            QStringLiteral("adminColumns")};
}

// The keys an action accepts besides id, title, reason, action, table and tables.
QStringList actionKeys(PolicyRule::Action action)
{
    switch (action) {
    case PolicyRule::Action::Exclude:
    case PolicyRule::Action::KeepTarget:
        return {};
    case PolicyRule::Action::Blank:
        return {QStringLiteral("columns"), QStringLiteral("where"), QStringLiteral("except")};
    case PolicyRule::Action::Set:
        return {QStringLiteral("values"), QStringLiteral("where"), QStringLiteral("except")};
    case PolicyRule::Action::ResetAdmin:
        return {QStringLiteral("where"), QStringLiteral("adminColumns")};
    case PolicyRule::Action::Mask:
        return {QStringLiteral("columns"), QStringLiteral("where"), QStringLiteral("except")};
    }
    return {};
}

QString jsonTypeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

QString quoted(const QString& s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

// Parses one rule; every problem goes to `problems`, prefixed with the rule's label.
class RuleParser
{
public:
    RuleParser(int position, QStringList& problems) : m_position(position), m_problems(problems) {}

    std::optional<PolicyRule> parse(const QJsonValue& value)
    {
        m_label = QStringLiteral("rule #%1").arg(m_position);
        if (!value.isObject()) {
            problem(QStringLiteral("is a JSON %1, not an object").arg(jsonTypeName(value)));
            return std::nullopt;
        }
        const QJsonObject o = value.toObject();
        PolicyRule rule;

        const QJsonValue id = o.value(QLatin1String("id"));
        if (id.isUndefined())
            problem(QStringLiteral("missing \"id\""));
        else if (!id.isString() || id.toString().trimmed().isEmpty())
            problem(QStringLiteral("\"id\" must be a non-empty string"));
        else
            rule.id = id.toString();
        if (!rule.id.isEmpty())
            m_label = QStringLiteral("rule \"%1\"").arg(rule.id);

        const QJsonValue title = o.value(QLatin1String("title"));
        if (!title.isString() || title.toString().trimmed().isEmpty())
            problem(title.isUndefined() ? QStringLiteral("missing \"title\"")
                                        : QStringLiteral("\"title\" must be a non-empty string"));
        else
            rule.title = title.toString();

        const QJsonValue reason = o.value(QLatin1String("reason"));
        if (reason.isUndefined()) {
            problem(QStringLiteral("missing \"reason\""));
        } else if (const auto r = PolicyRule::reasonFromName(reason.toString()); r && reason.isString()) {
            rule.reason = *r;
        } else {
            problem(QStringLiteral("unknown reason %1 (expected environment-specific, security or "
                                   "avoid-side-effects)")
                        .arg(displayJson(reason)));
        }

        const QJsonValue action = o.value(QLatin1String("action"));
        std::optional<PolicyRule::Action> a;
        if (action.isUndefined()) {
            problem(QStringLiteral("missing \"action\""));
        } else if (a = PolicyRule::actionFromName(action.toString()); a && action.isString()) {
            rule.action = *a;
        } else {
            a.reset();
            problem(QStringLiteral("unknown action %1 (expected exclude, keep-target, blank, set, mask or reset-admin)")
                        .arg(displayJson(action)));
        }

        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (commonRuleKeys().contains(it.key()))
                continue;
            if (!actionSpecificKeys().contains(it.key()))
                problem(QStringLiteral("unknown key \"%1\"").arg(it.key()));
            else if (a && !actionKeys(*a).contains(it.key()))
                problem(QStringLiteral("\"%1\" does not apply to action %2").arg(it.key(), PolicyRule::actionName(*a)));
        }

        parseTables(o, rule, a);
        if (a) {
            switch (*a) {
            case PolicyRule::Action::Exclude:
            case PolicyRule::Action::KeepTarget:
                break;
            case PolicyRule::Action::Blank:
                parseColumns(o.value(QLatin1String("columns")), rule);
                rule.where = parseConditions(o.value(QLatin1String("where")), QStringLiteral("where"));
                rule.except = parseConditions(o.value(QLatin1String("except")), QStringLiteral("except"));
                break;
            case PolicyRule::Action::Mask:
                parseMasks(o.value(QLatin1String("columns")), rule);
                rule.where = parseConditions(o.value(QLatin1String("where")), QStringLiteral("where"));
                rule.except = parseConditions(o.value(QLatin1String("except")), QStringLiteral("except"));
                break;
            case PolicyRule::Action::Set:
                parseValues(o.value(QLatin1String("values")), rule);
                rule.where = parseConditions(o.value(QLatin1String("where")), QStringLiteral("where"));
                rule.except = parseConditions(o.value(QLatin1String("except")), QStringLiteral("except"));
                break;
            case PolicyRule::Action::ResetAdmin:
                rule.where = parseConditions(o.value(QLatin1String("where")), QStringLiteral("where"));
                if (o.value(QLatin1String("where")).isUndefined())
                    rule.where = {PolicyRule::Condition{
                        PolicyRule::DefaultAdminIdColumn, {QVariant(PolicyRule::DefaultAdminId)}, false}};
                else if (rule.where.isEmpty())
                    problem(QStringLiteral("\"where\" of reset-admin must name the administrator's row"));
                parseAdminColumns(o.value(QLatin1String("adminColumns")), rule);
                break;
            }
        }
        if (m_failed)
            return std::nullopt;
        return rule;
    }

    QString label() const { return m_label; }

private:
    void problem(const QString& text)
    {
        m_problems << m_label + QLatin1String(": ") + text;
        m_failed = true;
    }

    static QString displayJson(const QJsonValue& v)
    {
        return v.isString() ? quoted(v.toString()) : QStringLiteral("of type %1").arg(jsonTypeName(v));
    }

    // A table or column name: a non-empty string without NUL.
    bool identifier(const QJsonValue& v, const QString& what, QString* out)
    {
        if (v.isString() && v.toString().isEmpty()) {
            problem(QStringLiteral("%1 is empty: name a table or column").arg(what));
            return false;
        }
        if (!v.isString()) {
            problem(QStringLiteral("%1 must be a non-empty string, not a JSON %2").arg(what, jsonTypeName(v)));
            return false;
        }
        if (v.toString().contains(QChar(u'\0'))) {
            problem(QStringLiteral("%1 %2 contains a NUL character").arg(what, quoted(v.toString())));
            return false;
        }
        *out = v.toString();
        return true;
    }

    void parseTables(const QJsonObject& o, PolicyRule& rule, const std::optional<PolicyRule::Action>& action)
    {
        const QJsonValue table = o.value(QLatin1String("table"));
        const QJsonValue tables = o.value(QLatin1String("tables"));
        const bool resetAdmin = action == PolicyRule::Action::ResetAdmin;
        if (!table.isUndefined() && !tables.isUndefined()) {
            problem(QStringLiteral("give either \"table\" or \"tables\", not both"));
            return;
        }
        if (table.isUndefined() && tables.isUndefined()) {
            if (resetAdmin)
                rule.tables = {PolicyRule::DefaultAdminTable};
            else
                problem(QStringLiteral("missing \"table\" (or \"tables\")"));
            return;
        }
        if (!table.isUndefined()) {
            QString name;
            if (identifier(table, QStringLiteral("\"table\""), &name))
                rule.tables = {name};
            return;
        }
        if (!tables.isArray() || tables.toArray().isEmpty()) {
            problem(QStringLiteral("\"tables\" must be a non-empty list of table names"));
            return;
        }
        QSet<QString> seen;
        for (const QJsonValue& t : tables.toArray()) {
            QString name;
            if (!identifier(t, QStringLiteral("each of \"tables\""), &name))
                continue;
            if (seen.contains(SchemaInfo::foldCase(name))) {
                problem(QStringLiteral("table %1 is listed twice").arg(name));
                continue;
            }
            seen.insert(SchemaInfo::foldCase(name));
            rule.tables << name;
        }
        if (resetAdmin && rule.tables.size() > 1)
            problem(QStringLiteral("reset-admin takes one table"));
    }

    void parseColumns(const QJsonValue& v, PolicyRule& rule)
    {
        if (v.isUndefined()) {
            problem(QStringLiteral("blank needs \"columns\", the columns to blank"));
            return;
        }
        if (!v.isArray() || v.toArray().isEmpty()) {
            problem(QStringLiteral("\"columns\" must be a non-empty list of column names"));
            return;
        }
        QSet<QString> seen;
        for (const QJsonValue& c : v.toArray()) {
            QString name;
            if (!identifier(c, QStringLiteral("each of \"columns\""), &name))
                continue;
            if (seen.contains(SchemaInfo::foldCase(name))) {
                problem(QStringLiteral("column %1 is listed twice in \"columns\"").arg(name));
                continue;
            }
            seen.insert(SchemaInfo::foldCase(name));
            rule.columns << name;
        }
    }

    // mask: {"column": "kind", ...}
    void parseMasks(const QJsonValue& v, PolicyRule& rule)
    {
        const QString kinds = Masker::kindNames().join(QLatin1String(", "));
        if (v.isUndefined()) {
            problem(QStringLiteral("mask needs \"columns\", each column with what it holds (%1)").arg(kinds));
            return;
        }
        if (!v.isObject() || v.toObject().isEmpty()) {
            problem(QStringLiteral("\"columns\" of mask must be a non-empty object of column: kind (%1)").arg(kinds));
            return;
        }
        const QJsonObject o = v.toObject();
        QSet<QString> seen;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            QString column;
            if (!identifier(QJsonValue(it.key()), QStringLiteral("a column of \"columns\""), &column))
                continue;
            if (seen.contains(SchemaInfo::foldCase(column))) {
                problem(QStringLiteral("column %1 appears twice in \"columns\"").arg(column));
                continue;
            }
            seen.insert(SchemaInfo::foldCase(column));
            if (!it.value().isString() || !Masker::kindFromName(it.value().toString())) {
                problem(QStringLiteral("column %1 is masked as %2: say what it holds, one of %3")
                            .arg(column, displayJson(it.value()), kinds));
                continue;
            }
            rule.columns << column;
            rule.maskKinds << it.value().toString();
        }
    }

    // A literal the engine can bind: null, boolean, integer, double or string.
    bool scalar(const QJsonValue& v, const QString& where, QVariant* out)
    {
        switch (v.type()) {
        case QJsonValue::Null:
            *out = QVariant();
            return true;
        case QJsonValue::Bool:
            *out = v.toBool();
            return true;
        case QJsonValue::Double: {
            const qint64 i = v.toInteger();
            if (double(i) == v.toDouble())
                *out = i;
            else
                *out = v.toDouble();
            return true;
        }
        case QJsonValue::String:
            *out = v.toString();
            return true;
        default:
            problem(QStringLiteral("%1 has an unsupported type (%2); use a string, number, boolean or null")
                        .arg(where, jsonTypeName(v)));
            return false;
        }
    }

    QList<PolicyRule::Condition> parseConditions(const QJsonValue& v, const QString& key)
    {
        QList<PolicyRule::Condition> conditions;
        if (v.isUndefined())
            return conditions;
        if (!v.isObject()) {
            problem(QStringLiteral("\"%1\" must be an object of column: value or column: [values]").arg(key));
            return conditions;
        }
        const QJsonObject o = v.toObject();
        QSet<QString> seen;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            QString column;
            if (!identifier(QJsonValue(it.key()), QStringLiteral("a column of \"%1\"").arg(key), &column))
                continue;
            if (seen.contains(SchemaInfo::foldCase(column))) {
                problem(QStringLiteral("column %1 appears twice in \"%2\"").arg(column, key));
                continue;
            }
            seen.insert(SchemaInfo::foldCase(column));
            const QString where = QStringLiteral("the value of %1 in \"%2\"").arg(column, key);
            PolicyRule::Condition c{column, {}, it.value().isArray()};
            if (c.isList) {
                const QJsonArray values = it.value().toArray();
                if (values.isEmpty())
                    problem(QStringLiteral("%1 is an empty list").arg(where));
                for (const QJsonValue& item : values) {
                    QVariant value;
                    if (scalar(item, where, &value))
                        c.values << value;
                }
            } else {
                QVariant value;
                if (scalar(it.value(), where, &value))
                    c.values << value;
            }
            if (!c.values.isEmpty())
                conditions << c;
        }
        return conditions;
    }

    void parseValues(const QJsonValue& v, PolicyRule& rule)
    {
        if (v.isUndefined()) {
            problem(QStringLiteral("set needs \"values\", the columns to set and their values"));
            return;
        }
        if (!v.isObject() || v.toObject().isEmpty()) {
            problem(QStringLiteral("\"values\" must be a non-empty object of column: value"));
            return;
        }
        const QJsonObject o = v.toObject();
        QSet<QString> seen;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            QString column;
            if (!identifier(QJsonValue(it.key()), QStringLiteral("a column of \"values\""), &column))
                continue;
            if (seen.contains(SchemaInfo::foldCase(column))) {
                problem(QStringLiteral("column %1 appears twice in \"values\"").arg(column));
                continue;
            }
            seen.insert(SchemaInfo::foldCase(column));
            PolicyRule::Assignment a;
            a.column = column;
            const QString where = QStringLiteral("the value of %1 in \"values\"").arg(column);
            if (it.value().isObject()) {
                const QJsonObject value = it.value().toObject();
                if (value.size() != 1 || !value.contains(QLatin1String("lookup"))) {
                    problem(QStringLiteral("%1 is an object but not {\"lookup\": {...}}").arg(where));
                    continue;
                }
                a.lookup = parseLookup(value.value(QLatin1String("lookup")), column);
                if (!a.lookup)
                    continue;
            } else if (!scalar(it.value(), where, &a.literal)) {
                continue;
            }
            rule.values << a;
        }
    }

    std::optional<PolicyRule::Lookup> parseLookup(const QJsonValue& v, const QString& column)
    {
        const QString what = QStringLiteral("the lookup for %1").arg(column);
        if (!v.isObject()) {
            problem(QStringLiteral("%1 must be an object with \"table\", \"column\" and \"where\"").arg(what));
            return std::nullopt;
        }
        const QJsonObject o = v.toObject();
        bool ok = true;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (it.key() != QLatin1String("table") && it.key() != QLatin1String("column") &&
                it.key() != QLatin1String("where")) {
                problem(QStringLiteral("unknown key \"%1\" in %2").arg(it.key(), what));
                ok = false;
            }
        }
        PolicyRule::Lookup lookup;
        ok = identifier(o.value(QLatin1String("table")), QStringLiteral("\"table\" of %1").arg(what), &lookup.table) &&
             ok;
        ok = identifier(o.value(QLatin1String("column")), QStringLiteral("\"column\" of %1").arg(what),
                        &lookup.column) &&
             ok;
        const int before = int(m_problems.size());
        lookup.where = parseConditions(o.value(QLatin1String("where")), QStringLiteral("where"));
        if (lookup.where.isEmpty() && int(m_problems.size()) == before) {
            problem(QStringLiteral("%1 needs a \"where\" that picks one row").arg(what));
            ok = false;
        }
        if (!ok || int(m_problems.size()) != before)
            return std::nullopt;
        return lookup;
    }

    void parseAdminColumns(const QJsonValue& v, PolicyRule& rule)
    {
        if (v.isUndefined())
            return;
        if (!v.isObject()) {
            problem(QStringLiteral("\"adminColumns\" must be an object with \"enable\", \"administrator\" and/or "
                                   "\"tenant\""));
            return;
        }
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            QString* target = nullptr;
            if (it.key() == QLatin1String("enable"))
                target = &rule.adminColumns.enable;
            else if (it.key() == QLatin1String("administrator"))
                target = &rule.adminColumns.administrator;
            else if (it.key() == QLatin1String("tenant"))
                target = &rule.adminColumns.tenant;
            if (!target) {
                problem(QStringLiteral("unknown key \"%1\" in \"adminColumns\"").arg(it.key()));
                continue;
            }
            identifier(it.value(), QStringLiteral("\"adminColumns\".\"%1\"").arg(it.key()), target);
        }
    }

    int m_position;
    QStringList& m_problems;
    QString m_label;
    bool m_failed = false;
};

// "reviewed": {"TABLE": ["COLUMN", ...] or "*"}: columns a person looked at and found safe to copy.
void parseReviewed(const QJsonValue& v, QList<DataPolicy::Reviewed>& reviewed, QStringList& problems)
{
    const QString shape =
        QStringLiteral("the policy's \"reviewed\" must be an object of table: [columns] (or table: \"*\" for every column)");
    if (!v.isObject()) {
        problems << shape;
        return;
    }
    const QJsonObject o = v.toObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        DataPolicy::Reviewed r;
        r.table = it.key();
        if (r.table.isEmpty() || r.table.contains(QChar(u'\0'))) {
            problems << QStringLiteral("the policy's \"reviewed\" names an empty table or one with a NUL character");
            continue;
        }
        if (it.value() == QJsonValue(QStringLiteral("*"))) {
            r.columns = {QStringLiteral("*")};
        } else if (it.value().isArray() && !it.value().toArray().isEmpty()) {
            for (const QJsonValue& c : it.value().toArray()) {
                if (!c.isString() || c.toString().isEmpty() || c.toString().contains(QChar(u'\0'))) {
                    problems << QStringLiteral("the policy's \"reviewed\" columns of %1 must be non-empty names")
                                    .arg(r.table);
                    break;
                }
                if (!r.columns.contains(c.toString(), Qt::CaseInsensitive))
                    r.columns << c.toString();
            }
        } else {
            problems << shape + QStringLiteral(" (%1 is not)").arg(r.table);
            continue;
        }
        reviewed << r;
    }
}

} // namespace

std::optional<DataPolicy> DataPolicy::fromJson(const QByteArray& json, QString* error)
{
    // A policy is a reviewed list of rules, not a data set: a file past this size is a
    // mistake, refused at once rather than parsed and applied for minutes.
    constexpr qsizetype MaxBytes = 4 * 1024 * 1024;
    if (json.size() > MaxBytes) {
        if (error)
            *error = QStringLiteral("the policy is %1 MiB; a data policy holds at most 4 MiB of rules (split the "
                                    "tables it names into fewer rules)")
                         .arg(double(json.size()) / (1024.0 * 1024.0), 0, 'f', 1);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("the policy is not valid JSON: %1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("the policy must be a JSON object with a \"rules\" list");
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    QStringList problems;
    DataPolicy policy;
    for (auto it = root.constBegin(); it != root.constEnd(); ++it) {
        if (it.key() == QLatin1String("name") || it.key() == QLatin1String("description")) {
            if (!it.value().isString())
                problems << QStringLiteral("the policy's \"%1\" must be a string").arg(it.key());
        } else if (it.key() == QLatin1String("reviewed")) {
            parseReviewed(it.value(), policy.m_reviewed, problems);
        } else if (it.key() == QLatin1String("coverage")) {
            if (it.value() == QJsonValue(QStringLiteral("block")))
                policy.m_blocksUnreviewed = true;
            else if (it.value() != QJsonValue(QStringLiteral("warn")))
                problems << QStringLiteral("the policy's \"coverage\" must be \"warn\" or \"block\" (what the preflight "
                                           "does about sensitive-looking columns nobody reviewed)");
        } else if (it.key() != QLatin1String("rules")) {
            problems << QStringLiteral("unknown key \"%1\" at the top of the policy").arg(it.key());
        }
    }
    policy.m_name = root.value(QLatin1String("name")).toString();
    policy.m_description = root.value(QLatin1String("description")).toString();
    const QJsonValue rules = root.value(QLatin1String("rules"));
    if (!rules.isArray()) {
        problems << QStringLiteral("the policy has no \"rules\" list");
    } else {
        QHash<QString, int> positions; // id -> position, for duplicate ids
        const QJsonArray list = rules.toArray();
        for (int i = 0; i < list.size(); ++i) {
            RuleParser parser(i + 1, problems);
            std::optional<PolicyRule> rule = parser.parse(list.at(i));
            const QString id = list.at(i).toObject().value(QLatin1String("id")).toString();
            if (!id.isEmpty()) {
                if (positions.contains(id))
                    problems << QStringLiteral("rule \"%1\": duplicate id (rule #%2 has it too)")
                                    .arg(id)
                                    .arg(positions.value(id));
                else
                    positions.insert(id, i + 1);
            }
            if (rule)
                policy.m_rules << *rule;
        }
    }
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return policy;
}

std::optional<DataPolicy> DataPolicy::fromFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read the policy %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString problems;
    std::optional<DataPolicy> policy = fromJson(file.readAll(), &problems);
    if (!policy && error)
        *error = QStringLiteral("the policy %1 is refused:\n%2").arg(path, problems);
    return policy;
}

std::optional<DataPolicy> DataPolicy::defaultPolicy(QString* error)
{
    return fromFile(DefaultResource, error);
}

bool DataPolicy::validateAgainst(const SchemaInfo& schema, QString* error) const
{
    QStringList problems;
    // A table is named once: not also through the partitioned table or inheritance
    // parent whose rules reach it (two rules would act on its rows, and Verify could
    // not say what it must hold).
    QHash<QString, QString> reachedBy; // member table -> "rule \"id\" (table)"
    for (const PolicyRule& rule : m_rules) {
        for (const QString& table : rule.tables) {
            for (const QString& member : schema.members(table))
                reachedBy.insert(member, QStringLiteral("rule \"%1\" (on %2)").arg(rule.id, schema.tableName(table)));
        }
    }
    for (const PolicyRule& rule : m_rules) {
        for (const QString& table : rule.tables) {
            const QString name = schema.tableName(table);
            if (!name.isEmpty() && reachedBy.contains(name))
                problems << QStringLiteral("rule \"%1\": table %2 is a partition or child of a table that %3 names, "
                                           "and that rule acts on its rows already; name one or the other")
                                .arg(rule.id, name, reachedBy.value(name));
        }
    }
    for (const PolicyRule& rule : m_rules) {
        const QString label = QStringLiteral("rule \"%1\": ").arg(rule.id);
        const QStringList written = [&rule] {
            QStringList w = rule.columns;
            for (const PolicyRule::Assignment& a : rule.values)
                w << a.column;
            if (rule.action == PolicyRule::Action::ResetAdmin)
                w << rule.adminColumns.enable << rule.adminColumns.administrator << rule.adminColumns.tenant;
            return w;
        }();
        for (const QString& table : rule.tables) {
            if (const QString several = schema.ambiguity(table); !several.isEmpty()) {
                problems << label + QStringLiteral("table %1 is ambiguous: the database has %2, which differ only in "
                                                   "case; name the one you mean exactly")
                                        .arg(table, several);
                continue;
            }
            if (!schema.hasTable(table)) {
                if (schema.isView(table))
                    problems << label + QStringLiteral("%1 is a view, not a table: a rule changes the rows of tables; "
                                                       "name the tables the view reads")
                                            .arg(table);
                else
                    problems << label + QStringLiteral("table %1 does not exist in the database").arg(table);
                continue;
            }
            for (const QString& column : rule.columnsUsed()) {
                const std::optional<SchemaInfo::Column> c = schema.column(table, column);
                if (const QString several = schema.ambiguity(table, column); !several.isEmpty())
                    problems << label + QStringLiteral("column %1 of table %2 is ambiguous: the table has %3, which "
                                                       "differ only in case; name the one you mean exactly")
                                            .arg(column, schema.tableName(table), several);
                else if (!c)
                    problems << label + QStringLiteral("column %1 does not exist in table %2")
                                            .arg(column, schema.tableName(table));
                else if (c->generated && written.contains(column, Qt::CaseInsensitive))
                    problems << label + QStringLiteral("column %1 of table %2 is generated and cannot be written")
                                            .arg(c->name, schema.tableName(table));
            }
            // A mask writes text or a number: the column must hold that kind of value.
            for (int i = 0; i < rule.maskKinds.size(); ++i) {
                const std::optional<SchemaInfo::Column> c = schema.column(table, rule.columns.value(i));
                if (!c)
                    continue;
                const auto kind = Masker::kindFromName(rule.maskKinds.at(i));
                const SchemaInfo::ValueType type = SchemaInfo::valueType(c->type);
                // "(n)" of a character varying(n): a pseudonym longer than that would fail the rule.
                const QRegularExpressionMatch sized =
                    QRegularExpression(QStringLiteral("^(character varying|varchar|character|char|bpchar)\\((\\d+)\\)$"))
                        .match(c->type.trimmed().toLower());
                const int room = sized.hasMatch() ? sized.captured(2).toInt() : -1;
                if (kind && *kind == Masker::Kind::Number &&
                    (type == SchemaInfo::ValueType::Other || type == SchemaInfo::ValueType::Text))
                    problems << label + QStringLiteral("column %1 of table %2 is %3: mask it as number only where it "
                                                       "holds numbers")
                                            .arg(c->name, schema.tableName(table), c->type);
                else if (kind && Masker::writesText(*kind) && type != SchemaInfo::ValueType::Text &&
                         type != SchemaInfo::ValueType::Any)
                    problems << label + QStringLiteral("column %1 of table %2 is %3: mask it as %4 only where it "
                                                       "holds text (as number where it holds numbers)")
                                            .arg(c->name, schema.tableName(table), c->type, rule.maskKinds.at(i));
                else if (kind && room >= 0 && Masker::longest(*kind) > room)
                    problems << label + QStringLiteral("column %1 of table %2 is %3: a pseudonym as %4 can be %5 "
                                                       "characters long; widen the column or choose another kind")
                                            .arg(c->name, schema.tableName(table), c->type, rule.maskKinds.at(i))
                                            .arg(Masker::longest(*kind));
            }
            // What a `set` would do that the table refuses: found here, not at step 5.
            for (const PolicyRule::Assignment& a : rule.values) {
                const std::optional<SchemaInfo::Column> c = schema.column(table, a.column);
                if (!c)
                    continue;
                if (c->primaryKey)
                    problems << label + QStringLiteral("column %1 is the primary key of table %2: a rule that sets "
                                                       "it would give every row the same key")
                                            .arg(c->name, schema.tableName(table));
                else if (c->notNull && !a.lookup && a.literal.isNull())
                    problems << label + QStringLiteral("column %1 of table %2 is NOT NULL: the rule sets it to null")
                                            .arg(c->name, schema.tableName(table));
            }
        }
        for (const PolicyRule::Assignment& a : rule.values) {
            if (!a.lookup)
                continue;
            if (!schema.hasTable(a.lookup->table)) {
                problems << label + QStringLiteral("table %1 (the lookup for %2) does not exist in the database")
                                        .arg(a.lookup->table, a.column);
                continue;
            }
            QStringList columns{a.lookup->column};
            for (const PolicyRule::Condition& c : a.lookup->where)
                columns << c.column;
            for (const QString& column : std::as_const(columns)) {
                if (!schema.hasColumn(a.lookup->table, column))
                    problems << label + QStringLiteral("column %1 does not exist in table %2 (the lookup for %3)")
                                            .arg(column, schema.tableName(a.lookup->table), a.column);
            }
        }
    }
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.join(QLatin1Char('\n'));
        return false;
    }
    return true;
}

const PolicyRule* DataPolicy::rule(const QString& id) const
{
    for (const PolicyRule& r : m_rules) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QJsonDocument DataPolicy::toJson() const
{
    QJsonObject root;
    if (!m_name.isEmpty())
        root.insert(QStringLiteral("name"), m_name);
    if (!m_description.isEmpty())
        root.insert(QStringLiteral("description"), m_description);
    QJsonArray rules;
    for (const PolicyRule& r : m_rules)
        rules.append(r.toJson());
    root.insert(QStringLiteral("rules"), rules);
    if (!m_reviewed.isEmpty()) {
        QJsonObject reviewed;
        for (const Reviewed& r : m_reviewed)
            reviewed.insert(r.table, r.columns == QStringList{QStringLiteral("*")}
                                         ? QJsonValue(QStringLiteral("*"))
                                         : QJsonValue(QJsonArray::fromStringList(r.columns)));
        root.insert(QStringLiteral("reviewed"), reviewed);
    }
    if (m_blocksUnreviewed)
        root.insert(QStringLiteral("coverage"), QStringLiteral("block"));
    return QJsonDocument(root);
}

bool DataPolicy::isReviewed(const QString& table, const QString& column) const
{
    const QString t = SchemaInfo::foldCase(table);
    for (const Reviewed& r : m_reviewed) {
        if (SchemaInfo::foldCase(r.table) != t)
            continue;
        for (const QString& c : r.columns) {
            if (c == QLatin1String("*") || SchemaInfo::foldCase(c) == SchemaInfo::foldCase(column))
                return true;
        }
    }
    return false;
}

bool DataPolicy::hasAction(PolicyRule::Action action) const
{
    return std::any_of(m_rules.cbegin(), m_rules.cend(), [action](const PolicyRule& r) { return r.action == action; });
}

QString DataPolicy::ruleCovering(const QString& table, const QString& column) const
{
    for (const PolicyRule& rule : m_rules) {
        if (!rule.tables.contains(table, Qt::CaseInsensitive))
            continue;
        if (rule.action == PolicyRule::Action::Exclude || rule.action == PolicyRule::Action::KeepTarget ||
            rule.columnsWritten().contains(column, Qt::CaseInsensitive))
            return rule.id;
    }
    return {};
}

bool DataPolicy::isReviewedByName(const QString& table, const QString& column) const
{
    for (const Reviewed& r : m_reviewed) {
        if (SchemaInfo::foldCase(r.table) != SchemaInfo::foldCase(table))
            continue;
        for (const QString& c : r.columns) {
            if (SchemaInfo::foldCase(c) == SchemaInfo::foldCase(column))
                return true;
        }
    }
    return false;
}

DataPolicy DataPolicy::withReviewed(const QString& table, const QString& column) const
{
    DataPolicy p = *this;
    if (p.isReviewed(table, column))
        return p;
    for (Reviewed& r : p.m_reviewed) {
        if (SchemaInfo::foldCase(r.table) == SchemaInfo::foldCase(table)) {
            r.columns << column;
            return p;
        }
    }
    p.m_reviewed << Reviewed{table, {column}};
    return p;
}

DataPolicy DataPolicy::withRule(const PolicyRule& rule) const
{
    DataPolicy p = *this;
    p.m_rules << rule;
    return p;
}

std::optional<DataPolicy> DataPolicy::load(const QString& path, QString* error)
{
    return path.isEmpty() ? defaultPolicy(error) : fromFile(path, error);
}

bool DataPolicy::readSource(const QString& path, QByteArray* bytes, QString* error)
{
    QFile file(path.isEmpty() ? DefaultResource : path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read the policy %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    *bytes = file.readAll();
    return true;
}
