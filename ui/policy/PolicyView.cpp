#include "PolicyView.h"

#include "FileDialog.h"
#include "GridView.h"
#include "MessageBox.h"
#include "PolicyCoverageModel.h"
#include "PolicyReviewModel.h"
#include "catalog/OperationStore.h"
#include "policy/CoverageBarDelegate.h"
#include "policy/Masker.h"
#include "preflight/PolicyValidationWorker.h"
#include "catalog/Catalog.h"
#include "registration/ProjectPolicies.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QTabWidget>
#include <QTreeView>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

PolicyView::PolicyView(Catalog* catalog, const QString& projectId, const QString& environmentId, QWidget* parent)
    : QDialog(parent), m_catalog(catalog), m_projectId(projectId), m_model(new PolicyReviewModel(this))
{
    setObjectName(QStringLiteral("policyView"));
    setWindowTitle(tr("Data Policy — %1").arg(projectId));

    m_source = new QLabel(this);
    m_source->setObjectName(QStringLiteral("policySource"));
    m_source->setWordWrap(true);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chooseButton = new QPushButton(tr("&Choose Policy File…"), this);
    m_chooseButton->setObjectName(QStringLiteral("choosePolicyButton"));
    m_chooseButton->setToolTip(tr("Use a policy file of your own for this project's refreshes (it is checked, then "
                                  "copied into the catalog folder)"));
    connect(m_chooseButton, &QPushButton::clicked, this, &PolicyView::chooseFile);
    m_defaultButton = new QPushButton(tr("Use &Default Policy"), this);
    m_defaultButton->setObjectName(QStringLiteral("defaultPolicyButton"));
    m_defaultButton->setToolTip(tr("Go back to the built-in policy for Dynamics 365 databases"));
    connect(m_defaultButton, &QPushButton::clicked, this, &PolicyView::useDefault);

    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("policyRuleList"));
    m_view->setModel(m_model);
    m_view->setColumnHidden(PolicyReviewModel::RowsColumn, true);
    m_view->setPlaceholderText(tr("The policy has no rules: a refresh copies everything."));
    QHeaderView* header = m_view->header();
    // The rule's title, reason and action whole; the tables take what is left (elided, whole in the tooltip).
    m_view->setTextElideMode(Qt::ElideRight);
    header->setStretchLastSection(false);
    for (int c = 0; c < PolicyReviewModel::ColumnCount; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(PolicyReviewModel::TablesColumn, QHeaderView::Stretch);
    m_description = new QLabel(this);
    m_description->setObjectName(QStringLiteral("policyRuleDescription"));
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_description->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_description->setMinimumHeight(m_description->fontMetrics().lineSpacing() * 3);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &PolicyView::showSelectedRule);

    auto* validateLabel = new QLabel(tr("&Validate against:"), this);
    m_environment = new QComboBox(this);
    m_environment->setObjectName(QStringLiteral("policyEnvironmentCombo"));
    validateLabel->setBuddy(m_environment);
    for (const Environment& e : catalog->environments(projectId))
        m_environment->addItem(tr("%1 (%2)").arg(e.name, e.id), e.id);
    if (const int selected = m_environment->findData(environmentId); selected >= 0)
        m_environment->setCurrentIndex(selected);
    m_validateButton = new QPushButton(tr("Validate"), this);
    m_validateButton->setObjectName(QStringLiteral("validatePolicyButton"));
    m_validateButton->setToolTip(tr("Read the environment's schema (read-only) and check every table and column the "
                                    "rules name"));
    connect(m_validateButton, &QPushButton::clicked, this, &PolicyView::validate);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("policyValidationVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_results = new QTreeWidget(this);
    m_results->setObjectName(QStringLiteral("policyValidationResults"));
    m_results->setHeaderLabels({tr("Rule"), tr("Tables and columns")});
    m_results->setRootIsDecorated(true);
    m_results->setAlternatingRowColors(true);
    m_results->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);

    auto* top = new QHBoxLayout;
    top->addWidget(m_source, 1);
    top->addWidget(m_chooseButton);
    top->addWidget(m_defaultButton);
    auto* rulesPane = new QWidget(this);
    auto* rulesLayout = new QVBoxLayout(rulesPane);
    rulesLayout->setContentsMargins(0, 0, 0, 0);
    rulesLayout->addWidget(m_view, 1);
    rulesLayout->addWidget(m_description);
    auto* validatePane = new QWidget(this);
    auto* validateRow = new QHBoxLayout;
    validateRow->addWidget(validateLabel);
    validateRow->addWidget(m_environment);
    validateRow->addWidget(m_validateButton);
    validateRow->addStretch(1);
    auto* validateLayout = new QVBoxLayout(validatePane);
    validateLayout->setContentsMargins(0, 0, 0, 0);
    validateLayout->addLayout(validateRow);
    validateLayout->addWidget(m_verdict);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("policyResultTabs"));
    m_tabs->addTab(m_results, tr("Rules"));
    validateLayout->addWidget(m_tabs, 1);

    // Coverage: what the policy covers of the environment's columns.
    auto* coveragePane = new QWidget(this);
    m_coverageSummary = new QLabel(tr("Validate against an environment to see which of its columns the policy "
                                      "covers."),
                                   coveragePane);
    m_coverageSummary->setObjectName(QStringLiteral("policyCoverageSummary"));
    m_coverageSummary->setWordWrap(true);
    m_coverageModel = new PolicyCoverageModel(this);
    m_coverageView = new QTreeView(coveragePane);
    m_coverageView->setObjectName(QStringLiteral("policyCoverageView"));
    m_coverageView->setModel(m_coverageModel);
    m_coverageView->setItemDelegateForColumn(PolicyCoverageModel::CoverageColumn, new CoverageBarDelegate(this));
    m_coverageView->setAlternatingRowColors(true);
    m_coverageView->setUniformRowHeights(true);
    m_coverageView->header()->setSectionResizeMode(PolicyCoverageModel::NameColumn, QHeaderView::ResizeToContents);
    m_coverageView->header()->setSectionResizeMode(PolicyCoverageModel::CoverageColumn,
                                                   QHeaderView::ResizeToContents);
    m_coverageView->header()->setStretchLastSection(true);
    connect(m_coverageView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &PolicyView::updateCoverageSelection);
    m_reviewButton = new QPushButton(tr("Mark &Reviewed"), coveragePane);
    m_reviewButton->setObjectName(QStringLiteral("markReviewedButton"));
    m_reviewButton->setToolTip(tr("The selected column is safe to copy as it is: the project's policy lists it as "
                                  "reviewed"));
    connect(m_reviewButton, &QPushButton::clicked, this, &PolicyView::markReviewed);
    // A push button with a menu: the style leaves room for the menu's arrow beside the text.
    m_maskButton = new QPushButton(tr("&Mask Column As"), coveragePane);
    m_maskButton->setObjectName(QStringLiteral("maskColumnButton"));
    m_maskButton->setToolTip(tr("Add a rule to the project's policy that masks the selected column with realistic, "
                                "consistent pseudonyms"));
    auto* kinds = new QMenu(m_maskButton);
    for (const QString& kind : Masker::kindNames()) {
        QAction* a = kinds->addAction(kind);
        a->setObjectName(QStringLiteral("maskAs_") + kind);
        connect(a, &QAction::triggered, this, [this, kind] { maskSelected(kind); });
    }
    m_maskButton->setMenu(kinds);
    auto* coverageButtons = new QHBoxLayout;
    coverageButtons->addWidget(m_reviewButton);
    coverageButtons->addWidget(m_maskButton);
    coverageButtons->addStretch(1);
    auto* coverageLayout = new QVBoxLayout(coveragePane);
    coverageLayout->setContentsMargins(4, 4, 4, 4);
    coverageLayout->addWidget(m_coverageSummary);
    coverageLayout->addWidget(m_coverageView, 1);
    // The column of evidence is cut at the pane's width: the selected row's is here in full.
    m_coverageDetail = new QLabel(coveragePane);
    m_coverageDetail->setObjectName(QStringLiteral("policyCoverageDetail"));
    m_coverageDetail->setWordWrap(true);
    m_coverageDetail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    coverageLayout->addWidget(m_coverageDetail);
    coverageLayout->addLayout(coverageButtons);
    m_tabs->addTab(coveragePane, tr("Coverage"));
    updateCoverageSelection();
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(rulesPane);
    split->addWidget(validatePane);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1000, 700);
    reload();
}

