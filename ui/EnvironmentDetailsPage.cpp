#include "EnvironmentDetailsPage.h"
#include "OperationDurationChart.h"

#include <QTabWidget>
#include "operation/OperationKinds.h"
#include "operation/OperationRules.h"

#include "DatabaseListModel.h"
#include "FollowUpOffer.h"
#include "GridView.h"
#include "OperationHistoryModel.h"
#include "RestorePointListModel.h"
#include "StateBadge.h"
#include "VersionDetailsDialog.h"
#include "progress/OperationActions.h"

#include <QAction>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

// Captions a step quieter than values, yet above 4.5:1 contrast (the palette's
// placeholder colour is too faint for text people must read).
void setMuted(QWidget* widget)
{
    QPalette p = widget->palette();
    const QColor text = p.color(QPalette::WindowText);
    const QColor window = p.color(QPalette::Window);
    p.setColor(QPalette::WindowText, QColor::fromRgbF(0.65f * text.redF() + 0.35f * window.redF(),
                                                      0.65f * text.greenF() + 0.35f * window.greenF(),
                                                      0.65f * text.blueF() + 0.35f * window.blueF()));
    widget->setPalette(p);
}

} // namespace

EnvironmentDetailsPage::EnvironmentDetailsPage(QWidget* parent)
    : QWidget(parent), m_databaseModel(new DatabaseListModel(this)), m_historyModel(new OperationHistoryModel(this)),
      m_restorePointModel(new RestorePointListModel(this))
{
    setObjectName(QStringLiteral("environmentDetails"));

    // Header: name, state badge, and the page's Maintain button (as on LCS).
    m_nameLabel = new QLabel(this);
    m_nameLabel->setObjectName(QStringLiteral("environmentName"));
    QFont titleFont = m_nameLabel->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setWeight(QFont::DemiBold);
    m_nameLabel->setFont(titleFont);
    m_nameLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_badge = new StateBadge(this);
    m_badge->setObjectName(QStringLiteral("stateBadge"));
    m_captionLabel = new QLabel(this);
    m_captionLabel->setObjectName(QStringLiteral("environmentCaption"));
    setMuted(m_captionLabel);

    m_maintainButton = new QPushButton(tr("Maintain"), this);
    m_maintainButton->setObjectName(QStringLiteral("maintainButton"));
    m_maintainButton->setToolTip(tr("Maintenance operations on this environment"));

    auto* titleRow = new QHBoxLayout;
    titleRow->setSpacing(12);
    titleRow->addWidget(m_nameLabel);
    titleRow->addWidget(m_badge, 0, Qt::AlignVCenter);
    titleRow->addStretch(1);
    titleRow->addWidget(m_maintainButton, 0, Qt::AlignVCenter);

    // Environment fields.
    auto* detailsBox = new QGroupBox(tr("Environment"), this);
    auto* detailsForm = new QFormLayout(detailsBox);
    m_idValue = addField(detailsForm, tr("Environment ID"), "idValue");
    m_typeValue = addField(detailsForm, tr("Type"), "typeValue");
    m_stateValue = addField(detailsForm, tr("State"), "stateValue");
    m_tenantValue = addField(detailsForm, tr("Tenant"), "tenantValue");
    m_adminValue = addField(detailsForm, tr("Environment administrator"), "adminValue");
    m_lastRefreshValue = addField(detailsForm, tr("Last refreshed"), "lastRefreshValue");
    m_restorePointsValue = addField(detailsForm, tr("Kept for rollback"), "restorePointsValue");
    m_lastRefreshValue->setWordWrap(true);
    m_restorePointsValue->setWordWrap(true);

    // Versions.
    auto* versionsBox = new QGroupBox(tr("Versions"), this);
    auto* versionsForm = new QFormLayout(versionsBox);
    m_applicationValue = addField(versionsForm, tr("Application release"), "applicationValue");
    m_platformValue = addField(versionsForm, tr("Platform update"), "platformValue");
    m_financialReportingValue = addField(versionsForm, tr("Financial Reporting"), "financialReportingValue");
    m_commerceValue = addField(versionsForm, tr("Commerce"), "commerceValue");
    m_versionsButton = new QPushButton(tr("View detailed version information"), versionsBox);
    m_versionsButton->setObjectName(QStringLiteral("detailedVersionsButton"));
    m_versionsButton->setToolTip(tr("Every component of this environment with its version"));
    m_versionsButton->setFlat(true);
    m_versionsButton->setCursor(Qt::PointingHandCursor);
    m_versionsButton->setStyleSheet(QStringLiteral("QPushButton { color: palette(link); text-align: left; "
                                                   "padding: 2px 0px; } QPushButton:focus { text-decoration: "
                                                   "underline; }"));
    versionsForm->addRow(m_versionsButton);
    connect(m_versionsButton, &QPushButton::clicked, this, &EnvironmentDetailsPage::showVersionDetails);

    auto* summaryRow = new QHBoxLayout;
    summaryRow->setSpacing(12);
    summaryRow->addWidget(detailsBox, 1);
    summaryRow->addWidget(versionsBox, 1);

    // Databases.
    auto* databasesBox = new QGroupBox(tr("Databases"), this);
    m_databaseView = new GridView(databasesBox);
    m_databaseView->setObjectName(QStringLiteral("databaseTable"));
    m_databaseView->setModel(m_databaseModel);
    m_databaseView->setPlaceholderText(tr("No databases registered"));
    m_databaseView->setHeightInRows(2, 4);
    m_databaseView->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_databaseView->header()->setStretchLastSection(false);
    m_databaseView->header()->setSectionResizeMode(DatabaseListModel::LocationColumn, QHeaderView::Stretch);
    auto* databasesLayout = new QVBoxLayout(databasesBox);
    databasesLayout->addWidget(m_databaseView);
    databasesLayout->addStretch(1); // the table at the top when the restore points beside it are taller

    // Restore points: whole copies of the databases, kept until they expire.
    auto* pointsBox = new QGroupBox(tr("Restore points"), this);
    pointsBox->setObjectName(QStringLiteral("restorePointsBox"));
    m_restorePointView = new GridView(pointsBox);
    m_restorePointView->setObjectName(QStringLiteral("restorePointTable"));
    m_restorePointView->setModel(m_restorePointModel);
    m_restorePointView->setPlaceholderText(tr("No restore points. Create one before a risky change; refreshes, "
                                              "restores and updates keep what they replace here."));
    m_restorePointView->setHeightInRows(2, 4);
    m_restorePointView->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_restorePointView->header()->setStretchLastSection(false);
    m_restorePointView->header()->setSectionResizeMode(RestorePointListModel::KindColumn, QHeaderView::Stretch);
    m_restorePointView->header()->hideSection(RestorePointListModel::EnvironmentColumn); // the page's own
    m_restorePointView->header()->hideSection(RestorePointListModel::StateColumn);       // said in Kind
    m_restorePointView->setTextElideMode(Qt::ElideRight);
    m_createPointButton = new QPushButton(tr("&Create restore point"), pointsBox);
    m_createPointButton->setObjectName(QStringLiteral("createRestorePointButton"));
    m_deletePointButton = new QPushButton(tr("&Delete"), pointsBox);
    m_deletePointButton->setObjectName(QStringLiteral("deleteRestorePointButton"));
    m_restorePointButton = new QPushButton(tr("Res&tore…"), pointsBox);
    m_restorePointButton->setObjectName(QStringLiteral("restoreFromPointButton"));
    m_restorePointStatus = new QLabel(pointsBox);
    m_restorePointStatus->setObjectName(QStringLiteral("restorePointStatus"));
    setMuted(m_restorePointStatus);
    m_restorePointStatus->setWordWrap(true);
    m_restorePointStatus->setVisible(false);
    connect(m_createPointButton, &QPushButton::clicked, this, [this] {
        if (m_environment)
            Q_EMIT createRestorePointRequested(m_environment->id);
    });
    connect(m_deletePointButton, &QPushButton::clicked, this, [this] {
        if (const qint64 id = selectedRestorePointId())
            Q_EMIT deleteRestorePointRequested(id);
    });
    connect(m_restorePointButton, &QPushButton::clicked, this, [this] {
        if (const qint64 id = selectedRestorePointId(); id && m_environment)
            Q_EMIT restoreRequested(m_environment->id, id);
    });
    connect(m_restorePointView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EnvironmentDetailsPage::updateRestorePointActions);
    auto* pointButtons = new QHBoxLayout;
    pointButtons->setSpacing(6);
    pointButtons->addWidget(m_createPointButton);
    pointButtons->addWidget(m_restorePointButton);
    pointButtons->addWidget(m_deletePointButton);
    pointButtons->addStretch(1);
    auto* pointsLayout = new QVBoxLayout(pointsBox);
    pointsLayout->addWidget(m_restorePointView);
    pointsLayout->addLayout(pointButtons);
    pointsLayout->addWidget(m_restorePointStatus);

    auto* storageRow = new QHBoxLayout;
    storageRow->setSpacing(12);
    storageRow->addWidget(databasesBox, 1);
    storageRow->addWidget(pointsBox, 1);

    // Operation history.
    auto* historyBox = new QGroupBox(tr("Operation history"), this);
    historyBox->setObjectName(QStringLiteral("historyBox"));
    m_historyBox = historyBox;
    m_historyView = new GridView(historyBox);
    m_historyView->setObjectName(QStringLiteral("historyTable"));
    // Sortable by any column (header click); unsorted, newest first.
    m_historySort = new QSortFilterProxyModel(this);
    m_historySort->setSourceModel(m_historyModel);
    m_historySort->setSortRole(OperationHistoryModel::SortRole);
    m_historyView->setModel(m_historySort);
    m_historyView->setSortingEnabled(true);
    m_historyView->header()->hideSection(OperationHistoryModel::TargetColumn); // the page's own environment
    m_historyView->header()->setSortIndicator(-1, Qt::AscendingOrder);
    m_historyView->setPlaceholderText(
        tr("No operations yet. Refreshes and updates of this environment will be listed here."));
    m_historyView->setHeightInRows(3, 8);
    m_historyView->setTextElideMode(Qt::ElideRight);
    m_historyView->header()->setStretchLastSection(true);
    m_historyView->setContextMenuPolicy(Qt::CustomContextMenu);

    // LCS's operation buttons for the selected operation, and the same in a context menu.
    m_historyActions = new OperationActions(QStringLiteral("history"), this);
    m_historyActions->enableShortcuts(this);
    m_viewProgressAction = new QAction(tr("&View progress"), this);
    m_viewProgressAction->setObjectName(QStringLiteral("historyViewProgressAction"));
    m_viewProgressAction->setToolTip(tr("Show the selected operation's steps, progress and runbook log (Enter)"));
    m_viewProgressAction->setStatusTip(m_viewProgressAction->toolTip());
    connect(m_viewProgressAction, &QAction::triggered, this, [this] {
        if (const qint64 id = selectedOperationId())
            Q_EMIT operationActivated(id);
    });
    // A Commerce refresh's follow-up, in one click (the same as the progress view's button).
    m_reprovisionAction = new QAction(tr("Apply the Environment reprovisioning tool"), this);
    m_reprovisionAction->setObjectName(QStringLiteral("historyReprovisionAction"));
    m_reprovisionAction->setVisible(false);
    m_reprovisionAction->setToolTip(FollowUpOffer::check({}, {}).reason);
    m_reprovisionAction->setStatusTip(m_reprovisionAction->toolTip());
    connect(m_reprovisionAction, &QAction::triggered, this, [this] {
        const OperationRecord* op = currentOperation();
        if (op && m_reprovisionAction->isEnabled())
            Q_EMIT reprovisioningRequested(op->target);
    });
    connect(m_historyView, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT operationActivated(index.data(OperationHistoryModel::IdRole).toLongLong());
    });
    connect(m_historyView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EnvironmentDetailsPage::updateHistoryActions);
    connect(m_historyView, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex index = m_historyView->indexAt(at);
        if (!index.isValid())
            return;
        m_historyView->setCurrentIndex(index);
        QMenu menu(this);
        menu.setObjectName(QStringLiteral("historyContextMenu"));
        menu.setToolTipsVisible(true);
        menu.addAction(m_viewProgressAction);
        menu.addSeparator();
        m_historyActions->addTo(&menu);
        if (m_reprovisionAction->isVisible()) {
            menu.addSeparator();
            menu.addAction(m_reprovisionAction);
        }
        menu.exec(m_historyView->viewport()->mapToGlobal(at));
    });
    auto* historyButtons = new QHBoxLayout;
    historyButtons->setSpacing(6);
    QList<QAction*> buttonActions{m_viewProgressAction};
    buttonActions += m_historyActions->actions();
    for (QAction* a : buttonActions) {
        auto* b = new QToolButton(historyBox);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setObjectName(a->objectName().replace(QStringLiteral("Action"), QStringLiteral("Button")));
        historyButtons->addWidget(b);
    }
    historyButtons->addStretch(1);
    // The list and, on a tab beside it, the same operations drawn (how long, how much).
    auto* listPage = new QWidget(historyBox);
    auto* listLayout = new QVBoxLayout(listPage);
    listLayout->setContentsMargins(0, 4, 0, 0);
    listLayout->addWidget(m_historyView);
    listLayout->addLayout(historyButtons);
    m_durationBox = new QWidget(historyBox);
    m_durationBox->setObjectName(QStringLiteral("durationBox"));
    m_durationChart = new OperationDurationChart(m_durationBox);
    auto* durationLayout = new QVBoxLayout(m_durationBox);
    durationLayout->setContentsMargins(0, 4, 0, 0);
    durationLayout->addWidget(m_durationChart);
    m_historyTabs = new QTabWidget(historyBox);
    m_historyTabs->setObjectName(QStringLiteral("historyTabs"));
    m_historyTabs->setDocumentMode(true);
    m_historyTabs->addTab(listPage, tr("List"));
    m_historyTabs->addTab(m_durationBox, tr("Durations and sizes"));
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(m_historyTabs);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(titleRow);
    layout->addWidget(m_captionLabel);
    layout->addLayout(summaryRow);
    layout->addLayout(storageRow);
    layout->addWidget(historyBox, 1);

    connect(m_databaseModel, &QAbstractItemModel::modelReset, this, &EnvironmentDetailsPage::fitColumns);
    connect(m_historyModel, &QAbstractItemModel::modelReset, this, &EnvironmentDetailsPage::fitColumns);
    connect(m_restorePointModel, &QAbstractItemModel::modelReset, this, &EnvironmentDetailsPage::fitColumns);
    connect(m_historyModel, &QAbstractItemModel::dataChanged, this, &EnvironmentDetailsPage::updateHistoryActions);
    setEnvironment(std::nullopt);
}

