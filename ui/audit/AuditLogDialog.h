#pragma once

#include "core/WorkerThread.h"

#include <QDialog>
#include <QStringList>

class AuditLogModel;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

// View > Audit log: who did what, with which role, from which host, newest first
// (AuditLog, the same rows as `dataalm audit`), filtered by a start instant and an
// environment (read again from the catalog) and by words in any column (a proxy), and
// exported as the CLI's CSV.
//
// Promises: the entries are read on a worker thread with a connection of its own
// (AuditReadWorker); the GUI thread only shows what it reports. Nothing here writes the
// audit: on a team catalog nobody can change or remove an entry.
class AuditLogDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(AuditLogDialog)

public:
    // `environments`: the project's environment ids, for the environment filter.
    AuditLogDialog(const QString& catalogLocation, bool team, const QStringList& environments,
                   QWidget* parent = nullptr);
    ~AuditLogDialog() override;

    AuditLogModel* model() const { return m_model; }
    // Reads the entries again with the current filters.
    void reload();

Q_SIGNALS:
    // The entries of the last read are shown (or `error` says why not).
    void loaded(int entries, const QString& error);

private:
    void exportCsv();
    void updateSummary();

    QString m_location;
    bool m_team = false;
    AuditLogModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTreeView* m_view = nullptr;
    QCheckBox* m_sinceEnabled = nullptr;
    QDateTimeEdit* m_since = nullptr;
    QComboBox* m_environment = nullptr;
    QLineEdit* m_search = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_summary = nullptr;
    QString m_error;
    WorkerThread m_reader;
};
