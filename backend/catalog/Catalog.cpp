#include "catalog/Catalog.h"

#include "catalog/CatalogMigrations.h"

#include "environment/PostgresUrl.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QSysInfo>
#include <QThread>
#include <QUuid>

#include <mutex>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace {

// 'DALM': marks a SQLite file as a DataALM catalog; on PostgreSQL, the key of the
// catalog's advisory write lock.
constexpr int ApplicationId = 0x44414C4D;

// A migration statement (written for SQLite) as PostgreSQL takes it: 64-bit integers
// and sequences, the reserved word `user` quoted, and an operation's new id (a claimed
// request, OperationStore::claim) carried to its steps.
QString forPostgres(QString sql)
{
    sql.replace(QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT"), QLatin1String("BIGSERIAL PRIMARY KEY"));
    static const QRegularExpression integer(QStringLiteral("\\bINTEGER\\b"));
    sql.replace(integer, QStringLiteral("BIGINT"));
    sql.replace(QLatin1String(" user TEXT"), QLatin1String(" \"user\" TEXT"));
    sql.replace(QLatin1String("REFERENCES operations(id) ON DELETE CASCADE"),
                QLatin1String("REFERENCES operations(id) ON DELETE CASCADE ON UPDATE CASCADE"));
    return sql;
}

// Qt binds a null QString as SQL NULL; the catalog's text columns are NOT NULL.
QVariant text(const QString& s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

QString sqlError(const QSqlQuery& q)
{
    return q.lastError().text();
}

bool exec(QSqlDatabase& db, const QString& sql, QString* error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        if (error)
            *error = sqlError(q);
        return false;
    }
    return true;
}

} // namespace

int Catalog::currentSchemaVersion()
{
    return catalogMigrations().constLast().version;
}

