#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>
#include <optional>

// One entry of a remote shared library's index.json: where a package is and what it
// must be (its size and SHA-256) before it is accepted. A value type.
struct RemotePackage
{
    QString name;
    QString version;
    QString type;
    QUrl url; // absolute: relative URLs of the index are resolved against it
    qint64 size = 0;
    QString sha256; // lower-case hex

    QString title() const { return name + QLatin1Char(' ') + version; }
    QJsonObject toJson() const;

    // index.json: a list of {name, version, type, url, size, sha256}, or an object
    // whose "packages" is that list. Refuses an entry that lacks any of them.
    static std::optional<QList<RemotePackage>> parseIndex(const QByteArray& json, const QUrl& indexUrl, QString* error);
};
