#include "engine/SqliteEngine.h"
#include "engine/SqliteSchema.h"
#include "engine/SqliteSearchFunction.h"

#include "engine/SqliteScript.h"

#include "core/TestHooks.h"
#include "engine/SqliteConnection.h"
#include "policy/DataPolicy.h"
#include "engine/SqliteStatement.h"
#include "policy/PolicyStatement.h"
#include "engine/SqlitePolicyApplier.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QUrl>

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace {

QByteArray native(const QString& path)
{
    return QFile::encodeName(path);
}

bool fileExists(const QString& path)
{
    return ::access(native(path).constData(), F_OK) == 0;
}

// Makes a rename or link in `dir` durable.
void syncDirectory(const QString& dir)
{
    const int fd = ::open(native(dir).constData(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void syncFile(const QString& path)
{
    const int fd = ::open(native(path).constData(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

QString errnoText()
{
    return QString::fromLocal8Bit(strerror(errno));
}

bool removeFile(const QString& path, QString* error)
{
    if (::unlink(native(path).constData()) != 0 && errno != ENOENT) {
        if (error)
            *error = QStringLiteral("cannot remove %1: %2").arg(path, errnoText());
        return false;
    }
    return true;
}

// The -wal and -shm files belong to the database file they were opened with; after a
// rename they must not be applied to a different database.
void removeSidecars(const QString& path)
{
    removeFile(path + QStringLiteral("-wal"), nullptr);
    removeFile(path + QStringLiteral("-shm"), nullptr);
    removeFile(path + QStringLiteral("-journal"), nullptr);
}

// Every table of `db`'s main schema (SQLite's own tables aside) with its row count, in
// the connection's current transaction if it holds one; with `only`, the tables not
// named there (without case, as SQLite compares names) get a null count.
bool countTableRows(SqliteConnection& db, QJsonObject* counts, QString* error, const QStringList* only = nullptr)
{
    // A trigger on a table that is written may write to tables the policy does not name:
    // with one, every table is counted.
    if (only) {
        SqliteStatement triggers(db.handle(), QStringLiteral("SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger'"));
        while (only && triggers.isValid() && triggers.step() == SQLITE_ROW) {
            if (only->contains(triggers.value(0).toString(), Qt::CaseInsensitive))
                only = nullptr;
        }
    }
    QStringList tables;
    SqliteStatement list(db.handle(), QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                                           "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"));
    while (list.isValid() && list.step() == SQLITE_ROW)
        tables << list.value(0).toString();
    QJsonObject result;
    for (const QString& t : std::as_const(tables)) {
        if (only && !only->contains(t, Qt::CaseInsensitive)) {
            result.insert(t, QJsonValue::Null);
            continue;
        }
        const QVariant n = db.scalar(QStringLiteral("SELECT count(*) FROM ") + SqliteConnection::quote(t), error);
        if (!n.isValid())
            return false;
        result.insert(t, n.toLongLong());
    }
    *counts = result;
    return true;
}

// Whether `e`, SQLite's reason for not opening the file `path`, says the file is
// damaged (not a database, a malformed schema or page): SQLite's own words, the path
// taken out first (a folder named "corrupt" says nothing about the file).
bool damagedFile(const QString& e, const QString& path)
{
    const QString reason = QString(e).remove(path);
    return reason.contains(QLatin1String("file is not a database")) ||
           reason.contains(QLatin1String("database disk image is malformed")) ||
           reason.contains(QLatin1String("malformed database schema"));
}

// The process id of another program connected to the WAL-mode database whose shared
// memory file is `shm`, or 0. Every connection of a WAL database holds a read lock on
// the "DMS" byte of the -shm file (offset 128, SQLite's unix VFS) while it is open;
// F_GETLK reports another process's lock and never this process's own.
pid_t otherConnection(const QString& shm)
{
    const int fd = ::open(QFile::encodeName(shm).constData(), O_RDONLY);
    if (fd < 0)
        return 0;
    struct flock probe = {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 128;
    probe.l_len = 1;
    const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::close(fd);
    return held ? probe.l_pid : 0;
}

// Moves a -wal or -journal of `from` that holds something to `to`'s names (what they
// hold belongs to that file, wherever it goes), removes empty ones and the -shm.
void moveSidecars(const QString& from, const QString& to)
{
    for (const char* suffix : {"-wal", "-journal"}) {
        const QString a = from + QLatin1String(suffix);
        if (QFileInfo(a).size() == 0 ||
            ::rename(native(a).constData(), native(to + QLatin1String(suffix)).constData()) != 0)
            removeFile(a, nullptr);
    }
    removeFile(from + QStringLiteral("-shm"), nullptr);
}

// Holds the write lock of the database file `path` while a swap or a restore renames
// files under it: no other program is then in the middle of a write transaction (its
// rollback journal would be removed under it, and its COMMIT fail), and in WAL mode
// every committed transaction is in the file itself (the WAL is empty and no writer can
// add to it) and no other program is connected at all (the last connection of the old
// file to close would delete the -wal and -shm by their names, the new file's). A
// writer or connection is waited for about 10 s, then the lock fails with words. A
// file SQLite cannot read as a database (damaged) is not locked: `damaged` says so,
// and there is nothing in it to protect.
class SwapLock
{
public:
    bool acquire(const QString& path, bool* damaged, QString* error)
    {
        *damaged = false;
        if (!fileExists(path))
            return true;
        QElapsedTimer waited;
        waited.start();
        while (true) {
            QString e;
            if (!m_db.open(path, SqliteConnection::ReadWrite, &e)) {
                if (damagedFile(e, path)) {
                    *damaged = true;
                    return true;
                }
                *error = e;
                return false;
            }
            // Closing this connection must not delete the -wal and -shm files by their
            // names: after the rename, those names belong to the other database.
            int persist = 1;
            sqlite3_file_control(m_db.handle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
            const QString mode = m_db.scalar(QStringLiteral("PRAGMA journal_mode"), &e).toString();
            if (damagedFile(e, path)) {
                m_db.close();
                *damaged = true;
                return true;
            }
            const bool wal = mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0;
            if (wal)
                m_db.scalar(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), nullptr);
            if (!m_db.exec(QStringLiteral("BEGIN EXCLUSIVE"), &e)) {
                m_db.close();
                *error = QStringLiteral("%1 is being written by another program, which kept its write transaction "
                                        "open for more than 10 s: let it finish or stop it, then try again (%2)")
                             .arg(path, e);
                return false;
            }
            if (!wal)
                return true;
            const bool walEmpty = QFileInfo(path + QStringLiteral("-wal")).size() == 0;
            const pid_t other = otherConnection(path + QStringLiteral("-shm"));
            if (walEmpty && other == 0)
                return true;
            // A writer committed between the checkpoint and the lock (checkpoint again),
            // or another program still has the database open (wait for it to close it).
            m_db.exec(QStringLiteral("ROLLBACK"), nullptr);
            m_db.close();
            if (waited.elapsed() > 10000) {
                *error = other != 0 ? QStringLiteral("%1 is open in another program (process %2); a WAL database "
                                                     "is swapped only when no other program has it open: close it, "
                                                     "then try again")
                                          .arg(path)
                                          .arg(other)
                                    : QStringLiteral("%1 is being written by another program without a pause: stop "
                                                     "it and try again")
                                          .arg(path);
                return false;
            }
            QThread::msleep(100);
        }
    }
    ~SwapLock()
    {
        if (m_db.isOpen())
            m_db.exec(QStringLiteral("ROLLBACK"), nullptr);
    }

private:
    SqliteConnection m_db;
};

bool copyFileUnderReadLock(const DatabaseRef& target, const DatabaseRef& restorePoint,
                           const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled,
                           QString* error)
{
    const QString part = restorePoint.path + QStringLiteral(".part");
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

bool SqliteEngine::test(const DatabaseRef& ref, QString* error)
{
    SqliteConnection c;
    return c.open(ref.path, SqliteConnection::ReadOnly, error);
}

bool SqliteEngine::testWritable(const DatabaseRef& target, QString* error)
{
    const QString dir = QFileInfo(target.path).absolutePath();
    if (::access(native(dir).constData(), W_OK | X_OK) != 0) {
        *error = QStringLiteral("its folder %1 cannot be written (%2), and the refresh writes its staging copy there")
                     .arg(dir, errnoText());
        return false;
    }
    if (fileExists(target.path) && ::access(native(target.path).constData(), W_OK) != 0) {
        *error = QStringLiteral("the file cannot be written (%1)").arg(errnoText());
        return false;
    }
    return true;
}

bool SqliteEngine::exists(const DatabaseRef& ref)
{
    return fileExists(ref.path);
}

qint64 SqliteEngine::sizeBytes(const DatabaseRef& ref)
{
    QFileInfo f(ref.path);
    if (!f.exists())
        return -1;
    return f.size() + QFileInfo(ref.path + QStringLiteral("-wal")).size();
}

qint64 SqliteEngine::freeBytesFor(const DatabaseRef& target)
{
    struct statvfs s
    {
    };
    if (::statvfs(native(QFileInfo(target.path).absolutePath()).constData(), &s) != 0)
        return -1;
    return qint64(s.f_bavail) * qint64(s.f_frsize);
}

DatabaseRef SqliteEngine::stagingFor(const DatabaseRef& target, qint64 operationId)
{
    DatabaseRef r = target;
    r.path = target.path + QStringLiteral(".staging-op%1").arg(operationId);
    return r;
}

DatabaseRef SqliteEngine::keptCopyFor(const DatabaseRef& database, qint64 pointId, const QString& folder)
{
    Q_UNUSED(pointId);
    DatabaseRef r = database;
    r.path = folder + QLatin1Char('/') + database.role + QStringLiteral(".db");
    return r;
}

DatabaseRef SqliteEngine::restorePointFor(const DatabaseRef& target, qint64 operationId)
{
    DatabaseRef r = target;
    r.path = target.path + QStringLiteral(".restore-op%1").arg(operationId);
    return r;
}

bool SqliteEngine::copySnapshot(const DatabaseRef& source, const DatabaseRef& staging, const Progress& progress,
                                const Cancelled& cancelled, QString* error, QJsonObject* sourceRowCounts,
                                const QStringList* countOnly)
{
    QString e;
    if (!drop(staging, &e)) {
        *error = e;
        return false;
    }
    SqliteConnection src;
    if (!src.open(source.path, SqliteConnection::ReadOnly, &e)) {
        *error = QStringLiteral("source: %1").arg(e);
        return false;
    }
    SqliteConnection dst;
    if (!dst.open(staging.path, SqliteConnection::Create, &e)) {
        *error = QStringLiteral("staging: %1").arg(e);
        return false;
    }
    // The staging file is disposable until it is verified: no journal, no syncs (one
    // fsync at the end). The page cache stays small: the backup streams pages through
    // it, and a 16 MiB cache measured 15-20% more CPU than 2 MiB for a 1 GB copy.
    dst.exec(QStringLiteral("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048"), nullptr);

    // One read transaction on the source for the whole copy: every backup step reads
    // the same instant, while WAL writers go on.
    if (!src.exec(QStringLiteral("BEGIN"), &e) ||
        !src.scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema"), &e).isValid()) {
        *error = QStringLiteral("cannot take a snapshot of the source: %1").arg(e);
        return false;
    }
    const qint64 pageSize = src.scalar(QStringLiteral("PRAGMA page_size"), &e).toLongLong();

    sqlite3_backup* backup = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
    if (!backup) {
        *error = QStringLiteral("cannot start the copy: %1").arg(dst.lastError());
        src.exec(QStringLiteral("ROLLBACK"), nullptr);
        return false;
    }
    const int pagesPerStep = TestHooks::copyPagesPerStep(PagesPerStep);
    int rc = SQLITE_OK;
    bool wasCancelled = false;
    while (true) {
        rc = sqlite3_backup_step(backup, pagesPerStep);
        const qint64 total = sqlite3_backup_pagecount(backup);
        const qint64 done = total - sqlite3_backup_remaining(backup);
        // Counted in bytes, as every copy of the console is (the pages times their size).
        if (progress)
            progress(done * pageSize, total * pageSize, done * pageSize);
        if (rc == SQLITE_DONE)
            break;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            QThread::msleep(20);
        } else if (rc != SQLITE_OK) {
            break;
        }
        if (cancelled && cancelled()) {
            wasCancelled = true;
            break;
        }
    }
    sqlite3_backup_finish(backup);
    // The source's rows, counted in the read transaction the backup read: the same
    // instant, whatever writers did meanwhile. After the copy, whose pages are still in
    // the OS cache for a file that fits in memory.
    QString countError;
    const bool counted =
        rc != SQLITE_DONE || wasCancelled || !sourceRowCounts || countTableRows(src, sourceRowCounts, &countError, countOnly);
    src.exec(QStringLiteral("ROLLBACK"), nullptr);
    if (wasCancelled) {
        *error = QStringLiteral("cancelled");
        dst.close();
        drop(staging, nullptr);
        return false;
    }
    if (rc != SQLITE_DONE) {
        *error = QStringLiteral("copying %1 failed: %2").arg(source.path, QString::fromUtf8(sqlite3_errstr(rc)));
        dst.close();
        drop(staging, nullptr);
        return false;
    }
    if (!counted) {
        *error = QStringLiteral("cannot count the rows of %1 in the copied snapshot: %2").arg(source.path, countError);
        dst.close();
        drop(staging, nullptr);
        return false;
    }
    dst.close();
    syncFile(staging.path);
    return true;
}

QString SqliteEngine::changeStamp(const DatabaseRef& ref) const
{
    // An empty WAL holds nothing: a reader opening a WAL-mode copy creates one.
    QStringList parts;
    for (const QString& path : {ref.path, QString(ref.path + QStringLiteral("-wal"))}) {
        struct stat st {};
        if (::stat(QFile::encodeName(path).constData(), &st) != 0 || (path != ref.path && st.st_size == 0)) {
            parts << QStringLiteral("-");
            continue;
        }
        parts << QStringLiteral("%1:%2:%3.%4")
                     .arg(qulonglong(st.st_ino))
                     .arg(qlonglong(st.st_size))
                     .arg(qlonglong(st.st_mtim.tv_sec))
                     .arg(qlonglong(st.st_mtim.tv_nsec), 9, 10, QLatin1Char('0'));
    }
    return parts.join(QLatin1Char(' '));
}

bool SqliteEngine::drop(const DatabaseRef& ref, QString* error)
{
    QFile::remove(ref.path + QStringLiteral(".part")); // a restore point's copy cut short
    removeSidecars(ref.path);
    return removeFile(ref.path, error);
}

bool SqliteEngine::quiesce(const QString& path, QString* error)
{
    if (!fileExists(path))
        return true;
    SqliteConnection c;
    QString e;
    if (!c.open(path, SqliteConnection::ReadWrite, &e)) {
        *error = e;
        return false;
    }
    const QString mode = c.scalar(QStringLiteral("PRAGMA journal_mode"), &e).toString();
    if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0) {
        const QVariant busy = c.scalar(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), &e);
        if (!busy.isValid() || busy.toInt() != 0) {
            *error = QStringLiteral("cannot checkpoint %1: it is in use by another program (%2)")
                         .arg(path, e.isEmpty() ? QStringLiteral("busy") : e);
            return false;
        }
    }
    return true;
}

bool SqliteEngine::swap(const DatabaseRef& target, const DatabaseRef& staging, const DatabaseRef& restorePoint,
                        QString* error)
{
    const QString dir = QFileInfo(target.path).absolutePath();
    const bool stagingThere = fileExists(staging.path);
    const bool restoreThere = fileExists(restorePoint.path);
    if (!stagingThere) {
        if (restoreThere)
            return true; // swapped already (a crash after the rename)
        *error = QStringLiteral("the staging database %1 is missing; roll back and refresh again").arg(staging.path);
        return false;
    }
    if (!fileExists(target.path) && !restoreThere) {
        *error = QStringLiteral("the target database %1 is missing").arg(target.path);
        return false;
    }
    QString e;
    // The staging file alone must be the whole new database: its WAL (a copy of a WAL
    // source is in WAL mode) is folded in, and its -wal/-shm are not left behind.
    if (!quiesce(staging.path, &e)) {
        *error = e;
        return false;
    }
    removeSidecars(staging.path);
    // What goes in is on disk before the rename: the copy was fsynced, but the policy
    // steps and the checkpoint above may have written since.
    syncFile(staging.path);
    SwapLock lock;
    bool damaged = false;
    if (!lock.acquire(target.path, &damaged, &e)) {
        *error = e;
        return false;
    }
    if (damaged)
        spdlog::warn("{} cannot be read as a database: it is swapped out as it is", target.path.toStdString());
    if (!restoreThere) {
        if (::link(native(target.path).constData(), native(restorePoint.path).constData()) != 0) {
            *error = QStringLiteral("cannot keep %1 as the restore point: %2").arg(target.path, errnoText());
            return false;
        }
        syncDirectory(dir);
    }
    // Whatever the target's -wal or -journal holds (nothing, under the lock; a damaged
    // file's, maybe) goes with it to the restore point's name.
    moveSidecars(target.path, restorePoint.path);
    if (::rename(native(staging.path).constData(), native(target.path).constData()) != 0) {
        *error = QStringLiteral("cannot move the staging database into place: %1").arg(errnoText());
        return false;
    }
    syncDirectory(dir);
    return true;
}

bool SqliteEngine::restore(const DatabaseRef& target, const DatabaseRef& restorePoint, QString* error)
{
    if (!fileExists(restorePoint.path))
        return true;
    // Putting the restore point back does not need to read what it replaces: a target
    // damaged beyond opening (a broken file, a package that wrote a malformed schema)
    // is replaced as it is.
    QString e;
    SwapLock lock;
    bool damaged = false;
    if (!lock.acquire(target.path, &damaged, &e)) {
        *error = e;
        return false;
    }
    if (damaged)
        spdlog::warn("{} cannot be read as a database: the restore point replaces it as it is",
                     target.path.toStdString());
    removeSidecars(target.path);
    // Keep the database being rolled back under the staging name (a hard link: no
    // copy), so that the rename below does not have to free its blocks; freeing a large
    // file takes seconds on some file systems. The job's discard() deletes it after the
    // rollback is recorded, like the PostgreSQL engine drops its renamed database.
    const int marker = restorePoint.path.lastIndexOf(QLatin1String(".restore-op"));
    if (marker > 0 && fileExists(target.path)) {
        const QString kept =
            target.path + QStringLiteral(".staging-op") + restorePoint.path.mid(marker + int(qstrlen(".restore-op")));
        removeFile(kept, nullptr);
        if (::link(native(target.path).constData(), native(kept).constData()) != 0)
            spdlog::warn("cannot keep {} aside before the rollback: {}", target.path.toStdString(),
                         errnoText().toStdString());
    }
    if (::rename(native(restorePoint.path).constData(), native(target.path).constData()) != 0) {
        *error = QStringLiteral("cannot put the restore point back: %1").arg(errnoText());
        return false;
    }
    // What went with the restore point at the swap (its -wal or -journal) comes back with it.
    moveSidecars(restorePoint.path, target.path);
    syncDirectory(QFileInfo(target.path).absolutePath());
    return true;
}

std::optional<SchemaInfo> SqliteEngine::readSchema(const DatabaseRef& ref, QString* error)
{
    SqliteConnection c;
    if (!c.open(ref.path, SqliteConnection::ReadOnly, error))
        return std::nullopt;
    return SqliteSchema::read(c.handle(), QStringLiteral("main"), error);
}

QVariant SqliteEngine::queryValue(const DatabaseRef& ref, const PolicyStatement& statement, QString* error)
{
    SqliteConnection c;
    if (!c.open(ref.path, SqliteConnection::ReadOnly, error))
        return {};
    SqliteStatement s(c.handle(), statement);
    const int rc = s.isValid() ? s.step() : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        const QVariant v = s.value(0);
        return v.isNull() ? QVariant(QString()) : v;
    }
    if (rc == SQLITE_DONE)
        return QVariant(QString());
    if (error)
        *error = s.errorMessage();
    return {};
}

bool SqliteEngine::queryEach(const DatabaseRef& ref, const QList<PolicyStatement>& statements, const RowHandler& row,
                             QString* error, const QueryOptions& options)
{
    SqliteConnection c;
    if (!c.open(ref.path, SqliteConnection::ReadOnly, error) || !SqliteSearchFunction::install(c.handle(), error))
        return false;
    // One read transaction: every statement sees the same database.
    if (!c.exec(QStringLiteral("BEGIN"), error))
        return false;
    for (int i = 0; i < statements.size(); ++i) {
        SqliteStatement s(c.handle(), statements.at(i));
        int rc = s.isValid() ? s.step() : SQLITE_ERROR;
        QVariantList values;
        for (; rc == SQLITE_ROW; rc = s.step()) {
            values.clear();
            for (int col = 0; col < s.columnCount(); ++col)
                values << s.value(col);
            row(i, values);
        }
        if (rc != SQLITE_DONE) {
            if (options.skipped) {
                *options.skipped << s.errorMessage();
                continue;
            }
            if (error)
                *error = s.errorMessage();
            return false;
        }
    }
    return true;
}

bool SqliteEngine::countPolicyRows(const DatabaseRef& source, const DataPolicy& policy,
                                   QList<PolicyCounter::RuleCount>* counts, QString* error)
{
    SqliteConnection c;
    if (!c.open(source.path, SqliteConnection::ReadOnly, error))
        return false;
    return PolicyCounter(c.handle()).count(policy, counts, error);
}

PolicyReport SqliteEngine::applyPolicy(const DatabaseRef& staging, const DatabaseRef& target, const DataPolicy& policy,
                                       const PolicyContext& context, const PolicyProgress& progress,
                                       const Cancelled& cancelled)
{
    PolicyReport failed;
    failed.status = PolicyReport::Status::Failed;
    SqliteConnection db;
    QString e;
    if (!db.open(staging.path, SqliteConnection::ReadWrite, &e)) {
        failed.error = QStringLiteral("staging: %1").arg(e);
        return failed;
    }
    db.exec(QStringLiteral("PRAGMA synchronous = OFF"), nullptr);
    bool keepsTarget = false;
    for (const PolicyRule& r : policy.rules())
        keepsTarget = keepsTarget || r.action == PolicyRule::Action::KeepTarget;
    // Read-only (a URI: the connection takes them): the target is not written before the
    // swap, not even by the checkpoint a read-write connection runs when it closes last.
    const QString readOnlyTarget =
        QString::fromUtf8(QUrl::fromLocalFile(target.path).toEncoded()) + QStringLiteral("?mode=ro");
    if (keepsTarget && !db.scalar(QStringLiteral("ATTACH DATABASE ? AS target"), &e, {readOnlyTarget}).isValid()) {
        failed.error = QStringLiteral("cannot read the target's records: %1").arg(e);
        return failed;
    }
    return SqlitePolicyApplier(db.handle()).apply(policy, context, progress, cancelled);
}

bool SqliteEngine::tableRowCounts(const DatabaseRef& ref, QJsonObject* counts, QString* error,
                                  const QStringList* countOnly)
{
    SqliteConnection db;
    if (!db.open(ref.path, SqliteConnection::ReadOnly, error))
        return false;
    return countTableRows(db, counts, error, countOnly);
}

bool SqliteEngine::checkIntegrity(const DatabaseRef& ref, QString* error)
{
    SqliteConnection db;
    QString e;
    if (!db.open(ref.path, SqliteConnection::ReadOnly, &e)) {
        *error = QStringLiteral("cannot be opened as a database (%1)").arg(e);
        return false;
    }
    const QString check = db.scalar(QStringLiteral("PRAGMA quick_check"), &e).toString();
    if (check != QLatin1String("ok")) {
        *error = QStringLiteral("failed its integrity check: %1").arg(check.isEmpty() ? e : check);
        return false;
    }
    return true;
}

bool SqliteEngine::checkTablesIntegrity(const DatabaseRef& ref, const QStringList& tables, QString* error)
{
    SqliteConnection db;
    QString e;
    if (!db.open(ref.path, SqliteConnection::ReadOnly, &e)) {
        *error = e;
        return false;
    }
    for (const QString& table : tables) {
        const QString check =
            db.scalar(QStringLiteral("PRAGMA quick_check(") + SqliteConnection::quote(table) + QLatin1Char(')'), &e)
                .toString();
        if (check != QLatin1String("ok")) {
            *error =
                QStringLiteral("failed the integrity check of table %1: %2").arg(table, check.isEmpty() ? e : check);
            return false;
        }
    }
    return true;
}

namespace {

const QString MarkTable = QStringLiteral("dataalm_step_mark");

bool markTableExists(SqliteConnection& db, bool* exists, QString* error)
{
    const QVariant n = db.scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"),
                                 error, {MarkTable});
    *exists = n.toLongLong() > 0;
    return n.isValid();
}

} // namespace

bool SqliteEngine::runScript(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                             const ScriptProgress& progress, const StepMark& mark, qint64* statements,
                             QString* error)
{
    SqliteConnection db;
    if (!db.open(ref.path, SqliteConnection::ReadWrite, error))
        return false;
    QList<PolicyStatement> marking;
    if (mark.operation > 0)
        marking = {{QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (operation INTEGER NOT NULL, ordinal INTEGER NOT "
                                   "NULL, PRIMARY KEY (operation, ordinal))")
                        .arg(MarkTable),
                    {}},
                   {QStringLiteral("INSERT OR IGNORE INTO %1 (operation, ordinal) VALUES (?1, ?2)").arg(MarkTable),
                    {mark.operation, mark.ordinal}}};
    return SqliteScript::run(db.handle(), sql, parameters, progress, statements, error, marking);
}

bool SqliteEngine::stepMarked(const DatabaseRef& ref, const StepMark& mark, bool* marked, QString* error)
{
    *marked = false;
    SqliteConnection db;
    bool exists = false;
    if (!db.open(ref.path, SqliteConnection::ReadOnly, error) || !markTableExists(db, &exists, error))
        return false;
    if (!exists)
        return true;
    const QVariant n = db.scalar(
        QStringLiteral("SELECT count(*) FROM %1 WHERE operation = ? AND ordinal = ?").arg(MarkTable), error,
        {mark.operation, mark.ordinal});
    *marked = n.toLongLong() > 0;
    return n.isValid();
}

bool SqliteEngine::clearStepMarks(const DatabaseRef& ref, qint64 operation, QString* error)
{
    SqliteConnection db;
    bool exists = false;
    if (!db.open(ref.path, SqliteConnection::ReadWrite, error) || !markTableExists(db, &exists, error))
        return false;
    if (!exists)
        return true;
    if (!db.exec(QStringLiteral("BEGIN IMMEDIATE"), error))
        return false;
    const auto fail = [&] {
        QString ignored;
        db.exec(QStringLiteral("ROLLBACK"), &ignored);
        return false;
    };
    SqliteStatement remove(db.handle(),
                           PolicyStatement{QStringLiteral("DELETE FROM %1 WHERE operation = ?1").arg(MarkTable), {operation}});
    if (!remove.isValid() || !remove.run()) {
        *error = remove.errorMessage();
        return fail();
    }
    // The table goes once no operation's mark is left in it.
    const QVariant left = db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(MarkTable), error);
    if (!left.isValid() || (left.toLongLong() == 0 && !db.exec(QStringLiteral("DROP TABLE %1").arg(MarkTable), error)) ||
        !db.exec(QStringLiteral("COMMIT"), error))
        return fail();
    return true;
}

bool SqliteEngine::runCheck(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                            QVariant* value, QString* error)
{
    SqliteConnection db;
    if (!db.open(ref.path, SqliteConnection::ReadOnly, error))
        return false;
    return SqliteScript::check(db.handle(), sql, parameters, value, error);
}

bool SqliteEngine::copyRestorePoint(const DatabaseRef& target, const DatabaseRef& restorePoint,
                                    const Progress& progress, const Cancelled& cancelled, QString* error)
{
    if (!drop(restorePoint, error))
        return false;
    return copyFileUnderReadLock(target, restorePoint, progress, cancelled, error);
}

bool SqliteEngine::identify(const DatabaseRef& ref, QString* identity, QString* error)
{
    // stat() follows links: a symbolic or hard link to the file is the same inode.
    struct stat st;
    if (::stat(QFile::encodeName(ref.path).constData(), &st) != 0) {
        *error = QStringLiteral("cannot read %1: %2").arg(ref.path, errnoText());
        return false;
    }
    *identity = QStringLiteral("sqlite:%1:%2").arg(qulonglong(st.st_dev)).arg(qulonglong(st.st_ino));
    return true;
}
