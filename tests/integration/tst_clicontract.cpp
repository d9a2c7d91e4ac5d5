// The CLI contract of docs/ARCHITECTURE.md, against the real `dataalm` binary: exit codes,
// one-line messages on stderr, only the result on stdout, the JSON of `env list` and
// `env show`, and catalogs that cannot be opened (exit 8, nothing changed).
#include "TestSupport.h"

#include "catalog/Catalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace TestSupport;

class TestCliContract : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void version();
    void help();
    void noArguments();
    void unknownCommand();
    void emptyCatalog();
    void envListJson();
    void envShowJson_data();
    void envShowJson();
    void envShowText();
    void optionsAnywhere();
    void demoPrintsOnlyItsResult();
    void unknownEnvironment();
    void badArguments_data();
    void badArguments();
    void catalogErrors_data();
    void catalogErrors();

private:
    // The demo catalog shared by the tests that only read it.
    QString demoFolder();

    QTemporaryDir m_demo;
    QString m_demoError;
    bool m_demoReady = false;
};

namespace {

QStringList words(const char* line)
{
    return QString::fromUtf8(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QStringList withCatalog(QStringList args, const QString& folder)
{
    return args << QStringLiteral("--catalog") << folder;
}

// The demo project table of docs/ARCHITECTURE.md.
struct DemoEnvironment
{
    const char* id;
    const char* type;
    const char* application;
    int platform;
    const char* financialReporting;
    bool commerce;
    const char* tenant;
};

const DemoEnvironment demoEnvironments[] = {
    {"contoso-prod", "production", "10.0.40", 64, "7.0.10040.3", true, "contoso.onmicrosoft.com"},
    {"contoso-uat", "sandbox", "10.0.40", 64, "7.0.10040.5", true, "contoso.onmicrosoft.com"},
    {"contoso-uat2", "sandbox", "10.0.39", 63, "7.0.10039.1", true, "contoso.onmicrosoft.com"},
    {"contoso-dev", "devtest", "10.0.40", 64, "7.0.10040.5", false, "contoso.onmicrosoft.com"},
    {"fabrikam-uat", "sandbox", "10.0.40", 64, "7.0.10040.5", true, "fabrikam.onmicrosoft.com"},
};

const DemoEnvironment* demoEnvironment(const QString& id)
{
    for (const auto& d : demoEnvironments) {
        if (id == QLatin1String(d.id))
            return &d;
    }
    return nullptr;
}

// Checks one environment object of `env list --json` / `env show --json` against the
// contract's fields and the demo project table of docs/ARCHITECTURE.md.
void checkEnvironmentJson(const QJsonObject& o, const QString& catalogFolder)
{
    QCOMPARE(sortedKeys(o), words("admin databases id name state tenant type versions"));
    const QString id = o.value(QStringLiteral("id")).toString();
    const DemoEnvironment* d = demoEnvironment(id);
    QVERIFY2(d, qPrintable(QStringLiteral("unexpected environment '%1'").arg(id)));

    QVERIFY(o.value(QStringLiteral("name")).isString());
    QVERIFY(!o.value(QStringLiteral("name")).toString().isEmpty());
    QCOMPARE(o.value(QStringLiteral("type")).toString(), QString::fromUtf8(d->type));
    QCOMPARE(o.value(QStringLiteral("state")).toString(), QStringLiteral("Deployed"));
    QCOMPARE(o.value(QStringLiteral("tenant")).toString(), QString::fromUtf8(d->tenant));
    QCOMPARE(o.value(QStringLiteral("admin")).toString(), QStringLiteral("admin@") + QString::fromUtf8(d->tenant));

    const QJsonObject v = o.value(QStringLiteral("versions")).toObject();
    QCOMPARE(sortedKeys(v), words("application commerce financialReporting platform"));
    QCOMPARE(v.value(QStringLiteral("application")).toString(), QString::fromUtf8(d->application));
    QVERIFY(v.value(QStringLiteral("platform")).isDouble());
    QCOMPARE(v.value(QStringLiteral("platform")).toInt(), d->platform);
    QCOMPARE(v.value(QStringLiteral("financialReporting")).toString(), QString::fromUtf8(d->financialReporting));
    if (d->commerce) {
        QVERIFY2(v.value(QStringLiteral("commerce")).isString(), qPrintable(id));
        QVERIFY2(!v.value(QStringLiteral("commerce")).toString().isEmpty(), qPrintable(id));
    } else {
        QVERIFY2(v.value(QStringLiteral("commerce")).isNull(), qPrintable(id));
    }

    const QJsonArray dbs = o.value(QStringLiteral("databases")).toArray();
    QCOMPARE(dbs.size(), 2);
    QStringList roles;
    for (const auto& value : dbs) {
        const QJsonObject db = value.toObject();
        QCOMPARE(sortedKeys(db), words("driver path role"));
        roles << db.value(QStringLiteral("role")).toString();
        QCOMPARE(db.value(QStringLiteral("driver")).toString(), QStringLiteral("sqlite"));
        const QString path = db.value(QStringLiteral("path")).toString();
        QVERIFY2(QFileInfo(path).isAbsolute(), qPrintable(path));
        QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
        QVERIFY2(QFileInfo(path).canonicalFilePath().startsWith(QFileInfo(catalogFolder).canonicalFilePath() +
                                                                QLatin1Char('/')),
                 qPrintable(path));
    }
    roles.sort();
    QCOMPARE(roles, words("financial-reporting transactional"));
}

} // namespace

void TestCliContract::initTestCase()
{
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath()));
    QVERIFY(m_demo.isValid());
    m_demoReady = createDemoCatalog(m_demo.path(), 2, &m_demoError);
}

