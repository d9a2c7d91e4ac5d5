#include "PackageCommands.h"
#include "core/ByteSize.h"

#include "ExitCode.h"
#include "OperationCommands.h"
#include "operation/OperationKinds.h"
#include "apply/ApplyJob.h"
#include "catalog/Catalog.h"
#include "lifecycle/OperationRunner.h"
#include "lifecycle/OperationService.h"
#include "catalog/OperationStore.h"
#include "package/AssetLibrary.h"
#include "package/PackageAsset.h"
#include "package/RemoteLibrary.h"
#include "package/SharedLibrary.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>

#include <unistd.h>

namespace {


} // namespace

PackageCommands::PackageCommands(CliContext& context, OperationCommands& operations)
    : m_ctx(context), m_operations(operations)
{
}

std::optional<QString> PackageCommands::project(int* exitCode)
{
    const QList<Project> projects = m_ctx.catalog.projects();
    if (m_ctx.cl.has(QStringLiteral("project"))) {
        const QString id = m_ctx.cl.value(QStringLiteral("project"));
        if (!m_ctx.catalog.project(id)) {
            *exitCode = m_ctx.fail(ExitUnknown, QStringLiteral("unknown project '%1'").arg(id));
            return std::nullopt;
        }
        return id;
    }
    if (projects.size() == 1)
        return projects.first().id;
    if (projects.isEmpty()) {
        *exitCode =
            m_ctx.fail(ExitUnknown, QStringLiteral("the catalog %1 has no project; create the demo with: dataalm "
                                                   "demo")
                                        .arg(m_ctx.catalog.folder()));
        return std::nullopt;
    }
    QStringList ids;
    for (const Project& p : projects)
        ids << p.id;
    *exitCode = m_ctx.usage(QStringLiteral("the catalog has several projects (%1); choose one with --project")
                                .arg(ids.join(QStringLiteral(", "))));
    return std::nullopt;
}

int PackageCommands::package()
{
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() < 2)
        return m_ctx.usage(QStringLiteral("package needs a subcommand: list or import"));
    if (pos.at(1) == QLatin1String("list"))
        return list();
    if (pos.at(1) == QLatin1String("import"))
        return import();
    return m_ctx.usage(QStringLiteral("unknown package subcommand '%1' (list, import)").arg(pos.at(1)));
}

