#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class Catalog;

// Who may do what on a team catalog (docs/ARCHITECTURE.md, Roles), decided by the
// catalog server itself: its functions dataalm_may(project, environment, what) and
// dataalm_role(project), its grants and its row-level security policies, which this
// class creates (migration 13) and asks. A login with `psql` meets the same answer as
// the console and the CLI; they only say it first, in a sentence.
//
// Promises:
// - Users are the server's login roles (authentication is pg_hba.conf's). Per project:
//   Project owner (everything, members and webhooks included), Environment manager
//   (every environment, production included, and their definitions), Team member
//   (operates the project's non-production environments), Viewer (reads). Catalog-wide:
//   Agent (runs everyone's work), and the catalog's owner and whoever is granted its
//   role (administrators: everything).
// - The audit table is append-only for every role, its owner included; who wrote a row,
//   with which role and from which host, is set by the server, not by the writer.
// - On a SQLite catalog (one person) every check answers yes: the file's owner owns it.
class TeamAccess
{
    Q_DECLARE_TR_FUNCTIONS(TeamAccess)

public:
    enum class Right
    {
        Read,    // see the project, its environments and operations
        Operate, // start, resume, roll back, sign off, cancel, request operations
        Manage,  // add, edit and remove environments and their databases
        Own,     // members, webhooks, the project's settings
    };
    // The project roles, as the catalog stores them.
    static const QStringList& projectRoles();
    // "Environment manager" for "EnvironmentManager".
    static QString roleTitle(const QString& role);

    explicit TeamAccess(Catalog& catalog);

    // The login this process is on the catalog (the server's session_user; on SQLite
    // the OS user).
    QString login() const;
    // The login's role in `projectId`: a project role, "Administrator", or empty (none).
    QString role(const QString& projectId) const;
    bool isAgent() const;
    bool isAdministrator() const;
    // Whether the login has `right` on `environmentId` (empty: the project itself) of
    // `projectId`: the server's dataalm_may.
    bool may(const QString& projectId, const QString& environmentId, Right right) const;
    // Empty when may() says yes; else the sentence that says who may, and how to get it,
    // which the audit records (access.refused).
    QString refusal(const QString& projectId, const QString& environmentId, Right right) const;
    // refusal() without the audit: what a console shows on a button it greys out.
    QString whyNot(const QString& projectId, const QString& environmentId, Right right) const;

    // The statements of migration 13 (PostgreSQL only): functions, grants, policies and
    // the audit's triggers.
    static QStringList migrationStatements();

private:
    QString refusalSentence(const QString& projectId, const QString& environmentId, Right right) const;

    Catalog& m_catalog;
};
