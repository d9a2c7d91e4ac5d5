#include "RestorePointPage.h"

#include "GridView.h"
#include "MoveDatabaseWizard.h"
#include "RestorePointListModel.h"
#include "operation/OperationRules.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

RestorePointPage::RestorePointPage(QWidget* parent) : QWizardPage(parent), m_model(new RestorePointListModel(this))
{
    setObjectName(QStringLiteral("restorePointPage"));
    setTitle(tr("Restore point"));
    setSubTitle(tr("Choose the instant to go back to. Only the transactional database is restored; the Financial "
                   "Reporting database is left as it is and must be reset afterwards."));

    auto* caption = new QLabel(tr("&Restore points:"), this);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("restorePointList"));
    m_view->setModel(m_model);
    m_view->setPlaceholderText(tr("No restore point to go back to."));
    m_view->setHeightInRows(3, 8);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->header()->setStretchLastSection(true);
    caption->setBuddy(m_view);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("restorePointSummary"));
    m_summary->setWordWrap(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RestorePointPage::selectionChanged);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(caption);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
}

MoveDatabaseWizard* RestorePointPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void RestorePointPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    m_model->setPoints(w->restorePointChoices(), w->now());
    for (int c = 0; c < RestorePointListModel::StateColumn; ++c)
        m_view->resizeColumnToContents(c);
    int row = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->pointAt(r)->id == w->restorePointId())
            row = r;
    }
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
    selectionChanged();
}

QString RestorePointPage::refusal() const
{
    MoveDatabaseWizard* w = wizard();
    const RestorePoint* p = m_model->pointAt(m_view->currentIndex().row());
    if (!w || !p)
        return tr("Choose a restore point.");
    const Environment* from = nullptr;
    for (const RestorePoint& choice : w->restorePointChoices()) {
        if (choice.id == p->id)
            from = w->environmentOf(choice.environmentId);
    }
    return OperationRules::restoreRefusal(*p, from, w->target(), w->now());
}

void RestorePointPage::selectionChanged()
{
    MoveDatabaseWizard* w = wizard();
    if (!w)
        return;
    const RestorePoint* p = m_model->pointAt(m_view->currentIndex().row());
    const QString why = refusal();
    if (p && why.isEmpty())
        w->setRestorePointId(p->id);
    const Environment& t = w->target();
    const QString when = p ? QLocale().toString(p->created.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm:ss")) : QString();
    if (!p)
        m_summary->setText(tr("Choose a restore point."));
    else if (!why.isEmpty())
        m_summary->setText(tr("This restore point cannot be used: %1").arg(why));
    else if (p->environmentId == t.id)
        m_summary->setText(tr("%1's transactional database goes back to %2, as it was then: what changed since is "
                              "replaced (and kept as a restore point until the restore is signed off and expires). "
                              "No data policy applies: it is %1's own data.")
                               .arg(t.name, when));
    else
        m_summary->setText(tr("%1's transactional database is replaced by %2's as it was at %3, with the project's "
                              "data policy applied as for a refresh.")
                               .arg(t.name, p->environmentId, when));
    Q_EMIT completeChanged();
}

bool RestorePointPage::isComplete() const
{
    return refusal().isEmpty();
}

int RestorePointPage::nextId() const
{
    return MoveDatabaseWizard::Page_Checks;
}
