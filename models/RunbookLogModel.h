#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

// The tail of one operation's runbook log, newest last: Time, Level, Message. Filled
// from the log file (RunbookLog's format) when a view opens an operation, then line
// by line from OperationRunner::logLine while this console runs it.
//
// Promises: keeps at most `capacity` lines (the oldest go first); reads only the
// end of the file (at most 256 KiB), and re-reads it only when its size changed.
class RunbookLogModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(RunbookLogModel)

public:
    enum Column
    {
        TimeColumn,
        LevelColumn,
        MessageColumn,
        ColumnCount
    };

    explicit RunbookLogModel(QObject* parent = nullptr, int capacity = 1000);

    // Replaces the lines with the end of the runbook log at `path` (missing: none).
    void loadFile(const QString& path);
    // loadFile() when the file's size differs from the last load; true if it did.
    bool reloadIfChanged(const QString& path);
    void append(const QString& level, const QString& text, const QDateTime& at = QDateTime::currentDateTime());
    void clear();
    QString lastMessage() const { return m_rows.isEmpty() ? QString() : m_rows.constLast().text; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QDateTime at;
        QString level;
        QString text;
    };
    static QList<Row> parse(const QByteArray& bytes);

    QList<Row> m_rows;
    int m_capacity;
    QString m_loadedPath;
    qint64 m_loadedSize = -1;
};
