#include "RefreshFixture.h"

#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

bool RefreshFixture::create(int sizeMb)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir.errorString());
        return false;
    }
    return TestSupport::createDemoCatalog(m_dir.path(), sizeMb, &m_error);
}

QString RefreshFixture::environmentFolder(const QString& env) const
{
    return QDir(m_dir.path()).filePath(QStringLiteral("environments/") + env);
}

QString RefreshFixture::db(const QString& env, const QString& role) const
{
    return QDir(environmentFolder(env)).filePath(role + QStringLiteral(".db"));
}

QMap<QString, QByteArray> RefreshFixture::fileHashes(const QString& env) const
{
    QMap<QString, QByteArray> result;
    for (const QString& role : {Transactional, FinancialReporting})
        result.insert(role, TestSupport::fileSha256(db(env, role)));
    return result;
}

QStringList RefreshFixture::leftovers(const QString& env) const
{
    QStringList result;
    const QDir dir(environmentFolder(env));
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name)) {
        QString base = name;
        for (const QLatin1String suffix : {QLatin1String("-wal"), QLatin1String("-shm")}) {
            if (base.endsWith(suffix))
                base.chop(suffix.size());
        }
        if (base != Transactional + QStringLiteral(".db") && base != FinancialReporting + QStringLiteral(".db"))
            result << name;
    }
    return result;
}

QMap<QString, QByteArray> RefreshFixture::folderState(const QString& env) const
{
    QMap<QString, QByteArray> state;
    const QDir dir(environmentFolder(env));
    for (const QString& name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name)) {
        if (name.endsWith(QLatin1String("-shm")))
            continue;
        if (name.endsWith(QLatin1String("-wal")) && QFileInfo(dir.filePath(name)).size() == 0)
            continue;
        state.insert(name, TestSupport::fileSha256(dir.filePath(name)));
    }
    return state;
}

QStringList RefreshFixture::nonEmptyWals(const QString& env) const
{
    QStringList result;
    const QDir dir(environmentFolder(env));
    for (const QString& name : dir.entryList({QStringLiteral("*-wal")}, QDir::Files, QDir::Name)) {
        if (QFileInfo(dir.filePath(name)).size() > 0)
            result << name;
    }
    return result;
}

bool RefreshFixture::processRecurringMessages(const QString& env, QString* error) const
{
    return TestSupport::execSqlite(db(env), {QStringLiteral("UPDATE DMFRECURRINGJOB SET PENDINGMESSAGES = 0")}, error);
}

QStringList RefreshFixture::withCatalog(QStringList args) const
{
    return args << QStringLiteral("--catalog") << m_dir.path();
}

CliRun RefreshFixture::cli(const QStringList& args, int timeoutMs) const
{
    return runCli(withCatalog(args), timeoutMs);
}

CliOutcome RefreshFixture::cliWith(const QStringList& args, const QMap<QString, QString>& env, int timeoutMs) const
{
    return runCliWith(withCatalog(args), env, timeoutMs);
}

bool RefreshFixture::start(CliProcess& process, const QStringList& args) const
{
    return process.start(withCatalog(args));
}

QStringList RefreshFixture::refreshArgs(const QString& source, const QString& target, const QStringList& extra)
{
    return QStringList{
               QStringLiteral("refresh"), QStringLiteral("--source"), source, QStringLiteral("--target"), target,
               QStringLiteral("--yes")} +
           extra;
}

QJsonObject RefreshFixture::operation(qint64 id) const
{
    const CliRun run = cli({QStringLiteral("operation"), QString::number(id), QStringLiteral("--json")});
    return run.exitedWith(0) ? run.json().object() : QJsonObject();
}

QList<QJsonObject> RefreshFixture::operations() const
{
    QList<QJsonObject> result;
    const CliRun run = cli({QStringLiteral("operations"), QStringLiteral("--json")});
    for (const QJsonValue& v : run.json().array())
        result << v.toObject();
    return result;
}
