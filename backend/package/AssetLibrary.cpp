#include "package/AssetLibrary.h"

#include "catalog/Catalog.h"
#include "package/PackageArchive.h"
#include "preflight/VersionNumber.h"

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace {

QJsonObject jsonObject(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString jsonText(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

AssetLibrary::AssetLibrary(Catalog& catalog) : m_catalog(catalog) {}

QString AssetLibrary::folderFor(const QString& catalogFolder, const QString& projectId)
{
    return QDir(catalogFolder).filePath(QStringLiteral("assets/") + projectId);
}

QList<PackageAsset> AssetLibrary::list(const QString& projectId) const
{
    QList<PackageAsset> result;
    QSqlQuery q(m_catalog.database());
    // The order of import within one millisecond: SQLite's rowid, PostgreSQL's ctid.
    const QString order = m_catalog.isTeam() ? QStringLiteral(" ORDER BY imported_at DESC, ctid DESC")
                                             : QStringLiteral(" ORDER BY imported_at DESC, rowid DESC");
    const QString columns = QStringLiteral("SELECT project_id, sha256, name, version, type, size, description, "
                                           "requires, sets, imported_at, imported_by FROM assets");
    if (projectId.isEmpty()) {
        q.exec(columns + order);
    } else {
        q.prepare(columns + QStringLiteral(" WHERE project_id = ?") + order);
        q.addBindValue(projectId);
        q.exec();
    }
    while (q.next()) {
        PackageAsset a;
        a.projectId = q.value(0).toString();
        a.sha256 = q.value(1).toString();
        a.name = q.value(2).toString();
        a.version = q.value(3).toString();
        a.type = PackageManifest::typeFromName(q.value(4).toString()).value_or(PackageManifest::Type::Customization);
        a.size = q.value(5).toLongLong();
        a.description = q.value(6).toString();
        a.requirements = jsonObject(q.value(7).toString());
        a.sets = jsonObject(q.value(8).toString());
        a.importedAt = QDateTime::fromString(q.value(9).toString(), Qt::ISODateWithMs);
        a.importedBy = q.value(10).toString();
        a.path = QDir(folderFor(m_catalog.folder(), a.projectId)).filePath(a.sha256 + QStringLiteral(".zip"));
        result.append(a);
    }
    return result;
}

std::optional<PackageAsset> AssetLibrary::find(const QString& projectId, const QString& what, QString* error) const
{
    const QList<PackageAsset> all = list(projectId);
    static const QRegularExpression shaPrefix(QStringLiteral("^[0-9a-fA-F]{8,64}$"));
    QList<PackageAsset> matches;
    if (shaPrefix.match(what).hasMatch()) {
        for (const PackageAsset& a : all) {
            if (a.sha256.startsWith(what.toLower()))
                matches << a;
        }
    }
    if (matches.isEmpty()) {
        const int at = what.lastIndexOf(QLatin1Char('@'));
        const QString name = at > 0 ? what.left(at) : what;
        const QString version = at > 0 ? what.mid(at + 1) : QString();
        for (const PackageAsset& a : all) {
            if (a.name.compare(name, Qt::CaseInsensitive) == 0 && (version.isEmpty() || a.version == version))
                matches << a;
        }
    }
    if (matches.isEmpty()) {
        *error = QStringLiteral("the asset library of %1 holds no package '%2' (dataalm package list shows them)")
                     .arg(projectId, what);
        return std::nullopt;
    }
    // The latest version of a name.
    std::sort(matches.begin(), matches.end(),
              [](const PackageAsset& a, const PackageAsset& b) { return compareVersions(a.version, b.version) > 0; });
    return matches.first();
}

std::optional<PackageAsset> AssetLibrary::importFile(const QString& projectId, const QString& path, QString* error,
                                                     Refusal* refusal)
{
    Refusal ignored;
    Refusal& why = refusal ? *refusal : ignored;
    why = Refusal::None;
    if (!m_catalog.project(projectId)) {
        why = Refusal::UnknownProject;
        *error = QStringLiteral("unknown project '%1'").arg(projectId);
        return std::nullopt;
    }
    auto package = PackageArchive::read(path, error);
    if (!package) {
        why = Refusal::InvalidPackage;
        return std::nullopt;
    }
    return store(projectId, *package, error, why);
}

std::optional<PackageAsset> AssetLibrary::importBytes(const QString& projectId, const QByteArray& zip,
                                                      const QString& displayName, QString* error, Refusal* refusal)
{
    Refusal ignored;
    Refusal& why = refusal ? *refusal : ignored;
    why = Refusal::None;
    if (!m_catalog.project(projectId)) {
        why = Refusal::UnknownProject;
        *error = QStringLiteral("unknown project '%1'").arg(projectId);
        return std::nullopt;
    }
    auto package = PackageArchive::fromBytes(zip, displayName, error);
    if (!package) {
        why = Refusal::InvalidPackage;
        return std::nullopt;
    }
    return store(projectId, *package, error, why);
}

std::optional<PackageAsset> AssetLibrary::store(const QString& projectId, const Package& package, QString* error,
                                                Refusal& why)
{
    PackageAsset asset = PackageAsset::fromPackage(package);
    asset.projectId = projectId;
    for (const PackageAsset& a : list(projectId)) {
        if (a.name == asset.name && a.version == asset.version) {
            why = Refusal::Duplicate;
            *error = QStringLiteral("The asset library of %1 already holds %2 (imported on %3 by %4); a package name "
                                    "and version are imported once.")
                         .arg(projectId, a.title(),
                              QLocale::c().toString(a.importedAt.toLocalTime(), QStringLiteral("d MMM yyyy 'at' HH:mm")),
                              a.importedBy);
            return std::nullopt;
        }
    }

    const QString folder = folderFor(m_catalog.folder(), projectId);
    asset.path = QDir(folder).filePath(asset.sha256 + QStringLiteral(".zip"));
    if (!QDir().mkpath(folder)) {
        why = Refusal::WriteFailed;
        *error = QStringLiteral("cannot create the asset folder %1").arg(folder);
        return std::nullopt;
    }
    const bool existed = QFileInfo::exists(asset.path);
    QSaveFile out(asset.path); // a temporary file beside it, synced, then renamed
    if (!out.open(QIODevice::WriteOnly) || out.write(package.archive) != package.archive.size() || !out.commit()) {
        why = Refusal::WriteFailed;
        *error = QStringLiteral("cannot write %1: %2").arg(asset.path, out.errorString());
        return std::nullopt;
    }

    asset.importedAt = QDateTime::fromString(Catalog::now(), Qt::ISODateWithMs);
    asset.importedBy = Catalog::currentUser();
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("INSERT INTO assets (project_id, sha256, name, version, type, size, description, "
                             "requires, sets, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(projectId);
    q.addBindValue(asset.sha256);
    q.addBindValue(asset.name);
    q.addBindValue(asset.version);
    q.addBindValue(PackageManifest::typeName(asset.type));
    q.addBindValue(asset.size);
    q.addBindValue(asset.description.isNull() ? QStringLiteral("") : asset.description);
    q.addBindValue(jsonText(asset.requirements));
    q.addBindValue(jsonText(asset.sets));
    q.addBindValue(asset.importedAt.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(asset.importedBy);
    if (!q.exec()) {
        if (!existed)
            QFile::remove(asset.path);
        const bool duplicate = q.lastError().text().contains(QLatin1String("UNIQUE"));
        why = duplicate ? Refusal::Duplicate : Refusal::WriteFailed;
        *error = duplicate
                     ? QStringLiteral("The asset library of %1 already holds %2.").arg(projectId, asset.title())
                     : QStringLiteral("cannot list %1 in the catalog: %2").arg(asset.title(), q.lastError().text());
        return std::nullopt;
    }
    m_catalog.audit(QStringLiteral("package.import"), projectId,
                    QStringLiteral("%1 (%2)").arg(asset.title(), asset.sha256));
    return asset;
}

bool AssetLibrary::remove(const QString& projectId, const QString& sha256, QString* error, Refusal* refusal)
{
    Refusal ignored;
    Refusal& why = refusal ? *refusal : ignored;
    why = Refusal::None;
    std::optional<PackageAsset> asset;
    for (const PackageAsset& a : list(projectId)) {
        if (a.sha256 == sha256)
            asset = a;
    }
    if (!asset) {
        why = Refusal::NotFound;
        *error = QStringLiteral("the asset library of %1 holds no package %2").arg(projectId, sha256);
        return false;
    }
    QSqlQuery q(m_catalog.database());
    q.prepare(
        QStringLiteral("SELECT id FROM operations WHERE kind = 'apply' AND state IN ('NotStarted', "
                       "'InProgress', 'Failed', 'RollbackInProgress', 'RollbackFailed') AND %1(params, ?) > 0")
                       .arg(m_catalog.isTeam() ? QLatin1String("strpos") : QLatin1String("instr")));
    q.addBindValue(sha256);
    if (q.exec() && q.next()) {
        why = Refusal::InUse;
        *error =
            QStringLiteral("operation %1 uses %2; finish it first").arg(q.value(0).toLongLong()).arg(asset->title());
        return false;
    }
    QSqlQuery d(m_catalog.database());
    d.prepare(QStringLiteral("DELETE FROM assets WHERE project_id = ? AND sha256 = ?"));
    d.addBindValue(projectId);
    d.addBindValue(sha256);
    if (!d.exec()) {
        why = Refusal::WriteFailed;
        *error = d.lastError().text();
        return false;
    }
    QFile::remove(asset->path);
    m_catalog.audit(QStringLiteral("package.remove"), projectId, asset->title());
    return true;
}
