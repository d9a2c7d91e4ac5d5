#pragma once

#include "core/WorkerThread.h"
#include "environment/Environment.h"
#include "environment/EnvironmentDraft.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QThread>
#include <optional>

class Catalog;
class DatabaseEditor;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Add environment / Edit environment: id, name, type, project, tenant, environment
// administrator, versions (application, platform, financial reporting, Commerce or
// none), and its databases (DatabaseEditor: a SQLite file or a PostgreSQL profile,
// each with Test connection).
//
// Promises (EnvironmentRegistration's three steps): Save checks every field on the
// GUI thread without opening anything and shows each problem under its field; then
// the new or moved databases are opened on a worker thread (ConnectionTestWorker);
// only when they all open is the environment written. Nothing is written otherwise,
// and databases are never created or changed.
class EnvironmentDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(EnvironmentDialog)

public:
    // `existing`: edit that environment; nullopt: add one to `projectId`.
    EnvironmentDialog(Catalog* catalog, const QString& projectId, const std::optional<Environment>& existing,
                      QWidget* parent = nullptr);
    ~EnvironmentDialog() override;

    bool isEdit() const { return m_existing.has_value(); }
    // The draft the fields give.
    EnvironmentDraft draft() const;
    DatabaseEditor* databaseEditor(const QString& role) const;
    // Every inline problem shown now, one line each (empty: none).
    QString problems() const;

public Q_SLOTS:
    // Checks, tests the connections, then writes (the Save button).
    void save();

Q_SIGNALS:
    // The environment `id` was added or changed in the catalog.
    void saved(const QString& id);

private:
    QLabel* addRow(class QFormLayout* form, const QString& label, QWidget* field, const QString& key);
    void clearProblems();
    void showProblem(const QString& field, const QString& message);
    void connectionsTested(bool allOk, const QVariantMap& identities);
    void write();
    void setBusy(bool busy, const QString& status = {});

    Catalog* m_catalog;
    std::optional<Environment> m_existing;
    QLineEdit* m_id = nullptr;
    QLineEdit* m_name = nullptr;
    QComboBox* m_type = nullptr;
    QComboBox* m_project = nullptr;
    QLineEdit* m_tenant = nullptr;
    QLineEdit* m_admin = nullptr;
    QLineEdit* m_application = nullptr;
    QLineEdit* m_platform = nullptr;
    QLineEdit* m_financialReporting = nullptr;
    QLineEdit* m_commerce = nullptr;
    DatabaseEditor* m_transactional = nullptr;
    DatabaseEditor* m_financialDb = nullptr;
    QLabel* m_generalProblem = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QHash<QString, QLabel*> m_problemLabels; // field -> its inline message
    WorkerThread m_worker;
    EnvironmentDraft m_pending;
    // What the worker found each database to be (EnvironmentRegistration::identify).
    QHash<QString, QString> m_identities;
    QStringList m_failedConnections;
};
