#pragma once

#include "schedule/RequestWindow.h"

#include <optional>

#include "environment/RestorePoint.h"
#include "catalog/BackupStore.h"

#include "environment/Environment.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <optional>

class Catalog;
class OperationSession;
class QWidget;

// The console's operations desk: it creates refreshes (RefreshRequest, as the CLI
// does), runs actions on them through OperationSessions (each with its own
// OperationHost and runner thread, exactly the CLI's code path), asks LCS's
// confirmations (Cancel, Rollback, Sign off), writes runbook log archives, and keeps
// every session it opened, so a view that comes back finds its operation still live.
//
// Promises: confirmations and file choosers go through MessageBox and FileDialog
// (test hooks); nothing here waits for a runner; a session is destroyed only when
// idle (or detached for "leave it to be resumed later").
class OperationCenter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationCenter)

public:
    // `dialogParent`: the window the confirmations belong to.
    OperationCenter(Catalog* catalog, QWidget* dialogParent, QObject* parent = nullptr);
    ~OperationCenter() override;

    // Switches to another catalog: the idle sessions are dropped. False (nothing
    // changed) while an action runs.
    bool setCatalog(Catalog* catalog);

    // The session of operation `id`, opened if needed; nullptr for an unknown id.
    OperationSession* session(qint64 id);
    OperationSession* existingSession(qint64 id) const;
    QList<OperationSession*> busySessions() const;
    bool isBusy() const { return !busySessions().isEmpty(); }

    // Creates a refresh of `target` from `source` and starts it; its id, or nullopt with `error`.
    // `reviewedSha256`: the policy's digest as the wizard reviewed it (a changed file is refused).
    // Creates an Export database of `source` (its policy at `policyPath`) or an Import
    // database of `backup` into `target`, and runs it, as startRefresh().
    std::optional<qint64> startExport(const Environment& source, const QString& policyPath, QString* error);
    std::optional<qint64> startImport(const BackupStore::Backup& backup, const Environment& target, QString* error);
    // Creates a restore of `target` to `source` as it was at `instant` (pgBackRest) and runs it.
    std::optional<qint64> startRestoreAtInstant(const Environment& source, const Environment& target,
                                                const QDateTime& instant, const QString& reviewedSha256, QString* error);
    // Creates a Point-in-time restore of `target` from restore point `point`
    // (OperationService::createRestore) and runs it, as startRefresh().
    std::optional<qint64> startRestore(const RestorePoint& point, const Environment& target,
                                       const QString& reviewedSha256, QString* error);
    std::optional<qint64> startRefresh(const Environment& source, const Environment& target, const QString& policyPath,
                                       const QString& reviewedSha256, QString* error);
    // The next start*() makes a request for `window` (RequestService::schedule) instead of
    // running the operation: the wizard's "Request for a window".
    void requestNextStart(const RequestWindow& window, bool force);
    // Forgets it (a start that failed before its operation existed).
    void clearNextRequest() { m_nextWindow.reset(); }
    // An OperationAvailability::Action on operation `id`, with its confirmation.
    // False when the user declined or the action could not start.
    bool perform(qint64 id, int action);
    // Asks every running action to stop before its point of no return.
    void cancelAll();
    // Leaves the running actions to the end of the process (they are never joined).
    void detachAll();
    // Re-reads, from the catalog, the sessions this console is not running.
    void reloadIdle();

Q_SIGNALS:
    // An operation changed state or an action on it started or ended.
    void operationChanged(qint64 operationId);
    // An action ended (outcome: OperationRunner::Outcome).
    void actionFinished(qint64 operationId, int outcome, const QString& state, const QString& message);
    // Something done that the user should see confirmed ("Saved the runbook logs ... to ...").
    void notice(const QString& message);

private:
    // Runs operation `id`, just created, on a session of its own.
    std::optional<qint64> run(qint64 id, QString* error);
    bool confirmCancel(OperationSession* session);
    bool confirmRollback(OperationSession* session);
    bool confirmSignOff(OperationSession* session);
    bool downloadLogs(OperationSession* session);
    void onFinished(qint64 id, int outcome, const QString& state, const QString& message);

    Catalog* m_catalog;
    std::optional<RequestWindow> m_nextWindow;
    bool m_nextForce = false;
    QPointer<QWidget> m_dialogParent;
    QHash<qint64, OperationSession*> m_sessions;
};
