#include "catalog/AuditLog.h"

#include "catalog/Catalog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {

QByteArray csvField(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return '"' + quoted.toUtf8() + '"';
}

} // namespace

QJsonObject AuditLog::Entry::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("at"), at.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("who"), who},
                       {QStringLiteral("role"), role},
                       {QStringLiteral("host"), host},
                       {QStringLiteral("action"), action},
                       {QStringLiteral("subject"), subject},
                       {QStringLiteral("detail"), detail}};
}

AuditLog::AuditLog(Catalog& catalog)
    : m_catalog(catalog)
{
}

namespace {

// An entry from the columns id, at, who, role, host, action, subject, detail.
AuditLog::Entry entryFromQuery(const QSqlQuery& q)
{
    AuditLog::Entry e;
    e.id = q.value(0).toLongLong();
    e.at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
    e.who = q.value(2).toString();
    e.role = q.value(3).toString();
    e.host = q.value(4).toString();
    e.action = q.value(5).toString();
    e.subject = q.value(6).toString();
    e.detail = q.value(7).toString();
    return e;
}

} // namespace

bool AuditLog::read(const Filter& filter, QList<Entry>* entries, QString* error) const
{
    QSqlQuery q(m_catalog.database());
    // An environment's entries: those that name it, and those of its operations (by id).
    q.prepare(QStringLiteral(
        "SELECT id, at, who, role, host, action, subject, detail FROM audit WHERE at >= ? AND (? = '' OR subject = ? "
        "OR subject IN (SELECT CAST(id AS TEXT) FROM operations WHERE target = ? OR source = ?)) ORDER BY id LIMIT ?"));
    const QString since = filter.since.isValid() ? filter.since.toUTC().toString(Qt::ISODateWithMs) : QString();
    const QString env = filter.environment.isNull() ? QStringLiteral("") : filter.environment;
    q.addBindValue(since.isNull() ? QStringLiteral("") : since);
    for (int i = 0; i < 4; ++i)
        q.addBindValue(env);
    q.addBindValue(filter.limit);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next())
        entries->append(entryFromQuery(q));
    return true;
}

bool AuditLog::readOperation(qint64 id, qint64 requestId, const QString& kind, const QString& target,
                             QList<Entry>* entries, QString* error) const
{
    const qint64 first = requestId > 0 ? requestId : id;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id, at, who, role, host, action, subject, detail FROM audit WHERE subject IN (?, ?) "
                             "OR (action = 'operation.create' AND subject = ? AND (detail = ? OR detail LIKE ?)) ORDER "
                             "BY id"));
    q.addBindValue(QString::number(id));
    q.addBindValue(QString::number(first));
    q.addBindValue(target);
    q.addBindValue(QStringLiteral("%1 #%2").arg(kind).arg(first));
    q.addBindValue(QStringLiteral("%1 #%2 %").arg(kind).arg(first));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next())
        entries->append(entryFromQuery(q));
    return true;
}

QByteArray AuditLog::toCsv(const QList<Entry>& entries)
{
    QByteArray out = "id,at,who,role,host,action,subject,detail\r\n";
    for (const Entry& e : entries) {
        out += QByteArray::number(e.id) + ',' + csvField(e.at.toUTC().toString(Qt::ISODateWithMs)) + ',' +
               csvField(e.who) + ',' + csvField(e.role) + ',' + csvField(e.host) + ',' + csvField(e.action) + ',' +
               csvField(e.subject) + ',' + csvField(e.detail) + "\r\n";
    }
    return out;
}
