#include "operations/WorkItemsWindow.h"

#include "GridView.h"
#include "MessageBox.h"
#include "WorkItemListModel.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationRules.h"
#include "operations/RescheduleDialog.h"
#include "schedule/RequestActionWorker.h"
#include "schedule/WorkItemWorker.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

WorkItemsWindow::WorkItemsWindow(const QString& catalogFolder, const QString& projectId, QWidget* parent)
    : QDialog(parent)
    , m_folder(catalogFolder)
    , m_projectId(projectId)
{
    setObjectName(QStringLiteral("workItemsWindow"));
    setWindowTitle(tr("Work items"));
    resize(1180, 420);
    m_model = new WorkItemListModel(this);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("workItemsTable"));
    m_view->setModel(m_model);
    m_view->setPlaceholderText(tr("Reading the work items…"));
    m_view->header()->setStretchLastSection(true);
    m_view->setTextElideMode(Qt::ElideRight);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &WorkItemsWindow::updateButtons);

    m_reschedule = new QPushButton(tr("Reschedule…"), this);
    m_reschedule->setObjectName(QStringLiteral("rescheduleButton"));
    m_cancel = new QPushButton(tr("Cancel request"), this);
    m_cancel->setObjectName(QStringLiteral("cancelRequestButton"));
    m_approve = new QPushButton(tr("Approve…"), this);
    m_approve->setObjectName(QStringLiteral("approveRequestButton"));
    m_reject = new QPushButton(tr("Reject…"), this);
    m_reject->setObjectName(QStringLiteral("rejectRequestButton"));
    connect(m_approve, &QPushButton::clicked, this, [this] { decide(true); });
    connect(m_reject, &QPushButton::clicked, this, [this] { decide(false); });
    m_runHere = new QPushButton(tr("Run due work in this console"), this);
    m_runHere->setObjectName(QStringLiteral("runHereButton"));
    m_runHere->setVisible(false);
    connect(m_reschedule, &QPushButton::clicked, this, &WorkItemsWindow::reschedule);
    connect(m_cancel, &QPushButton::clicked, this, &WorkItemsWindow::cancel);
    connect(m_runHere, &QPushButton::clicked, this, &WorkItemsWindow::runHereRequested);

    m_agent = new QLabel(this);
    m_agent->setObjectName(QStringLiteral("workItemsAgent"));
    m_agent->setWordWrap(true);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("workItemsMessage"));
    m_message->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_reschedule);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_approve);
    buttons->addWidget(m_reject);
    buttons->addStretch(1);
    buttons->addWidget(m_runHere);
    auto* zone = new QLabel(this);
    zone->setObjectName(QStringLiteral("workItemsZone"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(zone);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_agent);
    layout->addWidget(m_message);

    m_timer = new QTimer(this);
    m_timer->setInterval(30000);
    connect(m_timer, &QTimer::timeout, this, &WorkItemsWindow::reload);
    m_timer->start();
    updateButtons();
    reload();
}

WorkItemsWindow::~WorkItemsWindow() = default;

void WorkItemsWindow::reload()
{
    if (m_reader.isRunning())
        return;
    auto* worker = new WorkItemWorker(m_folder, m_projectId);
    connect(worker, &WorkItemWorker::finished, this, [this](const WorkItems& items, const QString& error) {
        if (!error.isEmpty()) {
            m_message->setText(tr("The work items could not be read: %1").arg(error));
            return;
        }
        m_last = items;
        m_view->setPlaceholderText(tr("No request waits for a downtime window or an approval. Request one from the last page of Move "
                                      "database or Apply updates, or with dataalm request."));
        m_model->setItems(items.items);
        if (auto* zone = findChild<QLabel*>(QStringLiteral("workItemsZone")); zone && !items.items.isEmpty())
            zone->setText(tr("Windows in the project's time zone, %1.")
                              .arg(QString::fromUtf8(items.items.first().zone.id())));
        for (int c = 0; c < m_model->columnCount() - 1; ++c)
            m_view->resizeColumnToContents(c);
        setRunningHere(m_runningHere);
        updateButtons();
        emit loaded(items);
    });
    m_reader.start(worker, QStringLiteral("work items"), &WorkItemWorker::finished);
}