Catalog::Catalog()
    : m_connectionName(QStringLiteral("catalog-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Catalog::~Catalog()
{
    closeConnection();
}

void Catalog::closeConnection()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Catalog::isTeamLocation(const QString& location)
{
    return location.startsWith(QLatin1String("postgresql://")) || location.startsWith(QLatin1String("postgres://"));
}

QString Catalog::filesFolderFor(const QString& url)
{
    const QString env = qEnvironmentVariable("DATAALM_FILES");
    if (!env.isEmpty())
        return QFileInfo(env).absoluteFilePath();
    QString error;
    const auto server = PostgresUrl::parse(url, &error);
    QString name = server ? QStringLiteral("%1-%2-%3").arg(server->host).arg(server->port).arg(server->name)
                          : QStringLiteral("catalog");
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("dataalm/team/") + name);
}

bool Catalog::open(const QString& folder, QString* error, int upToVersion)
{
    closeConnection();
    if (isTeamLocation(folder)) {
        m_backend = Backend::Postgres;
        m_location = folder;
        m_folder = filesFolderFor(folder);
        if (!QDir().mkpath(m_folder)) {
            *error = QStringLiteral("Cannot create the files folder %1 of the team catalog. Set DATAALM_FILES to a "
                                    "folder you can write. Nothing was changed.")
                         .arg(m_folder);
            m_folder.clear();
            return false;
        }
        if (openTeamConnection(folder, upToVersion, error))
            return true;
        closeConnection();
        m_folder.clear();
        m_location.clear();
        return false;
    }
    m_backend = Backend::Sqlite;
    const QString absFolder = QFileInfo(folder).absoluteFilePath();
    QFileInfo info(absFolder);
    if (info.exists() && !info.isDir()) {
        *error = QStringLiteral("The catalog folder %1 is a file, not a folder. Choose a folder with --catalog.")
                     .arg(absFolder);
        return false;
    }
    if (!info.exists() && !QDir().mkpath(absFolder)) {
        // mkpath does not say why: the folder itself does.
        struct stat st;
        const QByteArray native = QFile::encodeName(absFolder);
        int why = ::stat(native.constData(), &st) == 0 ? 0 : errno;
        if (why != ELOOP)
            why = ::mkdir(native.constData(), 0700) == 0 ? 0 : errno;
        if (why == ELOOP)
            *error = QStringLiteral("The catalog folder %1 cannot be reached: a symbolic link on its path leads back "
                                    "to itself (a loop). Fix the link, or choose another folder with --catalog.")
                         .arg(absFolder);
        else
            *error = QStringLiteral("Cannot create the catalog folder %1 (%2). Check the permissions of its parent, "
                                    "or choose another folder with --catalog.")
                         .arg(absFolder, QString::fromLocal8Bit(strerror(why)));
        return false;
    }
    const QString path = QDir(absFolder).filePath(QLatin1String(FileName));
    const bool fileExists = QFileInfo::exists(path);
    if (::access(QFile::encodeName(absFolder).constData(), W_OK) != 0 ||
        (fileExists && ::access(QFile::encodeName(path).constData(), W_OK) != 0)) {
        *error = QStringLiteral("The catalog folder %1 is not writable (%2). Make it writable, or choose another "
                                "folder with --catalog. Nothing was changed.")
                     .arg(absFolder, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }

    m_folder = absFolder;
    m_location = absFolder;
    setProcessLogin(QString());
    if (openConnection(path, upToVersion, error))
        return true;

    // Refused: hold no connection. (A new file that failed to initialise is left empty: the next open
    // initialises it; deleting it could race with another process initialising the same folder.)
    closeConnection();
    m_folder.clear();
    m_location.clear();
    return false;
}

bool Catalog::openTeamConnection(const QString& url, int upToVersion, QString* error)
{
    QString why;
    const auto server = PostgresUrl::parse(url, &why);
    if (!server) {
        // Not the URL itself: it may hold the very password it is refused for.
        *error = QStringLiteral("The team catalog URL is not valid: %1").arg(why);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    if (!db.isValid()) {
        *error = QStringLiteral("This build cannot reach a PostgreSQL catalog: Qt's PostgreSQL driver (QPSQL) is not "
                                "installed (Debian: libqt6sql6-psql).");
        return false;
    }
    db.setHostName(server->host);
    db.setPort(server->port);
    db.setDatabaseName(server->name);
    db.setUserName(server->user);
    QStringList options{QStringLiteral("connect_timeout=10"), QStringLiteral("application_name=dataalm")};
    if (!server->sslMode.isEmpty())
        options << QStringLiteral("sslmode=") + server->sslMode;
    db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!db.open()) {
        *error = QStringLiteral("Cannot reach the team catalog %1: %2 Check that the server runs and that ~/.pgpass "
                                "(or PGPASSFILE, or a service file) has your password.")
                     .arg(server->location(), db.lastError().text().trimmed());
        return false;
    }
    // A database with tables but no catalog marker is someone else's: refuse it.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT (SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                               "current_schema()), to_regclass('dataalm_catalog') IS NOT NULL")) ||
        !q.next()) {
        *error = QStringLiteral("Cannot read the team catalog %1: %2").arg(server->location(), sqlError(q));
        return false;
    }
    if (q.value(0).toLongLong() > 0 && !q.value(1).toBool()) {
        *error = QStringLiteral("The database %1 holds tables but is not a DataALM catalog. Create an empty database "
                                "for the team catalog (createdb), or name another one. Nothing was changed.")
                     .arg(server->location());
        return false;
    }
    q.finish();
    // On a team catalog the user is the server's login: what the grants and policies judge.
    if (q.exec(QStringLiteral("SELECT session_user")) && q.next())
        setProcessLogin(q.value(0).toString());
    q.finish();
    return migrate(upToVersion < 0 ? currentSchemaVersion() : upToVersion, error);
}

bool Catalog::beginWrite(QString* error)
{
    QSqlDatabase db = database();
    QString e;
    if (m_backend == Backend::Sqlite) {
        if (exec(db, QStringLiteral("BEGIN IMMEDIATE"), &e))
            return true;
    } else if (exec(db, QStringLiteral("BEGIN"), &e)) {
        if (exec(db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(ApplicationId), &e))
            return true;
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
    }
    if (error)
        *error = QStringLiteral("The catalog is busy: %1").arg(e);
    return false;
}

bool Catalog::isUniqueViolation(const QSqlError& error)
{
    const QString code = error.nativeErrorCode();
    // PostgreSQL's unique_violation; SQLite's SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY.
    return code == QLatin1String("23505") || code == QLatin1String("2067") || code == QLatin1String("1555") ||
           error.text().contains(QLatin1String("UNIQUE constraint"));
}

QString Catalog::serverMessage(const QSqlError& error)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.text().trimmed();
    text = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (text.startsWith(QLatin1String("ERROR:")))
        text = text.mid(6).trimmed();
    static const QRegularExpression code(QStringLiteral(R"(\s*\([0-9A-Z]{5}\)\s*$)"));
    text.remove(code);
    if (!text.isEmpty()) {
        text[0] = text.at(0).toUpper();
        if (!text.endsWith(QLatin1Char('.')))
            text += QLatin1Char('.');
    }
    return text;
}

