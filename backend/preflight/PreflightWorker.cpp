#include "preflight/PreflightWorker.h"

#include "registration/CredentialLoader.h"

#include "catalog/Catalog.h"
#include "engine/DatabaseEngine.h"
#include "catalog/OperationStore.h"
#include "policy/DataPolicy.h"
#include "catalog/RestorePointStore.h"
#include "core/Clock.h"
#include "operation/OperationRules.h"
#include "restorepoint/PgBackRest.h"
#include "preflight/Preflight.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <spdlog/spdlog.h>

PreflightWorker::PreflightWorker(const Request& request, QObject* parent) : QObject(parent), m_request(request)
{
    qRegisterMetaType<CheckResult>();
}

void PreflightWorker::run()
{
    Catalog catalog;
    QString error;
    if (!catalog.open(m_request.catalogFolder, &error)) {
        Q_EMIT finished(error);
        return;
    }
    auto source = catalog.environment(m_request.sourceId);
    auto target = catalog.environment(m_request.targetId);
    if (!source || !target) {
        Q_EMIT finished(
            QStringLiteral("unknown environment %1").arg(!source ? m_request.sourceId : m_request.targetId));
        return;
    }
    // The checks open the databases as the run would: a one-person catalog's passwords are in the OS keychain.
    if (!catalog.isTeam())
        CredentialLoader::load(catalog, {source->id, target->id}, QStringLiteral("preflight"));
    std::optional<RestorePoint> point;
    if (m_request.restorePointId > 0) {
        point = RestorePointStore(catalog).get(m_request.restorePointId);
        if (!point) {
            Q_EMIT finished(QStringLiteral("restore point %1 is no longer in the catalog").arg(m_request.restorePointId));
            return;
        }
        const QString why = OperationRules::restoreRefusal(*point, &*source, *target, Clock::nowUtc());
        if (!why.isEmpty()) {
            Q_EMIT finished(why);
            return;
        }
    }
    const bool atInstant = m_request.instant.isValid();
    const bool ownData = (point && point->environmentId == target->id) || (atInstant && source->id == target->id);
    auto policy = ownData ? DataPolicy::fromJson(QByteArrayLiteral("{\"rules\": []}"), &error)
                          : DataPolicy::load(m_request.policyPath, &error);
    if (!policy) {
        Q_EMIT finished(
            QStringLiteral("the data policy %1 is invalid: %2")
                .arg(m_request.policyPath.isEmpty() ? QStringLiteral("(default)") : m_request.policyPath, error));
        return;
    }

    if (m_request.countOnly) {
        Q_EMIT checksFinished(false, 0, 0);
        if (!*m_cancelled)
            countRules(*target, *policy);
        Q_EMIT finished(QString());
        return;
    }
    Preflight::Input in;
    in.source = point ? point->asSource(*source) : *source;
    in.target = *target;
    in.restoring = point.has_value() || atInstant;
    in.blocking = OperationStore(catalog).blockingOperation(target->id);
    in.keeping = OperationStore(catalog).keepingRestorePoints(target->id);
    in.previousColumns = OperationStore(catalog).lastSourceColumns(target->id);
    in.policy = &*policy;
    in.countRows = false; // counted below, rule by rule, so that each count shows as it arrives
    int failures = 0;
    int warnings = 0;
    const Preflight::Result result = Preflight::run(in, [&](const CheckResult& c) {
        failures += c.verdict == CheckResult::Fail ? 1 : 0;
        warnings += c.verdict == CheckResult::Warn ? 1 : 0;
        Q_EMIT checkReported(c);
    });
    bool blocked = result.blocked();
    if (atInstant) {
        // The stanza's window, read again now (what Validate reads too).
        const QString why = PgBackRest::instantRefusal(catalog, *source, *target, m_request.instant);
        CheckResult window{QStringLiteral("pitr-window"), why.isEmpty() ? CheckResult::Pass : CheckResult::Fail,
                           why.isEmpty() ? QStringLiteral("%1 UTC is in the window of %2's pgBackRest stanza.")
                                               .arg(m_request.instant.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                                    source->id)
                                         : why};
        failures += why.isEmpty() ? 0 : 1;
        blocked = blocked || !why.isEmpty();
        Q_EMIT checkReported(window);
    }
    spdlog::info("preflight of a refresh of {} from {}: {} failed, {} warnings", target->id.toStdString(),
                 source->id.toStdString(), failures, warnings);
    Q_EMIT checksFinished(blocked, failures, warnings);

    if (!*m_cancelled)
        countRules(in.source, *policy);
    Q_EMIT finished(QString());
}

void PreflightWorker::countRules(const Environment& source, const DataPolicy& policy)
{
    const DatabaseRef* ref = source.database(DatabaseRef::Transactional);
    std::unique_ptr<DatabaseEngine> engine = ref ? DatabaseEngine::forDatabase(*ref) : nullptr;
    for (const PolicyRule& rule : policy.rules()) {
        if (*m_cancelled)
            return;
        if (!engine) {
            Q_EMIT ruleCounted(rule.id, -1, {},
                               ref ? QStringLiteral("%1's transactional database is on an engine this build cannot "
                                                    "read")
                                         .arg(source.id)
                                   : QStringLiteral("%1 has no transactional database").arg(source.id));
            continue;
        }
        // A policy of this one rule: the counts arrive one by one instead of all at the end.
        QString error;
        const QJsonObject one{{QStringLiteral("rules"), QJsonArray{rule.toJson()}}};
        auto single = DataPolicy::fromJson(QJsonDocument(one).toJson(QJsonDocument::Compact), &error);
        QList<PolicyCounter::RuleCount> counts;
        if (!single || !engine->countPolicyRows(*ref, *single, &counts, &error) || counts.isEmpty()) {
            Q_EMIT ruleCounted(rule.id, -1, {}, error);
            continue;
        }
        QVariantList tables;
        for (const PolicyCounter::TableCount& t : counts.constFirst().tables)
            tables.append(QVariant(QVariantList{t.table, t.rows}));
        Q_EMIT ruleCounted(rule.id, counts.constFirst().total(), tables, QString());
    }
}
