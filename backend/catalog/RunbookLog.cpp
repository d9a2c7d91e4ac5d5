#include "catalog/RunbookLog.h"

#include "logging/Logging.h"

#include <QDir>
#include <QFileInfo>

#include <chrono>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

RunbookLog::RunbookLog(const QString& catalogFolder, qint64 operationId)
    : m_path(pathFor(catalogFolder, operationId))
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    try {
        auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(m_path.toStdString(), false);
        sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
        m_logger = std::make_shared<spdlog::logger>("operation-" + std::to_string(operationId), sink);
        m_logger->set_level(spdlog::level::info);
        m_logger->flush_on(spdlog::level::info);
    } catch (const spdlog::spdlog_ex& e) {
        spdlog::error("cannot open the runbook log {}: {}", m_path.toStdString(), e.what());
    }
}

RunbookLog::~RunbookLog()
{
    flush();
}

QString RunbookLog::pathFor(const QString& catalogFolder, qint64 operationId)
{
    return QDir(catalogFolder).filePath(QStringLiteral("logs/operation-%1.log").arg(operationId));
}

void RunbookLog::info(const QString& line)
{
    write(spdlog::level::info, line);
}

void RunbookLog::warn(const QString& line)
{
    write(spdlog::level::warn, line);
}

void RunbookLog::error(const QString& line)
{
    write(spdlog::level::err, line);
}

void RunbookLog::flush()
{
    if (m_logger)
        m_logger->flush();
}

void RunbookLog::write(int level, const QString& line)
{
    const QString clean = Logging::redact(line);
    const auto lvl = spdlog::level::level_enum(level);
    // One instant for the file and the live view, to the millisecond the file shows.
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    if (m_logger)
        m_logger->log(now, spdlog::source_loc{}, lvl, clean.toStdString());
    spdlog::log(lvl, "{}: {}", m_logger ? m_logger->name() : std::string("operation"), clean.toStdString());
    if (lineWritten) {
        const auto name = spdlog::level::to_string_view(lvl);
        lineWritten(QString::fromUtf8(name.data(), int(name.size())), clean,
                    QDateTime::fromMSecsSinceEpoch(now.time_since_epoch().count()));
    }
}
