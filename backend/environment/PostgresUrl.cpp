#include "environment/PostgresUrl.h"

#include "logging/Logging.h"

#include <QRegularExpression>
#include <QUrl>

#include <libpq-fe.h>

namespace {

// What in `url` may be a password: a URI's user:password@ and any password=... (raw and
// percent-decoded). libpq's parse errors quote the token they stumbled on, which can be
// one of these.
QStringList secretsIn(const QString& url)
{
    static const QRegularExpression uri(QStringLiteral(R"(://[^:/@\s]*:([^@/\s]*)@)"));
    static const QRegularExpression keyValue(QStringLiteral(R"(password\s*=\s*('[^']*'|"[^"]*"|[^\s&]+))"),
                                             QRegularExpression::CaseInsensitiveOption);
    QStringList secrets;
    for (const QRegularExpression* re : {&uri, &keyValue}) {
        auto it = re->globalMatch(url);
        while (it.hasNext()) {
            QString secret = it.next().captured(1);
            if (secret.size() > 1 && (secret.startsWith(QLatin1Char('\'')) || secret.startsWith(QLatin1Char('"'))))
                secret = secret.mid(1, secret.size() - 2);
            if (secret.isEmpty())
                continue;
            secrets << secret << QUrl::fromPercentEncoding(secret.toUtf8());
        }
    }
    return secrets;
}

QString withoutSecrets(QString text, const QString& url)
{
    for (const QString& secret : secretsIn(url)) {
        if (!secret.isEmpty())
            text.replace(secret, QStringLiteral("***"));
    }
    return Logging::redact(text);
}

} // namespace

std::optional<DatabaseRef> PostgresUrl::parse(const QString& url, QString* error)
{
    if (url.trimmed().isEmpty()) {
        *error = QStringLiteral("the PostgreSQL URL is empty (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
        return std::nullopt;
    }
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.toUtf8().constData(), &message);
    if (!options) {
        // Echoed without its password, whatever form it has (a URI's user:password@,
        // password=... anywhere): the URL did not parse, so libpq cannot say which part is it.
        *error = withoutSecrets(QStringLiteral("'%1' is not a PostgreSQL URL: %2")
                                    .arg(url, message ? QString::fromUtf8(message).trimmed()
                                                      : QStringLiteral("out of memory")),
                                url);
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
