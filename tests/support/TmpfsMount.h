#pragma once

#include <QString>

// A small tmpfs mounted over an existing folder, keeping the folder's files: for the
// tests of a target whose disk is full, too small, or read-only. mount() moves the
// folder's files aside, mounts a tmpfs of `bytes` on it and copies them back in (so
// the catalog's paths stay valid); the destructor unmounts it and puts the files as
// they are then back in the plain folder. Needs root (or CAP_SYS_ADMIN); mount() says
// why it failed so that the test can fail with the reason: these tests need root, as CI has.
class TmpfsMount
{
public:
    TmpfsMount() = default;
    ~TmpfsMount();
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;

    bool mount(const QString& folder, qint64 bytes, QString* error);
    bool remountReadOnly(QString* error);
    // Unmounts now (the destructor does it otherwise); the files come back to the folder.
    bool unmount(QString* error);
    bool isMounted() const { return m_mounted; }
    // Free bytes on the mount.
    qint64 freeBytes() const;

private:
    QString m_folder;
    QString m_aside;
    bool m_mounted = false;
};
