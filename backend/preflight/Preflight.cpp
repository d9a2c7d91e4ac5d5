#include "preflight/Preflight.h"
#include "core/ByteSize.h"

#include "coverage/CoverageScan.h"
#include "engine/DatabaseEngine.h"
#include "registration/DatabasePrivileges.h"
#include "policy/DataPolicy.h"
#include "engine/PolicyCounter.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"
#include "operation/OperationRules.h"
#include "preflight/VersionNumber.h"

#include <QJsonArray>
#include <QMap>
#include <QLocale>

namespace {


CheckResult pass(const QString& id, const QString& message)
{
    return {id, CheckResult::Pass, message};
}

CheckResult warn(const QString& id, const QString& message)
{
    return {id, CheckResult::Warn, message};
}

CheckResult fail(const QString& id, const QString& message)
{
    return {id, CheckResult::Fail, message};
}

// A read-only view of one environment's transactional database, on any engine.
struct Opened
{
    DatabaseRef ref;
    std::unique_ptr<DatabaseEngine> engine;
    std::optional<SchemaInfo> schema;
    QString error;

    // A table or column in the database's own spelling, quoted (PostgreSQL names are case-sensitive).
    QString table(const QString& name) const { return PolicySql::quoteIdentifier(schema->tableName(name)); }
    // A column the table lacks is an error of the check (SQLite would read a quoted
    // unknown name as a string literal and answer as if all were well).
    QString column(const QString& table, const QString& name)
    {
        const QString found = schema->columnName(schema->tableName(table), name);
        if (found.isEmpty() && queryError.isEmpty())
            queryError = QStringLiteral("table %1 has no column %2").arg(table, name);
        return PolicySql::quoteIdentifier(found.isEmpty() ? name : found);
    }
    // The integer a query without parameters returns. A check fails closed: when the
    // query fails (a missing column, a locked database) this answers false and keeps the
    // first error in `queryError`, never a 0 that would read as "nothing to worry about".
    bool number(const QString& sql, qint64* value)
    {
        if (!queryError.isEmpty())
            return false;
        QString e;
        const QVariant v = engine->queryValue(ref, PolicyStatement{sql, {}}, &e);
        bool ok = v.isValid();
        if (ok) {
            const QString text = v.toString().trimmed();
            *value = text.isEmpty() ? 0 : text.toLongLong(&ok);
            if (!ok)
                e = QStringLiteral("the query returned \"%1\", not a number").arg(text);
        }
        if (!ok && queryError.isEmpty())
            queryError = e.isEmpty() ? QStringLiteral("the query failed") : e;
        return ok;
    }
    QString queryError;
};

// The keep-target rules against the target, whose own rows they keep: a table the
// target lacks (or shares no column of) is a policy that does not fit the target.
// Columns only the source has are not refusals (the kept rows get their defaults),
// only worth a warning in `notes`.
QStringList keepTargetMisfits(const DataPolicy& policy, const SchemaInfo& source, const SchemaInfo& target,
                              const QString& targetId, QStringList* notes)
{
    QStringList problems;
    for (const PolicyRule& rule : policy.rules()) {
        if (rule.action != PolicyRule::Action::KeepTarget)
            continue;
        if (target.tables().isEmpty()) {
            // A new, empty database: there is nothing of its own to keep yet.
            notes->append(
                QStringLiteral("%1's database has no tables yet, so the keep-target rules keep nothing").arg(targetId));
            return {};
        }
        for (const QString& table : rule.tables) {
            if (!target.hasTable(table)) {
                problems << QStringLiteral("rule \"%1\": table %2, whose rows %3 keeps, does not exist in %3's "
                                           "database")
                                .arg(rule.id, table, targetId);
                continue;
            }
            const QString targetTable = target.tableName(table);
            QStringList common;
            QStringList missing;
            for (const SchemaInfo::Column& c : source.columns(source.tableName(table))) {
                if (c.generated)
                    continue;
                if (target.hasColumn(targetTable, c.name))
                    common << c.name;
                else
                    missing << c.name;
            }
            if (common.isEmpty())
                problems << QStringLiteral("rule \"%1\": table %2 of %3 has no column of the source's table %2, so "
                                           "none of its rows can be kept")
                                .arg(rule.id, targetTable, targetId);
            else if (!missing.isEmpty())
                notes->append(QStringLiteral("rule \"%1\": table %2 of %3 lacks the column(s) %4 of the source; the "
                                             "rows kept get their defaults there")
                                  .arg(rule.id, targetTable, targetId, missing.join(QStringLiteral(", "))));
        }
    }
    return problems;
}

bool openTransactional(const Environment& env, Opened& out)
{
    const DatabaseRef* ref = env.database(DatabaseRef::Transactional);
    if (!ref) {
        out.error = QStringLiteral("%1 has no transactional database").arg(env.id);
        return false;
    }
    out.ref = *ref;
    out.engine = DatabaseEngine::forDatabase(*ref);
    if (!out.engine) {
        out.error = QStringLiteral("%1's transactional database is on %2, which this build cannot read")
                        .arg(env.id, ref->engineTitle());
        return false;
    }
    out.schema = out.engine->readSchema(*ref, &out.error);
    return out.schema.has_value();
}

} // namespace

