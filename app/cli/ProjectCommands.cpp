#include "ProjectCommands.h"

#include "policy/Masker.h"
#include "policy/PolicyCoverage.h"
#include "schedule/RequestService.h"
#include "catalog/NotificationOutbox.h"

#include "ExitCode.h"
#include "catalog/Catalog.h"
#include "catalog/RestorePointStore.h"
#include "registration/ProjectPolicies.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

ProjectCommands::ProjectCommands(CliContext& context, std::function<bool(QString*)> openCatalog)
    : m_ctx(context), m_openCatalog(std::move(openCatalog))
{
}

bool ProjectCommands::open(int* exitCode)
{
    QString error;
    if (m_openCatalog(&error))
        return true;
    *exitCode = m_ctx.fail(ExitCatalog, error);
    return false;
}

int ProjectCommands::run()
{
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() < 2)
        return m_ctx.usage(QStringLiteral("project needs a subcommand: list, show PROJECT or policy PROJECT FILE"));
    const QString sub = pos.at(1);
    if (sub == QLatin1String("list"))
        return list();
    if (sub == QLatin1String("show"))
        return show();
    if (sub == QLatin1String("policy"))
        return policy();
    if (sub == QLatin1String("review") || sub == QLatin1String("mask"))
        return classify(sub == QLatin1String("mask"));
    if (sub == QLatin1String("retention"))
        return retention();
    if (sub == QLatin1String("notice") || sub == QLatin1String("timezone"))
        return requestSettings(sub == QLatin1String("notice"));
    if (sub == QLatin1String("webhook"))
        return webhook();
    return m_ctx.usage(
        QStringLiteral("unknown project subcommand '%1' (list, show, policy, review, mask, retention, notice, timezone, "
                       "webhook)")
            .arg(sub));
}

int ProjectCommands::list()
{
    QString error;
    if (m_ctx.cl.positional().size() > 2)
        return m_ctx.usage(QStringLiteral("project list takes no argument '%1'").arg(m_ctx.cl.positional().at(2)));
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("project list"), &error))
        return m_ctx.usage(error);
    int code = ExitOk;
    if (!open(&code))
        return code;
    const QList<Project> projects = m_ctx.catalog.projects();
    if (m_ctx.json) {
        QJsonArray list;
        for (const Project& p : projects) {
            list.append(QJsonObject{{QStringLiteral("id"), p.id},
                                    {QStringLiteral("name"), p.name},
                                    {QStringLiteral("policy"),
                                     p.policyPath.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(p.policyPath)},
                                    {QStringLiteral("environments"), int(m_ctx.catalog.environments(p.id).size())}});
        }
        m_ctx.printJson(QJsonDocument(list));
        return ExitOk;
    }
    if (projects.isEmpty()) {
        m_ctx.err << QStringLiteral("No projects in %1. dataalm demo creates one; so does dataalm env add --project.\n")
                         .arg(m_ctx.catalog.folder());
        return ExitOk;
    }
    const QString row = QStringLiteral("%1  %2  %3\n");
    m_ctx.out << row.arg(QStringLiteral("ID"), -16).arg(QStringLiteral("ENVS"), 4).arg(QStringLiteral("POLICY"));
    for (const Project& p : projects)
        m_ctx.out << row.arg(p.id, -16)
                         .arg(m_ctx.catalog.environments(p.id).size(), 4)
                         .arg(p.policyPath.isEmpty() ? QStringLiteral("default") : p.policyPath);
    m_ctx.out.flush();
    return ExitOk;
}

