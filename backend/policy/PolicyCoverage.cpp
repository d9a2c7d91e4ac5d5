#include "policy/PolicyCoverage.h"

#include "policy/DataPolicy.h"
#include "policy/SchemaInfo.h"
#include "policy/SensitiveDataDetector.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace {

QString folded(const QString& table, const QString& column)
{
    return SchemaInfo::foldCase(table) + QLatin1Char('.') + SchemaInfo::foldCase(column);
}

// The rule that covers `column` of `table`, or empty.
QString coveringRule(const DataPolicy& policy, const SchemaInfo& schema, const QString& table, const QString& column)
{
    for (const PolicyRule& rule : policy.rules()) {
        for (const QString& t : rule.tables) {
            const QString name = schema.tableName(t);
            const bool sameTable = SchemaInfo::foldCase(name.isEmpty() ? t : name) == SchemaInfo::foldCase(table) ||
                                   schema.members(name).contains(table);
            if (!sameTable)
                continue;
            if (rule.action == PolicyRule::Action::Exclude || rule.action == PolicyRule::Action::KeepTarget)
                return rule.id;
            for (const QString& c : rule.columnsWritten()) {
                if (SchemaInfo::foldCase(c) == SchemaInfo::foldCase(column))
                    return rule.id;
            }
        }
    }
    return {};
}

} // namespace

QString PolicyCoverage::statusName(Status status)
{
    switch (status) {
    case Status::Covered:
        return QStringLiteral("covered");
    case Status::Reviewed:
        return QStringLiteral("reviewed");
    case Status::Unreviewed:
        return QStringLiteral("unreviewed");
    }
    return {};
}

QString PolicyCoverage::Column::key() const
{
    return table + QLatin1Char('.') + column;
}

QString PolicyCoverage::Column::describe() const
{
    QStringList why;
    if (!nameWord.isEmpty())
        why << QStringLiteral("its name says %1").arg(nameWord);
    if (!valueHint.isEmpty())
        why << valueHint;
    if (isNew)
        why << QStringLiteral("new since the last refresh");
    return why.isEmpty() ? key() : QStringLiteral("%1 (%2)").arg(key(), why.join(QLatin1String("; ")));
}

QString PolicyCoverage::Column::suggestedMask() const
{
    return SensitiveDataDetector::suggestedMask(nameWord, valueKind);
}

int PolicyCoverage::Table::count(Status status) const
{
    return int(std::count_if(columns.cbegin(), columns.cend(), [status](const Column& c) { return c.status == status; }));
}

int PolicyCoverage::Table::flaggedCount() const
{
    return int(std::count_if(columns.cbegin(), columns.cend(), [](const Column& c) { return c.flagged(); }));
}

PolicyCoverage PolicyCoverage::analyse(const DataPolicy& policy, const SchemaInfo& source,
                                       const QHash<QString, QHash<QString, QStringList>>& samples,
                                       const QSet<QString>& previous)
{
    PolicyCoverage coverage;
    for (const QString& table : source.tables()) {
        Table t;
        t.table = table;
        const QHash<QString, QStringList> tableSamples = samples.value(table);
        for (const SchemaInfo::Column& c : source.columns(table)) {
            Column col;
            col.table = table;
            col.column = c.name;
            col.type = c.type;
            col.ruleId = coveringRule(policy, source, table, c.name);
            col.isNew = !previous.isEmpty() && !previous.contains(folded(table, c.name));
            // A table reviewed with "*" was reviewed before a column added since existed.
            const bool reviewed = col.isNew ? policy.isReviewedByName(table, c.name) : policy.isReviewed(table, c.name);
            col.status = !col.ruleId.isEmpty() ? Status::Covered
                         : reviewed            ? Status::Reviewed
                                               : Status::Unreviewed;
            col.nameWord = SensitiveDataDetector::byName(c.name);
            if (const auto evidence = SensitiveDataDetector::byValues(tableSamples.value(c.name))) {
                col.valueHint = evidence->sentence();
                col.valueKind = evidence->kind;
            }
            t.columns << col;
        }
        coverage.m_tables << t;
    }
    return coverage;
}

QList<PolicyCoverage::Column> PolicyCoverage::columnsWhere(const std::function<bool(const Column&)>& wanted) const
{
    QList<Column> result;
    for (const Table& t : m_tables) {
        for (const Column& c : t.columns) {
            if (wanted(c))
                result << c;
        }
    }
    return result;
}

QList<PolicyCoverage::Column> PolicyCoverage::flagged() const
{
    return columnsWhere([](const Column& c) { return c.flagged(); });
}

QList<PolicyCoverage::Column> PolicyCoverage::needingDecision() const
{
    return columnsWhere([](const Column& c) { return c.needsDecision(); });
}

QList<PolicyCoverage::Column> PolicyCoverage::newColumns() const
{
    return columnsWhere([](const Column& c) { return c.isNew; });
}

int PolicyCoverage::count(Status status) const
{
    int n = 0;
    for (const Table& t : m_tables)
        n += t.count(status);
    return n;
}

int PolicyCoverage::columnCount() const
{
    int n = 0;
    for (const Table& t : m_tables)
        n += int(t.columns.size());
    return n;
}

