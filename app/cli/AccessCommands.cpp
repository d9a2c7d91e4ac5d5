#include "AccessCommands.h"

#include "ExitCode.h"
#include "catalog/AccessGrantStore.h"
#include "lifecycle/AccessService.h"
#include "catalog/Catalog.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>

AccessCommands::AccessCommands(CliContext& context)
    : m_ctx(context)
{
}

int AccessCommands::run()
{
    const QString sub = m_ctx.cl.positional().value(1);
    if (sub != QLatin1String("request") && sub != QLatin1String("list") && sub != QLatin1String("revoke"))
        return m_ctx.usage(QStringLiteral("access needs request, list or revoke (see dataalm --help)"));
    if (!m_ctx.catalog.isTeam())
        return m_ctx.fail(ExitNotAllowed,
                          QStringLiteral("Just-in-time access belongs to a team catalog, whose agents make the "
                                         "temporary logins; on %1 connect with your own login.")
                              .arg(m_ctx.catalog.location()));
    if (sub == QLatin1String("request"))
        return request();
    if (sub == QLatin1String("revoke"))
        return revoke();
    return list();
}

QString AccessCommands::waitWhile(qint64 id, const QString& state)
{
    AccessGrantStore store(m_ctx.catalog);
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 600000) {
        const auto g = store.get(id);
        if (g && g->state != state)
            return g->state;
        QThread::msleep(250);
    }
    return {};
}

int AccessCommands::request()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("db"), QStringLiteral("read-only"), QStringLiteral("read-write"),
                              QStringLiteral("reason"), QStringLiteral("hours"), QStringLiteral("no-wait")},
                             QStringLiteral("access request"), &error))
        return m_ctx.usage(error);
    const QStringList& p = m_ctx.cl.positional();
    if (p.size() != 3)
        return m_ctx.usage(QStringLiteral("access request ENV (--read-only|--read-write) --reason TEXT [--db ROLE] "
                                          "[--hours 1-8]"));
    if (m_ctx.json)
        return m_ctx.usage(QStringLiteral("access request prints the password once, as text: --json never carries one"));
    const bool readOnly = m_ctx.cl.has(QStringLiteral("read-only"));
    const bool readWrite = m_ctx.cl.has(QStringLiteral("read-write"));
    if (readOnly == readWrite)
        return m_ctx.usage(QStringLiteral("access request needs --read-only or --read-write"));
    const QString reason = m_ctx.cl.value(QStringLiteral("reason")).trimmed();
    if (reason.isEmpty())
        return m_ctx.usage(QStringLiteral("access request needs --reason TEXT: the audit keeps why"));
    AccessService::Request r;
    r.readWrite = readWrite;
    r.reason = reason;
    if (m_ctx.cl.has(QStringLiteral("hours")) && !m_ctx.cl.intValue(QStringLiteral("hours"), &r.hours, &error, 1, 8))
        return m_ctx.usage(error + QStringLiteral(" (access lasts 8 hours at most)"));
    if (m_ctx.cl.has(QStringLiteral("db")))
        r.databaseRole = m_ctx.cl.value(QStringLiteral("db"));
    const QString envId = p.at(2);
    const auto env = m_ctx.catalog.environment(envId);
    if (!env)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(envId));
    AccessService::Issued issued;
    switch (AccessService(m_ctx.catalog).request(*env, r, &issued, &error)) {
    case AccessService::Outcome::Done:
        break;
    case AccessService::Outcome::Usage:
        return m_ctx.usage(error);
    case AccessService::Outcome::Unknown:
        return m_ctx.fail(ExitUnknown, error);
    case AccessService::Outcome::NotAllowed:
        return m_ctx.fail(ExitNotAllowed, error);
    case AccessService::Outcome::Failed:
        return m_ctx.fail(ExitFailed, error);
    }
    const std::optional<qint64> id = issued.id;
    m_ctx.out << QStringLiteral("grant %1\nlogin %2\npassword %3\ndatabase %4:%5/%6\nmode %7\nvalid until %8\n")
                     .arg(issued.id)
                     .arg(issued.login, issued.password, issued.host)
                     .arg(issued.port)
                     .arg(issued.database, readWrite ? QStringLiteral("read-write") : QStringLiteral("read-only"),
                          issued.validUntil.toUTC().toString(Qt::ISODate));
    m_ctx.out.flush();
    issued.password.fill(QLatin1Char('\0'));
    AccessGrantStore store(m_ctx.catalog);
    m_ctx.err << QStringLiteral("The password is shown once, here. Access grant %1 waits for an agent to create the "
                                "login (dataalm access list; dataalm access revoke %1 ends it early)\n")
                     .arg(*id);
    m_ctx.err.flush();
    if (m_ctx.cl.has(QStringLiteral("no-wait")))
        return ExitOk;
    const QString state = waitWhile(*id, QStringLiteral("Requested"));
    const auto now = store.get(*id);
    if (state == QLatin1String("Active")) {
        m_ctx.err << QStringLiteral("Active: %1\n").arg(now ? now->detail : QString());
        return ExitOk;
    }
    if (state.isEmpty())
        return m_ctx.fail(ExitFailed, QStringLiteral("no agent created the login in 10 minutes; it still may (dataalm "
                                                     "access list)"));
    return m_ctx.fail(ExitFailed, QStringLiteral("access grant %1 is %2: %3").arg(*id).arg(state, now ? now->detail : QString()));
}

