#include "policy/PolicyRule.h"

#include <QJsonArray>
#include <QMetaType>

namespace {

QString joinWords(const QStringList& items, const QString& conjunction)
{
    if (items.size() <= 1)
        return items.value(0);
    return QStringList(items.mid(0, items.size() - 1)).join(QLatin1String(", ")) + QLatin1Char(' ') + conjunction +
           QLatin1Char(' ') + items.constLast();
}

QString describeCondition(const PolicyRule::Condition& c)
{
    if (!c.isList && c.values.size() == 1) {
        const QVariant& v = c.values.constFirst();
        if (v.isNull())
            return c.column + QLatin1String(" is NULL");
        return c.column + QLatin1String(" = ") + PolicyRule::displayValue(v);
    }
    QStringList shown;
    for (const QVariant& v : c.values)
        shown << PolicyRule::displayValue(v);
    return c.column + QLatin1String(" is ") + joinWords(shown, QStringLiteral("or"));
}

QString describeConditions(const QList<PolicyRule::Condition>& conditions)
{
    QStringList parts;
    for (const PolicyRule::Condition& c : conditions)
        parts << describeCondition(c);
    return joinWords(parts, QStringLiteral("and"));
}

// "on rows where TYPE = 2", "on every row except where ID is 'Admin' or 'X'".
QString describeScope(const QList<PolicyRule::Condition>& where, const QList<PolicyRule::Condition>& except)
{
    QString scope =
        where.isEmpty() ? QStringLiteral("on every row") : QLatin1String("on rows where ") + describeConditions(where);
    if (!except.isEmpty())
        scope += (where.isEmpty() ? QLatin1String(" except where ") : QLatin1String(", except where ")) +
                 describeConditions(except);
    return scope;
}

QString describeAssignment(const PolicyRule::Assignment& a)
{
    if (a.lookup) {
        QString text = QLatin1String("the ") + a.lookup->column + QLatin1String(" of the ") + a.lookup->table +
                       QLatin1String(" row");
        if (!a.lookup->where.isEmpty())
            text += QLatin1String(" where ") + describeConditions(a.lookup->where);
        return text;
    }
    return PolicyRule::displayValue(a.literal);
}

QJsonValue jsonValue(const QVariant& v)
{
    if (v.isNull())
        return QJsonValue(QJsonValue::Null);
    switch (v.typeId()) {
    case QMetaType::Bool:
        return v.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return v.toLongLong();
    case QMetaType::Double:
        return v.toDouble();
    default:
        return v.toString();
    }
}

QJsonObject conditionsJson(const QList<PolicyRule::Condition>& conditions)
{
    QJsonObject o;
    for (const PolicyRule::Condition& c : conditions) {
        if (c.isList) {
            QJsonArray a;
            for (const QVariant& v : c.values)
                a.append(jsonValue(v));
            o.insert(c.column, a);
        } else {
            o.insert(c.column, jsonValue(c.values.value(0)));
        }
    }
    return o;
}

} // namespace

QString PolicyRule::actionName(Action action)
{
    switch (action) {
    case Action::Exclude:
        return QStringLiteral("exclude");
    case Action::KeepTarget:
        return QStringLiteral("keep-target");
    case Action::Blank:
        return QStringLiteral("blank");
    case Action::Set:
        return QStringLiteral("set");
    case Action::ResetAdmin:
        return QStringLiteral("reset-admin");
    case Action::Mask:
        return QStringLiteral("mask");
    }
    return {};
}

std::optional<PolicyRule::Action> PolicyRule::actionFromName(const QString& name)
{
    for (Action a :
         {Action::Exclude, Action::KeepTarget, Action::Blank, Action::Set, Action::ResetAdmin, Action::Mask}) {
        if (actionName(a) == name)
            return a;
    }
    return std::nullopt;
}

QString PolicyRule::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::EnvironmentSpecific:
        return QStringLiteral("environment-specific");
    case Reason::Security:
        return QStringLiteral("security");
    case Reason::AvoidSideEffects:
        return QStringLiteral("avoid-side-effects");
    }
    return {};
}

std::optional<PolicyRule::Reason> PolicyRule::reasonFromName(const QString& name)
{
    for (Reason r : {Reason::EnvironmentSpecific, Reason::Security, Reason::AvoidSideEffects}) {
        if (reasonName(r) == name)
            return r;
    }
    return std::nullopt;
}

QString PolicyRule::reasonTitle(Reason reason)
{
    switch (reason) {
    case Reason::EnvironmentSpecific:
        return QStringLiteral("Environment-specific");
    case Reason::Security:
        return QStringLiteral("Security");
    case Reason::AvoidSideEffects:
        return QStringLiteral("Avoids side effects");
    }
    return {};
}

QStringList PolicyRule::columnsWritten() const
{
    QStringList written = columns;
    for (const Assignment& a : values)
        written << a.column;
    if (action == Action::ResetAdmin)
        written << adminColumns.enable << adminColumns.administrator << adminColumns.tenant;
    return written;
}