int PackageCommands::list()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("shared"), QStringLiteral("project"), QStringLiteral("url")},
                             QStringLiteral("package list"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 2)
        return m_ctx.usage(QStringLiteral("package list takes no argument '%1'").arg(m_ctx.cl.positional().at(2)));
    const bool shared = m_ctx.cl.has(QStringLiteral("shared"));
    if (m_ctx.cl.has(QStringLiteral("url")) && !shared)
        return m_ctx.usage(QStringLiteral("package list --url lists a remote shared library: add --shared"));
    if (shared && m_ctx.cl.has(QStringLiteral("project")))
        return m_ctx.usage(QStringLiteral("the shared library belongs to no project: --shared takes no --project"));

    if (m_ctx.cl.has(QStringLiteral("url"))) {
        const QUrl url = QUrl::fromUserInput(m_ctx.cl.value(QStringLiteral("url")));
        RemoteLibrary remote(QDir(m_ctx.catalog.folder()).filePath(QStringLiteral("downloads")));
        RemoteLibrary::Outcome outcome = RemoteLibrary::Failed;
        auto packages = remote.fetchIndexAndWait(url, &error, &outcome);
        if (!packages)
            return m_ctx.fail(outcome == RemoteLibrary::Unreachable ? ExitUnreachable : ExitFailed, error);
        if (m_ctx.json) {
            QJsonArray a;
            for (const RemotePackage& p : *packages)
                a.append(p.toJson());
            m_ctx.printJson(QJsonDocument(a));
            return ExitOk;
        }
        const QString row = QStringLiteral("%1  %2  %3  %4  %5\n");
        m_ctx.out << row.arg(QStringLiteral("NAME"), -36)
                         .arg(QStringLiteral("VERSION"), -9)
                         .arg(QStringLiteral("TYPE"), -15)
                         .arg(QStringLiteral("SIZE"), 9)
                         .arg(QStringLiteral("URL"));
        for (const RemotePackage& p : *packages)
            m_ctx.out << row.arg(p.name, -36)
                             .arg(p.version, -9)
                             .arg(p.type, -15)
                             .arg(ByteSize::text(p.size), 9)
                             .arg(p.url.toString());
        m_ctx.out.flush();
        return ExitOk;
    }

    QList<PackageAsset> assets;
    if (shared) {
        assets = SharedLibrary(m_ctx.catalog.folder()).list(&error);
        if (!error.isEmpty())
            return m_ctx.fail(ExitFailed, error);
    } else {
        QString projectId;
        if (m_ctx.cl.has(QStringLiteral("project"))) {
            int code = 0;
            auto p = project(&code);
            if (!p)
                return code;
            projectId = *p;
        }
        assets = AssetLibrary(m_ctx.catalog).list(projectId);
    }
    if (m_ctx.json) {
        QJsonArray a;
        for (const PackageAsset& p : assets)
            a.append(p.toJson());
        m_ctx.printJson(QJsonDocument(a));
        return ExitOk;
    }
    if (assets.isEmpty()) {
        m_ctx.err << (shared ? QStringLiteral("The shared library is empty.\n")
                             : QStringLiteral("The asset library is empty. Import a package with: dataalm package "
                                              "import FILE, or a built-in one with: dataalm package import --shared "
                                              "NAME (dataalm package list --shared shows them)\n"));
        m_ctx.err.flush();
        return ExitOk;
    }
    auto line = [&](const QString& projectColumn, const QString& name, const QString& version, const QString& type,
                    const QString& size, const QString& sha, const QString& imported) {
        QString l;
        if (!shared)
            l += QStringLiteral("%1  ").arg(projectColumn, -10);
        l += QStringLiteral("%1  %2  %3  %4  %5")
                 .arg(name, -36)
                 .arg(version, -9)
                 .arg(type, -15)
                 .arg(size, 9)
                 .arg(sha, -12);
        if (!shared)
            l += QStringLiteral("  ") + imported;
        m_ctx.out << l.trimmed() << QLatin1Char('\n');
    };
    line(QStringLiteral("PROJECT"), QStringLiteral("NAME"), QStringLiteral("VERSION"), QStringLiteral("TYPE"),
         QStringLiteral("SIZE"), QStringLiteral("SHA256"), QStringLiteral("IMPORTED"));
    for (const PackageAsset& p : assets)
        line(p.projectId, p.name, p.version, PackageManifest::typeName(p.type), ByteSize::text(p.size), p.sha256.left(12),
             QStringLiteral("%1 by %2")
                 .arg(p.importedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), p.importedBy));
    m_ctx.out.flush();
    return ExitOk;
}

int PackageCommands::importFailed(int refusal, const QString& message)
{
    switch (AssetLibrary::Refusal(refusal)) {
    case AssetLibrary::Refusal::InvalidPackage:
        return m_ctx.fail(ExitInvalidPackage, message);
    case AssetLibrary::Refusal::Duplicate:
        return m_ctx.fail(ExitNotAllowed, message);
    case AssetLibrary::Refusal::UnknownProject:
    case AssetLibrary::Refusal::NotFound:
        return m_ctx.fail(ExitUnknown, message);
    default:
        return m_ctx.fail(ExitFailed, message);
    }
}

