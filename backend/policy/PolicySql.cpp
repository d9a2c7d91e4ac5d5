#include "policy/PolicySql.h"

#include "policy/Masker.h"

#include <QJsonArray>
#include <QJsonDocument>

PolicySql::PolicySql(Dialect dialect) : m_dialect(dialect) {}

QString PolicySql::quoteIdentifier(const QString& identifier)
{
    QString quoted = identifier;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString PolicySql::tableRef(const QString& schema, const QString& table)
{
    if (schema.isEmpty())
        return quoteIdentifier(table);
    return quoteIdentifier(schema) + QLatin1Char('.') + quoteIdentifier(table);
}

PolicyStatement PolicySql::deleteAll(const QString& schema, const QString& table) const
{
    return PolicyStatement{QLatin1String("DELETE FROM ") + tableRef(schema, table), {}};
}

PolicyStatement PolicySql::countRows(const QString& schema, const QString& table,
                                     const QList<PolicyRule::Condition>& where,
                                     const QList<PolicyRule::Condition>& except) const
{
    PolicyStatement s{QLatin1String("SELECT COUNT(*) FROM ") + tableRef(schema, table), {}};
    appendFilter(s, where, except);
    return s;
}

PolicyStatement PolicySql::update(const QString& schema, const QString& table, const Assignments& assignments,
                                  const QList<PolicyRule::Condition>& where,
                                  const QList<PolicyRule::Condition>& except) const
{
    PolicyStatement s{QLatin1String("UPDATE ") + tableRef(schema, table) + QLatin1String(" SET "), {}};
    for (int i = 0; i < assignments.size(); ++i) {
        if (i > 0)
            s.sql += QLatin1String(", ");
        s.sql += quoteIdentifier(assignments.at(i).first) + QLatin1String(" = ");
        s.sql += bind(s, assignments.at(i).second);
    }
    appendFilter(s, where, except);
    return s;
}

PolicyStatement PolicySql::mask(const QString& schema, const QString& table,
                                const QList<QPair<QString, QString>>& masks, const QString& secret,
                                const QList<PolicyRule::Condition>& where,
                                const QList<PolicyRule::Condition>& except,
                                const QMap<QString, NumberColumn>& numberColumns) const
{
    PolicyStatement s{QLatin1String("UPDATE ") + tableRef(schema, table) + QLatin1String(" SET "), {}};
    const QString secretMarker = m_dialect == Dialect::Postgres ? bind(s, secret) : QString();
    for (int i = 0; i < masks.size(); ++i) {
        const QString column = quoteIdentifier(masks.at(i).first);
        const QString kind = masks.at(i).second;
        if (i > 0)
            s.sql += QLatin1String(", ");
        s.sql += column + QLatin1String(" = ");
        if (m_dialect == Dialect::Sqlite)
            s.sql += QLatin1String("dataalm_mask(") + bind(s, kind) + QLatin1String(", ") + column + QLatin1Char(')');
        else if (kind == QLatin1String("number")) {
            const NumberColumn type = numberColumns.value(masks.at(i).first);
            const QString call = QLatin1String("pg_temp.dataalm_mask_number(") + secretMarker +
                                 QLatin1String("::text, ") + column;
            if (type.integerMaximum > 0)
                s.sql += call + QLatin1String("::bigint, ") + QString::number(type.integerMaximum) + QLatin1Char(')');
            else if (type.scale && *type.scale < 2)
                s.sql += QLatin1String("trunc(") + call + QLatin1String("::numeric), ") + QString::number(*type.scale) +
                         QLatin1Char(')');
            else
                s.sql += call + QLatin1String("::numeric)");
        } else {
            // The value's digest once, in a sub-select that OFFSET 0 keeps from being merged
            // into the expression (which names it up to three times).
            const QString value = column + QLatin1String("::text");
            const QString kindMarker = bind(s, kind) + QLatin1String("::text");
            QString call;
            if (kind == QLatin1String("email"))
                call = QLatin1String("pg_temp.dataalm_mask_email(d, ") + value + QLatin1Char(')');
            else if (kind == QLatin1String("name") || kind == QLatin1String("first-name") ||
                     kind == QLatin1String("last-name"))
                call = QLatin1String("pg_temp.dataalm_mask_name(d, ") + kindMarker + QLatin1String(", ") + value +
                       QLatin1Char(')');
            else
                call = QLatin1String("pg_temp.dataalm_mask_shape(d, ") + secretMarker + QLatin1String("::text, ") +
                       kindMarker + QLatin1String(", ") + value + QLatin1Char(')');
            s.sql += QLatin1String("(SELECT ") + call + QLatin1String(" FROM (SELECT ") +
                     Masker::postgresDigest(secretMarker + QLatin1String("::text"), kindMarker, value) +
                     QLatin1String(" AS d OFFSET 0) AS digest)");
        }
    }
    appendFilter(s, where, except);
    return s;
}

PolicyStatement PolicySql::sampleText(const QString& schema, const QString& table, const QStringList& columns,
                                      int limit) const
{
    QStringList selected;
    for (const QString& c : columns)
        selected << (m_dialect == Dialect::Postgres ? QString(quoteIdentifier(c) + QLatin1String("::text"))
                                                    : quoteIdentifier(c));
    PolicyStatement s{QLatin1String("SELECT ") + selected.join(QLatin1String(", ")) + QLatin1String(" FROM ") +
                          tableRef(schema, table) + QLatin1String(" LIMIT "),
                      {}};
    s.sql += bind(s, limit);
    return s;
}

PolicyStatement PolicySql::sampleChanged(const QString& schema, const QString& table, const QString& column,
                                         const QList<PolicyRule::Condition>& where,
                                         const QList<PolicyRule::Condition>& except, int minLength, int limit) const
{
    const QString text = m_dialect == Dialect::Postgres
                             ? QString(quoteIdentifier(column) + QLatin1String("::text"))
                             : QString(QLatin1String("CAST(") + quoteIdentifier(column) + QLatin1String(" AS TEXT)"));
    PolicyStatement s{QLatin1String("SELECT DISTINCT ") + text + QLatin1String(" FROM ") + tableRef(schema, table), {}};
    appendFilter(s, where, except);
    s.sql += (where.isEmpty() && except.isEmpty() ? QLatin1String(" WHERE ") : QLatin1String(" AND ")) +
             QLatin1String("length(") + text + QLatin1String(") >= ");
    s.sql += bind(s, minLength);
    s.sql += QLatin1String(" LIMIT ");
    s.sql += bind(s, limit);
    return s;
}

QString PolicySql::asText(const QString& column) const
{
    return m_dialect == Dialect::Postgres ? QString(quoteIdentifier(column) + QLatin1String("::text"))
                                          : quoteIdentifier(column);
}

QString PolicySql::keptApart(const QString& subquery) const
{
    // Neither engine may merge the sub-select into the outer query: it would compute the
    // lowered text again in each test that names it.
    return QLatin1String("(") + subquery +
           (m_dialect == Dialect::Postgres ? QLatin1String(" OFFSET 0) AS lowered") : QLatin1String(" LIMIT -1)"));
}

QString PolicySql::anyNeedle(PolicyStatement& statement, const QString& text, const QStringList& needles) const
{
    QStringList tests;
    for (const QString& n : needles)
        tests << (m_dialect == Dialect::Postgres ? QLatin1String("strpos(") : QLatin1String("instr(")) + text +
                     QLatin1String(", lower(") + bind(statement, n) + QLatin1String(")) > 0");
    return tests.join(QLatin1String(" OR "));
}

PolicyStatement PolicySql::rowContainsAny(const QString& schema, const QString& table, const QStringList& columns,
                                          const QStringList& needles) const
{
    // Each row's text, joined in chunks of columns: PostgreSQL's concat_ws takes at most 100
    // arguments, and SQLite's || copies what it has joined so far at each step.
    constexpr int Chunk = 32;
    QStringList joined;
    for (int from = 0; from < columns.size(); from += Chunk) {
        QStringList parts;
        for (const QString& c : columns.mid(from, Chunk))
            parts << (m_dialect == Dialect::Postgres ? asText(c)
                                                      : QLatin1String("coalesce(") + asText(c) + QLatin1String(", '')"));
        joined << (m_dialect == Dialect::Postgres
                       ? QLatin1String("concat_ws(chr(31), ") + parts.join(QLatin1String(", ")) + QLatin1Char(')')
                       : parts.join(QLatin1String(" || char(31) || ")));
    }
    PolicyStatement s;
    QStringList tests;
    QString from;
    if (m_dialect == Dialect::Sqlite) {
        // The function SqliteSearchFunction registers, once per row and chunk, with the
        // needles bound once as a JSON array.
        const QString marker = bind(
            s, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(needles)).toJson(QJsonDocument::Compact)));
        for (const QString& j : std::as_const(joined))
            tests << QLatin1String("dataalm_contains_any(") + j + QLatin1String(", ") + marker + QLatin1Char(')');
        from = tableRef(schema, table);
    } else {
        // Lowered once per row and chunk in a sub-select, then each needle sought.
        QStringList lowered;
        for (int i = 0; i < joined.size(); ++i) {
            lowered << QLatin1String("lower(") + joined.at(i) + QLatin1String(") AS t") + QString::number(i);
            tests << anyNeedle(s, QLatin1String("t") + QString::number(i), needles);
        }
        from = keptApart(QLatin1String("SELECT ") + lowered.join(QLatin1String(", ")) + QLatin1String(" FROM ") +
                         tableRef(schema, table));
    }
    s.sql = QLatin1String("SELECT CASE WHEN EXISTS (SELECT 1 FROM ") + from + QLatin1String(" WHERE ") +
            tests.join(QLatin1String(" OR ")) + QLatin1String(") THEN 1 ELSE 0 END");
    return s;
}

