#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class Catalog;

// Just-in-time database access on a team catalog (access_grants, migration 16): a
// person asks for a temporary login on a PostgreSQL environment's database, read-only
// or read-write, for a reason, valid until an instant (8 hours at most); an agent
// creates it on the server, and removes it when it expires, when it is revoked, or
// when an operation replaces the database. The rows are what each grant is and what
// became of it; the password never is (only its SCRAM verifier, which the server
// needs to create the login).
//
// Promises, enforced by the catalog server: a person inserts only a Requested grant in
// their own name, on an environment they may operate (read-only on production); asks
// for the revocation of their own grant, or of any grant of an environment they
// manage; every other change of state is an agent's. Readers of the environment see its
// grants.
class AccessGrantStore
{
    Q_DECLARE_TR_FUNCTIONS(AccessGrantStore)

public:
    struct Grant
    {
        qint64 id = 0;
        QString projectId;
        QString environmentId;
        QString databaseRole;
        QString login;
        bool readWrite = false;
        QString reason;
        QString requestedBy;
        QDateTime requestedAt;
        QDateTime validUntil;
        QString verifier;
        QString state; // Requested, Active, Revoking, Revoked, Expired, Failed
        QString agent;
        QString detail;
        QDateTime endedAt;

        bool isLive() const { return state == QLatin1String("Requested") || state == QLatin1String("Active") ||
                                     state == QLatin1String("Revoking"); }
        // The CLI's JSON: never the verifier.
        QJsonObject toJson() const;
    };

    explicit AccessGrantStore(Catalog& catalog);

    // Records a Requested grant; its id, or nullopt with the server's sentence.
    std::optional<qint64> request(const Grant& grant, QString* error);
    std::optional<Grant> get(qint64 id) const;
    // The grants of `environmentId` (empty: every one the login may read), newest first.
    QList<Grant> list(const QString& environmentId = {}) const;
    // Asks the agents to remove grant `id` now.
    bool requestRevocation(qint64 id, QString* error);

    // Agents: what to do now (Requested, Revoking, Active past `now`, Active on a
    // database an operation replaced after it was granted), and what was done.
    QList<Grant> pending(const QDateTime& now) const;
    bool setState(qint64 id, const QString& from, const QString& to, const QString& detail, const QString& agent);

    static QStringList migrationStatements();

private:
    Catalog& m_catalog;
};
