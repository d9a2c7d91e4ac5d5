#include "apply/RestorePoint.h"

#include "engine/SqliteConnection.h"
#include "engine/SqliteEngine.h"

#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(strerror(errno));
}

void syncDirectory(const QString& dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

bool copySqliteFile(const DatabaseRef& target, const DatabaseRef& restorePoint,
                    const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled,
                    QString* error)
{
    const QString part = RestorePoint::partPath(restorePoint);
    QFile::remove(part);
    QString e;
    // The file alone must be the database: checkpoint, then hold a read transaction
    // begun on an empty WAL (it reads the file alone and keeps every checkpoint from
    // writing to it). A writer slipping in between is waited out.
    SqliteConnection lock;
    for (int attempt = 0;; ++attempt) {
        if (!SqliteEngine::quiesce(target.path, &e) || !lock.open(target.path, SqliteConnection::ReadOnly, &e)) {
            *error = e;
            return false;
        }
        if (!lock.exec(QStringLiteral("BEGIN"), &e) ||
            !lock.scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema"), &e).isValid()) {
            *error = QStringLiteral("cannot lock %1: %2").arg(target.path, e);
            return false;
        }
        if (QFileInfo(target.path + QStringLiteral("-wal")).size() == 0)
            break;
        lock.close();
        if (attempt == 5) {
            *error = QStringLiteral("%1 is being written by another program; stop it and try again").arg(target.path);
            return false;
        }
        QThread::msleep(100);
    }

    QFile in(target.path);
    QFile out(part);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(target.path, in.errorString());
        return false;
    }
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot write %1: %2").arg(part, out.errorString());
        return false;
    }
    auto fail = [&](const QString& why) {
        *error = why;
        out.close();
        QFile::remove(part);
        return false;
    };
    const qint64 total = in.size();
    qint64 done = 0;
    QByteArray buffer(4 * 1024 * 1024, Qt::Uninitialized);
    while (true) {
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(QStringLiteral("cannot read %1: %2").arg(target.path, in.errorString()));
        if (n == 0)
            break;
        if (out.write(buffer.constData(), n) != n)
            return fail(QStringLiteral("cannot write %1: %2").arg(part, out.errorString()));
        done += n;
        if (progress)
            progress(done, total, done);
        if (cancelled && cancelled())
            return fail(QStringLiteral("cancelled"));
    }
    if (!out.flush() || ::fsync(out.handle()) != 0)
        return fail(QStringLiteral("cannot write %1: %2").arg(part, errnoText()));
    out.close();
    lock.close();
    if (::rename(QFile::encodeName(part).constData(), QFile::encodeName(restorePoint.path).constData()) != 0) {
        *error = QStringLiteral("cannot keep %1 as the restore point: %2").arg(part, errnoText());
        QFile::remove(part);
        return false;
    }
    syncDirectory(QFileInfo(restorePoint.path).absolutePath());
    return true;
}

} // namespace

namespace RestorePoint {

QString partPath(const DatabaseRef& restorePoint)
{
    return restorePoint.path + QStringLiteral(".part");
}

bool create(DatabaseEngine& engine, const DatabaseRef& target, const DatabaseRef& restorePoint,
            const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled, QString* error)
{
    QString e;
    if (!engine.drop(restorePoint, &e)) {
        *error = e;
        return false;
    }
    if (target.isSqlite())
        return copySqliteFile(target, restorePoint, progress, cancelled, error);
    return engine.copySnapshot(target, restorePoint, progress, cancelled, error);
}

} // namespace RestorePoint
