#include "policy/SchemaInfo.h"

#include <QRegularExpression>

#include <limits>

QString SchemaInfo::foldCase(const QString& identifier)
{
    QString folded = identifier;
    for (QChar& c : folded) {
        if (c.unicode() >= u'A' && c.unicode() <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return folded;
}

QStringList SchemaInfo::matches(const QStringList& names, const QString& name) const
{
    if (m_names == Names::Exact && names.contains(name))
        return {name};
    const QString key = foldCase(name);
    QStringList found;
    for (const QString& n : names) {
        if (foldCase(n) == key)
            found << n;
    }
    return found;
}

int SchemaInfo::find(const QString& table) const
{
    const QStringList found = matches(tables(), table);
    if (found.size() != 1)
        return -1;
    for (int i = 0; i < m_tables.size(); ++i) {
        if (m_tables.at(i).name == found.first())
            return i;
    }
    return -1;
}

void SchemaInfo::addTable(const QString& table, const QList<Column>& columns)
{
    for (Table& t : m_tables) {
        const bool same = m_names == Names::Exact ? t.name == table : foldCase(t.name) == foldCase(table);
        if (same) {
            t.name = table;
            t.columns = columns;
            return;
        }
    }
    m_tables.append(Table{table, columns, false, {}});
}

void SchemaInfo::setFamily(const QString& table, bool partitioned, const QStringList& members)
{
    const int i = find(table);
    if (i < 0)
        return;
    m_tables[i].partitioned = partitioned;
    m_tables[i].members = members;
}

QStringList SchemaInfo::members(const QString& table) const
{
    const int i = find(table);
    return i < 0 ? QStringList() : m_tables.at(i).members;
}

bool SchemaInfo::isPartitioned(const QString& table) const
{
    const int i = find(table);
    return i >= 0 && m_tables.at(i).partitioned;
}

void SchemaInfo::addView(const QString& view)
{
    if (!m_views.contains(view))
        m_views << view;
}

bool SchemaInfo::isView(const QString& name) const
{
    return !matches(m_views, name).isEmpty();
}

QStringList SchemaInfo::tables() const
{
    QStringList names;
    for (const Table& t : m_tables)
        names << t.name;
    return names;
}

bool SchemaInfo::hasTable(const QString& table) const
{
    return find(table) >= 0;
}

bool SchemaInfo::hasColumn(const QString& table, const QString& column) const
{
    return this->column(table, column).has_value();
}

QString SchemaInfo::tableName(const QString& table) const
{
    const int i = find(table);
    return i < 0 ? QString() : m_tables.at(i).name;
}

QString SchemaInfo::columnName(const QString& table, const QString& column) const
{
    const std::optional<Column> c = this->column(table, column);
    return c ? c->name : QString();
}

std::optional<SchemaInfo::Column> SchemaInfo::column(const QString& table, const QString& column) const
{
    const QList<Column> all = columns(table);
    QStringList names;
    for (const Column& c : all)
        names << c.name;
    const QStringList found = matches(names, column);
    if (found.size() != 1)
        return std::nullopt;
    for (const Column& c : all) {
        if (c.name == found.first())
            return c;
    }
    return std::nullopt;
}

QList<SchemaInfo::Column> SchemaInfo::columns(const QString& table) const
{
    const int i = find(table);
    return i < 0 ? QList<Column>() : m_tables.at(i).columns;
}

QString SchemaInfo::ambiguity(const QString& table, const QString& column) const
{
    const QStringList tablesFound = matches(tables(), table);
    if (tablesFound.size() > 1)
        return tablesFound.join(QStringLiteral(", "));
    if (column.isEmpty() || tablesFound.isEmpty())
        return {};
    QStringList names;
    for (const Column& c : columns(table))
        names << c.name;
    const QStringList columnsFound = matches(names, column);
    return columnsFound.size() > 1 ? columnsFound.join(QStringLiteral(", ")) : QString();
}

qint64 SchemaInfo::integerMaximum(const QString& declaredType)
{
    const QString t = declaredType.trimmed().toLower();
    if (t == QLatin1String("smallint") || t == QLatin1String("int2"))
        return std::numeric_limits<qint16>::max();
    if (t == QLatin1String("integer") || t == QLatin1String("int4"))
        return std::numeric_limits<qint32>::max();
    if (t == QLatin1String("bigint") || t == QLatin1String("int8"))
        return std::numeric_limits<qint64>::max();
    return 0;
}

std::optional<int> SchemaInfo::numericScale(const QString& declaredType)
{
    static const QRegularExpression declared(
        QStringLiteral("^(?:numeric|decimal)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(-?\\d+)\\s*)?\\)$"));
    const QRegularExpressionMatch m = declared.match(declaredType.trimmed().toLower());
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(2).isEmpty() ? 0 : m.captured(2).toInt();
}

SchemaInfo::ValueType SchemaInfo::valueType(const QString& declaredType)
{
    QString t = declaredType.trimmed().toLower();
    if (t.isEmpty())
        return ValueType::Any;
    if (t.endsWith(QLatin1String("[]")))
        return ValueType::Other;
    if (const qsizetype paren = t.indexOf(QLatin1Char('(')); paren >= 0)
        t = t.left(paren).trimmed();
    // PostgreSQL's names first: some hold SQLite's affinity words ("interval", "point").
    static const QStringList pgText{QStringLiteral("text"), QStringLiteral("character varying"),
                                    QStringLiteral("varchar"), QStringLiteral("character"), QStringLiteral("char"),
                                    QStringLiteral("bpchar"), QStringLiteral("citext"), QStringLiteral("name")};
    static const QStringList pgNumber{QStringLiteral("smallint"),  QStringLiteral("integer"),
                                      QStringLiteral("bigint"),    QStringLiteral("numeric"),
                                      QStringLiteral("decimal"),   QStringLiteral("real"),
                                      QStringLiteral("double precision"), QStringLiteral("int2"),
                                      QStringLiteral("int4"),      QStringLiteral("int8"),
                                      QStringLiteral("float4"),    QStringLiteral("float8")};
    static const QStringList pgOther{QStringLiteral("interval"), QStringLiteral("point"), QStringLiteral("bytea"),
                                     QStringLiteral("boolean"),  QStringLiteral("date"),  QStringLiteral("uuid"),
                                     QStringLiteral("json"),     QStringLiteral("jsonb"), QStringLiteral("money")};
    if (pgText.contains(t))
        return ValueType::Text;
    if (pgNumber.contains(t))
        return ValueType::Number;
    if (pgOther.contains(t) || t.startsWith(QLatin1String("timestamp")) || t.startsWith(QLatin1String("time")))
        return ValueType::Other;
    // SQLite's affinity rules, in their order.
    if (t.contains(QLatin1String("int")))
        return ValueType::Number;
    if (t.contains(QLatin1String("char")) || t.contains(QLatin1String("clob")) || t.contains(QLatin1String("text")))
        return ValueType::Text;
    if (t.contains(QLatin1String("blob")))
        return ValueType::Other;
    if (t.contains(QLatin1String("real")) || t.contains(QLatin1String("floa")) || t.contains(QLatin1String("doub")))
        return ValueType::Number;
    if (t.contains(QLatin1String("numeric")) || t.contains(QLatin1String("decimal")))
        return ValueType::Number;
    return ValueType::Other; // dates, booleans and the like: NUMERIC affinity, but not amounts
}

bool SchemaInfo::holdsText(const Column& column)
{
    const ValueType type = valueType(column.type);
    return type == ValueType::Text || type == ValueType::Any;
}
