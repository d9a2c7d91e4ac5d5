#include "registration/DatabaseConnectionTest.h"

#include "engine/DatabaseEngine.h"

#include <QElapsedTimer>

namespace {

// libpq's own words, plus what to do about them where DataALM has a convention.
QString withHint(const DatabaseRef& db, const QString& error)
{
    if (!db.isPostgres())
        return error;
    if (error.contains(QLatin1String("no password supplied")) ||
        error.contains(QLatin1String("password authentication failed")))
        return error + QStringLiteral(" (give libpq the password: put it in ~/.pgpass, or the file PGPASSFILE names, "
                                      "as %1:%2:%3:%4:PASSWORD; on a team catalog, an Environment manager keeps it "
                                      "for the agents with dataalm env credential set)")
                           .arg(db.host)
                           .arg(db.port)
                           .arg(db.name, db.user.isEmpty() ? QStringLiteral("*") : db.user);
    return error;
}

} // namespace

QJsonObject DatabaseConnectionTest::Result::toJson() const
{
    QJsonObject o = database.toJson();
    o.insert(QStringLiteral("ok"), ok);
    o.insert(QStringLiteral("ms"), milliseconds);
    if (ok)
        o.insert(QStringLiteral("sizeBytes"), sizeBytes);
    else
        o.insert(QStringLiteral("error"), error);
    return o;
}

DatabaseConnectionTest::Result DatabaseConnectionTest::test(const DatabaseRef& database)
{
    Result r;
    r.database = database;
    QElapsedTimer t;
    t.start();
    std::unique_ptr<DatabaseEngine> engine = DatabaseEngine::forDatabase(database);
    if (!engine) {
        r.error = QStringLiteral("no engine for driver '%1'").arg(database.driver);
    } else {
        QString e;
        r.ok = engine->test(database, &e);
        if (r.ok)
            r.sizeBytes = engine->sizeBytes(database);
        else
            r.error = withHint(database, e);
    }
    r.milliseconds = t.elapsed();
    return r;
}

QList<DatabaseConnectionTest::Result> DatabaseConnectionTest::run(const QList<DatabaseRef>& databases,
                                                                  const Reported& reported, const Cancelled& cancelled)
{
    QList<Result> results;
    for (const DatabaseRef& db : databases) {
        if (cancelled && cancelled())
            break;
        results << test(db);
        if (reported)
            reported(results.constLast());
    }
    return results;
}

bool DatabaseConnectionTest::allOk(const QList<Result>& results)
{
    for (const Result& r : results) {
        if (!r.ok)
            return false;
    }
    return true;
}
