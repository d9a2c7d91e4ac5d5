// EnvironmentRegistration, DatabaseConnectionTest and EnvironmentDraft: registering
// environments whose SQLite databases already exist, on a real catalog. Every
// refusal leaves the catalog (and the databases) exactly as they were; removal only
// forgets; operations in the way are named.
#include "TestSupport.h"

#include "catalog/Catalog.h"
#include "registration/DatabaseConnectionTest.h"
#include "environment/DatabaseUrl.h"
#include "environment/EnvironmentDraft.h"
#include "registration/EnvironmentRegistration.h"
#include "catalog/OperationStore.h"

#include <QDir>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using Refusal = EnvironmentRegistration::Refusal;

class TestEnvironmentRegistration : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void draftProblemsNameTheirField_data();
    void draftProblemsNameTheirField();
    void addRegistersAndCreatesTheProject();
    void addRefusesWithoutWriting_data();
    void addRefusesWithoutWriting();
    void dialogStepsTestOnlyWhatIsNew();
    void connectionTestReportsEachDatabase();
    void editChangesOnlyWhatIsGiven();
    void editOfUnknownAndUnchanged();
    void removeForgetsAndKeepsTheFiles();
    void removeRefusedWhileOperationsNeedIt();

private:
    // A SQLite database file with one table, under the test's folder.
    QString database(const QString& name);
    EnvironmentDraft draft(const QString& id, const QString& transactional, const QString& fr = {}) const;
    // The catalog's projects, environments, databases and audit rows, as text: equal = nothing written.
    QString catalogState();
    qint64 operation(const QString& source, const QString& target, const QList<OperationState>& path);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TemporaryCatalog> m_catalog;
};

void TestEnvironmentRegistration::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestEnvironmentRegistration::database(const QString& name)
{
    const QString path = m_dir->filePath(name);
    QString error;
    if (!TestSupport::execSqlite(path,
                                 {QStringLiteral("CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name "
                                                 "TEXT)"),
                                  QStringLiteral("INSERT INTO customers (name) VALUES ('Ada')")},
                                 &error))
        qWarning("%s", qPrintable(error));
    return path;
}

EnvironmentDraft TestEnvironmentRegistration::draft(const QString& id, const QString& transactional,
                                                    const QString& fr) const
{
    EnvironmentDraft d;
    d.id = id;
    d.project = QStringLiteral("shop");
    d.type = QStringLiteral("sandbox");
    d.tenant = QStringLiteral("shop.example");
    d.admin = QStringLiteral("ops@shop.example");
    d.application = QStringLiteral("2.4.1");
    d.platform = QStringLiteral("30");
    d.databases.insert(DatabaseRef::Transactional, QStringLiteral("sqlite://") + transactional);
    if (!fr.isEmpty())
        d.databases.insert(DatabaseRef::FinancialReporting, QStringLiteral("sqlite://") + fr);
    return d;
}

QString TestEnvironmentRegistration::catalogState()
{
    QStringList rows;
    QSqlQuery q(m_catalog->catalog().database());
    for (const char* sql : {"SELECT * FROM projects ORDER BY id", "SELECT * FROM environments ORDER BY id",
                            "SELECT * FROM environment_databases ORDER BY environment_id, role",
                            "SELECT id, action, subject FROM audit ORDER BY id"}) {
        q.exec(QLatin1String(sql));
        while (q.next()) {
            QStringList values;
            for (int i = 0; i < q.record().count(); ++i)
                values << q.value(i).toString();
            rows << values.join(QLatin1Char('|'));
        }
    }
    return rows.join(QLatin1Char('\n'));
}

