#include "PackageChoicePage.h"

#include "ApplyUpdatesWizard.h"
#include "GridView.h"
#include "PackageListModel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QVBoxLayout>

PackageChoicePage::PackageChoicePage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("packageChoicePage"));
    setTitle(tr("Package"));
    setSubTitle(tr("Choose a package of the project's asset library. Its prerequisites are checked against the "
                   "environment's versions; a package that does not fit says why."));

    m_versions = new QLabel(this);
    m_versions->setObjectName(QStringLiteral("targetVersions"));
    m_versions->setWordWrap(true);
    m_versions->setTextFormat(Qt::RichText);
    auto* caption = new QLabel(tr("&Packages of the asset library:"), this);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("applyPackageList"));
    m_view->setPlaceholderText(tr("The asset library is empty: import a package first (Maintain > Asset Library)."));
    m_view->setHeightInRows(3, 8);
    caption->setBuddy(m_view);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("packageSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_summary->setMinimumHeight(m_summary->fontMetrics().lineSpacing() * 4);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_versions);
    layout->addSpacing(4);
    layout->addWidget(caption);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
}

ApplyUpdatesWizard* PackageChoicePage::wizard() const
{
    return qobject_cast<ApplyUpdatesWizard*>(QWizardPage::wizard());
}

void PackageChoicePage::initializePage()
{
    ApplyUpdatesWizard* w = wizard();
    const Environment& t = w->target();
    const EnvironmentVersions& v = t.versions;
    m_versions->setText(
        tr("<b>%1</b> runs application release <b>%2</b>, platform update <b>%3</b>, financial "
           "reporting <b>%4</b>, %5.")
            .arg(t.name.toHtmlEscaped(), v.application.toHtmlEscaped())
            .arg(v.platform)
            .arg(v.financialReporting.isEmpty() ? tr("none") : v.financialReporting.toHtmlEscaped(),
                 v.commerce.isEmpty() ? tr("no Commerce") : tr("Commerce <b>%1</b>").arg(v.commerce.toHtmlEscaped())));
    if (!m_view->model()) {
        m_view->setModel(w->packageModel());
        m_view->setColumnHidden(PackageListModel::SizeColumn, true);
        m_view->setColumnHidden(PackageListModel::ImportedColumn, true);
        QHeaderView* header = m_view->header();
        header->setStretchLastSection(true);
        for (int c = 0; c < PackageListModel::PrerequisitesColumn; ++c)
            header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &PackageChoicePage::selectionChanged);
    }
    if (w->packageRow() >= 0)
        m_view->setCurrentIndex(w->packageModel()->index(w->packageRow(), 0));
    selectionChanged();
}

void PackageChoicePage::selectionChanged()
{
    ApplyUpdatesWizard* w = wizard();
    if (!w)
        return;
    const QModelIndex current = m_view->currentIndex();
    const PackageAsset* p = w->packageModel()->packageAt(current.isValid() ? current.row() : -1);
    if (p)
        w->setPackageRow(current.row());
    if (!p) {
        m_summary->setText(tr("Choose a package."));
    } else if (const QString why = current.siblingAtColumn(0).data(PackageListModel::ReasonRole).toString();
               !why.isEmpty()) {
        m_summary->setText(tr("%1 cannot be applied to %2:\n%3").arg(p->title(), w->target().id, why));
    } else {
        m_summary->setText(p->description);
    }
    Q_EMIT completeChanged();
}

bool PackageChoicePage::isComplete() const
{
    ApplyUpdatesWizard* w = wizard();
    return w && w->package().has_value();
}