QString TestCliContract::demoFolder()
{
    return m_demoReady ? m_demo.path() : QString();
}

void TestCliContract::version()
{
    const CliRun run = runCli({QStringLiteral("--version")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QCOMPARE(run.outText(), QStringLiteral("dataalm %1\n").arg(QStringLiteral(DATAALM_VERSION)));
    QCOMPARE(run.errText(), QString());
}

void TestCliContract::help()
{
    for (const QStringList& args : {words("--help"), words("-h"), words("env show --help")}) {
        const CliRun run = runCli(args);
        QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
        QVERIFY2(run.outText().startsWith(QLatin1String("Usage: dataalm")), qPrintable(run.describe()));
        for (const char* mention : {"demo", "env list", "env show", "--catalog", "--json", "--version"})
            QVERIFY2(run.outText().contains(QLatin1String(mention)), mention);
        QCOMPARE(run.errText(), QString());
    }
}

void TestCliContract::noArguments()
{
    const CliRun run = runCli({});
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    // A usage error: no result, so nothing on stdout; the usage goes to stderr.
    QCOMPARE(run.outText(), QString());
    QVERIFY2(run.errText().contains(QLatin1String("Usage: dataalm")), qPrintable(run.describe()));
}

void TestCliContract::unknownCommand()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("catalog"));
    const CliRun run = runCli(withCatalog(words("frobnicate --json"), folder));
    QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY2(run.errText().contains(QLatin1String("frobnicate")), qPrintable(run.describe()));
    QCOMPARE(run.outText(), QString());
    QVERIFY2(!QFileInfo::exists(folder), "a usage error created the catalog folder");
}

void TestCliContract::emptyCatalog()
{
    QTemporaryDir tmp;
    const QString folder = tmp.filePath(QStringLiteral("new/catalog"));

    const CliRun json = runCli(withCatalog(words("env list --json"), folder));
    QVERIFY2(json.exitedWith(0), qPrintable(json.describe()));
    QString parseError;
    const QJsonDocument doc = json.json(&parseError);
    QVERIFY2(doc.isArray(), qPrintable(parseError + QStringLiteral(": ") + json.outText()));
    QCOMPARE(doc.array().size(), 0);
    QVERIFY2(QFileInfo(QDir(folder).filePath(QStringLiteral("catalog.db"))).isFile(), "the folder was not initialised");

    const CliRun text = runCli(withCatalog(words("env list"), folder));
    QVERIFY2(text.exitedWith(0), qPrintable(text.describe()));
    QCOMPARE(text.outText(), QString()); // the hint about `dataalm demo` is a message: stderr
    QVERIFY2(text.errText().contains(QLatin1String("dataalm demo")), qPrintable(text.describe()));

    Catalog c;
    QString error;
    QVERIFY2(c.open(folder, &error), qPrintable(error));
    QCOMPARE(c.schemaVersion(), Catalog::currentSchemaVersion());
}

