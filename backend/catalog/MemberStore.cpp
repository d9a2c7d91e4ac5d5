#include "catalog/MemberStore.h"

#include "catalog/Catalog.h"
#include "catalog/TeamAccess.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {

bool refuse(QString* error, bool* notAllowed, const QString& why, bool denied)
{
    *error = why;
    if (notAllowed)
        *notAllowed = denied;
    return false;
}

} // namespace

MemberStore::MemberStore(Catalog& catalog)
    : m_catalog(catalog)
{
}

QList<MemberStore::Member> MemberStore::list(const QString& projectId) const
{
    QList<Member> result;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT project_id, login, role, added, added_by FROM project_members WHERE ? = '' OR "
                             "project_id = ? UNION ALL SELECT '', login, role, added, added_by FROM catalog_roles "
                             "ORDER BY 1, 2"));
    q.addBindValue(projectId.isNull() ? QStringLiteral("") : projectId);
    q.addBindValue(projectId.isNull() ? QStringLiteral("") : projectId);
    if (!q.exec())
        return result;
    while (q.next())
        result.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                       QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs), q.value(4).toString()});
    return result;
}

bool MemberStore::add(const QString& projectId, const QString& login, const QString& role, QString* error,
                      bool* notAllowed)
{
    if (notAllowed)
        *notAllowed = false;
    if (!TeamAccess::projectRoles().contains(role))
        return refuse(error, notAllowed,
                      tr("'%1' is not a project role: use ProjectOwner, EnvironmentManager, TeamMember or Viewer.")
                          .arg(role),
                      false);
    if (login.trimmed().isEmpty() || login != login.trimmed())
        return refuse(error, notAllowed, tr("The login '%1' is not a login name.").arg(login), false);
    if (!m_catalog.project(projectId))
        return refuse(error, notAllowed, tr("There is no project %1 (dataalm project list).").arg(projectId), false);
    TeamAccess access(m_catalog);
    if (const QString denied = access.refusal(projectId, QString(), TeamAccess::Right::Own); !denied.isEmpty())
        return refuse(error, notAllowed, denied, true);
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO project_members (project_id, login, role, added, added_by) VALUES (?, ?, ?, "
                             "?, ?) ON CONFLICT (project_id, login) DO UPDATE SET role = excluded.role, added = "
                             "excluded.added, added_by = excluded.added_by"));
    q.addBindValue(projectId);
    q.addBindValue(login);
    q.addBindValue(role);
    q.addBindValue(Catalog::now());
    q.addBindValue(access.login());
    if (!q.exec())
        return refuse(error, notAllowed, tr("The catalog refused the member: %1").arg(q.lastError().text()), false);
    m_catalog.audit(QStringLiteral("member.add"), projectId, QStringLiteral("%1 is a %2").arg(login, role));
    return true;
}

bool MemberStore::remove(const QString& projectId, const QString& login, QString* error, bool* notAllowed)
{
    if (notAllowed)
        *notAllowed = false;
    TeamAccess access(m_catalog);
    if (const QString denied = access.refusal(projectId, QString(), TeamAccess::Right::Own); !denied.isEmpty())
        return refuse(error, notAllowed, denied, true);
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("DELETE FROM project_members WHERE project_id = ? AND login = ?"));
    q.addBindValue(projectId);
    q.addBindValue(login);
    if (!q.exec())
        return refuse(error, notAllowed, tr("The catalog refused the change: %1").arg(q.lastError().text()), false);
    if (q.numRowsAffected() == 0)
        return refuse(error, notAllowed, tr("%1 is not a member of project %2.").arg(login, projectId), false);
    m_catalog.audit(QStringLiteral("member.remove"), projectId, QStringLiteral("%1 is no longer a member").arg(login));
    return true;
}

bool MemberStore::setAgent(const QString& login, bool agent, QString* error, bool* notAllowed)
{
    if (notAllowed)
        *notAllowed = false;
    TeamAccess access(m_catalog);
    if (!access.isAdministrator())
        return refuse(error, notAllowed,
                      tr("%1 is not an administrator of this catalog: only its owner (or a login granted the owner's "
                         "role) makes a login an agent.")
                          .arg(access.login()),
                      true);
    QSqlQuery q(m_catalog.database());
    if (agent) {
        q.prepare(QStringLiteral("INSERT INTO catalog_roles (login, role, added, added_by) VALUES (?, 'Agent', ?, ?) "
                                 "ON CONFLICT (login) DO NOTHING"));
        q.addBindValue(login);
        q.addBindValue(Catalog::now());
        q.addBindValue(access.login());
    } else {
        q.prepare(QStringLiteral("DELETE FROM catalog_roles WHERE login = ?"));
        q.addBindValue(login);
    }
    if (!q.exec())
        return refuse(error, notAllowed, tr("The catalog refused the change: %1").arg(q.lastError().text()), false);
    m_catalog.audit(agent ? QStringLiteral("member.agent") : QStringLiteral("member.agent-removed"), login,
                    agent ? QStringLiteral("%1 runs the team's work").arg(login)
                          : QStringLiteral("%1 no longer runs it").arg(login));
    return true;
}
