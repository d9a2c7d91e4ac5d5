#include "OperationActions.h"

#include <QAction>
#include <QKeySequence>
#include <QMenu>
#include <QWidget>

OperationActions::OperationActions(const QString& prefix, QObject* parent) : QObject(parent)
{
    const struct
    {
        OperationAvailability::Action action;
        QString text;
        const char* name;
    } specs[] = {
        {OperationAvailability::Cancel, tr("&Cancel"), "CancelAction"},
        {OperationAvailability::Resume, tr("&Resume"), "ResumeAction"},
        {OperationAvailability::Rollback, tr("R&ollback"), "RollbackAction"},
        {OperationAvailability::SignOff, tr("&Sign off"), "SignOffAction"},
        {OperationAvailability::DownloadLogs, tr("&Download runbook logs…"), "DownloadLogsAction"},
        {OperationAvailability::MaskingReport, tr("&Masking report…"), "MaskingReportAction"},
    };
    for (const auto& spec : specs) {
        auto* a = new QAction(spec.text, this);
        a->setObjectName(prefix + QLatin1String(spec.name));
        const int which = spec.action;
        connect(a, &QAction::triggered, this, [this, which] {
            if (m_operationId > 0)
                Q_EMIT requested(m_operationId, which);
        });
        m_actions.append(a);
    }
    clear();
}

void OperationActions::setOperation(const OperationRecord& operation, const QList<OperationRecord>& history,
                                    bool busyHere, const QString& roleRefusal)
{
    m_operationId = operation.id;
    for (int i = 0; i < m_actions.size(); ++i) {
        const auto verdict = OperationAvailability::check(OperationAvailability::Action(i), operation, history,
                                                          busyHere, roleRefusal);
        QAction* a = m_actions.at(i);
        a->setEnabled(verdict.enabled);
        a->setToolTip(verdict.reason);
        a->setStatusTip(verdict.reason);
    }
}

void OperationActions::clear()
{
    m_operationId = 0;
    for (QAction* a : m_actions) {
        a->setEnabled(false);
        a->setToolTip(tr("No operation is selected."));
        a->setStatusTip(a->toolTip());
    }
}

QAction* OperationActions::action(OperationAvailability::Action which) const
{
    return m_actions.value(which);
}

void OperationActions::enableShortcuts(QWidget* scope) const
{
    const struct
    {
        OperationAvailability::Action action;
        QKeySequence keys;
    } shortcuts[] = {
        {OperationAvailability::Rollback, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)},
        {OperationAvailability::SignOff, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)},
    };
    for (const auto& s : shortcuts) {
        QAction* a = action(s.action);
        a->setShortcut(s.keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        scope->addAction(a);
    }
}

void OperationActions::addTo(QMenu* menu) const
{
    for (QAction* a : m_actions) {
        if (a == action(OperationAvailability::DownloadLogs))
            menu->addSeparator();
        menu->addAction(a);
    }
}
