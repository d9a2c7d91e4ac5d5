#include "registration/ProjectPolicies.h"

#include "operation/OperationRules.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

#include <QJsonDocument>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <spdlog/spdlog.h>

ProjectPolicies::ProjectPolicies(Catalog& catalog) : m_catalog(catalog) {}

QString ProjectPolicies::pathFor(const QString& projectId) const
{
    return QDir(m_catalog.folder()).filePath(QStringLiteral("policies/%1.json").arg(projectId));
}

bool ProjectPolicies::refuse(Refusal why, const QString& message, QString* error, Refusal* refusal) const
{
    if (error)
        *error = message;
    if (refusal)
        *refusal = why;
    return false;
}

QString ProjectPolicies::blocker(const QString& projectId) const
{
    return OperationRules::policyInUse(projectId, OperationStore(m_catalog).listUnsettled());
}

bool ProjectPolicies::install(const QString& projectId, const QString& file, QString* error, Refusal* refusal)
{
    if (refusal)
        *refusal = Refusal::None;
    if (!m_catalog.project(projectId))
        return refuse(Refusal::UnknownProject,
                      QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(projectId), error,
                      refusal);
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return refuse(Refusal::InvalidPolicy,
                      QStringLiteral("cannot read the policy %1: %2").arg(file, in.errorString()), error, refusal);
    // The bytes checked are the bytes written: a file changed meanwhile cannot slip through.
    return installBytes(projectId, in.readAll(), file, error, refusal);
}

bool ProjectPolicies::installPolicy(const QString& projectId, const DataPolicy& policy, const QString& change,
                                    QString* error, Refusal* refusal)
{
    if (refusal)
        *refusal = Refusal::None;
    if (!m_catalog.project(projectId))
        return refuse(Refusal::UnknownProject,
                      QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(projectId), error,
                      refusal);
    if (!installBytes(projectId, policy.toJson().toJson(QJsonDocument::Indented), change, error, refusal))
        return false;
    m_catalog.audit(QStringLiteral("project.policy"), projectId, change);
    return true;
}

bool ProjectPolicies::installBytes(const QString& projectId, const QByteArray& bytes, const QString& file,
                                   QString* error, Refusal* refusal)
{
    QString problems;
    if (!DataPolicy::fromJson(bytes, &problems))
        return refuse(Refusal::InvalidPolicy, QStringLiteral("the policy %1 is refused:\n%2").arg(file, problems),
                      error, refusal);
    const QString busy = blocker(projectId);
    if (!busy.isEmpty())
        return refuse(Refusal::NotAllowed,
                      QStringLiteral("the policy of %1 cannot change now: %2").arg(projectId, busy), error, refusal);

    const QString target = pathFor(projectId);
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return refuse(Refusal::Failed,
                      QStringLiteral("cannot create the folder %1").arg(QFileInfo(target).absolutePath()), error,
                      refusal);
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        return refuse(Refusal::Failed, QStringLiteral("cannot write %1: %2").arg(target, out.errorString()), error,
                      refusal);
    QString e;
    if (!m_catalog.setProjectPolicy(projectId, target, &e))
        return refuse(Refusal::Failed, e, error, refusal);
    spdlog::info("project {} now applies the data policy {} (from {})", projectId.toStdString(), target.toStdString(),
                 file.toStdString());
    return true;
}

bool ProjectPolicies::useDefault(const QString& projectId, QString* error, Refusal* refusal)
{
    if (refusal)
        *refusal = Refusal::None;
    const std::optional<Project> project = m_catalog.project(projectId);
    if (!project)
        return refuse(Refusal::UnknownProject,
                      QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(projectId), error,
                      refusal);
    if (project->policyPath.isEmpty())
        return true;
    const QString busy = blocker(projectId);
    if (!busy.isEmpty())
        return refuse(Refusal::NotAllowed,
                      QStringLiteral("the policy of %1 cannot change now: %2").arg(projectId, busy), error, refusal);
    QString e;
    if (!m_catalog.setProjectPolicy(projectId, QString(), &e))
        return refuse(Refusal::Failed, e, error, refusal);
    // Only our own copy goes; a policy path recorded by someone else stays where it is.
    if (QFileInfo(project->policyPath).absoluteFilePath() == QFileInfo(pathFor(projectId)).absoluteFilePath())
        QFile::remove(project->policyPath);
    spdlog::info("project {} now applies the default data policy", projectId.toStdString());
    return true;
}

std::optional<DataPolicy> ProjectPolicies::policy(const QString& projectId, QString* path, QString* error) const
{
    const std::optional<Project> project = m_catalog.project(projectId);
    if (!project) {
        if (error)
            *error = QStringLiteral("unknown project '%1'").arg(projectId);
        return std::nullopt;
    }
    if (path)
        *path = project->policyPath;
    return project->policyPath.isEmpty() ? DataPolicy::defaultPolicy(error)
                                         : DataPolicy::fromFile(project->policyPath, error);
}