int PackageCommands::printImported(const PackageAsset& asset, const QString& from)
{
    if (m_ctx.json) {
        QJsonObject o = asset.toJson();
        o.insert(QStringLiteral("from"), from);
        m_ctx.printJson(QJsonDocument(o));
    } else {
        m_ctx.out << QStringLiteral("Imported %1 (%2, %3, SHA-256 %4) into the asset library of %5\n")
                         .arg(asset.title(), PackageManifest::typeName(asset.type), ByteSize::text(asset.size),
                              asset.sha256, asset.projectId);
        m_ctx.out.flush();
    }
    return ExitOk;
}

int PackageCommands::import()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("shared"), QStringLiteral("project"), QStringLiteral("url")},
                             QStringLiteral("package import"), &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    const bool shared = m_ctx.cl.has(QStringLiteral("shared"));
    const bool url = m_ctx.cl.has(QStringLiteral("url"));
    if (pos.size() > 3)
        return m_ctx.usage(QStringLiteral("package import takes one package, not '%1'").arg(pos.at(3)));
    if (pos.size() < 3 && !url)
        return m_ctx.usage(shared ? QStringLiteral("package import --shared needs the name of a built-in package "
                                                   "(dataalm package list --shared shows them)")
                                  : QStringLiteral("package import needs a FILE, --shared NAME or --url URL"));
    int code = 0;
    auto projectId = project(&code);
    if (!projectId)
        return code;
    if (url)
        return importFromUrl(*projectId);

    AssetLibrary library(m_ctx.catalog);
    AssetLibrary::Refusal refusal = AssetLibrary::Refusal::None;
    if (shared) {
        SharedLibrary sharedLibrary(m_ctx.catalog.folder());
        auto builtIn = sharedLibrary.find(pos.at(2), &error);
        if (!builtIn)
            return m_ctx.fail(ExitUnknown, error);
        auto asset = library.importFile(*projectId, builtIn->path, &error, &refusal);
        if (!asset)
            return importFailed(int(refusal), error);
        return printImported(*asset, QStringLiteral("shared:") + builtIn->title());
    }
    const QString file = QFileInfo(pos.at(2)).absoluteFilePath();
    auto asset = library.importFile(*projectId, file, &error, &refusal);
    if (!asset)
        return importFailed(int(refusal), error);
    return printImported(*asset, file);
}

