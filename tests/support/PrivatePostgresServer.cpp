#include "PrivatePostgresServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>

PrivatePostgresServer::PrivatePostgresServer()
    : m_bin(qEnvironmentVariable("DATAALM_TEST_PG_BIN")), m_runAs(qEnvironmentVariable("DATAALM_TEST_PG_RUNAS"))
{
}

PrivatePostgresServer::~PrivatePostgresServer()
{
    stop();
}

QString PrivatePostgresServer::url(const QString& database) const
{
    return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2").arg(m_port).arg(database);
}

bool PrivatePostgresServer::run(const QStringList& command, QString* error, int timeoutMs)
{
    QStringList argv = command;
    if (!m_runAs.isEmpty())
        argv = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), m_runAs, QStringLiteral("--")} + argv;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(argv.takeFirst(), argv);
    if (!p.waitForFinished(timeoutMs) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("%1 failed: %2").arg(command.join(QLatin1Char(' ')),
                                                         QString::fromLocal8Bit(p.readAll()).trimmed());
        return false;
    }
    return true;
}

bool PrivatePostgresServer::start(QString* error)
{
    if (m_bin.isEmpty() || !QFile::exists(m_bin + QStringLiteral("/initdb"))) {
        *error = QStringLiteral("DATAALM_TEST_PG_BIN does not name PostgreSQL's binaries: run through scripts/test");
        return false;
    }
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary folder");
        return false;
    }
    if (!m_runAs.isEmpty() && QProcess::execute(QStringLiteral("chown"), {m_runAs, m_dir.path()}) != 0) {
        *error = QStringLiteral("cannot give %1 to %2").arg(m_dir.path(), m_runAs);
        return false;
    }
    const QString data = m_dir.filePath(QStringLiteral("data"));
    if (!run({m_bin + QStringLiteral("/initdb"), QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("postgres"),
              m_passwords ? QStringLiteral("--auth-host=scram-sha-256") : QStringLiteral("--auth=trust"),
              QStringLiteral("--auth-local=trust"), QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C"),
              QStringLiteral("--no-sync")},
             error))
        return false;
    QFile conf(data + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append)) {
        *error = conf.errorString();
        return false;
    }
    conf.write(QStringLiteral("listen_addresses = '127.0.0.1'\nunix_socket_directories = '%1'\nfsync = off\n"
                              "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n")
                   .arg(m_dir.path())
                   .toUtf8());
    conf.close();
    for (int attempt = 0; attempt < 5; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            continue;
        m_port = probe.serverPort();
        probe.close();
        if (startOnPort(error))
            return true;
    }
    return false;
}

bool PrivatePostgresServer::execLocal(const QString& sql, QString* error)
{
    return run({m_bin + QStringLiteral("/psql"), QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-h"),
                m_dir.path(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
                QStringLiteral("postgres"), QStringLiteral("-d"), QStringLiteral("postgres"), QStringLiteral("-v"),
                QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), sql},
               error);
}

bool PrivatePostgresServer::startAgain(QString* error)
{
    return m_running || startOnPort(error);
}

bool PrivatePostgresServer::startOnPort(QString* error)
{
    m_running = run({m_bin + QStringLiteral("/pg_ctl"), QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")),
                     QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-o"),
                     QStringLiteral("-p %1").arg(m_port), QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                     QStringLiteral("start")},
                    error);
    return m_running;
}

bool PrivatePostgresServer::restart(QString* error)
{
    return run({m_bin + QStringLiteral("/pg_ctl"), QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")),
                QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-o"),
                QStringLiteral("-p %1").arg(m_port), QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("restart")},
               error);
}

bool PrivatePostgresServer::stop(QString* error)
{
    if (!m_running)
        return true;
    m_running = !run({m_bin + QStringLiteral("/pg_ctl"), QStringLiteral("-D"), m_dir.filePath(QStringLiteral("data")),
                QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
                     error);
    return !m_running;
}
