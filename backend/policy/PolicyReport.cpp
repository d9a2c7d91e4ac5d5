#include "policy/PolicyReport.h"

#include <QJsonArray>

namespace {

// "1 row", "2 rows", "1 source row", ...
QString rows(qint64 n, const QString& noun = QStringLiteral("row"))
{
    return QString::number(n) + QLatin1Char(' ') + noun + (n == 1 ? QLatin1String("") : QLatin1String("s"));
}

} // namespace

qint64 PolicyReport::Rule::rowsAffected() const
{
    qint64 rows = 0;
    for (const Table& t : tables)
        rows += t.deleted + t.inserted + t.updated;
    return rows;
}

QString PolicyReport::statusName(Status status)
{
    switch (status) {
    case Status::Completed:
        return QStringLiteral("Completed");
    case Status::Cancelled:
        return QStringLiteral("Cancelled");
    case Status::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

QStringList PolicyReport::logLines() const
{
    QStringList lines;
    for (const Rule& r : rules) {
        for (const Table& t : r.tables) {
            QString line = r.id + QLatin1String(": ") + t.table + QLatin1String(": ");
            switch (r.action) {
            case PolicyRule::Action::Exclude:
                line += rows(t.deleted) + QLatin1String(" deleted");
                break;
            case PolicyRule::Action::KeepTarget:
                line += rows(t.deleted, QStringLiteral("source row")) + QLatin1String(" deleted, ") +
                        rows(t.inserted, QStringLiteral("target row")) + QLatin1String(" kept");
                break;
            case PolicyRule::Action::Blank:
            case PolicyRule::Action::Set:
            case PolicyRule::Action::ResetAdmin:
                line += rows(t.updated) + QLatin1String(" updated");
                break;
            case PolicyRule::Action::Mask:
                line += rows(t.updated) + QLatin1String(" masked");
                break;
            }
            QStringList notes;
            if (!t.note.isEmpty())
                notes << t.note;
            if (!t.reached.isEmpty())
                notes << QStringLiteral("with %1").arg(t.reached.join(QLatin1String(", ")));
            if (!t.triggersOff.isEmpty())
                notes << QStringLiteral("trigger%1 %2 off meanwhile")
                             .arg(t.triggersOff.size() == 1 ? QString() : QStringLiteral("s"),
                                  t.triggersOff.join(QLatin1String(", ")));
            if (!notes.isEmpty())
                line += QLatin1String(" (") + notes.join(QLatin1String("; ")) + QLatin1Char(')');
            lines << line;
        }
    }
    if (status != Status::Completed)
        lines << statusName(status) + QLatin1String(": ") + error;
    return lines;
}

QJsonObject PolicyReport::toJson() const
{
    QJsonArray rulesJson;
    for (const Rule& r : rules) {
        QJsonArray tablesJson;
        for (const Table& t : r.tables) {
            QJsonObject o{{QStringLiteral("table"), t.table},
                          {QStringLiteral("deleted"), t.deleted},
                          {QStringLiteral("inserted"), t.inserted},
                          {QStringLiteral("updated"), t.updated}};
            if (!t.note.isEmpty())
                o.insert(QStringLiteral("note"), t.note);
            if (!t.reached.isEmpty())
                o.insert(QStringLiteral("reached"), QJsonArray::fromStringList(t.reached));
            if (!t.triggersOff.isEmpty())
                o.insert(QStringLiteral("triggersOff"), QJsonArray::fromStringList(t.triggersOff));
            tablesJson.append(o);
        }
        rulesJson.append(QJsonObject{{QStringLiteral("id"), r.id},
                                     {QStringLiteral("title"), r.title},
                                     {QStringLiteral("action"), PolicyRule::actionName(r.action)},
                                     {QStringLiteral("tables"), tablesJson}});
    }
    QJsonObject o{{QStringLiteral("status"), statusName(status)}, {QStringLiteral("rules"), rulesJson}};
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    if (!failedRuleId.isEmpty())
        o.insert(QStringLiteral("failedRule"), failedRuleId);
    return o;
}
