// What a PostgreSQL refresh keeps whole that a table-by-table copy can lose, through
// the real `dataalm` binary on the server scripts/test starts: large objects; the
// target's database-level settings (owner, who may connect, connection limit, comment,
// ALTER DATABASE SET, per-role settings), through the swap, the rollback and the
// sign-off; table inheritance and partitioned tables, with rules that name a parent;
// a rule on a view refused with words; and a table of the source locked by another
// session: the refresh fails with words after the lock timeout instead of waiting
// without end, and a cancel (SIGTERM) stops at once a copy that waits behind the lock.
#include "CliProcess.h"
#include "CliRun.h"
#include "PostgresTestSupport.h"
#include "TestSupport.h"

#include "engine/PostgresConnection.h"
#include "environment/DatabaseUrl.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace PostgresTestSupport;

class TestPostgresFidelity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void largeObjectsTravel();
    void databaseSettingsStayWithTheTarget();
    void inheritanceAndPartitions();
    void ruleOnAViewIsRefusedWithWords();
    void lockedSourceTableFailsWithWords();
    void cancelStopsACopyWaitingForALock();

private:
    CliRun cli(const QStringList& args, int timeoutMs = 180000) const;
    QString urlOf(const QString& name) const;
    // Creates `<prefix>_<case>_prod` and `_uat` with `prodSql` and `uatSql`, registers
    // them as environments `<case>-prod` and `<case>-uat` of project `<case>` under
    // `policyJson`. False with `error` on a failure.
    bool makePair(const QString& name, const QString& prodSql, const QString& uatSql, const QByteArray& policyJson,
                  QString* error);
    // makePair() with a `notes` table of one row on each side ('p', 'u') and a policy blanking it.
    bool makeNotesPair(const QString& name, QString* error);
    // Opens `holder` on `db` and takes an exclusive lock on its notes table, kept until
    // the transaction ends: another session in the way of a refresh.
    static bool lockNotes(PostgresConnection& holder, const DatabaseRef& db, QString* error);
    QStringList refreshArgs(const QString& name) const;
    DatabaseRef db(const QString& name, const QString& side) const
    {
        return database(m_prefix + QLatin1Char('_') + name + QLatin1Char('_') + side);
    }
    qint64 lastOperation() const;

    QTemporaryDir m_catalog;
    QString m_prefix;
    QStringList m_roles;
};

void TestPostgresFidelity::initTestCase()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set: run the postgres tests through scripts/test, which "
                               "starts a throwaway PostgreSQL server");
    QVERIFY(m_catalog.isValid());
    m_prefix = uniqueName(QStringLiteral("fid"));
}

void TestPostgresFidelity::cleanupTestCase()
{
    for (const QString& name : databasesLike(m_prefix + QLatin1Char('_')))
        dropDatabase(name);
    for (const QString& role : std::as_const(m_roles))
        exec(server(), QStringLiteral("DROP ROLE IF EXISTS %1").arg(PostgresConnection::quote(role)));
}

CliRun TestPostgresFidelity::cli(const QStringList& args, int timeoutMs) const
{
    if (args.contains(QStringLiteral("--catalog")))
        return runCli(args, timeoutMs);
    return runCli(args + QStringList{QStringLiteral("--catalog"), m_catalog.path()}, timeoutMs);
}

QString TestPostgresFidelity::urlOf(const QString& name) const
{
    DatabaseRef ref = server();
    ref.name = name;
    return DatabaseUrl::format(ref);
}

