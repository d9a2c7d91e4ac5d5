#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

class Catalog;

// A team catalog's members: who holds which role in which project (project_members)
// and which logins are agents (catalog_roles). Writing them is the server's decision
// (a Project owner of the project, or an administrator for agents: TeamAccess); this
// store says the refusal in a sentence first and writes each change to the audit.
class MemberStore
{
    Q_DECLARE_TR_FUNCTIONS(MemberStore)

public:
    struct Member
    {
        QString projectId; // empty: a catalog-wide role (Agent)
        QString login;
        QString role;
        QDateTime added;
        QString addedBy;
    };

    explicit MemberStore(Catalog& catalog);

    // The members of `projectId` (empty: of every project the login may read), and the
    // agents, by project then login.
    QList<Member> list(const QString& projectId = {}) const;
    // Gives `login` `role` in `projectId` (replacing the role it had); false with `error`.
    // `notAllowed`: the login asking may not (as opposed to a failure).
    bool add(const QString& projectId, const QString& login, const QString& role, QString* error,
             bool* notAllowed = nullptr);
    bool remove(const QString& projectId, const QString& login, QString* error, bool* notAllowed = nullptr);
    // Makes `login` an agent of the catalog (or no longer one).
    bool setAgent(const QString& login, bool agent, QString* error, bool* notAllowed = nullptr);

private:
    Catalog& m_catalog;
};
