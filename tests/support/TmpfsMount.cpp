#include "TmpfsMount.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <sys/statvfs.h>

namespace {

bool run(const QString& program, const QStringList& args, QString* error)
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

// Copies the plain files of `from` into `to` (no sub-folders: the environment folders have none).
bool copyFiles(const QString& from, const QString& to, QString* error)
{
    const QDir src(from);
    for (const QString& name : src.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        const QString target = QDir(to).filePath(name);
        QFile::remove(target);
        if (!QFile::copy(src.filePath(name), target)) {
            if (error)
                *error = QStringLiteral("cannot copy %1 to %2").arg(src.filePath(name), to);
            return false;
        }
    }
    return true;
}

bool removeFiles(const QString& folder)
{
    const QDir dir(folder);
    bool ok = true;
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System))
        ok = QFile::remove(dir.filePath(name)) && ok;
    return ok;
}

} // namespace

TmpfsMount::~TmpfsMount()
{
    unmount(nullptr);
}

bool TmpfsMount::mount(const QString& folder, qint64 bytes, QString* error)
{
    m_folder = QDir(folder).absolutePath();
    m_aside = m_folder + QStringLiteral(".aside");
    QDir().mkpath(m_aside);
    if (!copyFiles(m_folder, m_aside, error))
        return false;
    if (!run(QStringLiteral("mount"),
             {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"), QStringLiteral("size=%1").arg(bytes),
              QStringLiteral("tmpfs"), m_folder},
             error)) {
        QDir(m_aside).removeRecursively();
        return false;
    }
    m_mounted = true;
    if (!copyFiles(m_aside, m_folder, error))
        return false;
    removeFiles(m_aside);
    return true;
}

bool TmpfsMount::remountReadOnly(QString* error)
{
    return run(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("remount,ro"), m_folder}, error);
}

bool TmpfsMount::unmount(QString* error)
{
    if (!m_mounted)
        return true;
    // Keep what the mount holds now: the test may look at it after unmounting.
    if (!copyFiles(m_folder, m_aside, error))
        return false;
    if (!run(QStringLiteral("umount"), {m_folder}, error) &&
        !run(QStringLiteral("umount"), {QStringLiteral("-l"), m_folder}, error))
        return false;
    m_mounted = false;
    removeFiles(m_folder);
    const bool ok = copyFiles(m_aside, m_folder, error);
    QDir(m_aside).removeRecursively();
    return ok;
}

qint64 TmpfsMount::freeBytes() const
{
    struct statvfs s
    {
    };
    if (::statvfs(QFile::encodeName(m_folder).constData(), &s) != 0)
        return -1;
    return qint64(s.f_bavail) * qint64(s.f_frsize);
}
