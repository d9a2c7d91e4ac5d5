#include "operation/OperationRecord.h"

#include "operation/OperationKinds.h"

#include <QJsonArray>

static QJsonValue timeJson(const QDateTime& t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

QJsonObject StepRecord::toJson() const
{
    QJsonObject o{{QStringLiteral("ordinal"), ordinal},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("state"), stepStateName(state)},
                  {QStringLiteral("started"), timeJson(started)},
                  {QStringLiteral("finished"), timeJson(finished)},
                  {QStringLiteral("detail"), detail}};
    if (total > 0 || done > 0) {
        o.insert(QStringLiteral("done"), done);
        o.insert(QStringLiteral("total"), total);
    }
    if (bytes > 0)
        o.insert(QStringLiteral("bytes"), bytes);
    return o;
}

QJsonObject OperationRecord::toJson() const
{
    QJsonArray stepsJson;
    for (const auto& s : steps)
        stepsJson.append(s.toJson());
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("project"), projectId},
                  {QStringLiteral("source"), source.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(source)},
                  {QStringLiteral("target"), target},
                  {QStringLiteral("state"), operationStateName(state)},
                  {QStringLiteral("who"), who},
                  {QStringLiteral("started"), timeJson(started)},
                  {QStringLiteral("finished"), timeJson(finished)},
                  {QStringLiteral("error"), error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(error)},
                  {QStringLiteral("steps"), stepsJson}};
    if (!params.isEmpty())
        o.insert(QStringLiteral("params"), params);
    if (!pendingAction.isEmpty())
        o.insert(QStringLiteral("pendingAction"),
                 QJsonObject{{QStringLiteral("action"), pendingAction},
                             {QStringLiteral("by"), actionBy},
                             {QStringLiteral("agent"), actionAgent.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                             : QJsonValue(actionAgent)}});
    if (state == OperationState::AwaitingApproval || !approvedBy.isEmpty())
        o.insert(QStringLiteral("approval"),
                 QJsonObject{{QStringLiteral("by"), approvedBy.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(approvedBy)},
                             {QStringLiteral("at"), timeJson(approvedAt)},
                             {QStringLiteral("reason"), approvalNote}});
    if (windowStart.isValid()) {
        o.insert(QStringLiteral("window"), QJsonObject{{QStringLiteral("start"), timeJson(windowStart)},
                                                       {QStringLiteral("end"), timeJson(windowEnd)}});
        if (scheduleId > 0)
            o.insert(QStringLiteral("schedule"), scheduleId);
        if (requestId > 0)
            o.insert(QStringLiteral("request"), requestId);
    }
    return o;
}

qint64 OperationRecord::durationSeconds() const
{
    if (!started.isValid())
        return -1;
    const QDateTime end = finished.isValid() ? finished : QDateTime::currentDateTimeUtc();
    return started.secsTo(end);
}

qint64 OperationRecord::runSeconds() const
{
    if (!started.isValid())
        return -1;
    QDateTime end;
    for (const StepRecord& s : steps) {
        if (s.state == StepState::InProgress)
            return started.secsTo(QDateTime::currentDateTimeUtc());
        if (s.finished.isValid() && (!end.isValid() || s.finished > end))
            end = s.finished;
    }
    return end.isValid() ? started.secsTo(end) : durationSeconds();
}

bool OperationRecord::holdsTarget() const
{
    return isUnfinishedState(state) && !(state == OperationState::Failed && !started.isValid());
}

bool OperationRecord::wasInterrupted() const
{
    return (state == OperationState::Failed || state == OperationState::RollbackFailed) &&
           error.startsWith(QLatin1String("interrupted"));
}

qint64 OperationRecord::restorePointBytes() const
{
    const QJsonArray databases = restorePoint.value(QStringLiteral("databases")).toArray();
    qint64 total = 0;
    for (const QJsonValue& d : databases) {
        const QJsonValue bytes = d.toObject().value(QStringLiteral("bytes"));
        if (!bytes.isDouble() || bytes.toInteger() < 0)
            return -1;
        total += bytes.toInteger();
    }
    return databases.isEmpty() ? -1 : total;
}

QString OperationRecord::title() const
{
    if (kind == OperationKinds::Refresh)
        return QStringLiteral("Refresh database");
    if (kind == OperationKinds::Apply)
        return QStringLiteral("Apply updates");
    if (kind == OperationKinds::Export)
        return QStringLiteral("Export database");
    if (kind == OperationKinds::Import)
        return QStringLiteral("Import database");
    if (kind == OperationKinds::Restore)
        return source == target ? QStringLiteral("Point-in-time restore")
                                : QStringLiteral("Point-in-time restore production to sandbox");
    return kind;
}
