#include "engine/PostgresEngine.h"

#include "engine/PostgresScript.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresDatabaseSettings.h"
#include "engine/PostgresPolicyApplier.h"
#include "engine/PostgresSnapshotCopy.h"
#include "engine/PostgresTools.h"
#include "policy/DataPolicy.h"

#include <QCryptographicHash>
#include <QLocale>
#include <QSet>
#include <QThread>

#include <spdlog/spdlog.h>

namespace {

constexpr int MaxIdentifierBytes = 63;
const QString StagingTag = QStringLiteral("_staging_op");
const QString RestoreTag = QStringLiteral("_restore_op");

// Which of `names` exist on the server of `conn`.
QSet<QString> existing(PostgresConnection& conn, const QStringList& names, QString* error)
{
    QSet<QString> found;
    QStringList markers;
    QVariantList params;
    for (const QString& n : names) {
        params << n;
        markers << QStringLiteral("$%1").arg(params.size());
    }
    QList<PostgresConnection::Row> rows;
    if (!conn.query(QStringLiteral("SELECT datname FROM pg_database WHERE datname IN (%1)")
                        .arg(markers.join(QStringLiteral(", "))),
                    &rows, error, params))
        return found;
    for (const auto& r : std::as_const(rows))
        found.insert(r.at(0).toString());
    return found;
}

// Runs `renames` (pairs from -> to) in one transaction after ending the sessions of
// every database involved. Retried a few times when a client reconnects in between.
// With `carry` (from, to), `to` first takes `from`'s database settings
// (PostgresDatabaseSettings), in the same transaction. When the role may not recreate
// them, a swap fails with words; a rollback (`settingsOptional`) goes on without them,
// with a warning in the log: putting the data back matters more.
bool renameTogether(PostgresConnection& conn, const QList<QPair<QString, QString>>& renames, QString* error,
                    const std::optional<QPair<QString, QString>>& carry = std::nullopt, bool settingsOptional = false)
{
    QStringList involved;
    QStringList statements;
    for (const auto& r : renames) {
        involved << PostgresConnection::literal(r.first) << PostgresConnection::literal(r.second);
        statements << QStringLiteral("ALTER DATABASE %1 RENAME TO %2")
                          .arg(PostgresConnection::quote(r.first), PostgresConnection::quote(r.second));
    }
    const QString terminate = QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                             "datname IN (%1) AND pid <> pg_backend_pid()")
                                  .arg(involved.join(QStringLiteral(", ")));
    QString e;
    for (int attempt = 1; attempt <= 5; ++attempt) {
        QStringList settings;
        QString se;
        if (conn.exec(QStringLiteral("BEGIN"), &e) && conn.exec(terminate, &e)) {
            if (carry && !PostgresDatabaseSettings::carryStatements(conn, carry->first, carry->second, &settings, &se)) {
                conn.exec(QStringLiteral("ROLLBACK"), nullptr);
                *error = QStringLiteral("cannot read the database settings of %1: %2").arg(carry->first, se);
                return false;
            }
            if (!settings.isEmpty() &&
                !(conn.exec(QStringLiteral("SAVEPOINT settings"), &se) &&
                  conn.exec(settings.join(QStringLiteral("; ")), &se))) {
                if (!settingsOptional) {
                    conn.exec(QStringLiteral("ROLLBACK"), nullptr);
                    *error = QStringLiteral("cannot give %1 the database settings of %2 (its owner, who may connect, "
                                            "its settings and comment): %3. The connecting role must be allowed to "
                                            "recreate them (per-role settings need a superuser or CREATEROLE): "
                                            "connect as such a role, or remove those settings from %2, then resume")
                                 .arg(carry->second, carry->first, se);
                    return false;
                }
                spdlog::warn("the database settings of {} were not given to {}: {}", carry->first.toStdString(),
                             carry->second.toStdString(), se.toStdString());
                conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT settings"), nullptr);
            }
            if (conn.exec(statements.join(QStringLiteral("; ")), &e) && conn.exec(QStringLiteral("COMMIT"), &e))
                return true;
        }
        conn.exec(QStringLiteral("ROLLBACK"), nullptr);
        if (!conn.isHealthy() || !e.contains(QLatin1String("being accessed by other users")))
            break;
        QThread::msleep(200);
    }
    *error = e;
    return false;
}

} // namespace

