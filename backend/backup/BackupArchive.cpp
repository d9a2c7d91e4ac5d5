#include "backup/BackupArchive.h"

#include "core/ByteSize.h"
#include "package/ZipEntryCheck.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <zip.h>

#include <memory>

namespace {

struct ZipCloser
{
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser
{
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

constexpr qint64 Chunk = 1 << 20;
const QString ManifestName = QStringLiteral("manifest.json");

bool syncFile(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace

QString BackupArchive::sha256Of(const QString& path, QString* error, const Cancelled& cancelled)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return {};
    }
    // OpenSSL's SHA-256 (the CPU's SHA instructions where it has them): about five times
    // QCryptographicHash's speed here, so that a backup's digests cost what reading it costs.
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        *error = QStringLiteral("cannot start a SHA-256 digest");
        return {};
    }
    QByteArray buffer(int(Chunk), Qt::Uninitialized);
    while (true) {
        const qint64 n = f.read(buffer.data(), Chunk);
        if (n < 0) {
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
            return {};
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(ctx.get(), buffer.constData(), size_t(n));
        if (cancelled && cancelled()) {
            *error = QStringLiteral("cancelled");
            return {};
        }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest), int(length)).toHex());
}

bool BackupArchive::write(const QString& path, BackupManifest manifest, const QList<QPair<QString, QString>>& files,
                          const Progress& progress, const Cancelled& cancelled, QString* error,
                          BackupManifest* written, const QMap<QString, QString>& knownSha256)
{
    const QString part = path + QStringLiteral(".part");
    QFile::remove(part);
    const auto fail = [&](const QString& why) {
        *error = why;
        QFile::remove(part);
        return false;
    };
    // The manifest lists every file with its digest: each is read once before the zip is written.
    manifest.files.clear();
    qint64 total = 0;
    for (const auto& [name, file] : files) {
        QString e;
        const QString digest = knownSha256.contains(name) ? knownSha256.value(name) : sha256Of(file, &e, cancelled);
        if (digest.isEmpty())
            return fail(e);
        manifest.files.append({name, QFileInfo(file).size(), digest});
        total += QFileInfo(file).size();
    }
    int zerr = 0;
    std::unique_ptr<zip_t, ZipCloser> z(zip_open(QFile::encodeName(part).constData(), ZIP_CREATE | ZIP_TRUNCATE, &zerr));
    if (!z)
        return fail(QStringLiteral("cannot create %1 (libzip error %2)").arg(part).arg(zerr));
    const QByteArray manifestJson = manifest.toJson();
    zip_source_t* ms = zip_source_buffer(z.get(), manifestJson.constData(), zip_uint64_t(manifestJson.size()), 0);
    if (!ms || zip_file_add(z.get(), ManifestName.toUtf8().constData(), ms, ZIP_FL_ENC_UTF_8) < 0) {
        if (ms)
            zip_source_free(ms);
        return fail(QStringLiteral("cannot add the manifest: %1").arg(QString::fromUtf8(zip_strerror(z.get()))));
    }
    for (const auto& [name, file] : files) {
        zip_source_t* s = zip_source_file(z.get(), QFile::encodeName(file).constData(), 0, -1);
        if (!s)
            return fail(QStringLiteral("cannot read %1: %2").arg(file, QString::fromUtf8(zip_strerror(z.get()))));
        const zip_int64_t index = zip_file_add(z.get(), name.toUtf8().constData(), s, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(s);
            return fail(QStringLiteral("cannot add %1: %2").arg(name, QString::fromUtf8(zip_strerror(z.get()))));
        }
        zip_set_file_compression(z.get(), zip_uint64_t(index), ZIP_CM_STORE, 0);
    }
    struct State
    {
        const Progress* progress;
        const Cancelled* cancelled;
        qint64 total;
    } state{&progress, &cancelled, total};
    zip_register_progress_callback_with_state(
        z.get(), 0.01,
        [](zip_t*, double fraction, void* ud) {
            auto* s = static_cast<State*>(ud);
            if (*s->progress)
                (*s->progress)(qint64(fraction * double(s->total)), s->total);
        },
        nullptr, &state);
    zip_register_cancel_callback_with_state(
        z.get(),
        [](zip_t*, void* ud) {
            auto* s = static_cast<State*>(ud);
            return (*s->cancelled && (*s->cancelled)()) ? 1 : 0;
        },
        nullptr, &state);
    zip_t* raw = z.release();
    if (zip_close(raw) != 0) {
        const QString why = QString::fromUtf8(zip_strerror(raw));
        zip_discard(raw);
        return fail(cancelled && cancelled() ? QStringLiteral("cancelled")
                                             : QStringLiteral("cannot write %1: %2").arg(part, why));
    }
    if (!syncFile(part))
        return fail(QStringLiteral("cannot sync %1 to disk").arg(part));
    QFile::remove(path);
    if (::rename(QFile::encodeName(part).constData(), QFile::encodeName(path).constData()) != 0)
        return fail(QStringLiteral("cannot rename %1 to %2").arg(part, path));
    if (written)
        *written = manifest;
    return true;
}

