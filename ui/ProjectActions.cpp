#include "ProjectActions.h"

#include "lifecycle/ApprovalService.h"
#include "environments/CredentialsDialog.h"
#include "environments/AccessRequestDialog.h"
#include "lifecycle/AccessService.h"
#include "members/ProjectMembersDialog.h"

#include "MainWindow.h"
#include "MessageBox.h"
#include "OperationSession.h"
#include "apply/ApplyUpdatesWizard.h"
#include "schedule/RequestService.h"
#include "assets/AssetLibraryDialog.h"
#include "catalog/Catalog.h"
#include "registration/EnvironmentRegistration.h"
#include "environments/EnvironmentDialog.h"
#include "operation/OperationRules.h"
#include "lifecycle/OperationService.h"
#include "catalog/OperationStore.h"
#include "package/AssetLibrary.h"
#include "package/SharedLibrary.h"
#include "policy/PolicyView.h"
#include "progress/OperationCenter.h"

#include <QAction>

#include <spdlog/spdlog.h>

namespace {

void describe(QAction* action, const QString& text)
{
    action->setToolTip(text);
    action->setStatusTip(text);
}

QAction* newAction(QObject* parent, const QString& text, const char* objectName)
{
    auto* a = new QAction(text, parent);
    a->setObjectName(QString::fromLatin1(objectName));
    return a;
}

} // namespace

ProjectActions::ProjectActions(MainWindow* window, QAction* applyUpdates)
    : QObject(window), m_window(window), m_applyUpdates(applyUpdates)
{
    m_assetLibrary = newAction(this, tr("Asset &Library…"), "assetLibraryAction");
    describe(m_assetLibrary, tr("The project's deployable packages: import from the shared library, upload a zip"));
    connect(m_assetLibrary, &QAction::triggered, this, [this] { openAssetLibrary(); });

    connect(m_applyUpdates, &QAction::triggered, this, [this] { openApplyUpdates(); });

    m_reprovision = newAction(this, tr("Apply the Environment &Reprovisioning Tool"), "reprovisionAction");
    connect(m_reprovision, &QAction::triggered, this, [this] { applyReprovisioningTool(); });

    m_addEnvironment = newAction(this, tr("&Add Environment…"), "addEnvironmentAction");
    m_addEnvironment->setIconText(tr("Add"));
    describe(m_addEnvironment, tr("Register an environment whose databases already exist (SQLite or PostgreSQL)"));
    connect(m_addEnvironment, &QAction::triggered, this, [this] { openAddEnvironment(); });

    m_editEnvironment = newAction(this, tr("&Edit Environment…"), "editEnvironmentAction");
    m_editEnvironment->setIconText(tr("Edit"));
    connect(m_editEnvironment, &QAction::triggered, this, [this] { openEditEnvironment(); });

    m_removeEnvironment = newAction(this, tr("&Remove Environment…"), "removeEnvironmentAction");
    m_removeEnvironment->setIconText(tr("Remove"));
    connect(m_removeEnvironment, &QAction::triggered, this, [this] { removeEnvironment(); });

    m_dataPolicy = newAction(this, tr("Data &Policy…"), "dataPolicyAction");
    describe(m_dataPolicy, tr("The rules a refresh applies to the project's data: view them, choose a policy file, "
                              "validate them against an environment"));
    connect(m_dataPolicy, &QAction::triggered, this, [this] { openDataPolicy(); });

    m_members = newAction(this, tr("Project &Members…"), "projectMembersAction");
    connect(m_members, &QAction::triggered, this, [this] { openMembers(); });
    m_protect = newAction(this, tr("&Protected (Approvals)"), "protectEnvironmentAction");
    m_protect->setCheckable(true);
    connect(m_protect, &QAction::triggered, this, [this](bool on) { setProtected(on); });
    m_credentials = newAction(this, tr("Database &Credentials…"), "databaseCredentialsAction");
    connect(m_credentials, &QAction::triggered, this, [this] { openCredentials(); });
    m_requestAccess = newAction(this, tr("Request Database &Access…"), "requestAccessAction");
    connect(m_requestAccess, &QAction::triggered, this, [this] { openAccessRequest(); });
    update(nullptr);
}