PolicyStatement PolicySql::containsAny(const QString& schema, const QString& table, const QStringList& columns,
                                       const QStringList& needles, const QList<PolicyRule::Condition>& where,
                                       const QList<PolicyRule::Condition>& except) const
{
    // Each column lowered once, in a sub-select the filter applies to, then every needle sought.
    PolicyStatement inner{QString(), {}};
    QStringList lowered;
    for (int i = 0; i < columns.size(); ++i)
        lowered << QLatin1String("lower(") + asText(columns.at(i)) + QLatin1String(") AS c") + QString::number(i);
    inner.sql = QLatin1String("SELECT ") + lowered.join(QLatin1String(", ")) + QLatin1String(" FROM ") +
                tableRef(schema, table);
    appendFilter(inner, where, except);
    PolicyStatement s{QString(), inner.bindings};
    QStringList perColumn;
    for (int i = 0; i < columns.size(); ++i)
        perColumn << QLatin1String("coalesce(max(CASE WHEN ") +
                         anyNeedle(s, QLatin1String("c") + QString::number(i), needles) +
                         QLatin1String(" THEN 1 ELSE 0 END), 0)");
    s.sql = QLatin1String("SELECT ") + perColumn.join(QLatin1String(", ")) + QLatin1String(" FROM ") +
            keptApart(inner.sql);
    return s;
}

