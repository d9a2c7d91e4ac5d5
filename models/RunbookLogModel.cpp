#include "RunbookLogModel.h"

#include <QFile>
#include <QFileInfo>

namespace {
constexpr qint64 TailBytes = 256 * 1024;
} // namespace

RunbookLogModel::RunbookLogModel(QObject* parent, int capacity)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{
}

QList<RunbookLogModel::Row> RunbookLogModel::parse(const QByteArray& bytes)
{
    // "2024-05-01 12:00:00.123 info  message" (RunbookLog's pattern).
    QList<Row> rows;
    const QList<QByteArray> lines = bytes.split('\n');
    for (const QByteArray& raw : lines) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty())
            continue;
        const QDateTime at = line.size() > 24
                                 ? QDateTime::fromString(line.left(23), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                                 : QDateTime();
        if (!at.isValid()) {
            rows.append({QDateTime(), QString(), line});
            continue;
        }
        const QString rest = line.mid(24);
        const QString level = rest.section(QLatin1Char(' '), 0, 0);
        rows.append({at, level, rest.mid(level.size()).trimmed()});
    }
    return rows;
}

void RunbookLogModel::loadFile(const QString& path)
{
    QList<Row> rows;
    QFile file(path);
    qint64 size = -1;
    if (file.open(QIODevice::ReadOnly)) {
        size = file.size();
        const qint64 from = std::max<qint64>(0, size - TailBytes);
        file.seek(from);
        QByteArray bytes = file.readAll();
        if (from > 0) // drop the partial first line
            bytes = bytes.mid(bytes.indexOf('\n') + 1);
        rows = parse(bytes);
    }
    if (rows.size() > m_capacity)
        rows = rows.mid(rows.size() - m_capacity);
    beginResetModel();
    m_rows = rows;
    m_loadedPath = path;
    m_loadedSize = size;
    endResetModel();
}

bool RunbookLogModel::reloadIfChanged(const QString& path)
{
    const QFileInfo info(path);
    const qint64 size = info.exists() ? info.size() : -1;
    if (path == m_loadedPath && size == m_loadedSize)
        return false;
    loadFile(path);
    return true;
}

void RunbookLogModel::append(const QString& level, const QString& text, const QDateTime& at)
{
    if (m_rows.size() >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_rows.removeFirst();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append({at, level, text});
    endInsertRows();
    m_loadedSize = -1; // the file has grown too: a later reloadIfChanged() reads it again
}

void RunbookLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_loadedPath.clear();
    m_loadedSize = -1;
    endResetModel();
}

int RunbookLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunbookLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunbookLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return r.at.isValid() ? r.at.toString(QStringLiteral("HH:mm:ss.zzz")) : QString();
    case LevelColumn:
        return r.level;
    case MessageColumn:
        return r.text;
    }
    return {};
}

QVariant RunbookLogModel::headerData(int section, Qt::Orientation orientation, int role) const
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