bool Catalog::openConnection(const QString& path, int upToVersion, QString* error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        *error = QStringLiteral("Cannot open the catalog %1: %2").arg(path, db.lastError().text());
        return false;
    }
    // Reading the header and the schema finds a file that is damaged or not a database.
    QSqlQuery q(db);
    int appId = 0;
    int objects = 0;
    if (q.exec(QStringLiteral("PRAGMA application_id")) && q.next()) {
        appId = q.value(0).toInt();
        if (q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && q.next())
            objects = q.value(0).toInt();
    }
    if (q.lastError().isValid()) {
        *error = QStringLiteral("The file %1 is not a DataALM catalog (%2). It may be damaged: move it aside and "
                                "restore a backup, or choose another folder with --catalog. Nothing was changed.")
                     .arg(path, sqlError(q));
        return false;
    }
    if (appId != ApplicationId && !(appId == 0 && objects == 0)) {
        *error = QStringLiteral("The file %1 is a SQLite database but not a DataALM catalog. Move it aside, or choose "
                                "another folder with --catalog. Nothing was changed.")
                     .arg(path);
        return false;
    }
    q.finish(); // an open read statement would keep the journal mode from changing
    exec(db, QStringLiteral("PRAGMA foreign_keys = ON"), nullptr);
    return migrate(upToVersion < 0 ? currentSchemaVersion() : upToVersion, error);
}

bool Catalog::migrate(int upToVersion, QString* error)
{
    QSqlDatabase db = database();
    const int latest = currentSchemaVersion();
    const auto refuseNewer = [&](int version) {
        *error = QStringLiteral("The catalog %1 has schema version %2, written by a newer DataALM; this build "
                                "(%3) understands versions up to %4. Install a newer DataALM. Nothing was changed.")
                     .arg(databasePath())
                     .arg(version)
                     .arg(QStringLiteral(DATAALM_VERSION))
                     .arg(latest);
        return false;
    };
    int version = schemaVersion();
    if (version > latest)
        return refuseNewer(version);
    if (version >= upToVersion)
        return true;

    if (!beginWrite(error)) {
        *error = QStringLiteral("Cannot upgrade the catalog %1: %2").arg(databasePath(), *error);
        return false;
    }
    if (isTeam() && !exec(db, QStringLiteral("CREATE TABLE IF NOT EXISTS dataalm_catalog (version BIGINT NOT NULL)"),
                          error)) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        *error = QStringLiteral("Cannot initialise the team catalog %1: %2").arg(databasePath(), *error);
        return false;
    }
    // Another process (the console, a second CLI) may have initialised or upgraded the catalog while this
    // one waited for the lock: read the version again under it.
    version = schemaVersion();
    if (version > latest || version >= upToVersion) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        return version > latest ? refuseNewer(version) : true;
    }
    for (const auto& m : catalogMigrations()) {
        if (m.version <= version || m.version > upToVersion)
            continue;
        QStringList statements = m.statements;
        if (isTeam())
            statements += m.postgresOnly;
        for (const auto& statement : std::as_const(statements)) {
            QString e;
            if (!exec(db, isTeam() ? forPostgres(statement) : statement, &e)) {
                exec(db, QStringLiteral("ROLLBACK"), nullptr);
                *error = QStringLiteral("Upgrading the catalog to version %1 (%2) failed: %3. The catalog was left "
                                        "as it was.")
                             .arg(m.version)
                             .arg(QLatin1String(m.description), e);
                return false;
            }
        }
    }
    if (isTeam()) {
        exec(db, QStringLiteral("DELETE FROM dataalm_catalog"), nullptr);
        exec(db, QStringLiteral("INSERT INTO dataalm_catalog (version) VALUES (%1)").arg(upToVersion), nullptr);
    } else {
        exec(db, QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId), nullptr);
        exec(db, QStringLiteral("PRAGMA user_version = %1").arg(upToVersion), nullptr);
    }
    QString e;
    if (!exec(db, QStringLiteral("COMMIT"), &e)) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        *error = QStringLiteral("Cannot commit the catalog upgrade: %1").arg(e);
        return false;
    }
    // WAL lets the console read while an operation writes from another thread or process. Set only once
    // the catalog is initialised, so that a refused file keeps its journal mode.
    if (version == 0 && !isTeam())
        exec(db, QStringLiteral("PRAGMA journal_mode = WAL"), nullptr);
    if (version > 0)
        spdlog::info("catalog {} upgraded from schema {} to {}", databasePath().toStdString(), version, upToVersion);
    return true;
}

