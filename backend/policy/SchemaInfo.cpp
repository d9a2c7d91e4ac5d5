#include "policy/SchemaInfo.h"


QString SchemaInfo::foldCase(const QString& identifier)
{
    QString folded = identifier;
    for (QChar& c : folded) {
        if (c.unicode() >= u'A' && c.unicode() <= u'Z')
            c = QChar(c.unicode() + (u'a' - u'A'));
    }
    return folded;
}

void SchemaInfo::addTable(const QString& table, const QList<Column>& columns)
{
    const QString key = foldCase(table);
    const auto it = m_index.constFind(key);
    if (it != m_index.constEnd()) {
        m_tables[*it] = Table{table, columns};
        return;
    }
    m_index.insert(key, int(m_tables.size()));
    m_tables.append(Table{table, columns});
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
    return m_index.contains(foldCase(table));
}

bool SchemaInfo::hasColumn(const QString& table, const QString& column) const
{
    return this->column(table, column).has_value();
}

QString SchemaInfo::tableName(const QString& table) const
{
    const auto it = m_index.constFind(foldCase(table));
    return it == m_index.constEnd() ? QString() : m_tables.at(*it).name;
}

QString SchemaInfo::columnName(const QString& table, const QString& column) const
{
    const std::optional<Column> c = this->column(table, column);
    return c ? c->name : QString();
}

std::optional<SchemaInfo::Column> SchemaInfo::column(const QString& table, const QString& column) const
{
    const QString key = foldCase(column);
    for (const Column& c : columns(table)) {
        if (foldCase(c.name) == key)
            return c;
    }
    return std::nullopt;
}

QList<SchemaInfo::Column> SchemaInfo::columns(const QString& table) const
{
    const auto it = m_index.constFind(foldCase(table));
    return it == m_index.constEnd() ? QList<Column>() : m_tables.at(*it).columns;
}
