#include "SourcePage.h"

#include "DifferenceHighlightProxy.h"
#include "GridView.h"
#include "MoveDatabaseWizard.h"
#include "SourceEnvironmentModel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QVBoxLayout>

SourcePage::SourcePage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("sourcePage"));
    setTitle(tr("Source environment"));
    setSubTitle(tr("Choose the environment whose databases are copied. A refresh needs the same application release "
                   "and tenant on both sides; the checks on the next page verify it."));

    auto* caption = new QLabel(tr("&Environments of the project:"), this);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("sourceList"));
    m_view->setPlaceholderText(tr("This project has no other environment to copy from."));
    m_view->setHeightInRows(3, 8);
    // A long comparison keeps its start ("Blocked: Differs: ..."); the tooltip and the
    // sentence under the list say it whole.
    m_view->setTextElideMode(Qt::ElideRight);
    caption->setBuddy(m_view);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("sourceSummary"));
    m_summary->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(caption);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
}

MoveDatabaseWizard* SourcePage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void SourcePage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    if (!m_view->model()) {
        auto* proxy = new DifferenceHighlightProxy(SourceEnvironmentModel::DiffersRole, this);
        proxy->setSourceModel(w->sourceModel());
        m_view->setModel(proxy);
        QHeaderView* header = m_view->header();
        header->setStretchLastSection(true);
        for (int c = 0; c < SourceEnvironmentModel::ComparisonColumn; ++c)
            header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SourcePage::selectionChanged);
    }
    const int row = w->sourceModel()->rowOf(w->sourceId());
    if (row > 0)
        m_view->setCurrentIndex(m_view->model()->index(row, 0));
    selectionChanged();
}

void SourcePage::selectionChanged()
{
    MoveDatabaseWizard* w = wizard();
    if (!w)
        return;
    const Environment* candidate = w->sourceModel()->candidateAt(m_view->currentIndex().row());
    if (candidate)
        w->setSourceId(candidate->id);
    const Environment& t = w->target();
    const QString blocked = candidate ? w->sourceModel()->blockedBecause(*candidate) : QString();
    m_summary->setText(!candidate        ? tr("Choose a source environment.")
                       : !blocked.isEmpty() ? tr("A refresh from %1 will be blocked: %2").arg(candidate->name, blocked)
                                            : tr("%1 will be refreshed from %2 (%3): its databases are replaced by a "
                                                 "copy of %2's.")
                                                  .arg(t.name, candidate->name,
                                                       environmentTypeTitle(candidate->type).toLower()));
    Q_EMIT completeChanged();
}

bool SourcePage::isComplete() const
{
    MoveDatabaseWizard* w = wizard();
    return w && w->source() != nullptr && w->sourceModel()->candidateAt(m_view->currentIndex().row());
}

int SourcePage::nextId() const
{
    return MoveDatabaseWizard::Page_Checks;
}