QString PolicyCoverage::summary() const
{
    const QList<Column> flags = flagged();
    const QList<Column> added = newColumns();
    QString text = QStringLiteral("%1 of %2 columns are covered by a rule, %3 reviewed as safe, %4 unreviewed.")
                       .arg(count(Status::Covered))
                       .arg(columnCount())
                       .arg(count(Status::Reviewed))
                       .arg(count(Status::Unreviewed));
    if (!flags.isEmpty()) {
        QStringList lines;
        for (const Column& c : flags)
            lines << c.describe();
        text += QStringLiteral(" %1 unreviewed %2 sensitive: %3. Mask or blank %4 with a rule, or mark %4 "
                               "reviewed in the policy.")
                    .arg(flags.size())
                    .arg(flags.size() == 1 ? QStringLiteral("column looks") : QStringLiteral("columns look"))
                    .arg(lines.join(QLatin1String(", ")))
                    .arg(flags.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"));
    }
    if (!added.isEmpty()) {
        QStringList keys;
        QStringList open;
        for (const Column& c : added) {
            keys << c.key();
            if (c.needsDecision())
                open << c.key();
        }
        text += QStringLiteral(" New since the last refresh: %1.").arg(keys.join(QLatin1String(", ")));
        if (!open.isEmpty())
            text += QStringLiteral(" Not yet covered or reviewed of those: %1.").arg(open.join(QLatin1String(", ")));
    }
    return text;
}

QJsonObject PolicyCoverage::toJson() const
{
    QJsonArray tables;
    for (const Table& t : m_tables) {
        QJsonArray columns;
        for (const Column& c : t.columns) {
            QJsonObject o{{QStringLiteral("column"), c.column},
                          {QStringLiteral("type"), c.type},
                          {QStringLiteral("status"), statusName(c.status)}};
            if (!c.ruleId.isEmpty())
                o.insert(QStringLiteral("rule"), c.ruleId);
            if (!c.nameWord.isEmpty())
                o.insert(QStringLiteral("nameWord"), c.nameWord);
            if (!c.valueHint.isEmpty()) {
                o.insert(QStringLiteral("values"), c.valueHint);
                o.insert(QStringLiteral("valueKind"), c.valueKind);
            }
            if (c.flagged())
                o.insert(QStringLiteral("flagged"), true);
            if (c.isNew)
                o.insert(QStringLiteral("new"), true);
            columns.append(o);
        }
        tables.append(QJsonObject{{QStringLiteral("table"), t.table}, {QStringLiteral("columns"), columns}});
    }
    return QJsonObject{{QStringLiteral("tables"), tables},
                       {QStringLiteral("covered"), count(Status::Covered)},
                       {QStringLiteral("reviewed"), count(Status::Reviewed)},
                       {QStringLiteral("unreviewed"), count(Status::Unreviewed)},
                       {QStringLiteral("flagged"), int(flagged().size())}};
}

PolicyCoverage PolicyCoverage::fromJson(const QJsonObject& json)
{
    PolicyCoverage coverage;
    for (const QJsonValue& tv : json.value(QLatin1String("tables")).toArray()) {
        Table t;
        t.table = tv.toObject().value(QLatin1String("table")).toString();
        for (const QJsonValue& cv : tv.toObject().value(QLatin1String("columns")).toArray()) {
            const QJsonObject o = cv.toObject();
            Column c;
            c.table = t.table;
            c.column = o.value(QLatin1String("column")).toString();
            c.type = o.value(QLatin1String("type")).toString();
            const QString status = o.value(QLatin1String("status")).toString();
            c.status = status == QLatin1String("covered")    ? Status::Covered
                       : status == QLatin1String("reviewed") ? Status::Reviewed
                                                             : Status::Unreviewed;
            c.ruleId = o.value(QLatin1String("rule")).toString();
            c.nameWord = o.value(QLatin1String("nameWord")).toString();
            c.valueHint = o.value(QLatin1String("values")).toString();
            c.valueKind = o.value(QLatin1String("valueKind")).toString();
            c.isNew = o.value(QLatin1String("new")).toBool();
            t.columns << c;
        }
        coverage.m_tables << t;
    }
    return coverage;
}

QStringList PolicyCoverage::keys(const SchemaInfo& source)
{
    QStringList keys;
    for (const QString& table : source.tables()) {
        for (const SchemaInfo::Column& c : source.columns(table))
            keys << folded(table, c.name);
    }
    return keys;
}

PolicyRule PolicyCoverage::maskRule(const DataPolicy& policy, const QString& table, const QString& column,
                                    const QString& kind)
{
    QString base = QStringLiteral("mask-%1-%2").arg(table, column).toLower();
    base.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    QString id = base;
    for (int n = 2; policy.rule(id); ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    PolicyRule rule;
    rule.id = id;
    rule.title = QStringLiteral("Mask %1.%2").arg(table, column);
    rule.reason = PolicyRule::Reason::Security;
    rule.action = PolicyRule::Action::Mask;
    rule.tables = {table};
    rule.columns = {column};
    rule.maskKinds = {kind};
    return rule;
}