QStringList Preflight::checkIds()
{
    return {QStringLiteral("distinct-environments"),
            QStringLiteral("target-is-sandbox"),
            QStringLiteral("same-tenant"),
            QStringLiteral("application-release"),
            QStringLiteral("financial-reporting-version"),
            QStringLiteral("platform-update"),
            QStringLiteral("target-idle"),
            QStringLiteral("connectivity"),
            QStringLiteral("distinct-databases"),
            QStringLiteral("same-engine"),
            QStringLiteral("privileges"),
            QStringLiteral("capacity"),
            QStringLiteral("restore-points"),
            QStringLiteral("dmf-recurring-jobs"),
            QStringLiteral("commerce-defaults"),
            QStringLiteral("data-policy"),
            QStringLiteral("policy-coverage")};
}

bool Preflight::Result::blocked() const
{
    return !failures().isEmpty();
}

QList<CheckResult> Preflight::Result::failures() const
{
    QList<CheckResult> f;
    for (const auto& c : checks) {
        if (c.verdict == CheckResult::Fail)
            f.append(c);
    }
    return f;
}

QJsonObject Preflight::Result::toJson() const
{
    QJsonArray checksJson;
    for (const auto& c : checks)
        checksJson.append(c.toJson());
    QJsonArray countsJson;
    for (const auto& c : counts) {
        countsJson.append(QJsonObject{{QStringLiteral("rule"), c.ruleId},
                                      {QStringLiteral("title"), c.title},
                                      {QStringLiteral("reason"), c.reason},
                                      {QStringLiteral("action"), c.action},
                                      {QStringLiteral("tables"), QJsonArray::fromStringList(c.tables)},
                                      {QStringLiteral("rows"), c.rows}});
    }
    QJsonObject json{{QStringLiteral("blocked"), blocked()},
                     {QStringLiteral("checks"), checksJson},
                     {QStringLiteral("policy"), countsJson}};
    if (coverage)
        json.insert(QStringLiteral("coverage"), coverage->toJson());
    return json;
}

