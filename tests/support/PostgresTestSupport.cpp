#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresTools.h"
#include "environment/PostgresUrl.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QProcess>

#include <algorithm>

namespace PostgresTestSupport {

QString url()
{
    return qEnvironmentVariable("DATAALM_TEST_PG_URL");
}

DatabaseRef server()
{
    QString e;
    const auto ref = PostgresUrl::parse(url(), &e);
    return ref ? *ref : DatabaseRef();
}

DatabaseRef database(const QString& name)
{
    DatabaseRef r = server();
    r.role = DatabaseRef::Transactional;
    r.name = name;
    return r;
}

QString uniqueName(const QString& prefix)
{
    static QAtomicInt counter;
    return QStringLiteral("%1%2x%3").arg(prefix).arg(QCoreApplication::applicationPid()).arg(counter.fetchAndAddOrdered(1));
}

bool exec(const DatabaseRef& db, const QString& sql, QString* error)
{
    PostgresConnection c;
    QString e;
    const bool ok = c.open(db, &e) && c.exec(sql, &e);
    if (!ok && error)
        *error = e;
    return ok;
}

QString value(const DatabaseRef& db, const QString& sql, QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.open(db, &e)) {
        if (error)
            *error = e;
        return {};
    }
    const QVariant v = c.scalar(sql, &e);
    if (!v.isValid() && error)
        *error = e;
    return v.toString();
}

bool createDatabase(const QString& name, QString* error)
{
    return exec(server(), QStringLiteral("CREATE DATABASE %1").arg(PostgresConnection::quote(name)), error);
}

bool dropDatabase(const QString& name)
{
    return exec(server(), QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(PostgresConnection::quote(name)));
}

bool databaseExists(const QString& name)
{
    PostgresConnection c;
    QString e;
    return c.open(server(), &e) &&
           c.scalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = $1"), &e, {name}).toInt() == 1;
}

QStringList databasesLike(const QString& prefix)
{
    PostgresConnection c;
    QString e;
    QList<PostgresConnection::Row> rows;
    QStringList names;
    if (c.open(server(), &e) &&
        c.query(QStringLiteral("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1"), &rows, &e,
                {prefix})) {
        for (const auto& r : rows)
            names << r.at(0).toString();
    }
    return names;
}

static QByteArray takeDump(const DatabaseRef& db, QString* error)
{
    QString e;
    const QString pgDump = PostgresTools::find(QStringLiteral("pg_dump"), &e);
    if (pgDump.isEmpty()) {
        *error = e;
        return {};
    }
    QProcess p;
    p.start(pgDump, {QStringLiteral("--schema-only"), QStringLiteral("--dbname=") + db.postgresConninfo()});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        *error = QStringLiteral("pg_dump failed: %1").arg(QString::fromUtf8(p.readAllStandardError()));
        return {};
    }
    QByteArray out;
    for (const QByteArray& line : p.readAllStandardOutput().split('\n')) {
        // Comments name the dump's time and version; \restrict carries a random key.
        if (line.startsWith("--") || line.startsWith("\\restrict") || line.startsWith("\\unrestrict") || line.isEmpty())
            continue;
        out += line + '\n';
    }
    PostgresConnection c;
    QList<PostgresConnection::Row> tables;
    if (!c.open(db, &e) ||
        !c.query(QStringLiteral("SELECT format('%I.%I', n.nspname, c.relname), c.relkind::text FROM pg_class c JOIN "
                                "pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'S') AND n.nspname "
                                "NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1"),
                 &tables, &e)) {
        *error = e;
        return {};
    }
    for (const auto& t : std::as_const(tables)) {
        const QString name = t.at(0).toString();
        QList<PostgresConnection::Row> rows;
        const QString sql = t.at(1).toString() == QLatin1String("S")
                                ? QStringLiteral("SELECT format('%s %s', last_value, is_called) FROM %1").arg(name)
                                : QStringLiteral("SELECT x::text FROM %1 x").arg(name);
        if (!c.query(sql, &rows, &e)) {
            if (error)
                *error = e;
            return {};
        }
        QStringList lines;
        for (const auto& r : std::as_const(rows))
            lines << r.at(0).toString();
        std::sort(lines.begin(), lines.end());
        out += QStringLiteral("== %1 (%2 rows)\n").arg(name).arg(lines.size()).toUtf8();
        out += lines.join(QLatin1Char('\n')).toUtf8() + '\n';
    }
    return out;
}


QByteArray dump(const DatabaseRef& db, QString* error)
{
    QString e;
    const QByteArray out = takeDump(db, &e);
    if (e.isEmpty() && out.isEmpty())
        e = QStringLiteral("pg_dump of %1 printed nothing").arg(db.location());
    if (!e.isEmpty()) {
        if (error)
            *error = e;
        // Two failed dumps would compare equal (and a failed one unequal to any other):
        // a comparison of dumps must never pass on a dump that was not taken.
        throw DumpFailed(QStringLiteral("cannot dump %1: %2").arg(db.location(), e).toStdString());
    }
    return out;
}

} // namespace PostgresTestSupport
