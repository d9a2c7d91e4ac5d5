#include "EnvCommands.h"

#include "core/Clock.h"
#include "restorepoint/RestorePointService.h"

#include "ExitCode.h"
#include "lifecycle/ApprovalService.h"
#include "catalog/CredentialStore.h"
#include "engine/PostgresPasswords.h"
#include "catalog/Catalog.h"
#include "registration/DatabaseConnectionTest.h"
#include "environment/EnvironmentDraft.h"
#include "registration/EnvironmentRegistration.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

const QStringList DraftOptions = {QStringLiteral("project"),  QStringLiteral("name"),
                                  QStringLiteral("type"),     QStringLiteral("tenant"),
                                  QStringLiteral("admin"),    QStringLiteral("application"),
                                  QStringLiteral("platform"), QStringLiteral("financial-reporting"),
                                  QStringLiteral("commerce"), QStringLiteral("db")};

int exitCodeOf(EnvironmentRegistration::Refusal refusal)
{
    switch (refusal) {
    case EnvironmentRegistration::Refusal::None:
        return ExitOk;
    case EnvironmentRegistration::Refusal::Invalid:
        return ExitUsage;
    case EnvironmentRegistration::Refusal::Unknown:
        return ExitUnknown;
    case EnvironmentRegistration::Refusal::Unreachable:
        return ExitUnreachable;
    case EnvironmentRegistration::Refusal::NotAllowed:
        return ExitNotAllowed;
    case EnvironmentRegistration::Refusal::Failed:
        break;
    }
    return ExitFailed;
}

QString problemsLine(const QList<EnvironmentRegistration::Problem>& problems)
{
    QStringList lines;
    for (const auto& p : problems)
        lines << p.message;
    return lines.join(QStringLiteral("; "));
}

QJsonArray connectionsJson(const QList<DatabaseConnectionTest::Result>& results)
{
    QJsonArray a;
    for (const auto& r : results)
        a.append(r.toJson());
    return a;
}

// The refusal of an add or edit on stderr; `unreachableTail` says what an unreachable database left undone.
int refused(CliContext& ctx, const EnvironmentRegistration::Outcome& o, const QString& unreachableTail)
{
    const QString message =
        o.refusal == EnvironmentRegistration::Refusal::Invalid ? problemsLine(o.problems) : o.message;
    const QString tail = o.refusal == EnvironmentRegistration::Refusal::Unreachable ? unreachableTail : QString();
    return ctx.fail(exitCodeOf(o.refusal), QString(message).replace(QLatin1Char('\n'), QStringLiteral("; ")) + tail);
}

// What an add or edit says on stderr besides its result: the project it created
// (`projectCreatedLine`, %1 the project) and its warnings.
void printNotes(CliContext& ctx, const EnvironmentRegistration::Outcome& o, const QString& projectCreatedLine)
{
    if (o.projectCreated)
        ctx.err << projectCreatedLine.arg(o.environment.projectId);
    for (const QString& w : o.warnings)
        ctx.err << QStringLiteral("warning: %1\n").arg(w);
    ctx.err.flush();
}

// The --json keys an add and an edit share.
QJsonObject outcomeJson(const EnvironmentRegistration::Outcome& o)
{
    return QJsonObject{{QStringLiteral("environment"), o.environment.toJson()},
                       {QStringLiteral("projectCreated"), o.projectCreated},
                       {QStringLiteral("connections"), connectionsJson(o.connections)},
                       {QStringLiteral("warnings"), QJsonArray::fromStringList(o.warnings)}};
}

} // namespace

EnvCommands::EnvCommands(CliContext& context, std::function<bool(QString*)> openCatalog)
    : m_ctx(context), m_openCatalog(std::move(openCatalog))
{
}

bool EnvCommands::open(int* exitCode)
{
    QString error;
    if (m_openCatalog(&error))
        return true;
    *exitCode = m_ctx.fail(ExitCatalog, error);
    return false;
}

