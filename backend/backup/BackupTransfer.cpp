#include "backup/BackupTransfer.h"

#include "backup/BackupArchive.h"
#include "catalog/Catalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace {

template<typename T>
T refused(BackupTransfer::Refusal why, BackupTransfer::Refusal* refusal, T value)
{
    if (refusal)
        *refusal = why;
    return value;
}

} // namespace

QString BackupTransfer::defaultName(const QString& file)
{
    return QFileInfo(file).completeBaseName();
}

bool BackupTransfer::isValidName(const QString& name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"));
    return valid.match(name).hasMatch();
}

bool BackupTransfer::download(const BackupStore::Backup& b, const QString& destination, QString* error,
                              Refusal* refusal)
{
    if (refusal)
        *refusal = Refusal::None;
    const QString out = QFileInfo(destination).absoluteFilePath();
    if (QFileInfo::exists(out)) {
        *error = QStringLiteral("%1 exists already; choose another file").arg(out);
        return refused(Refusal::Exists, refusal, false);
    }
    const QString part = out + QStringLiteral(".part");
    QFile::remove(part);
    if (!QFile::copy(b.file, part)) {
        QFile::remove(part);
        *error = QStringLiteral("cannot copy %1 to %2 (is the disk full?)").arg(b.file, part);
        return refused(Refusal::Failed, refusal, false);
    }
    QString e;
    const QString digest = BackupArchive::sha256Of(part, &e);
    if (digest != b.sha256) {
        QFile::remove(part);
        *error = !e.isEmpty() ? e
                              : QStringLiteral("the copy of %1 does not match its SHA-256: the library's file changed "
                                               "or the disk is failing")
                                    .arg(b.name);
        return refused(Refusal::Failed, refusal, false);
    }
    if (!QFile::rename(part, out)) {
        QFile::remove(part);
        *error = QStringLiteral("cannot rename %1 to %2").arg(part, out);
        return refused(Refusal::Failed, refusal, false);
    }
    return true;
}

std::optional<BackupStore::Backup> BackupTransfer::upload(Catalog& catalog, const QString& projectId,
                                                          const QString& fileName, const QString& name,
                                                          QString* error, Refusal* refusal)
{
    if (refusal)
        *refusal = Refusal::None;
    const QString file = QFileInfo(fileName).absoluteFilePath();
    const std::optional<BackupManifest> manifest = BackupArchive::inspect(file, error);
    if (!manifest)
        return refused(Refusal::Invalid, refusal, std::optional<BackupStore::Backup>());
    if (manifest->project != projectId) {
        *error = QStringLiteral("%1 is a backup of project %2, not of %3")
                     .arg(QFileInfo(file).fileName(), manifest->project, projectId);
        return refused(Refusal::Invalid, refusal, std::optional<BackupStore::Backup>());
    }
    if (!isValidName(name)) {
        *error = QStringLiteral("a backup's name is letters, digits, '.', '_' and '-', not '%1'").arg(name);
        return refused(Refusal::Invalid, refusal, std::optional<BackupStore::Backup>());
    }
    BackupStore store(catalog);
    if (store.get(projectId, name)) {
        *error = QStringLiteral("the asset library of %1 already holds a backup named %2; choose another name")
                     .arg(projectId, name);
        return refused(Refusal::Exists, refusal, std::optional<BackupStore::Backup>());
    }
    const QString folder = store.folderFor(projectId);
    QDir().mkpath(folder);
    const QString dest = QDir(folder).filePath(name + QStringLiteral(".zip"));
    // A file of that name (an export's being written) is never replaced.
    if (QFileInfo::exists(dest) || QFileInfo::exists(dest + QStringLiteral(".part"))) {
        *error = QStringLiteral("the asset library of %1 already holds a file named %2.zip; choose another name")
                     .arg(projectId, name);
        return refused(Refusal::Exists, refusal, std::optional<BackupStore::Backup>());
    }
    const QString part = dest + QStringLiteral(".part");
    QFile::remove(part);
    const auto failed = [&](const QString& why) {
        QFile::remove(part);
        *error = why;
        return refused(Refusal::Failed, refusal, std::optional<BackupStore::Backup>());
    };
    if (!QFile::copy(file, part))
        return failed(QStringLiteral("cannot copy %1 into the asset library (is the disk full?)").arg(file));
    QString e;
    const QString digest = BackupArchive::sha256Of(part, &e);
    if (digest.isEmpty())
        return failed(e);
    // The copy is what is recorded: validated again, as it is.
    if (!BackupArchive::inspect(part, &e))
        return failed(e);
    if (!QFile::rename(part, dest))
        return failed(QStringLiteral("cannot rename %1 to %2").arg(part, dest));
    BackupStore::Backup b;
    b.projectId = projectId;
    b.name = name;
    b.file = dest;
    b.sha256 = digest;
    b.bytes = QFileInfo(dest).size();
    b.sourceEnvironment = manifest->sourceEnvironment;
    b.engine = manifest->engine;
    b.application = manifest->versions.application;
    b.created = manifest->created;
    if (!store.add(b, error)) {
        QFile::remove(dest);
        return refused(Refusal::Failed, refusal, std::optional<BackupStore::Backup>());
    }
    return b;
}