qint64 TestEnvironmentRegistration::operation(const QString& source, const QString& target,
                                              const QList<OperationState>& path)
{
    OperationStore store(m_catalog->catalog());
    QString error;
    const auto id = store.create(QStringLiteral("refresh"), QStringLiteral("shop"), source, target,
                                 {QStringLiteral("Validate")}, {}, &error);
    if (!id) {
        qWarning("%s", qPrintable(error));
        return -1;
    }
    for (OperationState s : path) {
        if (!store.transition(*id, s, &error)) {
            qWarning("%s", qPrintable(error));
            return -1;
        }
    }
    return *id;
}

void TestEnvironmentRegistration::draftProblemsNameTheirField_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("mention");
    QTest::newRow("no id") << "id="
                           << "id"
                           << "needs an id";
    QTest::newRow("upper-case id") << "id=UAT"
                                   << "id"
                                   << "'UAT'";
    QTest::newRow("id with a space") << "id=my uat"
                                     << "id"
                                     << "lower-case";
    QTest::newRow("no project") << "project"
                                << "project"
                                << "--project is required";
    QTest::newRow("bad project") << "project=Shop_1"
                                 << "project"
                                 << "'Shop_1'";
    QTest::newRow("unknown type") << "type=staging"
                                  << "type"
                                  << "'staging'";
    QTest::newRow("no type") << "type"
                             << "type"
                             << "--type is required";
    QTest::newRow("tenant with a space") << "tenant=a b"
                                         << "tenant"
                                         << "'a b'";
    QTest::newRow("no admin") << "admin"
                              << "admin"
                              << "--admin is required";
    QTest::newRow("application not a release") << "application=latest"
                                               << "application"
                                               << "'latest'";
    QTest::newRow("platform not a number") << "platform=sixty"
                                           << "platform"
                                           << "'sixty'";
    QTest::newRow("platform zero") << "platform=0"
                                   << "platform"
                                   << "'0'";
    QTest::newRow("fr not a version") << "financialReporting=7.x"
                                      << "financialReporting"
                                      << "'7.x'";
    QTest::newRow("commerce not a version") << "commerce=yes"
                                            << "commerce"
                                            << "'yes'";
    QTest::newRow("no transactional database") << "db:transactional"
                                               << "db:transactional"
                                               << "required";
    QTest::newRow("bad url") << "db:transactional=sqlite://x.db"
                             << "db:transactional"
                             << "three slashes";
    QTest::newRow("password in url") << "db:financial-reporting=postgresql://u:pw@h/erp"
                                     << "db:financial-reporting"
                                     << ".pgpass";
    QTest::newRow("unknown role") << "db:reporting=sqlite:///x.db"
                                  << "db:reporting"
                                  << "'reporting'";
    QTest::newRow("none in an add") << "db:financial-reporting=none"
                                    << "db:financial-reporting"
                                    << "env edit";
    QTest::newRow("same database twice") << "db:financial-reporting=sqlite:///srv/./a.db"
                                         << "db:financial-reporting"
                                         << "same database";
}

void TestEnvironmentRegistration::draftProblemsNameTheirField()
{
    QFETCH(QString, change);
    QFETCH(QString, field);
    QFETCH(QString, mention);
    EnvironmentDraft d = draft(QStringLiteral("uat"), QStringLiteral("/srv/a.db"));
    const int eq = change.indexOf(QLatin1Char('='));
    const QString key = eq < 0 ? change : change.left(eq);
    const std::optional<QString> value = eq < 0 ? std::nullopt : std::optional<QString>(change.mid(eq + 1));
    if (key == QLatin1String("id"))
        d.id = value.value_or(QString());
    else if (key == QLatin1String("project"))
        d.project = value;
    else if (key == QLatin1String("type"))
        d.type = value;
    else if (key == QLatin1String("tenant"))
        d.tenant = value;
    else if (key == QLatin1String("admin"))
        d.admin = value;
    else if (key == QLatin1String("application"))
        d.application = value;
    else if (key == QLatin1String("platform"))
        d.platform = value;
    else if (key == QLatin1String("financialReporting"))
        d.financialReporting = value;
    else if (key == QLatin1String("commerce"))
        d.commerce = value;
    else if (key.startsWith(QLatin1String("db:")) && value)
        d.databases.insert(key.mid(3), *value);
    else if (key.startsWith(QLatin1String("db:")))
        d.databases.remove(key.mid(3));
    const auto problems = EnvironmentRegistration::checkDraft(d, false);
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, field);
    QVERIFY2(problems.first().message.contains(mention), qPrintable(problems.first().message));

    // The same draft through add(): refused as Invalid, nothing written.
    const QString before = catalogState();
    const auto o = EnvironmentRegistration(m_catalog->catalog()).add(d);
    QCOMPARE(o.refusal, Refusal::Invalid);
    QCOMPARE(o.message, problems.first().message);
    QCOMPARE(catalogState(), before);
}

