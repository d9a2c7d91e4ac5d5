#pragma once

#include "catalog/AuditLog.h"

#include <QAbstractTableModel>
#include <QList>

// The catalog's audit as the console's Audit log shows it: When, Who, Role, Host,
// Action, Subject, Detail, newest first.
//
// Promises: it only presents the snapshot it is given (AuditLog::read, oldest first);
// times in the user's local time (the UTC instant in the tooltip); roles in words
// ("contoso: Project owner"). Sorting and filtering are a proxy's.
class AuditLogModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY(AuditLogModel)

public:
    enum Column
    {
        AtColumn,
        WhoColumn,
        RoleColumn,
        HostColumn,
        ActionColumn,
        SubjectColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role
    {
        AtRole = Qt::UserRole + 1, // QDateTime, UTC: what the When column sorts by
    };

    explicit AuditLogModel(QObject* parent = nullptr);

    // `entries` oldest first, as AuditLog reads them; shown newest first.
    void setEntries(const QList<AuditLog::Entry>& entries);
    const QList<AuditLog::Entry>& entries() const { return m_entries; }
    // "contoso:ProjectOwner,fabrikam:Viewer" as "contoso: Project owner, fabrikam: Viewer".
    static QString roleText(const QString& role);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<AuditLog::Entry> m_entries; // newest first
};