QList<CheckResult> Preflight::environmentChecks(const Environment& s, const Environment& t, bool restoring)
{
    QList<CheckResult> checks;
    const auto add = [&checks](const CheckResult& c) { checks.append(c); };
    if (restoring)
        add(pass(QStringLiteral("distinct-environments"),
                 s.id == t.id ? QStringLiteral("%1 goes back to one of its restore points.").arg(t.id)
                              : QStringLiteral("%1 is restored from a restore point of %2.").arg(t.id, s.id)));
    else
        add(s.id == t.id ? fail(QStringLiteral("distinct-environments"),
                                QStringLiteral("The source and the target are both %1. Choose another environment as "
                                               "the source.")
                                    .arg(t.id))
                         : pass(QStringLiteral("distinct-environments"),
                                QStringLiteral("%1 is refreshed from %2.").arg(t.id, s.id)));

    if (restoring)
        add(t.type == EnvironmentType::Production
                ? fail(QStringLiteral("target-is-sandbox"),
                       QStringLiteral("%1 is a production environment; a point-in-time restore replaces a sandbox's "
                                      "or a dev/test environment's database, never production's.")
                           .arg(t.id))
                : pass(QStringLiteral("target-is-sandbox"),
                       QStringLiteral("%1 is a %2 environment.").arg(t.id, environmentTypeTitle(t.type).toLower())));
    else
        add(t.type != EnvironmentType::Sandbox
                ? fail(QStringLiteral("target-is-sandbox"), OperationRules::sandboxTargetRefusal(t))
                : pass(QStringLiteral("target-is-sandbox"), QStringLiteral("%1 is a sandbox.").arg(t.id)));

    add(s.tenant.compare(t.tenant, Qt::CaseInsensitive) != 0
            ? fail(QStringLiteral("same-tenant"),
                   QStringLiteral("%1 belongs to tenant %2 and the source %3 to %4; a refresh cannot cross tenants. "
                                  "Choose a source of tenant %2, or register one (Add environment).")
                       .arg(t.id, t.tenant, s.id, s.tenant))
            : pass(QStringLiteral("same-tenant"), QStringLiteral("Both belong to %1.").arg(t.tenant)));

    const int app = compareVersions(t.versions.application, s.versions.application);
    if (app < 0)
        add(fail(QStringLiteral("application-release"),
                 QStringLiteral("%1 runs application release %2; the source runs %3. Update the target first.")
                     .arg(t.id, t.versions.application, s.versions.application)));
    else if (app > 0)
        add(fail(QStringLiteral("application-release"),
                 QStringLiteral("%1 runs application release %2, newer than the source's %3, and a refresh runs no "
                                "data upgrade. Refresh from a source on %2, or redeploy the target on %3.")
                     .arg(t.id, t.versions.application, s.versions.application)));
    else
        add(pass(QStringLiteral("application-release"),
                 QStringLiteral("Both run application release %1.").arg(t.versions.application)));

    if (restoring)
        add(pass(QStringLiteral("financial-reporting-version"),
                 QStringLiteral("The Financial Reporting database is left as it is; reset it after the restore.")));
    else if (t.versions.financialReporting.isEmpty() && s.versions.financialReporting.isEmpty())
        add(pass(QStringLiteral("financial-reporting-version"),
                 QStringLiteral("Neither environment records a Financial Reporting version.")));
    else if (compareVersions(t.versions.financialReporting, s.versions.financialReporting) < 0)
        add(fail(QStringLiteral("financial-reporting-version"),
                 QStringLiteral("%1 runs Financial Reporting %2, older than the source's %3. Update Financial "
                                "Reporting on the target first.")
                     .arg(t.id, t.versions.financialReporting, s.versions.financialReporting)));
    else
        add(pass(QStringLiteral("financial-reporting-version"),
                 QStringLiteral("The target's Financial Reporting %1 is at least the source's %2.")
                     .arg(t.versions.financialReporting, s.versions.financialReporting)));

    if (t.versions.platform <= 20 || s.versions.platform <= 20) {
        const Environment& old = t.versions.platform <= 20 ? t : s;
        add(fail(QStringLiteral("platform-update"),
                 QStringLiteral("%1 runs platform update %2; refreshes need platform update 21 or later. Update %1 "
                                "first.")
                     .arg(old.id)
                     .arg(old.versions.platform)));
    } else {
        add(pass(QStringLiteral("platform-update"), QStringLiteral("Platform updates %1 and %2 are supported.")
                                                        .arg(s.versions.platform)
                                                        .arg(t.versions.platform)));
    }

    return checks;
}