QString PostgresEngine::derivedName(const QString& base, const QString& suffix)
{
    if ((base + suffix).toUtf8().size() <= MaxIdentifierBytes)
        return base + suffix;
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(base.toUtf8(), QCryptographicHash::Sha256).toHex().left(8));
    const int room = MaxIdentifierBytes - int(suffix.toUtf8().size()) - 1 - int(hash.size());
    QString cut;
    for (const QChar& c : base) {
        // Surrogate pairs stay together: QString::toUtf8 of a lone half is not what we want.
        if (c.isLowSurrogate() && !cut.isEmpty() && cut.back().isHighSurrogate()) {
            cut += c;
            continue;
        }
        if ((cut + c).toUtf8().size() > room)
            break;
        cut += c;
    }
    if (!cut.isEmpty() && cut.back().isHighSurrogate())
        cut.chop(1);
    return cut + QLatin1Char('_') + hash + suffix;
}

int PostgresEngine::copyJobs()
{
    const int n = qEnvironmentVariableIntValue("DATAALM_PG_JOBS");
    return n > 0 ? std::min(n, 32) : 4;
}

bool PostgresEngine::test(const DatabaseRef& ref, QString* error)
{
    PostgresConnection c;
    if (!c.open(ref, error))
        return false;
    return c.scalar(QStringLiteral("SELECT count(*) FROM pg_class"), error).isValid();
}

bool PostgresEngine::exists(const DatabaseRef& ref)
{
    PostgresConnection c;
    QString e;
    if (!c.openMaintenance(ref, &e))
        return false;
    return existing(c, {ref.name}, &e).contains(ref.name);
}

qint64 PostgresEngine::sizeBytes(const DatabaseRef& ref)
{
    PostgresConnection c;
    QString e;
    if (!c.open(ref, &e))
        return -1;
    const QVariant v = c.scalar(QStringLiteral("SELECT pg_database_size(current_database())"), &e);
    return v.isValid() ? v.toLongLong() : -1;
}

qint64 PostgresEngine::freeBytesFor(const DatabaseRef&)
{
    return -1;
}

DatabaseRef PostgresEngine::stagingFor(const DatabaseRef& target, qint64 operationId)
{
    DatabaseRef r = target;
    r.name = derivedName(target.name, StagingTag + QString::number(operationId));
    return r;
}

bool PostgresEngine::restoreDump(const DatabaseRef& staging, const QString& dumpDirectory, const DatabaseRef& like,
                                 const Cancelled& cancelled, QString* error)
{
    if (!drop(staging, error))
        return false;
    QString e;
    PostgresConnection model;
    if (!model.open(like, &e)) {
        *error = QStringLiteral("%1: %2").arg(like.location(), e);
        return false;
    }
    if (!PostgresSnapshotCopy::createDatabaseLike(model, staging, error))
        return false;
    model.close();
    // PostgreSQL's own restore, in parallel; the objects belong to the role that restores them.
    if (!PostgresTools::run(QStringLiteral("pg_restore"),
                            {QStringLiteral("--jobs=4"), QStringLiteral("--no-owner"), QStringLiteral("--no-privileges"),
                             QStringLiteral("--exit-on-error"), QStringLiteral("--dbname=") + staging.postgresConninfo(),
                             dumpDirectory},
                            error, cancelled)) {
        QString ignored;
        drop(staging, &ignored);
        return false;
    }
    return true;
}

DatabaseRef PostgresEngine::keptCopyFor(const DatabaseRef& database, qint64 pointId, const QString& folder)
{
    Q_UNUSED(folder);
    DatabaseRef r = database;
    r.name = derivedName(database.name, QStringLiteral("_rp%1").arg(pointId));
    return r;
}

