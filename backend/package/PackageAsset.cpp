#include "package/PackageAsset.h"

#include "package/Package.h"

PackageAsset PackageAsset::fromPackage(const Package& package)
{
    PackageAsset a;
    a.name = package.manifest.name;
    a.version = package.manifest.version;
    a.type = package.manifest.type;
    a.description = package.manifest.description;
    a.size = package.size();
    a.sha256 = package.sha256;
    a.requirements = package.manifest.requirements.toJson();
    a.sets = package.manifest.sets.toJson();
    return a;
}

QJsonObject PackageAsset::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("version"), version},
                  {QStringLiteral("type"), PackageManifest::typeName(type)},
                  {QStringLiteral("description"), description},
                  {QStringLiteral("size"), size},
                  {QStringLiteral("sha256"), sha256},
                  {QStringLiteral("importedAt"), importedAt.isValid()
                                                     ? QJsonValue(importedAt.toUTC().toString(Qt::ISODateWithMs))
                                                     : QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("importedBy"), importedBy},
                  {QStringLiteral("requires"), requirements},
                  {QStringLiteral("sets"), sets}};
    if (shared)
        o.insert(QStringLiteral("shared"), true);
    else
        o.insert(QStringLiteral("project"), projectId);
    return o;
}
