#include "lifecycle/AccessService.h"

#include "catalog/AccessGrantStore.h"
#include "catalog/Catalog.h"
#include "catalog/TeamAccess.h"
#include "core/Clock.h"
#include "engine/PostgresAccess.h"
#include "engine/PostgresPasswords.h"
#include "environment/Environment.h"

#include <QRandomGenerator>
#include <QRegularExpression>

AccessService::AccessService(Catalog& catalog)
    : m_catalog(catalog)
{
}

QString AccessService::refusal(const Environment& environment, bool readWrite) const
{
    if (!m_catalog.isTeam())
        return tr("Just-in-time access belongs to a team catalog, whose agents make the temporary logins; on a "
                  "one-person catalog connect with your own login.");
    bool postgres = false;
    for (const DatabaseRef& db : environment.databases)
        postgres = postgres || db.isPostgres();
    if (!postgres)
        return tr("%1's databases are SQLite files: open them with sqlite3; just-in-time access makes PostgreSQL "
                  "logins.")
            .arg(environment.id);
    if (readWrite && environment.type == EnvironmentType::Production)
        return tr("%1 is production: just-in-time access to it is read-only.").arg(environment.id);
    return TeamAccess(m_catalog).whyNot(environment.projectId, environment.id, TeamAccess::Right::Operate);
}

AccessService::Outcome AccessService::request(const Environment& env, const Request& r, Issued* issued, QString* error)
{
    if (r.reason.trimmed().isEmpty()) {
        *error = tr("A request for access says why (--reason): the audit keeps it.");
        return Outcome::Usage;
    }
    if (r.hours < 1 || r.hours > 8) {
        *error = tr("Access lasts 1 to 8 hours, not %1.").arg(r.hours);
        return Outcome::Usage;
    }
    const DatabaseRef* db = env.database(r.databaseRole);
    if (!db) {
        *error = tr("%1 has no %2 database.").arg(env.id, r.databaseRole);
        return Outcome::Unknown;
    }
    if (!m_catalog.isTeam() || !db->isPostgres() || (r.readWrite && env.type == EnvironmentType::Production)) {
        *error = !db->isPostgres() && m_catalog.isTeam()
                     ? tr("The %1 database of %2 is a SQLite file: open it with sqlite3; just-in-time access makes "
                          "PostgreSQL logins.")
                           .arg(r.databaseRole, env.id)
                     : refusal(env, r.readWrite);
        return Outcome::NotAllowed;
    }
    if (const QString denied = TeamAccess(m_catalog).refusal(env.projectId, env.id, TeamAccess::Right::Operate);
        !denied.isEmpty()) {
        *error = denied;
        return Outcome::NotAllowed;
    }
    // The password is made here and leaves this process only as the requester reads it.
    PostgresPasswords::forbidCoreDumps();
    static const QString alphabet = QStringLiteral("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789");
    QString password;
    for (int i = 0; i < 24; ++i)
        password += alphabet.at(int(QRandomGenerator::system()->bounded(quint32(alphabet.size()))));
    QString who = Catalog::currentUser().toLower();
    who.replace(QRegularExpression(QStringLiteral("[^a-z0-9]")), QStringLiteral("_"));
    AccessGrantStore::Grant g;
    g.projectId = env.projectId;
    g.environmentId = env.id;
    g.databaseRole = r.databaseRole;
    g.login = QStringLiteral("jit_%1_%2").arg(who.left(32)).arg(QRandomGenerator::system()->generate(), 8, 16,
                                                                 QLatin1Char('0'));
    g.readWrite = r.readWrite;
    g.reason = r.reason.trimmed();
    // Whole seconds: the server's VALID UNTIL and the catalog's row end at the same instant.
    g.validUntil = QDateTime::fromSecsSinceEpoch(Clock::nowUtc().addSecs(qint64(r.hours) * 3600).toSecsSinceEpoch(),
                                                 Qt::UTC);
    g.verifier = PostgresAccess::scramVerifier(password, g.login, error);
    if (g.verifier.isEmpty()) {
        *error = tr("cannot make the password's verifier: %1").arg(*error);
        return Outcome::Failed;
    }
    const auto id = AccessGrantStore(m_catalog).request(g, error);
    if (!id)
        return Outcome::NotAllowed;
    issued->id = *id;
    issued->login = g.login;
    issued->password = password;
    issued->host = db->host;
    issued->port = db->port;
    issued->database = db->name;
    issued->validUntil = g.validUntil;
    password.fill(QLatin1Char('\0'));
    return Outcome::Done;
}
