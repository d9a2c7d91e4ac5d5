#include "package/RemotePackage.h"

#include "package/PackageArchive.h"
#include "package/PackageManifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

QJsonObject RemotePackage::toJson() const
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("version"), version},
            {QStringLiteral("type"), type}, {QStringLiteral("url"), url.toString()},
            {QStringLiteral("size"), size}, {QStringLiteral("sha256"), sha256}};
}

std::optional<QList<RemotePackage>> RemotePackage::parseIndex(const QByteArray& json, const QUrl& indexUrl,
                                                              QString* error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        *error =
            QStringLiteral("the index %1 is not valid JSON (%2)").arg(indexUrl.toString(), parseError.errorString());
        return std::nullopt;
    }
    const QJsonArray list = doc.isArray() ? doc.array() : doc.object().value(QStringLiteral("packages")).toArray();
    if (!doc.isArray() && !doc.object().value(QStringLiteral("packages")).isArray()) {
        *error = QStringLiteral("the index %1 holds no list of packages").arg(indexUrl.toString());
        return std::nullopt;
    }
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    QList<RemotePackage> result;
    for (int i = 0; i < list.size(); ++i) {
        const QJsonObject o = list.at(i).toObject();
        auto refuse = [&](const QString& why) {
            *error = QStringLiteral("the index %1, entry %2: %3").arg(indexUrl.toString()).arg(i + 1).arg(why);
            return std::nullopt;
        };
        RemotePackage p;
        p.name = o.value(QStringLiteral("name")).toString();
        p.version = o.value(QStringLiteral("version")).toString();
        p.type = o.value(QStringLiteral("type")).toString();
        const QString url = o.value(QStringLiteral("url")).toString();
        const double size = o.value(QStringLiteral("size")).toDouble(-1);
        p.sha256 = o.value(QStringLiteral("sha256")).toString().toLower();
        if (p.name.isEmpty() || p.version.isEmpty() || url.isEmpty())
            return refuse(QStringLiteral("name, version and url are required"));
        if (!PackageManifest::typeFromName(p.type))
            return refuse(QStringLiteral("type '%1' is not one of application, platform, reprovisioning, "
                                         "customization")
                              .arg(p.type));
        if (size <= 0 || size != double(qint64(size)) || size > double(PackageArchive::MaxUncompressedBytes) * 2)
            return refuse(QStringLiteral("size must be a whole number of bytes"));
        p.size = qint64(size);
        if (!hex.match(p.sha256).hasMatch())
            return refuse(QStringLiteral("sha256 must be 64 hexadecimal digits"));
        p.url = indexUrl.resolved(QUrl(url));
        if (p.url.scheme() != QLatin1String("http") && p.url.scheme() != QLatin1String("https"))
            return refuse(QStringLiteral("the url %1 is neither http nor https").arg(p.url.toString()));
        result << p;
    }
    return result;
}
