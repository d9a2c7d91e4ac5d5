#include "coverage/LeakScan.h"

#include "engine/DatabaseEngine.h"
#include "policy/DataPolicy.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"
#include "policy/SensitiveDataDetector.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>

namespace LeakScan {

namespace {

struct Candidate
{
    Column column;
    QList<PolicyRule::Condition> where;
    QList<PolicyRule::Condition> except;
    bool onlyIfSensitive = false;
    bool security = false; // the rule's reason: a name alone makes its column sensitive
};

QList<PolicyRule::Condition> resolved(const SchemaInfo& schema, const QString& table,
                                      QList<PolicyRule::Condition> conditions)
{
    for (PolicyRule::Condition& c : conditions)
        c.column = schema.columnName(table, c.column);
    return conditions;
}

} // namespace

bool Result::leaked() const
{
    return std::any_of(columns.cbegin(), columns.cend(), [](const Column& c) { return !c.foundIn.isEmpty(); });
}

QStringList Result::leaks() const
{
    QStringList out;
    for (const Column& c : columns) {
        const QString own = c.table + QLatin1Char('.') + c.column;
        QStringList elsewhere = c.foundIn;
        elsewhere.removeAll(own);
        if (c.leftInPlace)
            out << QStringLiteral("rule \"%1\" (%2) left values of %3 as they were: choose what it does to that "
                                  "column again (a mask kind that changes its values, or blank)")
                       .arg(c.ruleId, c.action, own);
        if (!elsewhere.isEmpty())
            out << QStringLiteral("values of %1 (rule \"%2\") were found in %3 of the staging copy; the policy "
                                  "leaves them there: cover that column with a rule too")
                       .arg(own, c.ruleId, elsewhere.join(QLatin1String(", ")));
    }
    return out;
}

QJsonObject Result::toJson() const
{
    QJsonArray list;
    for (const Column& c : columns)
        list.append(QJsonObject{{QStringLiteral("rule"), c.ruleId},
                                {QStringLiteral("action"), c.action},
                                {QStringLiteral("table"), c.table},
                                {QStringLiteral("column"), c.column},
                                {QStringLiteral("sampled"), c.sampled},
                                {QStringLiteral("foundIn"), QJsonArray::fromStringList(c.foundIn)}});
    return QJsonObject{{QStringLiteral("columns"), list},
                       {QStringLiteral("tablesSearched"), tablesSearched},
                       {QStringLiteral("columnsSearched"), columnsSearched},
                       {QStringLiteral("seconds"), seconds},
                       {QStringLiteral("leaked"), leaked()}};
}

std::optional<Result> run(DatabaseEngine& engine, const DatabaseRef& source, const SchemaInfo& sourceSchema,
                          const DatabaseRef& staging, const SchemaInfo& stagingSchema, const DataPolicy& policy,
                          QString* error)
{
    QElapsedTimer timer;
    timer.start();
    const PolicySql sql(engine.dialect());
    // 1. What the policy hides, column by column.
    QList<Candidate> candidates;
    QSet<QString> seen;
    for (const PolicyRule& rule : policy.rules()) {
        if (rule.action == PolicyRule::Action::KeepTarget || rule.action == PolicyRule::Action::ResetAdmin)
            continue;
        for (const QString& policyTable : rule.tables) {
            const QString table = sourceSchema.tableName(policyTable);
            if (table.isEmpty())
                continue;
            QStringList columns;
            if (rule.action == PolicyRule::Action::Exclude) {
                for (const SchemaInfo::Column& c : sourceSchema.columns(table)) {
                    if (SchemaInfo::holdsText(c))
                        columns << c.name;
                }
            } else {
                for (const QString& c : rule.columnsWritten()) {
                    const auto column = sourceSchema.column(table, c);
                    if (column && SchemaInfo::holdsText(*column))
                        columns << column->name;
                }
            }
            for (const QString& c : std::as_const(columns)) {
                const QString key = SchemaInfo::foldCase(table) + QLatin1Char('.') + SchemaInfo::foldCase(c);
                if (seen.contains(key))
                    continue;
                seen.insert(key);
                Candidate candidate;
                const qsizetype at = rule.columns.indexOf(c, Qt::CaseInsensitive);
                const QString action = rule.action == PolicyRule::Action::Mask && at >= 0
                                           ? QStringLiteral("mask as %1").arg(rule.maskKinds.value(at))
                                           : PolicyRule::actionName(rule.action);
                candidate.column = Column{rule.id, action, table, c, 0, {}};
                if (rule.action != PolicyRule::Action::Exclude) {
                    candidate.where = resolved(sourceSchema, table, rule.where);
                    candidate.except = resolved(sourceSchema, table, rule.except);
                }
                candidate.onlyIfSensitive =
                    rule.action == PolicyRule::Action::Exclude || rule.action == PolicyRule::Action::Set;
                candidate.security = rule.reason == PolicyRule::Reason::Security;
                candidates << candidate;
            }
        }
    }
    Result result;
    if (candidates.isEmpty()) {
        result.seconds = double(timer.elapsed()) / 1000.0;
        return result;
    }
    QList<PolicyStatement> samples;
    for (const Candidate& c : std::as_const(candidates))
        samples << sql.sampleChanged(QString(), c.column.table, c.column.column, c.where, c.except, MinLength,
                                     ValuesPerColumn);
    QList<QStringList> values(candidates.size());
    if (!engine.queryEach(
            source, samples,
            [&](int i, const QVariantList& row) {
                if (!row.isEmpty() && !row.at(0).isNull())
                    values[i] << row.at(0).toString();
            },
            error))
        return std::nullopt;
    // Keep the columns with something to look for (and, for set and exclude, that look sensitive).
    QList<Column> scanned;
    QList<QStringList> needles;
    QList<std::pair<QList<PolicyRule::Condition>, QList<PolicyRule::Condition>>> scannedFilters; // where, except
    for (int i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates.at(i);
        if (values.at(i).isEmpty())
            continue;
        // set and exclude rules: their values must look sensitive (NAME of a print setting does
        // not), by the values themselves, or by the name where the rule is there for security.
        const bool byValues = SensitiveDataDetector::byValues(values.at(i)).has_value();
        const bool byName = c.security && !SensitiveDataDetector::byName(c.column.column).isEmpty();
        if (c.onlyIfSensitive && !byValues && !byName)
            continue;
        Column column = c.column;
        column.sampled = int(values.at(i).size());
        scanned << column;
        needles << values.at(i);
        scannedFilters << std::make_pair(c.where, c.except);
    }
    QStringList all;
    for (const QStringList& n : std::as_const(needles))
        all << n;
    all.removeDuplicates();
    if (all.isEmpty()) {
        result.seconds = double(timer.elapsed()) / 1000.0;
        return result;
    }
    // 2. Every text column of the staging copy, one statement per table: which columns hold any.
    QList<PolicyStatement> searches;
    QList<std::pair<QString, QStringList>> searched;
    // Tables whose rows are the target's own (keep-target) did not come from the source.
    QSet<QString> kept;
    for (const PolicyRule& rule : policy.rules()) {
        if (rule.action != PolicyRule::Action::KeepTarget)
            continue;
        for (const QString& t : rule.tables) {
            kept.insert(SchemaInfo::foldCase(stagingSchema.tableName(t)));
            for (const QString& member : stagingSchema.members(stagingSchema.tableName(t)))
                kept.insert(SchemaInfo::foldCase(member));
        }
    }
    for (const QString& table : stagingSchema.tables()) {
        if (kept.contains(SchemaInfo::foldCase(table)))
            continue;
        QStringList columns;
        for (const SchemaInfo::Column& c : stagingSchema.columns(table)) {
            if (SchemaInfo::holdsText(c))
                columns << c.name;
        }
        if (columns.isEmpty())
            continue;
        searches << sql.rowContainsAny(QString(), table, columns, all);
        searched << std::make_pair(table, columns);
        result.columnsSearched += int(columns.size());
    }
    result.tablesSearched = int(searches.size());
    // First each table in one pass, its rows' text joined; then, in the tables where some
    // row holds a value, which columns do (usually none is left for this).
    QList<PolicyStatement> perColumn;
    QList<std::pair<QString, QStringList>> suspects;
    if (!engine.queryEach(
            staging, searches,
            [&](int i, const QVariantList& row) {
                if (!row.isEmpty() && row.at(0).toLongLong() == 1) {
                    perColumn << sql.containsAny(QString(), searched.at(i).first, searched.at(i).second, all);
                    suspects << searched.at(i);
                }
            },
            error))
        return std::nullopt;
    QList<std::pair<QString, QString>> hits; // table, column holding one of the values
    const auto columnsHolding = [&](int i, const QVariantList& row) {
        for (int c = 0; c < row.size(); ++c) {
            if (row.at(c).toLongLong() == 1)
                hits << std::make_pair(suspects.at(i).first, suspects.at(i).second.at(c));
        }
    };
    if (!perColumn.isEmpty() && !engine.queryEach(staging, perColumn, columnsHolding, error))
        return std::nullopt;
    // 3. Which hidden column each hit came from: one small statement per hit and column.
    if (!hits.isEmpty()) {
        QList<PolicyStatement> attribution;
        QList<std::pair<int, QString>> whom; // scanned column index, "TABLE.COLUMN" searched
        for (const auto& [table, column] : std::as_const(hits)) {
            for (int s = 0; s < scanned.size(); ++s) {
                // In the hidden column itself, only the rows its rule acts on.
                const bool own = SchemaInfo::foldCase(table) == SchemaInfo::foldCase(scanned.at(s).table) &&
                                 SchemaInfo::foldCase(column) == SchemaInfo::foldCase(scanned.at(s).column);
                const auto staged = [&](QList<PolicyRule::Condition> conditions) {
                    for (PolicyRule::Condition& c : conditions)
                        c.column = stagingSchema.columnName(table, c.column);
                    return conditions;
                };
                attribution << (own ? sql.containsAny(QString(), table, {column}, needles.at(s),
                                                      staged(scannedFilters.at(s).first),
                                                      staged(scannedFilters.at(s).second))
                                    : sql.containsAny(QString(), table, {column}, needles.at(s)));
                whom << std::make_pair(s, table + QLatin1Char('.') + column);
            }
        }
        if (!engine.queryEach(
                staging, attribution,
                [&](int i, const QVariantList& row) {
                    if (row.isEmpty() || row.at(0).toLongLong() != 1)
                        return;
                    Column& c = scanned[whom.at(i).first];
                    c.foundIn << whom.at(i).second;
                    if (SchemaInfo::foldCase(whom.at(i).second) ==
                        SchemaInfo::foldCase(c.table + QLatin1Char('.') + c.column))
                        c.leftInPlace = true;
                },
                error))
            return std::nullopt;
    }
    result.columns = scanned;
    result.seconds = double(timer.elapsed()) / 1000.0;
    return result;
}

} // namespace LeakScan