int ProjectCommands::show()
{
    QString error;
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3)
        return m_ctx.usage(pos.size() < 3 ? QStringLiteral("project show needs a project id")
                                          : QStringLiteral("project show takes one project, not '%1'").arg(pos.at(3)));
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("project show"), &error))
        return m_ctx.usage(error);
    int code = ExitOk;
    if (!open(&code))
        return code;
    const QString id = pos.at(2);
    const std::optional<Project> project = m_ctx.catalog.project(id);
    if (!project)
        return m_ctx.fail(ExitUnknown,
                          QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(id));
    QString path;
    const std::optional<DataPolicy> policy = ProjectPolicies(m_ctx.catalog).policy(id, &path, &error);
    if (!policy)
        return m_ctx.fail(ExitFailed, QStringLiteral("the data policy of %1 cannot be read: %2")
                                          .arg(id, QString(error).replace(QStringLiteral(":\n"), QStringLiteral(": ")).replace(QLatin1Char('\n'), QStringLiteral("; "))));
    QStringList envs;
    for (const Environment& e : m_ctx.catalog.environments(id))
        envs << e.id;

    if (m_ctx.json) {
        QJsonArray rules;
        for (const PolicyRule& r : policy->rules()) {
            QJsonObject o = r.toJson();
            o.insert(QStringLiteral("description"), r.describe());
            rules.append(o);
        }
        QJsonObject p{{QStringLiteral("default"), path.isEmpty()},
                      {QStringLiteral("path"), path.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(path)},
                      {QStringLiteral("rules"), rules}};
        if (!policy->name().isEmpty())
            p.insert(QStringLiteral("name"), policy->name());
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("id"), project->id},
                                                  {QStringLiteral("name"), project->name},
                                                  {QStringLiteral("environments"), QJsonArray::fromStringList(envs)},
                                                  {QStringLiteral("policy"), p}}));
        return ExitOk;
    }
    QTextStream& out = m_ctx.out;
    out << (project->name == project->id ? project->id + QLatin1Char('\n')
                                         : QStringLiteral("%1 (%2)\n").arg(project->name, project->id));
    out << QStringLiteral("  Environments: %1\n")
               .arg(envs.isEmpty() ? QStringLiteral("none") : envs.join(QStringLiteral(", ")));
    out << QStringLiteral("  Data policy:  %1\n")
               .arg(path.isEmpty() ? QStringLiteral("default (built in, for Dynamics 365 databases)") : path);
    if (!policy->name().isEmpty())
        out << QStringLiteral("  Policy name:  %1\n").arg(policy->name());
    out << QStringLiteral("  Rules (%1, applied in this order):\n").arg(policy->rules().size());
    for (const PolicyRule& r : policy->rules())
        out << QStringLiteral("    %1  %2  %3 (%4)\n")
                   .arg(r.id, -24)
                   .arg(PolicyRule::actionName(r.action), -11)
                   .arg(r.describe(), PolicyRule::reasonName(r.reason));
    out.flush();
    return ExitOk;
}

