#include "registration/EnvironmentRegistration.h"

#include "operation/OperationRules.h"
#include "catalog/Catalog.h"
#include "core/TestHooks.h"
#include "engine/DatabaseEngine.h"
#include "registration/DatabasePrivileges.h"
#include "environment/DatabaseUrl.h"
#include "catalog/OperationStore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace {

using Problem = EnvironmentRegistration::Problem;
using Outcome = EnvironmentRegistration::Outcome;
using Refusal = EnvironmentRegistration::Refusal;

bool isVersion(const QString& v)
{
    static const QRegularExpression version(QStringLiteral("^[0-9]{1,9}(\\.[0-9]{1,9}){0,5}$"));
    return version.match(v).hasMatch();
}

bool isAccount(const QString& v)
{
    static const QRegularExpression account(QStringLiteral("^[^\\s]{1,254}$"));
    return account.match(v).hasMatch();
}

QString fieldOf(const QString& role)
{
    return QStringLiteral("db:") + role;
}

// What makes two references the same database, as far as can be told without
// opening them: the file (links resolved), or the server and database name.
QString identity(const DatabaseRef& r)
{
    if (r.isSqlite()) {
        const QString canonical = QFileInfo(r.path).canonicalFilePath();
        return QStringLiteral("sqlite:") + (canonical.isEmpty() ? QDir::cleanPath(r.path) : canonical);
    }
    QString host = r.host.toLower();
    if (host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1") || host == QLatin1String("::1"))
        host = QStringLiteral("loopback");
    return QStringLiteral("postgres:%1:%2/%3").arg(host).arg(r.port).arg(r.name);
}

Outcome refused(Outcome o, Refusal why, const QString& message)
{
    o.refusal = why;
    o.message = message;
    return o;
}

Outcome invalid(Outcome o)
{
    QStringList lines;
    for (const Problem& p : std::as_const(o.problems))
        lines << p.message;
    return refused(std::move(o), Refusal::Invalid, lines.join(QLatin1Char('\n')));
}

// Applies the fields `draft` gives to `e` (already checked by checkDraft); `changed`
// collects the fields whose value differs.
void apply(const EnvironmentDraft& draft, Environment& e, QStringList* changed)
{
    const auto set = [&](const std::optional<QString>& value, QString& field, const char* name, bool clearable) {
        if (!value)
            return;
        const QString v = clearable && *value == EnvironmentDraft::None ? QString() : value->trimmed();
        if (v != field) {
            field = v;
            *changed << QLatin1String(name);
        }
    };
    set(draft.project, e.projectId, "project", false);
    set(draft.name, e.name, "name", false);
    set(draft.tenant, e.tenant, "tenant", false);
    set(draft.admin, e.admin, "admin", false);
    set(draft.application, e.versions.application, "application", false);
    set(draft.financialReporting, e.versions.financialReporting, "financialReporting", true);
    set(draft.commerce, e.versions.commerce, "commerce", true);
    if (draft.type) {
        const EnvironmentType t = environmentTypeFromId(*draft.type).value_or(e.type);
        if (t != e.type) {
            e.type = t;
            *changed << QStringLiteral("type");
        }
    }
    if (draft.platform) {
        const int p = draft.platform->toInt();
        if (p != e.versions.platform) {
            e.versions.platform = p;
            *changed << QStringLiteral("platform");
        }
    }
    for (auto it = draft.databases.cbegin(); it != draft.databases.cend(); ++it) {
        const QString& role = it.key();
        QList<DatabaseRef> kept;
        const DatabaseRef* before = e.database(role);
        for (const DatabaseRef& db : std::as_const(e.databases)) {
            if (db.role != role)
                kept << db;
        }
        if (it.value() == EnvironmentDraft::None) {
            if (before)
                *changed << fieldOf(role);
            e.databases = kept;
            continue;
        }
        QString error;
        std::optional<DatabaseRef> ref = DatabaseUrl::parse(it.value(), &error);
        if (!ref)
            continue; // checkDraft refused it
        ref->role = role;
        if (!before || before->toJson() != ref->toJson())
            *changed << fieldOf(role);
        kept << *ref;
        e.databases = kept;
    }
    // Transactional first, as the catalog lists them.
    std::stable_sort(e.databases.begin(), e.databases.end(), [](const DatabaseRef& a, const DatabaseRef& b) {
        return a.role == DatabaseRef::Transactional && b.role != DatabaseRef::Transactional;
    });
}

} // namespace