void ProjectActions::update(const Environment* e, const QString& operateRefusal, const QString& manageRefusal,
                            const QString& ownRefusal)
{
    const bool project = m_window->catalog() && !m_window->currentProjectId().isEmpty();
    m_assetLibrary->setEnabled(project);
    m_dataPolicy->setEnabled(project);
    const bool team = project && m_window->catalog()->isTeam();
    m_members->setEnabled(team);
    describe(m_members, team ? tr("Who holds which role in the project; a Project owner adds and removes members")
                             : tr("Members and roles belong to a team catalog (File > Connect to Team Catalog…); a "
                                  "catalog folder is one person's, who may do everything."));
    m_addEnvironment->setEnabled(m_window->catalog() != nullptr);
    {
        const QSignalBlocker quiet(m_protect);
        m_protect->setChecked(e && team && e->isProtected());
    }
    m_manageRefusal = manageRefusal;
    {
        // What a request for access needs: a team catalog, a PostgreSQL database, the right to operate it.
        const QString why = !e ? tr("Select an environment.")
                               : !team ? AccessService(*m_window->catalog()).refusal(*e, false)
                                       : !operateRefusal.isEmpty() ? operateRefusal
                                                                   : AccessService(*m_window->catalog()).refusal(*e, false);
        m_requestAccess->setEnabled(why.isEmpty());
        describe(m_requestAccess, why.isEmpty() ? tr("A temporary login on %1's database, for a reason, up to 8 hours")
                                                      .arg(e->name)
                                                : why);
    }
    m_credentials->setEnabled(e != nullptr);
    describe(m_credentials, !e     ? tr("Select an environment.")
                            : team ? tr("The passwords the team catalog keeps for %1's databases, for its agents")
                                         .arg(e->name)
                                   : tr("The passwords this computer's OS keychain keeps for %1's databases")
                                         .arg(e->name));
    if (!team || !e) {
        m_protect->setEnabled(false);
        describe(m_protect, !team ? ApprovalService::onePersonSentence() : tr("Select an environment."));
    } else if (e->type == EnvironmentType::Production) {
        m_protect->setEnabled(false);
        describe(m_protect, tr("%1 is production: always protected; a second Project owner approves its updates.")
                                .arg(e->name));
    } else if (!ownRefusal.isEmpty()) {
        m_protect->setEnabled(false);
        describe(m_protect, ownRefusal);
    } else {
        m_protect->setEnabled(true);
        describe(m_protect, e->markedProtected
                                ? tr("%1 is protected: its refreshes, restores, imports and applies wait for a second "
                                     "Project owner's approval. Uncheck to let them run when asked.")
                                      .arg(e->name)
                                : tr("Protect %1: its refreshes, restores, imports and applies will wait for a second "
                                     "Project owner's approval (four eyes).")
                                      .arg(e->name));
    }

    m_applyUpdates->setEnabled(e != nullptr);
    describe(m_applyUpdates, e ? tr("Apply a package of the asset library to %1: prerequisites, confirmation, then "
                                    "the live progress")
                                     .arg(e->name)
                               : tr("Select an environment to apply a package to it."));
    m_editEnvironment->setEnabled(e != nullptr);
    describe(m_editEnvironment,
             e ? tr("Change %1's name, versions, tenant or databases").arg(e->name) : tr("Select an environment."));
    m_removeEnvironment->setEnabled(e != nullptr);
    describe(m_removeEnvironment,
             e ? tr("Forget %1 (its databases are not touched)").arg(e->name) : tr("Select an environment."));
    // What the login's role does not allow, greyed out with the sentence that says so.
    if (e && !operateRefusal.isEmpty()) {
        m_applyUpdates->setEnabled(false);
        describe(m_applyUpdates, operateRefusal);
    }
    if (e && !manageRefusal.isEmpty()) {
        for (QAction* a : {m_addEnvironment, m_editEnvironment, m_removeEnvironment}) {
            a->setEnabled(false);
            describe(a, manageRefusal);
        }
    }
    const QString why = !operateRefusal.isEmpty() && e ? operateRefusal : reprovisionBlocker(e);
    m_reprovision->setEnabled(why.isEmpty());
    describe(m_reprovision, why.isEmpty() ? tr("After the refresh of %1: bring its Commerce records in line with "
                                               "the environment (imports the tool from the shared library if needed)")
                                                .arg(e->name)
                                          : why);
}

