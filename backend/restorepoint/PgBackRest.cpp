#include "restorepoint/PgBackRest.h"

#include "catalog/Catalog.h"
#include "engine/PostgresConnection.h"
#include "environment/Environment.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <unistd.h>

QString PgBackRest::Result::message() const
{
    QByteArray text = err.trimmed().isEmpty() ? out.trimmed() : err.trimmed();
    QList<QByteArray> lines = text.split('\n');
    while (lines.size() > 4)
        lines.removeFirst();
    return QString::fromUtf8(lines.join(' ')).simplified();
}

PgBackRest::Result PgBackRest::run(const QString& osUser, const QString& program, const QStringList& arguments,
                                   int timeoutMs, const Cancelled& cancelled)
{
    Result r;
    QString path = program.startsWith(QLatin1Char('/')) ? program : QStandardPaths::findExecutable(program);
    if (path.isEmpty()) {
        r.err = QStringLiteral("%1 is not installed (Debian: apt-get install %1)").arg(program).toUtf8();
        return r;
    }
    QProcess p;
    if (::geteuid() == 0 && !osUser.isEmpty()) {
        p.setProgram(QStringLiteral("runuser"));
        p.setArguments(QStringList{QStringLiteral("-u"), osUser, QStringLiteral("--"), path} + arguments);
    } else {
        p.setProgram(path);
        p.setArguments(arguments);
    }
    p.setStandardInputFile(QProcess::nullDevice());
    // A folder every user can enter: runuser keeps this process's one.
    p.setWorkingDirectory(QStringLiteral("/"));
    p.start();
    if (!p.waitForStarted(30000)) {
        r.err = QStringLiteral("cannot start %1: %2").arg(path, p.errorString()).toUtf8();
        return r;
    }
    r.started = true;
    QElapsedTimer t;
    t.start();
    while (!p.waitForFinished(200)) {
        r.out += p.readAllStandardOutput();
        r.err += p.readAllStandardError();
        if ((cancelled && cancelled()) || t.elapsed() > timeoutMs) {
            p.kill();
            p.waitForFinished(5000);
            r.err += (cancelled && cancelled()) ? QByteArrayLiteral("\ncancelled")
                                                : QByteArrayLiteral("\ntimed out");
            return r;
        }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    r.out += p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

QStringList PgBackRest::stanzaArguments(const PitrSource& source)
{
    QStringList args;
    if (!source.config.isEmpty())
        args << QStringLiteral("--config=") + source.config;
    args << QStringLiteral("--stanza=") + source.stanza;
    return args;
}

QString PgBackRest::setupHelp(const QString& environmentId)
{
    return QStringLiteral("To restore %1 to an instant, its server must archive its WAL with pgBackRest: set "
                          "archive_mode = on and archive_command = 'pgbackrest --stanza=NAME archive-push %p', run "
                          "pgbackrest --stanza=NAME stanza-create and a first backup, then dataalm env pitr %1 "
                          "--stanza NAME [--config FILE] [--os-user postgres].")
        .arg(environmentId);
}

std::optional<PgBackRest::Window> PgBackRest::window(const PitrSource& source, QString* error)
{
    const Result r = run(source.osUser, QStringLiteral("pgbackrest"),
                         stanzaArguments(source) + QStringList{QStringLiteral("--output=json"), QStringLiteral("info")},
                         60000);
    if (!r.ok()) {
        *error = QStringLiteral("pgBackRest cannot read stanza %1: %2").arg(source.stanza, r.message());
        return std::nullopt;
    }
    const QJsonArray stanzas = QJsonDocument::fromJson(r.out).array();
    if (stanzas.isEmpty()) {
        *error = QStringLiteral("pgBackRest knows no stanza %1").arg(source.stanza);
        return std::nullopt;
    }
    const QJsonObject stanza = stanzas.first().toObject();
    const QJsonObject status = stanza.value(QStringLiteral("status")).toObject();
    if (status.value(QStringLiteral("code")).toInt(-1) != 0) {
        *error = QStringLiteral("stanza %1 is not usable: %2")
                     .arg(source.stanza, status.value(QStringLiteral("message")).toString());
        return std::nullopt;
    }
    qint64 oldest = -1;
    for (const QJsonValue& b : stanza.value(QStringLiteral("backup")).toArray()) {
        if (b.toObject().value(QStringLiteral("error")).toBool())
            continue;
        const qint64 stop =
            b.toObject().value(QStringLiteral("timestamp")).toObject().value(QStringLiteral("stop")).toInteger(-1);
        if (stop > 0 && (oldest < 0 || stop < oldest))
            oldest = stop;
    }
    if (oldest < 0) {
        *error = QStringLiteral("stanza %1 has no backup yet: run pgbackrest --stanza=%1 backup").arg(source.stanza);
        return std::nullopt;
    }
    // The stop stamp is whole seconds, taken just before the backup is consistent.
    return Window{QDateTime::fromSecsSinceEpoch(oldest + 2, Qt::UTC), QDateTime::currentDateTimeUtc()};
}

bool PgBackRest::seal(const DatabaseRef& live, int timeoutMs, QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.open(live, &e)) {
        *error = QStringLiteral("cannot reach %1 to archive its WAL up to now: %2").arg(live.location(), e);
        return false;
    }
    QList<PostgresConnection::Row> rows;
    // A commit after the instant to restore to, then its WAL segment closed.
    if (!c.query(QStringLiteral("SELECT pg_current_xact_id()::text"), &rows, &e) ||
        !c.query(QStringLiteral("SELECT pg_walfile_name(pg_switch_wal())"), &rows, &e) || rows.isEmpty()) {
        *error = QStringLiteral("cannot switch %1's WAL (the role needs pg_switch_wal()): %2").arg(live.location(), e);
        return false;
    }
    const QString segment = rows.first().at(0).toString();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QList<PostgresConnection::Row> archived;
        if (c.query(QStringLiteral("SELECT COALESCE(last_archived_wal, '') FROM pg_stat_archiver"), &archived, &e) &&
            !archived.isEmpty() && archived.first().at(0).toString() >= segment)
            return true;
        QThread::msleep(100);
    }
    *error = QStringLiteral("%1 did not archive WAL segment %2 within %3 s: is its archive_command working?")
                 .arg(live.location(), segment)
                 .arg(timeoutMs / 1000);
    return false;
}

