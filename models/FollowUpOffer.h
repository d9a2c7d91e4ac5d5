#pragma once

#include "operation/OperationRecord.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

// The follow-ups of a refresh into a Commerce environment (the Follow-ups step writes
// them to the operation's params as "followUps") and whether the one-click
// Environment reprovisioning tool is offered for it, with a sentence saying what a
// click does or why it cannot. The progress view and the operation history's context
// menu both ask here, so they offer the tool under the same rule.
//
// Promises: pure functions of the values given (the refresh and its target's
// history); no I/O.
class FollowUpOffer
{
    Q_DECLARE_TR_FUNCTIONS(FollowUpOffer)

public:
    struct Verdict
    {
        bool offered = false; // a completed refresh with follow-ups: show them
        bool enabled = false; // the tool may be applied now
        QString reason;       // what a click does, or why it cannot
        QStringList tasks;    // the follow-up tasks, in runbook order
    };

    // `history`: operations of the refresh's target (any order).
    static Verdict check(const OperationRecord& operation, const QList<OperationRecord>& history);
    // The follow-up tasks an operation's params hold (empty: none, e.g. no Commerce).
    static QStringList tasks(const OperationRecord& operation);
    // An apply of a reprovisioning package (the Environment reprovisioning tool).
    static bool isReprovisioningApply(const OperationRecord& operation);
};
