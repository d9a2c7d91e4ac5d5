#include "logging/Logging.h"

#include "logging/LogTail.h"

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace {

QString g_logFile;

// Redacts each message once, then hands it to the real sinks.
class RedactingSink : public spdlog::sinks::base_sink<std::mutex>
{
public:
    void add(spdlog::sink_ptr sink) { m_sinks.push_back(std::move(sink)); }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        const std::string clean = Logging::redact(std::string_view(msg.payload.data(), msg.payload.size()));
        spdlog::details::log_msg copy = msg;
        copy.payload = clean;
        for (auto& s : m_sinks) {
            if (s->should_log(copy.level))
                s->log(copy);
        }
    }
    void flush_() override
    {
        for (auto& s : m_sinks)
            s->flush();
    }

private:
    std::vector<spdlog::sink_ptr> m_sinks;
};

class TailSink : public spdlog::sinks::base_sink<std::mutex>
{
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        const auto level = spdlog::level::to_string_view(msg.level);
        LogTail::instance()->append(QString::fromUtf8(level.data(), int(level.size())),
                                    QString::fromUtf8(msg.payload.data(), int(msg.payload.size())));
    }
    void flush_() override {}
};

QString fromEnvDir(const char* var)
{
    const QByteArray v = qgetenv(var);
    return v.isEmpty() ? QString() : QString::fromLocal8Bit(v);
}

} // namespace

namespace Logging {

QString stateDirectory()
{
    QString dir = fromEnvDir("DATAALM_STATE_DIR");
    if (!dir.isEmpty())
        return dir;
    dir = fromEnvDir("XDG_STATE_HOME");
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/state");
    return dir + QStringLiteral("/dataalm");
}

QString defaultCatalogDirectory()
{
    QString dir = fromEnvDir("XDG_DATA_HOME");
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share");
    return dir + QStringLiteral("/dataalm");
}

QString defaultCatalog()
{
    const QString env = qEnvironmentVariable("DATAALM_CATALOG");
    return env.isEmpty() ? defaultCatalogDirectory() : env;
}

QString logFilePath()
{
    return g_logFile;
}

void initialise(const QString& appName, bool toStderr)
{
    auto root = std::make_shared<RedactingSink>();
    const QString dir = stateDirectory();
    if (QDir().mkpath(dir)) {
        g_logFile = QDir(dir).filePath(appName + QStringLiteral(".log"));
        try {
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(g_logFile.toStdString(),
                                                                                5 * 1024 * 1024, 3);
            file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%P:%t] %-7l %v");
            root->add(file);
        } catch (const spdlog::spdlog_ex&) {
            g_logFile.clear();
        }
    }
    auto tail = std::make_shared<TailSink>();
    tail->set_level(spdlog::level::info);
    root->add(tail);
    if (toStderr) {
        auto err = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        err->set_pattern("%^%l%$: %v");
        root->add(err);
    }
    auto logger = std::make_shared<spdlog::logger>(appName.toStdString(), root);
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

QString redact(const QString& text)
{
    static const QRegularExpression keyValue(
        QStringLiteral(R"((password|passwd|pwd|pgpassword|secret|token)(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s&;,]+))"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression urlPassword(QStringLiteral(R"((\b[a-z][a-z0-9+.-]*://[^:/@\s]*):([^@/\s]*)@)"),
                                                QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(keyValue, QStringLiteral("\\1\\2***"));
    out.replace(urlPassword, QStringLiteral("\\1:***@"));
    return out;
}

std::string redact(std::string_view text)
{
    // Fast path: nothing that could be a secret.
    bool suspicious = false;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        const char c = text[i];
        if (c == '=' || c == ':') {
            suspicious = true;
            break;
        }
    }
    if (!suspicious)
        return std::string(text);
    return redact(QString::fromUtf8(text.data(), int(text.size()))).toStdString();
}

} // namespace Logging
