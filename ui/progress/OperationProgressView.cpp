#include "OperationProgressView.h"
#include "operation/OperationRules.h"
#include "schedule/RequestWindow.h"
#include "core/ByteSize.h"

#include "FollowUpOffer.h"
#include "GridView.h"
#include "OperationActions.h"
#include "OperationHistoryModel.h"
#include "OperationSession.h"
#include "RunbookLogModel.h"
#include "RunbookStepModel.h"
#include "StateIconProxyModel.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace {

QString bytesText(double bytes)
{
    return ByteSize::text(qint64(bytes));
}

QString remainingText(double seconds)
{
    if (seconds < 0)
        return {};
    const qint64 s = qint64(seconds + 0.5);
    // The units are all done but the step is not (an fsync, the indexes, a check): no
    // promise of "less than a second" that the next seconds would break.
    if (s < 1)
        return OperationProgressView::tr("finishing");
    return OperationProgressView::tr("about %1 left").arg(OperationHistoryModel::formatDuration(s));
}

// "Completed", "Rollback in progress"... with the state's colour, as a pill.
QString stateStyle(OperationState state)
{
    QString background = QStringLiteral("#edebe9");
    QString foreground = QStringLiteral("#323130");
    switch (state) {
    case OperationState::Completed:
    case OperationState::SignedOff:
    case OperationState::RollbackCompleted:
        background = QStringLiteral("#dff6dd");
        foreground = QStringLiteral("#0b5a08");
        break;
    case OperationState::InProgress:
    case OperationState::RollbackInProgress:
        background = QStringLiteral("#deecf9");
        foreground = QStringLiteral("#004578");
        break;
    case OperationState::Failed:
    case OperationState::RollbackFailed:
        background = QStringLiteral("#fde7e9");
        foreground = QStringLiteral("#a80000");
        break;
    case OperationState::AwaitingApproval:
        background = QStringLiteral("#fff4ce");
        foreground = QStringLiteral("#8a5300");
        break;
    default:
        break;
    }
    return QStringLiteral("QLabel { background: %1; color: %2; border-radius: 9px; padding: 2px 10px; font-weight: "
                          "600; }")
        .arg(background, foreground);
}

} // namespace

