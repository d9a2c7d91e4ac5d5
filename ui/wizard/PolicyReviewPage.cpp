#include "PolicyReviewPage.h"

#include "GridView.h"
#include "MoveDatabaseWizard.h"
#include "PolicyReviewModel.h"
#include "PolicyRuleDialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

PolicyReviewPage::PolicyReviewPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("policyReviewPage"));
    setTitle(tr("Data that will not be copied"));
    setSubTitle(tr("Review what the data policy keeps from travelling before you confirm. Open a rule to see its "
                   "tables and columns."));

    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("policyIntro"));
    m_intro->setWordWrap(true);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("policyReviewList"));
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setPlaceholderText(tr("The data policy has no rules: every row is copied as it is."));
    m_intro->setBuddy(m_view);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("policyCountSummary"));
    m_summary->setWordWrap(true);
    m_details = new QPushButton(tr("&Details…"), this);
    m_details->setObjectName(QStringLiteral("ruleDetailsButton"));
    m_details->setToolTip(tr("The selected rule: what it does, why, its tables with their rows and the columns it "
                             "uses (Enter)"));
    connect(m_details, &QPushButton::clicked, this, [this] { showRuleDetails(); });
    connect(m_view, &QAbstractItemView::activated, this, [this] { showRuleDetails(); });

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_summary, 1);
    bottom->addWidget(m_details, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);
}

MoveDatabaseWizard* PolicyReviewPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void PolicyReviewPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    PolicyReviewModel* model = w->reviewModel();
    // An export has no checks page: its counts (the sandbox's own rows) start here.
    if (w->mode() == MoveDatabaseWizard::Mode::Export)
        w->startPreflight();
    if (m_view->model() != model) {
        m_view->setModel(model);
        QHeaderView* header = m_view->header();
        header->setStretchLastSection(false);
        header->setSectionResizeMode(PolicyReviewModel::DataColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(PolicyReviewModel::TablesColumn, QHeaderView::Stretch);
        header->setSectionResizeMode(PolicyReviewModel::ReasonColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(PolicyReviewModel::ActionColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(PolicyReviewModel::RowsColumn, QHeaderView::ResizeToContents);
        connect(model, &QAbstractItemModel::dataChanged, this, &PolicyReviewPage::updateSummary);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this] { m_details->setEnabled(m_view->currentIndex().isValid()); });
    }
    if (!m_view->currentIndex().isValid() && model->rowCount() > 0)
        m_view->setCurrentIndex(model->index(0, 0));
    m_details->setEnabled(m_view->currentIndex().isValid());

    const QString source = w->source() ? w->source()->name : w->sourceId();
    if (!w->policyError().isEmpty()) {
        m_intro->setText(tr("The data policy cannot be used: %1").arg(w->policyError()));
    } else {
        const DataPolicy& policy = *model->policy();
        const QString name = policy.name().isEmpty() ? tr("the data policy") : tr("“%1”").arg(policy.name());
        if (w->mode() == MoveDatabaseWizard::Mode::Export)
            m_intro->setText(tr("%1 applies its exclude, blank and set rules to the copy of %2 before anything is "
                                "written to the backup; its keep-target and reset-admin rules are applied where the "
                                "backup is imported. The counts are rows of %2 today.")
                                 .arg(name, w->target().name));
        else
            m_intro->setText(tr("%1 applies %2 rules to the copy of %3 before it replaces %4's databases. The counts "
                                "are rows of %3 today.")
                                 .arg(name)
                                 .arg(model->rowCount())
                                 .arg(source, w->target().name));
        m_intro->setText(m_intro->text().left(1).toUpper() + m_intro->text().mid(1));
    }
    updateSummary();
}

void PolicyReviewPage::updateSummary()
{
    MoveDatabaseWizard* w = wizard();
    const PolicyReviewModel* model = w->reviewModel();
    const QString source = w->source() ? w->source()->name : w->sourceId();
    const QString rows = QLocale().toString(model->countedRows());
    if (model->allCounted())
        m_summary->setText(tr("All %1 rules counted: they affect %2 rows of %3 (a row affected by two rules counts "
                              "twice).")
                               .arg(model->rowCount())
                               .arg(rows, source));
    else if (w->isPreflightRunning())
        m_summary->setText(tr("Counting the rows of %1: %2 of %3 rules so far…")
                               .arg(source)
                               .arg(model->countedRules())
                               .arg(model->rowCount()));
    else
        m_summary->setText(tr("%1 of %2 rules counted; the others could not be counted.")
                               .arg(model->countedRules())
                               .arg(model->rowCount()));
    m_view->resizeColumnToContents(PolicyReviewModel::RowsColumn);
}

PolicyRuleDialog* PolicyReviewPage::showRuleDetails()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return nullptr;
    MoveDatabaseWizard* w = wizard();
    auto* dialog =
        new PolicyRuleDialog(w->reviewModel(), current.row(), w->source() ? w->source()->name : w->sourceId(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

bool PolicyReviewPage::isComplete() const
{
    MoveDatabaseWizard* w = wizard();
    return w && w->policyError().isEmpty();
}

int PolicyReviewPage::nextId() const
{
    return MoveDatabaseWizard::Page_Acknowledge;
}
