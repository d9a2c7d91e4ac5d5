#pragma once

#include <QDateTime>
#include <QString>
#include <functional>
#include <memory>

namespace spdlog {
class logger;
}

// The runbook log of one operation: <catalog>/logs/operation-<id>.log, appended by
// every run of the operation (first run, resume, rollback, sign off). Each line is
// also handed to `lineWritten` (the live tail) and to the application log.
// Secrets are redacted like everything else the application logs.
class RunbookLog
{
public:
    RunbookLog(const QString& catalogFolder, qint64 operationId);
    ~RunbookLog();
    RunbookLog(const RunbookLog&) = delete;
    RunbookLog& operator=(const RunbookLog&) = delete;

    static QString pathFor(const QString& catalogFolder, qint64 operationId);
    QString path() const { return m_path; }

    void info(const QString& line);
    void warn(const QString& line);
    void error(const QString& line);
    void flush();

    // `at`: the very time written in the file (to the millisecond), so that a live view
    // shows the log's own times.
    std::function<void(const QString& level, const QString& line, const QDateTime& at)> lineWritten;

private:
    void write(int level, const QString& line);
    QString m_path;
    std::shared_ptr<spdlog::logger> m_logger;
};