void TestEnvironmentRegistration::addRegistersAndCreatesTheProject()
{
    const QString axdb = database(QStringLiteral("uat.db"));
    const QString fr = database(QStringLiteral("uat-fr.db"));
    const QByteArray hash = TestSupport::fileSha256(axdb);
    EnvironmentDraft d = draft(QStringLiteral("shop-uat"), axdb, fr);
    d.commerce = QStringLiteral("9.50");
    d.name = QStringLiteral("Shop UAT");
    EnvironmentRegistration registration(m_catalog->catalog());
    auto o = registration.add(d);
    QVERIFY2(o.ok(), qPrintable(o.message));
    QVERIFY(o.projectCreated);
    QCOMPARE(o.connections.size(), 2);
    QVERIFY(DatabaseConnectionTest::allOk(o.connections));
    QVERIFY(o.warnings.isEmpty());

    const auto e = m_catalog->catalog().environment(QStringLiteral("shop-uat"));
    QVERIFY(e);
    QCOMPARE(e->name, QStringLiteral("Shop UAT"));
    QCOMPARE(e->projectId, QStringLiteral("shop"));
    QCOMPARE(e->type, EnvironmentType::Sandbox);
    QCOMPARE(e->state, QStringLiteral("Deployed"));
    QCOMPARE(e->versions.platform, 30);
    QCOMPARE(e->versions.commerce, QStringLiteral("9.50"));
    QCOMPARE(e->versions.financialReporting, QString());
    QCOMPARE(e->databases.size(), 2);
    QCOMPARE(e->database(DatabaseRef::Transactional)->path, axdb);
    QCOMPARE(e->database(DatabaseRef::FinancialReporting)->path, fr);
    QCOMPARE(o.environment.toJson(), e->toJson());
    const auto project = m_catalog->catalog().project(QStringLiteral("shop"));
    QVERIFY(project);
    QCOMPARE(project->policyPath, QString());      // the default policy
    QCOMPARE(TestSupport::fileSha256(axdb), hash); // opened, never written

    // A second environment of the same project: the project is not created again.
    o = registration.add(draft(QStringLiteral("shop-prod"), database(QStringLiteral("prod.db"))));
    QVERIFY2(o.ok(), qPrintable(o.message));
    QVERIFY(!o.projectCreated);
    QCOMPARE(o.environment.name, QStringLiteral("shop-prod")); // no --name: the id
    QCOMPARE(m_catalog->catalog().projects().size(), 1);
    QCOMPARE(m_catalog->catalog().environments(QStringLiteral("shop")).size(), 2);
}

void TestEnvironmentRegistration::addRefusesWithoutWriting_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("refusal");
    QTest::addColumn<QString>("mention");
    QTest::newRow("duplicate id") << "duplicate" << int(Refusal::Invalid) << "already exists";
    QTest::newRow("database of another environment")
        << "shared" << int(Refusal::Invalid) << "already registered as shop-uat's transactional database";
    QTest::newRow("same file through a link") << "link" << int(Refusal::Invalid) << "already registered";
    QTest::newRow("missing file") << "missing" << int(Refusal::Unreachable) << "does not exist";
    QTest::newRow("not a database") << "garbage" << int(Refusal::Unreachable) << "cannot be opened";
    QTest::newRow("closed port") << "closed-port" << int(Refusal::Unreachable) << "127.0.0.1";
}