QLabel* EnvironmentDetailsPage::addField(QFormLayout* form, const QString& label, const char* objectName)
{
    auto* value = new QLabel(form->parentWidget());
    value->setObjectName(QLatin1String(objectName));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* caption = new QLabel(label + QLatin1Char(':'), form->parentWidget());
    setMuted(caption);
    caption->setBuddy(value);
    form->addRow(caption, value);
    return value;
}

void EnvironmentDetailsPage::setEnvironment(const std::optional<Environment>& environment)
{
    m_environment = environment;
    const bool has = environment.has_value();
    const Environment e = environment.value_or(Environment{});
    const auto orDash = [](const QString& s) { return s.isEmpty() ? QStringLiteral("—") : s; };

    m_nameLabel->setText(has ? e.name : tr("No environment selected"));
    m_captionLabel->setText(has ? tr("Project %1 · %2 environment").arg(e.projectId, environmentTypeTitle(e.type))
                                : QString());
    m_badge->setState(has ? e.state : QString());
    m_idValue->setText(has ? e.id : QString());
    // Marked protected (a team catalog's four eyes): said where the type is.
    m_typeValue->setText(!has ? QString()
                         : e.markedProtected ? tr("%1 · protected (four eyes)").arg(environmentTypeTitle(e.type))
                                             : environmentTypeTitle(e.type));
    m_typeValue->setToolTip(has && e.markedProtected
                                ? tr("A second Project owner approves its refreshes, restores, imports and applies "
                                     "(Maintain > Protected).")
                                : QString());
    m_stateValue->setText(has ? orDash(e.state) : QString());
    m_tenantValue->setText(has ? orDash(e.tenant) : QString());
    m_adminValue->setText(has ? orDash(e.admin) : QString());
    m_applicationValue->setText(has ? orDash(e.versions.application) : QString());
    m_platformValue->setText(has ? VersionDetailsDialog::platformUpdateText(e.versions.platform) : QString());
    m_financialReportingValue->setText(
        has ? (e.versions.financialReporting.isEmpty() ? tr("Not deployed") : e.versions.financialReporting)
            : QString());
    m_commerceValue->setText(has ? (e.hasCommerce() ? e.versions.commerce : tr("Not deployed")) : QString());
    m_versionsButton->setEnabled(has);
    m_maintainButton->setEnabled(has);
    m_databaseModel->setDatabases(e.databases);
    if (!has) {
        m_historyModel->setOperations({});
        m_restorePointModel->setPoints({}, m_now);
    }
    updateRestorePointActions();
    showOperationSummary(has ? m_operations : QList<OperationRecord>());
}