Preflight::Result Preflight::run(const Input& in, const CheckReported& reported)
{
    Result result;
    auto add = [&](const CheckResult& c) {
        result.checks.append(c);
        if (reported)
            reported(c);
    };
    const Environment& s = in.source;
    const Environment& t = in.target;

    for (const CheckResult& c : environmentChecks(s, t, in.restoring))
        add(c);

    if (in.blocking) {
        add(fail(QStringLiteral("target-idle"), OperationRules::busyRefusal(t.id, *in.blocking)));
    } else {
        add(pass(QStringLiteral("target-idle"), QStringLiteral("%1 has no operation in progress.").arg(t.id)));
    }

    // Connectivity: every database of both sides opens.
    QStringList unreachable;
    QStringList targetUnreachable; // roles of the target's databases that do not open
    qint64 needed = 0;
    qint64 kept = 0; // the target's databases a swap keeps as the restore point
    bool sourceOpens = true; // the side's transactional database opens
    bool targetOpens = true;
    for (const Environment* env : {&s, &t}) {
        bool& opens = env == &s ? sourceOpens : targetOpens;
        for (const DatabaseRef& db : env->databases) {
            auto engine = DatabaseEngine::forDatabase(db);
            QString e;
            const bool transactional = db.role == DatabaseRef::Transactional;
            if (!engine) {
                opens = opens && !transactional;
                unreachable << QStringLiteral("the %1 database of %2 is on %3, which this build cannot use yet")
                                   .arg(db.role, env->id, db.engineTitle());
            } else if ((env == &t && !engine->testWritable(db, &e)) || !engine->test(db, &e)) {
                // The target's writability first: a WAL database on a read-only mount does
                // not even open, and "read-only" is the cause a person can act on.
                opens = opens && !transactional;
                if (env == &t)
                    targetUnreachable << db.role;
                unreachable << QStringLiteral("the %1 database of %2 (%3): %4").arg(db.role, env->id, db.location(), e);
            } else if (in.restoring && db.role != DatabaseRef::Transactional) {
                // A restore copies and swaps the transactional database only.
            } else if (env == &s && t.database(db.role)) {
                needed += engine->sizeBytes(db);
            } else if (env == &t && s.database(db.role)) {
                kept += std::max<qint64>(engine->sizeBytes(db), 0);
            }
        }
    }
    if (!s.database(DatabaseRef::Transactional) || !t.database(DatabaseRef::Transactional))
        unreachable << QStringLiteral("both environments need a transactional database");
    const bool reachable = unreachable.isEmpty();
    add(reachable ? pass(QStringLiteral("connectivity"), QStringLiteral("Every database of both environments opens."))
                  : fail(QStringLiteral("connectivity"),
                         QStringLiteral("Cannot open %1. Check that the database exists and is readable, and that "
                                        "the target's folder can be written.")
                             .arg(unreachable.join(QStringLiteral("; ")))));

    // Distinct databases: no database of the target is one of the source's (or another of
    // its own) under another name (an alias of the server, its address, a forwarded port,
    // a link to the file): the refresh would scrub it and sign-off would drop it. What
    // the engines say the databases are decides (DatabaseEngine::identify), not URLs.
    if (reachable) {
        QMap<QString, QString> seen; // identity -> which database
        QStringList same;
        QStringList unread;
        const QList<const Environment*> sides = s.id == t.id ? QList<const Environment*>{&t}
                                                             : QList<const Environment*>{&s, &t};
        for (const Environment* env : sides) {
            for (const DatabaseRef& db : env->databases) {
                auto engine = DatabaseEngine::forDatabase(db);
                QString id;
                QString e;
                const QString name = QStringLiteral("the %1 database of %2 (%3)").arg(db.role, env->id, db.location());
                if (!engine || !engine->identify(db, &id, &e)) {
                    unread << QStringLiteral("%1: %2").arg(name, e);
                    continue;
                }
                if (seen.contains(id))
                    same << QStringLiteral("%1 is %2").arg(name, seen.value(id));
                else
                    seen.insert(id, name);
            }
        }
        if (!same.isEmpty())
            add(fail(QStringLiteral("distinct-databases"),
                     QStringLiteral("%1: one database reached under two names, which a refresh would overwrite. "
                                    "Register each environment with databases of its own.")
                         .arg(same.join(QStringLiteral("; ")))));
        else if (!unread.isEmpty())
            add(fail(QStringLiteral("distinct-databases"),
                     QStringLiteral("Not checked: %1.").arg(unread.join(QStringLiteral("; ")))));
        else
            add(pass(QStringLiteral("distinct-databases"),
                     QStringLiteral("The databases of %1 and %2 are distinct databases.").arg(s.id, t.id)));
    } else {
        add(fail(QStringLiteral("distinct-databases"), QStringLiteral("Not checked: the databases could not be opened.")));
    }

    // Same engine: a refresh copies SQLite into SQLite and PostgreSQL into PostgreSQL;
    // a cross-engine copy would lose types, defaults and everything beyond the tables.
    QStringList crossing;
    for (const DatabaseRef& tdb : t.databases) {
        const DatabaseRef* sdb = s.database(tdb.role);
        if (sdb && sdb->driver != tdb.driver)
            crossing << QStringLiteral("the %1 database of %2 is on %3 and %4's on %5")
                            .arg(tdb.role, s.id, sdb->engineTitle(), t.id, tdb.engineTitle());
    }
    add(crossing.isEmpty()
            ? pass(QStringLiteral("same-engine"), QStringLiteral("Source and target databases run on the same engine."))
            : fail(QStringLiteral("same-engine"),
                   QStringLiteral("Cannot refresh across database engines: %1. Choose a source whose databases run on "
                                  "the same engine as the target's.")
                       .arg(crossing.join(QStringLiteral("; ")))));

    // Privileges: on a PostgreSQL server the refresh creates the staging database,
    // renames the target into its restore point and drops what it no longer needs.
    QStringList lacking;
    QStringList privilegesUnread;
    QStringList servers;
    for (const DatabaseRef& tdb : t.databases) {
        if (!tdb.isPostgres())
            continue;
        servers << tdb.location();
        QString e;
        const std::optional<DatabasePrivileges> p =
            targetUnreachable.contains(tdb.role) ? std::nullopt : DatabasePrivileges::read(tdb, &e);
        if (!p)
            privilegesUnread << QStringLiteral("the %1 database of %2").arg(tdb.role, t.id);
        else if (!p->problem(tdb).isEmpty())
            lacking << QStringLiteral("for the %1 database of %2, %3").arg(tdb.role, t.id, p->problem(tdb));
    }
    if (servers.isEmpty())
        add(pass(QStringLiteral("privileges"),
                 QStringLiteral("%1's databases are files: no server privileges are needed.").arg(t.id)));
    else if (!lacking.isEmpty())
        add(fail(QStringLiteral("privileges"),
                 QStringLiteral("Missing privileges: %1.").arg(lacking.join(QStringLiteral("; ")))));
    else if (!privilegesUnread.isEmpty())
        add(fail(
            QStringLiteral("privileges"),
            QStringLiteral("Not checked: %1 could not be opened.").arg(privilegesUnread.join(QStringLiteral(", ")))));
    else
        add(pass(QStringLiteral("privileges"),
                 QStringLiteral("The role connected to %1 may create, rename and drop its databases.").arg(t.id)));

    // Capacity: the staging copies are written next to the target's databases.
    if (reachable) {
        const DatabaseRef* tdb = t.database(DatabaseRef::Transactional);
        auto engine = DatabaseEngine::forDatabase(*tdb);
        const qint64 free = engine->freeBytesFor(*tdb);
        const qint64 want = needed + needed / 10 + 16 * 1024 * 1024;
        if (free < 0)
            // A server's disk cannot be seen from here: say so, never pass.
            add(warn(QStringLiteral("capacity"),
                     QStringLiteral("The staging copy needs about %1 on the server of %2, whose free space cannot be "
                                    "read from here. Make sure the server has that much room before you start.")
                         .arg(ByteSize::text(want), t.id)));
        else if (free < want)
            add(fail(QStringLiteral("capacity"),
                     QStringLiteral("%1 has %2 free where its databases live; the staging copy needs about %3. Free "
                                    "some space first.")
                         .arg(t.id, ByteSize::text(free), ByteSize::text(want))));
        else
            add(pass(QStringLiteral("capacity"),
                     QStringLiteral("The staging copy needs about %1; %2 is free.").arg(ByteSize::text(want), ByteSize::text(free))));
    } else {
        add(fail(QStringLiteral("capacity"), QStringLiteral("Not checked: the databases could not be opened.")));
    }

    // Restore points: the target's databases stay on disk, as the restore point, until
    // the refresh is signed off or rolled back; earlier ones not signed off add up.
    const QString keeping = OperationRules::restorePointsKept(t.id, in.keeping);
    const QString thisOne = reachable ? QStringLiteral("about %1").arg(ByteSize::text(kept)) : QStringLiteral("its size");
    const QString what = in.restoring ? QStringLiteral("The restore keeps %1's transactional database")
                                      : QStringLiteral("The refresh keeps %1's databases");
    if (keeping.isEmpty())
        add(pass(QStringLiteral("restore-points"),
                 QStringLiteral("%1 as its restore point (%2) until you sign it off or roll it back; signed off, it "
                                "stays listed until it expires.")
                     .arg(what.arg(t.id), thisOne)));
    else
        add(warn(QStringLiteral("restore-points"),
                 QStringLiteral("%1 This %2 keeps another (%3). Sign off the operations whose results you keep, "
                                "or roll back the latest.")
                     .arg(keeping, in.restoring ? QStringLiteral("restore") : QStringLiteral("refresh"), thisOne)));

    Opened src;
    Opened tgt;
    // Each side is read if its own transactional database opens: a broken target does
    // not make the checks of a healthy source "not checked", nor the other way round.
    const bool srcOpen = sourceOpens && openTransactional(s, src);
    const bool tgtOpen = targetOpens && openTransactional(t, tgt);

    // Data management framework: recurring jobs in the target must be stopped and
    // processed; messages pending in the source would arrive unprocessed.
    if (tgtOpen && srcOpen) {
        const QString table = QStringLiteral("DMFRECURRINGJOB");
        if (!tgt.schema->hasTable(table) && !src.schema->hasTable(table)) {
            add(pass(QStringLiteral("dmf-recurring-jobs"),
                     QStringLiteral("Not a Dynamics 365 database: there are no recurring data jobs to check.")));
        } else {
            // A stopped job's messages will never be processed in the target, and the
            // refresh replaces them: they warn. An enabled job, or messages an enabled
            // job still has to process, block (their files would be orphaned).
            qint64 enabled = 0;
            qint64 pending = 0;
            qint64 stoppedPending = 0;
            const auto pendingSum = [&](Opened& db, const QString& where) {
                return QStringLiteral("SELECT coalesce(sum(%1), 0) FROM %2%3")
                    .arg(db.column(table, QStringLiteral("PENDINGMESSAGES")), db.table(table), where);
            };
            bool read = true;
            tgt.queryError.clear();
            src.queryError.clear();
            if (tgt.schema->hasTable(table)) {
                const QString enabledColumn = tgt.column(table, QStringLiteral("ENABLED"));
                read = tgt.number(QStringLiteral("SELECT count(*) FROM %1 WHERE %2 <> 0")
                                      .arg(tgt.table(table), enabledColumn),
                                  &enabled) &&
                       tgt.number(pendingSum(tgt, QStringLiteral(" WHERE %1 <> 0").arg(enabledColumn)), &pending) &&
                       tgt.number(pendingSum(tgt, QStringLiteral(" WHERE %1 = 0").arg(enabledColumn)),
                                  &stoppedPending);
            }
            qint64 sourcePending = 0;
            if (read && src.schema->hasTable(table))
                read = src.number(pendingSum(src, QString()), &sourcePending);
            QStringList notes;
            if (sourcePending > 0)
                notes << QStringLiteral("The source %1 has %2 unprocessed recurring-job messages; they arrive "
                                        "unprocessed and their files stay behind. Process them in %1 first if you "
                                        "can.")
                             .arg(s.id)
                             .arg(sourcePending);
            if (stoppedPending > 0)
                notes << QStringLiteral("%1 holds %2 unprocessed messages of stopped recurring jobs; the refresh "
                                        "replaces them.")
                             .arg(t.id)
                             .arg(stoppedPending);
            if (!read)
                add(fail(QStringLiteral("dmf-recurring-jobs"),
                         QStringLiteral("The recurring data jobs of %1 could not be read: %2. Check that %3 has the "
                                        "columns ENABLED and PENDINGMESSAGES and is not locked, then run the checks "
                                        "again.")
                             .arg(tgt.queryError.isEmpty() ? s.id : t.id,
                                  tgt.queryError.isEmpty() ? src.queryError : tgt.queryError, table)));
            else if (enabled > 0 || pending > 0)
                add(fail(QStringLiteral("dmf-recurring-jobs"),
                         QStringLiteral(
                             "%1 has %2 enabled recurring data jobs and %3 unprocessed messages for them. Process "
                             "the messages and disable the jobs in %1 first.")
                             .arg(t.id)
                             .arg(enabled)
                             .arg(pending)));
            else if (!notes.isEmpty())
                add(warn(QStringLiteral("dmf-recurring-jobs"), notes.join(QLatin1Char(' '))));
            else
                add(pass(QStringLiteral("dmf-recurring-jobs"),
                         QStringLiteral("No recurring data job is enabled in %1 and nothing is pending.").arg(t.id)));
        }
    } else {
        add(fail(QStringLiteral("dmf-recurring-jobs"),
                 QStringLiteral("Not checked: the databases could not be read.")));
    }

    // Commerce: the channel database and data group must be named Default.
    if (!t.hasCommerce()) {
        add(pass(QStringLiteral("commerce-defaults"), QStringLiteral("%1 runs no Commerce.").arg(t.id)));
    } else if (!tgtOpen) {
        add(fail(QStringLiteral("commerce-defaults"), QStringLiteral("Not checked: the target could not be read.")));
    } else if (!tgt.schema->hasTable(QStringLiteral("RETAILCONNDATABASEPROFILE")) ||
               !tgt.schema->hasTable(QStringLiteral("RETAILCDXDATAGROUP"))) {
        add(pass(QStringLiteral("commerce-defaults"),
                 QStringLiteral("Not a Dynamics 365 Commerce database: there are no channel records to check.")));
    } else {
        tgt.queryError.clear(); // each check answers for its own queries
        const auto named = [&](const QString& table) {
            qint64 count = 0;
            return tgt.number(QStringLiteral("SELECT count(*) FROM %1 WHERE %2 = 'Default'")
                                  .arg(tgt.table(table), tgt.column(table, QStringLiteral("NAME"))),
                              &count) &&
                   count > 0;
        };
        const bool channel = named(QStringLiteral("RETAILCONNDATABASEPROFILE"));
        const bool group = named(QStringLiteral("RETAILCDXDATAGROUP"));
        if (!tgt.queryError.isEmpty())
            add(fail(QStringLiteral("commerce-defaults"),
                     QStringLiteral("The channel records of %1 could not be read: %2.").arg(t.id, tgt.queryError)));
        else if (channel && group)
            add(pass(QStringLiteral("commerce-defaults"),
                     QStringLiteral("%1's channel database and data group are named Default.").arg(t.id)));
        else
            add(fail(
                QStringLiteral("commerce-defaults"),
                QStringLiteral("%1 has no %2 named Default. Rename the default %2 back to Default first.")
                    .arg(t.id, !channel ? QStringLiteral("channel database") : QStringLiteral("channel data group"))));
    }

    // The data policy must fit the source's schema, and its keep-target rules the target's.
    if (!in.policy) {
        add(fail(QStringLiteral("data-policy"), QStringLiteral("No data policy was given.")));
    } else if (!srcOpen) {
        add(fail(QStringLiteral("data-policy"), QStringLiteral("Not checked: the source could not be read.")));
    } else {
        QString e;
        QStringList notes;
        const QStringList targetMisfits =
            tgtOpen ? keepTargetMisfits(*in.policy, *src.schema, *tgt.schema, t.id, &notes) : QStringList();
        if (!in.policy->validateAgainst(*src.schema, &e))
            add(fail(QStringLiteral("data-policy"),
                     QStringLiteral("The data policy does not fit %1: %2").arg(s.id, e)));
        else if (!targetMisfits.isEmpty())
            add(fail(QStringLiteral("data-policy"), QStringLiteral("The data policy does not fit %1: %2")
                                                        .arg(t.id, targetMisfits.join(QLatin1Char('\n')))));
        else if (!notes.isEmpty())
            add(warn(QStringLiteral("data-policy"),
                     QStringLiteral("The data policy fits %1, but %2").arg(s.id, notes.join(QStringLiteral("; ")))));
        else
            add(pass(
                QStringLiteral("data-policy"),
                QStringLiteral("All %1 rules of the data policy fit %2.").arg(in.policy->rules().size()).arg(s.id)));
    }

    // Every column of the source is covered by a rule, reviewed, or, if it looks sensitive, named.
    if (in.restoring && in.policy && in.policy->isEmpty()) {
        add(pass(QStringLiteral("policy-coverage"), QStringLiteral("Not needed: %1 gets its own data back.").arg(t.id)));
    } else if (!in.policy || !srcOpen) {
        add(fail(QStringLiteral("policy-coverage"),
                 !in.policy ? QStringLiteral("No data policy was given.")
                            : QStringLiteral("Not checked: the source could not be read.")));
    } else {
        QString e;
        result.coverage = CoverageScan::run(*src.engine, src.ref, *src.schema, *in.policy, in.previousColumns, &e);
        if (!result.coverage)
            add(fail(QStringLiteral("policy-coverage"),
                     QStringLiteral("The columns of %1 could not be sampled: %2").arg(s.id, e)));
        else if (result.coverage->needingDecision().isEmpty())
            add(pass(QStringLiteral("policy-coverage"), result.coverage->summary()));
        else if (in.policy->blocksUnreviewed())
            add(fail(QStringLiteral("policy-coverage"),
                     result.coverage->summary() +
                         QStringLiteral(" The policy blocks a refresh while a column looks sensitive, or is new, "
                                        "and is neither covered nor reviewed (\"coverage\": \"block\").")));
        else
            add(warn(QStringLiteral("policy-coverage"), result.coverage->summary()));
    }

    if (in.policy) {
        for (const PolicyRule& r : in.policy->rules()) {
            RuleCount c;
            c.ruleId = r.id;
            c.title = r.title;
            c.reason = PolicyRule::reasonName(r.reason);
            c.action = PolicyRule::actionName(r.action);
            c.tables = r.tables;
            result.counts.append(c);
        }
        if (in.countRows && srcOpen)
            countRows(*src.engine, src.ref, *in.policy, result.counts);
    }
    return result;
}

void Preflight::countRows(DatabaseEngine& engine, const DatabaseRef& source, const DataPolicy& policy,
                          QList<RuleCount>& counts)
{
    QList<PolicyCounter::RuleCount> found;
    QString e;
    if (!engine.countPolicyRows(source, policy, &found, &e))
        return; // the counts stay -1; the data-policy check says why
    for (RuleCount& c : counts) {
        for (const auto& f : found) {
            if (f.id == c.ruleId)
                c.rows = f.total();
        }
    }
}
