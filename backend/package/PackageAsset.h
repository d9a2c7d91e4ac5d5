#pragma once

#include "package/PackageManifest.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

struct Package;

// One package in an asset library (a project's, or the shared one of built-in
// packages), as the library lists it: a value type, safe to copy between threads.
struct PackageAsset
{
    QString projectId; // empty in the shared library
    QString name;
    QString version;
    PackageManifest::Type type = PackageManifest::Type::Application;
    QString description;
    qint64 size = 0; // of the zip
    QString sha256;  // of the zip, lower-case hex
    QDateTime importedAt;
    QString importedBy;       // "built-in" in the shared library
    QJsonObject requirements; // the manifest's "requires"
    QJsonObject sets;
    QString path; // the zip file
    bool shared = false;

    static PackageAsset fromPackage(const Package& package);
    // "Environment reprovisioning tool 1.0.0".
    QString title() const { return name + QLatin1Char(' ') + version; }
    // name, version, type, description, size, sha256, importedAt, importedBy,
    // requires, sets, and project or shared.
    QJsonObject toJson() const;
};
