#include "MemberCommands.h"

#include "ExitCode.h"
#include "catalog/Catalog.h"
#include "catalog/MemberStore.h"
#include "catalog/TeamAccess.h"

#include <QJsonArray>
#include <QJsonObject>

MemberCommands::MemberCommands(CliContext& context)
    : m_ctx(context)
{
}

int MemberCommands::run()
{
    const QStringList& p = m_ctx.cl.positional();
    const QString sub = p.value(1);
    if (sub != QLatin1String("add") && sub != QLatin1String("remove") && sub != QLatin1String("list"))
        return m_ctx.usage(QStringLiteral("member needs add, remove or list (see dataalm --help)"));
    if (!m_ctx.catalog.isTeam())
        return m_ctx.fail(ExitNotAllowed,
                          QStringLiteral("Members and roles belong to a team catalog (--catalog postgresql://...); %1 "
                                         "is one person's catalog, whose owner may do everything.")
                              .arg(m_ctx.catalog.location()));
    if (sub == QLatin1String("add"))
        return add();
    if (sub == QLatin1String("remove"))
        return remove();
    return list();
}

int MemberCommands::add()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project"), QStringLiteral("role"), QStringLiteral("agent")},
                             QStringLiteral("member add"), &error))
        return m_ctx.usage(error);
    const QStringList& p = m_ctx.cl.positional();
    if (p.size() != 3)
        return m_ctx.usage(QStringLiteral("member add LOGIN --project PROJECT --role ROLE, or member add LOGIN --agent"));
    const QString login = p.at(2);
    MemberStore store(m_ctx.catalog);
    bool notAllowed = false;
    if (m_ctx.cl.has(QStringLiteral("agent"))) {
        if (m_ctx.cl.has(QStringLiteral("project")) || m_ctx.cl.has(QStringLiteral("role")))
            return m_ctx.usage(QStringLiteral("--agent is catalog-wide: it takes no --project or --role"));
        if (!store.setAgent(login, true, &error, &notAllowed))
            return m_ctx.fail(notAllowed ? ExitNotAllowed : ExitFailed, error);
        m_ctx.err << QStringLiteral("%1 is an agent of the team catalog: it may run every project's work\n").arg(login);
        return ExitOk;
    }
    if (!m_ctx.cl.has(QStringLiteral("project")) || !m_ctx.cl.has(QStringLiteral("role")))
        return m_ctx.usage(QStringLiteral("member add LOGIN needs --project PROJECT and --role ProjectOwner|"
                                          "EnvironmentManager|TeamMember|Viewer"));
    const QString project = m_ctx.cl.value(QStringLiteral("project"));
    const QString role = m_ctx.cl.value(QStringLiteral("role"));
    if (!TeamAccess::projectRoles().contains(role))
        return m_ctx.usage(QStringLiteral("--role is ProjectOwner, EnvironmentManager, TeamMember or Viewer, not '%1'")
                               .arg(role));
    if (!store.add(project, login, role, &error, &notAllowed))
        return m_ctx.fail(notAllowed ? ExitNotAllowed : ExitFailed, error);
    m_ctx.err << QStringLiteral("%1 is a %2 of project %3\n").arg(login, TeamAccess::roleTitle(role), project);
    return ExitOk;
}

int MemberCommands::remove()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project"), QStringLiteral("agent")}, QStringLiteral("member remove"),
                             &error))
        return m_ctx.usage(error);
    const QStringList& p = m_ctx.cl.positional();
    if (p.size() != 3 || m_ctx.cl.has(QStringLiteral("agent")) == m_ctx.cl.has(QStringLiteral("project")))
        return m_ctx.usage(QStringLiteral("member remove LOGIN --project PROJECT, or member remove LOGIN --agent"));
    MemberStore store(m_ctx.catalog);
    bool notAllowed = false;
    const bool ok = m_ctx.cl.has(QStringLiteral("agent"))
                        ? store.setAgent(p.at(2), false, &error, &notAllowed)
                        : store.remove(m_ctx.cl.value(QStringLiteral("project")), p.at(2), &error, &notAllowed);
    if (!ok)
        return m_ctx.fail(notAllowed ? ExitNotAllowed : ExitFailed, error);
    return ExitOk;
}

int MemberCommands::list()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project")}, QStringLiteral("member list"), &error))
        return m_ctx.usage(error);
    const QList<MemberStore::Member> members = MemberStore(m_ctx.catalog).list(m_ctx.cl.value(QStringLiteral("project")));
    if (m_ctx.json) {
        QJsonArray list;
        for (const MemberStore::Member& m : members)
            list.append(QJsonObject{{QStringLiteral("project"), m.projectId.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                                      : QJsonValue(m.projectId)},
                                    {QStringLiteral("login"), m.login},
                                    {QStringLiteral("role"), m.role},
                                    {QStringLiteral("added"), m.added.toUTC().toString(Qt::ISODateWithMs)},
                                    {QStringLiteral("addedBy"), m.addedBy}});
        m_ctx.printJson(QJsonDocument(list));
        return ExitOk;
    }
    if (members.isEmpty())
        m_ctx.out << QStringLiteral("No members you may see (dataalm member add LOGIN --project P --role R).\n");
    for (const MemberStore::Member& m : members)
        m_ctx.out << QStringLiteral("%1  %2  %3  (added by %4)\n")
                         .arg(m.projectId.isEmpty() ? QStringLiteral("(catalog)") : m.projectId, m.login,
                              TeamAccess::roleTitle(m.role), m.addedBy);
    return ExitOk;
}
