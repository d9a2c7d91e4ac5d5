#include "engine/PostgresAccess.h"

#include "engine/PostgresConnection.h"

#include <libpq-fe.h>

namespace PostgresAccess {

namespace {

// A statement the server composes from `format` and `params` (format's %I and %L quote them).
QString composed(PostgresConnection& db, const QString& format, const QVariantList& params, QString* error)
{
    Q_ASSERT(!format.contains(QLatin1Char('\'')));
    QString placeholders;
    for (int i = 0; i < params.size(); ++i)
        placeholders += QStringLiteral(", $%1::text").arg(i + 1);
    const QVariant sql = db.scalar(QStringLiteral("SELECT format('%1'%2)").arg(format, placeholders), error, params);
    return sql.toString();
}

} // namespace

QString scramVerifier(const QString& password, const QString& login, QString* error)
{
    // libpq wants a connection object for its messages only when the algorithm is given:
    // one that never connects (a socket folder that does not exist) does.
    PGconn* conn = PQconnectStart("host=/nonexistent-dataalm dbname=none connect_timeout=1");
    if (!conn) {
        *error = QStringLiteral("out of memory");
        return {};
    }
    const QByteArray pw = password.toUtf8();
    const QByteArray user = login.toUtf8();
    char* secret = PQencryptPasswordConn(conn, pw.constData(), user.constData(), "scram-sha-256");
    QString verifier;
    if (secret) {
        verifier = QString::fromLatin1(secret);
        PQfreemem(secret);
    } else {
        *error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    }
    PQfinish(conn);
    return verifier;
}

bool grant(const DatabaseRef& database, const QString& login, const QString& verifier, const QDateTime& validUntil,
           bool readWrite, QString* error)
{
    PostgresConnection db;
    if (!db.open(database, error))
        return false;
    const QString until = validUntil.toUTC().toString(Qt::ISODate);
    QString sql = composed(db, QStringLiteral("CREATE ROLE %I LOGIN NOINHERIT CONNECTION LIMIT 5 PASSWORD %L VALID UNTIL %L"),
                           {login, verifier, until}, error);
    if (sql.isEmpty() || !db.exec(sql, error))
        return false;
    sql = composed(db, QStringLiteral("GRANT CONNECT ON DATABASE %I TO %I"), {database.name, login}, error);
    if (sql.isEmpty() || !db.exec(sql, error))
        return false;
    QList<PostgresConnection::Row> schemas;
    if (!db.query(QStringLiteral("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> "
                                 "'information_schema' ORDER BY 1"),
                  &schemas, error))
        return false;
    const QString tables = readWrite ? QStringLiteral("SELECT, INSERT, UPDATE, DELETE") : QStringLiteral("SELECT");
    for (const PostgresConnection::Row& row : std::as_const(schemas)) {
        const QString schema = row.value(0).toString();
        for (const QString& format :
             {QStringLiteral("GRANT USAGE ON SCHEMA %I TO %I"),
              QStringLiteral("GRANT %1 ON ALL TABLES IN SCHEMA %I TO %I").arg(tables)}) {
            sql = composed(db, format, {schema, login}, error);
            if (sql.isEmpty() || !db.exec(sql, error))
                return false;
        }
        if (readWrite) {
            sql = composed(db, QStringLiteral("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I"), {schema, login},
                           error);
            if (sql.isEmpty() || !db.exec(sql, error))
                return false;
        }
    }
    return true;
}

bool exists(const DatabaseRef& database, const QString& login, QString* error)
{
    PostgresConnection db;
    if (!db.open(database, error))
        return false;
    return db.scalar(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = $1"), error, {login}).toLongLong() > 0;
}

bool revoke(const DatabaseRef& database, const QString& login, QString* error, QString* note)
{
    if (note)
        note->clear();
    PostgresConnection db;
    if (!db.open(database, error))
        return false;
    const QVariant there = db.scalar(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = $1"), error, {login});
    if (!there.isValid())
        return false;
    if (there.toLongLong() == 0)
        return true;
    // It can no longer log in, then its sessions end: it must not outlive its grant.
    QString sql = composed(db, QStringLiteral("ALTER ROLE %I NOLOGIN PASSWORD NULL VALID UNTIL %L"),
                           {login, QStringLiteral("-infinity")}, error);
    if (sql.isEmpty() || !db.exec(sql, error))
        return false;
    if (!db.exec(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1"), error,
                 {login}))
        return false;
    sql = composed(db, QStringLiteral("DROP OWNED BY %I"), {login}, error);
    if (sql.isEmpty() || !db.exec(sql, error))
        return false;
    // Privileges it still has in another database (the one a refresh swapped out, kept as
    // a restore point) keep the role from being dropped: it stays, unable to log in, and
    // goes with that database.
    QString dropError;
    sql = composed(db, QStringLiteral("DROP ROLE %I"), {login}, &dropError);
    if (!sql.isEmpty() && !db.exec(sql, &dropError) && note)
        *note = QStringLiteral("it can no longer log in; the server keeps the role while another database grants it "
                               "privileges (%1)")
                    .arg(dropError.section(QLatin1Char('\n'), 0, 0));
    return true;
}

} // namespace PostgresAccess
