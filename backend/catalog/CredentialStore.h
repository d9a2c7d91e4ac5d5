#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

class Catalog;

// The database credentials of a team catalog's environments (seed 003: "Any user with a
// role of Project owner or Environment manager will have access to the SQL credentials
// for all non-production environments"): the password of the login each PostgreSQL
// database of an environment connects as, kept in the catalog so that agents on any
// machine can run the work without a ~/.pgpass of their own.
//
// Promises, enforced by the catalog server (migration 15, migrationStatements()):
// - The secret column is granted to nobody: it is read only through two functions that
//   run as the catalog's owner. Agents read their environments' secrets
//   (dataalm_agent_credentials, audited as credential.use); a Project owner or an
//   Environment manager reveals one of a non-production environment, giving a reason
//   (dataalm_reveal_credential, audited as credential.reveal with the reason). Nobody
//   else, and nobody for production but the agents.
// - Setting one (dataalm_set_credential) or removing one needs the manage right on the
//   environment (production's included: written, never read back), and is audited
//   without the secret.
// - Who set which login's credential, and when, is readable by the environment's readers.
// - Never written to a log, a runbook, an archive or --json output by this code; the
//   secret lives in the catalog row and, while an agent uses it, in memory.
// - On a SQLite catalog (one person) the secret lives in the OS keychain (Keychain,
//   QtKeychain), never in a file: the catalog's row says only that there is one, for
//   which login, set when; the process that runs the work reads it from the keychain.
class CredentialStore
{
    Q_DECLARE_TR_FUNCTIONS(CredentialStore)

public:
    struct Credential
    {
        QString environmentId;
        QString databaseRole; // DatabaseRef::role: which database of the environment
        QString login;        // the login it connects as (DatabaseRef::user)
        QString secret;       // empty unless read by an agent or revealed
        QString setBy;
        QDateTime setAt;
    };
    enum class Outcome
    {
        Done,
        NotAllowed, // the role, the environment's type or a missing reason (exit 5)
        Unknown,    // no such environment, database or credential (exit 4)
        Failed,
    };

    explicit CredentialStore(Catalog& catalog);

    // Who set which credentials of `environmentId`, without the secrets.
    QList<Credential> list(const QString& environmentId, QString* error) const;
    Outcome set(const QString& environmentId, const QString& databaseRole, const QString& secret, QString* error);
    Outcome remove(const QString& environmentId, const QString& databaseRole, QString* error);
    // The secret of one credential, for a person who gives `reason`: audited.
    Outcome reveal(const QString& environmentId, const QString& databaseRole, const QString& reason, QString* secret,
                   QString* error);
    // What an agent needs to run work on `environmentIds` (an agent's login only; empty
    // for anyone else): host, port, login and secret of each database with a credential.
    struct ForConnection
    {
        QString host;
        int port = 0;
        QString login;
        QString secret;
    };
    QList<ForConnection> forAgent(const QStringList& environmentIds, const QString& why) const;

    static QStringList migrationStatements();

private:
    // A one-person catalog: the secret in the OS keychain (Keychain), the row without it.
    Outcome setInKeychain(const QString& environmentId, const QString& databaseRole, const QString& secret,
                          QString* error);
    Outcome revealFromKeychain(const QString& environmentId, const QString& databaseRole, const QString& reason,
                               QString* secret, QString* error);
    QList<ForConnection> fromKeychain(const QStringList& environmentIds) const;

    Catalog& m_catalog;
};
