#include "environment/PostgresUrl.h"

#include <libpq-fe.h>

std::optional<DatabaseRef> PostgresUrl::parse(const QString& url, QString* error)
{
    if (url.trimmed().isEmpty()) {
        *error = QStringLiteral("the PostgreSQL URL is empty (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
        return std::nullopt;
    }
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.toUtf8().constData(), &message);
    if (!options) {
        *error = QStringLiteral("'%1' is not a PostgreSQL URL: %2")
                     .arg(url, message ? QString::fromUtf8(message).trimmed() : QStringLiteral("out of memory"));
        PQfreemem(message);
        return std::nullopt;
    }
    DatabaseRef ref;
    ref.driver = DatabaseRef::Postgres;
    QString port;
    bool password = false;
    QStringList unsupported;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString key = QString::fromUtf8(o->keyword);
        const QString value = QString::fromUtf8(o->val);
        if (key == QLatin1String("host") || key == QLatin1String("hostaddr"))
            ref.host = ref.host.isEmpty() ? value : ref.host;
        else if (key == QLatin1String("port"))
            port = value;
        else if (key == QLatin1String("dbname"))
            ref.name = value;
        else if (key == QLatin1String("user"))
            ref.user = value;
        else if (key == QLatin1String("sslmode"))
            ref.sslMode = value;
        else if (key == QLatin1String("password"))
            password = true;
        else if (key != QLatin1String("connect_timeout") && key != QLatin1String("application_name"))
            unsupported << key;
    }
    PQconninfoFree(options);
    if (password) {
        *error = QStringLiteral("the PostgreSQL URL holds a password; DataALM never stores one. Leave it out and "
                                "put it in ~/.pgpass (or the file PGPASSFILE names) instead");
        return std::nullopt;
    }
    if (!unsupported.isEmpty()) {
        *error = QStringLiteral("the PostgreSQL URL sets %1, which DataALM does not keep (host, port, dbname, user and "
                                "sslmode only)")
                     .arg(unsupported.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (ref.host.contains(QLatin1Char(','))) {
        *error = QStringLiteral("the PostgreSQL URL names several hosts (%1); name one server").arg(ref.host);
        return std::nullopt;
    }
    if (ref.host.isEmpty())
        ref.host = qEnvironmentVariable("PGHOST", QStringLiteral("localhost"));
    if (port.isEmpty())
        port = qEnvironmentVariable("PGPORT", QStringLiteral("5432"));
    bool ok = false;
    ref.port = port.toInt(&ok);
    if (!ok || ref.port < 1 || ref.port > 65535) {
        *error = QStringLiteral("the PostgreSQL URL's port '%1' is not a port number").arg(port);
        return std::nullopt;
    }
    if (ref.user.isEmpty())
        ref.user = qEnvironmentVariable("PGUSER");
    if (ref.name.isEmpty())
        ref.name = QStringLiteral("postgres");
    return ref;
}