bool Catalog::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) && database().isOpen();
}

QString Catalog::databasePath() const
{
    return isTeam() ? m_location : QDir(m_folder).filePath(QLatin1String(FileName));
}

int Catalog::schemaVersion() const
{
    QSqlQuery q(database());
    if (isTeam()) {
        if (!q.exec(QStringLiteral("SELECT CASE WHEN to_regclass('dataalm_catalog') IS NULL THEN 0 ELSE "
                                   "(SELECT coalesce(max(version), 0) FROM dataalm_catalog) END")) ||
            !q.next())
            return -1;
        return q.value(0).toInt();
    }
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

bool Catalog::listen(const QString& channel, const std::function<void(const QString& payload)>& heard)
{
    if (!isTeam() || !isOpen())
        return false;
    QSqlDriver* driver = database().driver();
    if (!driver->subscribeToNotification(channel))
        return false;
    m_listeners.append({channel, heard});
    QObject::connect(driver, &QSqlDriver::notification, driver,
                     [channel, heard](const QString& name, QSqlDriver::NotificationSource, const QVariant& payload) {
                         if (name == channel)
                             heard(payload.toString());
                     });
    return true;
}

bool Catalog::ensureConnected(int waitMs)
{
    if (!isTeam())
        return isOpen();
    if (isOpen()) {
        QSqlQuery probe(database());
        if (probe.exec(QStringLiteral("SELECT 1")))
            return true;
    }
    const QString location = m_location;
    const QList<Listener> listeners = m_listeners;
    const QString folder = m_folder;
    QElapsedTimer waited;
    waited.start();
    for (int pause = 250;; pause = std::min(pause * 2, 4000)) {
        closeConnection();
        m_connectionName = QStringLiteral("catalog-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
        QString error;
        if (openTeamConnection(location, -1, &error))
            break;
        spdlog::warn("the team catalog does not answer: {}", error.toStdString());
        if (waited.elapsed() + pause > waitMs) {
            closeConnection();
            m_location = location; // what the next attempt opens
            m_folder = folder;
            m_listeners = listeners;
            return false;
        }
        QThread::msleep(pause);
    }
    m_folder = folder;
    m_location = location;
    m_listeners.clear();
    for (const Listener& l : listeners)
        listen(l.channel, l.heard);
    ++m_changes; // what changed meanwhile was not heard: read again
    spdlog::info("reconnected to the team catalog {}", location.toStdString());
    return true;
}

qint64 Catalog::dataVersion() const
{
    if (isTeam()) {
        if (!m_listening) {
            m_listening = const_cast<Catalog*>(this)->listen(QStringLiteral("dataalm_changes"),
                                                               [this](const QString&) { ++m_changes; });
            ++m_changes; // a first read
        }
        return (m_changes << 32) + QDateTime::currentSecsSinceEpoch() / 30;
    }
    QSqlQuery q(database());
    if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QSqlDatabase Catalog::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

QList<Project> Catalog::projects() const
{
    QList<Project> result;
    QSqlQuery q(database());
    q.exec(QStringLiteral("SELECT id, name, policy_path FROM projects ORDER BY id"));
    while (q.next())
        result.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
    return result;
}

std::optional<Project> Catalog::project(const QString& id) const
{
    for (const auto& p : projects()) {
        if (p.id == id)
            return p;
    }
    return std::nullopt;
}

bool Catalog::addProject(const Project& project, QString* error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO projects (id, name, policy_path, created) VALUES (?, ?, ?, ?)"));
    q.addBindValue(project.id);
    q.addBindValue(project.name);
    q.addBindValue(text(project.policyPath));
    q.addBindValue(now());
    if (!q.exec()) {
        *error = QStringLiteral("Cannot add project %1: %2").arg(project.id, sqlError(q));
        return false;
    }
    audit(QStringLiteral("project.add"), project.id);
    return true;
}

bool Catalog::setProjectPolicy(const QString& projectId, const QString& policyPath, QString* error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE projects SET policy_path = ? WHERE id = ?"));
    q.addBindValue(text(policyPath));
    q.addBindValue(projectId);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("Unknown project %1.").arg(projectId);
        return false;
    }
    audit(QStringLiteral("project.policy"), projectId, policyPath.isEmpty() ? QStringLiteral("default") : policyPath);
    return true;
}

static const char* EnvironmentColumns = "id, project_id, name, type, tenant, admin, application, platform, "
                                        "financial_reporting, commerce, protected";

Environment Catalog::environmentFromQuery(const QSqlQuery& q, bool* complete) const
{
    Environment e;
    e.id = q.value(0).toString();
    e.projectId = q.value(1).toString();
    e.name = q.value(2).toString();
    e.type = environmentTypeFromId(q.value(3).toString()).value_or(EnvironmentType::Sandbox);
    e.tenant = q.value(4).toString();
    e.admin = q.value(5).toString();
    e.versions.application = q.value(6).toString();
    e.versions.platform = q.value(7).toInt();
    e.versions.financialReporting = q.value(8).toString();
    e.versions.commerce = q.value(9).toString();
    e.markedProtected = q.value(10).toInt() != 0;

    QSqlQuery d(database());
    d.prepare(QStringLiteral("SELECT role, driver, path, host, port, name, \"user\", sslmode FROM environment_databases "
                             "WHERE environment_id = ? ORDER BY role DESC"));
    d.addBindValue(e.id);
    // A connection dropped between the two reads is not an environment without databases:
    // an agent would refuse every operation that names them.
    *complete = d.exec();
    while (d.next()) {
        DatabaseRef db;
        db.role = d.value(0).toString();
        db.driver = d.value(1).toString();
        db.path = d.value(2).toString();
        db.host = d.value(3).toString();
        db.port = d.value(4).toInt();
        db.name = d.value(5).toString();
        db.user = d.value(6).toString();
        db.sslMode = d.value(7).toString();
        e.databases.append(db);
    }
    e.state = derivedState(e.id);
    return e;
}

QString Catalog::derivedState(const QString& environmentId) const
{
    // Two index lookups, whatever the history's length: a running operation (the index
    // on target and state), and the newest one (the index on target and id).
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT EXISTS (SELECT 1 FROM operations WHERE target = ? AND state IN ('InProgress', "
                             "'RollbackInProgress')), (SELECT state FROM operations WHERE target = ? ORDER BY id DESC "
                             "LIMIT 1)"));
    q.addBindValue(environmentId);
    q.addBindValue(environmentId);
    if (!q.exec() || !q.next())
        return QStringLiteral("Deployed");
    if (q.value(0).toInt() != 0)
        return QStringLiteral("Servicing");
    const QString latest = q.value(1).toString();
    if (latest == QLatin1String("Failed") || latest == QLatin1String("RollbackFailed"))
        return QStringLiteral("Failed");
    return QStringLiteral("Deployed");
}

QStringList Catalog::environmentIdsUsing(const QString& driver) const
{
    QStringList ids;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT DISTINCT environment_id FROM environment_databases WHERE driver = ? ORDER BY "
                             "environment_id"));
    q.addBindValue(driver);
    if (q.exec()) {
        while (q.next())
            ids << q.value(0).toString();
    }
    return ids;
}