PolicyView::~PolicyView()
{
    // m_worker waits for a validation still reading the schema.
}

void PolicyView::reload()
{
    QString path;
    QString error;
    const auto policy = ProjectPolicies(*m_catalog).policy(m_projectId, &path, &error);
    m_model->setPolicy(policy);
    if (!policy)
        m_source->setText(tr("The policy of %1 cannot be read: %2").arg(m_projectId, error));
    else if (path.isEmpty())
        m_source->setText(
            tr("<b>Built-in default policy</b> (for Dynamics 365 databases): %1 rules.").arg(m_model->rowCount()));
    else
        m_source->setText(tr("<b>The project's own policy</b> %1: %2 rules.")
                              .arg(QDir::toNativeSeparators(path).toHtmlEscaped())
                              .arg(m_model->rowCount()));
    m_defaultButton->setEnabled(!path.isEmpty());
    m_results->clear();
    m_verdict->clear();
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    showSelectedRule();
}

void PolicyView::showSelectedRule()
{
    const QModelIndex current = m_view->currentIndex();
    const PolicyRule* rule = m_model->ruleAt(current.isValid() ? current.row() : -1);
    if (!rule) {
        m_description->clear();
        return;
    }
    const QStringList columns = rule->columnsUsed();
    m_description->setText(
        tr("%1 — %2%3")
            .arg(rule->title, rule->describe(),
                 columns.isEmpty() ? QString() : tr(" Columns: %1.").arg(columns.join(QStringLiteral(", ")))));
}

