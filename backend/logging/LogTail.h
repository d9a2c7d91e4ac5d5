#pragma once

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>

// The last lines the application logged, kept in memory for the console's log pane.
// Thread-safe: append() may be called from any thread; lineAppended is emitted in
// the appending thread, so receivers in other threads get it queued.
class LogTail : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(LogTail)

public:
    struct Line
    {
        QDateTime at;
        QString level;
        QString text;
    };

    static LogTail* instance();
    static constexpr int Capacity = 2000;

    void append(const QString& level, const QString& text);
    QList<Line> lines() const;

Q_SIGNALS:
    void lineAppended(const QDateTime& at, const QString& level, const QString& text);

private:
    LogTail() = default;
    mutable QMutex m_mutex;
    QList<Line> m_lines;
};