int PackageCommands::importFromUrl(const QString& projectId)
{
    QString error;
    const QStringList& pos = m_ctx.cl.positional();
    const QUrl indexUrl = QUrl::fromUserInput(m_ctx.cl.value(QStringLiteral("url")));
    if (indexUrl.scheme() != QLatin1String("http") && indexUrl.scheme() != QLatin1String("https"))
        return m_ctx.usage(QStringLiteral("--url takes the http(s) address of a library's index.json, not '%1'")
                               .arg(m_ctx.cl.value(QStringLiteral("url"))));
    RemoteLibrary remote(QDir(m_ctx.catalog.folder()).filePath(QStringLiteral("downloads")));
    RemoteLibrary::Outcome outcome = RemoteLibrary::Failed;
    m_ctx.err << QStringLiteral("Reading %1\n").arg(indexUrl.toString());
    m_ctx.err.flush();
    auto packages = remote.fetchIndexAndWait(indexUrl, &error, &outcome);
    if (!packages)
        return m_ctx.fail(outcome == RemoteLibrary::Unreachable ? ExitUnreachable : ExitFailed, error);

    // The package: the NAME given (name or name@version), or the index's only one.
    QList<RemotePackage> matches;
    const QString wanted = pos.value(2);
    const int at = wanted.lastIndexOf(QLatin1Char('@'));
    const QString name = at > 0 ? wanted.left(at) : wanted;
    const QString version = at > 0 ? wanted.mid(at + 1) : QString();
    for (const RemotePackage& p : *packages) {
        if (wanted.isEmpty() ||
            (p.name.compare(name, Qt::CaseInsensitive) == 0 && (version.isEmpty() || p.version == version)))
            matches << p;
    }
    QStringList titles;
    for (const RemotePackage& p : *packages)
        titles << p.title();
    if (matches.isEmpty())
        return m_ctx.fail(ExitUnknown, QStringLiteral("the index %1 holds no package '%2' (it holds: %3)")
                                           .arg(indexUrl.toString(), wanted, titles.join(QStringLiteral(", "))));
    if (matches.size() > 1 && wanted.isEmpty())
        return m_ctx.usage(QStringLiteral("the index %1 holds several packages (%2); name one: dataalm package import "
                                          "--url URL --shared NAME")
                               .arg(indexUrl.toString(), titles.join(QStringLiteral(", "))));
    const RemotePackage package = matches.last();

    const bool tty = ::isatty(STDERR_FILENO);
    QElapsedTimer clock;
    clock.start();
    qint64 lastLine = -1;
    QObject::connect(&remote, &RemoteLibrary::progressed, &remote, [&](qint64 received, qint64 total, qint64 resumed) {
        const bool last = received >= total;
        if (!last && lastLine >= 0 && clock.elapsed() - lastLine < (tty ? 100 : 1000))
            return;
        lastLine = clock.elapsed();
        QString line = QStringLiteral("  %1: %2 of %3").arg(package.title(), ByteSize::text(received), ByteSize::text(total));
        if (resumed > 0)
            line += QStringLiteral(" (resumed at %1)").arg(ByteSize::text(resumed));
        m_ctx.err << (tty ? QString(QStringLiteral("\r\033[K") + line + (last ? QStringLiteral("\n") : QString()))
                          : QString(line + QLatin1Char('\n')));
        m_ctx.err.flush();
    });
    const QString part = remote.partPathFor(package);
    if (QFileInfo::exists(part))
        m_ctx.err << QStringLiteral("Resuming the download of %1 (%2 already here)\n")
                         .arg(package.title(), ByteSize::text(QFileInfo(part).size()));
    else
        m_ctx.err << QStringLiteral("Downloading %1 (%2) from %3\n")
                         .arg(package.title(), ByteSize::text(package.size), package.url.toString());
    m_ctx.err.flush();
    auto path = remote.downloadAndWait(package, &error, &outcome);
    if (!path) {
        switch (outcome) {
        case RemoteLibrary::Corrupt:
            return m_ctx.fail(ExitInvalidPackage, error);
        case RemoteLibrary::Unreachable:
        case RemoteLibrary::Interrupted:
            return m_ctx.fail(ExitUnreachable, error);
        default:
            return m_ctx.fail(ExitFailed, error);
        }
    }
    m_ctx.err << QStringLiteral("Verified %1: %2, SHA-256 %3\n")
                     .arg(package.title(), ByteSize::text(package.size), package.sha256);
    m_ctx.err.flush();
    AssetLibrary library(m_ctx.catalog);
    AssetLibrary::Refusal refusal = AssetLibrary::Refusal::None;
    auto asset = library.importFile(projectId, *path, &error, &refusal);
    // The download has served its purpose, imported or refused: a refused package
    // would be refused again.
    QFile::remove(*path);
    if (!asset)
        return importFailed(int(refusal), error);
    return printImported(*asset, package.url.toString());
}

