#pragma once

#include "environment/Environment.h"
#include "package/PackageAsset.h"

#include <QAbstractTableModel>
#include <QList>
#include <optional>

// The packages of an asset library as LCS's Asset library lists them: Name, Type,
// Version, Size, Imported (when and by whom). With a target environment set, every
// package also says whether it can be applied to it and, if not, why (the manifest's
// `requires` and `sets` against the environment's versions), for the Apply updates
// wizard.
//
// Promises: setPackages() takes a value snapshot; the same snapshot again signals
// nothing, any other resets the model. Reads no file and no database.
class PackageListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(PackageListModel)

public:
    enum Column
    {
        NameColumn,
        TypeColumn,
        VersionColumn,
        SizeColumn,
        ImportedColumn,
        PrerequisitesColumn, // what it requires; with a target: "Met" or why not
        ColumnCount
    };
    enum Role
    {
        Sha256Role = Qt::UserRole + 1, // in every column
        ApplicableRole,                // bool: no target set, or the target meets the requirements
        ReasonRole,                    // why it cannot be applied to the target (one line per reason)
    };

    explicit PackageListModel(QObject* parent = nullptr);

    void setPackages(const QList<PackageAsset>& packages);
    const QList<PackageAsset>& packages() const { return m_packages; }
    // The environment the applicability is checked against (nullopt: none).
    void setTarget(const std::optional<Environment>& target);
    // The package of `row`, or nullptr.
    const PackageAsset* packageAt(int row) const;
    int rowOf(const QString& sha256) const;

    // Why `asset` cannot be applied to `target` (one sentence each); empty: it can.
    static QStringList unmetRequirements(const PackageAsset& asset, const Environment& target);
    // "Application 10.0.40 or later, platform update 64 or later, Commerce", or "None".
    static QString requirementSummary(const PackageAsset& asset);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void recheck();

    QList<PackageAsset> m_packages;
    std::optional<Environment> m_target;
    QList<QStringList> m_unmet; // per row, against m_target
};