EnvironmentRegistration::EnvironmentRegistration(Catalog& catalog) : m_catalog(catalog) {}

bool EnvironmentRegistration::isValidEnvironmentId(const QString& id)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,62}$"));
    return re.match(id).hasMatch();
}

bool EnvironmentRegistration::isValidProjectId(const QString& id)
{
    // The demo's rule (dataalm demo --project).
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9-]{0,30}$"));
    return re.match(id).hasMatch();
}

QList<Problem> EnvironmentRegistration::checkDraft(const EnvironmentDraft& d, bool isEdit)
{
    QList<Problem> problems;
    const auto problem = [&](const QString& field, const QString& message) { problems << Problem{field, message}; };

    if (d.id.isEmpty())
        problem(QStringLiteral("id"), QStringLiteral("the environment needs an id"));
    else if (!isValidEnvironmentId(d.id))
        problem(QStringLiteral("id"), QStringLiteral("the environment id '%1' must be 1 to 63 lower-case letters, "
                                                     "digits, '.', '_' or '-', starting with a letter or digit")
                                          .arg(d.id));
    if (isEdit && d.isEmpty())
        problem(QString(), QStringLiteral("nothing to change: give at least one of --project, --name, --type, "
                                          "--tenant, --admin, --application, --platform, --financial-reporting, "
                                          "--commerce, --db"));

    const auto required = [&](const std::optional<QString>& value, const char* field, const char* option) {
        if (!isEdit && !value)
            problem(QLatin1String(field), QStringLiteral("--%1 is required").arg(QLatin1String(option)));
    };
    required(d.project, "project", "project");
    required(d.type, "type", "type");
    required(d.tenant, "tenant", "tenant");
    required(d.admin, "admin", "admin");
    required(d.application, "application", "application");
    required(d.platform, "platform", "platform");
    if (!isEdit && !d.databases.contains(DatabaseRef::Transactional))
        problem(fieldOf(DatabaseRef::Transactional),
                QStringLiteral("--db transactional=URL is required (every environment has a transactional database)"));

    if (d.project && !isValidProjectId(*d.project))
        problem(QStringLiteral("project"), QStringLiteral("--project takes a lower-case name of letters, digits and "
                                                          "dashes starting with a letter, not '%1'")
                                               .arg(*d.project));
    if (d.name && (d.name->trimmed().isEmpty() || d.name->size() > 200))
        problem(QStringLiteral("name"), QStringLiteral("--name takes a name of 1 to 200 characters"));
    if (d.type && !environmentTypeFromId(*d.type))
        problem(QStringLiteral("type"),
                QStringLiteral("--type takes production, sandbox or devtest, not '%1'").arg(*d.type));
    if (d.tenant && !isAccount(*d.tenant))
        problem(QStringLiteral("tenant"),
                QStringLiteral("--tenant takes a tenant name without spaces, not '%1'").arg(*d.tenant));
    if (d.admin && !isAccount(*d.admin))
        problem(QStringLiteral("admin"),
                QStringLiteral("--admin takes an account name without spaces, not '%1'").arg(*d.admin));
    if (d.application && !isVersion(*d.application))
        problem(QStringLiteral("application"),
                QStringLiteral("--application takes a release number such as 10.0.40, not '%1'").arg(*d.application));
    if (d.platform) {
        bool ok = false;
        const int p = d.platform->toInt(&ok);
        if (!ok || p < 1 || p > 100000)
            problem(QStringLiteral("platform"),
                    QStringLiteral("--platform takes a platform update number such as 64, not '%1'").arg(*d.platform));
    }
    if (d.financialReporting && *d.financialReporting != EnvironmentDraft::None && !isVersion(*d.financialReporting))
        problem(QStringLiteral("financialReporting"),
                QStringLiteral("--financial-reporting takes a version such as 7.0.10040.3 (or none), not '%1'")
                    .arg(*d.financialReporting));
    if (d.commerce && *d.commerce != EnvironmentDraft::None && !isVersion(*d.commerce))
        problem(QStringLiteral("commerce"),
                QStringLiteral("--commerce takes a version such as 9.50 (or none), not '%1'").arg(*d.commerce));

    QHash<QString, QString> seen; // identity -> role
    QStringList givenRoles = d.databases.keys();
    // Transactional first: a database given twice is the other role's problem.
    std::stable_partition(givenRoles.begin(), givenRoles.end(),
                          [](const QString& r) { return r == DatabaseRef::Transactional; });
    for (const QString& role : std::as_const(givenRoles)) {
        const QString url = d.databases.value(role);
        if (!DatabaseUrl::roles().contains(role)) {
            problem(fieldOf(role), QStringLiteral("--db takes ROLE=URL with ROLE %1, not '%2'")
                                       .arg(DatabaseUrl::roles().join(QStringLiteral(" or ")), role));
            continue;
        }
        if (url == EnvironmentDraft::None) {
            if (role == DatabaseRef::Transactional)
                problem(fieldOf(role), QStringLiteral("the transactional database cannot be removed: every "
                                                      "environment has one"));
            else if (!isEdit)
                problem(fieldOf(role), QStringLiteral("--db %1=none only removes a database in env edit").arg(role));
            continue;
        }
        QString error;
        const std::optional<DatabaseRef> ref = DatabaseUrl::parse(url, &error);
        if (!ref) {
            problem(fieldOf(role), QStringLiteral("the %1 database: %2").arg(role, error));
            continue;
        }
        const QString key = identity(*ref);
        if (seen.contains(key))
            problem(fieldOf(role), QStringLiteral("the %1 and %2 databases are the same database (%3)")
                                       .arg(seen.value(key), role, ref->location()));
        seen.insert(key, role);
    }
    return problems;
}

