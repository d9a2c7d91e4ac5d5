#include "RestorePointCommands.h"

#include "ExitCode.h"
#include "OperationCommands.h"
#include "schedule/Schedule.h"
#include "operation/OperationKinds.h"

#include "catalog/Catalog.h"
#include "catalog/RestorePointStore.h"
#include "catalog/TeamAccess.h"
#include "core/ByteSize.h"
#include "core/Clock.h"
#include "lifecycle/OperationRunner.h"
#include "lifecycle/OperationService.h"
#include "restorepoint/RestorePointService.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <unistd.h>

RestorePointCommands::RestorePointCommands(CliContext& context, OperationCommands& operations)
    : m_ctx(context), m_operations(operations)
{
}

int RestorePointCommands::restorePoint()
{
    const QStringList& pos = m_ctx.cl.positional();
    const QString sub = pos.value(1);
    if (sub == QLatin1String("list"))
        return list();
    if (sub == QLatin1String("create"))
        return create();
    if (sub == QLatin1String("delete"))
        return remove();
    return m_ctx.usage(sub.isEmpty() ? QStringLiteral("restorepoint needs list, create or delete")
                                     : QStringLiteral("unknown restorepoint command '%1' (list, create, delete)").arg(sub));
}

int RestorePointCommands::list()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("env")}, QStringLiteral("restorepoint list"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 2)
        return m_ctx.usage(QStringLiteral("restorepoint list takes no argument '%1'").arg(m_ctx.cl.positional().at(2)));
    const QString env = m_ctx.cl.value(QStringLiteral("env"));
    if (!env.isEmpty() && !m_ctx.catalog.environment(env))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(env));
    const QList<RestorePoint> points = RestorePointStore(m_ctx.catalog).list(env);
    if (m_ctx.json) {
        QJsonArray a;
        for (const RestorePoint& p : points)
            a.append(p.toJson());
        m_ctx.printJson(QJsonDocument(a));
        return ExitOk;
    }
    if (points.isEmpty()) {
        m_ctx.out << (env.isEmpty() ? QStringLiteral("No restore points\n")
                                    : QStringLiteral("%1 has no restore points\n").arg(env));
        return ExitOk;
    }
    m_ctx.out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(QStringLiteral("ID"), -5)
                     .arg(QStringLiteral("ENVIRONMENT"), -16)
                     .arg(QStringLiteral("TAKEN (UTC)"), -19)
                     .arg(QStringLiteral("KIND"), -24)
                     .arg(QStringLiteral("SIZE"), 9)
                     .arg(QStringLiteral("EXPIRES (UTC)"), -16)
                     .arg(QStringLiteral("STATE"));
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    for (const RestorePoint& p : points)
        m_ctx.out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                         .arg(p.id, -5)
                         .arg(p.environmentId, -16)
                         .arg(p.created.toUTC().toString(format), -19)
                         .arg(p.kindTitle(), -24)
                         .arg(ByteSize::text(p.bytes), 9)
                         .arg(p.expires.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")), -16)
                         .arg(p.state);
    return ExitOk;
}

int RestorePointCommands::create()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("env"), QStringLiteral("every"), QStringLiteral("window-start"),
                              QStringLiteral("window-end")},
                             QStringLiteral("restorepoint create"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 2)
        return m_ctx.usage(QStringLiteral("restorepoint create takes no argument '%1'").arg(m_ctx.cl.positional().at(2)));
    if (!m_ctx.cl.has(QStringLiteral("env")))
        return m_ctx.usage(QStringLiteral("restorepoint create needs --env ENV"));
    const QString envId = m_ctx.cl.value(QStringLiteral("env"));
    const std::optional<Environment> env = m_ctx.catalog.environment(envId);
    if (!env)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(envId));
    // Scheduled restore points: a recurring schedule the agent runs.
    if (m_ctx.cl.has(QStringLiteral("every")) || m_ctx.cl.has(QStringLiteral("window-start")) ||
        m_ctx.cl.has(QStringLiteral("window-end"))) {
        if (!m_ctx.cl.has(QStringLiteral("every")))
            return m_ctx.usage(QStringLiteral("a restore point is taken now, or --every day|week from --window-start"));
        if (const int code = m_operations.checkRequest(Schedule::RestorePoint, nullptr, *env); code >= 0)
            return code;
        return m_ctx.usage(QStringLiteral("--every needs --window-start ISO and --window-end ISO"));
    }
    if (const QString denied = TeamAccess(m_ctx.catalog).refusal(env->projectId, env->id, TeamAccess::Right::Operate);
        !denied.isEmpty())
        return m_ctx.fail(ExitNotAllowed, denied);
    const bool tty = ::isatty(STDERR_FILENO);
    QElapsedTimer shown;
    shown.start();
    RestorePointService service(m_ctx.catalog);
    m_ctx.err << QStringLiteral("Creating a restore point of %1...\n").arg(env->id);
    m_ctx.err.flush();
    const std::optional<qint64> id = service.create(
        *env, RestorePoint::Manual,
        [&](qint64 done, qint64 total, qint64) {
            if (!tty || (shown.elapsed() < 200 && done < total))
                return;
            shown.restart();
            m_ctx.err << QStringLiteral("\r\033[K  %1 of %2").arg(ByteSize::text(done), ByteSize::text(total));
            m_ctx.err.flush();
        },
        {}, &error);
    if (tty)
        m_ctx.err << QStringLiteral("\r\033[K");
    if (!id)
        return m_ctx.fail(error.contains(QLatin1String("cannot open")) || error.contains(QLatin1String("connect"))
                              ? ExitUnreachable
                              : ExitFailed,
                          error);
    const std::optional<RestorePoint> point = RestorePointStore(m_ctx.catalog).get(*id);
    if (m_ctx.json && point)
        m_ctx.printJson(QJsonDocument(point->toJson()));
    else if (point)
        m_ctx.out << QStringLiteral("Restore point %1 of %2: %3, taken %4 UTC, kept until %5 UTC\n")
                         .arg(point->id)
                         .arg(point->environmentId, ByteSize::text(point->bytes),
                              point->created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                              point->expires.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    return ExitOk;
}

