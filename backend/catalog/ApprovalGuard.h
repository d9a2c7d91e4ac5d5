#pragma once

#include <QStringList>

// The catalog server's side of the four-eyes rule (docs/ARCHITECTURE.md, Approvals):
// the PostgreSQL statements of migration 14. ApprovalService says the same refusals
// first; these make them true for every writer, psql included.
//
// Promises, for every login, administrators and agents included:
// - dataalm_needs_approval(kind, environment): the one decision whether a request waits
//   for approval (OperationRules::approvalKinds on production or a protected environment).
// - Such an operation cannot be inserted in another state than NotStarted, nor leave
//   NotStarted for Scheduled or InProgress unless a Project owner approved it; an
//   approval (AwaitingApproval -> Scheduled) by the requester, or by anyone who is not a
//   Project owner of the project, is refused; the server writes approved_by
//   (session_user) and approved_at, which nobody else writes.
// - Who asked (operations.who) is the inserting login (an agent's occurrences and an
//   administrator's rows excepted: the catalog's owner can change these rules anyway)
//   and never changes; what was asked (kind, source, target, params, window) is fixed
//   while it awaits approval and, once approved, for everyone but the agents running it.
// - Marking an environment protected or not, and changing its type, needs a Project
//   owner; either change is written to the audit by the server.
class ApprovalGuard
{
public:
    static QStringList migrationStatements();
};
