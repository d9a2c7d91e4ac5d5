#include "package/SharedLibrary.h"

#include "package/PackageArchive.h"
#include "package/PackageBuilder.h"
#include "preflight/VersionNumber.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

namespace {

const QString ResourceRoot = QStringLiteral(":/packages");

} // namespace

SharedLibrary::SharedLibrary(const QString& catalogFolder) : m_catalogFolder(catalogFolder) {}

QString SharedLibrary::folder() const
{
    return QDir(m_catalogFolder).filePath(QStringLiteral("shared"));
}

QStringList SharedLibrary::builtInSources()
{
    QStringList result;
    const QDir root(ResourceRoot);
    for (const QString& d : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        result << root.filePath(d);
    return result;
}

bool SharedLibrary::ensureBuilt(QString* error)
{
    const QString out = folder();
    if (!QDir().mkpath(out)) {
        *error = QStringLiteral("cannot create the shared library folder %1").arg(out);
        return false;
    }
    for (const QString& source : builtInSources()) {
        QString e;
        auto bytes = PackageBuilder::buildFromFolder(source, &e);
        if (!bytes) {
            *error = QStringLiteral("the built-in package %1 cannot be built: %2").arg(source, e);
            return false;
        }
        const QString path = QDir(out).filePath(QFileInfo(source).fileName() + QStringLiteral(".zip"));
        QFile existing(path);
        if (existing.open(QIODevice::ReadOnly) && existing.size() == bytes->size() && existing.readAll() == *bytes)
            continue;
        existing.close();
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(*bytes) != bytes->size() || !f.commit()) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
            return false;
        }
    }
    return true;
}

QList<PackageAsset> SharedLibrary::list(QString* error)
{
    QList<PackageAsset> result;
    if (!ensureBuilt(error))
        return result;
    const QDir dir(folder());
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("*.zip")}, QDir::Files, QDir::Name)) {
        QString e;
        auto package = PackageArchive::read(f.absoluteFilePath(), &e);
        if (!package)
            continue; // not ours to judge here: import names the cause
        PackageAsset a = PackageAsset::fromPackage(*package);
        a.shared = true;
        a.path = f.absoluteFilePath();
        a.importedAt = f.lastModified();
        a.importedBy = QStringLiteral("built-in");
        result << a;
    }
    std::sort(result.begin(), result.end(), [](const PackageAsset& a, const PackageAsset& b) {
        const int c = a.name.compare(b.name, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : compareVersions(a.version, b.version) > 0;
    });
    return result;
}

std::optional<PackageAsset> SharedLibrary::find(const QString& what, QString* error)
{
    QString e;
    const QList<PackageAsset> all = list(&e);
    if (!e.isEmpty()) {
        *error = e;
        return std::nullopt;
    }
    const int at = what.lastIndexOf(QLatin1Char('@'));
    const QString name = at > 0 ? what.left(at) : what;
    const QString version = at > 0 ? what.mid(at + 1) : QString();
    for (const PackageAsset& a : all) { // latest version first
        if (a.name.compare(name, Qt::CaseInsensitive) == 0 && (version.isEmpty() || a.version == version))
            return a;
    }
    QStringList names;
    for (const PackageAsset& a : all)
        names << a.title();
    *error = QStringLiteral("the shared library holds no package '%1' (it holds: %2)")
                 .arg(what, names.join(QStringLiteral(", ")));
    return std::nullopt;
}