bool TestPostgresFidelity::makePair(const QString& name, const QString& prodSql, const QString& uatSql,
                                    const QByteArray& policyJson, QString* error)
{
    for (const auto& [side, sql] : {std::make_pair(QStringLiteral("prod"), prodSql),
                                    std::make_pair(QStringLiteral("uat"), uatSql)}) {
        const DatabaseRef ref = db(name, side);
        if (!createDatabase(ref.name, error) || !exec(ref, sql, error))
            return false;
        const CliRun add = cli({QStringLiteral("env"), QStringLiteral("add"), name + QLatin1Char('-') + side,
                                QStringLiteral("--project"), name, QStringLiteral("--type"),
                                side == QLatin1String("prod") ? QStringLiteral("production") : QStringLiteral("sandbox"),
                                QStringLiteral("--tenant"), QStringLiteral("t.example"), QStringLiteral("--admin"),
                                QStringLiteral("ops@t.example"), QStringLiteral("--application"),
                                QStringLiteral("2.4.1"), QStringLiteral("--platform"), QStringLiteral("30"),
                                QStringLiteral("--db"),
                                QStringLiteral("transactional=") + urlOf(ref.name)});
        if (!add.exitedWith(0)) {
            *error = add.describe();
            return false;
        }
    }
    const QString policy = QDir(m_catalog.path()).filePath(name + QStringLiteral("-policy.json"));
    QFile f(policy);
    if (!f.open(QIODevice::WriteOnly) || f.write(policyJson) != policyJson.size()) {
        *error = f.errorString();
        return false;
    }
    f.close();
    const CliRun set = cli({QStringLiteral("project"), QStringLiteral("policy"), name, policy});
    if (!set.exitedWith(0)) {
        *error = set.describe();
        return false;
    }
    return true;
}

bool TestPostgresFidelity::lockNotes(PostgresConnection& holder, const DatabaseRef& db, QString* error)
{
    return holder.open(db, error) &&
           holder.exec(QStringLiteral("BEGIN; LOCK TABLE notes IN ACCESS EXCLUSIVE MODE"), error);
}

QStringList TestPostgresFidelity::refreshArgs(const QString& name) const
{
    return {QStringLiteral("refresh"), QStringLiteral("--source"), name + QStringLiteral("-prod"),
            QStringLiteral("--target"), name + QStringLiteral("-uat"), QStringLiteral("--yes"),
            QStringLiteral("--json"), QStringLiteral("--catalog"), m_catalog.path()};
}

qint64 TestPostgresFidelity::lastOperation() const
{
    return cli({QStringLiteral("operations"), QStringLiteral("--json")})
        .json()
        .array()
        .first()
        .toObject()
        .value(QStringLiteral("id"))
        .toInteger();
}

namespace {

const QByteArray NotesPolicy = R"({ "rules": [ { "id": "notes", "title": "Notes", "reason": "security",
    "table": "notes", "action": "blank", "columns": ["body"] } ] })";
const QString NotesTable = QStringLiteral("CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL); ");

// Every large object as "oid:md5 of its bytes", in oid order.
const QString LargeObjectsSql = QStringLiteral(
    "SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata");

} // namespace

bool TestPostgresFidelity::makeNotesPair(const QString& name, QString* error)
{
    return makePair(name, NotesTable + QStringLiteral("INSERT INTO notes VALUES (1, 'p');"),
                    NotesTable + QStringLiteral("INSERT INTO notes VALUES (1, 'u');"), NotesPolicy, error);
}

