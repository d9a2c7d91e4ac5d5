#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

class Catalog;

// What an agent does for just-in-time access (AccessGrantStore): creates the temporary
// login of each Requested grant on its environment's PostgreSQL server, with the
// credential the team catalog keeps for that database (CredentialLoader), and removes
// it when it is revoked, when it expires, or when an operation replaced the database.
// A removal that fails is tried again on the next pass; a creation that fails ends the
// grant Failed, with the server's sentence.
class AccessGrantAgent
{
public:
    AccessGrantAgent(Catalog& catalog, const QString& agentId);

    // One pass at `now`; `say` hears a sentence for each grant it changed.
    void pass(const QDateTime& now, const std::function<void(const QString&)>& say);

private:
    Catalog& m_catalog;
    QString m_agentId;
};