int EnvCommands::run()
{
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() < 2)
        return m_ctx.usage(QStringLiteral("env needs a subcommand: list, show ENV, test ENV, add ENV, edit ENV or "
                                          "remove ENV"));
    const QString sub = pos.at(1);
    if (sub == QLatin1String("list"))
        return list();
    if (sub == QLatin1String("show"))
        return show();
    if (sub == QLatin1String("test"))
        return test();
    if (sub == QLatin1String("add"))
        return add();
    if (sub == QLatin1String("edit"))
        return edit();
    if (sub == QLatin1String("remove"))
        return remove();
    if (sub == QLatin1String("pitr"))
        return pitr();
    if (sub == QLatin1String("protect") || sub == QLatin1String("unprotect"))
        return protect(sub == QLatin1String("protect"));
    if (sub == QLatin1String("credential"))
        return credential();
    return m_ctx.usage(QStringLiteral("unknown env subcommand '%1' (list, show, test, add, edit, remove, pitr, protect, "
                                      "unprotect)")
                           .arg(sub));
}

bool EnvCommands::environmentId(const QString& sub, QString* id, int* exitCode)
{
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3) {
        *exitCode =
            m_ctx.usage(pos.size() < 3 ? QStringLiteral("env %1 needs an environment id").arg(sub)
                                       : QStringLiteral("env %1 takes one environment, not '%2'").arg(sub, pos.at(3)));
        return false;
    }
    *id = pos.at(2);
    return true;
}

int EnvCommands::list()
{
    QString error;
    if (m_ctx.cl.positional().size() > 2)
        return m_ctx.usage(QStringLiteral("env list takes no argument '%1'").arg(m_ctx.cl.positional().at(2)));
    if (!m_ctx.cl.onlyAllows({QStringLiteral("project")}, QStringLiteral("env list"), &error))
        return m_ctx.usage(error);
    int code = ExitOk;
    if (!open(&code))
        return code;
    const auto envs = m_ctx.catalog.environments(m_ctx.cl.value(QStringLiteral("project")));
    if (m_ctx.json) {
        QJsonArray list;
        for (const auto& e : envs)
            list.append(e.toJson());
        m_ctx.printJson(QJsonDocument(list));
        return ExitOk;
    }
    if (envs.isEmpty()) {
        m_ctx.err << QStringLiteral("No environments in %1. Create the demo project with: dataalm demo, or register "
                                    "your own with: dataalm env add\n")
                         .arg(m_ctx.catalog.folder());
        return ExitOk;
    }
    const QString row = QStringLiteral("%1  %2  %3  %4  %5  %6\n");
    m_ctx.out << row.arg(QStringLiteral("ID"), -16)
                     .arg(QStringLiteral("PROJECT"), -10)
                     .arg(QStringLiteral("TYPE"), -10)
                     .arg(QStringLiteral("STATE"), -10)
                     .arg(QStringLiteral("RELEASE"), -8)
                     .arg(QStringLiteral("TENANT"));
    for (const auto& e : envs) {
        m_ctx.out << row.arg(e.id, -16)
                         .arg(e.projectId, -10)
                         .arg(environmentTypeId(e.type), -10)
                         .arg(e.state, -10)
                         .arg(e.versions.application, -8)
                         .arg(e.tenant);
    }
    m_ctx.out.flush();
    return ExitOk;
}

bool EnvCommands::knownEnvironment(const QString& sub, Environment* env, int* exitCode)
{
    QString error;
    QString id;
    if (!environmentId(sub, &id, exitCode))
        return false;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("env ") + sub, &error)) {
        *exitCode = m_ctx.usage(error);
        return false;
    }
    if (!open(exitCode))
        return false;
    const auto found = m_ctx.catalog.environment(id);
    if (!found) {
        *exitCode =
            m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(id));
        return false;
    }
    *env = *found;
    return true;
}

int EnvCommands::protect(bool on)
{
    int code = ExitOk;
    Environment env;
    if (!knownEnvironment(on ? QStringLiteral("protect") : QStringLiteral("unprotect"), &env, &code))
        return code;
    QString error;
    const ApprovalService::Outcome outcome = ApprovalService(m_ctx.catalog).setProtected(env, on, &error);
    if (outcome != ApprovalService::Outcome::Done)
        return m_ctx.fail(outcome == ApprovalService::Outcome::NotAllowed ? ExitNotAllowed : ExitFailed, error);
    m_ctx.err << (on ? QStringLiteral("%1 is protected: its refreshes, restores, imports and applies wait for a second "
                                      "Project owner's approval\n")
                     : QStringLiteral("%1 is no longer protected: its operations run when asked\n"))
                     .arg(env.id);
    return ExitOk;
}

