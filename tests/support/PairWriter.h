#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <thread>

// A client that keeps writing to a database while a test refreshes from it: on a
// thread of its own it commits pair k = 1, 2, ... (two rows in one transaction)
// until stop(), pausing `pauseMs` after each. committed() is the last pair that
// committed; errors() (read after stop()) lists every failure, one line each. A
// subclass opens its connection and writes one pair; its destructor must call stop()
// so that the thread never runs into a half-destroyed writer.
class PairWriter
{
public:
    explicit PairWriter(int pauseMs) : m_pause(pauseMs) {}
    virtual ~PairWriter() { stop(); }
    PairWriter(const PairWriter&) = delete;
    PairWriter& operator=(const PairWriter&) = delete;

    void start();
    // Asks the thread to stop and waits for it (safe to call twice, or without start()).
    void stop();
    qint64 committed() const { return m_committed; }
    QStringList errors() const { return m_errors; }

protected:
    // On the writer's thread, once: false with the line for errors().
    virtual bool open(QString* error) = 0;
    // On the writer's thread: commits pair `k` in one transaction, or rolls it back and
    // gives false with *error. *lost: the connection is gone, the writer gives up.
    virtual bool writePair(qint64 k, QString* error, bool* lost) = 0;
    // On the writer's thread, after the last pair.
    virtual void close() = 0;

private:
    void run();

    std::chrono::milliseconds m_pause;
    std::thread m_thread;
    std::atomic_bool m_stop{false};
    std::atomic<qint64> m_committed{0};
    QStringList m_errors; // read after stop()
};
