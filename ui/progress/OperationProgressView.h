#pragma once

#include "OperationSession.h"
#include "operation/OperationRecord.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class GridView;
class OperationActions;
class OperationSession;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QToolButton;
class RunbookLogModel;

// The live progress of one operation, as LCS shows a running refresh: every runbook
// step with its state icon, start time and duration; the current step's progress bar
// with rows or pages, bytes, rate and time remaining; the overall progress; a live
// tail of the runbook log; and the operation's buttons (Cancel, Resume, Rollback,
// Sign off, Download runbook logs), enabled exactly when the state machine allows.
// A completed refresh into a Commerce environment also shows its follow-ups, with the
// one-click Environment reprovisioning tool (FollowUpOffer says when it is offered).
//
// Promises: it shows an OperationSession, which outlives it (the main window keeps
// the sessions), so navigating away and back finds the operation still updating. It
// never touches a database and redraws at most what the runner's throttled signals
// and a one-second clock ask for.
class OperationProgressView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationProgressView)

public:
    explicit OperationProgressView(QWidget* parent = nullptr);

    // Shows `session` (nullptr: nothing to show); `history`: the target's operations,
    // for the buttons' rules.
    void setSession(OperationSession* session, const QList<OperationRecord>& history = {});
    void setHistory(const QList<OperationRecord>& history);
    OperationSession* session() const { return m_session; }
    OperationActions* actions() const { return m_actions; }

Q_SIGNALS:
    // The user asked to apply the Environment reprovisioning tool to `environmentId`
    // (the shown refresh's target); the main window's ProjectActions does it.
    void reprovisioningRequested(const QString& environmentId);

private:
    void updateAll();
    void updateProgress();
    void updateActions();
    void updateFollowUps();
    void followLog();

    QPointer<OperationSession> m_session;
    QList<OperationRecord> m_history;
    OperationActions* m_actions;
    QTimer m_clock;

    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_subtitle = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_error = nullptr;
    QProgressBar* m_overall = nullptr;
    QLabel* m_stepLabel = nullptr;
    QProgressBar* m_stepBar = nullptr;
    QLabel* m_figures = nullptr;
    GridView* m_steps = nullptr;
    GridView* m_log = nullptr;
    QGroupBox* m_followUps = nullptr;
    QLabel* m_followUpList = nullptr;
    QPushButton* m_reprovision = nullptr;
    QLabel* m_reprovisionNote = nullptr;
    bool m_logAtBottom = true;
};
