#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>

#include <sqlite3.h>

namespace TestSupport {

bool createDemoCatalog(const QString& catalogFolder, int sizeMb, QString* error)
{
    const CliRun run = runCli({QStringLiteral("demo"), QStringLiteral("--size-mb"), QString::number(sizeMb),
                               QStringLiteral("--catalog"), catalogFolder},
                              600000);
    if (run.exitedWith(0))
        return true;
    *error = run.describe();
    return false;
}

QByteArray fileSha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex();
}

QMap<QString, QByteArray> folderSnapshot(const QString& folder)
{
    QMap<QString, QByteArray> result;
    const QDir root(folder);
    QDirIterator it(folder, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        result.insert(root.relativeFilePath(path), info.isDir() ? QByteArray("dir") : fileSha256(path));
    }
    return result;
}

bool execSqlite(const QString& path, const QStringList& statements, QString* error)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return false;
    }
    for (const QString& statement : statements) {
        char* message = nullptr;
        if (sqlite3_exec(db, statement.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
            *error = QStringLiteral("%1: %2").arg(statement, QString::fromUtf8(message));
            sqlite3_free(message);
            sqlite3_close(db);
            return false;
        }
    }
    if (sqlite3_close(db) != SQLITE_OK) {
        *error = QStringLiteral("cannot close %1").arg(path);
        return false;
    }
    return true;
}

Environment sampleEnvironment(const QString& id, const QString& projectId, EnvironmentType type, const QString& folder)
{
    Environment e;
    e.id = id;
    e.projectId = projectId;
    e.name = QStringLiteral("Environment ") + id;
    e.type = type;
    e.tenant = QStringLiteral("contoso.onmicrosoft.com");
    e.admin = QStringLiteral("admin@contoso.onmicrosoft.com");
    e.versions.application = QStringLiteral("10.0.40");
    e.versions.platform = 64;
    e.versions.financialReporting = QStringLiteral("7.0.10040.5");
    e.versions.commerce = QStringLiteral("9.50");
    const QString base = folder.isEmpty() ? QDir::tempPath() : folder;
    DatabaseRef axdb;
    axdb.role = DatabaseRef::Transactional;
    axdb.driver = DatabaseRef::Sqlite;
    axdb.path = QDir(base).filePath(id + QStringLiteral("/axdb.sqlite"));
    DatabaseRef fr;
    fr.role = DatabaseRef::FinancialReporting;
    fr.driver = DatabaseRef::Sqlite;
    fr.path = QDir(base).filePath(id + QStringLiteral("/fr.sqlite"));
    e.databases = {axdb, fr};
    return e;
}

QStringList sortedKeys(const QJsonObject& object)
{
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

QJsonObject preflightCheck(const CliRun& run, const QString& id)
{
    for (const QJsonValue& c : run.json().object().value(QStringLiteral("checks")).toArray()) {
        if (c.toObject().value(QStringLiteral("id")).toString() == id)
            return c.toObject();
    }
    return {};
}

} // namespace TestSupport
