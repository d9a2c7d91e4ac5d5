#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <optional>

// Builds package zips deterministically: the same manifest and files give the same
// bytes (entries in name order, a fixed timestamp, regular-file attributes, deflate),
// so a built-in package keeps its SHA-256 from run to run and machine to machine.
// It fills in the manifest's `sha256` and checks the result with PackageArchive, so
// what it returns is a valid package.
class PackageBuilder
{
public:
    // `files`: path -> bytes, every file but the manifest.
    static std::optional<QByteArray> build(QJsonObject manifest, const QMap<QString, QByteArray>& files,
                                           QString* error);
    // The package of a folder (a Qt resource folder too) holding manifest.json and
    // the files it names, nothing else.
    static std::optional<QByteArray> buildFromFolder(const QString& folder, QString* error);
    // A zip of `entries` (path -> bytes) in name order, as build() writes it.
    static std::optional<QByteArray> zip(const QMap<QString, QByteArray>& entries, QString* error);
};
