#include "ZipEntries.h"

#include <QFile>

#include <zip.h>

QMap<QString, QByteArray> zipEntries(const QString& path, QString* error)
{
    QMap<QString, QByteArray> result;
    int code = 0;
    zip_t* z = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!z) {
        *error = QStringLiteral("cannot open %1 as a zip (libzip error %2)").arg(path).arg(code);
        return {};
    }
    const zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z, zip_uint64_t(i), 0, &st) != 0) {
            *error = QStringLiteral("cannot read entry %1: %2").arg(i).arg(QString::fromUtf8(zip_strerror(z)));
            zip_discard(z);
            return {};
        }
        zip_file_t* f = zip_fopen_index(z, zip_uint64_t(i), 0);
        if (!f) {
            *error = QStringLiteral("cannot open %1: %2")
                         .arg(QString::fromUtf8(st.name), QString::fromUtf8(zip_strerror(z)));
            zip_discard(z);
            return {};
        }
        QByteArray data(qsizetype(st.size), '\0');
        const zip_int64_t read = zip_fread(f, data.data(), st.size);
        zip_fclose(f);
        if (read != zip_int64_t(st.size)) {
            *error = QStringLiteral("cannot read %1").arg(QString::fromUtf8(st.name));
            zip_discard(z);
            return {};
        }
        result.insert(QString::fromUtf8(st.name), data);
    }
    zip_discard(z);
    return result;
}