int RestorePointCommands::remove()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("restorepoint delete"), &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3)
        return m_ctx.usage(QStringLiteral("restorepoint delete takes one restore point id"));
    bool ok = false;
    const qint64 id = pos.at(2).toLongLong(&ok);
    if (!ok || id <= 0)
        return m_ctx.usage(QStringLiteral("'%1' is not a restore point id (dataalm restorepoint list shows them)")
                               .arg(pos.at(2)));
    if (!RestorePointStore(m_ctx.catalog).get(id))
        return m_ctx.fail(ExitUnknown,
                          QStringLiteral("unknown restore point %1 (dataalm restorepoint list shows them)").arg(id));
    bool refused = false;
    if (!RestorePointService(m_ctx.catalog).remove(id, &error, &refused))
        return m_ctx.fail(refused ? ExitNotAllowed : ExitFailed, error);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("deleted"), id}}));
    else
        m_ctx.out << QStringLiteral("Deleted restore point %1\n").arg(id);
    return ExitOk;
}

int RestorePointCommands::restore()
{
    QString error;
    if (!m_ctx.cl.onlyAllows(OperationCommands::withRequestOptions(
                                 {QStringLiteral("target"), QStringLiteral("point"), QStringLiteral("time"),
                                  QStringLiteral("source"), QStringLiteral("yes"), QStringLiteral("policy")}),
                             QStringLiteral("restore"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("restore takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    const bool atInstant = m_ctx.cl.has(QStringLiteral("time"));
    if (!m_ctx.cl.has(QStringLiteral("target")) || atInstant == m_ctx.cl.has(QStringLiteral("point")))
        return m_ctx.usage(QStringLiteral("restore needs --target ENV and either --point ID (dataalm restorepoint list) "
                                          "or --time ISO (with pgBackRest)"));
    if (!atInstant && m_ctx.cl.has(QStringLiteral("source")))
        return m_ctx.usage(QStringLiteral("--source goes with --time; a restore point names its environment"));
    const std::optional<Environment> target = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("target")));
    if (!target)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)")
                                           .arg(m_ctx.cl.value(QStringLiteral("target"))));
    if (const int code = m_operations.checkRequest(OperationKinds::Restore, nullptr, *target); code >= 0)
        return code;
    OperationService::Refusal refusal = OperationService::Refusal::None;
    std::optional<qint64> id;
    QString what;
    if (atInstant) {
        const QString text = m_ctx.cl.value(QStringLiteral("time"));
        QDateTime instant = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!instant.isValid())
            instant = QDateTime::fromString(text, Qt::ISODate);
        if (!instant.isValid())
            return m_ctx.usage(QStringLiteral("--time takes an ISO 8601 instant such as 2026-12-02T08:30:00Z, not '%1'")
                                   .arg(text));
        if (instant.timeSpec() == Qt::LocalTime && !text.contains(QLatin1Char('Z')) && !text.contains(QLatin1Char('+')))
            instant = instant.toUTC(); // no zone given: this machine's local time
        const QString sourceId = m_ctx.cl.has(QStringLiteral("source")) ? m_ctx.cl.value(QStringLiteral("source")) : target->id;
        const std::optional<Environment> source = m_ctx.catalog.environment(sourceId);
        if (!source)
            return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(sourceId));
        if (!m_ctx.cl.has(QStringLiteral("yes")))
            return m_ctx.usage(QStringLiteral("restore replaces the transactional database of %1; add --yes to confirm")
                                   .arg(target->id));
        id = OperationService(m_ctx.catalog)
                 .createRestoreAtInstant(*source, *target, instant, m_ctx.cl.value(QStringLiteral("policy")), &error,
                                         &refusal);
        what = QStringLiteral("%1 as it was at %2 UTC").arg(source->id, instant.toUTC().toString(Qt::ISODateWithMs));
    } else {
        bool ok = false;
        const qint64 pointId = m_ctx.cl.value(QStringLiteral("point")).toLongLong(&ok);
        if (!ok || pointId <= 0)
            return m_ctx.usage(QStringLiteral("--point takes a restore point id, not '%1'")
                                   .arg(m_ctx.cl.value(QStringLiteral("point"))));
        const std::optional<RestorePoint> point = RestorePointStore(m_ctx.catalog).get(pointId);
        if (!point)
            return m_ctx.fail(ExitUnknown,
                              QStringLiteral("unknown restore point %1 (dataalm restorepoint list shows them)").arg(pointId));
        if (!m_ctx.cl.has(QStringLiteral("yes")))
            return m_ctx.usage(QStringLiteral("restore replaces the transactional database of %1; add --yes to confirm")
                                   .arg(target->id));
        id = OperationService(m_ctx.catalog)
                 .createRestore(*point, *target, m_ctx.cl.value(QStringLiteral("policy")), &error, &refusal);
        what = point->title();
    }
    if (refusal == OperationService::Refusal::InvalidPolicy)
        return m_ctx.usage(QStringLiteral("the data policy is invalid: %1").arg(error));
    if (!id)
        return m_ctx.fail(ExitBlocked, error);
    m_ctx.err << QStringLiteral("Operation %1: restore %2 from %3\n").arg(*id).arg(target->id, what);
    return m_operations.start(*id);
}
