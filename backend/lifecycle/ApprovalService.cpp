#include "lifecycle/ApprovalService.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "catalog/TeamAccess.h"
#include "core/Clock.h"
#include "environment/Environment.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationRules.h"

#include <QSqlError>
#include <QSqlQuery>

ApprovalService::ApprovalService(Catalog& catalog)
    : m_catalog(catalog)
{
}

QString ApprovalService::onePersonSentence()
{
    return tr("Approvals are a team catalog's: a one-person catalog has nobody else to approve, and its operations "
              "run when their owner asks.");
}

bool ApprovalService::required(const QString& kind, const Environment& target) const
{
    if (!m_catalog.isTeam())
        return false;
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("SELECT dataalm_needs_approval(?, ?)"));
    q.addBindValue(kind);
    q.addBindValue(target.id);
    // Unanswered: assume it waits, as the server then decides anyway.
    return !q.exec() || !q.next() || q.value(0).toBool();
}

QString ApprovalService::refusal(const OperationRecord& op, bool approve, bool audited) const
{
    if (!m_catalog.isTeam())
        return onePersonSentence();
    const OperationRules::Verdict v =
        OperationRules(BuiltInOperationKinds::registry())
            .check(approve ? OperationRules::Action::Approve : OperationRules::Action::Reject, op, {});
    if (!v.allowed)
        return v.reason;
    if (approve && op.windowEnd.isValid() && op.windowEnd <= Clock::nowUtc())
        return tr("Request %1's window ended at %2: it can no longer be approved; ask for it again.")
            .arg(op.id)
            .arg(op.windowEnd.toUTC().toString(Qt::ISODate));
    const QString own = OperationRules::ownRequestRefusal(op, Catalog::currentUser());
    if (!own.isEmpty())
        return own;
    TeamAccess access(m_catalog);
    return audited ? access.refusal(op.projectId, op.target, TeamAccess::Right::Own)
                   : access.whyNot(op.projectId, op.target, TeamAccess::Right::Own);
}

ApprovalService::Outcome ApprovalService::approve(const OperationRecord& op, const QString& reason, QString* error)
{
    const QString why = refusal(op, true, false);
    if (!why.isEmpty()) {
        *error = why;
        if (m_catalog.isTeam())
            m_catalog.audit(QStringLiteral("operation.approve.refused"), QString::number(op.id), why);
        return Outcome::NotAllowed;
    }
    bool refused = false;
    if (!OperationStore(m_catalog).approve(op.id, reason, error, &refused)) {
        if (!refused)
            return Outcome::Failed;
        m_catalog.audit(QStringLiteral("operation.approve.refused"), QString::number(op.id), *error);
        return Outcome::NotAllowed;
    }
    return Outcome::Done;
}

ApprovalService::Outcome ApprovalService::reject(const OperationRecord& op, const QString& reason, QString* error)
{
    if (reason.trimmed().isEmpty()) {
        *error = tr("A rejection says why: give a reason (--reason).");
        return Outcome::NotAllowed;
    }
    const QString why = refusal(op, false, false);
    if (!why.isEmpty()) {
        *error = why;
        if (m_catalog.isTeam())
            m_catalog.audit(QStringLiteral("operation.reject.refused"), QString::number(op.id), why);
        return Outcome::NotAllowed;
    }
    bool refused = false;
    if (!OperationStore(m_catalog).reject(op.id, reason.trimmed(), error, &refused)) {
        if (!refused)
            return Outcome::Failed;
        m_catalog.audit(QStringLiteral("operation.reject.refused"), QString::number(op.id), *error);
        return Outcome::NotAllowed;
    }
    return Outcome::Done;
}

ApprovalService::Outcome ApprovalService::setProtected(const Environment& target, bool on, QString* error)
{
    if (!m_catalog.isTeam()) {
        *error = onePersonSentence();
        return Outcome::NotAllowed;
    }
    if (!on && target.type == EnvironmentType::Production) {
        *error = tr("%1 is a production environment: production is always protected.").arg(target.id);
        return Outcome::NotAllowed;
    }
    const QString denied = TeamAccess(m_catalog).refusal(target.projectId, target.id, TeamAccess::Right::Own);
    if (!denied.isEmpty()) {
        *error = denied;
        return Outcome::NotAllowed;
    }
    QSqlQuery q(m_catalog.database());
    q.prepare(QStringLiteral("UPDATE environments SET protected = ? WHERE id = ?"));
    q.addBindValue(on ? 1 : 0);
    q.addBindValue(target.id);
    if (!q.exec()) {
        *error = Catalog::serverMessage(q.lastError());
        return Outcome::NotAllowed;
    }
    if (q.numRowsAffected() != 1) {
        *error = tr("There is no environment %1.").arg(target.id);
        return Outcome::Failed;
    }
    return Outcome::Done;
}