int EnvCommands::credential()
{
    const QStringList& pos = m_ctx.cl.positional();
    const QString verb = pos.value(2);
    static const QStringList verbs = {QStringLiteral("set"), QStringLiteral("remove"), QStringLiteral("list"),
                                      QStringLiteral("reveal")};
    if (!verbs.contains(verb) || pos.size() != 4)
        return m_ctx.usage(QStringLiteral("env credential set|remove|list|reveal ENV [--db transactional|"
                                          "financial-reporting] [--reason TEXT]"));
    QString error;
    const QStringList allowed = verb == QLatin1String("reveal") ? QStringList{QStringLiteral("db"), QStringLiteral("reason")}
                                : verb == QLatin1String("list") ? QStringList{}
                                                                : QStringList{QStringLiteral("db")};
    if (!m_ctx.cl.onlyAllows(allowed, QStringLiteral("env credential ") + verb, &error))
        return m_ctx.usage(error);
    if (verb == QLatin1String("reveal") && m_ctx.json)
        return m_ctx.usage(QStringLiteral("env credential reveal prints the password alone: --json never carries one"));
    if (verb == QLatin1String("reveal") && m_ctx.cl.value(QStringLiteral("reason")).trimmed().isEmpty())
        return m_ctx.usage(QStringLiteral("env credential reveal needs --reason TEXT: the audit records why"));
    const QString id = pos.at(3);
    const QString db = m_ctx.cl.has(QStringLiteral("db")) ? m_ctx.cl.value(QStringLiteral("db"))
                                                          : QStringLiteral("transactional");
    int code = ExitOk;
    if (!open(&code))
        return code;
    if (!m_ctx.catalog.environment(id))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(id));
    CredentialStore store(m_ctx.catalog);
    const auto outcome = [&](CredentialStore::Outcome o) {
        return o == CredentialStore::Outcome::NotAllowed ? ExitNotAllowed
               : o == CredentialStore::Outcome::Unknown  ? ExitUnknown
                                                         : ExitFailed;
    };
    if (verb == QLatin1String("list")) {
        const QList<CredentialStore::Credential> list = store.list(id, &error);
        if (!error.isEmpty())
            return m_ctx.fail(ExitFailed, error);
        if (m_ctx.json) {
            QJsonArray a;
            for (const auto& c : list)
                a.append(QJsonObject{{QStringLiteral("environment"), c.environmentId},
                                     {QStringLiteral("database"), c.databaseRole},
                                     {QStringLiteral("login"), c.login},
                                     {QStringLiteral("setBy"), c.setBy},
                                     {QStringLiteral("setAt"), c.setAt.toUTC().toString(Qt::ISODateWithMs)}});
            m_ctx.printJson(QJsonDocument(a));
        } else if (list.isEmpty()) {
            m_ctx.out << QStringLiteral("No credential is kept for %1 (dataalm env credential set %1 reads one from "
                                        "standard input).\n")
                             .arg(id);
        } else {
            for (const auto& c : list)
                m_ctx.out << QStringLiteral("%1\t%2\tset by %3 at %4\n")
                                 .arg(c.databaseRole, c.login, c.setBy, c.setAt.toUTC().toString(Qt::ISODate));
        }
        return ExitOk;
    }
    // A process that holds a password leaves no core dump.
    PostgresPasswords::forbidCoreDumps();
    if (verb == QLatin1String("set")) {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly))
            return m_ctx.fail(ExitFailed, QStringLiteral("cannot read the password from standard input"));
        QByteArray line = in.readLine(4096);
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        QString secret = QString::fromUtf8(line);
        line.fill('\0');
        const CredentialStore::Outcome o = store.set(id, db, secret, &error);
        secret.fill(QLatin1Char('\0'));
        if (o != CredentialStore::Outcome::Done)
            return m_ctx.fail(outcome(o), error);
        m_ctx.err << QStringLiteral("The password for the %1 database of %2 is kept in the team catalog: agents use it; "
                                    "Project owners and Environment managers may reveal it outside production\n")
                         .arg(db, id);
        return ExitOk;
    }
    if (verb == QLatin1String("remove")) {
        const CredentialStore::Outcome o = store.remove(id, db, &error);
        if (o != CredentialStore::Outcome::Done)
            return m_ctx.fail(outcome(o), error);
        m_ctx.err << QStringLiteral("The password for the %1 database of %2 is removed\n").arg(db, id);
        return ExitOk;
    }
    QString secret;
    const CredentialStore::Outcome o =
        store.reveal(id, db, m_ctx.cl.value(QStringLiteral("reason")).trimmed(), &secret, &error);
    if (o != CredentialStore::Outcome::Done)
        return m_ctx.fail(outcome(o), error);
    m_ctx.out << secret << '\n';
    m_ctx.out.flush();
    secret.fill(QLatin1Char('\0'));
    m_ctx.err << QStringLiteral("(revealed for your reason, which the audit keeps)\n");
    return ExitOk;
}

