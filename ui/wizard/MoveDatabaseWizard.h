#pragma once

#include "schedule/RequestWindow.h"

#include <optional>

#include "core/WorkerThread.h"
#include "environment/Environment.h"
#include "environment/RestorePoint.h"
#include "catalog/BackupStore.h"
#include "environment/PitrSource.h"

#include <QMap>
#include "preflight/PreflightWorker.h"

#include <QList>
#include <QWizard>

class PolicyReviewModel;
class PreflightCheckModel;
class SourceEnvironmentModel;

// LCS's Maintain > Move database for one target sandbox (Qt's licensewizard
// pattern: a page-id enum, one class per page): the operation, the source, the
// preflight checks, the review of the data that will not be copied, and the
// acknowledgements with the target's name typed in; or, for a Point-in-time restore,
// the restore point instead of the source (the review only when production's restore
// point goes into a sandbox). Accepting it does not start anything: the caller creates
// the refresh (RefreshRequest) with sourceId(), or the restore with restorePointId().
//
// Promises: the preflight and the row counts run on a PreflightWorker on its own
// thread; the GUI thread never opens an environment database and never waits for
// the worker (closing the wizard cancels it, and it cleans up after itself).
class MoveDatabaseWizard : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY(MoveDatabaseWizard)

public:
    enum Page
    {
        Page_Operation,
        Page_Source,
        Page_RestorePoint,
        Page_Backup,
        Page_Checks,
        Page_Review,
        Page_Acknowledge,
        Page_RequestWindow
    };

    // `environments`: the target project's environments; `policyPath`: the policy the
    // refresh will apply (RefreshRequest::policyPathFor; empty: the default policy).
    MoveDatabaseWizard(const QString& catalogFolder, const Environment& target, const QList<Environment>& environments,
                       const QString& policyPath, QWidget* parent = nullptr);
    ~MoveDatabaseWizard() override;

    const Environment& target() const { return m_target; }
    QString policyPath() const { return m_policyPath; }
    // The SHA-256 of the policy as it was read for the review: the refresh refuses to
    // start with another.
    QString policySha256() const { return m_policySha256; }
    // How long the target's last refresh ran (seconds), for the summary; -1: unknown.
    void setEstimate(qint64 seconds) { m_estimateSeconds = seconds; }
    qint64 estimate() const { return m_estimateSeconds; }
    // The chosen source environment's id (empty until one is chosen).
    QString sourceId() const { return m_sourceId; }
    void setSourceId(const QString& id);
    const Environment* source() const;
    // Why the policy could not be loaded (empty when it could).
    QString policyError() const { return m_policyError; }

    // Point-in-time restore: the restore points it may start from (the target's own and
    // production's, RestorePointStore), and the one chosen (0: a refresh).
    void setRestorePointChoices(const QList<RestorePoint>& points, const QDateTime& now);
    QList<RestorePoint> restorePointChoices() const { return m_pointChoices; }
    QDateTime now() const { return m_now; }
    void setRestorePointId(qint64 id);
    qint64 restorePointId() const { return m_restorePointId; }
    const RestorePoint* restorePoint() const;
    // The project's environment `id`, or nullptr.
    const Environment* environmentOf(const QString& id) const;
    bool isRestore() const { return m_restorePointId > 0 || m_instant.isValid(); }
    // A restore to an instant (pgBackRest): the environments whose server can (the target,
    // production), with their stanza; the one chosen and the instant (invalid: none).
    void setInstantSources(const QMap<QString, PitrSource>& sources) { m_instantSources = sources; }
    QMap<QString, PitrSource> instantSources() const { return m_instantSources; }
    void setInstant(const QString& sourceId, const QDateTime& instant);
    QDateTime instant() const { return m_instant; }
    // A restore into the target's own restore point applies no data policy.
    bool appliesPolicy() const;

    // Export database (of the target, into the asset library) and Import database (of a
    // backup of the asset library into the target). setRestorePointId() makes it a restore.
    enum class Mode
    {
        Refresh,
        Restore,
        Export,
        Import,
    };
    Mode mode() const;
    void setExport(bool exporting);
    void setBackupChoices(const QList<BackupStore::Backup>& backups) { m_backupChoices = backups; }
    QList<BackupStore::Backup> backupChoices() const { return m_backupChoices; }
    // The backup chosen to import (empty: none).
    void setBackupName(const QString& name);
    QString backupName() const { return m_backupName; }
    const BackupStore::Backup* backup() const;

    // Finished on the window page ("Request for a window >" from the last page): the
    // downtime window to request the operation for, and whether the user insisted on
    // one shorter than the estimate; nullopt: start it now.
    std::optional<RequestWindow> requestWindow() const;
    bool requestForce() const;

    SourceEnvironmentModel* sourceModel() const { return m_sourceModel; }
    PreflightCheckModel* checkModel() const { return m_checkModel; }
    PolicyReviewModel* reviewModel() const { return m_reviewModel; }

    // Starts the checks and counts for the chosen source (cancelling a previous run).
    void startPreflight();
    void cancelPreflight();
    bool isPreflightRunning() const { return m_running; }
    bool checksDone() const { return m_checksDone; }
    bool isBlocked() const { return m_blocked; }
    // Why the preflight could not run at all (empty when it could).
    QString preflightError() const { return m_preflightError; }

Q_SIGNALS:
    void sourceChanged();
    // The checks or the counts moved on (a verdict, the end of the checks, a count, the end).
    void preflightChanged();

private:
    QString m_catalogFolder;
    Environment m_target;
    QList<Environment> m_environments;
    QString m_policyPath;
    QString m_policyError;
    QString m_policySha256;
    qint64 m_estimateSeconds = -1;
    QString m_sourceId;
    QList<RestorePoint> m_pointChoices;
    QDateTime m_now;
    qint64 m_restorePointId = 0;
    QMap<QString, PitrSource> m_instantSources;
    QDateTime m_instant;
    bool m_export = false;
    QList<BackupStore::Backup> m_backupChoices;
    QString m_backupName;
    void updateFinishText();
    SourceEnvironmentModel* m_sourceModel;
    PreflightCheckModel* m_checkModel;
    PolicyReviewModel* m_reviewModel;

    PreflightWorker::CancelToken m_cancel;
    WorkerThread m_preflight;
    int m_generation = 0;
    bool m_running = false;
    bool m_checksDone = false;
    bool m_blocked = false;
    QString m_preflightError;
};