void TestPostgresFidelity::largeObjectsTravel()
{
    const QString prodSql = NotesTable + QStringLiteral(
        "INSERT INTO notes VALUES (1, 'production'); "
        "CREATE TABLE documents (id integer PRIMARY KEY, body oid NOT NULL); "
        "INSERT INTO documents VALUES (1, lo_from_bytea(0, 'a small document')), "
        "(2, lo_from_bytea(0, convert_to(repeat(md5('x'), 100000), 'UTF8'))), "
        "(3, lo_from_bytea(0, '\\x00ff00ff'::bytea));");
    const QString uatSql = NotesTable + QStringLiteral(
        "INSERT INTO notes VALUES (1, 'sandbox'); "
        "CREATE TABLE documents (id integer PRIMARY KEY, body oid NOT NULL); "
        "INSERT INTO documents VALUES (9, lo_from_bytea(0, 'the sandbox''s own'));");
    QString e;
    QVERIFY2(makePair(QStringLiteral("lo"), prodSql, uatSql, NotesPolicy, &e), qPrintable(e));
    const DatabaseRef prod = db(QStringLiteral("lo"), QStringLiteral("prod"));
    const DatabaseRef uat = db(QStringLiteral("lo"), QStringLiteral("uat"));
    QVERIFY2(exec(prod, QStringLiteral("COMMENT ON LARGE OBJECT %1 IS 'the contract'")
                            .arg(value(prod, QStringLiteral("SELECT body FROM documents WHERE id = 1")))),
             "comment");
    const QString prodObjects = value(prod, LargeObjectsSql);
    const QString uatObjects = value(uat, LargeObjectsSql);
    QCOMPARE(prodObjects.count(QLatin1Char(',')), 2);
    const QByteArray before = dump(uat);

    CliRun run = cli(refreshArgs(QStringLiteral("lo")));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    // Every object, byte for byte, under its oid (the documents' rows point at them), with its comment.
    QCOMPARE(value(uat, LargeObjectsSql), prodObjects);
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM documents d JOIN pg_largeobject_metadata m ON m.oid = "
                                       "d.body")),
             QStringLiteral("3"));
    QCOMPARE(value(uat, QStringLiteral("SELECT obj_description(body, 'pg_largeobject') FROM documents WHERE id = 1")),
             QStringLiteral("the contract"));
    // Verify counted them: the source's counts in the copied snapshot hold the three
    // objects, and Verify found them in the staging database (two tables and the objects).
    const QJsonObject op = run.json().object();
    const qint64 id = op.value(QStringLiteral("id")).toInteger();
    QCOMPARE(op.value(QStringLiteral("params"))
                 .toObject()
                 .value(QStringLiteral("sourceRows"))
                 .toObject()
                 .value(QStringLiteral("transactional"))
                 .toObject()
                 .value(QStringLiteral("pg_largeobject"))
                 .toInteger(),
             3);
    QVERIFY2(run.outText().contains(QStringLiteral("transactional: 3 tables hold the rows they must")),
             qPrintable(run.outText()));

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(value(uat, LargeObjectsSql), uatObjects);
    QVERIFY(dump(uat) == before);
}

