#include "schedule/ScheduleStore.h"

#include "catalog/Catalog.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace {

QString text(const QDateTime& t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

const char* Columns = "id, project_id, kind, source, target, request, every, first_start, window_seconds, time_zone, "
                      "next_start, state, who, note";

Schedule fromQuery(const QSqlQuery& q)
{
    Schedule s;
    s.id = q.value(0).toLongLong();
    s.projectId = q.value(1).toString();
    s.kind = q.value(2).toString();
    s.source = q.value(3).toString();
    s.target = q.value(4).toString();
    s.request = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
    s.every = q.value(6).toString();
    s.firstStart = QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs);
    s.windowSeconds = q.value(8).toLongLong();
    s.timeZone = q.value(9).toString().toUtf8();
    s.nextStart = QDateTime::fromString(q.value(10).toString(), Qt::ISODateWithMs);
    s.active = q.value(11).toString() == QLatin1String("Active");
    s.who = q.value(12).toString();
    s.note = q.value(13).toString();
    return s;
}

} // namespace

ScheduleStore::ScheduleStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

std::optional<qint64> ScheduleStore::create(const Schedule& s, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO schedules (project_id, kind, source, target, request, every, first_start, "
                             "window_seconds, time_zone, next_start, state, who, created) VALUES (?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?, 'Active', ?, ?) RETURNING id"));
    q.addBindValue(s.projectId);
    q.addBindValue(s.kind);
    q.addBindValue(s.source.isNull() ? QStringLiteral("") : s.source);
    q.addBindValue(s.target);
    q.addBindValue(QString::fromUtf8(QJsonDocument(s.request).toJson(QJsonDocument::Compact)));
    q.addBindValue(s.every);
    q.addBindValue(text(s.firstStart));
    q.addBindValue(s.windowSeconds);
    q.addBindValue(QString::fromUtf8(s.timeZone));
    q.addBindValue(text(s.nextStart));
    q.addBindValue(Catalog::currentUser());
    q.addBindValue(Catalog::now());
    if (!q.exec() || !q.next()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    m_catalog.audit(QStringLiteral("schedule.create"), QString::number(id),
                    QStringLiteral("%1 of %2 every %3 from %4").arg(s.kind, s.target, s.every, text(s.firstStart)));
    return id;
}

std::optional<Schedule> ScheduleStore::get(qint64 id) const
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT %1 FROM schedules WHERE id = ?").arg(QLatin1String(Columns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromQuery(q);
}

QList<Schedule> ScheduleStore::list(bool withCanceled) const
{
    QList<Schedule> result;
    QSqlQuery q(m_catalog.database());
    q.exec(QStringLiteral("SELECT %1 FROM schedules%2 ORDER BY next_start, id")
               .arg(QLatin1String(Columns),
                    withCanceled ? QString() : QStringLiteral(" WHERE state = 'Active'")));
    while (q.next())
        result << fromQuery(q);
    return result;
}

bool ScheduleStore::cancel(qint64 id, QString* error)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE schedules SET state = 'Canceled' WHERE id = ? AND state = 'Active'"));
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = q.lastError().isValid() ? q.lastError().text()
                                         : QStringLiteral("Schedule S%1 is not active.").arg(id);
        return false;
    }
    m_catalog.audit(QStringLiteral("schedule.cancel"), QString::number(id));
    return true;
}

bool ScheduleStore::advance(qint64 id, const QDateTime& expected, const QDateTime& next, const QString& note)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE schedules SET next_start = ?, note = CASE WHEN ? = '' THEN note ELSE ? END WHERE "
                             "id = ? AND next_start = ? AND state = 'Active'"));
    q.addBindValue(text(next));
    q.addBindValue(note.isNull() ? QStringLiteral("") : note);
    q.addBindValue(note.isNull() ? QStringLiteral("") : note);
    q.addBindValue(id);
    q.addBindValue(text(expected));
    return q.exec() && q.numRowsAffected() == 1;
}

QDateTime ScheduleStore::nextStart() const
{
    QSqlQuery q(m_catalog.database());
    if (!q.exec(QStringLiteral("SELECT min(next_start) FROM schedules WHERE state = 'Active'")) || !q.next() ||
        q.value(0).toString().isEmpty())
        return {};
    return QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
}
