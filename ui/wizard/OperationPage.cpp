#include "OperationPage.h"

#include "MoveDatabaseWizard.h"
#include "operation/OperationRules.h"

#include <QButtonGroup>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

OperationPage::OperationPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("operationPage"));
    setTitle(tr("Database operation"));
    setSubTitle(tr("Choose what to do with the databases of this sandbox."));

    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(4);
    auto* group = new QButtonGroup(this);
    m_refresh = addChoice(
        layout, tr("&Refresh database"),
        tr("Replace this sandbox's databases with a copy of another environment's, leaving out the data the data "
           "policy keeps from travelling. The sandbox stays online until the final swap, and the refresh can be "
           "rolled back until you sign it off."),
        "refreshChoice", true);
    m_refresh->setChecked(true);
    group->addButton(m_refresh);
    m_refreshExplanation = findChild<QLabel*>(QStringLiteral("refreshChoiceExplanation"));
    m_export = addChoice(layout, tr("&Export to the asset library"),
                         tr("Save this sandbox's transactional database as a backup file in the project's asset "
                            "library, with the data policy applied before anything is written. The sandbox stays "
                            "online and is only read."),
                         "exportChoice", true);
    m_exportExplanation = findChild<QLabel*>(QStringLiteral("exportChoiceExplanation"));
    group->addButton(m_export);
    m_import = addChoice(layout, tr("&Import from the asset library"),
                         tr("Replace this environment's transactional database with a backup of the asset library, "
                            "keeping its own environment-specific records and administrator; it can be rolled back "
                            "until you sign it off."),
                         "importChoice", true);
    m_importExplanation = findChild<QLabel*>(QStringLiteral("importChoiceExplanation"));
    group->addButton(m_import);
    m_restore = addChoice(layout, tr("&Point-in-time restore"),
                          tr("Put this environment's transactional database back as it was when one of its restore "
                             "points was taken, or restore production's restore point into this sandbox with the "
                             "data policy. The Financial Reporting database is left as it is."),
                          "pointInTimeChoice", true);
    m_restoreExplanation = findChild<QLabel*>(QStringLiteral("pointInTimeChoiceExplanation"));
    group->addButton(m_restore);
    connect(group, &QButtonGroup::buttonToggled, this, [this] { Q_EMIT completeChanged(); });
    layout->addStretch(1);
}

QRadioButton* OperationPage::addChoice(QVBoxLayout* layout, const QString& text, const QString& explanation,
                                       const char* objectName, bool available)
{
    auto* button = new QRadioButton(text, this);
    button->setObjectName(QLatin1String(objectName));
    button->setEnabled(available);
    button->setToolTip(explanation);
    auto* label = new QLabel(explanation, this);
    label->setObjectName(QLatin1String(objectName) + QStringLiteral("Explanation"));
    label->setWordWrap(true);
    label->setContentsMargins(24, 0, 0, 10);
    label->setEnabled(true); // readable even next to a disabled choice
    layout->addWidget(button);
    layout->addWidget(label);
    return button;
}

MoveDatabaseWizard* OperationPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void OperationPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    const bool sandbox = w->target().type == EnvironmentType::Sandbox;
    m_refresh->setEnabled(sandbox);
    if (!sandbox)
        m_refreshExplanation->setText(OperationRules::sandboxTargetRefusal(w->target()));
    const bool points = !w->restorePointChoices().isEmpty() || !w->instantSources().isEmpty();
    m_restore->setEnabled(points);
    if (!points)
        m_restoreExplanation->setText(
            tr("%1 has no restore point to go back to, and production has none either. Create one on the "
               "Environment details page (Restore points), or refresh, restore or update: each keeps what it "
               "replaces as a restore point.")
                .arg(w->target().name));
    m_export->setEnabled(sandbox);
    if (!sandbox)
        m_exportExplanation->setText(
            tr("%1 is a %2 environment; only a sandbox can be exported: production's data leaves through a sandbox "
               "and its data policy.")
                .arg(w->target().id, environmentTypeTitle(w->target().type).toLower()));
    const bool backups = !w->backupChoices().isEmpty();
    m_import->setEnabled(backups);
    if (!backups)
        m_importExplanation->setText(tr("The asset library of project %1 has no database backup yet. Export a "
                                        "sandbox first.")
                                         .arg(w->target().projectId));
    if (w->isRestore() || !sandbox)
        m_restore->setChecked(points);
}

bool OperationPage::validatePage()
{
    MoveDatabaseWizard* w = wizard();
    w->setExport(m_export->isChecked());
    if (!m_restore->isChecked())
        w->setRestorePointId(0);
    if (!m_import->isChecked())
        w->setBackupName(QString());
    return true;
}

bool OperationPage::isComplete() const
{
    for (QRadioButton* b : {m_refresh, m_restore, m_export, m_import}) {
        if (b->isChecked() && b->isEnabled())
            return true;
    }
    return false;
}

int OperationPage::nextId() const
{
    if (m_restore->isChecked())
        return MoveDatabaseWizard::Page_RestorePoint;
    if (m_export->isChecked())
        return MoveDatabaseWizard::Page_Review;
    if (m_import->isChecked())
        return MoveDatabaseWizard::Page_Backup;
    return MoveDatabaseWizard::Page_Source;
}
