#include "logging/LogTail.h"

#include <QMutexLocker>

LogTail* LogTail::instance()
{
    static LogTail* tail = new LogTail;
    return tail;
}

void LogTail::append(const QString& level, const QString& text)
{
    const QDateTime at = QDateTime::currentDateTime();
    {
        QMutexLocker lock(&m_mutex);
        m_lines.append({at, level, text});
        if (m_lines.size() > Capacity)
            m_lines.remove(0, m_lines.size() - Capacity);
    }
    Q_EMIT lineAppended(at, level, text);
}

QList<LogTail::Line> LogTail::lines() const
{
    QMutexLocker lock(&m_mutex);
    return m_lines;
}
