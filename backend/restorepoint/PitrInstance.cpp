#include "restorepoint/PitrInstance.h"

#include "core/TestHooks.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresTools.h"
#include "restorepoint/PgBackRest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int SocketPort = 5432; // the socket's name only: the instance listens on no TCP port

bool giveTo(const QString& path, const QString& osUser)
{
    if (::geteuid() != 0 || osUser.isEmpty())
        return true;
    const passwd* pw = ::getpwnam(osUser.toLocal8Bit().constData());
    return pw && ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

} // namespace

PitrInstance::PitrInstance(const PitrSource& source, const QString& folder)
    : m_source(source), m_folder(folder)
{
}

QString PitrInstance::dataDir() const
{
    return m_folder + QStringLiteral("/data");
}

QString PitrInstance::socketDir() const
{
    return m_folder + QStringLiteral("/socket");
}

bool PitrInstance::prepareFolder(QString* error)
{
    QString e;
    remove(&e);
    for (const QString& dir : {m_folder, dataDir(), socketDir()}) {
        if (!QDir().mkpath(dir) || ::chmod(QFile::encodeName(dir).constData(), 0700) != 0 ||
            !giveTo(dir, m_source.osUser)) {
            *error = QStringLiteral("cannot prepare %1 for the temporary instance (owner %2)")
                         .arg(dir, m_source.osUser.isEmpty() ? QStringLiteral("this user") : m_source.osUser);
            return false;
        }
    }
    return true;
}

bool PitrInstance::start(const QString& database, const QDateTime& instant, const QString& user,
                         const Cancelled& cancelled, QString* error)
{
    if (!prepareFolder(error))
        return false;
    const auto failed = [&](const QString& why) {
        *error = why;
        QString ignored;
        remove(&ignored);
        return false;
    };
    // pgBackRest's restore of that one database as of the instant (its other databases
    // come back as empty files, never opened).
    const QString target = instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + QStringLiteral("+00");
    const PgBackRest::Result restored = PgBackRest::run(
        m_source.osUser, QStringLiteral("pgbackrest"),
        PgBackRest::stanzaArguments(m_source) +
            QStringList{QStringLiteral("--pg1-path=") + dataDir(), QStringLiteral("--archive-mode=off"),
                        QStringLiteral("--db-include=") + database, QStringLiteral("--type=time"),
                        QStringLiteral("--target=") + target, QStringLiteral("--target-action=promote"),
                        QStringLiteral("restore")},
        3600000, cancelled);
    if (!restored.ok())
        return failed(QStringLiteral("pgBackRest could not restore %1 as of %2: %3")
                          .arg(database, target, restored.message()));
    // The instance's own settings: reachable through its socket only, by this machine's
    // processes (the folder is 0700), archiving nothing.
    {
        QFile hba(dataDir() + QStringLiteral("/pg_hba.conf"));
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate) || hba.write("local all all trust\n") < 0)
            return failed(QStringLiteral("cannot write %1").arg(hba.fileName()));
        hba.close();
        giveTo(hba.fileName(), m_source.osUser);
        QFile conf(dataDir() + QStringLiteral("/postgresql.conf"));
        if (!conf.exists()) {
            if (!conf.open(QIODevice::WriteOnly))
                return failed(QStringLiteral("cannot write %1").arg(conf.fileName()));
            conf.close();
            giveTo(conf.fileName(), m_source.osUser);
        }
    }
    QString e;
    const QString pgctl = PostgresTools::find(QStringLiteral("pg_ctl"), &e);
    if (pgctl.isEmpty())
        return failed(e);
    // ignore_invalid_pages: the databases --db-include left out are empty files, and the
    // WAL that touches their pages without a full image (a VACUUM's visibility records)
    // would stop the replay with "WAL contains references to invalid pages". Those
    // databases are never opened and go with the instance; the one restored comes whole
    // from the backup, and Verify checks the copy.
    const QString options = QStringLiteral("-c port=%1 -c listen_addresses='' -c unix_socket_directories='%2' "
                                           "-c archive_mode=off -c hot_standby=off -c hba_file='%3' "
                                           "-c max_wal_senders=0 -c max_replication_slots=0 "
                                           "-c ignore_invalid_pages=on")
                                .arg(SocketPort)
                                .arg(socketDir(), dataDir() + QStringLiteral("/pg_hba.conf")) +
                            QLatin1Char(' ') + QString::fromUtf8(TestHooks::pitrServerOptions());
    const PgBackRest::Result started =
        PgBackRest::run(m_source.osUser, pgctl,
                        {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_folder + QStringLiteral("/server.log"),
                         QStringLiteral("-o"), options, QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("600"),
                         QStringLiteral("start")},
                        660000, cancelled);
    m_database = DatabaseRef{};
    m_database.role = DatabaseRef::Transactional;
    m_database.driver = DatabaseRef::Postgres;
    m_database.host = socketDir();
    m_database.port = SocketPort;
    m_database.name = database;
    m_database.user = user;
    // Replay ends with the promotion; until then no connection is accepted (hot_standby off).
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 600000) {
        if (cancelled && cancelled())
            return failed(QStringLiteral("cancelled"));
        PostgresConnection c;
        QList<PostgresConnection::Row> rows;
        if (c.open(m_database, &e) && c.query(QStringLiteral("SELECT pg_is_in_recovery()"), &rows, &e) &&
            !rows.isEmpty() && !rows.first().at(0).toBool())
            return true;
        // A server that stopped (a target the archive cannot reach ends recovery with FATAL).
        if (!QFile::exists(dataDir() + QStringLiteral("/postmaster.pid")) && t.elapsed() > 1000) {
            // PostgreSQL's own reason: its FATAL or PANIC lines, else the last lines of its log.
            QFile log(m_folder + QStringLiteral("/server.log"));
            QString last;
            if (log.open(QIODevice::ReadOnly)) {
                const QList<QByteArray> lines = log.readAll().trimmed().split('\n');
                for (const QByteArray& line : lines) {
                    if (line.contains("FATAL:") || line.contains("PANIC:"))
                        last += QString::fromUtf8(line) + QLatin1Char(' ');
                }
                for (qsizetype i = std::max<qsizetype>(0, lines.size() - 3); last.isEmpty() && i < lines.size(); ++i)
                    last += QString::fromUtf8(lines.at(i)) + QLatin1Char(' ');
            }
            return failed(QStringLiteral("the temporary instance stopped before %1 was reached: %2")
                              .arg(target, last.isEmpty() ? started.message() : last.simplified()));
        }
        QThread::msleep(200);
    }
    return failed(QStringLiteral("the temporary instance did not finish replaying the WAL to %1 within 10 minutes")
                      .arg(target));
}

bool PitrInstance::remove(QString* error)
{
    if (QFile::exists(dataDir() + QStringLiteral("/postmaster.pid"))) {
        QString e;
        const QString pgctl = PostgresTools::find(QStringLiteral("pg_ctl"), &e);
        if (!pgctl.isEmpty()) {
            const PgBackRest::Result stopped =
                PgBackRest::run(m_source.osUser, pgctl,
                                {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("fast"),
                                 QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("stop")},
                                90000);
            if (!stopped.ok())
                PgBackRest::run(m_source.osUser, pgctl,
                                {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("immediate"),
                                 QStringLiteral("-w"), QStringLiteral("stop")},
                                60000);
        }
    }
    if (QFileInfo::exists(m_folder) && !QDir(m_folder).removeRecursively()) {
        *error = QStringLiteral("cannot remove %1").arg(m_folder);
        return false;
    }
    return true;
}
