#pragma once

#include <QSet>
#include <QString>

#include <zip.h>

// What every archive this product reads (a deployable package, a database backup)
// refuses of one entry of a zip's central directory, before a byte is inflated: no
// readable name or attributes, a name that is absolute, has ".." or a backslash
// (PackagePath::isSafe), a link, a device or another special file, a folder (unless
// allowed), a duplicate, an unknown size, encryption, a compression method this build
// cannot read.
namespace ZipEntryCheck {

struct Entry
{
    QString name;
    bool directory = false; // only when `allowFolders`
    qint64 size = 0;        // uncompressed, as the central directory claims it (it may lie)
};

// Checks entry `index` of `z`; `holder` names what holds it in the sentences ("a package
// holds only files"); `seen` collects the names. False with `why` (a sentence about the
// entry, without the archive's name).
bool check(zip_t* z, zip_uint64_t index, const QString& holder, bool allowFolders, QSet<QString>* seen, Entry* entry,
           QString* why);

} // namespace ZipEntryCheck
