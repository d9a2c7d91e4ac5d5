#include "engine/PostgresDatabaseSettings.h"

#include "engine/PostgresConnection.h"

#include <QMap>
#include <QRegularExpression>

namespace {

using Row = PostgresConnection::Row;

struct Settings
{
    QString owner;
    qint64 connectionLimit = -1;
    bool defaultAcl = true;
    QStringList acl;           // "grantee\x1fprivilege\x1fgrantable", grantee empty for PUBLIC, sorted
    QString comment;           // null: none
    QMap<QString, QStringList> config; // role ("" for the database itself) -> name=value
};

bool read(PostgresConnection& conn, const QString& name, Settings* s, QString* error)
{
    QList<Row> rows;
    if (!conn.query(QStringLiteral("SELECT pg_get_userbyid(d.datdba), d.datconnlimit, d.datacl IS NULL, "
                                   "shobj_description(d.oid, 'pg_database') FROM pg_database d WHERE d.datname = $1"),
                    &rows, error, {name}))
        return false;
    if (rows.isEmpty()) {
        *error = QStringLiteral("the database %1 does not exist").arg(name);
        return false;
    }
    s->owner = rows.first().at(0).toString();
    s->connectionLimit = rows.first().at(1).toLongLong();
    s->defaultAcl = rows.first().at(2).toBool();
    s->comment = rows.first().at(3).toString();
    if (rows.first().at(3).isNull())
        s->comment = QString();
    rows.clear();
    // The effective ACL: the default one (acldefault) when none was ever set.
    if (!conn.query(QStringLiteral("SELECT COALESCE(pg_get_userbyid(NULLIF(a.grantee, 0)), ''), a.privilege_type, "
                                   "a.is_grantable FROM pg_database d, "
                                   "aclexplode(COALESCE(d.datacl, acldefault('d', d.datdba))) a "
                                   "WHERE d.datname = $1"),
                    &rows, error, {name}))
        return false;
    for (const Row& r : std::as_const(rows))
        s->acl << r.at(0).toString() + QChar(0x1f) + r.at(1).toString() + QChar(0x1f) +
                      (r.at(2).toBool() ? QStringLiteral("1") : QStringLiteral("0"));
    s->acl.sort();
    rows.clear();
    if (!conn.query(QStringLiteral("SELECT COALESCE(pg_get_userbyid(NULLIF(s.setrole, 0)), ''), c.setting "
                                   "FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase, "
                                   "unnest(s.setconfig) WITH ORDINALITY AS c(setting, n) WHERE d.datname = $1 "
                                   "ORDER BY 1, c.n"),
                    &rows, error, {name}))
        return false;
    for (const Row& r : std::as_const(rows))
        s->config[r.at(0).toString()] << r.at(1).toString();
    return true;
}

QString role(const QString& name)
{
    return name.isEmpty() ? QStringLiteral("PUBLIC") : PostgresConnection::quote(name);
}

// The parameters whose values the server keeps as a list of quoted identifiers.
bool isListSetting(const QString& name)
{
    static const QStringList lists{QStringLiteral("search_path"), QStringLiteral("temp_tablespaces"),
                                   QStringLiteral("session_preload_libraries"),
                                   QStringLiteral("local_preload_libraries"),
                                   QStringLiteral("shared_preload_libraries")};
    return lists.contains(name.toLower());
}

// The elements of a list setting as the server stores it (`"$user", public`): quoted
// names with "" for a quote, or bare words, separated by commas (PostgreSQL's
// SplitGUCList). False when the text is not such a list.
bool splitList(const QString& value, QStringList* elements)
{
    int i = 0;
    const int n = int(value.size());
    const auto skipSpace = [&] {
        while (i < n && value.at(i).isSpace())
            ++i;
    };
    skipSpace();
    if (i == n)
        return true; // an empty list
    while (true) {
        QString element;
        if (value.at(i) == QLatin1Char('"')) {
            ++i;
            while (true) {
                if (i >= n)
                    return false; // an unclosed quote
                if (value.at(i) == QLatin1Char('"')) {
                    if (i + 1 < n && value.at(i + 1) == QLatin1Char('"')) {
                        element += QLatin1Char('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                element += value.at(i++);
            }
        } else {
            while (i < n && value.at(i) != QLatin1Char(',') && !value.at(i).isSpace())
                element += value.at(i++);
        }
        elements->append(element);
        skipSpace();
        if (i == n)
            return true;
        if (value.at(i) != QLatin1Char(','))
            return false;
        ++i;
        skipSpace();
    }
}

// `SET name TO value` for one stored "name=value"; empty with `error` when it cannot be
// said. Every value goes back as string literals (a list setting: one per element, as
// pg_dump writes them): nothing stored in the catalog is ever spliced in as SQL.
QString setClause(const QString& setting, QString* error)
{
    const int eq = setting.indexOf(QLatin1Char('='));
    if (eq <= 0) {
        *error = QStringLiteral("cannot read the setting \"%1\"").arg(setting);
        return {};
    }
    const QString name = setting.left(eq);
    const QString value = setting.mid(eq + 1);
    QStringList parts;
    for (const QString& part : name.split(QLatin1Char('.')))
        parts << PostgresConnection::quote(part);
    if (!isListSetting(name))
        return QStringLiteral("SET %1 TO %2").arg(parts.join(QLatin1Char('.')), PostgresConnection::literal(value));
    QStringList elements;
    if (!splitList(value, &elements)) {
        *error = QStringLiteral("cannot copy the setting %1 = %2: it is not a list of names").arg(name, value);
        return {};
    }
    QStringList literals;
    for (const QString& e : std::as_const(elements))
        literals << PostgresConnection::literal(e);
    if (literals.isEmpty())
        literals << QStringLiteral("''");
    return QStringLiteral("SET %1 TO %2").arg(parts.join(QLatin1Char('.')), literals.join(QStringLiteral(", ")));
}

} // namespace

bool PostgresDatabaseSettings::carryStatements(PostgresConnection& conn, const QString& from, const QString& to,
                                               QStringList* statements, QString* error)
{
    Settings a;
    Settings b;
    if (!read(conn, from, &a, error) || !read(conn, to, &b, error))
        return false;
    const QString db = PostgresConnection::quote(to);
    QStringList out;
    // The owner first: ALTER ... OWNER moves the old owner's grants to the new one.
    if (a.owner != b.owner) {
        out << QStringLiteral("ALTER DATABASE %1 OWNER TO %2").arg(db, role(a.owner));
        b.acl.replaceInStrings(QRegularExpression(QStringLiteral("^") + QRegularExpression::escape(b.owner) +
                                                  QStringLiteral("\x1f")),
                               a.owner + QChar(0x1f));
    }
    if (a.connectionLimit != b.connectionLimit)
        out << QStringLiteral("ALTER DATABASE %1 CONNECTION LIMIT %2").arg(db).arg(a.connectionLimit);
    if (a.comment != b.comment || a.comment.isNull() != b.comment.isNull())
        out << QStringLiteral("COMMENT ON DATABASE %1 IS %2")
                   .arg(db, a.comment.isNull() ? QStringLiteral("NULL") : PostgresConnection::literal(a.comment));
    if (a.acl != b.acl) {
        QStringList grantees;
        for (const QString& item : std::as_const(b.acl)) {
            const QString grantee = item.section(QChar(0x1f), 0, 0);
            if (!grantees.contains(grantee))
                grantees << grantee;
        }
        for (const QString& grantee : std::as_const(grantees))
            out << QStringLiteral("REVOKE ALL ON DATABASE %1 FROM %2 CASCADE").arg(db, role(grantee));
        for (const QString& item : std::as_const(a.acl)) {
            const QStringList f = item.split(QChar(0x1f));
            out << QStringLiteral("GRANT %1 ON DATABASE %2 TO %3%4")
                       .arg(f.at(1), db, role(f.at(0)),
                            f.at(2) == QLatin1String("1") ? QStringLiteral(" WITH GRANT OPTION") : QString());
        }
    }
    // Per role ("" for the database itself): only what differs is reset and set again.
    QStringList roles = a.config.keys() + b.config.keys();
    roles.removeDuplicates();
    for (const QString& r : std::as_const(roles)) {
        if (a.config.value(r) == b.config.value(r))
            continue;
        const QString target = r.isEmpty() ? QStringLiteral("ALTER DATABASE %1").arg(db)
                                           : QStringLiteral("ALTER ROLE %1 IN DATABASE %2").arg(role(r), db);
        if (b.config.contains(r))
            out << target + QStringLiteral(" RESET ALL");
        for (const QString& setting : a.config.value(r)) {
            const QString set = setClause(setting, error);
            if (set.isEmpty())
                return false;
            out << target + QLatin1Char(' ') + set;
        }
    }
    *statements = out;
    return true;
}