void TestCliContract::envListJson()
{
    if (!m_demoReady)
        QFAIL(qPrintable(QStringLiteral("dataalm demo failed: ") + m_demoError));
    const CliRun run = runCli(withCatalog(words("env list --json"), demoFolder()));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QString parseError;
    const QJsonDocument doc = run.json(&parseError);
    QVERIFY2(doc.isArray(), qPrintable(parseError));
    QStringList ids;
    for (const auto& value : doc.array()) {
        QVERIFY(value.isObject());
        checkEnvironmentJson(value.toObject(), demoFolder());
        if (QTest::currentTestFailed())
            return;
        ids << value.toObject().value(QStringLiteral("id")).toString();
    }
    ids.sort();
    QCOMPARE(ids, words("contoso-dev contoso-prod contoso-uat contoso-uat2 fabrikam-uat"));
    // The production environment comes first, as on LCS's project page.
    QCOMPARE(doc.array().first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("contoso-prod"));
}

void TestCliContract::envShowJson_data()
{
    QTest::addColumn<QString>("id");
    for (const auto& d : demoEnvironments)
        QTest::newRow(d.id) << QString::fromUtf8(d.id);
}

void TestCliContract::envShowJson()
{
    QFETCH(QString, id);
    if (!m_demoReady)
        QFAIL(qPrintable(QStringLiteral("dataalm demo failed: ") + m_demoError));
    const CliRun run = runCli(
        withCatalog({QStringLiteral("env"), QStringLiteral("show"), id, QStringLiteral("--json")}, demoFolder()));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QString parseError;
    const QJsonDocument doc = run.json(&parseError);
    QVERIFY2(doc.isObject(), qPrintable(parseError));
    checkEnvironmentJson(doc.object(), demoFolder());
    QCOMPARE(doc.object().value(QStringLiteral("id")).toString(), id);

    // The same object as in `env list --json`.
    const CliRun list = runCli(withCatalog(words("env list --json"), demoFolder()));
    QVERIFY2(list.exitedWith(0), qPrintable(list.describe()));
    bool found = false;
    for (const auto& value : list.json().array()) {
        if (value.toObject().value(QStringLiteral("id")).toString() == id) {
            QCOMPARE(value.toObject(), doc.object());
            found = true;
        }
    }
    QVERIFY(found);
}

void TestCliContract::envShowText()
{
    if (!m_demoReady)
        QFAIL(qPrintable(QStringLiteral("dataalm demo failed: ") + m_demoError));
    const CliRun run = runCli(withCatalog(words("env show contoso-uat2"), demoFolder()));
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const char* mention : {"contoso-uat2", "Sandbox", "10.0.39", "63", "7.0.10039.1", "contoso.onmicrosoft.com"})
        QVERIFY2(run.outText().contains(QLatin1String(mention)), mention);
    QCOMPARE(run.errText(), QString());
}

void TestCliContract::optionsAnywhere()
{
    if (!m_demoReady)
        QFAIL(qPrintable(QStringLiteral("dataalm demo failed: ") + m_demoError));
    const QString c = demoFolder();
    const CliRun after = runCli(words("env show contoso-uat --json") << QStringLiteral("--catalog") << c);
    const CliRun before =
        runCli(QStringList{QStringLiteral("--json"), QStringLiteral("--catalog"), c} + words("env show contoso-uat"));
    const CliRun between =
        runCli(QStringList{QStringLiteral("env"), QStringLiteral("--catalog=") + c} + words("show --json contoso-uat"));
    for (const CliRun* run : {&after, &before, &between})
        QVERIFY2(run->exitedWith(0), qPrintable(run->describe()));
    QVERIFY(after.json().isObject());
    QCOMPARE(before.out, after.out);
    QCOMPARE(between.out, after.out);
}