QString EnvironmentRegistration::usedElsewhere(const DatabaseRef& ref, const QString& environmentId) const
{
    const QString key = identity(ref);
    for (const Environment& other : m_catalog.environments()) {
        if (other.id == environmentId)
            continue;
        for (const DatabaseRef& db : other.databases) {
            if (identity(db) == key)
                return QStringLiteral("%1's %2 database").arg(other.id, db.role);
        }
    }
    return {};
}

void EnvironmentRegistration::checkDatabasesFree(const Environment& e, const QStringList& roles, Outcome& o) const
{
    for (const DatabaseRef& db : e.databases) {
        if (!roles.contains(db.role))
            continue;
        const QString other = usedElsewhere(db, e.id);
        if (!other.isEmpty())
            o.problems << Problem{fieldOf(db.role),
                                  QStringLiteral("the %1 database %2 is already registered as %3; two environments "
                                                 "cannot share a database (a refresh would replace both)")
                                      .arg(db.role, db.location(), other)};
    }
}

Outcome EnvironmentRegistration::prepareAdd(const EnvironmentDraft& draft) const
{
    Outcome o;
    o.problems = checkDraft(draft, false);
    if (!o.problems.isEmpty())
        return invalid(o);
    if (m_catalog.environment(draft.id)) {
        o.problems << Problem{QStringLiteral("id"), QStringLiteral("an environment with id %1 already exists (dataalm "
                                                                   "env edit %1 changes it)")
                                                        .arg(draft.id)};
        return invalid(o);
    }
    Environment& e = o.environment;
    e.id = draft.id;
    e.name = draft.id;
    e.state = QStringLiteral("Deployed");
    QStringList changed;
    apply(draft, e, &changed);
    o.projectCreated = !m_catalog.project(e.projectId).has_value();
    checkDatabasesFree(e, DatabaseUrl::roles(), o);
    if (!o.problems.isEmpty())
        return invalid(o);
    o.untested = e.databases;
    return o;
}

