#include "demo/DemoGenerator.h"

#include "catalog/Catalog.h"
#include "demo/DemoEnvironmentPlan.h"
#include "demo/DemoFinancialReportingWriter.h"
#include "demo/DemoPostgresLoader.h"
#include "demo/DemoWriteJob.h"
#include "engine/PostgresConnection.h"
#include "environment/PostgresUrl.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <future>

#include <spdlog/spdlog.h>

namespace {

constexpr qint64 MiB = 1024 * 1024;

struct EnvironmentTemplate
{
    const char* suffix;
    const char* title;
    EnvironmentType type;
    const char* application;
    int platform;
    const char* financialReporting;
    const char* commerce;
    bool otherTenant;
    int aosCount;
};

// docs/ARCHITECTURE.md, "Demo project".
const EnvironmentTemplate Templates[] = {
    {"prod", "production", EnvironmentType::Production, "10.0.40", 64, "7.0.10040.3", "9.50", false, 4},
    {"uat", "UAT", EnvironmentType::Sandbox, "10.0.40", 64, "7.0.10040.5", "9.50", false, 2},
    {"uat2", "UAT 2", EnvironmentType::Sandbox, "10.0.39", 63, "7.0.10039.1", "9.49", false, 2},
    {"dev", "development", EnvironmentType::DevTest, "10.0.40", 64, "7.0.10040.5", "", false, 1},
    {"fabrikam-uat", "UAT", EnvironmentType::Sandbox, "10.0.40", 64, "7.0.10040.5", "9.50", true, 2},
};

QString capitalized(const QString& s)
{
    return s.isEmpty() ? s : s.left(1).toUpper() + s.mid(1);
}

void removeDatabaseFile(const QString& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

} // namespace

DemoGenerator::DemoGenerator(Catalog& catalog) : m_catalog(catalog) {}

QList<DemoEnvironmentPlan> DemoGenerator::plan(const Options& options) const
{
    const QString project = options.project;
    const bool contoso = project == QLatin1String("contoso");
    const QString tenant = project + QStringLiteral(".onmicrosoft.com");
    const QString otherTenant = project == QLatin1String("fabrikam") ? QStringLiteral("contoso.onmicrosoft.com")
                                                                     : QStringLiteral("fabrikam.onmicrosoft.com");
    const QString folder = QDir(m_catalog.folder()).filePath(QStringLiteral("environments"));
    const qint64 productionBytes = qint64(options.sizeMb) * MiB;
    const qint64 copyBytes = std::max<qint64>(1, options.sizeMb / 8) * MiB;

    QList<DemoEnvironmentPlan> plans;
    int ordinal = 0;
    for (const auto& t : Templates) {
        DemoEnvironmentPlan p;
        Environment& e = p.environment;
        const QString suffix = QLatin1String(t.suffix);
        e.id = t.otherTenant && contoso ? suffix : project + QLatin1Char('-') + suffix;
        e.projectId = project;
        if (t.otherTenant)
            e.name = (contoso ? QString() : capitalized(project) + QLatin1Char(' ')) + QStringLiteral("Fabrikam ") +
                     QLatin1String(t.title);
        else
            e.name = capitalized(project) + QLatin1Char(' ') + QLatin1String(t.title);
        e.type = t.type;
        e.tenant = t.otherTenant ? otherTenant : tenant;
        e.admin = QStringLiteral("admin@") + e.tenant;
        e.versions.application = QLatin1String(t.application);
        e.versions.platform = t.platform;
        e.versions.financialReporting = QLatin1String(t.financialReporting);
        e.versions.commerce = QLatin1String(t.commerce);
        const QDir dir(QDir(folder).filePath(e.id));
        for (const QString& role : {DatabaseRef::Transactional, DatabaseRef::FinancialReporting}) {
            DatabaseRef db;
            if (m_server) {
                db = *m_server;
                db.role = role;
                db.name = role == DatabaseRef::Transactional ? e.id : e.id + QStringLiteral("-fr");
                e.databases.append(db);
                continue;
            }
            db.role = role;
            db.driver = DatabaseRef::Sqlite;
            db.path = dir.filePath(role == DatabaseRef::Transactional ? QStringLiteral("transactional.db")
                                                                      : QStringLiteral("financial-reporting.db"));
            e.databases.append(db);
        }
        p.ordinal = ordinal++;
        p.aosCount = t.aosCount;
        p.transactionalBytes = t.type == EnvironmentType::Production ? productionBytes : copyBytes;
        plans.append(p);
    }
    return plans;
}

bool DemoGenerator::checkFree(const Options& options, const QList<DemoEnvironmentPlan>& plans, QString* error) const
{
    const QString catalogPath = m_catalog.folder();
    if (m_catalog.project(options.project)) {
        *error = QStringLiteral("The catalog %1 already has a project named %2. Nothing was changed: choose another "
                                "name with --project, or another catalog with --catalog.")
                     .arg(catalogPath, options.project);
        return false;
    }
    for (const auto& p : plans) {
        if (const auto existing = m_catalog.environment(p.environment.id)) {
            *error = QStringLiteral("The catalog %1 already has an environment %2 (project %3). Nothing was changed: "
                                    "choose another name with --project, or another catalog with --catalog.")
                         .arg(catalogPath, existing->id, existing->projectId);
            return false;
        }
        for (const auto& db : p.environment.databases) {
            if (db.isSqlite() && QFileInfo::exists(db.path)) {
                *error = QStringLiteral("The file %1 already exists, though no environment of the catalog uses it. "
                                        "Nothing was changed: move it aside, or choose another catalog with "
                                        "--catalog.")
                             .arg(db.path);
                return false;
            }
        }
    }
    if (m_server) {
        PostgresConnection server;
        QString e;
        if (!server.openMaintenance(*m_server, &e)) {
            *error = QStringLiteral("Cannot reach the PostgreSQL server %1:%2: %3. Nothing was changed.")
                         .arg(m_server->host)
                         .arg(m_server->port)
                         .arg(e);
            return false;
        }
        for (const auto& p : plans) {
            for (const auto& db : p.environment.databases) {
                const QVariant n = server.scalar(QStringLiteral("SELECT count(*) FROM pg_database WHERE datname = $1"),
                                                 &e, {db.name});
                if (!n.isValid() || n.toLongLong() > 0) {
                    *error = n.isValid() ? QStringLiteral("The database \"%1\" already exists on %2:%3. Nothing was "
                                                          "changed: drop it, or use another server.")
                                               .arg(db.name, m_server->host)
                                               .arg(m_server->port)
                                         : e;
                    return false;
                }
            }
        }
    }
    qint64 needed = 0;
    for (const auto& p : plans)
        needed += p.transactionalBytes + DemoFinancialReportingWriter::ApproximateBytes;
    const QStorageInfo storage(catalogPath);
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < needed + needed / 10) {
        *error = QStringLiteral("The demo project needs about %1 MB in %2, which has %3 MB free. Nothing was changed: "
                                "choose a smaller --size-mb, or another catalog with --catalog.")
                     .arg((needed + needed / 10) / MiB)
                     .arg(catalogPath)
                     .arg(storage.bytesAvailable() / MiB);
        return false;
    }
    return true;
}