int EnvCommands::show()
{
    int code = ExitOk;
    Environment found;
    if (!knownEnvironment(QStringLiteral("show"), &found, &code))
        return code;
    const Environment* env = &found;
    // Protection means something on a team catalog only (ApprovalService).
    const bool team = m_ctx.catalog.isTeam();
    if (m_ctx.json) {
        QJsonObject o = env->toJson();
        if (team)
            o.insert(QStringLiteral("protected"), env->isProtected());
        m_ctx.printJson(QJsonDocument(o));
        return ExitOk;
    }
    const auto& v = env->versions;
    QTextStream& out = m_ctx.out;
    out << QStringLiteral("%1 (%2)\n").arg(env->name, env->id);
    out << QStringLiteral("  Type:                      %1\n").arg(environmentTypeTitle(env->type));
    out << QStringLiteral("  State:                     %1\n").arg(env->state);
    out << QStringLiteral("  Project:                   %1\n").arg(env->projectId);
    out << QStringLiteral("  Tenant:                    %1\n").arg(env->tenant);
    out << QStringLiteral("  Environment administrator: %1\n").arg(env->admin);
    if (team)
        out << QStringLiteral("  Protected:                 %1\n")
                   .arg(env->isProtected() ? (env->type == EnvironmentType::Production
                                                  ? QStringLiteral("yes (production): a second Project owner approves "
                                                                   "refreshes, restores, imports and applies")
                                                  : QStringLiteral("yes: a second Project owner approves refreshes, "
                                                                   "restores, imports and applies"))
                                           : QStringLiteral("no"));
    out << QStringLiteral("  Application release:       %1\n").arg(v.application);
    out << QStringLiteral("  Platform update:           %1\n").arg(v.platform);
    out << QStringLiteral("  Financial Reporting:       %1\n").arg(v.financialReporting);
    out << QStringLiteral("  Commerce:                  %1\n")
               .arg(v.commerce.isEmpty() ? QStringLiteral("none") : v.commerce);
    for (const auto& db : env->databases)
        out << QStringLiteral("  Database %1: %2 %3\n").arg(db.role, db.engineTitle(), db.location());
    out.flush();
    return ExitOk;
}

int EnvCommands::test()
{
    int code = ExitOk;
    Environment found;
    if (!knownEnvironment(QStringLiteral("test"), &found, &code))
        return code;
    const Environment* env = &found;
    const auto results = DatabaseConnectionTest::run(env->databases, [&](const DatabaseConnectionTest::Result& r) {
        if (m_ctx.json)
            return;
        const DatabaseRef& db = r.database;
        if (r.ok)
            m_ctx.out << QStringLiteral("ok    %1 %2 %3 (%4 ms)\n")
                             .arg(db.role, db.engineTitle(), db.location())
                             .arg(r.milliseconds);
        else
            m_ctx.out << QStringLiteral("FAIL  %1 %2 %3: %4\n").arg(db.role, db.engineTitle(), db.location(), r.error);
        m_ctx.out.flush();
    });
    const bool allOk = DatabaseConnectionTest::allOk(results);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("environment"), env->id},
                                                  {QStringLiteral("ok"), allOk},
                                                  {QStringLiteral("databases"), connectionsJson(results)}}));
    if (!allOk)
        return m_ctx.fail(ExitUnreachable, QStringLiteral("%1 has databases that cannot be opened").arg(env->id));
    return ExitOk;
}

