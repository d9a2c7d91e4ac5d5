#pragma once

#include "schedule/RequestWindow.h"

#include "environment/Environment.h"
#include "package/PackageAsset.h"

#include <QList>
#include <QWizard>
#include <optional>

class PackageListModel;

// LCS's Maintain > Apply updates for one environment (one class per page, as the
// Move database wizard): the project's packages with their prerequisites checked
// against the environment's versions (only applicable ones can be chosen; the others
// say why), then a confirmation. Accepting it does not start anything: the caller
// creates the apply operation (ApplyJob::create) with package().
//
// Promises: it reads nothing but the values it is given (no file, no database).
class ApplyUpdatesWizard : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY(ApplyUpdatesWizard)

public:
    enum Page
    {
        Page_Package,
        Page_Confirm,
        Page_RequestWindow
    };

    ApplyUpdatesWizard(const Environment& target, const QList<PackageAsset>& packages, QWidget* parent = nullptr);

    const Environment& target() const { return m_target; }
    PackageListModel* packageModel() const { return m_model; }
    // The chosen package, when it may be applied.
    std::optional<PackageAsset> package() const;
    void setPackageRow(int row);
    // Finished on the window page ("Request for a window >" from the confirmation): the
    // downtime window to request the apply for; nullopt: apply now.
    std::optional<RequestWindow> requestWindow() const;
    bool requestForce() const;
    // The catalog the window page reads the estimate from.
    void setCatalogFolder(const QString& folder) { m_catalogFolder = folder; }
    int packageRow() const { return m_row; }

Q_SIGNALS:
    void packageChanged();

private:
    Environment m_target;
    QString m_catalogFolder;
    PackageListModel* m_model;
    int m_row = -1;
};