bool DemoGenerator::generate(const Options& options, QString* error, const Progress& progress)
{
    m_createdFiles.clear();
    m_createdFolders.clear();
    m_createdDatabases.clear();
    m_server.reset();
    if (!options.postgresUrl.isEmpty()) {
        QString e;
        m_server = PostgresUrl::parse(options.postgresUrl, &e);
        if (!m_server) {
            *error = QStringLiteral("--postgres: %1").arg(e);
            return false;
        }
    }
    if (!m_catalog.isOpen()) {
        *error = QStringLiteral("The catalog is not open.");
        return false;
    }
    if (options.project.isEmpty()) {
        *error = QStringLiteral("The demo project needs a name.");
        return false;
    }
    if (options.sizeMb < 1) {
        *error = QStringLiteral("The production database size must be at least 1 MB, not %1.").arg(options.sizeMb);
        return false;
    }

    const QList<DemoEnvironmentPlan> plans = plan(options);
    if (!checkFree(options, plans, error))
        return false;

    bool ok = false;
    try {
        if (m_server) {
            // The rows are the SQLite demo's: written as SQLite files in a temporary
            // folder of the catalog, then loaded into the server.
            QTemporaryDir scratch(QDir(m_catalog.folder()).filePath(QStringLiteral(".demo-postgres-XXXXXX")));
            QList<DemoEnvironmentPlan> sqlitePlans = plans;
            for (auto& p : sqlitePlans) {
                for (auto& db : p.environment.databases) {
                    db.driver = DatabaseRef::Sqlite;
                    db.path = QDir(scratch.path()).filePath(p.environment.id + QLatin1Char('/') + db.name +
                                                            QStringLiteral(".db"));
                }
            }
            ok = scratch.isValid() && writeDatabases(sqlitePlans, error, progress) &&
                 loadIntoPostgres(sqlitePlans, plans, error, progress) && registerProject(options, plans, error);
            if (!scratch.isValid())
                *error = QStringLiteral("Cannot create a temporary folder in %1: %2")
                             .arg(m_catalog.folder(), scratch.errorString());
        } else {
            ok = writeDatabases(plans, error, progress) && registerProject(options, plans, error);
        }
    } catch (const std::exception& e) {
        *error = QStringLiteral("Generating the demo databases failed: %1").arg(QString::fromUtf8(e.what()));
        ok = false;
    }
    if (!ok) {
        removeCreated();
        *error += QStringLiteral(" The demo project was not created; nothing was left behind.");
        return false;
    }
    spdlog::info("demo project {} created in {} ({} MB production database)", options.project.toStdString(),
                 m_catalog.folder().toStdString(), options.sizeMb);
    return true;
}

