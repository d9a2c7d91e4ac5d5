#include "CliApplication.h"

#include "CliContext.h"
#include "EnvCommands.h"
#include "OperationCommands.h"
#include "RestorePointCommands.h"
#include "BackupCommands.h"
#include "PackageCommands.h"
#include "AgentCommands.h"
#include "AuditCommands.h"
#include "AccessCommands.h"
#include "ApprovalCommands.h"
#include "MemberCommands.h"
#include "ProjectCommands.h"
#include "registration/ClientPrograms.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "demo/DemoGenerator.h"
#include "logging/Logging.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <spdlog/spdlog.h>

#include <cstdio>

CliApplication::CliApplication()
    : m_out(stdout)
    , m_err(stderr)
{
}

CliApplication::~CliApplication() = default;

void CliApplication::printHelp(QTextStream& to)
{
    to << QStringLiteral(
        "Usage: dataalm [--catalog DIR|URL] [--json] COMMAND [ARGS]\n"
        "\n"
        "Database lifecycle for environments you run yourself: refresh a sandbox from\n"
        "production, roll back, sign off, apply deployable packages.\n"
        "\n"
        "Commands:\n"
        "  demo [--project NAME] [--size-mb N] [--postgres URL]\n"
        "                                           create the demo project (on a PostgreSQL server)\n"
        "  env list [--project P]                   environments of all projects (or of one)\n"
        "  env show ENV                             one environment\n"
        "  env test ENV                             open every database of an environment\n"
        "  env add ENV --project P --type T --tenant T --admin A --application V --platform N\n"
        "          [--name NAME] [--financial-reporting V] [--commerce V] --db ROLE=URL [--db ROLE=URL]\n"
        "                                           register an environment whose databases exist\n"
        "                                           (ROLE transactional or financial-reporting; URL\n"
        "                                           sqlite:///absolute/path.db or\n"
        "                                           postgresql://user@host:port/dbname[?sslmode=require],\n"
        "                                           passwords in ~/.pgpass); a new project is created\n"
        "  env edit ENV [the options of env add]    change what is given (--commerce none: no Commerce)\n"
        "  env remove ENV                           forget an environment; its databases are kept\n"
        "  env pitr ENV --stanza NAME [--config FILE] [--os-user USER] | --default\n"
        "                                           where its server archives WAL with pgBackRest\n"
        "  project list                             projects and their data policies\n"
        "  project show PROJECT                     a project and the rules of its data policy\n"
        "  project policy PROJECT FILE | --default  the data policy its refreshes apply\n"
        "  project review PROJECT TABLE COLUMN      mark a column safe to copy (the policy's \"reviewed\")\n"
        "  project mask PROJECT TABLE COLUMN --as KIND\n"
        "                                           add a rule masking it (email, name, first-name,\n"
        "                                           last-name, phone, text, number)\n"
        "  preflight --source ENV --target ENV      run the refresh checks\n"
        "  refresh --source ENV --target ENV --yes [--reprovision]\n"
        "                                           refresh a sandbox's databases (then run the\n"
        "                                           Environment reprovisioning tool on Commerce)\n"
        "  operations [--env ENV]                   operation history, newest first\n"
        "  operation ID                             one operation with its steps\n"
        "  resume ID | rollback ID | signoff ID | abort ID\n"
        "  logs ID --out FILE.zip                   the runbook log archive\n"
        "  cleanup                                  remove what rolled-back and signed-off operations\n"
        "                                           left on disk (rollback and signoff start it in\n"
        "                                           the background)\n"
        "  package list [--shared [--url URL]] [--project P]\n"
        "                                           the asset library, or the shared one (built-in\n"
        "                                           packages, or a remote library's index.json)\n"
        "  package import FILE | --shared NAME | --url URL [NAME] [--project P]\n"
        "                                           validate a package and add it to the project's\n"
        "                                           asset library (downloads resume and are verified)\n"
        "  apply --package NAME --target ENV --yes  apply a package from the asset library\n"
        "  restorepoint list [--env ENV]            restore points: taken, kind, size, expiry\n"
        "  restorepoint create --env ENV            keep a copy of an environment's databases now\n"
        "  restorepoint delete ID                   delete a restore point nothing needs\n"
        "  restore --target ENV (--point ID | --time ISO [--source ENV]) --yes [--policy FILE]\n"
        "                                           point-in-time restore: a sandbox or dev/test\n"
        "                                           environment back to its restore point, or\n"
        "                                           production's into a sandbox (with the policy)\n"
        "  export --source ENV [--policy FILE]      a sandbox's data, with the policy applied, into a\n"
        "                                           backup file of the asset library\n"
        "  import --backup NAME --target ENV --yes  a backup into a sandbox or dev/test environment\n"
        "  backup list | download NAME --out FILE | upload FILE [--name NAME]\n"
        "                                           the asset library's database backups\n"
        "  project retention PROJECT --production DAYS --other DAYS\n"
        "                                           how long restore points are kept (28 and 7)\n"
        "  project notice PROJECT --minutes N       the least notice a request must give (0: none)\n"
        "  project timezone PROJECT --zone ZONE     the time zone windows are read and shown in\n"
        "  request refresh|restore|apply|export|import [its options] --window-start ISO\n"
        "          --window-end ISO [--force]       run it in a downtime window (also: those commands\n"
        "                                           with --window-start/--window-end); --force\n"
        "                                           accepts a window shorter than the estimate\n"
        "  refresh|export ... --every day|week --window-start ISO --window-end ISO\n"
        "  restorepoint create --env ENV --every day|week --window-start ISO --window-end ISO\n"
        "                                           a recurring request (schedule S<n>): the agent\n"
        "                                           makes each occurrence when its window opens\n"
        "  requests [--env ENV]                     requests waiting for their window, with estimates\n"
        "  reschedule ID --window-start ISO --window-end ISO [--time ISO] [--force]\n"
        "                                           move a request (and the instant it restores to)\n"
        "  cancel ID | cancel S<n>                  cancel a request (it ends as Canceled) or a schedule\n"
        "  project webhook add|remove PROJECT URL | project webhook list PROJECT\n"
        "                                           where notifications go (JSON POST with a text\n"
        "                                           field), and the recent deliveries\n"
        "  agent [--once] [--labels L,...]          run requests when their windows open (--once:\n"
        "                                           what is due now, then exit; --labels: only for\n"
        "                                           these environments or database servers)\n"
        "  agents                                   the agents of this catalog and whether they live\n"
        "  member add LOGIN --project P --role R    a team catalog's roles: ProjectOwner, EnvironmentManager,\n"
        "  member add|remove LOGIN --agent          TeamMember (not production), Viewer; --agent: runs every\n"
        "  member remove LOGIN --project P          project's work. The server enforces them (row-level\n"
        "  member list [--project P]                security); a Project owner changes them\n"
        "  audit [--since ISO] [--env ENV] [--csv]  who did what, with which role, from which host\n"
        "  env protect|unprotect ENV                a team catalog: its refresh, restore, import and\n"
        "                                           apply wait for a second Project owner (production\n"
        "                                           always does)\n"
        "  env credential set|remove ENV [--db ROLE] a team catalog keeps the password of the login the\n"
        "                                           database connects as (set reads it from stdin);\n"
        "                                           agents use it\n"
        "  env credential list ENV                  which are kept, by whom, when (never the password)\n"
        "  env credential reveal ENV [--db ROLE] --reason TEXT\n"
        "                                           print it (Project owner, Environment manager; not\n"
        "                                           production), audited with the reason\n"
        "  access request ENV (--read-only|--read-write) --reason TEXT [--db ROLE] [--hours 1-8]\n"
        "                                           a temporary login on a PostgreSQL environment (an\n"
        "                                           agent makes it; the password is printed once)\n"
        "  access list [--env ENV] · access revoke ID  the grants, and ending one early\n"
        "  approve ID [--reason TEXT]               approve a request that awaits approval (not your own)\n"
        "  reject ID --reason TEXT                  reject it: nothing runs, it ends as Canceled\n"
        "\n"
        "Global options:\n"
        "  --catalog DIR|URL  catalog folder, or a team catalog: postgresql://host:port/db\n"
        "                  (default: $DATAALM_CATALOG, else %1; a team catalog's files\n"
        "                  live in $DATAALM_FILES)\n"
        "  --json          machine output: one JSON document on stdout\n"
        "  --verbose, -v   log to stderr too\n"
        "  --help, -h      this help;  --version  the version\n"
        "\n"
        "Exit codes: 0 ok, 1 failed, 2 usage (or an invalid environment or policy), 3 blocked,\n"
        "4 unknown, 5 not allowed in this state or by your role, or rejected by the approver (or a\n"
        "package already imported), 6 invalid package, 7 unreachable, 8 catalog cannot be opened.\n")
                 .arg(Logging::defaultCatalog());
    to.flush();
}

