#include "ZipFixture.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryFile>

#include <cstring>
#include <zip.h>

namespace {

// A zip source of `remaining` zero bytes, produced as libzip reads them.
struct Zeros
{
    qint64 total = 0;
    qint64 offset = 0;
};

zip_int64_t zerosCallback(void* userdata, void* data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    auto* z = static_cast<Zeros*>(userdata);
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        z->offset = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        const qint64 n = std::min<qint64>(qint64(len), z->total - z->offset);
        std::memset(data, 0, size_t(n));
        z->offset += n;
        return n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = zip_uint64_t(z->total);
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return 2 * sizeof(int);
    case ZIP_SOURCE_FREE:
        delete z;
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        return -1;
    }
}

quint32 le32(const QByteArray& b, qsizetype at)
{
    const auto* p = reinterpret_cast<const unsigned char*>(b.constData() + at);
    return quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16) | (quint32(p[3]) << 24);
}

quint16 le16(const QByteArray& b, qsizetype at)
{
    const auto* p = reinterpret_cast<const unsigned char*>(b.constData() + at);
    return quint16(p[0] | (p[1] << 8));
}

void put32(QByteArray* b, qsizetype at, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        (*b)[at + i] = char((v >> (8 * i)) & 0xff);
}

} // namespace

namespace ZipFixture {

QByteArray build(const QList<Entry>& entries, QString* error)
{
    QTemporaryFile tmp;
    if (!tmp.open()) {
        *error = tmp.errorString();
        return {};
    }
    const QString path = tmp.fileName();
    tmp.close();
    int code = 0;
    zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!z) {
        *error = QStringLiteral("libzip error %1").arg(code);
        return {};
    }
    for (const Entry& e : entries) {
        zip_source_t* s = nullptr;
        if (e.zeros > 0)
            s = zip_source_function(z, zerosCallback, new Zeros{e.zeros, 0});
        else
            s = zip_source_buffer(z, e.data.constData(), zip_uint64_t(e.data.size()), 0);
        const zip_int64_t i = s ? zip_file_add(z, e.name.toUtf8().constData(), s, ZIP_FL_ENC_UTF_8) : -1;
        if (i < 0 || zip_file_set_external_attributes(z, zip_uint64_t(i), 0, ZIP_OPSYS_UNIX,
                                                      zip_uint32_t(e.unixMode) << 16) != 0) {
            *error = QStringLiteral("%1: %2").arg(e.name, QString::fromUtf8(zip_strerror(z)));
            if (s && i < 0)
                zip_source_free(s);
            zip_discard(z);
            return {};
        }
    }
    if (zip_close(z) != 0) {
        *error = QString::fromUtf8(zip_strerror(z));
        zip_discard(z);
        return {};
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = f.errorString();
        return {};
    }
    return f.readAll();
}

QList<Entry> packageEntries(QJsonObject manifest, const QMap<QString, QByteArray>& files)
{
    if (!manifest.contains(QStringLiteral("sha256"))) {
        QJsonObject hashes;
        for (auto it = files.begin(); it != files.end(); ++it)
            hashes.insert(it.key(), QString::fromLatin1(
                                        QCryptographicHash::hash(it.value(), QCryptographicHash::Sha256).toHex()));
        manifest.insert(QStringLiteral("sha256"), hashes);
    }
    QList<Entry> entries;
    entries << Entry{QStringLiteral("manifest.json"), QJsonDocument(manifest).toJson()};
    for (auto it = files.begin(); it != files.end(); ++it)
        entries << Entry{it.key(), it.value()};
    return entries;
}

QJsonObject sampleManifest()
{
    return QJsonObject{
        {QStringLiteral("format"), 1},
        {QStringLiteral("name"), QStringLiteral("Sample package")},
        {QStringLiteral("version"), QStringLiteral("1.0.0")},
        {QStringLiteral("type"), QStringLiteral("customization")},
        {QStringLiteral("description"), QStringLiteral("A package for the tests.")},
        {QStringLiteral("steps"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Create a table")},
                                                         {QStringLiteral("sql"), QStringLiteral("scripts/01.sql")}}}},
    };
}

QMap<QString, QByteArray> sampleFiles()
{
    return {
        {QStringLiteral("scripts/01.sql"), QByteArrayLiteral("CREATE TABLE SAMPLE (RECID INTEGER PRIMARY KEY);\n")}};
}

bool setClaimedSize(QByteArray* zip, const QString& name, quint32 size)
{
    // End of central directory: signature 0x06054b50, searched from the end.
    const qsizetype eocd = zip->lastIndexOf(QByteArrayLiteral("PK\x05\x06"));
    if (eocd < 0)
        return false;
    const int count = le16(*zip, eocd + 10);
    qsizetype at = qsizetype(le32(*zip, eocd + 16));
    const QByteArray wanted = name.toUtf8();
    for (int i = 0; i < count; ++i) {
        if (le32(*zip, at) != 0x02014b50)
            return false;
        const int nameLength = le16(*zip, at + 28);
        const int extraLength = le16(*zip, at + 30);
        const int commentLength = le16(*zip, at + 32);
        const qsizetype local = qsizetype(le32(*zip, at + 42));
        if (zip->mid(at + 46, nameLength) == wanted) {
            put32(zip, at + 24, size);    // central directory: uncompressed size
            put32(zip, local + 22, size); // local header: uncompressed size
            return true;
        }
        at += 46 + nameLength + extraLength + commentLength;
    }
    return false;
}

} // namespace ZipFixture