bool DemoGenerator::writeDatabases(const QList<DemoEnvironmentPlan>& plans, QString* error, const Progress& progress)
{
    qint64 total = 0;
    for (const auto& p : plans)
        total += p.transactionalBytes + DemoFinancialReportingWriter::ApproximateBytes;

    const QString root = QDir(m_catalog.folder()).filePath(QStringLiteral("environments"));
    if (!QFileInfo(root).isDir()) {
        if (!QDir().mkpath(root)) {
            *error = QStringLiteral("Cannot create the folder %1.").arg(root);
            return false;
        }
        m_createdFolders.append(root);
    }

    // Production on this thread, the smaller copies on a second one: each file has its
    // own connection and its own random sequences, so the bytes do not depend on timing.
    DemoWriteJob production;
    DemoWriteJob copies;
    for (const auto& p : plans)
        (p.environment.type == EnvironmentType::Production ? production : copies).plans.append(p);
    std::atomic<bool> stop{false};
    const auto report = [&](const QString& what) {
        if (progress)
            progress(what, production.done() + copies.done(), total);
    };
    auto worker = std::async(std::launch::async, [&] { copies.run(stop, {}); });
    production.run(stop, [&] { report(production.what()); });
    while (worker.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
        if (!stop)
            report(copies.what());
    }
    worker.get();

    for (const DemoWriteJob* job : {&production, &copies}) {
        m_createdFiles += job->createdFiles();
        m_createdFolders += job->createdFolders();
    }
    if (!production.ok() || !copies.ok()) {
        // The job that failed first has the cause; the other one was only stopped.
        *error = !production.ok() && (production.failedFirst() || copies.ok()) ? production.error() : copies.error();
        return false;
    }
    if (progress)
        progress(QStringLiteral("Registering the environments"), total, total);
    return true;
}

