#include "AgentCommands.h"

#include "ExitCode.h"
#include "agent/Agent.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "core/Clock.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QSqlQuery>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[0], &c, 1);
}

} // namespace

AgentCommands::AgentCommands(CliContext& context)
    : m_ctx(context)
{
}

int AgentCommands::agent()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("once"), QStringLiteral("labels")}, QStringLiteral("agent"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("agent takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    Agent::Options options;
    options.once = m_ctx.cl.has(QStringLiteral("once"));
    for (const QString& label : m_ctx.cl.value(QStringLiteral("labels")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        options.labels << label.trimmed();
    if (m_ctx.cl.has(QStringLiteral("labels")) && options.labels.isEmpty())
        return m_ctx.usage(QStringLiteral("--labels takes environment ids or database servers, separated by commas"));
    Agent agent(m_ctx.catalog.location(), options);
    QEventLoop loop;
    QObject::connect(&agent, &Agent::message, &agent, [this](const QString& text) {
        m_ctx.err << QStringLiteral("%1 %2\n").arg(Clock::nowUtc().toString(Qt::ISODate), text);
        m_ctx.err.flush();
    });
    QObject::connect(&agent, &Agent::finished, &loop, &QEventLoop::quit);
    // SIGTERM (systemctl stop) and SIGINT: through a socket pair into the event loop.
    std::unique_ptr<QSocketNotifier> notifier;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0) {
        notifier = std::make_unique<QSocketNotifier>(g_signalPipe[1], QSocketNotifier::Read);
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &agent, [&agent] {
            char c;
            [[maybe_unused]] const auto n = ::read(g_signalPipe[1], &c, 1);
            agent.shutdown();
        });
        std::signal(SIGTERM, onSignal);
        std::signal(SIGINT, onSignal);
    }
    if (!agent.start(&error))
        return m_ctx.fail(ExitCatalog, error);
    loop.exec();
    agent.stop();
    return ExitOk;
}

int AgentCommands::agents()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("agents"), &error))
        return m_ctx.usage(error);
    QSqlQuery q(m_ctx.catalog.database());
    q.exec(QStringLiteral("SELECT id, host, pid, started, seen, stopped, labels, version, running FROM agents ORDER "
                          "BY seen DESC"));
    const QDateTime now = Clock::nowUtc();
    QJsonArray list;
    while (q.next()) {
        const QDateTime seen = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
        const bool alive = q.value(5).toString().isEmpty() && seen.secsTo(now) <= OperationStore::agentLeaseSeconds();
        list.append(QJsonObject{{QStringLiteral("id"), q.value(0).toString()},
                                {QStringLiteral("host"), q.value(1).toString()},
                                {QStringLiteral("pid"), q.value(2).toLongLong()},
                                {QStringLiteral("started"), q.value(3).toString()},
                                {QStringLiteral("seen"), q.value(4).toString()},
                                {QStringLiteral("labels"), QJsonArray::fromStringList(q.value(6).toString().split(
                                                               QLatin1Char(','), Qt::SkipEmptyParts))},
                                {QStringLiteral("version"), q.value(7).toString()},
                                {QStringLiteral("running"), alive && q.value(8).toLongLong() > 0
                                                                ? QJsonValue(q.value(8).toLongLong())
                                                                : QJsonValue(QJsonValue::Null)},
                                {QStringLiteral("alive"), alive}});
    }
    if (m_ctx.json) {
        m_ctx.printJson(QJsonDocument(list));
        return ExitOk;
    }
    if (list.isEmpty())
        m_ctx.out << QStringLiteral("No agent has run on this catalog (dataalm agent starts one).\n");
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        QStringList labels;
        for (const QJsonValue& l : o.value(QStringLiteral("labels")).toArray())
            labels << l.toString();
        const QJsonValue running = o.value(QStringLiteral("running"));
        m_ctx.out << QStringLiteral("%1  %2  last seen %3  version %4  labels %5  %6\n")
                         .arg(o.value(QStringLiteral("id")).toString(),
                              o.value(QStringLiteral("alive")).toBool() ? QStringLiteral("alive")
                                                                        : QStringLiteral("stopped"),
                              o.value(QStringLiteral("seen")).toString(),
                              o.value(QStringLiteral("version")).toString().isEmpty()
                                  ? QStringLiteral("-")
                                  : o.value(QStringLiteral("version")).toString(),
                              labels.isEmpty() ? QStringLiteral("any") : labels.join(QLatin1Char(',')),
                              running.isNull() ? QStringLiteral("idle")
                                               : QStringLiteral("running operation %1").arg(running.toInteger()));
    }
    return ExitOk;
}
