#include "environment/DatabaseRef.h"

QString DatabaseRef::location() const
{
    if (isSqlite())
        return path;
    QString who = user.isEmpty() ? QString() : user + QLatin1Char('@');
    return who + host + QLatin1Char(':') + QString::number(port) + QLatin1Char('/') + name;
}

QString DatabaseRef::engineTitle() const
{
    return isSqlite() ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL");
}

static QString conninfoValue(const QString& v)
{
    QString escaped = v;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString DatabaseRef::postgresConninfo() const
{
    QStringList parts;
    if (!host.isEmpty())
        parts << QStringLiteral("host=") + conninfoValue(host);
    parts << QStringLiteral("port=") + QString::number(port);
    if (!name.isEmpty())
        parts << QStringLiteral("dbname=") + conninfoValue(name);
    if (!user.isEmpty())
        parts << QStringLiteral("user=") + conninfoValue(user);
    if (!sslMode.isEmpty())
        parts << QStringLiteral("sslmode=") + conninfoValue(sslMode);
    parts << QStringLiteral("application_name='dataalm'");
    return parts.join(QLatin1Char(' '));
}

QJsonObject DatabaseRef::toJson() const
{
    QJsonObject o{{QStringLiteral("role"), role}, {QStringLiteral("driver"), driver}};
    if (isSqlite()) {
        o.insert(QStringLiteral("path"), path);
    } else {
        o.insert(QStringLiteral("host"), host);
        o.insert(QStringLiteral("port"), port);
        o.insert(QStringLiteral("name"), name);
        if (!user.isEmpty())
            o.insert(QStringLiteral("user"), user);
        if (!sslMode.isEmpty())
            o.insert(QStringLiteral("sslmode"), sslMode);
    }
    return o;
}

DatabaseRef DatabaseRef::fromJson(const QJsonObject& o)
{
    DatabaseRef r;
    r.role = o.value(QStringLiteral("role")).toString();
    r.driver = o.value(QStringLiteral("driver")).toString();
    r.path = o.value(QStringLiteral("path")).toString();
    r.host = o.value(QStringLiteral("host")).toString();
    r.port = o.value(QStringLiteral("port")).toInt(5432);
    r.name = o.value(QStringLiteral("name")).toString();
    r.user = o.value(QStringLiteral("user")).toString();
    r.sslMode = o.value(QStringLiteral("sslmode")).toString();
    return r;
}