QList<Environment> Catalog::environments(const QString& projectId) const
{
    QList<Environment> result;
    QSqlQuery q(database());
    const QString base = QStringLiteral("SELECT %1 FROM environments").arg(QLatin1String(EnvironmentColumns));
    // Production first, then sandboxes, then dev/test: the order of LCS's project page.
    const QString order = QStringLiteral(" ORDER BY project_id, CASE type WHEN 'production' THEN 0 WHEN 'sandbox' "
                                         "THEN 1 ELSE 2 END, id");
    if (projectId.isEmpty()) {
        q.exec(base + order);
    } else {
        q.prepare(base + QStringLiteral(" WHERE project_id = ?") + order);
        q.addBindValue(projectId);
        q.exec();
    }
    while (q.next()) {
        bool complete = false;
        result.append(environmentFromQuery(q, &complete));
        if (!complete)
            return {};
    }
    return result;
}

std::optional<Environment> Catalog::environment(const QString& id) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT %1 FROM environments WHERE id = ?").arg(QLatin1String(EnvironmentColumns)));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    bool complete = false;
    Environment e = environmentFromQuery(q, &complete);
    if (!complete)
        return std::nullopt;
    return e;
}

static bool writeDatabases(QSqlDatabase db, const Environment& e, QString* error)
{
    QSqlQuery del(db);
    del.prepare(QStringLiteral("DELETE FROM environment_databases WHERE environment_id = ?"));
    del.addBindValue(e.id);
    if (!del.exec()) {
        *error = del.lastError().text();
        return false;
    }
    for (const auto& d : e.databases) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO environment_databases (environment_id, role, driver, path, host, port, "
                                 "name, \"user\", sslmode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant& v : {text(e.id), text(d.role), text(d.driver), text(d.path), text(d.host),
                                  QVariant(d.port), text(d.name), text(d.user), text(d.sslMode)})
            q.addBindValue(v);
        if (!q.exec()) {
            *error = QStringLiteral("database %1: %2").arg(d.role, q.lastError().text());
            return false;
        }
    }
    return true;
}