DatabaseRef PostgresEngine::restorePointFor(const DatabaseRef& target, qint64 operationId)
{
    DatabaseRef r = target;
    r.name = derivedName(target.name, RestoreTag + QString::number(operationId));
    return r;
}

bool PostgresEngine::copySnapshot(const DatabaseRef& source, const DatabaseRef& staging, const Progress& progress,
                                  const Cancelled& cancelled, QString* error, QJsonObject* sourceRowCounts,
                                  const QStringList* /*countOnly: a logical copy counts every table*/)
{
    QString e;
    if (!drop(staging, &e)) {
        *error = e;
        return false;
    }
    PostgresSnapshotCopy copy(source, staging, copyJobs(), sourceRowCounts != nullptr);
    PostgresSnapshotCopy::Result result;
    if (!copy.run(progress, cancelled, &result, error))
        return false;
    if (sourceRowCounts)
        *sourceRowCounts = result.sourceRows;
    m_lastSummary = QStringLiteral("%1 tables, %2 rows, %3 sequences")
                        .arg(result.tables)
                        .arg(QLocale::c().toString(result.totalRows))
                        .arg(result.sequences);
    spdlog::info("copied {} into {}: {}", source.location().toStdString(), staging.location().toStdString(),
                 m_lastSummary.toStdString());
    return true;
}

bool PostgresEngine::drop(const DatabaseRef& ref, QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.openMaintenance(ref, &e)) {
        if (error)
            *error = QStringLiteral("cannot remove %1: %2").arg(ref.location(), e);
        return false;
    }
    if (!c.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(PostgresConnection::quote(ref.name)),
                &e)) {
        if (error)
            *error = QStringLiteral("cannot remove %1: %2").arg(ref.location(), e);
        return false;
    }
    return true;
}

bool PostgresEngine::swap(const DatabaseRef& target, const DatabaseRef& staging, const DatabaseRef& restorePoint,
                          QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.openMaintenance(target, &e)) {
        *error = QStringLiteral("the target's server: %1").arg(e);
        return false;
    }
    const QSet<QString> there = existing(c, {target.name, staging.name, restorePoint.name}, &e);
    if (!e.isEmpty()) {
        *error = e;
        return false;
    }
    const bool stagingThere = there.contains(staging.name);
    const bool restoreThere = there.contains(restorePoint.name);
    const bool targetThere = there.contains(target.name);
    if (!stagingThere) {
        if (restoreThere && targetThere)
            return true; // swapped already
        *error = QStringLiteral("the staging database %1 is missing; roll back and refresh again")
                     .arg(staging.location());
        return false;
    }
    if (restoreThere && targetThere) {
        *error = QStringLiteral("both the staging database %1 and the restore point %2 exist; roll back and refresh "
                                "again")
                     .arg(staging.name, restorePoint.name);
        return false;
    }
    QList<QPair<QString, QString>> renames;
    if (targetThere)
        renames << qMakePair(target.name, restorePoint.name);
    else if (!restoreThere) {
        *error = QStringLiteral("the target database %1 is missing").arg(target.location());
        return false;
    }
    renames << qMakePair(staging.name, target.name);
    // The database-level settings belong to the environment, not to the data: the
    // refreshed database takes the target's (the restore point keeps its own).
    std::optional<QPair<QString, QString>> carry;
    if (targetThere)
        carry = qMakePair(target.name, staging.name);
    if (!renameTogether(c, renames, &e, carry)) {
        *error = QStringLiteral("cannot swap the staging database into %1: %2").arg(target.location(), e);
        return false;
    }
    return true;
}