OperationProgressView::OperationProgressView(QWidget* parent)
    : QWidget(parent), m_actions(new OperationActions(QStringLiteral("progress"), this))
{
    m_actions->enableShortcuts(this);
    setObjectName(QStringLiteral("operationProgressView"));
    m_stack = new QStackedWidget(this);

    m_placeholder = new QLabel(tr("No operation on this environment yet.\nOn a sandbox, Maintain > Move database "
                                  "starts a refresh; its progress shows here."),
                               m_stack);
    m_placeholder->setObjectName(QStringLiteral("operationPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);

    auto* page = new QWidget(m_stack);
    m_title = new QLabel(page);
    m_title->setObjectName(QStringLiteral("operationTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_state = new QLabel(page);
    m_state->setObjectName(QStringLiteral("operationState"));
    m_state->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_subtitle = new QLabel(page);
    m_subtitle->setObjectName(QStringLiteral("operationSubtitle"));
    m_subtitle->setWordWrap(true);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(page);
    m_error->setObjectName(QStringLiteral("operationError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #a80000; }"));

    auto* titleRow = new QHBoxLayout;
    titleRow->setSpacing(12);
    titleRow->addWidget(m_title);
    titleRow->addWidget(m_state, 0, Qt::AlignVCenter);
    titleRow->addStretch(1);

    // Buttons where LCS has them.
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    for (QAction* a : m_actions->actions()) {
        auto* b = new QToolButton(page);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setObjectName(a->objectName().replace(QStringLiteral("Action"), QStringLiteral("Button")));
        b->setMinimumHeight(28);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);

    m_overall = new QProgressBar(page);
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_overall->setRange(0, 100);
    m_overall->setTextVisible(true);
    m_stepLabel = new QLabel(page);
    m_stepLabel->setObjectName(QStringLiteral("currentStepLabel"));
    m_stepBar = new QProgressBar(page);
    m_stepBar->setObjectName(QStringLiteral("stepProgress"));
    m_stepBar->setTextVisible(true);
    m_stepLabel->setBuddy(m_stepBar);
    m_figures = new QLabel(page);
    m_figures->setObjectName(QStringLiteral("stepFigures"));
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_figures->setWordWrap(true);

    auto* overallCaption = new QLabel(tr("Overall:"), page);
    overallCaption->setBuddy(m_overall);
    auto* bars = new QGridLayout;
    bars->setColumnStretch(1, 1);
    // Wide enough for "Step 10 of 10:" from the start, so the bars never shift.
    bars->setColumnMinimumWidth(0, m_stepLabel->fontMetrics().horizontalAdvance(tr("Step %1 of %2:").arg(88).arg(88)));
    bars->setHorizontalSpacing(10);
    bars->setVerticalSpacing(4);
    bars->addWidget(overallCaption, 0, 0);
    bars->addWidget(m_overall, 0, 1);
    bars->addWidget(m_stepLabel, 1, 0);
    bars->addWidget(m_stepBar, 1, 1);
    bars->addWidget(m_figures, 2, 1);

    m_steps = new GridView(page);
    m_steps->setObjectName(QStringLiteral("stepList"));
    m_steps->setTextElideMode(Qt::ElideRight);
    m_steps->setPlaceholderText(tr("This operation has no steps."));
    m_steps->setHeightInRows(10, 12); // the whole runbook, without scrolling

    m_log = new GridView(page);
    m_log->setObjectName(QStringLiteral("runbookLogView"));
    m_log->setAlternatingRowColors(false);
    m_log->setTextElideMode(Qt::ElideRight);
    m_log->setPlaceholderText(tr("Nothing in the runbook log yet."));
    m_log->setHeightInRows(3, 3);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(m_log->font().pointSizeF());
    m_log->setFont(mono);

    // After a refresh into a Commerce environment: what is left to do, and the tool in one click.
    m_followUps = new QGroupBox(tr("Follow-ups"), page);
    m_followUps->setObjectName(QStringLiteral("followUpsBox"));
    m_followUpList = new QLabel(m_followUps);
    m_followUpList->setObjectName(QStringLiteral("followUpList"));
    // One line a task, never wrapped: the box's height is then exactly the list's.
    m_followUpList->setWordWrap(false);
    m_followUpList->setTextFormat(Qt::PlainText);
    m_followUpList->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_followUpList->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_reprovision = new QPushButton(tr("Apply the Environment reprovisioning tool"), m_followUps);
    m_reprovision->setObjectName(QStringLiteral("reprovisionButton"));
    m_reprovision->setMinimumHeight(28);
    m_reprovisionNote = new QLabel(m_followUps);
    m_reprovisionNote->setObjectName(QStringLiteral("reprovisionNote"));
    m_reprovisionNote->setWordWrap(true);
    // The reason wraps within the column the button and the list leave it; it never widens it.
    m_reprovisionNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_reprovisionNote->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_reprovision, &QPushButton::clicked, this, [this] {
        if (m_session)
            Q_EMIT reprovisioningRequested(m_session->record().target);
    });
    auto* offer = new QVBoxLayout;
    offer->setSpacing(4);
    offer->addWidget(m_reprovision);
    offer->addWidget(m_reprovisionNote);
    offer->addStretch(1);
    // The tool under the tasks, not beside them: the box is then no wider than its
    // longest task, and the Operation tab never scrolls sideways.
    auto* followUpsLayout = new QVBoxLayout(m_followUps);
    followUpsLayout->setSpacing(8);
    followUpsLayout->addWidget(m_followUpList);
    auto* offerRow = new QHBoxLayout;
    offerRow->addLayout(offer);
    offerRow->addStretch(1);
    followUpsLayout->addLayout(offerRow);
    // Every task stays readable: the runbook grid above the log scrolls instead.
    m_followUps->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_followUps->hide();

    auto* splitter = new QSplitter(Qt::Vertical, page);
    splitter->setObjectName(QStringLiteral("progressSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_log);
    // The runbook keeps its height; the log takes what is left.
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(8);
    layout->addLayout(titleRow);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    layout->addLayout(bars);
    layout->addWidget(m_followUps);
    layout->addWidget(splitter, 1);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(page);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    // Durations of a running step grow by the second.
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        if (m_session)
            m_session->steps()->tick();
        updateProgress();
    });
    setSession(nullptr);
}

void OperationProgressView::setSession(OperationSession* session, const QList<OperationRecord>& history)
{
    if (m_session == session) {
        setHistory(history);
        return;
    }
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_history = history;
    m_stack->setCurrentIndex(session ? 1 : 0);
    if (!session) {
        m_actions->clear();
        m_clock.stop();
        updateFollowUps();
        return;
    }
    auto* steps = new StateIconProxyModel(RunbookStepModel::StepColumn, RunbookStepModel::StateRole, m_steps);
    steps->setSourceModel(session->steps());
    QAbstractItemModel* old = m_steps->model();
    m_steps->setModel(steps);
    if (old && old->parent() == m_steps)
        old->deleteLater();
    // Widths from the widest possible texts, set once: the runbook changes ten times a
    // second and the log grows line by line, and re-measuring would stall the window.
    m_steps->header()->setStretchLastSection(true);
    QStringList names{tr("Step")};
    for (int row = 0; row < session->steps()->rowCount(); ++row)
        names << session->steps()->index(row, RunbookStepModel::StepColumn).data().toString();
    m_steps->setColumnWidthFor(RunbookStepModel::StepColumn, names, true);
    QStringList states{tr("State")};
    for (StepState state : {StepState::NotStarted, StepState::InProgress, StepState::Completed, StepState::Failed,
                            StepState::Skipped, StepState::Cancelled})
        states << RunbookStepModel::stateTitle(state);
    m_steps->setColumnWidthFor(RunbookStepModel::StateColumn, states);
    m_steps->setColumnWidthFor(RunbookStepModel::StartedColumn, {tr("Started"), QStringLiteral("00:00:00")});
    m_steps->setColumnWidthFor(RunbookStepModel::DurationColumn,
                               {tr("Duration"), OperationHistoryModel::formatDuration(59 * 60 + 59),
                                OperationHistoryModel::formatDuration(23 * 3600 + 59 * 60)});

    m_log->setModel(session->log());
    m_log->header()->setStretchLastSection(true);
    m_log->setColumnWidthFor(RunbookLogModel::TimeColumn, {QStringLiteral("00:00:00.000")});
    m_log->setColumnWidthFor(RunbookLogModel::LevelColumn,
                             {tr("Level"), QStringLiteral("warning"), QStringLiteral("critical")});
    connect(session->log(), &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* bar = m_log->verticalScrollBar();
        m_logAtBottom = bar->value() >= bar->maximum();
    });
    connect(session->log(), &QAbstractItemModel::rowsInserted, this, &OperationProgressView::followLog);
    connect(session->log(), &QAbstractItemModel::modelReset, this, [this] {
        m_logAtBottom = true;
        followLog();
    });

    connect(session, &OperationSession::changed, this, &OperationProgressView::updateAll);
    connect(session, &OperationSession::busyChanged, this, &OperationProgressView::updateAll);
    connect(session, &OperationSession::progressed, this, &OperationProgressView::updateProgress);
    m_clock.start();
    m_logAtBottom = true;
    followLog();
    updateAll();
}

void OperationProgressView::setHistory(const QList<OperationRecord>& history)
{
    m_history = history;
    updateActions();
}

void OperationProgressView::followLog()
{
    if (m_logAtBottom)
        m_log->scrollToBottom();
}

void OperationProgressView::updateActions()
{
    updateFollowUps();
    if (!m_session) {
        m_actions->clear();
        return;
    }
    m_actions->setOperation(m_session->record(), m_history, m_session->isBusy(), m_session->roleRefusal());
}

void OperationProgressView::updateFollowUps()
{
    FollowUpOffer::Verdict offer;
    if (m_session) {
        // The catalog's copy when the history has it: the Follow-ups step writes the tasks there.
        OperationRecord op = m_session->record();
        for (const OperationRecord& h : m_history) {
            if (h.id == op.id && op.params.value(QStringLiteral("followUps")).isUndefined())
                op.params = h.params;
        }
        offer = FollowUpOffer::check(op, m_history);
        if (offer.enabled && m_session->isBusy()) {
            offer.enabled = false;
            offer.reason = tr("Wait for the action running on this refresh to end.");
        }
    }
    if (m_followUps->isHidden() == offer.offered) {
        m_followUps->setVisible(offer.offered);
        // The box takes the room of a finished runbook's last rows (they scroll), so
        // the window keeps its size.
        m_steps->setHeightInRows(offer.offered ? 4 : 10, 12);
    }
    if (!offer.offered)
        return;
    QStringList lines;
    for (const QString& task : std::as_const(offer.tasks))
        lines << QStringLiteral("•  ") + task;
    m_followUpList->setText(lines.join(QLatin1Char('\n')));
    m_reprovision->setEnabled(offer.enabled);
    m_reprovision->setToolTip(offer.reason);
    m_reprovision->setStatusTip(offer.reason);
    // Without hovering: why the button waits.
    m_reprovisionNote->setText(offer.enabled ? QString() : offer.reason);
    m_reprovisionNote->setVisible(!offer.enabled);
}

void OperationProgressView::updateAll()
{
    if (!m_session)
        return;
    const OperationRecord& op = m_session->record();
    m_title->setText(tr("%1 #%2").arg(op.title()).arg(op.id));
    m_state->setText(OperationHistoryModel::stateTitle(op));
    m_state->setStyleSheet(stateStyle(op.state));
    QString subtitle = op.source.isEmpty() || op.source == op.target ? tr("%1").arg(op.target)
                                                                     : tr("%1 from %2").arg(op.target, op.source);
    if (op.state == OperationState::AwaitingApproval)
        subtitle += tr(" · requested by %1; waits for a Project owner other than %1 to approve it (View > Work "
                       "items), then runs in the window %2")
                        .arg(op.who, RequestWindow{op.windowStart, op.windowEnd}.text(QTimeZone::systemTimeZone()));
    else if (op.state == OperationState::Scheduled)
        subtitle += tr(" · requested by %1 for the window %2; an agent runs it then")
                        .arg(op.who, RequestWindow{op.windowStart, op.windowEnd}.text(QTimeZone::systemTimeZone()));
    else if (op.started.isValid())
        subtitle +=
            tr(" · started %1 by %2").arg(QLocale().toString(op.started.toLocalTime(), QLocale::ShortFormat), op.who);
    else
        subtitle += tr(" · created by %1, not started").arg(op.who);
    if (!op.approvedBy.isEmpty())
        subtitle += tr(" · approved by %1%2")
                        .arg(op.approvedBy, op.approvalNote.isEmpty() ? QString() : tr(" (%1)").arg(op.approvalNote));
    else if (op.state == OperationState::Aborted && !op.approvalNote.isEmpty())
        subtitle += tr(" · %1").arg(op.error);
    if (op.finished.isValid())
        subtitle += tr(" · ended %1 (%2)")
                        .arg(QLocale().toString(op.finished.toLocalTime(), QLocale::ShortFormat),
                             OperationHistoryModel::formatDuration(op.durationSeconds()));
    if (!op.pendingAction.isEmpty())
        subtitle += op.actionAgent.isEmpty()
                        ? tr(" · %1 asked the agents to %2; waiting for one")
                              .arg(op.actionBy, OperationRules::pendingActionWords(op.pendingAction))
                        : tr(" · %1 asked the agents to %2; agent %3 does it")
                              .arg(op.actionBy, OperationRules::pendingActionWords(op.pendingAction), op.actionAgent);
    m_subtitle->setText(subtitle);
    m_error->setText(op.error);
    m_error->setVisible(!op.error.isEmpty());
    if (m_session->isBusy() || isActiveState(op.state))
        m_clock.start();
    updateActions();
    updateProgress();
}

void OperationProgressView::updateProgress()
{
    if (!m_session)
        return;
    const RunbookStepModel* steps = m_session->steps();
    const OperationRecord& op = m_session->record();
    const int count = steps->rowCount();
    const int overall =
        op.state == OperationState::Completed || op.state == OperationState::SignedOff ? 100 : steps->overallPercent();
    m_overall->setValue(overall);
    // The time left over the whole runbook, from the time spent and the weighted share done.
    QString left;
    const double fraction = steps->overallFraction();
    if (op.state == OperationState::InProgress && op.started.isValid() && fraction >= 0.05 && fraction < 1.0) {
        const double elapsed = double(op.started.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0;
        const qint64 remaining = qint64(elapsed / fraction - elapsed);
        left = remaining < 1 ? tr(" · finishing") : tr(" · about %1 left").arg(OperationHistoryModel::formatDuration(remaining));
    }
    m_overall->setFormat(
        tr("%1% · %2 of %3 steps done%4").arg(overall).arg(steps->finishedCount()).arg(count).arg(left));
    m_overall->setToolTip(m_overall->format());

    const int ordinal = steps->latestOrdinal();
    const RunbookStepModel::Step* step = steps->step(ordinal);
    if (!step) {
        m_stepLabel->setText(tr("Step:"));
        m_stepBar->setRange(0, 1);
        m_stepBar->setValue(0);
        m_stepBar->setFormat(op.state == OperationState::NotStarted ? tr("Waiting to start") : tr("No step has run"));
        m_figures->clear();
        return;
    }
    const StepRecord& r = step->record;
    const bool running = r.state == StepState::InProgress;
    m_stepLabel->setText(tr("Step %1 of %2:").arg(ordinal).arg(count));
    m_stepBar->setToolTip(tr("%1: %2").arg(r.name, RunbookStepModel::stateTitle(r.state)));
    QStringList figures;
    if (running) {
        const QString units = RunbookStepModel::unitsText(r.done, r.total, step->unit);
        if (!units.isEmpty())
            figures << units;
        if (r.bytes > 0 && step->unit != QLatin1String("bytes")) // counted in bytes: said already
            figures << tr("%1 copied").arg(bytesText(double(r.bytes)));
        if (step->bytesPerSecond > 0)
            figures << tr("%1/s").arg(bytesText(step->bytesPerSecond));
        if (step->secondsRemaining >= 0)
            figures << remainingText(step->secondsRemaining);
        if (r.total <= 0)
            figures.prepend(r.name); // the busy bar shows no text
    } else if (r.started.isValid() && r.finished.isValid()) {
        figures << tr("%1 in %2")
                       .arg(RunbookStepModel::stateTitle(r.state),
                            OperationHistoryModel::formatDuration(std::max<qint64>(0, r.started.secsTo(r.finished))));
    } else {
        figures << RunbookStepModel::stateTitle(r.state);
    }
    m_figures->setText(figures.join(QStringLiteral(" · ")));

    if (running && r.total <= 0) {
        m_stepBar->setRange(0, 0); // busy: the step reports no units
        m_stepBar->setFormat(r.name);
    } else {
        m_stepBar->setRange(0, 1000);
        const bool done = isStepDone(r.state);
        const int value = r.total > 0 ? int(std::clamp<qint64>(1000 * r.done / r.total, 0, 1000)) : done ? 1000 : 0;
        m_stepBar->setValue(value);
        m_stepBar->setFormat(QStringLiteral("%1 · %2%").arg(r.name).arg(value / 10));
    }
    if (!running && !m_session->isBusy() && !isActiveState(op.state))
        m_clock.stop();
}
