#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

// The last lines of the application log (LogTail), newest last, for the console's
// log pane. Keeps at most `capacity` rows; follows LogTail live through queued
// signals, so lines logged on worker threads arrive on the model's thread.
class LogTailModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY(LogTailModel)

public:
    enum Column { TimeColumn, LevelColumn, MessageColumn, ColumnCount };

    explicit LogTailModel(QObject* parent = nullptr, int capacity = 500);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void append(const QDateTime& at, const QString& level, const QString& text);

    struct Row
    {
        QDateTime at;
        QString level;
        QString text;
    };
    QList<Row> m_rows;
    int m_capacity;
};