void PolicyView::chooseFile()
{
    const QString file = FileDialog::getOpenFileName(this, tr("Choose a Data Policy File"), m_catalog->folder(),
                                                     tr("Policies (*.json)"));
    if (file.isEmpty())
        return;
    QString error;
    if (!ProjectPolicies(*m_catalog).install(m_projectId, file, &error)) {
        MessageBox::notify(this, QMessageBox::Warning, tr("Data Policy"),
                           tr("The policy of %1 was not changed.").arg(m_projectId), error,
                           QStringLiteral("policyRefusedBox"));
        return;
    }
    spdlog::info("console: {} now applies the policy {}", m_projectId.toStdString(), file.toStdString());
    reload();
}

void PolicyView::useDefault()
{
    QString error;
    if (!ProjectPolicies(*m_catalog).useDefault(m_projectId, &error)) {
        MessageBox::notify(this, QMessageBox::Warning, tr("Data Policy"),
                           tr("The policy of %1 was not changed.").arg(m_projectId), error,
                           QStringLiteral("policyRefusedBox"));
        return;
    }
    reload();
}

void PolicyView::validate()
{
    if (m_worker.isRunning() || !m_model->policy())
        return;
    const auto e = m_catalog->environment(m_environment->currentData().toString());
    const DatabaseRef* db = e ? e->database(DatabaseRef::Transactional) : nullptr;
    if (!db) {
        m_verdict->setText(tr("Choose an environment."));
        return;
    }
    m_results->clear();
    // The columns of the source at this environment's last refresh: new ones are named.
    auto* worker =
        new PolicyValidationWorker(*m_model->policy(), *db, OperationStore(*m_catalog).lastSourceColumns(e->id));
    connect(worker, &PolicyValidationWorker::coverageReady, this, &PolicyView::showCoverage);
    connect(
        worker, &PolicyValidationWorker::ruleChecked, this,
        [this](const QString& ruleId, bool ok, const QStringList& tables) {
            const PolicyRule* rule = m_model->policy()->rule(ruleId);
            auto* item =
                new QTreeWidgetItem(m_results, {rule ? rule->title : ruleId, ok ? tr("Everything it names exists")
                                                                                : tr("Names what the database lacks")});
            item->setIcon(0, style()->standardIcon(ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning));
            for (const QString& line : tables)
                new QTreeWidgetItem(item, {QString(), line});
            item->setExpanded(!ok);
        });
    connect(worker, &PolicyValidationWorker::finished, this, &PolicyView::validationFinished);
    m_validateButton->setEnabled(false);
    m_verdict->setText(tr("Reading the schema of %1 (read-only)…").arg(e->id));
    m_worker.start(worker, QStringLiteral("policy-validation"), &PolicyValidationWorker::finished);
}

void PolicyView::showCoverage(const QJsonObject& coverage, const QString& error)
{
    if (!error.isEmpty()) {
        m_coverageModel->clear();
        m_coverageSummary->setText(tr("The columns could not be sampled: %1").arg(error));
        updateCoverageSelection();
        return;
    }
    const PolicyCoverage c = PolicyCoverage::fromJson(coverage);
    m_coverageModel->setCoverage(c);
    const int flagged = int(c.flagged().size());
    m_coverageSummary->setText(
        tr("%1 of %2 columns of %3 are covered by a rule, %4 reviewed as safe, %5 unreviewed. %6")
            .arg(c.count(PolicyCoverage::Status::Covered))
            .arg(c.columnCount())
            .arg(m_environment->currentData().toString())
            .arg(c.count(PolicyCoverage::Status::Reviewed))
            .arg(c.count(PolicyCoverage::Status::Unreviewed))
            .arg(flagged == 0   ? tr("None of the unreviewed ones looks sensitive.")
                 : flagged == 1 ? tr("1 unreviewed column looks sensitive: mask it, or mark it reviewed.")
                                : tr("%1 unreviewed columns look sensitive: mask them, or mark them reviewed.")
                                      .arg(flagged)));
    for (int row = 0; row < m_coverageModel->rowCount(); ++row) {
        const QModelIndex table = m_coverageModel->index(row, 0);
        m_coverageView->setExpanded(table, table.data(PolicyCoverageModel::FlaggedRole).toBool());
    }
    if (flagged > 0)
        m_tabs->setTabText(1, tr("Coverage (%1 to review)").arg(flagged));
    else
        m_tabs->setTabText(1, tr("Coverage"));
    updateCoverageSelection();
}