bool Catalog::addEnvironment(const Environment& e, QString* error)
{
    QSqlDatabase db = database();
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO environments (id, project_id, name, type, tenant, admin, application, "
                             "platform, financial_reporting, commerce, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant& v :
         {text(e.id), text(e.projectId), text(e.name), text(environmentTypeId(e.type)), text(e.tenant),
          text(e.admin), text(e.versions.application), QVariant(e.versions.platform),
          text(e.versions.financialReporting), text(e.versions.commerce), text(now())})
        q.addBindValue(v);
    QString e2;
    if (!q.exec()) {
        db.rollback();
        const bool duplicate = isUniqueViolation(q.lastError());
        *error = duplicate ? QStringLiteral("An environment with id %1 already exists.").arg(e.id)
                           : QStringLiteral("Cannot add environment %1: %2").arg(e.id, sqlError(q));
        return false;
    }
    if (!writeDatabases(db, e, &e2)) {
        db.rollback();
        *error = QStringLiteral("Cannot add environment %1: %2").arg(e.id, e2);
        return false;
    }
    db.commit();
    audit(QStringLiteral("environment.add"), e.id, environmentTypeId(e.type));
    return true;
}

bool Catalog::updateEnvironment(const Environment& e, QString* error, const std::function<QString()>& check)
{
    QSqlDatabase db = database();
    // BEGIN IMMEDIATE takes the write lock before `check` reads: no operation can start
    // (OperationStore::create takes the same lock) between the check and the change.
    if (!beginWrite(error))
        return false;
    if (check) {
        const QString refusal = check();
        if (!refusal.isEmpty()) {
            exec(db, QStringLiteral("ROLLBACK"), nullptr);
            *error = refusal;
            return false;
        }
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE environments SET project_id = ?, name = ?, type = ?, tenant = ?, admin = ?, "
                             "application = ?, platform = ?, financial_reporting = ?, commerce = ? WHERE id = ?"));
    for (const QVariant& v :
         {text(e.projectId), text(e.name), text(environmentTypeId(e.type)), text(e.tenant), text(e.admin),
          text(e.versions.application), QVariant(e.versions.platform), text(e.versions.financialReporting),
          text(e.versions.commerce), text(e.id)})
        q.addBindValue(v);
    QString e2;
    if (!q.exec() || q.numRowsAffected() != 1 || !writeDatabases(db, e, &e2)) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        *error = QStringLiteral("Cannot update environment %1: %2").arg(e.id, e2.isEmpty() ? sqlError(q) : e2);
        return false;
    }
    if (!exec(db, QStringLiteral("COMMIT"), &e2)) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        *error = QStringLiteral("Cannot update environment %1: %2").arg(e.id, e2);
        return false;
    }
    audit(QStringLiteral("environment.edit"), e.id);
    return true;
}

