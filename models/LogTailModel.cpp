#include "LogTailModel.h"

#include "logging/LogTail.h"

LogTailModel::LogTailModel(QObject* parent, int capacity)
    : QAbstractListModel(parent)
    , m_capacity(capacity)
{
    const auto lines = LogTail::instance()->lines();
    for (qsizetype i = std::max<qsizetype>(0, lines.size() - capacity); i < lines.size(); ++i)
        m_rows.append({lines.at(i).at, lines.at(i).level, lines.at(i).text});
    connect(LogTail::instance(), &LogTail::lineAppended, this, &LogTailModel::append, Qt::QueuedConnection);
}

int LogTailModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LogTailModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogTailModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case TimeColumn:
            return r.at.toString(QStringLiteral("HH:mm:ss.zzz"));
        case LevelColumn:
            return r.level;
        case MessageColumn:
            return r.text;
        }
    }
    return {};
}

QVariant LogTailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

void LogTailModel::append(const QDateTime& at, const QString& level, const QString& text)
{
    if (m_rows.size() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_rows.removeFirst();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append({at, level, text});
    endInsertRows();
}
