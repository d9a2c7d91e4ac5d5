#include "registration/DatabasePrivileges.h"

#include "engine/PostgresConnection.h"

std::optional<DatabasePrivileges> DatabasePrivileges::read(const DatabaseRef& target, QString* error)
{
    if (!target.isPostgres()) {
        *error = QStringLiteral("%1 is not a PostgreSQL database").arg(target.location());
        return std::nullopt;
    }
    PostgresConnection c;
    QString e;
    if (!c.open(target, &e)) {
        *error = e;
        return std::nullopt;
    }
    QList<PostgresConnection::Row> rows;
    if (!c.query(QStringLiteral("SELECT current_user::text, r.rolsuper, r.rolcreatedb, "
                                "pg_has_role(current_user, d.datdba, 'USAGE'), pg_get_userbyid(d.datdba)::text "
                                "FROM pg_roles r JOIN pg_database d ON d.datname = current_database() "
                                "WHERE r.rolname = current_user"),
                 &rows, &e) ||
        rows.size() != 1) {
        *error = e.isEmpty() ? QStringLiteral("cannot read the role's attributes") : e;
        return std::nullopt;
    }
    const PostgresConnection::Row& r = rows.constFirst();
    DatabasePrivileges p;
    p.role = r.at(0).toString();
    p.superuser = r.at(1).toBool();
    p.createDb = r.at(2).toBool();
    p.owner = r.at(3).toBool();
    p.databaseOwner = r.at(4).toString();
    return p;
}

QStringList DatabasePrivileges::missing(const DatabaseRef& target) const
{
    if (superuser)
        return {};
    QStringList m;
    if (!createDb)
        m << QStringLiteral("CREATEDB");
    if (!owner)
        m << QStringLiteral("ownership of database %1").arg(target.name);
    return m;
}

QString DatabasePrivileges::problem(const DatabaseRef& target) const
{
    const QStringList m = missing(target);
    if (m.isEmpty())
        return {};
    const QString server = target.host + QLatin1Char(':') + QString::number(target.port);
    QStringList why;
    QStringList fixes;
    if (!createDb) {
        why << QStringLiteral("lacks CREATEDB, which the refresh needs to create its staging database on %1")
                   .arg(server);
        fixes << QStringLiteral("ALTER ROLE %1 CREATEDB").arg(PostgresConnection::quote(role));
    }
    if (!owner) {
        why << QStringLiteral("is neither the owner of database %1 (%2 is) nor a superuser, and only they may rename "
                              "it into the restore point")
                   .arg(target.name, databaseOwner);
        fixes << QStringLiteral("ALTER DATABASE %1 OWNER TO %2")
                     .arg(PostgresConnection::quote(target.name), PostgresConnection::quote(role));
    }
    return QStringLiteral("the role %1 %2. Run %3 as a superuser, or register the environment with a role that has "
                          "these privileges")
        .arg(role, why.join(QStringLiteral(" and ")), fixes.join(QStringLiteral("; ")));
}