bool PostgresEngine::restore(const DatabaseRef& target, const DatabaseRef& restorePoint, QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.openMaintenance(target, &e)) {
        *error = QStringLiteral("the target's server: %1").arg(e);
        return false;
    }
    // The refreshed database leaves under the operation's staging name, for discard()
    // to drop after the rollback: the rollback itself is two renames.
    QString discarded = restorePoint.name;
    const int at = discarded.lastIndexOf(RestoreTag);
    if (at < 0) {
        *error = QStringLiteral("%1 is not a restore point name").arg(restorePoint.name);
        return false;
    }
    discarded.replace(at, RestoreTag.size(), StagingTag);
    const QSet<QString> there = existing(c, {target.name, restorePoint.name, discarded}, &e);
    if (!e.isEmpty()) {
        *error = e;
        return false;
    }
    if (!there.contains(restorePoint.name))
        return true; // nothing to restore, or restored already
    if (there.contains(discarded) &&
        !c.exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(PostgresConnection::quote(discarded)), &e)) {
        *error = QStringLiteral("cannot remove the leftover %1: %2").arg(discarded, e);
        return false;
    }
    QList<QPair<QString, QString>> renames;
    if (there.contains(target.name))
        renames << qMakePair(target.name, discarded);
    renames << qMakePair(restorePoint.name, target.name);
    // The database that holds the target's name now has the environment's settings: the
    // restore point takes them back with the name (an apply's restore point is a copy
    // that never had them).
    std::optional<QPair<QString, QString>> carry;
    if (there.contains(target.name))
        carry = qMakePair(target.name, restorePoint.name);
    if (!renameTogether(c, renames, &e, carry, true)) {
        *error = QStringLiteral("cannot put the restore point back into %1: %2").arg(target.location(), e);
        return false;
    }
    return true;
}

std::optional<SchemaInfo> PostgresEngine::readSchema(const DatabaseRef& ref, QString* error)
{
    PostgresConnection c;
    if (!c.open(ref, error))
        return std::nullopt;
    return PostgresPolicyApplier::readSchema(c, error);
}

QVariant PostgresEngine::queryValue(const DatabaseRef& ref, const PolicyStatement& statement, QString* error)
{
    PostgresConnection c;
    if (!c.open(ref, error))
        return {};
    c.exec(QStringLiteral("SET default_transaction_read_only = on"), nullptr);
    return c.scalar(statement.sql, error, statement.bindings);
}

bool PostgresEngine::queryEach(const DatabaseRef& ref, const QList<PolicyStatement>& statements,
                               const RowHandler& row, QString* error, const QueryOptions& options)
{
    PostgresConnection c;
    if (!c.open(ref, error) || !c.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), error))
        return false;
    // A table another session locked is not waited for longer than this.
    const int lockMs =
        options.lockTimeoutMs > 0 ? options.lockTimeoutMs : PostgresSnapshotCopy::lockTimeoutSeconds() * 1000;
    if (!c.exec(QStringLiteral("SET LOCAL lock_timeout = %1").arg(lockMs), error))
        return false;
    for (int i = 0; i < statements.size(); ++i) {
        QList<PostgresConnection::Row> rows;
        QString e;
        if (options.skipped && !c.exec(QStringLiteral("SAVEPOINT each"), error))
            return false;
        if (!c.query(statements.at(i).sql, &rows, &e, statements.at(i).bindings)) {
            if (options.skipped && c.exec(QStringLiteral("ROLLBACK TO SAVEPOINT each"), nullptr)) {
                *options.skipped << e;
                continue;
            }
            if (error)
                *error = e.contains(QLatin1String("lock timeout"))
                             ? QStringLiteral("another session holds a lock on a table of %1 (%2; DATAALM_PG_LOCK_TIMEOUT "
                                              "sets the wait in seconds)")
                                   .arg(ref.name, e)
                             : e;
            return false;
        }
        for (const PostgresConnection::Row& r : std::as_const(rows))
            row(i, r);
    }
    c.exec(QStringLiteral("COMMIT"), nullptr);
    return true;
}

