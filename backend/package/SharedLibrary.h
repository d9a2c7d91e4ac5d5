#pragma once

#include "package/PackageAsset.h"

#include <QList>
#include <QString>
#include <optional>

// The shared asset library: the built-in packages (LCS ships the Environment
// reprovisioning tool; so do we, beside demo packages), built at run time from the
// package sources in the resources (resources/packages/<folder>/) into
// <catalog>/shared/<folder>.zip.
//
// Promises: the zips are built deterministically (PackageBuilder), so their SHA-256
// is the same from run to run; a zip already there with the right bytes is left
// alone, a stale or damaged one is replaced (temporary file, then rename).
class SharedLibrary
{
public:
    static inline const QString ReprovisioningTool = QStringLiteral("Environment reprovisioning tool");

    explicit SharedLibrary(const QString& catalogFolder);

    QString folder() const;
    // The resource folders of the built-in packages (":/packages/<folder>").
    static QStringList builtInSources();
    // Builds the missing or stale zips.
    bool ensureBuilt(QString* error);
    // Every package of the shared library, by name.
    QList<PackageAsset> list(QString* error);
    // `what`: a name (any case; the latest version) or "name@version".
    std::optional<PackageAsset> find(const QString& what, QString* error);

private:
    QString m_catalogFolder;
};