QString ProjectActions::reprovisionBlocker(const Environment* e) const
{
    if (!e || !m_window->catalog())
        return tr("Select a Commerce environment that was just refreshed.");
    if (!e->hasCommerce())
        return tr("%1 runs no Commerce: there is nothing to reprovision.").arg(e->name);
    const OperationRules::Verdict v = OperationRules::canReprovision(
        e->id, e->hasCommerce(),
        OperationStore(*m_window->catalog()).listSummaries(e->id, false, OperationStore::HistoryPage));
    return v.allowed ? QString() : v.reason;
}

AssetLibraryDialog* ProjectActions::openAssetLibrary()
{
    Catalog* catalog = m_window->catalog();
    if (!catalog || m_window->currentProjectId().isEmpty())
        return nullptr;
    if (m_assetDialog) {
        m_assetDialog->reload();
        m_assetDialog->raise();
        m_assetDialog->activateWindow();
        return m_assetDialog;
    }
    auto* dialog = new AssetLibraryDialog(catalog, m_window->currentProjectId(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_assetDialog = dialog;
    dialog->show();
    return dialog;
}

ApplyUpdatesWizard* ProjectActions::openApplyUpdates()
{
    Catalog* catalog = m_window->catalog();
    const auto target = catalog ? catalog->environment(m_window->currentEnvironmentId()) : std::nullopt;
    if (!target)
        return nullptr;
    if (m_applyWizard) {
        m_applyWizard->raise();
        return m_applyWizard;
    }
    auto* wizard = new ApplyUpdatesWizard(*target, AssetLibrary(*catalog).list(target->projectId), m_window);
    wizard->setCatalogFolder(catalog->location());
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setWindowModality(Qt::WindowModal);
    connect(wizard, &QDialog::accepted, this, [this, wizard] { applyAccepted(wizard); });
    m_applyWizard = wizard;
    wizard->show();
    return wizard;
}

void ProjectActions::applyAccepted(ApplyUpdatesWizard* wizard)
{
    const auto package = wizard->package();
    QString error;
    if (!package || !startApply(wizard->target().id, package->sha256, &error, wizard->requestWindow(),
                                wizard->requestForce()))
        MessageBox::notify(m_window, QMessageBox::Warning, tr("Apply Updates"),
                           tr("The apply to %1 could not start.").arg(wizard->target().name), error,
                           QStringLiteral("applyStartErrorBox"));
}

bool ProjectActions::startApply(const QString& environmentId, const QString& sha256, QString* error,
                                const std::optional<RequestWindow>& window, bool force)
{
    Catalog* catalog = m_window->catalog();
    const auto target = catalog->environment(environmentId);
    if (!target) {
        *error = tr("The environment %1 is no longer in the catalog.").arg(environmentId);
        return false;
    }
    auto asset = AssetLibrary(*catalog).find(target->projectId, sha256, error);
    if (!asset)
        return false;
    const auto id = OperationService(*catalog).createApply(*asset, *target, error);
    if (!id)
        return false;
    spdlog::info("console: apply #{} of {} to {} created", *id, asset->title().toStdString(), target->id.toStdString());
    if (window) {
        // A request: it waits as Scheduled for an agent (or this console's due work).
        if (!RequestService(*catalog).schedule(*id, *window, force, error))
            return false;
        m_window->showOperation(*id);
        return true;
    }
    OperationSession* session = m_window->operations()->session(*id);
    if (!session) {
        *error = tr("Operation %1 was created but cannot be read back from the catalog.").arg(*id);
        return false;
    }
    session->execute(OperationRunner::Run);
    m_window->showOperation(*id);
    return true;
}

bool ProjectActions::applyReprovisioningTool(const QString& environmentId)
{
    Catalog* catalog = m_window->catalog();
    const QString id = environmentId.isEmpty() ? m_window->currentEnvironmentId() : environmentId;
    const auto target = catalog ? catalog->environment(id) : std::nullopt;
    if (!target)
        return false;
    // Asked like the Apply updates wizard asks: it changes the sandbox and keeps a restore point.
    const QString kept =
        OperationRules::restorePointsKept(target->id, OperationStore(*catalog).keepingRestorePoints(target->id));
    const auto answer = MessageBox::ask(
        m_window, QMessageBox::Warning, tr("Apply the Environment Reprovisioning Tool"),
        tr("Apply the Environment reprovisioning tool to %1 (%2) now?").arg(target->name, target->id),
        tr("It copies %1's transactional database as a restore point, then brings the Commerce records in line "
           "with %1: it regenerates the channel database record and resets the POS device activations and the "
           "self-service installers. Sign the operation off to delete the restore point.%2")
            .arg(target->id, kept.isEmpty() ? QString() : QStringLiteral("\n\n") + kept),
        {{QMessageBox::Yes, tr("Apply"), {}}, {QMessageBox::Cancel, tr("Cancel"), {}}}, QMessageBox::Cancel,
        QMessageBox::Cancel, QStringLiteral("confirmReprovisionBox"));
    if (answer != QMessageBox::Yes)
        return false;
    QString error;
    // Importing the tool is a few kilobytes built from the resources: quick enough for
    // the GUI thread.
    const auto operation = OperationService(*catalog).createReprovision(*target, 0, &error);
    OperationSession* session = operation ? m_window->operations()->session(*operation) : nullptr;
    if (operation && !session)
        error = tr("Operation %1 was created but cannot be read back from the catalog.").arg(*operation);
    if (!session) {
        MessageBox::notify(m_window, QMessageBox::Warning, tr("Environment Reprovisioning Tool"),
                           tr("The reprovisioning tool could not be applied to %1.").arg(target->name), error,
                           QStringLiteral("applyStartErrorBox"));
        return false;
    }
    spdlog::info("console: reprovisioning #{} of {} created", *operation, target->id.toStdString());
    session->execute(OperationRunner::Run);
    m_window->showOperation(*operation);
    return true;
}

EnvironmentDialog* ProjectActions::openAddEnvironment()
{
    Catalog* catalog = m_window->catalog();
    if (!catalog)
        return nullptr;
    if (m_environmentDialog) {
        m_environmentDialog->raise();
        return m_environmentDialog;
    }
    auto* dialog = new EnvironmentDialog(catalog, m_window->currentProjectId(), std::nullopt, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &EnvironmentDialog::saved, this, &ProjectActions::environmentSaved);
    m_environmentDialog = dialog;
    dialog->show();
    return dialog;
}

EnvironmentDialog* ProjectActions::openEditEnvironment()
{
    Catalog* catalog = m_window->catalog();
    const auto e = catalog ? catalog->environment(m_window->currentEnvironmentId()) : std::nullopt;
    if (!e)
        return nullptr;
    if (m_environmentDialog) {
        m_environmentDialog->raise();
        return m_environmentDialog;
    }
    auto* dialog = new EnvironmentDialog(catalog, e->projectId, *e, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &EnvironmentDialog::saved, this, &ProjectActions::environmentSaved);
    m_environmentDialog = dialog;
    dialog->show();
    return dialog;
}

void ProjectActions::environmentSaved(const QString& id)
{
    m_window->reload();
    m_window->selectEnvironment(id);
}

bool ProjectActions::removeEnvironment()
{
    Catalog* catalog = m_window->catalog();
    const auto e = catalog ? catalog->environment(m_window->currentEnvironmentId()) : std::nullopt;
    if (!e)
        return false;
    EnvironmentRegistration registration(*catalog);
    if (const QString blocker = registration.blocker(e->id, true); !blocker.isEmpty()) {
        MessageBox::notify(m_window, QMessageBox::Information, tr("Remove Environment"),
                           tr("%1 cannot be removed now.").arg(e->name), blocker, QStringLiteral("removeRefusedBox"));
        return false;
    }
    QStringList locations;
    for (const DatabaseRef& db : e->databases)
        locations << db.location();
    const auto answer = MessageBox::ask(
        m_window, QMessageBox::Question, tr("Remove Environment"),
        tr("Remove %1 (%2) from the project %3?").arg(e->name, e->id, e->projectId),
        tr("The console forgets the environment and its operation history. Its databases are not touched: %1")
            .arg(locations.join(QStringLiteral(", "))),
        {{QMessageBox::Yes, tr("Remove"), {}}, {QMessageBox::No, tr("Keep it"), {}}}, QMessageBox::No, QMessageBox::No,
        QStringLiteral("confirmRemoveBox"));
    if (answer != QMessageBox::Yes)
        return false;
    const auto outcome = registration.remove(e->id);
    if (!outcome.ok()) {
        MessageBox::notify(m_window, QMessageBox::Warning, tr("Remove Environment"),
                           tr("%1 was not removed.").arg(e->name), outcome.message, QStringLiteral("removeRefusedBox"));
        return false;
    }
    spdlog::info("console: environment {} removed (its databases were not touched)", e->id.toStdString());
    m_window->reload();
    return true;
}

ProjectMembersDialog* ProjectActions::openMembers()
{
    Catalog* catalog = m_window->catalog();
    if (!catalog || !catalog->isTeam() || m_window->currentProjectId().isEmpty())
        return nullptr;
    auto* dialog = new ProjectMembersDialog(*catalog, m_window->currentProjectId(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

PolicyView* ProjectActions::openDataPolicy()
{
    Catalog* catalog = m_window->catalog();
    if (!catalog || m_window->currentProjectId().isEmpty())
        return nullptr;
    if (m_policyView) {
        m_policyView->raise();
        m_policyView->activateWindow();
        return m_policyView;
    }
    auto* view = new PolicyView(catalog, m_window->currentProjectId(), m_window->currentEnvironmentId(), m_window);
    view->setAttribute(Qt::WA_DeleteOnClose);
    m_policyView = view;
    view->show();
    return view;
}

bool ProjectActions::setProtected(bool on)
{
    Catalog* catalog = m_window->catalog();
    const auto e = catalog ? catalog->environment(m_window->currentEnvironmentId()) : std::nullopt;
    if (!e)
        return false;
    QString error;
    if (ApprovalService(*catalog).setProtected(*e, on, &error) != ApprovalService::Outcome::Done) {
        {
            const QSignalBlocker quiet(m_protect);
            m_protect->setChecked(!on);
        }
        MessageBox::notify(m_window, QMessageBox::Warning, tr("Protected"),
                           on ? tr("%1 is not protected.").arg(e->name) : tr("%1 stays protected.").arg(e->name), error,
                           QStringLiteral("protectEnvironmentRefused"));
        return false;
    }
    environmentSaved(e->id);
    return true;
}

CredentialsDialog* ProjectActions::openCredentials()
{
    Catalog* catalog = m_window->catalog();
    const auto e = catalog ? catalog->environment(m_window->currentEnvironmentId()) : std::nullopt;
    if (!e)
        return nullptr;
    auto* dialog = new CredentialsDialog(*catalog, *e, m_manageRefusal, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

AccessRequestDialog* ProjectActions::openAccessRequest()
{
    Catalog* catalog = m_window->catalog();
    const auto e = catalog && catalog->isTeam() ? catalog->environment(m_window->currentEnvironmentId()) : std::nullopt;
    if (!e)
        return nullptr;
    auto* dialog = new AccessRequestDialog(*catalog, *e, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}
