#include "ApprovalCommands.h"

#include "ExitCode.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "lifecycle/ApprovalService.h"

#include <QJsonDocument>

ApprovalCommands::ApprovalCommands(CliContext& context)
    : m_ctx(context)
{
}

int ApprovalCommands::approve()
{
    return decide(true);
}

int ApprovalCommands::reject()
{
    return decide(false);
}

int ApprovalCommands::decide(bool approve)
{
    const QString command = approve ? QStringLiteral("approve") : QStringLiteral("reject");
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("reason")}, command, &error))
        return m_ctx.usage(error);
    const QStringList& p = m_ctx.cl.positional();
    if (p.size() != 2)
        return m_ctx.usage(QStringLiteral("%1 takes one request id (dataalm requests lists those awaiting approval)")
                               .arg(command));
    bool ok = false;
    const qint64 id = p.at(1).toLongLong(&ok);
    if (!ok || id <= 0)
        return m_ctx.usage(QStringLiteral("'%1' is not a request id (a whole number; dataalm requests lists them)")
                               .arg(p.at(1)));
    const QString reason = m_ctx.cl.value(QStringLiteral("reason")).trimmed();
    if (!approve && reason.isEmpty())
        return m_ctx.usage(QStringLiteral("reject needs --reason TEXT: the requester reads why"));
    const auto op = OperationStore(m_ctx.catalog).get(id);
    if (!op)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown request %1 (dataalm requests lists them)").arg(id));
    ApprovalService service(m_ctx.catalog);
    const ApprovalService::Outcome outcome =
        approve ? service.approve(*op, reason, &error) : service.reject(*op, reason, &error);
    if (outcome != ApprovalService::Outcome::Done)
        return m_ctx.fail(outcome == ApprovalService::Outcome::NotAllowed ? ExitNotAllowed : ExitFailed, error);
    const auto after = OperationStore(m_ctx.catalog).get(id);
    if (approve)
        m_ctx.err << QStringLiteral("Request %1 is approved by %2; an agent runs it in its window\n")
                         .arg(id)
                         .arg(after ? after->approvedBy : Catalog::currentUser());
    else
        m_ctx.err << QStringLiteral("Request %1 is rejected: nothing ran; %2 reads why\n").arg(id).arg(op->who);
    if (after) {
        if (m_ctx.json)
            m_ctx.printJson(QJsonDocument(after->toJson()));
        else
            m_ctx.out << QStringLiteral("%1\t%2\t%3\t%4\n")
                             .arg(after->id)
                             .arg(after->kind, after->target, operationStateName(after->state));
    }
    return ExitOk;
}