void PolicyView::updateCoverageSelection()
{
    const QModelIndex current = m_coverageView->currentIndex();
    const bool column = current.isValid() && current.parent().isValid();
    const QString status = current.data(PolicyCoverageModel::StatusRole).toString();
    const bool open = column && status == QLatin1String("unreviewed");
    const QString why = !column ? tr("Select a column of a table first.")
                        : !open ? tr("A rule covers this column already, or it is reviewed.")
                                : QString();
    m_reviewButton->setEnabled(open);
    m_maskButton->setEnabled(open);
    if (!current.isValid()) {
        m_coverageDetail->setText(tr("Select a column to see whether a rule covers it, and why it needs a look."));
    } else {
        const QString name = column ? current.data(PolicyCoverageModel::TableRole).toString() + QLatin1Char('.') +
                                          current.data(PolicyCoverageModel::ColumnRole).toString()
                                    : current.data(PolicyCoverageModel::TableRole).toString();
        const QString coverage = current.sibling(current.row(), PolicyCoverageModel::CoverageColumn).data().toString();
        const QString evidence = current.sibling(current.row(), PolicyCoverageModel::WhyColumn).data().toString();
        m_coverageDetail->setText(evidence.isEmpty() ? tr("%1: %2.").arg(name, coverage)
                                                     : tr("%1: %2; %3.").arg(name, coverage, evidence));
    }
    m_reviewButton->setToolTip(open ? tr("%1 is safe to copy as it is: the project's policy lists it as reviewed")
                                          .arg(current.sibling(current.row(), 0).data().toString())
                                    : why);
    m_maskButton->setToolTip(open ? tr("Mask %1 with realistic, consistent pseudonyms (suggested: %2)")
                                        .arg(current.sibling(current.row(), 0).data().toString(),
                                             current.data(PolicyCoverageModel::SuggestedMaskRole).toString())
                                  : why);
    if (open) {
        const QString suggested = current.data(PolicyCoverageModel::SuggestedMaskRole).toString();
        for (QAction* a : m_maskButton->menu()->actions()) {
            const QString kind = a->objectName().mid(int(QStringLiteral("maskAs_").size()));
            a->setText(kind == suggested ? tr("%1 (suggested)").arg(kind) : kind);
        }
    }
}

void PolicyView::markReviewed()
{
    const QModelIndex current = m_coverageView->currentIndex();
    const QString table = current.data(PolicyCoverageModel::TableRole).toString();
    const QString column = current.data(PolicyCoverageModel::ColumnRole).toString();
    if (!m_model->policy() || table.isEmpty() || column.isEmpty())
        return;
    saveChanged(m_model->policy()->withReviewed(table, column),
                tr("%1.%2 reviewed as safe to copy").arg(table, column));
}

void PolicyView::maskSelected(const QString& kind)
{
    const QModelIndex current = m_coverageView->currentIndex();
    const QString table = current.data(PolicyCoverageModel::TableRole).toString();
    const QString column = current.data(PolicyCoverageModel::ColumnRole).toString();
    if (!m_model->policy() || table.isEmpty() || column.isEmpty())
        return;
    const DataPolicy& policy = *m_model->policy();
    saveChanged(policy.withRule(PolicyCoverage::maskRule(policy, table, column, kind)),
                tr("%1.%2 masked as %3").arg(table, column, kind));
}

void PolicyView::saveChanged(const DataPolicy& changed, const QString& change)
{
    QString error;
    if (!ProjectPolicies(*m_catalog).installPolicy(m_projectId, changed, change, &error)) {
        MessageBox::notify(this, QMessageBox::Warning, tr("Data Policy"),
                           tr("The policy of %1 was not changed.").arg(m_projectId), error,
                           QStringLiteral("policyRefusedBox"));
        return;
    }
    spdlog::info("console: {}: {}", m_projectId.toStdString(), change.toStdString());
    reload();
    m_tabs->setCurrentIndex(1);
    validate();
}

void PolicyView::validationFinished(bool ok, const QString& message)
{
    m_worker.release();
    m_validateButton->setEnabled(true);
    const QString env = m_environment->currentData().toString();
    m_verdict->setText(
        ok ? tr("Valid against %1: every table and column the %2 rules name exists.").arg(env).arg(m_model->rowCount())
           : tr("Not valid against %1:\n%2").arg(env, message));
}
