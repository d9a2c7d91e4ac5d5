#pragma once

#include "environment/RestorePoint.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

// The restore points of one environment, as the Restore points panel of the
// Environment details page (without the first column) and the Point-in-time restore
// page of Move database show them: Environment, Taken, Kind, Size, Expires, State.
//
// Promises: it only presents the snapshot it is given (RestorePointStore::list);
// times in the user's local time; a snapshot with the same restore points announces
// only the rows that changed, anything else resets the model.
class RestorePointListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(RestorePointListModel)

public:
    enum Column
    {
        EnvironmentColumn,
        TakenColumn,
        KindColumn,
        SizeColumn,
        ExpiresColumn,
        StateColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // qint64
        AvailableRole,             // bool: may be restored from now
    };

    explicit RestorePointListModel(QObject* parent = nullptr);

    // `now`: what "expired" is measured against (Clock::nowUtc()).
    void setPoints(const QList<RestorePoint>& points, const QDateTime& now);
    const RestorePoint* pointAt(int row) const;
    QList<RestorePoint> points() const { return m_points; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static bool same(const RestorePoint& a, const RestorePoint& b);
    QList<RestorePoint> m_points;
    QDateTime m_now;
};