PolicyStatement PolicySql::copyRows(const QString& fromSchema, const QString& fromTable, const QStringList& fromColumns,
                                    const QString& toSchema, const QString& toTable, const QStringList& toColumns) const
{
    QStringList from;
    QStringList to;
    for (const QString& c : fromColumns)
        from << quoteIdentifier(c);
    for (const QString& c : toColumns)
        to << quoteIdentifier(c);
    return PolicyStatement{QLatin1String("INSERT INTO ") + tableRef(toSchema, toTable) + QLatin1String(" (") +
                               to.join(QLatin1String(", ")) + QLatin1String(") SELECT ") +
                               from.join(QLatin1String(", ")) + QLatin1String(" FROM ") +
                               tableRef(fromSchema, fromTable),
                           {}};
}

PolicyStatement PolicySql::lookup(const QString& schema, const PolicyRule::Lookup& lookup) const
{
    PolicyStatement s{QLatin1String("SELECT ") + quoteIdentifier(lookup.column) + QLatin1String(" FROM ") +
                          tableRef(schema, lookup.table),
                      {}};
    appendFilter(s, lookup.where, {});
    s.sql += QLatin1String(" LIMIT 2");
    return s;
}

void PolicySql::appendFilter(PolicyStatement& statement, const QList<PolicyRule::Condition>& where,
                             const QList<PolicyRule::Condition>& except) const
{
    QStringList parts;
    for (const PolicyRule::Condition& c : where)
        parts << condition(statement, c);
    if (!except.isEmpty()) {
        QStringList excepted;
        for (const PolicyRule::Condition& c : except)
            excepted << condition(statement, c);
        // IS NOT TRUE: a row whose except condition is NULL (unknown) is not excepted.
        parts << QLatin1Char('(') + excepted.join(QLatin1String(" AND ")) + QLatin1String(") IS NOT TRUE");
    }
    if (!parts.isEmpty())
        statement.sql += QLatin1String(" WHERE ") + parts.join(QLatin1String(" AND "));
}

QString PolicySql::condition(PolicyStatement& statement, const PolicyRule::Condition& c) const
{
    const QString column = quoteIdentifier(c.column);
    bool matchesNull = false;
    QStringList markers;
    for (const QVariant& v : c.values) {
        if (v.isNull())
            matchesNull = true;
        else
            markers << bind(statement, v);
    }
    QString test;
    if (markers.size() == 1)
        test = column + QLatin1String(" = ") + markers.constFirst();
    else if (markers.size() > 1)
        test = column + QLatin1String(" IN (") + markers.join(QLatin1String(", ")) + QLatin1Char(')');
    if (!matchesNull)
        return test;
    const QString isNull = column + QLatin1String(" IS NULL");
    return test.isEmpty() ? isNull : QLatin1Char('(') + test + QLatin1String(" OR ") + isNull + QLatin1Char(')');
}

QString PolicySql::bind(PolicyStatement& statement, const QVariant& value) const
{
    statement.bindings << value;
    const QString n = QString::number(statement.bindings.size());
    return (m_dialect == Dialect::Sqlite ? QLatin1String("?") : QLatin1String("$")) + n;
}