bool PostgresEngine::countPolicyRows(const DatabaseRef& source, const DataPolicy& policy,
                                     QList<PolicyCounter::RuleCount>* counts, QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.open(source, &e) || !c.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), &e)) {
        *error = e;
        return false;
    }
    const std::optional<SchemaInfo> schema = PostgresPolicyApplier::readSchema(c, &e);
    if (!schema) {
        *error = QStringLiteral("cannot read the source database's schema: ") + e;
        return false;
    }
    if (!policy.validateAgainst(*schema, &e)) {
        *error = QStringLiteral("the policy does not fit the source database:\n") + e;
        return false;
    }
    const PolicySql sql(PolicySql::Dialect::Postgres);
    QList<PolicyCounter::RuleCount> result;
    for (const PolicyRule& rule : policy.rules()) {
        PolicyCounter::RuleCount rc{rule.id, rule.title, rule.describe(), rule.action, rule.reason, {}};
        for (const QString& policyTable : rule.tables) {
            const QString table = schema->tableName(policyTable);
            auto resolved = [&](QList<PolicyRule::Condition> conditions) {
                for (PolicyRule::Condition& cond : conditions)
                    cond.column = schema->columnName(table, cond.column);
                return conditions;
            };
            PolicyStatement statement;
            switch (rule.action) {
            case PolicyRule::Action::Exclude:
            case PolicyRule::Action::KeepTarget:
                statement = sql.countRows(QString(), table, {});
                break;
            case PolicyRule::Action::Blank:
            case PolicyRule::Action::Set:
            case PolicyRule::Action::Mask:
                statement = sql.countRows(QString(), table, resolved(rule.where), resolved(rule.except));
                break;
            case PolicyRule::Action::ResetAdmin:
                statement = sql.countRows(QString(), table, resolved(rule.where));
                break;
            }
            const QVariant n = c.scalar(statement.sql, &e, statement.bindings);
            if (!n.isValid()) {
                *error = QStringLiteral("rule \"%1\": counting the rows of %2: %3").arg(rule.id, table, e);
                return false;
            }
            rc.tables << PolicyCounter::TableCount{table, n.toLongLong()};
        }
        result << rc;
    }
    if (counts)
        *counts = result;
    return true;
}

PolicyReport PostgresEngine::applyPolicy(const DatabaseRef& staging, const DatabaseRef& target,
                                         const DataPolicy& policy, const PolicyContext& context,
                                         const PolicyProgress& progress, const Cancelled& cancelled)
{
    PostgresConnection c;
    QString e;
    if (!c.open(staging, &e)) {
        PolicyReport failed;
        failed.status = PolicyReport::Status::Failed;
        failed.error = QStringLiteral("staging: %1").arg(e);
        return failed;
    }
    c.exec(QStringLiteral("SET synchronous_commit = off"), nullptr);
    return PostgresPolicyApplier(c, target).apply(policy, context, progress, cancelled);
}

bool PostgresEngine::tableRowCounts(const DatabaseRef& ref, QJsonObject* counts, QString* error,
                                    const QStringList* /*countOnly: counted as copySnapshot() does, all*/)
{
    PostgresConnection c;
    if (!c.open(ref, error) || !c.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), error))
        return false;
    QList<PostgresConnection::Row> tables;
    if (!c.query(PostgresSnapshotCopy::tablesQuery(), &tables, error))
        return false;
    QJsonObject result;
    for (const auto& t : std::as_const(tables)) {
        // ONLY: a parent of inheritance children holds its own rows; each child is counted as itself.
        const QVariant n = c.scalar(QStringLiteral("SELECT count(*) FROM ONLY %1.%2")
                                        .arg(PostgresConnection::quote(t.at(0).toString()),
                                             PostgresConnection::quote(t.at(1).toString())),
                                    error);
        if (!n.isValid())
            return false;
        result.insert(t.at(2).toString(), n.toLongLong());
    }
    const QVariant largeObjects = c.scalar(QStringLiteral("SELECT count(*) FROM pg_largeobject_metadata"), error);
    if (!largeObjects.isValid())
        return false;
    if (largeObjects.toLongLong() > 0)
        result.insert(PostgresSnapshotCopy::largeObjectsKey(), largeObjects.toLongLong());
    *counts = result;
    return true;
}