Outcome EnvironmentRegistration::prepareEdit(const EnvironmentDraft& draft) const
{
    Outcome o;
    o.problems = checkDraft(draft, true);
    if (!o.problems.isEmpty())
        return invalid(o);
    const std::optional<Environment> existing = m_catalog.environment(draft.id);
    if (!existing)
        return refused(o, Refusal::Unknown,
                       QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(draft.id));
    o.environment = *existing;
    apply(draft, o.environment, &o.changed);
    if (o.changed.isEmpty())
        return o;
    const bool moves = o.changed.contains(QStringLiteral("project")) ||
                       !o.changed.filter(QRegularExpression(QStringLiteral("^db:"))).isEmpty();
    const QString busy = blocker(draft.id, moves);
    if (!busy.isEmpty())
        return refused(o, Refusal::NotAllowed, QStringLiteral("%1 cannot be changed now: %2").arg(draft.id, busy));
    QStringList roles;
    for (const QString& f : std::as_const(o.changed)) {
        if (f.startsWith(QLatin1String("db:")))
            roles << f.mid(3);
    }
    checkDatabasesFree(o.environment, roles, o);
    if (!o.problems.isEmpty())
        return invalid(o);
    for (const DatabaseRef& db : std::as_const(o.environment.databases)) {
        if (roles.contains(db.role))
            o.untested << db;
    }
    if (o.changed.contains(QStringLiteral("project")))
        o.projectCreated = !m_catalog.project(o.environment.projectId).has_value();
    return o;
}

namespace {

// Marks an Identities value that holds why a database could not be identified.
const QString UnidentifiedMark = QStringLiteral("\x01");

} // namespace

QString EnvironmentRegistration::identityKey(const DatabaseRef& ref)
{
    return QString::fromUtf8(QJsonDocument(ref.toJson()).toJson(QJsonDocument::Compact));
}

EnvironmentRegistration::Identities EnvironmentRegistration::identify(const QList<DatabaseRef>& databases)
{
    Identities found;
    for (const DatabaseRef& db : databases) {
        auto engine = DatabaseEngine::forDatabase(db);
        QString id;
        QString e;
        if (engine && engine->identify(db, &id, &e))
            found.insert(identityKey(db), id);
        else
            found.insert(identityKey(db), UnidentifiedMark + (engine ? e : QStringLiteral("no engine for it")));
    }
    return found;
}

QList<DatabaseRef> EnvironmentRegistration::databasesToCompare(const Outcome& prepared) const
{
    QList<DatabaseRef> all = prepared.environment.databases;
    for (const Environment& other : m_catalog.environments()) {
        if (other.id != prepared.environment.id)
            all << other.databases;
    }
    return all;
}

