#pragma once

#include "CliProcess.h"
#include "CliRun.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A demo catalog (`dataalm demo`) in a fresh temporary folder, with what the refresh
// tests ask of it: the paths of an environment's database files, their hashes, the
// files a refresh leaves beside them, and `dataalm --catalog <folder> ...` runs.
//
//     RefreshFixture f;
//     QVERIFY2(f.create(4), qPrintable(f.error()));
//     const auto before = f.fileHashes("contoso-uat");
//     QVERIFY(f.cli({"refresh", "--source", "contoso-prod", "--target", "contoso-uat", "--yes"}).exitedWith(0));
class RefreshFixture
{
public:
    static inline const QString Transactional = QStringLiteral("transactional");
    static inline const QString FinancialReporting = QStringLiteral("financial-reporting");

    RefreshFixture() = default;

    // Runs `dataalm demo --size-mb N` into the folder.
    bool create(int sizeMb);
    QString error() const { return m_error; }
    QString folder() const { return m_dir.path(); }
    QString environmentFolder(const QString& env) const;
    // The SQLite file of one database of a demo environment.
    QString db(const QString& env, const QString& role = Transactional) const;

    // SHA-256 of each database file of `env` (by role): byte-identical or not.
    QMap<QString, QByteArray> fileHashes(const QString& env) const;
    // The files in the environment's folder that are neither a database nor SQLite's
    // -wal/-shm companion: staging copies and restore points.
    QStringList leftovers(const QString& env) const;
    // Every file of the environment's folder with its SHA-256, except SQLite's -shm
    // (shared memory any reader may create) and empty -wal companions: what "nothing
    // changed" means for a database folder. A -wal holding data is a write, and shows.
    QMap<QString, QByteArray> folderState(const QString& env) const;
    // The -wal companions in the environment's folder that hold data (a non-empty WAL
    // means someone wrote to the database).
    QStringList nonEmptyWals(const QString& env) const;

    // What an administrator does before refreshing a refreshed sandbox again: the
    // recurring data jobs' messages that came from the source are processed (else the
    // dmf-recurring-jobs check blocks the next refresh).
    bool processRecurringMessages(const QString& env, QString* error) const;

    // `dataalm ARGS --catalog <folder>`.
    CliRun cli(const QStringList& args, int timeoutMs = 120000) const;
    // The same with extra environment variables, and how the child ended.
    CliOutcome cliWith(const QStringList& args, const QMap<QString, QString>& env, int timeoutMs = 120000) const;
    // Starts `dataalm ARGS --catalog <folder>` in `process` (which has its environment set).
    bool start(CliProcess& process, const QStringList& args) const;

    // `refresh --source S --target T --yes` plus `extra` arguments.
    static QStringList refreshArgs(const QString& source = QStringLiteral("contoso-prod"),
                                   const QString& target = QStringLiteral("contoso-uat"),
                                   const QStringList& extra = {});
    // `operation ID --json` as an object (empty if it fails).
    QJsonObject operation(qint64 id) const;
    // `operations --json`: newest first.
    QList<QJsonObject> operations() const;

private:
    QStringList withCatalog(QStringList args) const;

    QTemporaryDir m_dir;
    QString m_error;
};
