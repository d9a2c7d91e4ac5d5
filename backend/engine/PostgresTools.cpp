#include "engine/PostgresTools.h"

#include <QDir>
#include <QFileInfo>
#include "engine/PostgresPasswords.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QVersionNumber>

#include <algorithm>

QString PostgresTools::find(const QString& program, QString* error)
{
    // The newest version first: pg_dump must be at least as new as the server.
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString& a, const QString& b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString& v : std::as_const(versions)) {
        const QString path = lib.filePath(v + QStringLiteral("/bin/") + program);
        if (QFileInfo(path).isExecutable())
            return path;
    }
    const QString onPath = QStandardPaths::findExecutable(program);
    if (!onPath.isEmpty())
        return onPath;
    *error = QStringLiteral("%1 was not found (neither under /usr/lib/postgresql/*/bin nor on PATH); install "
                            "PostgreSQL's client programs (postgresql-client)")
                 .arg(program);
    return {};
}

bool PostgresTools::run(const QString& program, const QStringList& arguments, QString* error,
                        const std::function<bool()>& cancelled)
{
    const QString path = find(program, error);
    if (path.isEmpty())
        return false;
    QProcess p;
    p.setProgram(path);
    p.setArguments(arguments);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    // The server's password this process was given, in the child's environment only.
    for (const QString& a : arguments) {
        if (!a.startsWith(QLatin1String("--dbname=")))
            continue;
        const QString password = PostgresPasswords::forConninfo(a.mid(9));
        if (!password.isEmpty()) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PGPASSWORD"), password);
            p.setProcessEnvironment(env);
        }
        break;
    }
    p.start();
    if (!p.waitForStarted(30000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(path, p.errorString());
        return false;
    }
    QByteArray err;
    while (!p.waitForFinished(200)) {
        err += p.readAllStandardError();
        p.readAllStandardOutput();
        if (cancelled && cancelled()) {
            p.kill();
            p.waitForFinished(5000);
            *error = QStringLiteral("cancelled");
            return false;
        }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    err += p.readAllStandardError();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        QString text = QString::fromUtf8(err).trimmed();
        if (text.isEmpty())
            text = p.exitStatus() == QProcess::NormalExit ? QStringLiteral("exit code %1").arg(p.exitCode())
                                                          : QStringLiteral("it crashed");
        *error = QStringLiteral("%1 failed: %2").arg(program, text);
        return false;
    }
    return true;
}
