#include "catalog/RunbookLineStore.h"

#include "catalog/Catalog.h"
#include "catalog/RunbookLog.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>

#include <spdlog/spdlog.h>

RunbookLineStore::RunbookLineStore(Catalog& catalog) : m_catalog(catalog) {}

bool RunbookLineStore::append(qint64 operationId, const QDateTime& at, const QString& level, const QString& text)
{
    if (appendOnce(operationId, at, level, text))
        return true;
    return m_catalog.ensureConnected() && appendOnce(operationId, at, level, text);
}

bool RunbookLineStore::appendOnce(qint64 operationId, const QDateTime& at, const QString& level, const QString& text)
{
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO runbook_lines (operation_id, at, level, line) VALUES (?, ?, ?, ?)"));
    q.addBindValue(operationId);
    q.addBindValue(at.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(level);
    q.addBindValue(text);
    if (q.exec())
        return true;
    spdlog::warn("runbook line of operation {} not written to the catalog: {}", operationId,
                 q.lastError().text().toStdString());
    return false;
}

QList<RunbookLineStore::Line> RunbookLineStore::after(qint64 operationId, qint64 afterId, int limit) const
{
    QList<Line> lines;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT id, at, level, line FROM runbook_lines WHERE operation_id = ? AND id > ? "
                             "ORDER BY id LIMIT ?"));
    q.addBindValue(operationId);
    q.addBindValue(afterId);
    q.addBindValue(limit);
    if (!q.exec()) {
        spdlog::warn("runbook lines of operation {}: {}", operationId, q.lastError().text().toStdString());
        return lines;
    }
    while (q.next()) {
        Line l;
        l.id = q.value(0).toLongLong();
        l.at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
        l.level = q.value(2).toString();
        l.text = q.value(3).toString();
        lines << l;
    }
    return lines;
}

QByteArray RunbookLineStore::text(qint64 operationId) const
{
    QByteArray out;
    for (const Line& l : after(operationId)) {
        // RunbookLog's pattern: "%Y-%m-%d %H:%M:%S.%e %-5l %v", in local time.
        out += l.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")).toUtf8();
        out += ' ';
        out += l.level.leftJustified(5, QLatin1Char(' ')).toUtf8();
        out += ' ';
        out += l.text.toUtf8();
        out += '\n';
    }
    return out;
}

QByteArray RunbookLineStore::logOf(qint64 operationId) const
{
    if (m_catalog.isTeam())
        return text(operationId);
    QFile file(RunbookLog::pathFor(m_catalog.folder(), operationId));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
