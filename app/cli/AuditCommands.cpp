#include "AuditCommands.h"

#include "ExitCode.h"
#include "catalog/AuditLog.h"

#include <QJsonArray>

AuditCommands::AuditCommands(CliContext& context)
    : m_ctx(context)
{
}

int AuditCommands::run()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("since"), QStringLiteral("env"), QStringLiteral("csv")},
                             QStringLiteral("audit"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("audit takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    if (m_ctx.json && m_ctx.cl.has(QStringLiteral("csv")))
        return m_ctx.usage(QStringLiteral("choose --json or --csv"));
    AuditLog::Filter filter;
    if (m_ctx.cl.has(QStringLiteral("since"))) {
        const QString since = m_ctx.cl.value(QStringLiteral("since"));
        filter.since = QDateTime::fromString(since, Qt::ISODateWithMs);
        if (!filter.since.isValid())
            filter.since = QDateTime::fromString(since, Qt::ISODate);
        if (!filter.since.isValid())
            return m_ctx.usage(QStringLiteral("--since '%1' is not an ISO 8601 time (2026-12-01T00:00:00Z)").arg(since));
    }
    filter.environment = m_ctx.cl.value(QStringLiteral("env"));
    QList<AuditLog::Entry> entries;
    if (!AuditLog(m_ctx.catalog).read(filter, &entries, &error))
        return m_ctx.fail(ExitFailed, QStringLiteral("cannot read the audit: %1").arg(error));
    if (m_ctx.json) {
        QJsonArray list;
        for (const AuditLog::Entry& e : entries)
            list.append(e.toJson());
        m_ctx.printJson(QJsonDocument(list));
        return ExitOk;
    }
    if (m_ctx.cl.has(QStringLiteral("csv"))) {
        m_ctx.out << QString::fromUtf8(AuditLog::toCsv(entries));
        m_ctx.out.flush();
        return ExitOk;
    }
    for (const AuditLog::Entry& e : entries)
        m_ctx.out << QStringLiteral("%1  %2%3  %4  %5  %6%7\n")
                         .arg(e.at.toUTC().toString(Qt::ISODate), e.who,
                              e.role.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(e.role),
                              e.host.isEmpty() ? QStringLiteral("-") : e.host, e.action, e.subject,
                              e.detail.isEmpty() ? QString() : QStringLiteral(": ") + e.detail);
    return ExitOk;
}
