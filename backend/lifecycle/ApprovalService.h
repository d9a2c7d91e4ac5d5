#pragma once

#include <QCoreApplication>
#include <QString>

class Catalog;
struct OperationRecord;
struct Environment;

// The four-eyes rule of a team catalog (docs/ARCHITECTURE.md, Approvals): a refresh,
// restore, import or apply asked for a protected environment (production always, and
// the environments a Project owner marks protected) waits AwaitingApproval until a
// Project owner other than the requester approves it (it is then Scheduled for its
// window) or rejects it with a reason (it ends Canceled).
//
// Promises:
// - Enforced by the catalog server: its trigger (migration 14, ApprovalGuard)
//   refuses a request that skips approval, an approval by the requester or by anyone
//   who is not a Project owner, and any change to what was approved; it records who
//   approved (session_user). The CLI and the console say the same refusal first, in
//   the lifecycle's sentence (OperationRules), and the audit records both.
// - On a SQLite catalog (one person) nothing waits for approval: there is nobody else;
//   approve, reject and marking an environment protected are refused with that sentence.
class ApprovalService
{
    Q_DECLARE_TR_FUNCTIONS(ApprovalService)

public:
    enum class Outcome
    {
        Done,
        NotAllowed, // the rules, the role or the four-eyes rule refuse it (exit 5)
        Failed,     // the catalog did not answer
    };

    explicit ApprovalService(Catalog& catalog);

    // Whether a new `kind` on `target` would wait for approval: the server's answer.
    bool required(const QString& kind, const Environment& target) const;
    // Why this login may not approve (or reject) `operation` now, empty when it may:
    // no team catalog, the rules (not awaiting approval; its window ended), its own
    // request, not a Project owner. `audited`: a refusal of the role is written to the
    // audit (access.refused), as an attempt; without it, what a console greys out.
    QString refusal(const OperationRecord& operation, bool approve, bool audited = false) const;
    Outcome approve(const OperationRecord& operation, const QString& reason, QString* error);
    Outcome reject(const OperationRecord& operation, const QString& reason, QString* error);
    // Marks `target` protected or not (a Project owner's decision; production stays
    // protected whatever the mark); audited as environment.protect.
    Outcome setProtected(const Environment& target, bool on, QString* error);

    // The sentence for a SQLite catalog.
    static QString onePersonSentence();

private:
    Catalog& m_catalog;
};