bool Catalog::removeEnvironment(const QString& id, QString* error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("DELETE FROM environments WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("Unknown environment %1.").arg(id);
        return false;
    }
    // Its restore points can no longer be restored (their environment is gone): they
    // expire now, and the next sweep (RestorePointService) removes them.
    QSqlQuery r(database());
    r.prepare(QStringLiteral("UPDATE restore_points SET expires = ? WHERE environment_id = ? AND expires > ?"));
    r.addBindValue(now());
    r.addBindValue(id);
    r.addBindValue(now());
    r.exec();
    audit(QStringLiteral("environment.remove"), id);
    return true;
}

bool Catalog::setEnvironmentVersions(const QString& id, const EnvironmentVersions& v, QString* error)
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE environments SET application = ?, platform = ?, financial_reporting = ?, "
                             "commerce = ? WHERE id = ?"));
    q.addBindValue(v.application);
    q.addBindValue(v.platform);
    q.addBindValue(text(v.financialReporting));
    q.addBindValue(text(v.commerce));
    q.addBindValue(id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = QStringLiteral("Cannot update the versions of %1: %2").arg(id, sqlError(q));
        return false;
    }
    return true;
}

PitrSource Catalog::pitrSource(const QString& environmentId) const
{
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT stanza, config, os_user FROM pitr_sources WHERE environment_id = ?"));
    q.addBindValue(environmentId);
    if (q.exec() && q.next())
        return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
    return {};
}

bool Catalog::setPitrSource(const QString& environmentId, const PitrSource& source, QString* error)
{
    QSqlQuery q(database());
    if (!source.isSet()) {
        q.prepare(QStringLiteral("DELETE FROM pitr_sources WHERE environment_id = ?"));
        q.addBindValue(environmentId);
    } else {
        q.prepare(QStringLiteral("INSERT INTO pitr_sources (environment_id, stanza, config, os_user) VALUES (?, ?, ?, ?) "
                                 "ON CONFLICT (environment_id) DO UPDATE SET stanza = excluded.stanza, "
                                 "config = excluded.config, os_user = excluded.os_user"));
        q.addBindValue(environmentId);
        q.addBindValue(source.stanza);
        q.addBindValue(text(source.config));
        q.addBindValue(text(source.osUser));
    }
    if (!q.exec()) {
        *error = QStringLiteral("Cannot record where %1 archives its WAL: %2").arg(environmentId, sqlError(q));
        return false;
    }
    audit(QStringLiteral("environment.pitr"), environmentId, source.stanza);
    return true;
}

void Catalog::audit(const QString& action, const QString& subject, const QString& detail)
{
    QSqlQuery q(database());
    // On a team catalog the server sets who, the role and the client's address (the host
    // given here is kept beside it).
    q.prepare(QStringLiteral("INSERT INTO audit (at, who, action, subject, detail, host) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(now());
    q.addBindValue(currentUser());
    q.addBindValue(action);
    q.addBindValue(text(subject));
    q.addBindValue(text(detail));
    q.addBindValue(QSysInfo::machineHostName());
    if (!q.exec())
        spdlog::warn("cannot write the audit trail: {}", sqlError(q).toStdString());
}

QList<Catalog::AuditEntry> Catalog::auditTrail(int limit) const
{
    QList<AuditEntry> result;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("SELECT at, who, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    q.exec();
    while (q.next()) {
        result.append({QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs), q.value(1).toString(),
                       q.value(2).toString(), q.value(3).toString(), q.value(4).toString()});
    }
    return result;
}

namespace {
std::mutex g_loginMutex;
QString g_login;
} // namespace

void Catalog::setProcessLogin(const QString& login)
{
    std::lock_guard lock(g_loginMutex);
    g_login = login;
}

QString Catalog::currentUser()
{
    {
        std::lock_guard lock(g_loginMutex);
        if (!g_login.isEmpty())
            return g_login;
    }
    const QByteArray env = qgetenv("USER");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    if (const passwd* pw = getpwuid(getuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("unknown");
}

QString Catalog::now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}
