#include "refresh/RefreshRequest.h"

#include <QCryptographicHash>

#include "operation/OperationKinds.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "policy/DataPolicy.h"
#include "refresh/RefreshJob.h"
#include "refresh/RefreshRunbook.h"

#include <QFileInfo>

QString RefreshRequest::policyPathFor(const Catalog& catalog, const Environment& target, const QString& explicitPath)
{
    if (!explicitPath.isEmpty())
        return QFileInfo(explicitPath).absoluteFilePath();
    if (auto project = catalog.project(target.projectId))
        return project->policyPath;
    return {};
}

QString RefreshRequest::policySha256(const QString& policyPath, QString* error)
{
    QByteArray bytes;
    if (!DataPolicy::readSource(policyPath, &bytes, error))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

std::optional<qint64> RefreshRequest::create(Catalog& catalog, const Environment& source, const Environment& target,
                                             const QString& policyPath, QString* error, Refusal* refusal,
                                             const QString& reviewedSha256)
{
    return createOfKind(OperationKinds::Refresh, catalog, source, target, policyPath, nullptr, {}, error, refusal,
                        reviewedSha256);
}

std::optional<qint64> RefreshRequest::createOfKind(const QString& kind, Catalog& catalog, const Environment& source,
                                                   const Environment& target, const QString& policyPath,
                                                   const QByteArray* policyBytes, const QJsonObject& extra,
                                                   QString* error, Refusal* refusal, const QString& reviewedSha256)
{
    auto refuse = [&](Refusal why) {
        if (refusal)
            *refusal = why;
        return std::nullopt;
    };
    if (refusal)
        *refusal = Refusal::None;
    // The policy is read once, here: its bytes and their SHA-256 go with the operation,
    // and every step applies that copy, whatever happens to the file afterwards.
    QByteArray bytes;
    if (policyBytes)
        bytes = *policyBytes;
    else if (!DataPolicy::readSource(policyPath, &bytes, error))
        return refuse(Refusal::InvalidPolicy);
    // What was reviewed is what runs: a policy file edited since the review is refused.
    const QString now = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    if (!reviewedSha256.isEmpty() && now != reviewedSha256) {
        *error = QStringLiteral("the policy %1 changed since it was reviewed (SHA-256 %2 then, %3 now): review it "
                                "again before the refresh starts")
                     .arg(policyPath.isEmpty() ? QStringLiteral("(built-in default)") : policyPath,
                          reviewedSha256.left(12), now.left(12));
        return refuse(Refusal::InvalidPolicy);
    }
    QString problems;
    if (!DataPolicy::fromJson(bytes, &problems)) {
        *error = QStringLiteral("the policy %1 is refused:\n%2")
                     .arg(policyPath.isEmpty() ? QStringLiteral("(built-in default)") : policyPath, problems);
        return refuse(Refusal::InvalidPolicy);
    }
    QJsonObject params = RefreshJob::makeParams(source, target, policyPath);
    RefreshJob::recordPolicy(params, bytes);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        params.insert(it.key(), it.value());
    OperationStore store(catalog);
    auto id = store.create(kind, target.projectId, source.id, target.id, RefreshRunbook::stepNames(), params, error);
    if (!id)
        return refuse(Refusal::TargetBusy);
    return id;
}