int PackageCommands::apply()
{
    QString error;
    if (!m_ctx.cl.onlyAllows(OperationCommands::withRequestOptions(
                                 {QStringLiteral("package"), QStringLiteral("target"), QStringLiteral("yes")}),
                             QStringLiteral("apply"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("apply takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    if (!m_ctx.cl.has(QStringLiteral("package")) || !m_ctx.cl.has(QStringLiteral("target")))
        return m_ctx.usage(QStringLiteral("apply needs --package NAME and --target ENV"));
    const QString targetId = m_ctx.cl.value(QStringLiteral("target"));
    const auto target = m_ctx.catalog.environment(targetId);
    if (!target)
        return m_ctx.fail(ExitUnknown,
                          QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(targetId));
    if (!m_ctx.cl.has(QStringLiteral("yes")))
        return m_ctx.usage(QStringLiteral("apply changes the databases of %1; add --yes to confirm").arg(target->id));
    const QString name = m_ctx.cl.value(QStringLiteral("package"));
    auto asset = AssetLibrary(m_ctx.catalog).find(target->projectId, name, &error);
    if (!asset) {
        QString e;
        if (SharedLibrary(m_ctx.catalog.folder()).find(name, &e))
            error += QStringLiteral("; it is a built-in package: import it first with dataalm package import "
                                    "--shared \"%1\"")
                         .arg(name);
        return m_ctx.fail(ExitUnknown, error);
    }
    if (const int code = m_operations.checkRequest(OperationKinds::Apply, nullptr, *target); code >= 0)
        return code;
    auto id = OperationService(m_ctx.catalog).createApply(*asset, *target, &error);
    if (!id) {
        if (m_ctx.json)
            m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("error"), error},
                                                      {QStringLiteral("package"), asset->title()},
                                                      {QStringLiteral("target"), target->id},
                                                      {QStringLiteral("state"), QJsonValue(QJsonValue::Null)}}));
        return m_ctx.fail(ExitBlocked, error);
    }
    m_ctx.err << QStringLiteral("Operation %1: apply %2 to %3\n").arg(*id).arg(asset->title(), target->id);
    m_ctx.err.flush();
    return m_operations.start(*id);
}

int PackageCommands::refreshWithReprovision()
{
    m_operations.setPrintResult(!m_ctx.json);
    const int refreshCode = m_operations.refresh();
    const qint64 refreshId = m_operations.lastOperationId();
    if (refreshId == 0)
        return refreshCode; // refused before an operation existed: refresh() said why
    OperationStore store(m_ctx.catalog);
    const auto refresh = store.get(refreshId);
    auto printBoth = [&](const std::optional<OperationRecord>& reprovision) {
        if (!m_ctx.json || !refresh)
            return;
        const auto now = store.get(refreshId); // what the refresh became; as it was if it cannot be read again
        QJsonObject o = (now ? *now : *refresh).toJson();
        o.insert(QStringLiteral("reprovision"),
                 reprovision ? QJsonValue(reprovision->toJson()) : QJsonValue(QJsonValue::Null));
        m_ctx.printJson(QJsonDocument(o));
    };
    if (!refresh || refresh->state != OperationState::Completed) {
        printBoth(std::nullopt);
        return refreshCode;
    }
    const auto target = m_ctx.catalog.environment(refresh->target);
    if (!target || !target->hasCommerce()) {
        m_ctx.err << QStringLiteral("%1 runs no Commerce: there is nothing to reprovision.\n").arg(refresh->target);
        m_ctx.err.flush();
        printBoth(std::nullopt);
        return refreshCode;
    }

    // The Environment reprovisioning tool of the project's library (imported from the
    // shared library the first time), under the rule the console's offer follows.
    QString error;
    OperationService::Refusal refusal = OperationService::Refusal::None;
    bool imported = false;
    QString title = SharedLibrary::ReprovisioningTool;
    auto id = OperationService(m_ctx.catalog)
                  .createReprovision(*target, refreshId, &error, &refusal, &imported, &title);
    if (imported)
        m_ctx.err << QStringLiteral("Imported %1 from the shared library into the asset library of %2\n")
                         .arg(title, target->projectId);
    if (!id) {
        printBoth(std::nullopt);
        return m_ctx.fail(refusal == OperationService::Refusal::Failed ? ExitFailed : ExitBlocked,
                          QStringLiteral("the refresh completed, but reprovisioning cannot start: %1").arg(error));
    }
    m_ctx.err << QStringLiteral("Operation %1: apply %2 to %3\n").arg(*id).arg(title, target->id);
    m_ctx.err.flush();
    const int code = m_operations.drive(*id, OperationRunner::Run, !m_ctx.json);
    printBoth(store.get(*id));
    return code;
}