void TestPostgresFidelity::databaseSettingsStayWithTheTarget()
{
    const QString reader = m_prefix + QStringLiteral("_reader");
    const QString owner = m_prefix + QStringLiteral("_owner");
    const QString outsider = m_prefix + QStringLiteral("_outsider");
    m_roles << reader << owner << outsider;
    QString e;
    QVERIFY2(exec(server(), QStringLiteral("CREATE ROLE %1 LOGIN; CREATE ROLE %2 LOGIN; CREATE ROLE %3 LOGIN")
                                .arg(PostgresConnection::quote(reader), PostgresConnection::quote(owner),
                                     PostgresConnection::quote(outsider)),
                  &e),
             qPrintable(e));
    QVERIFY2(makeNotesPair(QStringLiteral("settings"), &e),
             qPrintable(e));
    const DatabaseRef prod = db(QStringLiteral("settings"), QStringLiteral("prod"));
    const DatabaseRef uat = db(QStringLiteral("settings"), QStringLiteral("uat"));
    const QString u = PostgresConnection::quote(uat.name);
    const QString p = PostgresConnection::quote(prod.name);
    // The sandbox: only `reader` may connect; its own settings, comment, limit and owner.
    QVERIFY2(exec(server(),
                  QStringLiteral("ALTER DATABASE %1 OWNER TO %2; REVOKE CONNECT, TEMPORARY ON DATABASE %1 FROM PUBLIC; "
                                 "GRANT CONNECT ON DATABASE %1 TO %3; ALTER DATABASE %1 SET work_mem = '7MB'; "
                                 "ALTER DATABASE %1 SET search_path = \"$user\", public, \"Odd, name\"; "
                                 "ALTER ROLE %3 IN DATABASE %1 SET statement_timeout = '9s'; "
                                 "COMMENT ON DATABASE %1 IS 'the sandbox''s database'; "
                                 "ALTER DATABASE %1 CONNECTION LIMIT 17")
                      .arg(u, PostgresConnection::quote(owner), PostgresConnection::quote(reader)),
                  &e),
             qPrintable(e));
    // Settings a sandbox user can store in a form that is not SQL: a list taken FROM
    // CURRENT (stored as typed), a value that would close a dollar quote, an empty
    // search_path. They must come back as they were, and never run as SQL.
    QVERIFY2(exec(server(),
                  QStringLiteral("SELECT set_config('search_path', 'x,$$', false); "
                                 "ALTER ROLE %2 IN DATABASE %1 SET search_path FROM CURRENT; "
                                 "ALTER ROLE %2 IN DATABASE %1 SET application_name = '$$; ALTER ROLE %3 SUPERUSER; --'; "
                                 "ALTER ROLE %4 IN DATABASE %1 SET search_path = ''")
                      .arg(u, PostgresConnection::quote(reader), PostgresConnection::quote(outsider),
                           PostgresConnection::quote(owner)),
                  &e),
             qPrintable(e));
    // Production has other settings, which must not travel.
    QVERIFY2(exec(server(), QStringLiteral("ALTER DATABASE %1 SET work_mem = '64MB'; COMMENT ON DATABASE %1 IS "
                                           "'production'; ALTER ROLE %2 IN DATABASE %1 SET lock_timeout = '1s'")
                                .arg(p, PostgresConnection::quote(reader)),
                  &e),
             qPrintable(e));
    const auto settingsOf = [](const QString& name) {
        return value(server(),
                     QStringLiteral(
                         "SELECT concat_ws(' | ', pg_get_userbyid(d.datdba), d.datconnlimit, "
                         "(SELECT string_agg(a::text, ',' ORDER BY a::text) FROM "
                         "unnest(COALESCE(d.datacl, acldefault('d', d.datdba))) a), "
                         "shobj_description(d.oid, 'pg_database'), (SELECT string_agg(COALESCE(r.rolname, '-') || '=' "
                         "|| array_to_string(s.setconfig, ';'), ',' ORDER BY r.rolname NULLS FIRST) FROM "
                         "pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole WHERE s.setdatabase = d.oid)) "
                         "FROM pg_database d WHERE d.datname = %1")
                         .arg(PostgresConnection::literal(name)));
    };
    const QString uatSettings = settingsOf(uat.name);
    QVERIFY2(uatSettings.contains(QStringLiteral("statement_timeout=9s")) &&
                 uatSettings.contains(QStringLiteral("Odd, name")) && !uatSettings.contains(QStringLiteral("=Tc/")),
             qPrintable(uatSettings));
    const QString prodSettings = settingsOf(prod.name);

    CliRun run = cli(refreshArgs(QStringLiteral("settings")));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 first = run.json().object().value(QStringLiteral("id")).toInteger();
    // The same settings; the list taken FROM CURRENT as PostgreSQL itself writes that list.
    QVERIFY(uatSettings.contains(QStringLiteral("search_path=x,$$;")));
    const QString carried =
        QString(uatSettings).replace(QStringLiteral("search_path=x,$$;"), QStringLiteral("search_path=x, \"$$\";"));
    QCOMPARE(settingsOf(uat.name), carried);
    QCOMPARE(value(uat, QStringLiteral("SELECT body FROM notes")), QString()); // the refreshed rows, blanked
    QCOMPARE(value(server(), QStringLiteral("SELECT rolsuper FROM pg_roles WHERE rolname = %1")
                                 .arg(PostgresConnection::literal(outsider))),
             QStringLiteral("false"));
    QCOMPARE(settingsOf(prod.name), prodSettings);
    // PUBLIC still cannot connect: a role that is neither `reader` nor the owner is refused by the server.
    DatabaseRef asOutsider = uat;
    asOutsider.user = outsider;
    QVERIFY2(!exec(asOutsider, QStringLiteral("SELECT 1"), &e), "PUBLIC can connect to the refreshed sandbox");
    QVERIFY2(e.contains(QLatin1String("permission denied")), qPrintable(e));

    // Rollback gives them back with the database it puts back.
    run = cli({QStringLiteral("rollback"), QString::number(first)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(settingsOf(uat.name), carried);
    QCOMPARE(value(uat, QStringLiteral("SELECT body FROM notes")), QStringLiteral("u"));

    // Deleting the restore point a signed-off refresh kept drops that database, not the settings.
    run = cli(refreshArgs(QStringLiteral("settings")));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    const qint64 second = run.json().object().value(QStringLiteral("id")).toInteger();
    run = cli({QStringLiteral("signoff"), QString::number(second)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databasesLike(uat.name).size(), 2);
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonArray points = run.json().array();
    QVERIFY(!points.isEmpty());
    run = cli({QStringLiteral("restorepoint"), QStringLiteral("delete"),
               QString::number(points.first().toObject().value(QStringLiteral("id")).toInteger())});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(databasesLike(uat.name), QStringList{uat.name});
    QCOMPARE(settingsOf(uat.name), carried);
}

void TestPostgresFidelity::inheritanceAndPartitions()
{
    // `people` has an inheritance child `staff`; `events` is partitioned by region and
    // `audit` by range; `contacts` is an inheritance parent kept from the target.
    const QString schema = QStringLiteral(
        "CREATE TABLE people (id integer, email text); "
        "CREATE TABLE staff (badge text) INHERITS (people); "
        "CREATE TABLE events (id integer, region text NOT NULL, payload text) PARTITION BY LIST (region); "
        "CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu'); "
        "CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us'); "
        "CREATE TABLE audit (id integer, at date NOT NULL) PARTITION BY RANGE (at); "
        "CREATE TABLE audit_2025 PARTITION OF audit FOR VALUES FROM ('2025-01-01') TO ('2026-01-01'); "
        "CREATE TABLE audit_2026 PARTITION OF audit FOR VALUES FROM ('2026-01-01') TO ('2027-01-01'); "
        "CREATE TABLE contacts (id integer, address text); "
        "CREATE TABLE vendor_contacts (vendor text) INHERITS (contacts); ");
    const QString prodSql = schema + QStringLiteral(
        "INSERT INTO people SELECT g, 'p' || g || '@prod.example' FROM generate_series(1, 20) g; "
        "INSERT INTO staff SELECT g, 's' || g || '@prod.example', 'B' || g FROM generate_series(21, 25) g; "
        "INSERT INTO events SELECT g, CASE WHEN g % 3 = 0 THEN 'us' ELSE 'eu' END, 'prod' FROM "
        "generate_series(1, 30) g; "
        "INSERT INTO audit SELECT g, date '2025-06-01' + g * 10 FROM generate_series(1, 40) g; "
        "INSERT INTO contacts SELECT g, 'prod contact' FROM generate_series(1, 6) g; "
        "INSERT INTO vendor_contacts SELECT g, 'prod vendor', 'V' FROM generate_series(7, 9) g;");
    const QString uatSql = schema + QStringLiteral(
        "INSERT INTO events VALUES (1, 'us', 'uat'), (2, 'us', 'uat'), (3, 'eu', 'uat'); "
        "INSERT INTO contacts VALUES (100, 'uat contact'); "
        "INSERT INTO vendor_contacts VALUES (101, 'uat vendor', 'U'), (102, 'uat vendor', 'U');");
    const QByteArray policy = R"({ "rules": [
        { "id": "emails", "title": "Emails", "reason": "avoid-side-effects", "table": "people",
          "action": "blank", "columns": ["email"] },
        { "id": "events", "title": "Events", "reason": "environment-specific", "table": "events",
          "action": "keep-target" },
        { "id": "audit", "title": "Audit", "reason": "security", "table": "audit", "action": "exclude" },
        { "id": "contacts", "title": "Contacts", "reason": "environment-specific", "table": "contacts",
          "action": "keep-target" } ] })";
    QString e;
    QVERIFY2(makePair(QStringLiteral("family"), prodSql, uatSql, policy, &e), qPrintable(e));
    const DatabaseRef uat = db(QStringLiteral("family"), QStringLiteral("uat"));
    const QByteArray before = dump(uat);

    CliRun run = cli(refreshArgs(QStringLiteral("family")));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe())); // Verify passes: parents are counted ONLY
    const qint64 id = run.json().object().value(QStringLiteral("id")).toInteger();
    // The blank reached the child's rows too.
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM ONLY people")), QStringLiteral("20"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM staff")), QStringLiteral("5"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM people WHERE email <> ''")), QStringLiteral("0"));
    QCOMPARE(value(uat, QStringLiteral("SELECT string_agg(badge, ',' ORDER BY id) FROM staff")),
             QStringLiteral("B21,B22,B23,B24,B25"));
    // The partitioned table kept the sandbox's rows, each in its partition.
    QCOMPARE(value(uat, QStringLiteral("SELECT string_agg(id || region || payload, ',' ORDER BY id) FROM events")),
             QStringLiteral("1usuat,2usuat,3euuat"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM events_us")), QStringLiteral("2"));
    // Every partition of the excluded table is empty.
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM audit_2025")), QStringLiteral("0"));
    QCOMPARE(value(uat, QStringLiteral("SELECT count(*) FROM audit_2026")), QStringLiteral("0"));
    // The kept inheritance family: each table has its own rows back, none moved to the parent.
    QCOMPARE(value(uat, QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY id) FROM ONLY contacts")),
             QStringLiteral("100"));
    QCOMPARE(value(uat, QStringLiteral("SELECT string_agg(id || vendor, ',' ORDER BY id) FROM vendor_contacts")),
             QStringLiteral("101U,102U"));

    run = cli({QStringLiteral("rollback"), QString::number(id)});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY(dump(uat) == before);

    // A partition named by its own rule as well as through its partitioned table: two
    // rules would act on its rows; refused before anything runs.
    const QString overlap = QDir(m_catalog.path()).filePath(QStringLiteral("overlap-policy.json"));
    QFile f(overlap);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({ "rules": [
        { "id": "events", "title": "Events", "reason": "environment-specific", "table": "events",
          "action": "keep-target" },
        { "id": "eu", "title": "EU events", "reason": "security", "table": "events_eu", "action": "exclude" } ] })");
    f.close();
    run = cli({QStringLiteral("project"), QStringLiteral("policy"), QStringLiteral("family"), overlap});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = cli({QStringLiteral("preflight"), QStringLiteral("--source"), QStringLiteral("family-prod"),
               QStringLiteral("--target"), QStringLiteral("family-uat")});
    QVERIFY2(run.exitedWith(3), qPrintable(run.describe()));
    QVERIFY2(run.outText().contains(QStringLiteral("rule \"eu\": table events_eu is a partition or child of a table "
                                                   "that rule \"events\" (on events) names")),
             qPrintable(run.outText()));
}

void TestPostgresFidelity::ruleOnAViewIsRefusedWithWords()
{
    const QString sql = NotesTable + QStringLiteral("CREATE VIEW note_view AS SELECT * FROM notes;");
    const QByteArray policy = R"({ "rules": [ { "id": "view", "title": "View", "reason": "security",
        "table": "note_view", "action": "blank", "columns": ["body"] } ] })";
    QString e;
    QVERIFY2(makePair(QStringLiteral("view"), sql, sql, policy, &e), qPrintable(e));
    const QByteArray before = dump(db(QStringLiteral("view"), QStringLiteral("uat")));
    const CliRun run = cli(refreshArgs(QStringLiteral("view")));
    QVERIFY2(!run.exitedWith(0), qPrintable(run.describe()));
    QVERIFY2(run.errText().contains(QStringLiteral("note_view is a view, not a table")) ||
                 run.outText().contains(QStringLiteral("note_view is a view, not a table")),
             qPrintable(run.describe()));
    QVERIFY(dump(db(QStringLiteral("view"), QStringLiteral("uat"))) == before);
}