void EnvironmentRegistration::testAndWarn(Outcome& o, Connections connections, const Identities& given) const
{
    // Nothing new to open or compare: the databases stay what they were.
    if (o.untested.isEmpty())
        return;
    if (connections == Connections::AlreadyTested) {
        checkIdentities(o, given);
        if (!o.problems.isEmpty())
            o = invalid(o);
        return;
    }
    o.connections = DatabaseConnectionTest::run(o.untested);
    QStringList failures;
    for (const DatabaseConnectionTest::Result& r : std::as_const(o.connections)) {
        if (!r.ok)
            failures << QStringLiteral("the %1 database %2 cannot be opened: %3")
                            .arg(r.database.role, r.database.location(), r.error);
    }
    if (!failures.isEmpty()) {
        o.refusal = Refusal::Unreachable;
        o.message = failures.join(QLatin1Char('\n'));
        return;
    }
    // Two environments never share a database, whatever name reaches it (an alias of the
    // server, its address, a forwarded port, a link to the file): compare what the
    // databases are, as the engines identify them, not their URLs.
    checkIdentities(o, identify(databasesToCompare(o)));
    if (!o.problems.isEmpty()) {
        o = invalid(o);
        return;
    }
    // A sandbox is a refresh target: say now what would block its refreshes.
    if (o.environment.type != EnvironmentType::Sandbox)
        return;
    for (const DatabaseRef& db : std::as_const(o.untested)) {
        if (!db.isPostgres())
            continue;
        QString e;
        const std::optional<DatabasePrivileges> p = DatabasePrivileges::read(db, &e);
        if (p && !p->problem(db).isEmpty())
            o.warnings << QStringLiteral("refreshes into %1 will be blocked until its %2 database is fixed: %3")
                              .arg(o.environment.id, db.role, p->problem(db));
    }
}

void EnvironmentRegistration::checkIdentities(Outcome& o, const Identities& identities) const
{
    auto identify = [&identities](const DatabaseRef& db, QString* identity, QString* error) {
        const QString found = identities.value(identityKey(db));
        if (found.isEmpty() || found.startsWith(UnidentifiedMark)) {
            *error = found.isEmpty() ? QStringLiteral("it was not identified") : found.mid(UnidentifiedMark.size());
            return false;
        }
        *identity = found;
        return true;
    };
    QMap<QString, QString> mine; // identity -> role of this environment
    for (const DatabaseRef& db : o.environment.databases) {
        QString id;
        QString e;
        if (!identify(db, &id, &e)) {
            o.problems << Problem{fieldOf(db.role), QStringLiteral("the %1 database %2 cannot be identified: %3")
                                                        .arg(db.role, db.location(), e)};
            continue;
        }
        if (mine.contains(id))
            o.problems << Problem{fieldOf(db.role),
                                  QStringLiteral("the %1 and %2 databases are one database, reached under two names "
                                                 "(%3)")
                                      .arg(mine.value(id), db.role, db.location())};
        mine.insert(id, db.role);
    }
    for (const Environment& other : m_catalog.environments()) {
        if (other.id == o.environment.id)
            continue;
        for (const DatabaseRef& db : other.databases) {
            QString id;
            QString e;
            if (!identities.contains(identityKey(db))) {
                // Registered or changed after the databases were identified: compare again.
                o.problems << Problem{QString(), QStringLiteral("%1 was registered or changed while the databases were "
                                                                "checked: save again")
                                                     .arg(other.id)};
                continue;
            }
            if (!identify(db, &id, &e)) {
                o.warnings << QStringLiteral("the %1 database of %2 cannot be opened, so it was not compared with "
                                             "%3's databases: %4")
                                  .arg(db.role, other.id, o.environment.id, e);
                continue;
            }
            if (!mine.contains(id))
                continue;
            const QString role = mine.value(id);
            const DatabaseRef* own = o.environment.database(role);
            o.problems << Problem{fieldOf(role),
                                  QStringLiteral("the %1 database %2 is %3's %4 database %5 under another name: two "
                                                 "environments cannot share a database (a refresh into one would "
                                                 "overwrite the other)")
                                      .arg(role, own ? own->location() : QString(), other.id, db.role, db.location())};
        }
    }
}

