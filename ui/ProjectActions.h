#pragma once

#include "schedule/RequestWindow.h"

#include <optional>

#include <QObject>
#include <QPointer>

class ApplyUpdatesWizard;
class AssetLibraryDialog;
class EnvironmentDialog;
class MainWindow;
class PolicyView;
class ProjectMembersDialog;
class QAction;
struct Environment;

// The main window's project actions beyond Move database: the Asset library, Apply
// updates (with the one-click Environment reprovisioning tool after a refresh into a
// Commerce environment), Add / Edit / Remove environment, and the project's Data
// policy. Each QAction is enabled exactly when it can work on the selected
// environment, and its tooltip says what it does or why it cannot.
//
// Promises: what runs long (imports, connection tests, policy validation, the apply
// itself) runs on worker threads owned by the dialogs or by OperationCenter; this
// object only reads the catalog and writes it through the backend's checked APIs
// (AssetLibrary, ApplyJob::create, EnvironmentRegistration).
class ProjectActions : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY(ProjectActions)

public:
    // `applyUpdates`: the window's Maintain > Apply updates action, which this drives.
    ProjectActions(MainWindow* window, QAction* applyUpdates);

    QAction* assetLibraryAction() const { return m_assetLibrary; }
    QAction* applyUpdatesAction() const { return m_applyUpdates; }
    QAction* reprovisionAction() const { return m_reprovision; }
    QAction* addEnvironmentAction() const { return m_addEnvironment; }
    QAction* editEnvironmentAction() const { return m_editEnvironment; }
    QAction* removeEnvironmentAction() const { return m_removeEnvironment; }
    QAction* dataPolicyAction() const { return m_dataPolicy; }
    QAction* membersAction() const { return m_members; }
    QAction* protectAction() const { return m_protect; }
    QAction* credentialsAction() const { return m_credentials; }
    QAction* requestAccessAction() const { return m_requestAccess; }

    // Re-evaluates the actions for the selected environment (nullptr: none).
    // `operateRefusal` / `manageRefusal`: on a team catalog, why the login may not operate
    // or manage `selected` (TeamAccess::whyNot; empty: it may).
    // `ownRefusal`: why it may not do what only a Project owner does (mark it protected).
    void update(const Environment* selected, const QString& operateRefusal = {}, const QString& manageRefusal = {},
                const QString& ownRefusal = {});

public Q_SLOTS:
    AssetLibraryDialog* openAssetLibrary();
    ApplyUpdatesWizard* openApplyUpdates();
    // Imports the reprovisioning tool if the library lacks it, then applies it to
    // `environmentId` (empty: the selected environment) and shows the apply's progress.
    // Maintain's action, the progress view's follow-ups and the history's context menu
    // all come here.
    bool applyReprovisioningTool(const QString& environmentId = {});
    EnvironmentDialog* openAddEnvironment();
    EnvironmentDialog* openEditEnvironment();
    bool removeEnvironment();
    PolicyView* openDataPolicy();
    // Project > Members (a team catalog's roles).
    ProjectMembersDialog* openMembers();
    // Maintain > Protected: marks the selected environment protected (on) or not
    // (ApprovalService); false with the sentence shown when refused.
    bool setProtected(bool on);
    // Maintain > Database Credentials… of the selected environment (a team catalog's).
    class CredentialsDialog* openCredentials();
    // Maintain > Request Database Access… for the selected environment.
    class AccessRequestDialog* openAccessRequest();

private:
    // With `window`, the apply is requested for that downtime window instead of run now.
    bool startApply(const QString& environmentId, const QString& sha256, QString* error,
                    const std::optional<RequestWindow>& window = std::nullopt, bool force = false);
    void applyAccepted(ApplyUpdatesWizard* wizard);
    void environmentSaved(const QString& id);
    QString reprovisionBlocker(const Environment* e) const;

    MainWindow* m_window;
    QAction* m_assetLibrary;
    QAction* m_applyUpdates;
    QAction* m_reprovision;
    QAction* m_addEnvironment;
    QAction* m_editEnvironment;
    QAction* m_removeEnvironment;
    QAction* m_protect = nullptr;
    QAction* m_credentials = nullptr;
    QAction* m_requestAccess = nullptr;
    QString m_manageRefusal; // of the selected environment, for the credentials dialog
    QAction* m_dataPolicy;
    QAction* m_members;
    QPointer<AssetLibraryDialog> m_assetDialog;
    QPointer<ApplyUpdatesWizard> m_applyWizard;
    QPointer<EnvironmentDialog> m_environmentDialog;
    QPointer<PolicyView> m_policyView;
};