std::optional<BackupManifest> BackupArchive::inspect(const QString& path, QString* error)
{
    const QString display = QFileInfo(path).fileName();
    const auto refuse = [&](const QString& why) {
        *error = QStringLiteral("%1 is not a valid database backup: %2").arg(display, why);
        return std::nullopt;
    };
    if (!QFileInfo(path).isFile())
        return refuse(QStringLiteral("no such file"));
    int zerr = 0;
    std::unique_ptr<zip_t, ZipCloser> z(zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &zerr));
    if (!z) {
        if (zerr == ZIP_ER_NOZIP)
            return refuse(QStringLiteral("the file is not a zip archive (or it is truncated)"));
        if (zerr == ZIP_ER_INCONS)
            return refuse(QStringLiteral("the archive is truncated or damaged"));
        return refuse(QStringLiteral("the archive cannot be read (libzip error %1)").arg(zerr));
    }
    const zip_int64_t count = zip_get_num_entries(z.get(), 0);
    if (count < 1 || count > 100000)
        return refuse(QStringLiteral("the archive holds %1 entries").arg(count));
    QSet<QString> seen;
    QMap<QString, qint64> sizes;
    std::optional<zip_uint64_t> manifestIndex;
    for (zip_uint64_t i = 0; i < zip_uint64_t(count); ++i) {
        ZipEntryCheck::Entry checked;
        QString why;
        if (!ZipEntryCheck::check(z.get(), i, QStringLiteral("a backup"), false, &seen, &checked, &why))
            return refuse(why);
        const QString& name = checked.name;
        if (name == ManifestName)
            manifestIndex = i;
        else
            sizes.insert(name, checked.size);
    }
    if (!manifestIndex)
        return refuse(QStringLiteral("it holds no manifest.json"));
    zip_stat_t st;
    zip_stat_init(&st);
    zip_stat_index(z.get(), *manifestIndex, 0, &st);
    if (qint64(st.size) > BackupManifest::MaxBytes)
        return refuse(QStringLiteral("manifest.json is larger than 1 MiB"));
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(z.get(), *manifestIndex, 0));
    if (!f)
        return refuse(QStringLiteral("manifest.json cannot be read"));
    QByteArray json(int(st.size), Qt::Uninitialized);
    if (zip_fread(f.get(), json.data(), zip_uint64_t(json.size())) != zip_int64_t(json.size()))
        return refuse(QStringLiteral("manifest.json is damaged"));
    QString why;
    std::optional<BackupManifest> m = BackupManifest::fromJson(json, &why);
    if (!m)
        return refuse(why);
    for (const BackupManifest::File& file : m->files) {
        if (!sizes.contains(file.name))
            return refuse(QStringLiteral("manifest.json lists %1, which the archive lacks").arg(file.name));
        if (sizes.value(file.name) != file.bytes)
            return refuse(QStringLiteral("%1 holds %2 bytes; manifest.json says %3")
                              .arg(file.name)
                              .arg(sizes.value(file.name))
                              .arg(file.bytes));
    }
    for (auto it = sizes.begin(); it != sizes.end(); ++it) {
        if (!m->file(it.key()))
            return refuse(QStringLiteral("%1 is not listed in manifest.json").arg(it.key()));
    }
    return m;
}

bool BackupArchive::extract(const QString& path, const BackupManifest& manifest, const QString& name,
                            const QString& destination, const Progress& progress, const Cancelled& cancelled,
                            QString* error)
{
    const BackupManifest::File* expected = manifest.file(name);
    if (!expected) {
        *error = QStringLiteral("the backup holds no %1").arg(name);
        return false;
    }
    int zerr = 0;
    std::unique_ptr<zip_t, ZipCloser> z(zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &zerr));
    if (!z) {
        *error = QStringLiteral("cannot open %1 (libzip error %2)").arg(path).arg(zerr);
        return false;
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen(z.get(), name.toUtf8().constData(), 0));
    if (!f) {
        *error = QStringLiteral("cannot read %1 in %2: %3").arg(name, path, QString::fromUtf8(zip_strerror(z.get())));
        return false;
    }
    QFile out(destination);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot write %1: %2").arg(destination, out.errorString());
        return false;
    }
    const auto fail = [&](const QString& why) {
        *error = why;
        out.close();
        QFile::remove(destination);
        return false;
    };
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> hash(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!hash || EVP_DigestInit_ex(hash.get(), EVP_sha256(), nullptr) != 1)
        return fail(QStringLiteral("cannot start a SHA-256 digest"));
    QByteArray buffer(int(Chunk), Qt::Uninitialized);
    qint64 done = 0;
    while (true) {
        const zip_int64_t n = zip_fread(f.get(), buffer.data(), zip_uint64_t(Chunk));
        if (n < 0)
            return fail(QStringLiteral("%1 in %2 is damaged: %3")
                            .arg(name, QFileInfo(path).fileName(), QString::fromUtf8(zip_file_strerror(f.get()))));
        if (n == 0)
            break;
        done += n;
        if (done > expected->bytes)
            return fail(QStringLiteral("%1 in %2 inflates to more than the %3 bytes its manifest lists")
                            .arg(name, QFileInfo(path).fileName())
                            .arg(expected->bytes));
        EVP_DigestUpdate(hash.get(), buffer.constData(), size_t(n));
        if (out.write(buffer.constData(), n) != n)
            return fail(QStringLiteral("cannot write %1: %2").arg(destination, out.errorString()));
        if (progress)
            progress(done, expected->bytes);
        if (cancelled && cancelled())
            return fail(QStringLiteral("cancelled"));
    }
    if (done != expected->bytes)
        return fail(QStringLiteral("%1 in %2 holds %3 bytes; its manifest lists %4")
                        .arg(name, QFileInfo(path).fileName())
                        .arg(done)
                        .arg(expected->bytes));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(hash.get(), digest, &length);
    if (QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest), int(length)).toHex()) != expected->sha256)
        return fail(QStringLiteral("%1 in %2 does not match the SHA-256 its manifest lists: the backup was altered "
                                   "or damaged")
                        .arg(name, QFileInfo(path).fileName()));
    if (!out.flush() || ::fsync(out.handle()) != 0)
        return fail(QStringLiteral("cannot write %1 to disk").arg(destination));
    out.close();
    return true;
}
