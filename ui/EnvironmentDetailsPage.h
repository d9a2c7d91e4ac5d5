#pragma once

#include "environment/Environment.h"
#include "environment/RestorePoint.h"
#include "operation/OperationRecord.h"

#include <QSet>
#include <QWidget>
#include <optional>

class DatabaseListModel;
class RestorePointListModel;
class GridView;
class OperationActions;
class OperationHistoryModel;
class QGroupBox;
class QSortFilterProxyModel;
class QAction;
class QLabel;
class QMenu;
class QPushButton;
class StateBadge;

// LCS's Environment details page for one environment: a header with its name, a
// state badge and the Maintain menu; its type, state, tenant and administrator; its
// versions (with the detailed version dialog); its databases; its operation history,
// with LCS's operation buttons for the selected operation (and a context menu).
//
// Promises: it shows value snapshots it is given and never touches a database; the
// only I/O it causes is the stat of the SQLite files behind the Size column.
class EnvironmentDetailsPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY(EnvironmentDetailsPage)

public:
    explicit EnvironmentDetailsPage(QWidget* parent = nullptr);

    // Shows `environment`, or an empty page for std::nullopt.
    void setEnvironment(const std::optional<Environment>& environment);
    const std::optional<Environment>& environment() const { return m_environment; }
    // The operation history of the shown environment, newest first.
    // `total`: how many operations the environment has, when `operations` is a page
    // of them (OperationStore::listSummaries); the history's title says so.
    void setOperations(const QList<OperationRecord>& operations, qint64 total = -1);
    // The restore points of the shown environment (RestorePointStore::list), newest
    // first; `now` decides which have expired.
    void setRestorePoints(const QList<RestorePoint>& points, const QDateTime& now);
    // A restore point task of this console is running (its buttons wait); `what` says which.
    void setRestorePointBusy(bool busy, const QString& what = {});
    RestorePointListModel* restorePointModel() const { return m_restorePointModel; }
    qint64 selectedRestorePointId() const;
    // The menu behind the page's Maintain button (the main window's Maintain menu).
    void setMaintainMenu(QMenu* menu);

    DatabaseListModel* databaseModel() const { return m_databaseModel; }
    OperationHistoryModel* historyModel() const { return m_historyModel; }
    // The operation buttons of the history (and its context menu), for the selected row.
    OperationActions* historyActions() const { return m_historyActions; }
    // "Apply the Environment reprovisioning tool" for the selected refresh (in its
    // context menu when FollowUpOffer offers it).
    QAction* reprovisionAction() const { return m_reprovisionAction; }
    // The operations this console is running an action on (their buttons wait).
    void setBusyOperations(const QSet<qint64>& ids);
    // Why the login may not operate this environment (a team catalog's role; empty: it
    // may): the history's buttons for its operations say it.
    void setRoleRefusal(const QString& why);
    qint64 selectedOperationId() const;
    bool selectOperation(qint64 id);

Q_SIGNALS:
    // The user asked to see an operation's progress (View progress, Enter, double-click).
    void operationActivated(qint64 operationId);
    // The user asked, from a refresh's context menu, to apply the Environment
    // reprovisioning tool to `environmentId` (its follow-up; see FollowUpOffer).
    void reprovisioningRequested(const QString& environmentId);
    // The Restore points panel's buttons.
    void createRestorePointRequested(const QString& environmentId);
    void deleteRestorePointRequested(qint64 pointId);
    void restoreRequested(const QString& environmentId, qint64 pointId);

public Q_SLOTS:
    // Opens the detailed version information of the shown environment (window-modal).
    void showVersionDetails();

private:
    // The selected operation (through the history's sorting), or nullptr.
    const OperationRecord* currentOperation() const;
    // "Last refreshed" and "Restore points" from the environment's operations.
    void showOperationSummary(const QList<OperationRecord>& operations);
    void updateHistoryActions();
    void updateRestorePointActions();
    QLabel* addField(class QFormLayout* form, const QString& label, const char* objectName);
    void fitColumns();

    std::optional<Environment> m_environment;
    QLabel* m_nameLabel = nullptr;
    QLabel* m_captionLabel = nullptr;
    StateBadge* m_badge = nullptr;
    QPushButton* m_maintainButton = nullptr;
    QLabel* m_idValue = nullptr;
    QLabel* m_typeValue = nullptr;
    QLabel* m_stateValue = nullptr;
    QLabel* m_tenantValue = nullptr;
    QLabel* m_adminValue = nullptr;
    QLabel* m_lastRefreshValue = nullptr;
    QList<OperationRecord> m_operations;
    QSortFilterProxyModel* m_historySort = nullptr;
    QLabel* m_restorePointsValue = nullptr;
    QLabel* m_applicationValue = nullptr;
    QLabel* m_platformValue = nullptr;
    QLabel* m_financialReportingValue = nullptr;
    QLabel* m_commerceValue = nullptr;
    QPushButton* m_versionsButton = nullptr;
    GridView* m_databaseView = nullptr;
    GridView* m_historyView = nullptr;
    QGroupBox* m_historyBox = nullptr;
    DatabaseListModel* m_databaseModel = nullptr;
    OperationHistoryModel* m_historyModel = nullptr;
    OperationActions* m_historyActions = nullptr;
    QAction* m_viewProgressAction = nullptr;
    QAction* m_reprovisionAction = nullptr;
    QSet<qint64> m_busyOperations;
    QString m_roleRefusal;
    RestorePointListModel* m_restorePointModel = nullptr;
    GridView* m_restorePointView = nullptr;
    QPushButton* m_createPointButton = nullptr;
    QPushButton* m_deletePointButton = nullptr;
    QPushButton* m_restorePointButton = nullptr;
    QLabel* m_restorePointStatus = nullptr;
    bool m_restorePointBusy = false;
    QDateTime m_now;
    QWidget* m_durationBox = nullptr;
    class OperationDurationChart* m_durationChart = nullptr;
    class QTabWidget* m_historyTabs = nullptr;
};