void WorkItemsWindow::setRunningHere(bool running)
{
    m_runningHere = running;
    if (m_last.agentAlive)
        m_agent->setText(running ? tr("This console runs due work while it is open.")
                                 : tr("An agent is running: each request runs when its window opens."));
    else if (m_last.items.isEmpty())
        m_agent->setText(tr("No agent is running. Requests run only while one does (dataalm agent, or its systemd "
                            "unit)."));
    else
        m_agent->setText(tr("No agent is running: %1%2. Start one (dataalm agent, or its systemd unit), or let "
                            "this console run due work while it is open.")
                             .arg(m_last.items.size() == 1 ? tr("1 work item waits") : tr("%1 work items wait").arg(m_last.items.size()),
                                  m_last.dueWithoutAgent > 0 ? tr(", %1 due now").arg(m_last.dueWithoutAgent) : QString()));
    m_runHere->setVisible(!m_last.agentAlive && !running && !m_last.items.isEmpty());
}

void WorkItemsWindow::updateButtons()
{
    const WorkItem* item = m_model->itemAt(m_view->currentIndex().row());
    const bool busy = m_action.isRunning();
    if (!item) {
        for (QPushButton* b : {m_reschedule, m_cancel, m_approve, m_reject}) {
            b->setEnabled(false);
            b->setToolTip(tr("Select a work item."));
        }
        return;
    }
    const bool awaiting = !item->isSchedule && item->request.state == OperationState::AwaitingApproval;
    m_approve->setEnabled(awaiting && item->approveRefusal.isEmpty() && !busy);
    m_reject->setEnabled(awaiting && item->rejectRefusal.isEmpty() && !busy);
    const OperationRules decisions(BuiltInOperationKinds::registry());
    m_approve->setToolTip(!awaiting ? tr("Only a request awaiting approval is approved.")
                          : item->approveRefusal.isEmpty()
                              ? decisions.check(OperationRules::Action::Approve, item->request, {}).reason
                              : item->approveRefusal);
    m_reject->setToolTip(!awaiting ? tr("Only a request awaiting approval is rejected.")
                         : item->rejectRefusal.isEmpty()
                             ? decisions.check(OperationRules::Action::Reject, item->request, {}).reason
                             : item->rejectRefusal);
    if (item->isSchedule) {
        m_reschedule->setEnabled(false);
        m_reschedule->setToolTip(tr("A recurring schedule is changed by cancelling it and requesting a new one."));
        m_cancel->setEnabled(!busy);
        m_cancel->setText(tr("Cancel schedule"));
        m_cancel->setToolTip(tr("Stop schedule %1: no further occurrence is made; requests it already made stay.")
                                 .arg(item->idText()));
        return;
    }
    m_cancel->setText(tr("Cancel request"));
    const OperationRules rules(BuiltInOperationKinds::registry());
    const OperationRules::Verdict r = rules.check(OperationRules::Action::Reschedule, item->request, {});
    const OperationRules::Verdict c = rules.check(OperationRules::Action::Cancel, item->request, {});
    m_reschedule->setEnabled(r.allowed && !busy);
    m_reschedule->setToolTip(r.reason);
    m_cancel->setEnabled(c.allowed && !busy);
    m_cancel->setToolTip(c.reason);
}