bool EnvCommands::draft(const QString& sub, bool isEdit, EnvironmentDraft* d, int* exitCode)
{
    QString error;
    QString id;
    if (!environmentId(sub, &id, exitCode))
        return false;
    const CommandLine& cl = m_ctx.cl;
    if (!cl.onlyAllows(DraftOptions, QStringLiteral("env ") + sub, &error)) {
        *exitCode = m_ctx.usage(error);
        return false;
    }
    d->id = id;
    const auto text = [&](const char* option, std::optional<QString>& field) -> bool {
        const QString name = QLatin1String(option);
        if (!cl.has(name))
            return true;
        if (cl.values(name).size() > 1) {
            *exitCode = m_ctx.usage(QStringLiteral("--%1 is given twice").arg(name));
            return false;
        }
        field = cl.value(name);
        return true;
    };
    if (!text("project", d->project) || !text("name", d->name) || !text("type", d->type) ||
        !text("tenant", d->tenant) || !text("admin", d->admin) || !text("application", d->application) ||
        !text("platform", d->platform) || !text("financial-reporting", d->financialReporting) ||
        !text("commerce", d->commerce))
        return false;
    for (const QString& assignment : cl.values(QStringLiteral("db"))) {
        const int eq = assignment.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *exitCode = m_ctx.usage(QStringLiteral("--db takes ROLE=URL (transactional=sqlite:///path.db or "
                                                   "financial-reporting=postgresql://user@host:port/dbname), not '%1'")
                                        .arg(assignment));
            return false;
        }
        const QString role = assignment.left(eq).trimmed();
        if (d->databases.contains(role)) {
            *exitCode = m_ctx.usage(QStringLiteral("--db %1=... is given twice").arg(role));
            return false;
        }
        d->databases.insert(role, assignment.mid(eq + 1));
    }
    const auto problems = EnvironmentRegistration::checkDraft(*d, isEdit);
    if (!problems.isEmpty()) {
        *exitCode = m_ctx.usage(problemsLine(problems));
        return false;
    }
    return open(exitCode);
}

int EnvCommands::add()
{
    int code = ExitOk;
    EnvironmentDraft d;
    if (!draft(QStringLiteral("add"), false, &d, &code))
        return code;

    EnvironmentRegistration registration(m_ctx.catalog);
    EnvironmentRegistration::Outcome o = registration.prepareAdd(d);
    if (o.ok()) {
        m_ctx.err << QStringLiteral("Opening the databases of %1...\n").arg(d.id);
        m_ctx.err.flush();
        o = registration.add(d);
    }
    if (!o.ok())
        return refused(m_ctx, o, QStringLiteral(" (nothing was registered)"));
    const Environment& e = o.environment;
    printNotes(m_ctx, o,
               QStringLiteral("Created project %1 (its refreshes apply the default data policy; dataalm project "
                              "policy %1 FILE gives it another)\n"));
    if (m_ctx.json) {
        QJsonObject json = outcomeJson(o);
        json.insert(QStringLiteral("project"), e.projectId);
        m_ctx.printJson(QJsonDocument(json));
        return ExitOk;
    }
    m_ctx.out << QStringLiteral("Registered %1 (%2) in project %3\n")
                     .arg(e.id, environmentTypeTitle(e.type).toLower(), e.projectId);
    for (const auto& r : o.connections)
        m_ctx.out << QStringLiteral("  %1: %2 %3 (opened in %4 ms)\n")
                         .arg(r.database.role, r.database.engineTitle(), r.database.location())
                         .arg(r.milliseconds);
    m_ctx.out.flush();
    return ExitOk;
}