Outcome EnvironmentRegistration::add(const EnvironmentDraft& draft, Connections connections,
                                     const Identities& identities)
{
    Outcome o = prepareAdd(draft);
    if (!o.ok())
        return o;
    testAndWarn(o, connections, identities);
    if (!o.ok())
        return o;
    QString error;
    const QString projectId = o.environment.projectId;
    if (o.projectCreated && !m_catalog.project(projectId) &&
        !m_catalog.addProject(Project{projectId, projectId, QString()}, &error))
        return refused(o, Refusal::Failed, error);
    if (!m_catalog.addEnvironment(o.environment, &error)) {
        // Another process may have registered the same id since prepareAdd().
        const bool duplicate = m_catalog.environment(o.environment.id).has_value();
        return refused(o, duplicate ? Refusal::Invalid : Refusal::Failed, error);
    }
    if (auto registered = m_catalog.environment(o.environment.id))
        o.environment = *registered;
    spdlog::info("registered environment {} ({}) in project {}{}", o.environment.id.toStdString(),
                 environmentTypeId(o.environment.type).toStdString(), projectId.toStdString(),
                 o.projectCreated ? " (new project)" : "");
    return o;
}

Outcome EnvironmentRegistration::edit(const EnvironmentDraft& draft, Connections connections,
                                      const Identities& identities)
{
    Outcome o = prepareEdit(draft);
    if (!o.ok() || o.changed.isEmpty())
        return o;
    testAndWarn(o, connections, identities);
    if (!o.ok())
        return o;
    QString error;
    const QString projectId = o.environment.projectId;
    if (o.projectCreated && !m_catalog.project(projectId) &&
        !m_catalog.addProject(Project{projectId, projectId, QString()}, &error))
        return refused(o, Refusal::Failed, error);
    // The checks of prepareEdit() ran before the connection tests: what they refuse is
    // checked again under the catalog's write lock, with the change (a refresh may have
    // started on it meanwhile).
    const bool moves = o.changed.contains(QStringLiteral("project")) ||
                       !o.changed.filter(QRegularExpression(QStringLiteral("^db:"))).isEmpty();
    QString busy;
    const auto check = [&] {
        busy = blocker(o.environment.id, moves);
        return busy.isEmpty() ? QString()
                              : QStringLiteral("%1 cannot be changed now: %2").arg(o.environment.id, busy);
    };
    TestHooks::pausePoint("env-edit-before-write");
    if (!m_catalog.updateEnvironment(o.environment, &error, check))
        return refused(o, busy.isEmpty() ? Refusal::Failed : Refusal::NotAllowed, error);
    if (auto updated = m_catalog.environment(o.environment.id))
        o.environment = *updated;
    spdlog::info("changed environment {}: {}", o.environment.id.toStdString(),
                 o.changed.join(QStringLiteral(", ")).toStdString());
    return o;
}

Outcome EnvironmentRegistration::remove(const QString& id)
{
    Outcome o;
    const std::optional<Environment> existing = m_catalog.environment(id);
    if (!existing)
        return refused(o, Refusal::Unknown,
                       QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(id));
    o.environment = *existing;
    // Under the catalog's write lock: no operation can start on it between the check and the removal
    // (OperationStore::create takes the same lock).
    QSqlDatabase db = m_catalog.database();
    QSqlQuery q(db);
    QString busyError;
    if (!m_catalog.beginWrite(&busyError))
        return refused(o, Refusal::Failed, busyError);
    const QString busy = blocker(id, true);
    if (!busy.isEmpty()) {
        q.exec(QStringLiteral("ROLLBACK"));
        return refused(o, Refusal::NotAllowed, QStringLiteral("%1 cannot be removed now: %2").arg(id, busy));
    }
    QString error;
    if (!m_catalog.removeEnvironment(id, &error)) {
        q.exec(QStringLiteral("ROLLBACK"));
        return refused(o, Refusal::Failed, error);
    }
    if (!q.exec(QStringLiteral("COMMIT"))) {
        const QString e = q.lastError().text();
        q.exec(QStringLiteral("ROLLBACK"));
        return refused(o, Refusal::Failed, QStringLiteral("cannot remove %1: %2").arg(id, e));
    }
    spdlog::info("removed environment {} from the catalog; its databases were kept", id.toStdString());
    return o;
}

QString EnvironmentRegistration::blocker(const QString& id, bool restorePointsToo) const
{
    return OperationRules::environmentInUse(id, OperationStore(m_catalog).listUnsettled(id), restorePointsToo);
}