void TestEnvironmentRegistration::addRefusesWithoutWriting()
{
    QFETCH(QString, kind);
    QFETCH(int, refusal);
    QFETCH(QString, mention);
    EnvironmentRegistration registration(m_catalog->catalog());
    const QString uat = database(QStringLiteral("uat.db"));
    QVERIFY(registration.add(draft(QStringLiteral("shop-uat"), uat)).ok());
    const QString before = catalogState();

    EnvironmentDraft d = draft(QStringLiteral("other"), database(QStringLiteral("other.db")));
    d.project = QStringLiteral("newproject");
    if (kind == QLatin1String("duplicate")) {
        d.id = QStringLiteral("shop-uat");
    } else if (kind == QLatin1String("shared")) {
        d.databases.insert(DatabaseRef::FinancialReporting, QStringLiteral("sqlite://") + uat);
    } else if (kind == QLatin1String("link")) {
        const QString link = m_dir->filePath(QStringLiteral("link.db"));
        QVERIFY(QFile::link(uat, link));
        d.databases.insert(DatabaseRef::Transactional, QStringLiteral("sqlite://") + link);
    } else if (kind == QLatin1String("missing")) {
        d.databases.insert(DatabaseRef::FinancialReporting,
                           QStringLiteral("sqlite://") + m_dir->filePath(QStringLiteral("nope.db")));
    } else if (kind == QLatin1String("garbage")) {
        const QString path = m_dir->filePath(QStringLiteral("garbage.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        d.databases.insert(DatabaseRef::FinancialReporting, QStringLiteral("sqlite://") + path);
    } else if (kind == QLatin1String("closed-port")) {
        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        d.databases.insert(DatabaseRef::FinancialReporting, QStringLiteral("postgresql://alm@127.0.0.1:1/erp"));
    }
    const auto o = registration.add(d);
    QCOMPARE(int(o.refusal), refusal);
    QVERIFY2(o.message.contains(mention), qPrintable(o.message));
    QCOMPARE(catalogState(), before);
    QVERIFY(!m_catalog->catalog().project(QStringLiteral("newproject")));
}

void TestEnvironmentRegistration::dialogStepsTestOnlyWhatIsNew()
{
    EnvironmentRegistration registration(m_catalog->catalog());
    const QString axdb = database(QStringLiteral("uat.db"));
    const EnvironmentDraft d = draft(QStringLiteral("shop-uat"), axdb, database(QStringLiteral("fr.db")));
    // 1. prepare (GUI thread): nothing opened, nothing written.
    const QString before = catalogState();
    const auto prepared = registration.prepareAdd(d);
    QVERIFY2(prepared.ok(), qPrintable(prepared.message));
    QCOMPARE(prepared.untested.size(), 2);
    QVERIFY(prepared.connections.isEmpty());
    QVERIFY(prepared.projectCreated);
    QCOMPARE(catalogState(), before);
    // 2. the worker tests them and identifies every database to compare; 3. registration
    // without a second test, with those identities.
    QVERIFY(DatabaseConnectionTest::allOk(DatabaseConnectionTest::run(prepared.untested)));
    const QList<DatabaseRef> compared = registration.databasesToCompare(prepared);
    qsizetype others = 0;
    for (const Environment& e : m_catalog->catalog().environments())
        others += e.databases.size();
    QCOMPARE(compared.size(), 2 + others); // its own two and every other environment's
    const EnvironmentRegistration::Identities identities = EnvironmentRegistration::identify(compared);
    // Without identities, nothing is registered: the aliases could not be looked for.
    const auto unidentified = registration.add(d, EnvironmentRegistration::Connections::AlreadyTested);
    QCOMPARE(int(unidentified.refusal), int(EnvironmentRegistration::Refusal::Invalid));
    QVERIFY2(unidentified.message.contains(QStringLiteral("cannot be identified")), qPrintable(unidentified.message));
    QCOMPARE(catalogState(), before);
    const auto added = registration.add(d, EnvironmentRegistration::Connections::AlreadyTested, identities);
    QVERIFY2(added.ok(), qPrintable(added.message));
    QVERIFY(added.connections.isEmpty());

    // An edit dialog starts from the environment; unchanged, there is nothing to test or write.
    const auto e = m_catalog->catalog().environment(QStringLiteral("shop-uat"));
    EnvironmentDraft same = EnvironmentDraft::fromEnvironment(*e);
    QCOMPARE(same.databases.value(DatabaseRef::Transactional),
             DatabaseUrl::format(*e->database(DatabaseRef::Transactional)));
    auto edited = registration.prepareEdit(same);
    QVERIFY2(edited.ok(), qPrintable(edited.message));
    QVERIFY(edited.changed.isEmpty());
    QVERIFY(edited.untested.isEmpty());
    // Only the database that moves is tested.
    same.databases.insert(DatabaseRef::FinancialReporting,
                          QStringLiteral("sqlite://") + database(QStringLiteral("fr2.db")));
    same.tenant = QStringLiteral("other.example");
    edited = registration.prepareEdit(same);
    QVERIFY2(edited.ok(), qPrintable(edited.message));
    QCOMPARE(edited.changed, (QStringList{QStringLiteral("tenant"), QStringLiteral("db:financial-reporting")}));
    QCOMPARE(edited.untested.size(), 1);
    QCOMPARE(edited.untested.first().role, DatabaseRef::FinancialReporting);
}

void TestEnvironmentRegistration::connectionTestReportsEachDatabase()
{
    DatabaseRef good;
    good.role = DatabaseRef::Transactional;
    good.driver = DatabaseRef::Sqlite;
    good.path = database(QStringLiteral("good.db"));
    DatabaseRef missing = good;
    missing.role = DatabaseRef::FinancialReporting;
    missing.path = m_dir->filePath(QStringLiteral("missing.db"));
    QStringList reported;
    const auto results = DatabaseConnectionTest::run(
        {good, missing}, [&](const DatabaseConnectionTest::Result& r) { reported << r.database.role; });
    QCOMPARE(reported, (QStringList{DatabaseRef::Transactional, DatabaseRef::FinancialReporting}));
    QCOMPARE(results.size(), 2);
    QVERIFY(results.at(0).ok);
    QVERIFY(results.at(0).sizeBytes > 0);
    QVERIFY(!results.at(1).ok);
    QVERIFY2(results.at(1).error.contains(QLatin1String("does not exist")), qPrintable(results.at(1).error));
    QVERIFY(!QFile::exists(missing.path)); // reported, never created
    QVERIFY(!DatabaseConnectionTest::allOk(results));
    QCOMPARE(results.at(1).toJson().value(QStringLiteral("ok")).toBool(true), false);
    QVERIFY(results.at(1).toJson().contains(QStringLiteral("error")));
    // Cancelled before the first: nothing tested.
    QVERIFY(DatabaseConnectionTest::run({good, missing}, {}, [] { return true; }).isEmpty());
}

void TestEnvironmentRegistration::editChangesOnlyWhatIsGiven()
{
    EnvironmentRegistration registration(m_catalog->catalog());
    EnvironmentDraft d =
        draft(QStringLiteral("shop-uat"), database(QStringLiteral("uat.db")), database(QStringLiteral("fr.db")));
    d.commerce = QStringLiteral("9.50");
    d.financialReporting = QStringLiteral("7.0.1");
    QVERIFY(registration.add(d).ok());
    const Environment before = *m_catalog->catalog().environment(QStringLiteral("shop-uat"));

    EnvironmentDraft change;
    change.id = QStringLiteral("shop-uat");
    change.platform = QStringLiteral("31");
    change.commerce = EnvironmentDraft::None;
    change.databases.insert(DatabaseRef::FinancialReporting, EnvironmentDraft::None);
    const auto o = registration.edit(change);
    QVERIFY2(o.ok(), qPrintable(o.message));
    QCOMPARE(o.changed, (QStringList{QStringLiteral("commerce"), QStringLiteral("platform"),
                                     QStringLiteral("db:financial-reporting")}));
    QVERIFY(o.connections.isEmpty()); // nothing new to open
    Environment after = *m_catalog->catalog().environment(QStringLiteral("shop-uat"));
    QCOMPARE(after.versions.platform, 31);
    QCOMPARE(after.versions.commerce, QString());
    QCOMPARE(after.databases.size(), 1);
    // Everything else as it was.
    after.versions.platform = before.versions.platform;
    after.versions.commerce = before.versions.commerce;
    after.databases = before.databases;
    QCOMPARE(after.toJson(), before.toJson());

    // A new financial reporting database that cannot be opened: nothing changes.
    change = EnvironmentDraft();
    change.id = QStringLiteral("shop-uat");
    change.tenant = QStringLiteral("elsewhere.example");
    change.databases.insert(DatabaseRef::FinancialReporting,
                            QStringLiteral("sqlite://") + m_dir->filePath(QStringLiteral("nope.db")));
    const QString state = catalogState();
    QCOMPARE(registration.edit(change).refusal, Refusal::Unreachable);
    QCOMPARE(catalogState(), state);

    // Moving to a new project creates it.
    change = EnvironmentDraft();
    change.id = QStringLiteral("shop-uat");
    change.project = QStringLiteral("shop2");
    const auto moved = registration.edit(change);
    QVERIFY2(moved.ok(), qPrintable(moved.message));
    QVERIFY(moved.projectCreated);
    QCOMPARE(m_catalog->catalog().environment(QStringLiteral("shop-uat"))->projectId, QStringLiteral("shop2"));
}

void TestEnvironmentRegistration::editOfUnknownAndUnchanged()
{
    EnvironmentRegistration registration(m_catalog->catalog());
    EnvironmentDraft change;
    change.id = QStringLiteral("ghost");
    change.tenant = QStringLiteral("x.example");
    QCOMPARE(registration.edit(change).refusal, Refusal::Unknown);
    change.tenant.reset();
    const auto problems = EnvironmentRegistration::checkDraft(change, true);
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems.first().message.contains(QLatin1String("nothing to change")));
    // The transactional database can be replaced, never removed.
    change.databases.insert(DatabaseRef::Transactional, EnvironmentDraft::None);
    QVERIFY(EnvironmentRegistration::checkDraft(change, true)
                .first()
                .message.contains(QLatin1String("cannot be "
                                                "removed")));
    QVERIFY(registration.add(draft(QStringLiteral("shop-uat"), database(QStringLiteral("uat.db")))).ok());
    change = EnvironmentDraft();
    change.id = QStringLiteral("shop-uat");
    change.tenant = QStringLiteral("shop.example"); // as it is
    const QString state = catalogState();
    const auto o = registration.edit(change);
    QVERIFY(o.ok());
    QVERIFY(o.changed.isEmpty());
    QCOMPARE(catalogState(), state);
}

void TestEnvironmentRegistration::removeForgetsAndKeepsTheFiles()
{
    EnvironmentRegistration registration(m_catalog->catalog());
    const QString axdb = database(QStringLiteral("uat.db"));
    const QString fr = database(QStringLiteral("fr.db"));
    QVERIFY(registration.add(draft(QStringLiteral("shop-uat"), axdb, fr)).ok());
    const auto folder = TestSupport::folderSnapshot(m_dir->path());
    const auto o = registration.remove(QStringLiteral("shop-uat"));
    QVERIFY2(o.ok(), qPrintable(o.message));
    QCOMPARE(o.environment.databases.size(), 2);
    QVERIFY(!m_catalog->catalog().environment(QStringLiteral("shop-uat")));
    QCOMPARE(TestSupport::folderSnapshot(m_dir->path()), folder);
    QCOMPARE(m_catalog->catalog().auditTrail(1).first().action, QStringLiteral("environment.remove"));
    // The project stays (with its policy and asset library).
    QVERIFY(m_catalog->catalog().project(QStringLiteral("shop")));
    QCOMPARE(registration.remove(QStringLiteral("shop-uat")).refusal, Refusal::Unknown);
    // The same databases can be registered again.
    QVERIFY(registration.add(draft(QStringLiteral("shop-uat2"), axdb, fr)).ok());
}

void TestEnvironmentRegistration::removeRefusedWhileOperationsNeedIt()
{
    EnvironmentRegistration registration(m_catalog->catalog());
    QVERIFY(registration.add(draft(QStringLiteral("prod"), database(QStringLiteral("prod.db")))).ok());
    QVERIFY(registration.add(draft(QStringLiteral("uat"), database(QStringLiteral("uat.db")))).ok());
    using S = OperationState;

    // A failed refresh: the target may be resumed or rolled back, the source may be read again.
    const qint64 failed = operation(QStringLiteral("prod"), QStringLiteral("uat"), {S::InProgress, S::Failed});
    QVERIFY(failed > 0);
    QString state = catalogState();
    auto o = registration.remove(QStringLiteral("uat"));
    QCOMPARE(o.refusal, Refusal::NotAllowed);
    QVERIFY2(o.message.contains(QStringLiteral("operation %1 (Refresh database) on it is Failed").arg(failed)),
             qPrintable(o.message));
    o = registration.remove(QStringLiteral("prod"));
    QCOMPARE(o.refusal, Refusal::NotAllowed);
    QVERIFY2(o.message.contains(QStringLiteral("source of operation %1").arg(failed)), qPrintable(o.message));
    // Editing is refused too while it is unfinished.
    EnvironmentDraft change;
    change.id = QStringLiteral("uat");
    change.admin = QStringLiteral("someone@shop.example");
    QCOMPARE(registration.edit(change).refusal, Refusal::NotAllowed);
    QCOMPARE(catalogState(), state);

    // Rolled back: nothing holds them any more.
    OperationStore store(m_catalog->catalog());
    QString error;
    QVERIFY(store.transition(failed, S::RollbackInProgress, &error));
    QVERIFY(store.transition(failed, S::RollbackCompleted, &error));

    // A completed refresh keeps a restore point until it is signed off.
    const qint64 done = operation(QStringLiteral("prod"), QStringLiteral("uat"), {S::InProgress, S::Completed});
    QVERIFY(done > 0);
    o = registration.remove(QStringLiteral("uat"));
    QCOMPARE(o.refusal, Refusal::NotAllowed);
    QVERIFY2(o.message.contains(QStringLiteral("dataalm signoff %1").arg(done)), qPrintable(o.message));
    // Its versions may change (no database moves); its databases may not.
    QVERIFY(registration.edit(change).ok());
    change = EnvironmentDraft();
    change.id = QStringLiteral("uat");
    change.databases.insert(DatabaseRef::Transactional,
                            QStringLiteral("sqlite://") + database(QStringLiteral("uat-new.db")));
    QCOMPARE(registration.edit(change).refusal, Refusal::NotAllowed);
    // The source of a completed refresh is free.
    QVERIFY(registration.remove(QStringLiteral("prod")).ok());

    QVERIFY(store.transition(done, S::SignedOff, &error));
    o = registration.remove(QStringLiteral("uat"));
    QVERIFY2(o.ok(), qPrintable(o.message));
    QVERIFY(m_catalog->catalog().environments().isEmpty());
}

QTEST_GUILESS_MAIN(TestEnvironmentRegistration)
#include "tst_environmentregistration.moc"