void TestPostgresFidelity::lockedSourceTableFailsWithWords()
{
    QString e;
    QVERIFY2(makeNotesPair(QStringLiteral("lock"), &e),
             qPrintable(e));
    const DatabaseRef prod = db(QStringLiteral("lock"), QStringLiteral("prod"));
    const DatabaseRef uat = db(QStringLiteral("lock"), QStringLiteral("uat"));
    const QByteArray before = dump(uat);
    // Another session holds an exclusive lock on a table of the source, and keeps it.
    PostgresConnection holder;
    QVERIFY2(lockNotes(holder, prod, &e), qPrintable(e));

    QElapsedTimer t;
    t.start();
    const CliOutcome out =
        runCliWith(refreshArgs(QStringLiteral("lock")), {{QStringLiteral("DATAALM_PG_LOCK_TIMEOUT"), QStringLiteral("2")}},
                   120000);
    QVERIFY2(out.exitedWith(1), qPrintable(out.describe()));
    QVERIFY2(t.elapsed() < 60000, "the refresh waited for the lock longer than the timeout allows");
    const QString error = out.json().object().value(QStringLiteral("error")).toString();
    QVERIFY2(error.contains(QStringLiteral("another session holds a lock on a table of the source")) &&
                 error.contains(QStringLiteral("DATAALM_PG_LOCK_TIMEOUT")),
             qPrintable(out.describe()));
    holder.exec(QStringLiteral("ROLLBACK"), nullptr);
    QVERIFY(dump(uat) == before);
    QCOMPARE(databasesLike(uat.name), QStringList{uat.name}); // no staging database left

    // With the lock gone, Resume completes the same operation.
    const qint64 id = out.json().object().value(QStringLiteral("id")).toInteger();
    const CliRun resume = cli({QStringLiteral("resume"), QString::number(id), QStringLiteral("--json")});
    QVERIFY2(resume.exitedWith(0), qPrintable(resume.describe()));
}