QStringList PolicyRule::columnsUsed() const
{
    QStringList used;
    auto add = [&used](const QString& c) {
        if (!used.contains(c, Qt::CaseInsensitive))
            used << c;
    };
    for (const Condition& c : where)
        add(c.column);
    for (const Condition& c : except)
        add(c.column);
    for (const QString& c : columns)
        add(c);
    for (const Assignment& a : values)
        add(a.column);
    if (action == Action::ResetAdmin) {
        add(adminColumns.enable);
        add(adminColumns.administrator);
        add(adminColumns.tenant);
    }
    return used;
}

QString PolicyRule::displayValue(const QVariant& value)
{
    if (value.isNull())
        return QStringLiteral("NULL");
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return QString::number(value.toLongLong());
    case QMetaType::Double:
        return QString::number(value.toDouble(), 'g', 17);
    default:
        return QLatin1Char('\'') + value.toString() + QLatin1Char('\'');
    }
}

QString PolicyRule::describe() const
{
    const QString tableList = joinWords(tables, QStringLiteral("and"));
    switch (action) {
    case Action::Exclude:
        return tableList + (tables.size() == 1 ? QLatin1String(" arrives empty.") : QLatin1String(" arrive empty."));
    case Action::KeepTarget:
        return tableList + (tables.size() == 1 ? QLatin1String(" keeps the target's own rows.")
                                               : QLatin1String(" keep the target's own rows."));
    case Action::Blank:
        return joinWords(columns, QStringLiteral("and")) +
               (columns.size() == 1 ? QLatin1String(" is blanked ") : QLatin1String(" are blanked ")) +
               describeScope(where, except) + QLatin1Char('.');
    case Action::Set: {
        QStringList parts;
        for (int i = 0; i < values.size(); ++i) {
            const Assignment& a = values.at(i);
            parts << a.column + (i == 0 ? QLatin1String(" is set to ") : QLatin1String(" to ")) + describeAssignment(a);
        }
        return joinWords(parts, QStringLiteral("and")) + QLatin1Char(' ') + describeScope(where, except) +
               QLatin1Char('.');
    }
    case Action::Mask: {
        const auto kindWords = [](const QString& kind) -> QString {
            if (kind == QLatin1String("email"))
                return QStringLiteral("an email address");
            if (kind == QLatin1String("phone"))
                return QStringLiteral("a phone number");
            if (kind == QLatin1String("text"))
                return QStringLiteral("text of the same shape");
            return QString(QLatin1String("a ") + QString(kind).replace(QLatin1Char('-'), QLatin1Char(' ')));
        };
        QStringList parts;
        for (int i = 0; i < columns.size(); ++i)
            parts << columns.at(i) + QLatin1String(" (as ") + kindWords(maskKinds.value(i)) + QLatin1Char(')');
        return joinWords(parts, QStringLiteral("and")) +
               (columns.size() == 1 ? QLatin1String(" is masked ") : QLatin1String(" are masked ")) +
               describeScope(where, except) + QLatin1String(": the same value gets the same pseudonym everywhere.");
    }
    case Action::ResetAdmin:
        return QLatin1String("The ") + tables.value(0) + QLatin1String(" row where ") + describeConditions(where) +
               QLatin1String(" gets ") + adminColumns.enable + QLatin1String(" = 1, ") + adminColumns.administrator +
               QLatin1String(" = the target's administrator and ") + adminColumns.tenant +
               QLatin1String(" = the target's tenant.");
    }
    return {};
}

QJsonObject PolicyRule::toJson() const
{
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("title"), title},
                  {QStringLiteral("reason"), reasonName(reason)},
                  {QStringLiteral("action"), actionName(action)}};
    if (tables.size() == 1)
        o.insert(QStringLiteral("table"), tables.constFirst());
    else
        o.insert(QStringLiteral("tables"), QJsonArray::fromStringList(tables));
    if (action == Action::Mask) {
        QJsonObject masks;
        for (int i = 0; i < columns.size(); ++i)
            masks.insert(columns.at(i), maskKinds.value(i));
        o.insert(QStringLiteral("columns"), masks);
    } else if (!columns.isEmpty()) {
        o.insert(QStringLiteral("columns"), QJsonArray::fromStringList(columns));
    }
    if (!where.isEmpty())
        o.insert(QStringLiteral("where"), conditionsJson(where));
    if (!except.isEmpty())
        o.insert(QStringLiteral("except"), conditionsJson(except));
    if (!values.isEmpty()) {
        QJsonObject v;
        for (const Assignment& a : values) {
            if (a.lookup) {
                QJsonObject lookup{{QStringLiteral("table"), a.lookup->table},
                                   {QStringLiteral("column"), a.lookup->column}};
                if (!a.lookup->where.isEmpty())
                    lookup.insert(QStringLiteral("where"), conditionsJson(a.lookup->where));
                v.insert(a.column, QJsonObject{{QStringLiteral("lookup"), lookup}});
            } else {
                v.insert(a.column, jsonValue(a.literal));
            }
        }
        o.insert(QStringLiteral("values"), v);
    }
    if (action == Action::ResetAdmin) {
        o.insert(QStringLiteral("adminColumns"),
                 QJsonObject{{QStringLiteral("enable"), adminColumns.enable},
                             {QStringLiteral("administrator"), adminColumns.administrator},
                             {QStringLiteral("tenant"), adminColumns.tenant}});
    }
    return o;
}