void WorkItemsWindow::reschedule()
{
    const WorkItem* item = m_model->itemAt(m_view->currentIndex().row());
    if (!item || item->isSchedule)
        return;
    const QDateTime instant = QDateTime::fromString(
        item->request.params.value(QStringLiteral("pitr")).toObject().value(QStringLiteral("instant")).toString(),
        Qt::ISODateWithMs);
    RescheduleDialog dialog(RequestWindow{item->request.windowStart, item->request.windowEnd}, instant, item->zone, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    RequestActionWorker::Request request;
    request.catalogFolder = m_folder;
    request.action = RequestActionWorker::Action::Reschedule;
    request.id = item->request.id;
    request.window = dialog.window();
    request.instant = dialog.instant();
    request.force = dialog.force();
    auto* worker = new RequestActionWorker(request);
    const qint64 id = item->request.id;
    connect(worker, &RequestActionWorker::finished, this, [this, id](bool ok, bool, const QString& message) {
        m_message->setText(ok ? tr("Request %1 moved.").arg(id) : message);
        updateButtons();
        reload();
        emit changed();
    });
    m_action.start(worker, QStringLiteral("reschedule"), &RequestActionWorker::finished);
    updateButtons();
}

void WorkItemsWindow::cancel()
{
    const WorkItem* item = m_model->itemAt(m_view->currentIndex().row());
    if (!item)
        return;
    const QString what = item->isSchedule ? tr("schedule %1 (%2 of %3, %4)")
                                                .arg(item->idText(), item->kindTitle(), item->target(), item->schedule.text())
                                          : tr("request %1 (%2 of %3)").arg(item->idText(), item->kindTitle(), item->target());
    const QString text = item->isSchedule
                             ? tr("Cancel %1? No further occurrence is made; requests it already made stay.").arg(what)
                             : tr("Cancel %1? Nothing has run; it ends as Canceled.").arg(what);
    if (MessageBox::ask(this, QMessageBox::Question, tr("Cancel"), text, QString(),
                        {{QMessageBox::Yes, tr("Cancel it"), QString()}, {QMessageBox::No, tr("Keep it"), QString()}},
                        QMessageBox::No, QMessageBox::No, QStringLiteral("cancelRequestQuestion")) != QMessageBox::Yes)
        return;
    RequestActionWorker::Request request;
    request.catalogFolder = m_folder;
    request.action = item->isSchedule ? RequestActionWorker::Action::CancelSchedule : RequestActionWorker::Action::Cancel;
    request.id = item->id();
    auto* worker = new RequestActionWorker(request);
    const QString idText = item->idText();
    connect(worker, &RequestActionWorker::finished, this, [this, idText](bool ok, bool, const QString& message) {
        m_message->setText(ok ? tr("%1 is canceled.").arg(idText) : message);
        updateButtons();
        reload();
        emit changed();
    });
    m_action.start(worker, QStringLiteral("cancel request"), &RequestActionWorker::finished);
    updateButtons();
}

void WorkItemsWindow::decide(bool approve)
{
    const WorkItem* item = m_model->itemAt(m_view->currentIndex().row());
    if (!item || item->isSchedule || item->request.state != OperationState::AwaitingApproval)
        return;
    const OperationRecord& op = item->request;
    QInputDialog ask(this);
    ask.setObjectName(approve ? QStringLiteral("approveReasonDialog") : QStringLiteral("rejectReasonDialog"));
    ask.setWindowTitle(approve ? tr("Approve request %1").arg(op.id) : tr("Reject request %1").arg(op.id));
    ask.setLabelText(approve ? tr("%1\n\nWhy (optional; the audit and the requester read it):")
                                   .arg(OperationRules(BuiltInOperationKinds::registry())
                                            .check(OperationRules::Action::Approve, op, {})
                                            .reason)
                             : tr("%1\n\nWhy (required; %2 reads it):")
                                   .arg(OperationRules(BuiltInOperationKinds::registry())
                                            .check(OperationRules::Action::Reject, op, {})
                                            .reason,
                                        op.who));
    ask.setOkButtonText(approve ? tr("Approve") : tr("Reject"));
    ask.setMinimumWidth(520);
    if (ask.exec() != QDialog::Accepted)
        return;
    const QString reason = ask.textValue().trimmed();
    if (!approve && reason.isEmpty()) {
        m_message->setText(tr("Request %1 is not rejected: a rejection says why.").arg(op.id));
        return;
    }
    RequestActionWorker::Request request;
    request.catalogFolder = m_folder;
    request.action = approve ? RequestActionWorker::Action::Approve : RequestActionWorker::Action::Reject;
    request.id = op.id;
    request.reason = reason;
    auto* worker = new RequestActionWorker(request);
    const qint64 id = op.id;
    connect(worker, &RequestActionWorker::finished, this, [this, id, approve](bool ok, bool, const QString& message) {
        m_message->setText(ok ? (approve ? tr("Request %1 is approved; an agent runs it in its window.").arg(id)
                                         : tr("Request %1 is rejected; nothing ran.").arg(id))
                              : message);
        updateButtons();
        reload();
        emit changed();
    });
    m_action.start(worker, approve ? QStringLiteral("approve request") : QStringLiteral("reject request"),
                   &RequestActionWorker::finished);
    updateButtons();
}