void TestPostgresFidelity::cancelStopsACopyWaitingForALock()
{
    QString e;
    QVERIFY2(makeNotesPair(QStringLiteral("cancel"), &e),
             qPrintable(e));
    const DatabaseRef prod = db(QStringLiteral("cancel"), QStringLiteral("prod"));
    const DatabaseRef uat = db(QStringLiteral("cancel"), QStringLiteral("uat"));
    const QByteArray before = dump(uat);
    // Another session holds an exclusive lock on a table of the source; the refresh
    // starts with the default 60 s lock timeout and waits behind it.
    PostgresConnection holder;
    QVERIFY2(lockNotes(holder, prod, &e), qPrintable(e));
    CliProcess p;
    QVERIFY(p.start(refreshArgs(QStringLiteral("cancel"))));
    // Wait until the refresh's statements wait for that lock.
    QElapsedTimer t;
    t.start();
    bool waiting = false;
    while (!waiting && t.elapsed() < 30000) {
        waiting = value(server(), QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE datname = %1 AND "
                                                 "wait_event_type = 'Lock'")
                                      .arg(PostgresConnection::literal(prod.name)))
                      .toInt() > 0;
        if (!waiting)
            QThread::msleep(100);
    }
    QVERIFY2(waiting, qPrintable(QStringLiteral("the refresh never waited for the lock: ") +
                                 QString::fromUtf8(p.errSoFar())));
    t.restart();
    QVERIFY(p.sendSignal(SIGTERM));
    const CliOutcome out = p.finish(120000);
    const qint64 stoppedAfter = t.elapsed();
    holder.exec(QStringLiteral("ROLLBACK"), nullptr);
    QVERIFY2(!out.timedOut && !out.crashed, qPrintable(out.describe()));
    QVERIFY2(stoppedAfter < 30000, qPrintable(QStringLiteral("the cancel took %1 ms").arg(stoppedAfter)));
    QCOMPARE(out.json().object().value(QStringLiteral("state")).toString(), QStringLiteral("Aborted"));
    QVERIFY(dump(uat) == before);
    QCOMPARE(databasesLike(uat.name), QStringList{uat.name});
}

QTEST_GUILESS_MAIN(TestPostgresFidelity)
#include "tst_postgresfidelity.moc"
