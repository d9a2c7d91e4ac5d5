#pragma once

#include "CliRun.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <memory>

class Catalog;

// A team catalog of one test on the throwaway server of scripts/test: its own database,
// a login per role the test names (created on the server, dropped afterwards), the demo
// made by the catalog's owner, and the helpers every role test needs: the CLI as a
// login, a connection of a login's own (what psql would do), a statement's effect.
class TeamFixture
{
public:
    // `prefix`: of the database's and the logins' unique names ("dataalm_approvals_").
    explicit TeamFixture(const QString& prefix);
    ~TeamFixture();

    // Creates the database and a login for each of `roles`; false with `error`.
    bool create(const QStringList& roles, QString* error);
    // `demo` as the catalog's owner, with `extra` options (--postgres URL).
    CliRun demo(const QStringList& extra = {});
    // Gives `role`'s login `projectRole` in contoso (or makes it an agent, for "Agent").
    bool addMember(const QString& role, const QString& projectRole, QString* error);

    QString login(const QString& role) const { return m_logins.value(role); }
    QString admin() const { return m_admin; }
    QString database() const { return m_database; }
    QString urlAs(const QString& login) const;
    CliRun cliAs(const QString& login, const QStringList& args, int timeoutMs = 180000) const;
    std::unique_ptr<Catalog> connectAs(const QString& login) const;
    // Rows `sql` as `login` changed; -1 with `error` when the server refused it.
    int changed(const QString& login, const QString& sql, QString* error) const;
    // One value, read as the catalog's owner.
    QString value(const QString& sql) const;
    // `agent --once` as `login`; its stderr in `err` when given.
    bool agentOnce(const QString& login, QByteArray* err = nullptr) const;

private:
    QString m_prefix;
    QString m_database;
    QString m_admin;
    QHash<QString, QString> m_logins;
};
