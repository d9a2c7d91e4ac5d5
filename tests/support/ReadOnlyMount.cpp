#include "ReadOnlyMount.h"

#include <QProcess>

namespace {

// Runs a system command; false with its output in *error on failure.
bool runCommand(const QString& program, const QStringList& args, QString* error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(10000) || !p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("`%1 %2` failed: %3 %4")
                         .arg(program, args.join(QLatin1Char(' ')), p.errorString(),
                              QString::fromLocal8Bit(p.readAll()).trimmed());
        return false;
    }
    return true;
}

} // namespace

ReadOnlyMount::~ReadOnlyMount()
{
    if (m_mounted)
        runCommand(QStringLiteral("umount"), {m_dir.path()}, nullptr);
}

bool ReadOnlyMount::mount(QString* error, const std::function<bool(const QString& path)>& populate)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir.errorString());
        return false;
    }
    const QString options = populate ? QStringLiteral("size=1m") : QStringLiteral("ro,size=1m");
    if (!runCommand(QStringLiteral("mount"),
                    {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"), options,
                     QStringLiteral("tmpfs"), m_dir.path()},
                    error))
        return false;
    m_mounted = true;
    if (!populate)
        return true;
    if (!populate(m_dir.path())) {
        *error = QStringLiteral("populating the read-only mount failed");
        return false;
    }
    return runCommand(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("remount,ro"), m_dir.path()},
                      error);
}