int EnvCommands::edit()
{
    int code = ExitOk;
    EnvironmentDraft d;
    if (!draft(QStringLiteral("edit"), true, &d, &code))
        return code;

    EnvironmentRegistration registration(m_ctx.catalog);
    const EnvironmentRegistration::Outcome o = registration.edit(d);
    if (!o.ok())
        return refused(m_ctx, o, QStringLiteral(" (nothing was changed)"));
    const Environment& e = o.environment;
    printNotes(m_ctx, o, QStringLiteral("Created project %1 (its refreshes apply the default data policy)\n"));
    if (m_ctx.json) {
        QJsonObject json = outcomeJson(o);
        json.insert(QStringLiteral("changed"), QJsonArray::fromStringList(o.changed));
        m_ctx.printJson(QJsonDocument(json));
        return ExitOk;
    }
    if (o.changed.isEmpty())
        m_ctx.out << QStringLiteral("%1 already is as given: nothing changed\n").arg(e.id);
    else
        m_ctx.out << QStringLiteral("Changed %1: %2\n").arg(e.id, o.changed.join(QStringLiteral(", ")));
    m_ctx.out.flush();
    return ExitOk;
}

int EnvCommands::remove()
{
    QString error;
    QString id;
    int code = ExitOk;
    if (!environmentId(QStringLiteral("remove"), &id, &code))
        return code;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("env remove"), &error))
        return m_ctx.usage(error);
    if (!open(&code))
        return code;
    EnvironmentRegistration registration(m_ctx.catalog);
    const EnvironmentRegistration::Outcome o = registration.remove(id);
    if (!o.ok())
        return m_ctx.fail(exitCodeOf(o.refusal), o.message);
    // Its restore points expired with it: removed now (the copies DataALM made, never
    // the environment's own databases).
    const RestorePointService::SweepReport swept = RestorePointService(m_ctx.catalog).sweep(Clock::nowUtc());
    for (const QString& problem : swept.problems)
        m_ctx.err << QStringLiteral("dataalm: warning: %1\n").arg(problem);
    QJsonArray kept;
    for (const DatabaseRef& db : o.environment.databases)
        kept.append(db.toJson());
    if (m_ctx.json) {
        m_ctx.printJson(
            QJsonDocument(QJsonObject{{QStringLiteral("removed"), id}, {QStringLiteral("databasesKept"), kept}}));
        return ExitOk;
    }
    m_ctx.out << QStringLiteral("Removed %1 from the catalog; its databases were not touched:\n").arg(id);
    for (const DatabaseRef& db : o.environment.databases)
        m_ctx.out << QStringLiteral("  %1: %2 %3\n").arg(db.role, db.engineTitle(), db.location());
    m_ctx.out.flush();
    return ExitOk;
}

int EnvCommands::pitr()
{
    QString error;
    QString id;
    int code = ExitOk;
    if (!environmentId(QStringLiteral("pitr"), &id, &code))
        return code;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("stanza"), QStringLiteral("config"), QStringLiteral("os-user"),
                              QStringLiteral("default")},
                             QStringLiteral("env pitr"), &error))
        return m_ctx.usage(error);
    const bool off = m_ctx.cl.has(QStringLiteral("default"));
    if (!off && !m_ctx.cl.has(QStringLiteral("stanza")))
        return m_ctx.usage(QStringLiteral("env pitr ENV --stanza NAME [--config FILE] [--os-user USER], or --default "
                                          "to forget it"));
    if (!open(&code))
        return code;
    const std::optional<Environment> env = m_ctx.catalog.environment(id);
    if (!env)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(id));
    const DatabaseRef* db = env->database(DatabaseRef::Transactional);
    if (!off && (!db || !db->isPostgres()))
        return m_ctx.usage(QStringLiteral("%1's transactional database is not on PostgreSQL: pgBackRest archives a "
                                          "PostgreSQL server's WAL")
                               .arg(id));
    PitrSource source;
    if (!off) {
        source.stanza = m_ctx.cl.value(QStringLiteral("stanza"));
        if (m_ctx.cl.has(QStringLiteral("config")))
            source.config = QFileInfo(m_ctx.cl.value(QStringLiteral("config"))).absoluteFilePath();
        source.osUser = m_ctx.cl.value(QStringLiteral("os-user"));
    }
    if (!m_ctx.catalog.setPitrSource(id, source, &error))
        return m_ctx.fail(ExitFailed, error);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("environment"), id}, {QStringLiteral("pitr"), source.toJson()}}));
    else if (off)
        m_ctx.out << QStringLiteral("%1 is restored from restore points only\n").arg(id);
    else
        m_ctx.out << QStringLiteral("%1 can be restored to an instant from pgBackRest stanza %2\n").arg(id, source.stanza);
    return ExitOk;
}
