#include "registration/ClientPrograms.h"

#include "catalog/Catalog.h"
#include "engine/PostgresTools.h"

QStringList ClientPrograms::postgresPrograms()
{
    return {QStringLiteral("pg_dump"), QStringLiteral("pg_restore")};
}

QString ClientPrograms::missingFor(const Catalog& catalog)
{
    const QStringList servers = catalog.environmentIdsUsing(DatabaseRef::Postgres);
    if (servers.isEmpty())
        return {};
    QStringList missing;
    for (const QString& program : postgresPrograms()) {
        QString e;
        if (PostgresTools::find(program, &e).isEmpty())
            missing << program;
    }
    if (missing.isEmpty())
        return {};
    return QStringLiteral("%1 not found: refreshes of the PostgreSQL environments (%2) need %3. Install the Debian "
                          "package postgresql-client (apt-get install postgresql-client), at least as new as the "
                          "servers.")
        .arg(missing.join(QStringLiteral(" and ")) + (missing.size() == 1 ? QStringLiteral(" was") : QStringLiteral(" were")),
             servers.join(QStringLiteral(", ")), postgresPrograms().join(QStringLiteral(" and ")));
}
