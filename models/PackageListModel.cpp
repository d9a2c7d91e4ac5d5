#include "PackageListModel.h"
#include "core/ByteSize.h"

#include <QLocale>

namespace {

bool samePackage(const PackageAsset& a, const PackageAsset& b)
{
    return a.sha256 == b.sha256 && a.projectId == b.projectId && a.name == b.name && a.version == b.version &&
           a.importedAt == b.importedAt && a.importedBy == b.importedBy && a.size == b.size && a.path == b.path;
}

} // namespace

PackageListModel::PackageListModel(QObject* parent) : QAbstractTableModel(parent) {}

void PackageListModel::setPackages(const QList<PackageAsset>& packages)
{
    const bool same = packages.size() == m_packages.size() &&
                      std::equal(packages.begin(), packages.end(), m_packages.begin(), samePackage);
    if (same)
        return;
    beginResetModel();
    m_packages = packages;
    recheck();
    endResetModel();
}

void PackageListModel::setTarget(const std::optional<Environment>& target)
{
    m_target = target;
    recheck();
    if (!m_packages.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void PackageListModel::recheck()
{
    m_unmet.clear();
    for (const PackageAsset& p : m_packages)
        m_unmet.append(m_target ? unmetRequirements(p, *m_target) : QStringList());
}

QStringList PackageListModel::unmetRequirements(const PackageAsset& asset, const Environment& target)
{
    // The listed `requires` and `sets` are the manifest's: the manifest's own rule decides.
    PackageManifest manifest;
    manifest.name = asset.name;
    manifest.version = asset.version;
    manifest.type = asset.type;
    manifest.requirements.application = asset.requirements.value(QStringLiteral("application")).toString();
    manifest.requirements.platform = asset.requirements.value(QStringLiteral("platform")).toInt();
    manifest.requirements.commerce = asset.requirements.value(QStringLiteral("commerce")).toBool();
    manifest.sets.application = asset.sets.value(QStringLiteral("application")).toString();
    manifest.sets.platform = asset.sets.value(QStringLiteral("platform")).toInt();
    manifest.sets.financialReporting = asset.sets.value(QStringLiteral("financialReporting")).toString();
    manifest.sets.commerce = asset.sets.value(QStringLiteral("commerce")).toString();
    return manifest.unmetRequirements(target);
}

QString PackageListModel::requirementSummary(const PackageAsset& asset)
{
    QStringList parts;
    const QString application = asset.requirements.value(QStringLiteral("application")).toString();
    if (!application.isEmpty())
        parts << tr("Application %1 or later").arg(application);
    if (const int platform = asset.requirements.value(QStringLiteral("platform")).toInt(); platform > 0)
        parts << tr("platform update %1 or later").arg(platform);
    if (asset.requirements.value(QStringLiteral("commerce")).toBool())
        parts << tr("Commerce");
    if (parts.isEmpty())
        return tr("None");
    parts.first()[0] = parts.first().at(0).toUpper();
    return parts.join(QStringLiteral(", "));
}

const PackageAsset* PackageListModel::packageAt(int row) const
{
    return row >= 0 && row < m_packages.size() ? &m_packages.at(row) : nullptr;
}

int PackageListModel::rowOf(const QString& sha256) const
{
    for (int i = 0; i < m_packages.size(); ++i) {
        if (m_packages.at(i).sha256 == sha256)
            return i;
    }
    return -1;
}

int PackageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_packages.size());
}

int PackageListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PackageListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PackageAsset& p = m_packages.at(index.row());
    const QStringList& unmet = m_unmet.at(index.row());
    switch (role) {
    case Sha256Role:
        return p.sha256;
    case ApplicableRole:
        return unmet.isEmpty();
    case ReasonRole:
        return unmet.join(QLatin1Char('\n'));
    case Qt::ToolTipRole:
        if (!unmet.isEmpty())
            return unmet.join(QLatin1Char('\n'));
        if (index.column() == NameColumn)
            return p.description;
        if (index.column() == SizeColumn)
            return tr("%1 bytes, SHA-256 %2").arg(QLocale().toString(p.size), p.sha256);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return p.name;
        case TypeColumn:
            return PackageManifest::typeTitle(p.type);
        case VersionColumn:
            return p.version;
        case SizeColumn:
            return ByteSize::text(p.size);
        case PrerequisitesColumn:
            if (!m_target)
                return requirementSummary(p);
            return unmet.isEmpty() ? tr("Met by %1").arg(m_target->id) : unmet.constFirst();
        case ImportedColumn:
            if (p.shared)
                return tr("Built in");
            return tr("%1 by %2")
                .arg(QLocale().toString(p.importedAt.toLocalTime(), QLocale::ShortFormat), p.importedBy);
        }
        return {};
    }
    return {};
}

QVariant PackageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case VersionColumn:
        return tr("Version");
    case SizeColumn:
        return tr("Size");
    case ImportedColumn:
        return tr("Imported");
    case PrerequisitesColumn:
        return tr("Prerequisites");
    }
    return {};
}
