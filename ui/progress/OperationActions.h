#pragma once

#include "OperationAvailability.h"
#include "operation/OperationRecord.h"

#include <QList>
#include <QObject>

class QAction;
class QMenu;

// LCS's operation buttons for one operation — Cancel, Resume, Rollback, Sign off,
// Download runbook logs — as QActions for toolbars, buttons and context menus.
// Each is enabled exactly when OperationAvailability allows it, and its tooltip says
// what it will do or why it cannot. Triggering one only emits requested(): the
// OperationCenter confirms and runs it.
class OperationActions : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationActions)

public:
    // `prefix` names the actions' objectNames: "<prefix>CancelAction", ...
    OperationActions(const QString& prefix, QObject* parent = nullptr);

    // The operation the actions apply to, the target's history, and whether this
    // console is running an action on it.
    // `roleRefusal`: why the login may not operate it (a team catalog's role), shown on every action but the logs.
    void setOperation(const OperationRecord& operation, const QList<OperationRecord>& history, bool busyHere,
                      const QString& roleRefusal = {});
    void clear();
    qint64 operationId() const { return m_operationId; }

    QAction* action(OperationAvailability::Action which) const;
    QList<QAction*> actions() const { return m_actions; }
    void addTo(QMenu* menu) const;
    // Gives Rollback (Ctrl+Shift+R) and Sign off (Ctrl+Shift+S) their shortcuts, active
    // while the focus is inside `scope` (the page that shows these actions).
    void enableShortcuts(QWidget* scope) const;

Q_SIGNALS:
    void requested(qint64 operationId, int action); // action: OperationAvailability::Action

private:
    QList<QAction*> m_actions; // indexed by OperationAvailability::Action
    qint64 m_operationId = 0;
};
