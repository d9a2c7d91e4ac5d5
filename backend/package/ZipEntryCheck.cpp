#include "package/ZipEntryCheck.h"

#include "package/PackagePath.h"

#include <sys/stat.h>

bool ZipEntryCheck::check(zip_t* z, zip_uint64_t index, const QString& holder, bool allowFolders,
                          QSet<QString>* seen, Entry* entry, QString* why)
{
    const char* raw = zip_get_name(z, index, ZIP_FL_ENC_GUESS);
    if (!raw) {
        *why = QStringLiteral("entry %1 has no readable name").arg(index + 1);
        return false;
    }
    const QString name = QString::fromUtf8(raw);
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(z, index, 0, &opsys, &attributes) != 0) {
        *why = QStringLiteral("the attributes of '%1' cannot be read").arg(name);
        return false;
    }
    const bool directory = name.endsWith(QLatin1Char('/'));
    if (directory && !allowFolders) {
        *why = QStringLiteral("the entry name '%1' is a folder; %2 holds only files").arg(name, holder);
        return false;
    }
    if (opsys == ZIP_OPSYS_UNIX) {
        const mode_t kind = mode_t(attributes >> 16) & S_IFMT;
        if (kind == S_IFLNK) {
            *why = QStringLiteral("'%1' is a symbolic link; %2 holds only files").arg(name, holder);
            return false;
        }
        if (kind != 0 && kind != S_IFREG && !(allowFolders && kind == S_IFDIR)) {
            *why = QStringLiteral("'%1' is not a regular file").arg(name);
            return false;
        }
        if (kind == S_IFDIR && !directory) {
            *why = QStringLiteral("'%1' is a folder without a trailing slash").arg(name);
            return false;
        }
    }
    QString unsafe;
    if (!PackagePath::isSafe(directory ? name.chopped(1) : name, &unsafe)) {
        *why = QStringLiteral("the entry name '%1' %2").arg(name, unsafe);
        return false;
    }
    if (seen->contains(name)) {
        *why = QStringLiteral("'%1' appears twice in the archive").arg(name);
        return false;
    }
    seen->insert(name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        *why = QStringLiteral("the size of '%1' cannot be read").arg(name);
        return false;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        *why = QStringLiteral("'%1' is encrypted").arg(name);
        return false;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(st.comp_method, 0)) {
        *why = QStringLiteral("'%1' uses compression method %2, which this build cannot read").arg(name).arg(st.comp_method);
        return false;
    }
    entry->name = name;
    entry->directory = directory;
    entry->size = qint64(std::min<zip_uint64_t>(st.size, zip_uint64_t(1) << 62));
    return true;
}
