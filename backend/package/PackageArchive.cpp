#include "package/PackageArchive.h"
#include "core/ByteSize.h"

#include "package/PackagePath.h"
#include "package/ZipEntryCheck.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSet>

#include <sys/stat.h>
#include <zip.h>

#include <memory>

namespace {

// Zips end with a central directory that can hold up to 64 KiB of comment; anything
// beyond the entries' bytes is bounded by this much.
constexpr qint64 ArchiveSlack = 1024 * 1024;
constexpr qint64 ReadChunk = 64 * 1024;

QString mib(qint64 bytes)
{
    return ByteSize::text(bytes);
}

QString hexSha256(const QByteArray& data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

struct ZipCloser
{
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser
{
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

struct Entry
{
    zip_uint64_t index = 0;
    QString name;
    qint64 size = 0; // as the central directory claims
};

// Reads entry `e`, never inflating more than its claimed size plus one byte, nor
// more than `budget` bytes.
bool readEntry(zip_t* z, const Entry& e, qint64* budget, QByteArray* out, QString* why)
{
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(z, e.index, 0));
    if (!f) {
        *why = QStringLiteral("cannot be read: %1").arg(QString::fromUtf8(zip_strerror(z)));
        return false;
    }
    out->clear();
    out->reserve(int(std::min<qint64>(e.size, *budget)));
    char buffer[ReadChunk];
    while (true) {
        const qint64 want = std::min<qint64>(ReadChunk, e.size + 1 - out->size());
        if (want <= 0) {
            *why = QStringLiteral("inflates to more than the %1 bytes its header claims").arg(e.size);
            return false;
        }
        const zip_int64_t n = zip_fread(f.get(), buffer, zip_uint64_t(want));
        if (n < 0) {
            *why = QStringLiteral("is damaged: %1").arg(QString::fromUtf8(zip_file_strerror(f.get())));
            return false;
        }
        if (n == 0)
            break;
        if (n > *budget) {
            *why =
                QStringLiteral("takes the package past %1 uncompressed").arg(mib(PackageArchive::MaxUncompressedBytes));
            return false;
        }
        *budget -= n;
        out->append(buffer, int(n));
    }
    if (out->size() != e.size) {
        *why = QStringLiteral("holds %1 bytes; its header claims %2").arg(out->size()).arg(e.size);
        return false;
    }
    return true;
}

} // namespace

std::optional<Package> PackageArchive::read(const QString& path, QString* error)
{
    const QString name = QFileInfo(path).fileName();
    QFileInfo info(path);
    if (!info.exists()) {
        *error = QStringLiteral("%1: no such file").arg(path);
        return std::nullopt;
    }
    if (!info.isFile()) {
        *error = QStringLiteral("%1 is not a file").arg(path);
        return std::nullopt;
    }
    if (info.size() > MaxUncompressedBytes + ArchiveSlack) {
        *error = QStringLiteral("%1 is %2; a package holds at most %3")
                     .arg(name, mib(info.size()), mib(MaxUncompressedBytes));
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = f.read(MaxUncompressedBytes + ArchiveSlack + 1);
    if (bytes.size() > MaxUncompressedBytes + ArchiveSlack) {
        *error = QStringLiteral("%1 is larger than %2").arg(name, mib(MaxUncompressedBytes));
        return std::nullopt;
    }
    return fromBytes(bytes, name, error);
}

std::optional<Package> PackageArchive::fromBytes(const QByteArray& bytes, const QString& displayName, QString* error)
{
    auto refuse = [&](const QString& why) {
        *error = QStringLiteral("%1 is not a valid package: %2").arg(displayName, why);
        return std::nullopt;
    };
    if (bytes.size() > MaxUncompressedBytes + ArchiveSlack)
        return refuse(QStringLiteral("the archive is larger than %1").arg(mib(MaxUncompressedBytes)));
    if (bytes.isEmpty())
        return refuse(QStringLiteral("the file is empty, not a zip archive"));
    const bool looksLikeZip = bytes.startsWith(QByteArrayLiteral("PK\x03\x04"));

    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* source = zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &zerr);
    if (!source) {
        const QString why = QString::fromUtf8(zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        return refuse(why);
    }
    std::unique_ptr<zip_t, ZipCloser> z(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &zerr));
    if (!z) {
        zip_source_free(source);
        const int code = zip_error_code_zip(&zerr);
        const QString libzip = QString::fromUtf8(zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        if (code == ZIP_ER_NOZIP && looksLikeZip)
            return refuse(QStringLiteral("the archive is truncated (its central directory is missing)"));
        if (code == ZIP_ER_NOZIP)
            return refuse(QStringLiteral("the file is not a zip archive"));
        if (code == ZIP_ER_INCONS)
            return refuse(QStringLiteral("the archive is truncated or damaged (%1)").arg(libzip));
        return refuse(QStringLiteral("the archive cannot be read (%1)").arg(libzip));
    }
    zip_error_fini(&zerr);

    const zip_int64_t count = zip_get_num_entries(z.get(), 0);
    if (count < 0)
        return refuse(QStringLiteral("the archive cannot be read"));
    if (count > MaxEntries)
        return refuse(
            QStringLiteral("the archive holds %1 entries; a package holds at most %2").arg(count).arg(MaxEntries));

    // Everything the central directory says is checked before a byte is inflated.
    QList<Entry> entries;
    std::optional<Entry> manifestEntry;
    QSet<QString> seen;
    qint64 claimed = 0;
    for (zip_uint64_t i = 0; i < zip_uint64_t(count); ++i) {
        ZipEntryCheck::Entry checked;
        QString why;
        if (!ZipEntryCheck::check(z.get(), i, QStringLiteral("a package"), true, &seen, &checked, &why))
            return refuse(why);
        const QString& name = checked.name;
        const bool directory = checked.directory;
        zip_stat_t st;
        zip_stat_init(&st);
        zip_stat_index(z.get(), i, 0, &st);
        const zip_uint64_t total = std::min<zip_uint64_t>(
            st.size > zip_uint64_t(MaxUncompressedBytes) ? st.size : zip_uint64_t(claimed) + st.size, zip_uint64_t(1)
                                                                                                          << 62);
        if (st.size > zip_uint64_t(MaxUncompressedBytes) || total > zip_uint64_t(MaxUncompressedBytes))
            return refuse(QStringLiteral("its entries claim %1 uncompressed by '%2'; a package holds at most %3")
                              .arg(mib(qint64(total)), name, mib(MaxUncompressedBytes)));
        claimed += qint64(st.size);
        if (directory) {
            if (st.size != 0)
                return refuse(QStringLiteral("the folder entry '%1' holds data").arg(name));
            continue;
        }
        Entry e{i, name, qint64(st.size)};
        if (name == PackageManifest::FileName)
            manifestEntry = e;
        else
            entries.append(e);
    }
    if (!manifestEntry)
        return refuse(QStringLiteral("it has no %1 at its root").arg(PackageManifest::FileName));
    if (manifestEntry->size > MaxManifestBytes)
        return refuse(QStringLiteral("%1 is larger than %2").arg(PackageManifest::FileName, mib(MaxManifestBytes)));

    qint64 budget = MaxUncompressedBytes;
    QByteArray manifestJson;
    QString why;
    if (!readEntry(z.get(), *manifestEntry, &budget, &manifestJson, &why))
        return refuse(QStringLiteral("%1 %2").arg(PackageManifest::FileName, why));
    QString manifestError;
    auto manifest = PackageManifest::fromJson(manifestJson, &manifestError);
    if (!manifest)
        return refuse(manifestError);

    // Exactly the files the manifest lists, each as its digest says.
    for (const Entry& e : entries) {
        if (!manifest->sha256.contains(e.name))
            return refuse(QStringLiteral("'%1' is in the archive but not listed in the manifest's sha256 (an extra "
                                         "file)")
                              .arg(e.name));
    }
    for (auto it = manifest->sha256.begin(); it != manifest->sha256.end(); ++it) {
        if (!seen.contains(it.key()))
            return refuse(QStringLiteral("the manifest lists '%1', which the archive does not hold (a missing file)")
                              .arg(it.key()));
    }
    Package package;
    for (const Entry& e : entries) {
        QByteArray data;
        if (!readEntry(z.get(), e, &budget, &data, &why))
            return refuse(QStringLiteral("'%1' %2").arg(e.name, why));
        const QString digest = hexSha256(data);
        if (digest != manifest->sha256.value(e.name))
            return refuse(QStringLiteral("'%1' does not match its SHA-256 in the manifest (the file was altered: "
                                         "%2, expected %3)")
                              .arg(e.name, digest, manifest->sha256.value(e.name)));
        package.files.insert(e.name, data);
    }
    package.manifest = *manifest;
    package.archive = bytes;
    package.sha256 = hexSha256(bytes);
    return package;
}
