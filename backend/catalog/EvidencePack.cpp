#include "catalog/EvidencePack.h"

#include "catalog/AuditLog.h"
#include "catalog/Catalog.h"
#include "operation/OperationRecord.h"
#include "operation/OperationRules.h"

#include <QJsonArray>

namespace EvidencePack {

namespace {

QJsonValue timeValue(const QDateTime& t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject build(Catalog& catalog, const OperationRecord& op)
{
    QJsonObject request{{QStringLiteral("by"), op.who},
                        {QStringLiteral("at"), timeValue(op.created)},
                        {QStringLiteral("requestId"), op.requestId > 0 ? op.requestId : op.id}};
    if (op.windowStart.isValid())
        request.insert(QStringLiteral("window"), QJsonObject{{QStringLiteral("start"), timeValue(op.windowStart)},
                                                              {QStringLiteral("end"), timeValue(op.windowEnd)}});

    QJsonObject approval;
    const bool rejected = op.state == OperationState::Aborted && op.approvedBy.isEmpty() && !op.approvalNote.isEmpty();
    if (!op.approvedBy.isEmpty())
        approval = {{QStringLiteral("status"), QStringLiteral("approved")},
                    {QStringLiteral("by"), op.approvedBy},
                    {QStringLiteral("at"), timeValue(op.approvedAt)},
                    {QStringLiteral("reason"), op.approvalNote}};
    else if (rejected)
        approval = {{QStringLiteral("status"), QStringLiteral("rejected")},
                    {QStringLiteral("reason"), op.approvalNote},
                    {QStringLiteral("detail"), op.error}};
    else if (op.state == OperationState::AwaitingApproval)
        approval = {{QStringLiteral("status"), QStringLiteral("awaiting")}};
    else
        approval = {{QStringLiteral("status"), QStringLiteral("not required")},
                    {QStringLiteral("detail"),
                     catalog.isTeam()
                         ? (OperationRules::approvalKinds().contains(op.kind)
                                ? QStringLiteral("%1 was not protected when it was requested").arg(op.target)
                                : QStringLiteral("a %1 needs no approval").arg(op.kind))
                         : QStringLiteral("a one-person catalog has no approvals")}};

    QJsonObject policy;
    const QString digest = op.params.value(QStringLiteral("policySha256")).toString();
    if (!digest.isEmpty())
        policy = {{QStringLiteral("file"), QStringLiteral("policy.json")},
                  {QStringLiteral("sha256"), digest},
                  {QStringLiteral("path"), op.params.value(QStringLiteral("policy")).toString()}};

    // Per rule, the rows of each table, as the policy's steps reported them.
    QJsonArray rules;
    const QJsonObject reports = op.params.value(QStringLiteral("policyReport")).toObject();
    for (auto it = reports.begin(); it != reports.end(); ++it) {
        for (const QJsonValue& r : it.value().toObject().value(QStringLiteral("rules")).toArray()) {
            QJsonObject rule = r.toObject();
            rule.insert(QStringLiteral("step"), it.key().toInt());
            rules.append(rule);
        }
    }

    QJsonArray steps;
    for (const StepRecord& s : op.steps)
        steps.append(QJsonObject{{QStringLiteral("ordinal"), s.ordinal},
                                 {QStringLiteral("name"), s.name},
                                 {QStringLiteral("state"), stepStateName(s.state)},
                                 {QStringLiteral("started"), timeValue(s.started)},
                                 {QStringLiteral("finished"), timeValue(s.finished)},
                                 {QStringLiteral("result"), s.detail}});

    QJsonArray audit;
    QList<AuditLog::Entry> entries;
    QString error;
    const bool read = AuditLog(catalog).readOperation(op.id, op.requestId, op.kind, op.target, &entries, &error);
    for (const AuditLog::Entry& e : std::as_const(entries))
        audit.append(e.toJson());

    QJsonObject evidence{{QStringLiteral("operation"), QJsonObject{{QStringLiteral("id"), op.id},
                                                                   {QStringLiteral("kind"), op.kind},
                                                                   {QStringLiteral("title"), op.title()},
                                                                   {QStringLiteral("project"), op.projectId},
                                                                   {QStringLiteral("source"), op.source},
                                                                   {QStringLiteral("target"), op.target},
                                                                   {QStringLiteral("state"), operationStateName(op.state)},
                                                                   {QStringLiteral("started"), timeValue(op.started)},
                                                                   {QStringLiteral("finished"), timeValue(op.finished)},
                                                                   {QStringLiteral("error"), op.error}}},
                         {QStringLiteral("request"), request},
                         {QStringLiteral("approval"), approval},
                         {QStringLiteral("policy"), policy.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(policy)},
                         {QStringLiteral("rules"), rules},
                         {QStringLiteral("steps"), steps},
                         {QStringLiteral("audit"), audit},
                         {QStringLiteral("catalog"), catalog.isTeam() ? QStringLiteral("team") : QStringLiteral("one person")},
                         {QStringLiteral("generated"), timeValue(QDateTime::currentDateTimeUtc())}};
    if (!read)
        evidence.insert(QStringLiteral("auditError"), error);
    return evidence;
}

QByteArray text(const QJsonObject& e)
{
    QStringList out;
    const QJsonObject op = e.value(QStringLiteral("operation")).toObject();
    const QJsonObject request = e.value(QStringLiteral("request")).toObject();
    const QJsonObject approval = e.value(QStringLiteral("approval")).toObject();
    out << QStringLiteral("Evidence of operation %1: %2 of %3%4")
               .arg(op.value(QStringLiteral("id")).toInteger())
               .arg(op.value(QStringLiteral("title")).toString(), op.value(QStringLiteral("target")).toString(),
                    op.value(QStringLiteral("source")).toString().isEmpty()
                        ? QString()
                        : QStringLiteral(" from ") + op.value(QStringLiteral("source")).toString());
    out << QStringLiteral("State: %1%2")
               .arg(op.value(QStringLiteral("state")).toString(),
                    op.value(QStringLiteral("error")).toString().isEmpty()
                        ? QString()
                        : QStringLiteral(" (") + op.value(QStringLiteral("error")).toString() + QLatin1Char(')'));
    out << QStringLiteral("Requested by %1 at %2")
               .arg(request.value(QStringLiteral("by")).toString(), request.value(QStringLiteral("at")).toString());
    const QString status = approval.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("approved"))
        out << QStringLiteral("Approved by %1 at %2: %3")
                   .arg(approval.value(QStringLiteral("by")).toString(), approval.value(QStringLiteral("at")).toString(),
                        approval.value(QStringLiteral("reason")).toString());
    else
        out << QStringLiteral("Approval: %1%2")
                   .arg(status, approval.value(QStringLiteral("detail")).toString().isEmpty()
                                    ? QString()
                                    : QStringLiteral(" (") + approval.value(QStringLiteral("detail")).toString() +
                                          QLatin1Char(')'));
    const QJsonObject policy = e.value(QStringLiteral("policy")).toObject();
    if (!policy.isEmpty())
        out << QStringLiteral("Data policy: policy.json, SHA-256 %1").arg(policy.value(QStringLiteral("sha256")).toString());
    for (const QJsonValue& v : e.value(QStringLiteral("rules")).toArray()) {
        const QJsonObject r = v.toObject();
        out << QStringLiteral("Rule %1 (%2, %3):")
                   .arg(r.value(QStringLiteral("id")).toString(), r.value(QStringLiteral("action")).toString(),
                        r.value(QStringLiteral("title")).toString());
        for (const QJsonValue& t : r.value(QStringLiteral("tables")).toArray()) {
            const QJsonObject table = t.toObject();
            out << QStringLiteral("  %1: %2 deleted, %3 inserted, %4 updated")
                       .arg(table.value(QStringLiteral("table")).toString())
                       .arg(table.value(QStringLiteral("deleted")).toInteger())
                       .arg(table.value(QStringLiteral("inserted")).toInteger())
                       .arg(table.value(QStringLiteral("updated")).toInteger());
        }
    }
    out << QStringLiteral("Steps:");
    for (const QJsonValue& v : e.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject s = v.toObject();
        out << QStringLiteral("  %1. %2: %3%4")
                   .arg(s.value(QStringLiteral("ordinal")).toInt())
                   .arg(s.value(QStringLiteral("name")).toString(), s.value(QStringLiteral("state")).toString(),
                        s.value(QStringLiteral("result")).toString().isEmpty()
                            ? QString()
                            : QStringLiteral(" (") + s.value(QStringLiteral("result")).toString() + QLatin1Char(')'));
    }
    out << QStringLiteral("Audit:");
    for (const QJsonValue& v : e.value(QStringLiteral("audit")).toArray()) {
        const QJsonObject a = v.toObject();
        out << QStringLiteral("  %1 %2%3%4 %5 %6")
                   .arg(a.value(QStringLiteral("at")).toString(), a.value(QStringLiteral("who")).toString(),
                        a.value(QStringLiteral("role")).toString().isEmpty()
                            ? QString()
                            : QStringLiteral(" (") + a.value(QStringLiteral("role")).toString() + QLatin1Char(')'),
                        a.value(QStringLiteral("host")).toString().isEmpty()
                            ? QString()
                            : QStringLiteral(" from ") + a.value(QStringLiteral("host")).toString(),
                        a.value(QStringLiteral("action")).toString(), a.value(QStringLiteral("detail")).toString());
    }
    return out.join(QLatin1Char('\n')).toUtf8() + '\n';
}

} // namespace EvidencePack