void TestCliContract::demoPrintsOnlyItsResult()
{
    QTemporaryDir tmp;
    const CliRun json =
        runCli(withCatalog(words("demo --size-mb 1 --json"), tmp.filePath(QStringLiteral("a"))), 600000);
    QVERIFY2(json.exitedWith(0), qPrintable(json.describe()));
    QString parseError;
    const QJsonObject o = json.json(&parseError).object();
    QVERIFY2(parseError.isEmpty(), qPrintable(parseError + QStringLiteral(": ") + json.outText()));
    QCOMPARE(o.value(QStringLiteral("project")).toString(), QStringLiteral("contoso"));
    QCOMPARE(o.value(QStringLiteral("environments")).toArray().size(), 5);

    const CliRun text = runCli(withCatalog(words("demo --size-mb 1"), tmp.filePath(QStringLiteral("b"))), 600000);
    QVERIFY2(text.exitedWith(0), qPrintable(text.describe()));
    // One line of result; progress, if any, went to stderr.
    QCOMPARE(text.outText().count(QLatin1Char('\n')), 1);
    QVERIFY2(text.outText().contains(QLatin1String("contoso")), qPrintable(text.describe()));
}

void TestCliContract::unknownEnvironment()
{
    if (!m_demoReady)
        QFAIL(qPrintable(QStringLiteral("dataalm demo failed: ") + m_demoError));
    for (const QStringList& args : {words("env show nope"), words("env show nope --json")}) {
        const CliRun run = runCli(withCatalog(args, demoFolder()));
        QVERIFY2(run.exitedWith(4), qPrintable(run.describe()));
        QCOMPARE(run.errLines().size(), 1);
        QVERIFY2(run.errText().contains(QLatin1String("'nope'")), qPrintable(run.describe()));
        QCOMPARE(run.outText(), QString());
    }
}

void TestCliContract::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("unknown option") << words("env list --bogus") << QStringLiteral("--bogus");
    QTest::newRow("unknown short option") << words("env list -x") << QStringLiteral("-x");
    QTest::newRow("env show without id") << words("env show") << QStringLiteral("environment id");
    QTest::newRow("env show with two ids") << words("env show contoso-uat extra") << QStringLiteral("extra");
    QTest::newRow("env without subcommand") << words("env") << QStringLiteral("env");
    QTest::newRow("unknown env subcommand") << words("env frob") << QStringLiteral("frob");
    QTest::newRow("env list argument") << words("env list extra") << QStringLiteral("extra");
    QTest::newRow("size-mb zero") << words("demo --size-mb zero") << QStringLiteral("zero");
    QTest::newRow("size-mb 0") << words("demo --size-mb 0") << QStringLiteral("--size-mb");
    QTest::newRow("bad project name") << words("demo --project Bad_Name") << QStringLiteral("Bad_Name");
    QTest::newRow("demo argument") << words("demo extra") << QStringLiteral("extra");
    QTest::newRow("env list --source") << words("env list --source x") << QStringLiteral("--source");
    QTest::newRow("env show --yes") << words("env show contoso-uat --yes") << QStringLiteral("--yes");
    QTest::newRow("missing value") << words("env list --project") << QStringLiteral("--project");
    QTest::newRow("flag with a value") << words("env list --json=yes") << QStringLiteral("--json");
}

void TestCliContract::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    QTemporaryDir tmp;
    // A usage error is found before the catalog is touched: the folder stays missing.
    const QString folder = tmp.filePath(QStringLiteral("catalog"));
    for (const bool json : {false, true}) {
        QStringList a = withCatalog(args, folder);
        if (json)
            a.prepend(QStringLiteral("--json"));
        const CliRun run = runCli(a);
        QVERIFY2(run.exitedWith(2), qPrintable(run.describe()));
        QVERIFY2(run.errLines().size() == 1, qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(named), qPrintable(run.describe()));
        QCOMPARE(run.outText(), QString());
        QVERIFY2(!QFileInfo::exists(folder), qPrintable(QStringLiteral("created %1: ").arg(folder) + run.describe()));
    }
}