int ProjectCommands::policy()
{
    QString error;
    const QStringList& pos = m_ctx.cl.positional();
    const bool toDefault = m_ctx.cl.has(QStringLiteral("default"));
    if (pos.size() < 3)
        return m_ctx.usage(QStringLiteral("project policy needs a project id, then a policy FILE or --default"));
    if (!m_ctx.cl.onlyAllows({QStringLiteral("default")}, QStringLiteral("project policy"), &error))
        return m_ctx.usage(error);
    if (toDefault && pos.size() > 3)
        return m_ctx.usage(QStringLiteral("project policy --default takes no FILE ('%1')").arg(pos.at(3)));
    if (!toDefault && pos.size() != 4)
        return m_ctx.usage(pos.size() < 4 ? QStringLiteral("project policy needs a policy FILE (or --default)")
                                          : QStringLiteral("project policy takes one FILE, not '%1'").arg(pos.at(4)));
    const QString id = pos.at(2);
    const QString file = toDefault ? QString() : QFileInfo(pos.at(3)).absoluteFilePath();
    if (!toDefault && !QFileInfo(file).isFile())
        return m_ctx.usage(QStringLiteral("the policy file %1 does not exist").arg(file));
    int code = ExitOk;
    if (!open(&code))
        return code;

    ProjectPolicies policies(m_ctx.catalog);
    ProjectPolicies::Refusal refusal = ProjectPolicies::Refusal::None;
    const bool ok =
        toDefault ? policies.useDefault(id, &error, &refusal) : policies.install(id, file, &error, &refusal);
    if (!ok) {
        const QString line = QString(error).replace(QStringLiteral(":\n"), QStringLiteral(": ")).replace(QLatin1Char('\n'), QStringLiteral("; "));
        switch (refusal) {
        case ProjectPolicies::Refusal::UnknownProject:
            return m_ctx.fail(ExitUnknown, line);
        case ProjectPolicies::Refusal::InvalidPolicy:
            return m_ctx.usage(line);
        case ProjectPolicies::Refusal::NotAllowed:
            return m_ctx.fail(ExitNotAllowed, line);
        case ProjectPolicies::Refusal::None:
        case ProjectPolicies::Refusal::Failed:
            break;
        }
        return m_ctx.fail(ExitFailed, line);
    }
    QString path;
    const std::optional<DataPolicy> now = policies.policy(id, &path, &error);
    const int rules = now ? int(now->rules().size()) : 0;
    if (m_ctx.json) {
        m_ctx.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("project"), id},
                        {QStringLiteral("default"), path.isEmpty()},
                        {QStringLiteral("path"), path.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(path)},
                        {QStringLiteral("rules"), rules}}));
        return ExitOk;
    }
    if (path.isEmpty())
        m_ctx.out << QStringLiteral("%1 now applies the default data policy (%2 rules)\n").arg(id).arg(rules);
    else
        m_ctx.out
            << QStringLiteral("%1 now applies %2 (%3 rules, copied from %4)\n").arg(id, path).arg(rules).arg(file);
    m_ctx.out.flush();
    return ExitOk;
}

int ProjectCommands::classify(bool mask)
{
    QString error;
    const QStringList& pos = m_ctx.cl.positional();
    const QString what = mask ? QStringLiteral("project mask") : QStringLiteral("project review");
    if (pos.size() != 5)
        return m_ctx.usage(QStringLiteral("%1 needs a project, a table and a column%2")
                               .arg(what, mask ? QStringLiteral(", then --as KIND") : QString()));
    if (!m_ctx.cl.onlyAllows(mask ? QStringList{QStringLiteral("as")} : QStringList{}, what, &error))
        return m_ctx.usage(error);
    const QString kind = m_ctx.cl.value(QStringLiteral("as"));
    if (mask && !Masker::kindFromName(kind))
        return m_ctx.usage(QStringLiteral("project mask needs --as KIND, one of %1")
                               .arg(Masker::kindNames().join(QStringLiteral(", "))));
    const QString id = pos.at(2);
    const QString table = pos.at(3);
    const QString column = pos.at(4);
    int code = ExitOk;
    if (!open(&code))
        return code;
    ProjectPolicies policies(m_ctx.catalog);
    QString path;
    const std::optional<DataPolicy> current = policies.policy(id, &path, &error);
    if (!current)
        return m_ctx.fail(m_ctx.catalog.project(id) ? ExitFailed : ExitUnknown, error);
    if (const QString rule = current->ruleCovering(table, column); !rule.isEmpty())
        return m_ctx.fail(ExitNotAllowed,
                          mask ? QStringLiteral("%1.%2 is covered by rule \"%3\" already: change that rule in the "
                                                "policy file (dataalm project policy) instead")
                                     .arg(table, column, rule)
                               : QStringLiteral("%1.%2 is covered by rule \"%3\": marking it reviewed would change "
                                                "nothing")
                                     .arg(table, column, rule));
    const DataPolicy changed = mask ? current->withRule(PolicyCoverage::maskRule(*current, table, column, kind))
                                    : current->withReviewed(table, column);
    const QString change = mask ? QStringLiteral("%1.%2 masked as %3").arg(table, column, kind)
                                : QStringLiteral("%1.%2 reviewed as safe to copy").arg(table, column);
    ProjectPolicies::Refusal refusal = ProjectPolicies::Refusal::None;
    if (!policies.installPolicy(id, changed, change, &error, &refusal)) {
        const QString line = QString(error).replace(QStringLiteral(":\n"), QStringLiteral(": ")).replace(QLatin1Char('\n'), QStringLiteral("; "));
        return m_ctx.fail(refusal == ProjectPolicies::Refusal::NotAllowed ? ExitNotAllowed
                          : refusal == ProjectPolicies::Refusal::InvalidPolicy ? ExitUsage
                                                                               : ExitFailed,
                          line);
    }
    if (m_ctx.json) {
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("project"), id},
                                                  {QStringLiteral("change"), change},
                                                  {QStringLiteral("path"), policies.pathFor(id)}}));
        return ExitOk;
    }
    m_ctx.out << QStringLiteral("%1: %2 (%3)\n").arg(id, change, policies.pathFor(id));
    m_ctx.out.flush();
    return ExitOk;
}

