#include "BackupCommands.h"

#include "ExitCode.h"
#include "OperationCommands.h"
#include "operation/OperationKinds.h"

#include "backup/BackupArchive.h"
#include "backup/BackupTransfer.h"
#include "catalog/BackupStore.h"
#include "catalog/Catalog.h"
#include "core/ByteSize.h"
#include "lifecycle/OperationRunner.h"
#include "lifecycle/OperationService.h"
#include "refresh/RefreshRequest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cstdio>
#include <unistd.h>

BackupCommands::BackupCommands(CliContext& context, OperationCommands& operations)
    : m_ctx(context), m_operations(operations)
{
}

bool BackupCommands::project(QString* id, int* exitCode)
{
    if (m_ctx.cl.has(QStringLiteral("project"))) {
        *id = m_ctx.cl.value(QStringLiteral("project"));
        if (!m_ctx.catalog.project(*id)) {
            *exitCode = m_ctx.fail(ExitUnknown, QStringLiteral("unknown project '%1' (dataalm project list)").arg(*id));
            return false;
        }
        return true;
    }
    const QList<Project> projects = m_ctx.catalog.projects();
    if (projects.size() != 1) {
        *exitCode = m_ctx.usage(projects.isEmpty() ? QStringLiteral("the catalog has no project yet")
                                                   : QStringLiteral("the catalog has %1 projects; name one with --project")
                                                         .arg(projects.size()));
        return false;
    }
    *id = projects.first().id;
    return true;
}

int BackupCommands::exportDatabase()
{
    QString error;
    if (!m_ctx.cl.onlyAllows(OperationCommands::withRequestOptions({QStringLiteral("source"), QStringLiteral("policy")}),
                             QStringLiteral("export"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("export takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    if (!m_ctx.cl.has(QStringLiteral("source")))
        return m_ctx.usage(QStringLiteral("export needs --source ENV (a sandbox)"));
    const auto source = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("source")));
    if (!source)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)")
                                           .arg(m_ctx.cl.value(QStringLiteral("source"))));
    if (const int code = m_operations.checkRequest(OperationKinds::Export, &*source, *source); code >= 0)
        return code;
    const QString policyPath =
        RefreshRequest::policyPathFor(m_ctx.catalog, *source, m_ctx.cl.value(QStringLiteral("policy")));
    OperationService::Refusal refusal = OperationService::Refusal::None;
    const auto id = OperationService(m_ctx.catalog).createExport(*source, policyPath, &error, &refusal);
    if (refusal == OperationService::Refusal::InvalidPolicy)
        return m_ctx.usage(QStringLiteral("the data policy %1 is invalid: %2").arg(policyPath, error));
    if (!id)
        return m_ctx.fail(refusal == OperationService::Refusal::Forbidden ? ExitNotAllowed : ExitBlocked, error);
    m_ctx.err << QStringLiteral("Operation %1: export %2 into the asset library\n").arg(*id).arg(source->id);
    return m_operations.start(*id);
}

int BackupCommands::importDatabase()
{
    QString error;
    if (!m_ctx.cl.onlyAllows(OperationCommands::withRequestOptions(
                                 {QStringLiteral("backup"), QStringLiteral("target"), QStringLiteral("yes")}),
                             QStringLiteral("import"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("import takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    if (!m_ctx.cl.has(QStringLiteral("backup")) || !m_ctx.cl.has(QStringLiteral("target")))
        return m_ctx.usage(QStringLiteral("import needs --backup NAME (dataalm backup list) and --target ENV"));
    const auto target = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("target")));
    if (!target)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)")
                                           .arg(m_ctx.cl.value(QStringLiteral("target"))));
    const QString name = m_ctx.cl.value(QStringLiteral("backup"));
    const auto backup = BackupStore(m_ctx.catalog).get(target->projectId, name);
    if (!backup)
        return m_ctx.fail(ExitUnknown, QStringLiteral("the asset library of %1 has no backup '%2' (dataalm backup list)")
                                           .arg(target->projectId, name));
    if (!m_ctx.cl.has(QStringLiteral("yes")))
        return m_ctx.usage(QStringLiteral("import replaces the transactional database of %1; add --yes to confirm")
                               .arg(target->id));
    if (const int code = m_operations.checkRequest(OperationKinds::Import, nullptr, *target); code >= 0)
        return code;
    OperationService::Refusal refusal = OperationService::Refusal::None;
    const auto id = OperationService(m_ctx.catalog).createImport(*backup, *target, &error, &refusal);
    if (!id)
        return m_ctx.fail(error.contains(QLatin1String("is not a valid database backup")) ? ExitInvalidPackage
                          : refusal == OperationService::Refusal::Forbidden                ? ExitNotAllowed
                                                                                           : ExitBlocked,
                          error);
    m_ctx.err << QStringLiteral("Operation %1: import %2 into %3\n").arg(*id).arg(name, target->id);
    return m_operations.start(*id);
}