bool DemoGenerator::registerProject(const Options& options, const QList<DemoEnvironmentPlan>& plans, QString* error)
{
    // Catalog::addEnvironment commits its own transaction, so one transaction cannot
    // span the registration: on a failure, what was registered is taken back.
    Project project;
    project.id = options.project;
    project.name = capitalized(options.project);
    if (!m_catalog.addProject(project, error))
        return false;
    QStringList added;
    for (const auto& p : plans) {
        if (!m_catalog.addEnvironment(p.environment, error)) {
            QString ignored;
            for (const auto& id : added)
                m_catalog.removeEnvironment(id, &ignored);
            QSqlQuery q(m_catalog.database());
            q.prepare(QStringLiteral("DELETE FROM projects WHERE id = ?"));
            q.addBindValue(options.project);
            q.exec();
            return false;
        }
        added.append(p.environment.id);
    }
    return true;
}

bool DemoGenerator::loadIntoPostgres(const QList<DemoEnvironmentPlan>& sqlitePlans,
                                     const QList<DemoEnvironmentPlan>& plans, QString* error, const Progress& progress)
{
    struct Load
    {
        QString path;
        DatabaseRef target;
        qint64 bytes = 0;
    };
    QList<Load> production;
    QList<Load> copies;
    qint64 total = 0;
    for (int i = 0; i < plans.size(); ++i) {
        for (int d = 0; d < plans.at(i).environment.databases.size(); ++d) {
            Load l{sqlitePlans.at(i).environment.databases.at(d).path, plans.at(i).environment.databases.at(d), 0};
            l.bytes = QFileInfo(l.path).size();
            total += l.bytes;
            (plans.at(i).environment.type == EnvironmentType::Production ? production : copies).append(l);
        }
    }
    std::atomic<bool> stop{false};
    std::atomic<qint64> done{0};
    const auto run = [&](const QList<Load>& loads, QString* e) {
        for (const Load& l : loads) {
            if (stop)
                return false;
            {
                QMutexLocker lock(&m_createdMutex);
                m_createdDatabases << l.target.name;
            }
            qint64 mine = 0;
            // COPY's text is about as big as the file: count it against the file's size.
            const bool ok = DemoPostgresLoader().load(l.path, l.target, e, [&](qint64 sent) {
                const qint64 now = std::min(sent, l.bytes);
                done += now - mine;
                mine = now;
                return !stop;
            });
            done += l.bytes - mine;
            if (!ok) {
                stop = true;
                return false;
            }
        }
        return true;
    };
    QString copiesError;
    auto worker = std::async(std::launch::async, [&] { return run(copies, &copiesError); });
    QString productionError;
    bool productionOk = false;
    auto main = std::async(std::launch::async, [&] { return run(production, &productionError); });
    while (main.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready ||
           worker.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
        if (progress)
            progress(QStringLiteral("Loading the databases into PostgreSQL"), std::min<qint64>(done, total), total);
    }
    productionOk = main.get();
    const bool copiesOk = worker.get();
    if (!productionOk || !copiesOk) {
        *error = !productionOk && productionError != QLatin1String("stopped") ? productionError : copiesError;
        if (error->isEmpty() || *error == QLatin1String("stopped"))
            *error = productionError;
        return false;
    }
    return true;
}

void DemoGenerator::removeCreated()
{
    if (m_server && !m_createdDatabases.isEmpty()) {
        PostgresConnection server;
        QString e;
        if (server.openMaintenance(*m_server, &e)) {
            for (const QString& name : std::as_const(m_createdDatabases))
                server.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                                .arg(PostgresConnection::quote(name)),
                            &e);
        }
        m_createdDatabases.clear();
    }
    for (auto it = m_createdFiles.crbegin(); it != m_createdFiles.crend(); ++it)
        removeDatabaseFile(*it);
    // Innermost first; rmdir leaves a folder that holds anything not ours.
    for (auto it = m_createdFolders.crbegin(); it != m_createdFolders.crend(); ++it)
        QDir().rmdir(*it);
    m_createdFiles.clear();
    m_createdFolders.clear();
}
