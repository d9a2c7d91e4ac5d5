#include "ApplyUpdatesWizard.h"

#include "ApplyConfirmationPage.h"
#include "PackageChoicePage.h"
#include "PackageListModel.h"
#include "operation/OperationKinds.h"
#include "wizard/RequestWindowPage.h"

ApplyUpdatesWizard::ApplyUpdatesWizard(const Environment& target, const QList<PackageAsset>& packages, QWidget* parent)
    : QWizard(parent), m_target(target), m_model(new PackageListModel(this))
{
    setObjectName(QStringLiteral("applyUpdatesWizard"));
    setWindowTitle(tr("Apply updates — %1").arg(target.name));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveHelpButton, false);
    setButtonText(QWizard::FinishButton, tr("&Apply"));
    setButtonText(QWizard::NextButton, tr("&Next >"));
    setButtonText(QWizard::BackButton, tr("< &Back"));

    m_model->setPackages(packages);
    m_model->setTarget(target);

    setPage(Page_Package, new PackageChoicePage(this));
    setPage(Page_Confirm, new ApplyConfirmationPage(this));
    setPage(Page_RequestWindow, new RequestWindowPage([this] {
                return RequestWindowPage::Subject{m_catalogFolder, OperationKinds::Apply, QString(), m_target.id};
            }, this));
    // The confirmation offers both: Apply now (Finish), or Request for a window (Next).
    page(Page_Confirm)->setFinalPage(true);
    setStartId(Page_Package);
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        setButtonText(QWizard::NextButton, id == Page_Confirm ? tr("Request for a &window >") : tr("&Next >"));
        setButtonText(QWizard::FinishButton, id == Page_RequestWindow ? tr("&Request") : tr("&Apply"));
    });
    // The first package that can be applied is proposed.
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->index(r, 0).data(PackageListModel::ApplicableRole).toBool()) {
            m_row = r;
            break;
        }
    }
    resize(920, 560);
}

std::optional<RequestWindow> ApplyUpdatesWizard::requestWindow() const
{
    if (currentId() != Page_RequestWindow)
        return std::nullopt;
    return static_cast<RequestWindowPage*>(page(Page_RequestWindow))->window();
}

bool ApplyUpdatesWizard::requestForce() const
{
    return currentId() == Page_RequestWindow && static_cast<RequestWindowPage*>(page(Page_RequestWindow))->force();
}

std::optional<PackageAsset> ApplyUpdatesWizard::package() const
{
    const PackageAsset* p = m_model->packageAt(m_row);
    if (!p || !m_model->index(m_row, 0).data(PackageListModel::ApplicableRole).toBool())
        return std::nullopt;
    return *p;
}

void ApplyUpdatesWizard::setPackageRow(int row)
{
    if (row == m_row)
        return;
    m_row = row;
    Q_EMIT packageChanged();
}
