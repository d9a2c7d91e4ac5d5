#include "agent/AccessGrantAgent.h"

#include "catalog/AccessGrantStore.h"
#include "catalog/Catalog.h"
#include "engine/PostgresAccess.h"
#include "environment/Environment.h"
#include "registration/CredentialLoader.h"

#include <functional>

AccessGrantAgent::AccessGrantAgent(Catalog& catalog, const QString& agentId)
    : m_catalog(catalog), m_agentId(agentId)
{
}

void AccessGrantAgent::pass(const QDateTime& now, const std::function<void(const QString&)>& say)
{
    if (!m_catalog.isTeam())
        return;
    AccessGrantStore store(m_catalog);
    for (const AccessGrantStore::Grant& g : store.pending(now)) {
        const auto env = m_catalog.environment(g.environmentId);
        const DatabaseRef* db = env ? env->database(g.databaseRole) : nullptr;
        if (!db || !db->isPostgres()) {
            if (store.setState(g.id, g.state, g.state == QLatin1String("Requested") ? QStringLiteral("Failed")
                                                                                   : QStringLiteral("Revoked"),
                               QStringLiteral("%1 has no PostgreSQL database %2").arg(g.environmentId, g.databaseRole),
                               m_agentId))
                say(QStringLiteral("access grant %1: %2 has no PostgreSQL database %3")
                        .arg(g.id)
                        .arg(g.environmentId, g.databaseRole));
            continue;
        }
        CredentialLoader::load(m_catalog, {g.environmentId}, QStringLiteral("access grant %1").arg(g.id));
        QString error;
        if (g.state == QLatin1String("Requested")) {
            if (g.validUntil.isValid() && g.validUntil <= now) {
                if (store.setState(g.id, g.state, QStringLiteral("Expired"),
                                   QStringLiteral("it expired before an agent could create it"), m_agentId))
                    say(QStringLiteral("access grant %1 expired before it was created").arg(g.id));
                continue;
            }
            if (!PostgresAccess::grant(*db, g.login, g.verifier, g.validUntil, g.readWrite, &error)) {
                // A login half made goes: nothing is left that nobody asked for.
                QString ignored;
                PostgresAccess::revoke(*db, g.login, &ignored);
                if (store.setState(g.id, g.state, QStringLiteral("Failed"), error, m_agentId))
                    say(QStringLiteral("access grant %1 failed: %2").arg(g.id).arg(error));
                continue;
            }
            if (store.setState(g.id, g.state, QStringLiteral("Active"),
                               QStringLiteral("login %1 on %2").arg(g.login, db->location()), m_agentId))
                say(QStringLiteral("access grant %1: login %2 on %3 until %4")
                        .arg(g.id)
                        .arg(g.login, db->location(), g.validUntil.toUTC().toString(Qt::ISODate)));
            else
                PostgresAccess::revoke(*db, g.login, &error); // revoked meanwhile: the login goes at once
            continue;
        }
        // Revoking, or Active and expired or on a replaced database: the login goes.
        QString note;
        if (!PostgresAccess::revoke(*db, g.login, &error, &note)) {
            say(QStringLiteral("access grant %1: login %2 could not be removed yet: %3").arg(g.id).arg(g.login, error));
            continue;
        }
        const bool expired = g.state == QLatin1String("Active") && g.detail == QLatin1String("it expired");
        const QString to = expired ? QStringLiteral("Expired") : QStringLiteral("Revoked");
        const QString why = g.state == QLatin1String("Revoking") ? QStringLiteral("revoked on request") : g.detail;
        const QString detail = note.isEmpty() ? QStringLiteral("login %1 removed: %2").arg(g.login, why)
                                              : QStringLiteral("login %1 disabled: %2; %3").arg(g.login, why, note);
        if (store.setState(g.id, g.state, to, detail, m_agentId))
            say(QStringLiteral("access grant %1: login %2 removed (%3)").arg(g.id).arg(g.login, why));
    }
}
