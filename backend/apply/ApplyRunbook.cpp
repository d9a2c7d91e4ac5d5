#include "apply/ApplyRunbook.h"

#include "package/PackageManifest.h"

namespace ApplyRunbook {

QStringList stepNames(const PackageManifest& manifest)
{
    QStringList names = {QStringLiteral("Validate package"), QStringLiteral("Check prerequisites"),
                         QStringLiteral("Create restore point")};
    for (const PackageManifest::Step& s : manifest.steps)
        names << s.name;
    names << QStringLiteral("Update environment versions");
    return names;
}

} // namespace ApplyRunbook