int CliApplication::usage(const QString& message)
{
    m_err << QStringLiteral("dataalm: ") << message << Qt::endl;
    return ExitUsage;
}

int CliApplication::fail(int code, const QString& message)
{
    m_err << QStringLiteral("dataalm: ") << message << Qt::endl;
    return code;
}

void CliApplication::printJson(const QJsonDocument& doc)
{
    m_out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    m_out.flush();
}

bool CliApplication::openCatalog(QString* error)
{
    const QString folder = m_cl.has(QStringLiteral("catalog")) ? m_cl.value(QStringLiteral("catalog"))
                                                              : Logging::defaultCatalog();
    if (!m_catalog)
        m_catalog = std::make_unique<Catalog>();
    if (!m_catalog->open(folder, error))
        return false;
    // Operations whose process is gone are marked Failed ("interrupted") first, so
    // that every command sees them as they are: resumable or ready to roll back.
    OperationStore(*m_catalog).recoverInterrupted();
    // The programs this catalog's environments need: said once, on stderr.
    const QString missing = ClientPrograms::missingFor(*m_catalog);
    if (!missing.isEmpty()) {
        m_err << QStringLiteral("dataalm: warning: %1\n").arg(missing);
        m_err.flush();
    }
    return true;
}

int CliApplication::run(const QStringList& args)
{
    QString error;
    if (!m_cl.parse(args, &error))
        return usage(error);
    m_json = m_cl.has(QStringLiteral("json"));
    Logging::initialise(QStringLiteral("dataalm"), m_cl.has(QStringLiteral("verbose")));

    if (m_cl.has(QStringLiteral("version"))) {
        m_out << QStringLiteral("dataalm %1\n").arg(QStringLiteral(DATAALM_VERSION));
        return ExitOk;
    }
    const QStringList& pos = m_cl.positional();
    if (m_cl.has(QStringLiteral("help")) || (!pos.isEmpty() && pos.first() == QLatin1String("help"))) {
        printHelp(m_out);
        return ExitOk;
    }
    if (pos.isEmpty()) {
        // A usage error: there is no result, so the usage goes to stderr.
        printHelp(m_err);
        return ExitUsage;
    }

    QString command = pos.first();
    bool request = false;
    if (command == QLatin1String("request")) {
        static const QStringList kinds = {QStringLiteral("refresh"), QStringLiteral("restore"), QStringLiteral("apply"),
                                          QStringLiteral("export"), QStringLiteral("import")};
        if (pos.size() < 2 || !kinds.contains(pos.at(1)))
            return usage(QStringLiteral("request needs what to run: refresh, restore, apply, export or import"));
        if (m_cl.has(QStringLiteral("reprovision")))
            return usage(QStringLiteral("request refresh runs the refresh alone; request the reprovisioning tool with "
                                        "request apply once the refresh is done"));
        m_cl.shiftPositional();
        command = m_cl.positional().first();
        request = true;
    }
    static const QStringList known = {QStringLiteral("demo"),      QStringLiteral("env"),       QStringLiteral("preflight"),
                                      QStringLiteral("refresh"),   QStringLiteral("operations"), QStringLiteral("operation"),
                                      QStringLiteral("resume"),    QStringLiteral("rollback"),  QStringLiteral("signoff"),
                                      QStringLiteral("abort"),     QStringLiteral("logs"),      QStringLiteral("cleanup"),
                                      QStringLiteral("package"),   QStringLiteral("apply"),     QStringLiteral("project"),
                                      QStringLiteral("restorepoint"), QStringLiteral("restore"),
                                      QStringLiteral("export"),    QStringLiteral("import"),    QStringLiteral("backup"),
                                      QStringLiteral("request"),   QStringLiteral("requests"),  QStringLiteral("reschedule"),
                                      QStringLiteral("cancel"),    QStringLiteral("agent"),     QStringLiteral("agents"),
                                      QStringLiteral("member"),    QStringLiteral("audit"),     QStringLiteral("approve"),
                                      QStringLiteral("reject"),    QStringLiteral("access")};
    if (!known.contains(command))
        return usage(QStringLiteral("unknown command '%1' (see dataalm --help)").arg(command));

    spdlog::debug("dataalm {}", args.join(QLatin1Char(' ')).toStdString());

    // demo, env and project check their arguments before they open the catalog: a
    // usage error exits 2 without creating or touching the catalog.
    if (command == QLatin1String("demo"))
        return cmdDemo();
    if (command == QLatin1String("env") || command == QLatin1String("project")) {
        m_catalog = std::make_unique<Catalog>(); // opened by the command once its arguments are checked
        CliContext ctx{m_cl, m_out, m_err, *m_catalog, m_json};
        const auto open = [this](QString* e) { return openCatalog(e); };
        if (command == QLatin1String("env"))
            return EnvCommands(ctx, open).run();
        return ProjectCommands(ctx, open).run();
    }
    if (!openCatalog(&error))
        return fail(ExitCatalog, error);
    CliContext ctx{m_cl, m_out, m_err, *m_catalog, m_json};
    OperationCommands ops(ctx);
    ops.setRequestRequired(request);
    if (m_cl.has(QStringLiteral("reprovision")) &&
        (m_cl.has(QStringLiteral("window-start")) || m_cl.has(QStringLiteral("window-end"))))
        return usage(QStringLiteral("--reprovision runs right after the refresh; request the refresh alone, then the "
                                    "reprovisioning tool"));
    if (command == QLatin1String("requests"))
        return ops.requests();
    if (command == QLatin1String("reschedule"))
        return ops.reschedule();
    if (command == QLatin1String("cancel"))
        return ops.cancelRequest();
    if (command == QLatin1String("agent"))
        return AgentCommands(ctx).agent();
    if (command == QLatin1String("agents"))
        return AgentCommands(ctx).agents();
    if (command == QLatin1String("member"))
        return MemberCommands(ctx).run();
    if (command == QLatin1String("audit"))
        return AuditCommands(ctx).run();
    if (command == QLatin1String("access"))
        return AccessCommands(ctx).run();
    if (command == QLatin1String("approve"))
        return ApprovalCommands(ctx).approve();
    if (command == QLatin1String("reject"))
        return ApprovalCommands(ctx).reject();
    if (command == QLatin1String("preflight"))
        return ops.preflight();
    PackageCommands packages(ctx, ops);
    if (command == QLatin1String("refresh"))
        return m_cl.has(QStringLiteral("reprovision")) ? packages.refreshWithReprovision() : ops.refresh();
    if (command == QLatin1String("package"))
        return packages.package();
    if (command == QLatin1String("apply"))
        return packages.apply();
    if (command == QLatin1String("operations"))
        return ops.list();
    if (command == QLatin1String("operation"))
        return ops.show();
    if (command == QLatin1String("logs"))
        return ops.logs();
    if (command == QLatin1String("cleanup"))
        return ops.cleanup();
    RestorePointCommands restorePoints(ctx, ops);
    if (command == QLatin1String("restorepoint"))
        return restorePoints.restorePoint();
    if (command == QLatin1String("restore"))
        return restorePoints.restore();
    BackupCommands backups(ctx, ops);
    if (command == QLatin1String("export"))
        return backups.exportDatabase();
    if (command == QLatin1String("import"))
        return backups.importDatabase();
    if (command == QLatin1String("backup"))
        return backups.backup();
    return ops.act(command);
}