QString PgBackRest::instantRefusal(const Catalog& catalog, const Environment& source, const Environment& target,
                                       const QDateTime& instant)
{
    if (target.type == EnvironmentType::Production)
        return QStringLiteral("%1 is a production environment; a point-in-time restore replaces a sandbox's or a "
                              "dev/test environment's database, never production's.")
            .arg(target.id);
    if (source.id != target.id && (source.type != EnvironmentType::Production || target.type != EnvironmentType::Sandbox))
        return QStringLiteral("Only production goes into another environment, and only into a sandbox (Point-in-time "
                              "restore production to sandbox); %1 is a %2 environment and %3 a %4 one.")
            .arg(source.id, environmentTypeTitle(source.type).toLower(), target.id,
                 environmentTypeTitle(target.type).toLower());
    const DatabaseRef* from = source.database(DatabaseRef::Transactional);
    const DatabaseRef* into = target.database(DatabaseRef::Transactional);
    if (!from || !into || !from->isPostgres() || !into->isPostgres())
        return QStringLiteral("A restore to an instant needs PostgreSQL on both sides (pgBackRest archives a server's "
                              "WAL); restore a SQLite environment from one of its restore points instead.");
    const PitrSource pitr = catalog.pitrSource(source.id);
    if (!pitr.isSet())
        return setupHelp(source.id);
    QString e;
    const std::optional<Window> span = PgBackRest::window(pitr, &e);
    if (!span)
        return QStringLiteral("%1 %2").arg(e, setupHelp(source.id));
    if (!instant.isValid() || instant < span->earliest || instant > span->latest)
        return QStringLiteral("%1 can be restored to an instant from %2 to %3 UTC (stanza %4); %5 is outside that "
                              "window.")
            .arg(source.id, span->earliest.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 span->latest.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), pitr.stanza,
                 instant.isValid() ? instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC")
                                   : QStringLiteral("the instant given"));
    return {};
}

