#pragma once

#include <QCoreApplication>
#include <QString>
#include <optional>

// The OS keychain (QtKeychain: the Secret Service of GNOME Keyring or KWallet, the macOS
// Keychain, the Windows Credential Store), where a one-person catalog keeps database
// passwords: never in a file of DataALM's. Synchronous: each call runs QtKeychain's job
// in a local event loop, from any thread.
//
// Promises: QtKeychain's insecure fallback (a plain file) is off; a keychain that is not
// there is said, with what to do, never worked around.
class Keychain
{
    Q_DECLARE_TR_FUNCTIONS(Keychain)

public:
    // The entry of `catalogFolder`'s environment `environmentId`'s `databaseRole` database.
    static QString keyFor(const QString& catalogFolder, const QString& environmentId, const QString& databaseRole);
    static bool write(const QString& key, const QString& secret, QString* error);
    // nullopt with `error` when the keychain fails; an empty string when there is no entry.
    static std::optional<QString> read(const QString& key, QString* error);
    static bool remove(const QString& key, QString* error);
};
