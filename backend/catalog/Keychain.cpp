#include "catalog/Keychain.h"

#include <QDir>
#include <QEventLoop>

#include <qt6keychain/keychain.h>

namespace {

const QString Service = QStringLiteral("DataALM Console");

// Runs `job` to its end; its error as a sentence (empty: none).
QString run(QKeychain::Job& job)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (job.error() == QKeychain::NoError || job.error() == QKeychain::EntryNotFound)
        return {};
    return Keychain::tr("the OS keychain did not answer (%1): start one (GNOME Keyring, KWallet) or keep the password "
                        "in ~/.pgpass instead")
        .arg(job.errorString());
}

} // namespace

QString Keychain::keyFor(const QString& catalogFolder, const QString& environmentId, const QString& databaseRole)
{
    return QDir(catalogFolder).absolutePath() + QLatin1Char('|') + environmentId + QLatin1Char('|') + databaseRole;
}

bool Keychain::write(const QString& key, const QString& secret, QString* error)
{
    QKeychain::WritePasswordJob job(Service);
    job.setKey(key);
    job.setTextData(secret);
    *error = run(job);
    return error->isEmpty();
}

std::optional<QString> Keychain::read(const QString& key, QString* error)
{
    QKeychain::ReadPasswordJob job(Service);
    job.setKey(key);
    *error = run(job);
    if (!error->isEmpty())
        return std::nullopt;
    return job.error() == QKeychain::EntryNotFound ? QString() : job.textData();
}

bool Keychain::remove(const QString& key, QString* error)
{
    QKeychain::DeletePasswordJob job(Service);
    job.setKey(key);
    *error = run(job);
    return error->isEmpty();
}