void TestCliContract::catalogErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("mention");
    QTest::newRow("not writable") << QStringLiteral("read-only") << QStringLiteral("not writable");
    QTest::newRow("missing under a read-only folder")
        << QStringLiteral("read-only-missing") << QStringLiteral("Cannot create");
    QTest::newRow("corrupt") << QStringLiteral("corrupt") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("foreign database") << QStringLiteral("foreign") << QStringLiteral("not a DataALM catalog");
    QTest::newRow("newer schema") << QStringLiteral("newer") << QStringLiteral("newer DataALM");
    QTest::newRow("folder is a file") << QStringLiteral("file") << QStringLiteral("not a folder");
    QTest::newRow("parent is a file") << QStringLiteral("under-file") << QStringLiteral("Cannot create");
}

void TestCliContract::catalogErrors()
{
    QFETCH(QString, kind);
    QFETCH(QString, mention);
    QTemporaryDir tmp;
    ReadOnlyMount mount;
    QString error;
    QString watched = tmp.path();
    QString folder = tmp.filePath(QStringLiteral("catalog"));
    const QString dbPath = QDir(folder).filePath(QStringLiteral("catalog.db"));
    auto writeCatalog = [](const QString& dir) {
        Catalog c;
        QString e;
        return c.open(dir, &e) && c.addProject({QStringLiteral("contoso"), QStringLiteral("Contoso"), {}}, &e);
    };

    if (kind.startsWith(QLatin1String("read-only"))) {
        if (!mount.mount(&error, writeCatalog))
            QFAIL(qPrintable(QStringLiteral("cannot mount a read-only tmpfs (this test needs root, as CI has): ") + error));
        watched = mount.path();
        folder = kind == QLatin1String("read-only") ? mount.path() : mount.path() + QStringLiteral("/sub/catalog");
    } else if (kind == QLatin1String("corrupt")) {
        QVERIFY(QDir().mkpath(folder));
        QFile f(dbPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray garbage(8192, '\0');
        for (int i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 7919 + 13) % 251);
        f.write(garbage);
    } else if (kind == QLatin1String("foreign")) {
        QVERIFY(QDir().mkpath(folder));
        QVERIFY2(
            execSqlite(dbPath, {QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")}, &error),
            qPrintable(error));
    } else if (kind == QLatin1String("newer")) {
        QVERIFY(writeCatalog(folder));
        QVERIFY2(execSqlite(dbPath, {QStringLiteral("PRAGMA user_version = 99")}, &error), qPrintable(error));
    } else {
        const QString file = tmp.filePath(QStringLiteral("file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a file\n");
        folder = kind == QLatin1String("file") ? file : file + QStringLiteral("/catalog");
    }

    const auto before = folderSnapshot(watched);
    for (const QStringList& args : {words("env list"), words("env list --json"), words("env show contoso-uat --json"),
                                    words("demo --size-mb 1")}) {
        const CliRun run = runCli(withCatalog(args, folder));
        QVERIFY2(run.exitedWith(8), qPrintable(run.describe()));
        QVERIFY2(run.errLines().size() == 1, qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(mention), qPrintable(run.describe()));
        QVERIFY2(run.errText().contains(QFileInfo(folder).absoluteFilePath()), qPrintable(run.describe()));
        if (kind == QLatin1String("newer"))
            QVERIFY2(run.errText().contains(QLatin1String("99")) &&
                         run.errText().contains(QString::number(Catalog::currentSchemaVersion())),
                     qPrintable(run.describe()));
        QCOMPARE(run.outText(), QString());
        QCOMPARE(folderSnapshot(watched), before);
    }
}

QTEST_GUILESS_MAIN(TestCliContract)
#include "tst_clicontract.moc"