void EnvironmentDetailsPage::showOperationSummary(const QList<OperationRecord>& operations)
{
    if (!m_environment) {
        m_lastRefreshValue->clear();
        m_restorePointsValue->clear();
        return;
    }
    // The newest refresh that put a copy in place and was not rolled back.
    const OperationRecord* last = nullptr;
    QList<OperationRecord> keeping;
    for (const OperationRecord& o : operations) {
        if (o.target != m_environment->id)
            continue;
        if (o.kind == OperationKinds::Refresh &&
            (o.state == OperationState::Completed || o.state == OperationState::SignedOff) &&
            (!last || o.id > last->id))
            last = &o;
        if (o.keepsRestorePoint())
            keeping << o;
    }
    std::sort(keeping.begin(), keeping.end(),
              [](const OperationRecord& a, const OperationRecord& b) { return a.id < b.id; });
    m_lastRefreshValue->setText(
        last ? tr("From %1 on %2")
                   .arg(last->source, QLocale().toString(last->finished.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm")))
             : tr("Never (by this console)"));
    const QString kept = OperationRules::restorePointsKept(m_environment->id, keeping);
    m_restorePointsValue->setText(kept.isEmpty() ? tr("Nothing: no operation waits for its sign-off") : kept);
}

void EnvironmentDetailsPage::setOperations(const QList<OperationRecord>& operations, qint64 total)
{
    m_operations = operations;
    const QLocale locale;
    m_historyBox->setTitle(total > operations.size()
                               ? tr("Operation history: the newest %1 of %2 (View > Operations lists them all)")
                                     .arg(locale.toString(qint64(operations.size())), locale.toString(total))
                               : tr("Operation history"));
    showOperationSummary(operations);
    // A reset (a new operation) loses the selection: keep it on the same operation.
    const qint64 selected = selectedOperationId();
    m_historyModel->setOperations(operations);
    m_durationChart->setOperations(operations);
    // Drawn once there are two completed operations to compare.
    const bool drawn = m_durationChart->pointCount() >= 2;
    m_historyTabs->setTabEnabled(1, drawn);
    m_historyTabs->setTabToolTip(1, drawn ? tr("How long each completed operation ran, and how much it copied")
                                          : tr("Drawn once two operations of this environment have completed"));
    if (selectedOperationId() != selected && !selectOperation(selected) && m_historyModel->rowCount() > 0 &&
        !m_historyView->currentIndex().isValid())
        m_historyView->setCurrentIndex(m_historySort->index(0, 0));
    updateHistoryActions();
}

void EnvironmentDetailsPage::setBusyOperations(const QSet<qint64>& ids)
{
    m_busyOperations = ids;
    updateHistoryActions();
}

void EnvironmentDetailsPage::setRoleRefusal(const QString& why)
{
    m_roleRefusal = why;
    updateHistoryActions();
    updateRestorePointActions();
}

const OperationRecord* EnvironmentDetailsPage::currentOperation() const
{
    const QModelIndex current = m_historySort->mapToSource(m_historyView->currentIndex());
    return m_historyModel->operationAt(current.isValid() ? current.row() : -1);
}

qint64 EnvironmentDetailsPage::selectedOperationId() const
{
    const QModelIndex current = m_historyView->currentIndex();
    return current.isValid() ? current.data(OperationHistoryModel::IdRole).toLongLong() : 0;
}

bool EnvironmentDetailsPage::selectOperation(qint64 id)
{
    for (int row = 0; id > 0 && row < m_historyModel->rowCount(); ++row) {
        if (m_historyModel->operationAt(row)->id == id) {
            m_historyView->setCurrentIndex(m_historySort->mapFromSource(m_historyModel->index(row, 0)));
            return true;
        }
    }
    return false;
}

void EnvironmentDetailsPage::updateHistoryActions()
{
    const OperationRecord* op = currentOperation();
    m_viewProgressAction->setEnabled(op != nullptr);
    const FollowUpOffer::Verdict offer =
        FollowUpOffer::check(op ? *op : OperationRecord{}, m_historyModel->operations());
    m_reprovisionAction->setVisible(offer.offered);
    m_reprovisionAction->setEnabled(offer.enabled && op && !m_busyOperations.contains(op->id));
    m_reprovisionAction->setToolTip(offer.reason);
    m_reprovisionAction->setStatusTip(offer.reason);
    if (!op) {
        m_historyActions->clear();
        return;
    }
    // The role is judged on this environment: the operations that target it.
    m_historyActions->setOperation(*op, m_historyModel->operations(), m_busyOperations.contains(op->id),
                                   m_environment && op->target == m_environment->id ? m_roleRefusal : QString());
}

void EnvironmentDetailsPage::setMaintainMenu(QMenu* menu)
{
    m_maintainButton->setMenu(menu);
}

void EnvironmentDetailsPage::showVersionDetails()
{
    if (!m_environment)
        return;
    auto* dialog = new VersionDetailsDialog(*m_environment, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void EnvironmentDetailsPage::fitColumns()
{
    for (GridView* view : {m_databaseView, m_historyView, m_restorePointView}) {
        QHeaderView* header = view->header();
        for (int c = 0; c < header->count(); ++c) {
            if (header->sectionResizeMode(c) == QHeaderView::Stretch ||
                (header->stretchLastSection() && c == header->count() - 1))
                continue;
            view->resizeColumnToContents(c);
        }
        view->updateGeometry();
    }
}

void EnvironmentDetailsPage::setRestorePoints(const QList<RestorePoint>& points, const QDateTime& now)
{
    const qint64 selected = selectedRestorePointId();
    m_now = now;
    m_restorePointModel->setPoints(points, now);
    for (int row = 0; row < m_restorePointModel->rowCount(); ++row) {
        if (m_restorePointModel->pointAt(row)->id == selected)
            m_restorePointView->setCurrentIndex(m_restorePointModel->index(row, RestorePointListModel::TakenColumn));
    }
    if (!m_restorePointView->currentIndex().isValid() && m_restorePointModel->rowCount() > 0)
        m_restorePointView->setCurrentIndex(m_restorePointModel->index(0, RestorePointListModel::TakenColumn));
    updateRestorePointActions();
}

void EnvironmentDetailsPage::setRestorePointBusy(bool busy, const QString& what)
{
    m_restorePointBusy = busy;
    m_restorePointStatus->setText(what);
    m_restorePointStatus->setVisible(!what.isEmpty());
    updateRestorePointActions();
}

qint64 EnvironmentDetailsPage::selectedRestorePointId() const
{
    const QModelIndex current = m_restorePointView->currentIndex();
    return current.isValid() ? current.data(RestorePointListModel::IdRole).toLongLong() : 0;
}

void EnvironmentDetailsPage::updateRestorePointActions()
{
    const bool has = m_environment.has_value();
    const QModelIndex current = m_restorePointView->currentIndex();
    const RestorePoint* point = m_restorePointModel->pointAt(current.isValid() ? current.row() : -1);
    const QString busy = tr("A restore point task of this console is running.");
    m_createPointButton->setEnabled(has && !m_restorePointBusy && !m_environment->databases.isEmpty() &&
                                    m_roleRefusal.isEmpty());
    m_createPointButton->setToolTip(m_restorePointBusy        ? busy
                                    : !m_roleRefusal.isEmpty() ? m_roleRefusal
                                                               : tr("Copy this environment's databases now, while it "
                                                                    "stays online; kept until the project's retention "
                                                                    "ends."));
    // Delete: the rules' sentence when an operation still needs the restore point.
    QString deleteWhy = point ? QString() : tr("Select a restore point.");
    if (point) {
        std::optional<OperationRecord> owner;
        for (const OperationRecord& o : m_operations) {
            if (point->kind == RestorePoint::Operation && o.id == point->operationId)
                owner = o;
        }
        deleteWhy = OperationRules::restorePointDeletionRefusal(*point, owner, m_operations);
    }
    if (m_restorePointBusy)
        deleteWhy = busy;
    else if (!m_roleRefusal.isEmpty())
        deleteWhy = m_roleRefusal;
    m_deletePointButton->setEnabled(has && deleteWhy.isEmpty());
    m_deletePointButton->setToolTip(deleteWhy.isEmpty() ? tr("Delete the selected restore point and free its space.")
                                                        : deleteWhy);
    QString restoreWhy = point ? QString() : tr("Select a restore point.");
    if (point && has)
        restoreWhy = OperationRules::restoreRefusal(*point, &*m_environment, *m_environment, m_now);
    m_restorePointButton->setEnabled(has && restoreWhy.isEmpty());
    m_restorePointButton->setToolTip(restoreWhy.isEmpty()
                                         ? tr("Point-in-time restore: put this environment's transactional database "
                                              "back as it was when the restore point was taken.")
                                         : restoreWhy);
}