int BackupCommands::backup()
{
    const QString sub = m_ctx.cl.positional().value(1);
    if (sub == QLatin1String("list"))
        return list();
    if (sub == QLatin1String("download"))
        return download();
    if (sub == QLatin1String("upload"))
        return upload();
    return m_ctx.usage(sub.isEmpty() ? QStringLiteral("backup needs list, download or upload")
                                     : QStringLiteral("unknown backup command '%1' (list, download, upload)").arg(sub));
}

int BackupCommands::list()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project")}, QStringLiteral("backup list"), &error))
        return m_ctx.usage(error);
    const QList<BackupStore::Backup> backups = BackupStore(m_ctx.catalog).list(m_ctx.cl.value(QStringLiteral("project")));
    if (m_ctx.json) {
        QJsonArray a;
        for (const BackupStore::Backup& b : backups)
            a.append(QJsonObject{{QStringLiteral("project"), b.projectId},
                                 {QStringLiteral("name"), b.name},
                                 {QStringLiteral("source"), b.sourceEnvironment},
                                 {QStringLiteral("engine"), b.engine},
                                 {QStringLiteral("application"), b.application},
                                 {QStringLiteral("created"), b.created.toUTC().toString(Qt::ISODateWithMs)},
                                 {QStringLiteral("bytes"), b.bytes},
                                 {QStringLiteral("sha256"), b.sha256}});
        m_ctx.printJson(QJsonDocument(a));
        return ExitOk;
    }
    if (backups.isEmpty()) {
        m_ctx.out << QStringLiteral("No database backups (dataalm export --source ENV makes one)\n");
        return ExitOk;
    }
    for (const BackupStore::Backup& b : backups)
        m_ctx.out << QStringLiteral("%1  %2  %3  %4  %5\n")
                         .arg(b.name, -36)
                         .arg(b.sourceEnvironment, -14)
                         .arg(b.engine, -8)
                         .arg(b.application, -8)
                         .arg(ByteSize::text(b.bytes), 9);
    return ExitOk;
}

int BackupCommands::download()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project"), QStringLiteral("out")}, QStringLiteral("backup download"),
                             &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3 || !m_ctx.cl.has(QStringLiteral("out")))
        return m_ctx.usage(QStringLiteral("backup download NAME --out FILE.zip"));
    QString projectId;
    int code = ExitOk;
    if (!project(&projectId, &code))
        return code;
    const auto b = BackupStore(m_ctx.catalog).get(projectId, pos.at(2));
    if (!b)
        return m_ctx.fail(ExitUnknown, QStringLiteral("the asset library of %1 has no backup '%2'").arg(projectId, pos.at(2)));
    const QString out = QFileInfo(m_ctx.cl.value(QStringLiteral("out"))).absoluteFilePath();
    BackupTransfer::Refusal refusal = BackupTransfer::Refusal::None;
    if (!BackupTransfer::download(*b, out, &error, &refusal))
        return m_ctx.fail(ExitFailed, error);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("file"), out}, {QStringLiteral("sha256"), b->sha256}}));
    else
        m_ctx.out << QStringLiteral("Downloaded %1 to %2 (SHA-256 %3)\n").arg(b->name, out, b->sha256);
    return ExitOk;
}

int BackupCommands::upload()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project"), QStringLiteral("name")}, QStringLiteral("backup upload"),
                             &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3)
        return m_ctx.usage(QStringLiteral("backup upload FILE.zip [--name NAME] [--project P]"));
    QString projectId;
    int code = ExitOk;
    if (!project(&projectId, &code))
        return code;
    const QString file = QFileInfo(pos.at(2)).absoluteFilePath();
    const QString name = m_ctx.cl.has(QStringLiteral("name")) ? m_ctx.cl.value(QStringLiteral("name"))
                                                              : BackupTransfer::defaultName(file);
    if (!BackupTransfer::isValidName(name))
        return m_ctx.usage(QStringLiteral("a backup's name is letters, digits, '.', '_' and '-', not '%1'").arg(name));
    BackupTransfer::Refusal refusal = BackupTransfer::Refusal::None;
    const std::optional<BackupStore::Backup> added =
        BackupTransfer::upload(m_ctx.catalog, projectId, file, name, &error, &refusal);
    if (!added)
        return m_ctx.fail(refusal == BackupTransfer::Refusal::Invalid  ? ExitInvalidPackage
                          : refusal == BackupTransfer::Refusal::Exists ? ExitNotAllowed
                                                                       : ExitFailed,
                          error);
    const QString digest = added->sha256;
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("sha256"), digest}}));
    else
        m_ctx.out << QStringLiteral("Uploaded %1 as backup %2 of %3\n").arg(QFileInfo(file).fileName(), name, projectId);
    return ExitOk;
}