int ProjectCommands::retention()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("production"), QStringLiteral("other")}, QStringLiteral("project retention"),
                             &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3)
        return m_ctx.usage(QStringLiteral("project retention takes one project: project retention PROJECT "
                                          "[--production DAYS] [--other DAYS]"));
    int production = 0;
    int other = 0;
    if (m_ctx.cl.has(QStringLiteral("production")) &&
        !m_ctx.cl.intValue(QStringLiteral("production"), &production, &error, 1, 3650))
        return m_ctx.usage(error);
    if (m_ctx.cl.has(QStringLiteral("other")) && !m_ctx.cl.intValue(QStringLiteral("other"), &other, &error, 1, 3650))
        return m_ctx.usage(error);
    int code = ExitOk;
    if (!open(&code))
        return code;
    const QString id = pos.at(2);
    if (!m_ctx.catalog.project(id))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(id));
    RestorePointStore store(m_ctx.catalog);
    if (production == 0)
        production = store.retentionDays(id, EnvironmentType::Production);
    if (other == 0)
        other = store.retentionDays(id, EnvironmentType::Sandbox);
    if ((m_ctx.cl.has(QStringLiteral("production")) || m_ctx.cl.has(QStringLiteral("other"))) &&
        !store.setRetention(id, production, other, &error))
        return m_ctx.fail(ExitFailed, error);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("project"), id},
                                                  {QStringLiteral("production"), production},
                                                  {QStringLiteral("other"), other}}));
    else
        m_ctx.out << QStringLiteral("%1 keeps restore points %2 days on production, %3 days on the others\n")
                         .arg(id)
                         .arg(production)
                         .arg(other);
    return ExitOk;
}

int ProjectCommands::requestSettings(bool notice)
{
    QString error;
    const QString option = notice ? QStringLiteral("minutes") : QStringLiteral("zone");
    const QString command = notice ? QStringLiteral("project notice") : QStringLiteral("project timezone");
    if (!m_ctx.cl.onlyAllows({option}, command, &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() != 3)
        return m_ctx.usage(QStringLiteral("%1 takes one project: %1 PROJECT [--%2 %3]")
                               .arg(command, option, notice ? QStringLiteral("N") : QStringLiteral("ZONE")));
    int minutes = 0;
    if (notice && m_ctx.cl.has(option) && !m_ctx.cl.intValue(option, &minutes, &error, 0, 60 * 24 * 90))
        return m_ctx.usage(error);
    int code = ExitOk;
    if (!open(&code))
        return code;
    const QString id = pos.at(2);
    if (!m_ctx.catalog.project(id))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(id));
    RequestService service(m_ctx.catalog);
    if (m_ctx.cl.has(option)) {
        const bool ok = notice ? service.setMinimumNotice(id, minutes, &error)
                               : service.setTimeZone(id, m_ctx.cl.value(option).toUtf8(), &error);
        if (!ok)
            return m_ctx.fail(notice ? ExitFailed : ExitUsage, error);
    }
    const int current = service.minimumNoticeMinutes(id);
    const QString zone = QString::fromUtf8(service.timeZone(id).id());
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("project"), id},
                                                  {QStringLiteral("minimumNoticeMinutes"), current},
                                                  {QStringLiteral("timeZone"), zone}}));
    else if (notice)
        m_ctx.out << (current == 0 ? QStringLiteral("%1 takes requests with no notice\n").arg(id)
                                   : QStringLiteral("%1 asks %2 minutes of notice for a request\n").arg(id).arg(current));
    else
        m_ctx.out << QStringLiteral("%1 reads and shows windows in %2\n").arg(id, zone);
    return ExitOk;
}

