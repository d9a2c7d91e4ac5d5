#pragma once

#include <QString>
#include <QTemporaryDir>
#include <functional>

// A read-only file system (a 1 MiB tmpfs) mounted on a fresh temporary folder, for the
// "folder is not writable" tests: the tests run as root, and root ignores permission
// bits but not a read-only mount. Needs root (or CAP_SYS_ADMIN); mount() says why it
// failed so that the test can fail with the reason (it needs root, as CI has). The destructor unmounts.
class ReadOnlyMount
{
public:
    ReadOnlyMount() = default;
    ~ReadOnlyMount();
    ReadOnlyMount(const ReadOnlyMount&) = delete;
    ReadOnlyMount& operator=(const ReadOnlyMount&) = delete;

    // Mounts the tmpfs writable, lets `populate` write into it (it must close every
    // file it opened, or the remount fails), then remounts it read-only.
    bool mount(QString* error, const std::function<bool(const QString& path)>& populate = {});
    // The mount point: an empty folder unless populated.
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
};
