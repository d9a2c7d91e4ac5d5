#include "package/PackageBuilder.h"

#include "package/PackageArchive.h"
#include "package/PackageManifest.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>

#include <sys/stat.h>
#include <zip.h>

namespace {

// 2024-01-01 00:00:00 as an MS-DOS date and time: no clock, no time zone.
constexpr zip_uint16_t DosDate = ((2024 - 1980) << 9) | (1 << 5) | 1;
constexpr zip_uint16_t DosTime = 0;

} // namespace

std::optional<QByteArray> PackageBuilder::zip(const QMap<QString, QByteArray>& entries, QString* error)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &zerr);
    if (!buffer) {
        *error = QString::fromUtf8(zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        return std::nullopt;
    }
    zip_source_keep(buffer); // outlives zip_close(), which writes into it
    zip_t* z = zip_open_from_source(buffer, ZIP_TRUNCATE, &zerr);
    if (!z) {
        *error = QString::fromUtf8(zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        zip_source_free(buffer);
        zip_source_free(buffer);
        return std::nullopt;
    }
    zip_error_fini(&zerr);
    auto fail = [&](const QString& what) {
        *error = QStringLiteral("%1: %2").arg(what, QString::fromUtf8(zip_strerror(z)));
        zip_discard(z);
        zip_source_free(buffer);
        return std::nullopt;
    };
    // QMap iterates in key order: the entry order is fixed.
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        zip_source_t* s = zip_source_buffer(z, it.value().constData(), zip_uint64_t(it.value().size()), 0);
        if (!s)
            return fail(it.key());
        const zip_int64_t index = zip_file_add(z, it.key().toUtf8().constData(), s, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(s);
            return fail(it.key());
        }
        const auto i = zip_uint64_t(index);
        if (zip_set_file_compression(z, i, ZIP_CM_DEFLATE, 9) != 0 ||
            zip_file_set_dostime(z, i, DosTime, DosDate, 0) != 0 ||
            zip_file_set_external_attributes(z, i, 0, ZIP_OPSYS_UNIX, zip_uint32_t(S_IFREG | 0644) << 16) != 0)
            return fail(it.key());
    }
    if (zip_close(z) != 0)
        return fail(QStringLiteral("writing the archive"));

    QByteArray out;
    if (zip_source_open(buffer) != 0 || zip_source_seek(buffer, 0, SEEK_END) != 0) {
        *error = QStringLiteral("cannot read the archive back");
        zip_source_free(buffer);
        return std::nullopt;
    }
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    out.resize(qsizetype(size));
    const zip_int64_t n = zip_source_read(buffer, out.data(), zip_uint64_t(size));
    zip_source_close(buffer);
    zip_source_free(buffer);
    if (n != size) {
        *error = QStringLiteral("cannot read the archive back");
        return std::nullopt;
    }
    return out;
}

std::optional<QByteArray> PackageBuilder::build(QJsonObject manifest, const QMap<QString, QByteArray>& files,
                                                QString* error)
{
    QJsonObject hashes;
    for (auto it = files.begin(); it != files.end(); ++it)
        hashes.insert(it.key(),
                      QString::fromLatin1(QCryptographicHash::hash(it.value(), QCryptographicHash::Sha256).toHex()));
    manifest.insert(QStringLiteral("sha256"), hashes);
    QMap<QString, QByteArray> entries = files;
    entries.insert(PackageManifest::FileName, QJsonDocument(manifest).toJson(QJsonDocument::Indented));
    auto bytes = zip(entries, error);
    if (!bytes)
        return std::nullopt;
    const QString name = manifest.value(QStringLiteral("name")).toString();
    if (!PackageArchive::fromBytes(*bytes, name.isEmpty() ? QStringLiteral("the package") : name, error))
        return std::nullopt;
    return bytes;
}

std::optional<QByteArray> PackageBuilder::buildFromFolder(const QString& folder, QString* error)
{
    const QDir root(folder);
    QFile manifestFile(root.filePath(PackageManifest::FileName));
    if (!manifestFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1 has no %2").arg(folder, PackageManifest::FileName);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(manifestFile.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1: %2").arg(manifestFile.fileName(), parseError.errorString());
        return std::nullopt;
    }
    QMap<QString, QByteArray> files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = root.relativeFilePath(path);
        if (relative == PackageManifest::FileName)
            continue;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
            return std::nullopt;
        }
        files.insert(relative, f.readAll());
    }
    return build(doc.object(), files, error);
}