int ProjectCommands::webhook()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("project webhook"), &error))
        return m_ctx.usage(error);
    const QStringList& pos = m_ctx.cl.positional();
    const QString verb = pos.value(2);
    const bool needsUrl = verb == QLatin1String("add") || verb == QLatin1String("remove");
    if ((!needsUrl && verb != QLatin1String("list")) || pos.size() != (needsUrl ? 5 : 4))
        return m_ctx.usage(QStringLiteral("project webhook add|remove PROJECT URL, or project webhook list PROJECT"));
    int code = ExitOk;
    if (!open(&code))
        return code;
    const QString id = pos.at(3);
    if (!m_ctx.catalog.project(id))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown project '%1' (dataalm project list shows them)").arg(id));
    NotificationOutbox outbox(m_ctx.catalog);
    if (verb == QLatin1String("add")) {
        if (!outbox.addWebhook(id, pos.at(4), &error))
            return m_ctx.fail(ExitUsage, error);
    } else if (verb == QLatin1String("remove")) {
        if (!outbox.removeWebhook(id, pos.at(4), &error))
            return m_ctx.fail(ExitUnknown, error);
    }
    QJsonArray hooks;
    for (const NotificationOutbox::Webhook& w : outbox.webhooks(id))
        hooks.append(QJsonObject{{QStringLiteral("id"), w.id}, {QStringLiteral("url"), w.url}});
    QJsonArray deliveries;
    for (const NotificationOutbox::Delivery& d : outbox.recent(id)) {
        deliveries.append(QJsonObject{{QStringLiteral("id"), d.id},
                                      {QStringLiteral("url"), d.url},
                                      {QStringLiteral("event"), d.event},
                                      {QStringLiteral("operation"), d.operationId},
                                      {QStringLiteral("state"), d.state},
                                      {QStringLiteral("attempts"), d.attempts},
                                      {QStringLiteral("error"), d.lastError.isEmpty() ? QJsonValue() : QJsonValue(d.lastError)}});
    }
    if (m_ctx.json) {
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("project"), id},
                                                  {QStringLiteral("webhooks"), hooks},
                                                  {QStringLiteral("deliveries"), deliveries}}));
        return ExitOk;
    }
    if (hooks.isEmpty())
        m_ctx.out << QStringLiteral("%1 has no webhook\n").arg(id);
    for (const QJsonValue& h : hooks)
        m_ctx.out << QStringLiteral("webhook %1\n").arg(h.toObject().value(QStringLiteral("url")).toString());
    for (const QJsonValue& v : deliveries) {
        const QJsonObject d = v.toObject();
        m_ctx.out << QStringLiteral("  %1 of operation %2: %3 after %4 attempt(s)%5\n")
                         .arg(d.value(QStringLiteral("event")).toString())
                         .arg(d.value(QStringLiteral("operation")).toInteger())
                         .arg(d.value(QStringLiteral("state")).toString())
                         .arg(d.value(QStringLiteral("attempts")).toInt())
                         .arg(d.value(QStringLiteral("error")).isNull()
                                  ? QString()
                                  : QStringLiteral(" (") + d.value(QStringLiteral("error")).toString() + QLatin1Char(')'));
    }
    return ExitOk;
}
