#include "environment/DatabaseUrl.h"

#include "logging/Logging.h"

#include "environment/PostgresUrl.h"

#include <QDir>
#include <QUrl>

namespace {

const QString SqliteScheme = QStringLiteral("sqlite://");
const QStringList PostgresSchemes = {QStringLiteral("postgresql://"), QStringLiteral("postgres://")};

std::optional<DatabaseRef> parseSqlite(const QString& url, QString* error)
{
    const QString rest = url.mid(SqliteScheme.size());
    if (!rest.startsWith(QLatin1Char('/'))) {
        *error = QStringLiteral("'%1' does not name an absolute file path: a SQLite URL is sqlite:///absolute/path.db "
                                "(three slashes), and the file is on this machine")
                     .arg(Logging::redact(url));
        return std::nullopt;
    }
    if (rest.contains(QLatin1Char('?')) || rest.contains(QLatin1Char('#'))) {
        *error = QStringLiteral("'%1' has options or a fragment; a SQLite URL is just sqlite:///absolute/path.db "
                                "(write a '?' or '#' in a file name as %3F or %23)")
                     .arg(Logging::redact(url));
        return std::nullopt;
    }
    const QString decoded = QUrl::fromPercentEncoding(rest.toUtf8());
    const QString path = QDir::cleanPath(decoded);
    if (path == QLatin1String("/") || decoded.endsWith(QLatin1Char('/')) || decoded.endsWith(QLatin1String("/.")) ||
        decoded.endsWith(QLatin1String("/.."))) {
        *error = QStringLiteral("'%1' names a folder, not a database file").arg(Logging::redact(url));
        return std::nullopt;
    }
    if (path.contains(QChar(u'\0'))) {
        *error = QStringLiteral("'%1' has a NUL character in its path").arg(Logging::redact(url));
        return std::nullopt;
    }
    DatabaseRef ref;
    ref.driver = DatabaseRef::Sqlite;
    ref.path = path;
    return ref;
}

// The database part of a libpq URI ("" when it names none): between the authority and
// the options. Percent-encoded, as written.
QString uriDatabase(const QString& url, const QString& scheme)
{
    const QString rest = url.mid(scheme.size());
    const int query = rest.indexOf(QLatin1Char('?'));
    const QString beforeQuery = query < 0 ? rest : rest.left(query);
    const int slash = beforeQuery.indexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : beforeQuery.mid(slash + 1);
}

std::optional<DatabaseRef> parsePostgres(const QString& url, const QString& scheme, QString* error)
{
    QString e;
    std::optional<DatabaseRef> ref = PostgresUrl::parse(url, &e);
    if (!ref) {
        *error = e;
        return std::nullopt;
    }
    if (uriDatabase(url, scheme).isEmpty()) {
        *error = QStringLiteral("'%1' names no database: give the environment's own one, as in "
                                "postgresql://user@host:5432/erp_uat")
                     .arg(Logging::redact(url));
        return std::nullopt;
    }
    static const QStringList maintenance = {QStringLiteral("postgres"), QStringLiteral("template0"),
                                            QStringLiteral("template1")};
    if (maintenance.contains(ref->name)) {
        *error = QStringLiteral("'%1' names the server's %2 database; an environment needs a database of its own "
                                "(a refresh renames its target)")
                     .arg(Logging::redact(url), ref->name);
        return std::nullopt;
    }
    static const QStringList sslModes = {QStringLiteral("disable"),   QStringLiteral("allow"),
                                         QStringLiteral("prefer"),    QStringLiteral("require"),
                                         QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    if (!ref->sslMode.isEmpty() && !sslModes.contains(ref->sslMode)) {
        *error = QStringLiteral("'%1' sets sslmode=%2; libpq knows %3")
                     .arg(Logging::redact(url), ref->sslMode, sslModes.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return ref;
}

} // namespace

QStringList DatabaseUrl::roles()
{
    return {DatabaseRef::Transactional, DatabaseRef::FinancialReporting};
}

std::optional<DatabaseRef> DatabaseUrl::parse(const QString& url, QString* error)
{
    const QString u = url.trimmed();
    if (u.isEmpty()) {
        *error = QStringLiteral("the database URL is empty (sqlite:///absolute/path.db or "
                                "postgresql://user@host:port/dbname)");
        return std::nullopt;
    }
    if (u.startsWith(SqliteScheme, Qt::CaseInsensitive))
        return parseSqlite(u, error);
    for (const QString& scheme : PostgresSchemes) {
        if (u.startsWith(scheme, Qt::CaseInsensitive))
            return parsePostgres(u, scheme, error);
    }
    if (u.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive))
        *error = QStringLiteral("'%1' is not a SQLite URL: write sqlite:///absolute/path.db (three slashes)").arg(Logging::redact(u));
    else
        *error = QStringLiteral("'%1' is not a database URL: use sqlite:///absolute/path.db or "
                                "postgresql://user@host:port/dbname")
                     .arg(Logging::redact(u));
    return std::nullopt;
}

std::optional<DatabaseRef> DatabaseUrl::parseAssignment(const QString& roleAndUrl, QString* error)
{
    const int eq = roleAndUrl.indexOf(QLatin1Char('='));
    const QString role = eq < 0 ? QString() : roleAndUrl.left(eq).trimmed();
    if (eq < 0 || !roles().contains(role)) {
        *error = QStringLiteral("--db takes ROLE=URL with ROLE %1, not '%2'")
                     .arg(roles().join(QStringLiteral(" or ")), Logging::redact(roleAndUrl));
        return std::nullopt;
    }
    QString e;
    std::optional<DatabaseRef> ref = parse(roleAndUrl.mid(eq + 1), &e);
    if (!ref) {
        *error = QStringLiteral("the %1 database: %2").arg(role, e);
        return std::nullopt;
    }
    ref->role = role;
    return ref;
}

QString DatabaseUrl::format(const DatabaseRef& ref)
{
    if (ref.isSqlite())
        return SqliteScheme + QString::fromUtf8(QUrl::toPercentEncoding(ref.path, "/"));
    const auto encode = [](const QString& s) { return QString::fromUtf8(QUrl::toPercentEncoding(s)); };
    QString url = QStringLiteral("postgresql://");
    if (!ref.user.isEmpty())
        url += encode(ref.user) + QLatin1Char('@');
    url += ref.host.contains(QLatin1Char(':')) ? QString(QLatin1Char('[') + ref.host + QLatin1Char(']'))
                                               : encode(ref.host);
    url += QLatin1Char(':') + QString::number(ref.port) + QLatin1Char('/') + encode(ref.name);
    if (!ref.sslMode.isEmpty())
        url += QStringLiteral("?sslmode=") + encode(ref.sslMode);
    return url;
}