bool PostgresEngine::checkIntegrity(const DatabaseRef& ref, QString* error)
{
    PostgresConnection c;
    QString e;
    if (!c.open(ref, &e)) {
        *error = e;
        return false;
    }
    QList<PostgresConnection::Row> rows;
    if (!c.query(QStringLiteral("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                "WHERE NOT i.indisvalid OR NOT i.indisready"),
                 &rows, &e)) {
        *error = e;
        return false;
    }
    if (!rows.isEmpty()) {
        QStringList names;
        for (const auto& r : std::as_const(rows))
            names << r.at(0).toString();
        *error = QStringLiteral("has invalid indexes: %1").arg(names.join(QStringLiteral(", ")));
        return false;
    }
    return true;
}

namespace {

const QString MarkTable = QStringLiteral("dataalm_step_mark");

// Opens `ref` and says whether it holds the step mark table.
bool openWithMarks(PostgresConnection& db, const DatabaseRef& ref, bool* exists, QString* error)
{
    if (!db.open(ref, error))
        return false;
    const QVariant v = db.scalar(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), error, {MarkTable});
    *exists = v.toBool();
    return v.isValid();
}

} // namespace

bool PostgresEngine::runScript(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                               const ScriptProgress& progress, const StepMark& mark, qint64* statements,
                               QString* error)
{
    PostgresConnection db;
    if (!db.open(ref, error))
        return false;
    QList<PolicyStatement> marking;
    if (mark.operation > 0)
        marking = {{QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (operation bigint NOT NULL, ordinal integer NOT "
                                   "NULL, PRIMARY KEY (operation, ordinal))")
                        .arg(MarkTable),
                    {}},
                   {QStringLiteral("INSERT INTO %1 (operation, ordinal) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .arg(MarkTable),
                    {mark.operation, mark.ordinal}}};
    return PostgresScript::run(db, sql, parameters, progress, statements, error, marking);
}

bool PostgresEngine::stepMarked(const DatabaseRef& ref, const StepMark& mark, bool* marked, QString* error)
{
    *marked = false;
    PostgresConnection db;
    bool exists = false;
    if (!openWithMarks(db, ref, &exists, error))
        return false;
    if (!exists)
        return true;
    const QVariant n = db.scalar(
        QStringLiteral("SELECT count(*) FROM %1 WHERE operation = $1 AND ordinal = $2").arg(MarkTable), error,
        {mark.operation, mark.ordinal});
    *marked = n.toLongLong() > 0;
    return n.isValid();
}

bool PostgresEngine::clearStepMarks(const DatabaseRef& ref, qint64 operation, QString* error)
{
    PostgresConnection db;
    bool exists = false;
    if (!openWithMarks(db, ref, &exists, error))
        return false;
    if (!exists)
        return true;
    // One transaction: the table goes once no operation's mark is left in it.
    const QString sql = QStringLiteral("DO $$ BEGIN DELETE FROM %1 WHERE operation = %2; IF NOT EXISTS (SELECT 1 FROM "
                                       "%1) THEN DROP TABLE %1; END IF; END $$")
                            .arg(MarkTable)
                            .arg(operation);
    return db.exec(sql, error);
}

bool PostgresEngine::runCheck(const DatabaseRef& ref, const QByteArray& sql, const ScriptParameters& parameters,
                              QVariant* value, QString* error)
{
    PostgresConnection db;
    if (!db.open(ref, error))
        return false;
    return PostgresScript::check(db, sql, parameters, value, error);
}

bool PostgresEngine::identify(const DatabaseRef& ref, QString* identity, QString* error)
{
    PostgresConnection db;
    if (!db.open(ref, error))
        return false;
    // pg_control_system() is open to every role: the cluster's identifier, whatever
    // host name, address or forwarded port reached it.
    const QVariant v = db.scalar(QStringLiteral("SELECT (SELECT system_identifier FROM pg_control_system())::text "
                                                "|| ':' || (SELECT oid FROM pg_database WHERE datname = "
                                                "current_database())::text"),
                                 error);
    if (!v.isValid() || v.toString().isEmpty()) {
        if (error->isEmpty())
            *error = QStringLiteral("the server did not say which database it is");
        return false;
    }
    *identity = QStringLiteral("postgres:") + v.toString();
    return true;
}
