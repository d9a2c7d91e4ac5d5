#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

// Zip archives for the package validation tests, written with libzip entry by entry,
// including what no honest tool writes: symbolic links, names with "..", backslashes
// or a leading slash, and (patched afterwards) headers that lie about a size.
namespace ZipFixture {

struct Entry
{
    QString name;
    QByteArray data;
    unsigned unixMode = 0100644; // S_IFREG | 0644; 0120777 is a symbolic link
    qint64 zeros = 0;            // > 0: the entry is this many zero bytes, streamed (data is ignored)
};

// The archive of `entries`, in that order, deflated.
QByteArray build(const QList<Entry>& entries, QString* error);

// A package's entries: manifest.json (its "sha256" filled from `files` unless the
// manifest already has one) and the files.
QList<Entry> packageEntries(QJsonObject manifest, const QMap<QString, QByteArray>& files);

// A small valid manifest with one sql step on scripts/01.sql.
QJsonObject sampleManifest();
// The file of sampleManifest().
QMap<QString, QByteArray> sampleFiles();

// Rewrites the uncompressed size that the local header and the central directory give
// for the entry `name` (a header that lies). False if the entry is not found.
bool setClaimedSize(QByteArray* zip, const QString& name, quint32 size);

} // namespace ZipFixture