int AccessCommands::list()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("env")}, QStringLiteral("access list"), &error))
        return m_ctx.usage(error);
    const QList<AccessGrantStore::Grant> grants = AccessGrantStore(m_ctx.catalog).list(m_ctx.cl.value(QStringLiteral("env")));
    if (m_ctx.json) {
        QJsonArray a;
        for (const auto& g : grants)
            a.append(g.toJson());
        m_ctx.printJson(QJsonDocument(a));
        return ExitOk;
    }
    if (grants.isEmpty()) {
        m_ctx.out << QStringLiteral("No access grant (dataalm access request ENV --read-only --reason TEXT).\n");
        return ExitOk;
    }
    for (const auto& g : grants)
        m_ctx.out << QStringLiteral("%1  %2 %3  %4  %5  until %6  by %7: %8%9\n")
                         .arg(g.id)
                         .arg(g.environmentId, g.databaseRole, g.login,
                              g.readWrite ? QStringLiteral("read-write") : QStringLiteral("read-only"),
                              g.validUntil.toUTC().toString(Qt::ISODate), g.requestedBy, g.reason,
                              QStringLiteral("  [%1%2]").arg(g.state, g.detail.isEmpty() ? QString()
                                                                                       : QStringLiteral(": ") + g.detail));
    return ExitOk;
}

int AccessCommands::revoke()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("no-wait")}, QStringLiteral("access revoke"), &error))
        return m_ctx.usage(error);
    const QStringList& p = m_ctx.cl.positional();
    bool ok = false;
    const qint64 id = p.value(2).toLongLong(&ok);
    if (p.size() != 3 || !ok || id <= 0)
        return m_ctx.usage(QStringLiteral("access revoke takes one grant id (dataalm access list shows them)"));
    AccessGrantStore store(m_ctx.catalog);
    if (!store.get(id))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown access grant %1 (dataalm access list)").arg(id));
    if (!store.requestRevocation(id, &error))
        return m_ctx.fail(ExitNotAllowed, error);
    m_ctx.err << QStringLiteral("Access grant %1 is to be revoked; an agent removes the login\n").arg(id);
    m_ctx.err.flush();
    if (m_ctx.cl.has(QStringLiteral("no-wait")))
        return ExitOk;
    const QString state = waitWhile(id, QStringLiteral("Revoking"));
    if (state.isEmpty())
        return m_ctx.fail(ExitFailed, QStringLiteral("no agent removed the login in 10 minutes; it still will"));
    const auto g = store.get(id);
    m_ctx.err << QStringLiteral("%1: %2\n").arg(state, g ? g->detail : QString());
    return ExitOk;
}
