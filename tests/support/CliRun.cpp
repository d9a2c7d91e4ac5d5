#include "CliRun.h"
#include "SqliteInspect.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonParseError>
#include <QThread>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace {

// Lives as long as the test process: the default catalog and log folders of every run.
QTemporaryDir& sandboxHome()
{
    static QTemporaryDir dir;
    return dir;
}

} // namespace

QStringList CliRun::errLines() const
{
    return errText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QJsonDocument CliRun::json(QString* error) const
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &parseError);
    if (error)
        *error = doc.isNull()
                     ? parseError.errorString() + QStringLiteral(" at offset ") + QString::number(parseError.offset)
                     : QString();
    return doc;
}

QString CliRun::describe() const
{
    QString status;
    if (!started)
        status = QStringLiteral("could not be started");
    else if (timedOut)
        status = QStringLiteral("timed out");
    else if (crashed)
        status = QStringLiteral("crashed");
    else
        status = QStringLiteral("exited %1").arg(exitCode);
    return QStringLiteral("`dataalm %1` %2; stderr: %3; stdout: %4")
        .arg(args.join(QLatin1Char(' ')), status, errText().trimmed(), outText().left(400).trimmed());
}

QString cliPath()
{
    return QStringLiteral(DATAALM_CLI_PATH);
}

CliRun runCli(const QStringList& args, int timeoutMs)
{
    return runCliWithInput(args, QByteArray(), timeoutMs);
}

CliRun runCliWithInput(const QStringList& args, const QByteArray& input, int timeoutMs)
{
    CliRun run;
    run.args = args;

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString home = sandboxHome().path();
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    if (!env.contains(QStringLiteral("DATAALM_STATE_DIR")))
        env.insert(QStringLiteral("DATAALM_STATE_DIR"), home + QStringLiteral("/state"));

    QProcess process;
    process.setProcessEnvironment(env);
    if (input.isEmpty())
        process.setStandardInputFile(QProcess::nullDevice());
    process.start(cliPath(), args);
    if (!process.waitForStarted(30000)) {
        run.err = process.errorString().toUtf8();
        return run;
    }
    if (!input.isEmpty()) {
        process.write(input);
        process.closeWriteChannel();
    }
    run.started = true;
    if (!process.waitForFinished(timeoutMs)) {
        run.timedOut = true;
        process.kill();
        process.waitForFinished(10000);
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    run.crashed = !run.timedOut && process.exitStatus() == QProcess::CrashExit;
    if (!run.timedOut && !run.crashed)
        run.exitCode = process.exitCode();
    if (run.exitCode == 0 && !waitForBackgroundCleanup(args, home + QStringLiteral("/data")))
        qWarning("the background cleanup after `dataalm %s` did not finish in a minute", qPrintable(args.join(QLatin1Char(' '))));
    return run;
}

bool waitForBackgroundCleanup(const QStringList& args, const QString& defaultDataHome)
{
    if (!args.contains(QStringLiteral("rollback")) && !args.contains(QStringLiteral("signoff")))
        return true;
    QString folder = defaultDataHome + QStringLiteral("/dataalm");
    for (int i = 0; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--catalog") && i + 1 < args.size())
            folder = args.at(i + 1);
        else if (args.at(i).startsWith(QLatin1String("--catalog=")))
            folder = args.at(i).mid(10);
    }
    const QString catalog = folder + QStringLiteral("/catalog.db");
    if (!QFileInfo::exists(catalog))
        return true;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 60000) {
        const QVariant left = SqliteInspect::value(
            catalog, QStringLiteral("SELECT count(*) FROM operations WHERE leftovers <> 0 AND state IN "
                                    "('RollbackCompleted', 'SignedOff')"));
        if (!left.isValid() || left.toLongLong() == 0)
            return true; // an older catalog, without the column: nothing is left in the background
        QThread::msleep(20);
    }
    return false;
}