int CliApplication::cmdDemo()
{
    QString error;
    if (m_cl.positional().size() > 1)
        return usage(QStringLiteral("demo takes no argument '%1'").arg(m_cl.positional().at(1)));
    if (!m_cl.onlyAllows({QStringLiteral("project"), QStringLiteral("size-mb"), QStringLiteral("postgres")},
                         QStringLiteral("demo"), &error))
        return usage(error);
    DemoGenerator::Options options;
    if (m_cl.has(QStringLiteral("project")))
        options.project = m_cl.value(QStringLiteral("project"));
    static const QRegularExpression projectName(QStringLiteral("^[a-z][a-z0-9-]{0,30}$"));
    if (!projectName.match(options.project).hasMatch())
        return usage(QStringLiteral("--project takes a lower-case name of letters, digits and dashes, not '%1'")
                         .arg(options.project));
    if (m_cl.has(QStringLiteral("size-mb")) && !m_cl.intValue(QStringLiteral("size-mb"), &options.sizeMb, &error, 1,
                                                              1024 * 1024))
        return usage(error);
    if (m_cl.has(QStringLiteral("postgres")))
        options.postgresUrl = m_cl.value(QStringLiteral("postgres"));
    if (!openCatalog(&error))
        return fail(ExitCatalog, error);

    QElapsedTimer timer;
    timer.start();
    qint64 lastReport = -1;
    DemoGenerator generator(*m_catalog);
    const bool ok = generator.generate(options, &error, [&](const QString& what, qint64 done, qint64 total) {
        const qint64 t = timer.elapsed();
        if (lastReport >= 0 && t - lastReport < 500 && done < total)
            return;
        lastReport = t;
        const int pct = total > 0 ? int(100 * done / total) : 0;
        m_err << QStringLiteral("  %1 %2%\n").arg(what).arg(pct);
        m_err.flush();
    });
    if (!ok)
        return fail(ExitFailed, error);

    const auto envs = m_catalog->environments(options.project);
    if (m_json) {
        QJsonArray list;
        for (const auto& e : envs)
            list.append(e.toJson());
        printJson(QJsonDocument(QJsonObject{{QStringLiteral("project"), options.project},
                                            {QStringLiteral("environments"), list},
                                            {QStringLiteral("seconds"), double(timer.elapsed()) / 1000.0}}));
    } else {
        m_out << QStringLiteral("Created project %1 with %2 environments in %3 s (catalog %4)\n")
                     .arg(options.project)
                     .arg(envs.size())
                     .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1)
                     .arg(m_catalog->folder());
    }
    return ExitOk;
}
