#include "catalog/RunbookArchive.h"

#include "catalog/EvidencePack.h"
#include "catalog/MaskingReport.h"
#include "catalog/RunbookLineStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryFile>

#include <zip.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace RunbookArchive {

bool write(Catalog& catalog, const OperationRecord& op, const QString& zipPath, QString* error)
{
    const QString absZip = QFileInfo(zipPath).absoluteFilePath();
    const QString dir = QFileInfo(absZip).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        *error = QStringLiteral("the folder %1 does not exist").arg(dir);
        return false;
    }
    // Only a new file or a regular one is written: the rename below would otherwise
    // replace a FIFO, a device (as root, /dev/full) or a symbolic link itself.
    struct stat st;
    if (::lstat(QFile::encodeName(absZip).constData(), &st) == 0 && !S_ISREG(st.st_mode)) {
        const QString what = S_ISLNK(st.st_mode)   ? QStringLiteral("a symbolic link")
                             : S_ISDIR(st.st_mode) ? QStringLiteral("a folder")
                             : S_ISFIFO(st.st_mode) ? QStringLiteral("a FIFO")
                             : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? QStringLiteral("a device")
                                                                          : QStringLiteral("not a regular file");
        *error = QStringLiteral("%1 is %2: the runbook logs are written to a new or regular file only; choose another "
                                "path. Nothing was written.")
                     .arg(absZip, what);
        return false;
    }
    const QByteArray log = RunbookLineStore(catalog).logOf(op.id);
    const QByteArray json = QJsonDocument(op.toJson()).toJson(QJsonDocument::Indented);
    const QJsonObject evidence = EvidencePack::build(catalog, op);
    const QByteArray evidenceJson = QJsonDocument(evidence).toJson(QJsonDocument::Indented);
    const QByteArray evidenceText = EvidencePack::text(evidence);
    const QJsonObject masking = MaskingReport::build(op);
    const bool masks = MaskingReport::hasContent(masking);
    const QByteArray maskingJson = QJsonDocument(masking).toJson(QJsonDocument::Indented);
    const QByteArray maskingHtml = MaskingReport::html(masking);

    // Reserve a unique name beside the destination, then let libzip write it.
    QTemporaryFile tmp(absZip + QStringLiteral(".XXXXXX"));
    if (!tmp.open()) {
        *error = QStringLiteral("cannot write in %1: %2").arg(dir, tmp.errorString());
        return false;
    }
    const QString tmpPath = tmp.fileName();
    tmp.close();

    int zerr = 0;
    zip_t* z = zip_open(QFile::encodeName(tmpPath).constData(), ZIP_TRUNCATE | ZIP_CREATE, &zerr);
    if (!z) {
        *error = QStringLiteral("cannot create %1 (libzip error %2)").arg(absZip).arg(zerr);
        return false;
    }
    const QString prefix = QStringLiteral("operation-%1/").arg(op.id);
    auto add = [&](const QString& name, const QByteArray& data) {
        zip_source_t* src = zip_source_buffer(z, data.constData(), zip_uint64_t(data.size()), 0);
        if (!src)
            return false;
        if (zip_file_add(z, (prefix + name).toUtf8().constData(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            zip_source_free(src);
            return false;
        }
        return true;
    };
    // A refresh stores the data policy it applies with itself (RefreshJob::recordPolicy):
    // the archive holds that very copy.
    const QByteArray policy = QByteArray::fromBase64(op.params.value(QStringLiteral("policyBase64")).toString().toLatin1());
    const bool added = add(QStringLiteral("runbook.log"), log) && add(QStringLiteral("operation.json"), json) &&
                       add(QStringLiteral("evidence.json"), evidenceJson) &&
                       add(QStringLiteral("evidence.txt"), evidenceText) &&
                       (policy.isEmpty() || add(QStringLiteral("policy.json"), policy)) &&
                       (!masks || (add(QStringLiteral("masking.json"), maskingJson) &&
                                   add(QStringLiteral("masking.html"), maskingHtml)));
    if (!added) {
        *error = QStringLiteral("cannot add to %1: %2").arg(absZip, QString::fromUtf8(zip_strerror(z)));
        zip_discard(z);
        QFile::remove(tmpPath);
        return false;
    }
    if (zip_close(z) != 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(absZip, QString::fromUtf8(zip_strerror(z)));
        zip_discard(z);
        QFile::remove(tmpPath);
        return false;
    }
    if (::rename(QFile::encodeName(tmpPath).constData(), QFile::encodeName(absZip).constData()) != 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(absZip, QString::fromLocal8Bit(strerror(errno)));
        QFile::remove(tmpPath);
        return false;
    }
    return true;
}

} // namespace RunbookArchive
