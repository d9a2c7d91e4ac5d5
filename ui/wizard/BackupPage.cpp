#include "BackupPage.h"

#include "BackupListModel.h"
#include "GridView.h"
#include "MoveDatabaseWizard.h"
#include "import/ImportRequest.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QVBoxLayout>

BackupPage::BackupPage(QWidget* parent) : QWizardPage(parent), m_model(new BackupListModel(this))
{
    setObjectName(QStringLiteral("backupPage"));
    setTitle(tr("Database backup"));
    setSubTitle(tr("Choose the backup to import. It was exported with the data policy applied; only this "
                   "environment's own records and administrator are applied again. The Financial Reporting database "
                   "is left as it is."));
    auto* caption = new QLabel(tr("&Database backups of the asset library:"), this);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("backupList"));
    m_view->setModel(m_model);
    m_view->setPlaceholderText(tr("The asset library has no database backup. Export a sandbox first."));
    m_view->setHeightInRows(3, 8);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(BackupListModel::NameColumn, QHeaderView::Stretch);
    caption->setBuddy(m_view);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("backupSummary"));
    m_summary->setWordWrap(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &BackupPage::selectionChanged);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(caption);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);
}

MoveDatabaseWizard* BackupPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void BackupPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    m_model->setBackups(w->backupChoices());
    for (int c = BackupListModel::SourceColumn; c < BackupListModel::ColumnCount; ++c)
        m_view->resizeColumnToContents(c);
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    selectionChanged();
}

QString BackupPage::refusal() const
{
    MoveDatabaseWizard* w = wizard();
    const BackupStore::Backup* b = m_model->backupAt(m_view->currentIndex().row());
    if (!w || !b)
        return tr("Choose a backup.");
    return ImportRequest::refusal(b->engine, b->projectId, b->application, w->target());
}

void BackupPage::selectionChanged()
{
    MoveDatabaseWizard* w = wizard();
    if (!w)
        return;
    const BackupStore::Backup* b = m_model->backupAt(m_view->currentIndex().row());
    const QString why = refusal();
    w->setBackupName(b && why.isEmpty() ? b->name : QString());
    if (!b)
        m_summary->setText(tr("Choose a backup."));
    else if (!why.isEmpty())
        m_summary->setText(tr("This backup cannot be imported here: %1").arg(why));
    else
        m_summary->setText(tr("%1's transactional database is replaced by %2's data as exported, keeping its own "
                              "environment-specific records; it can be rolled back until you sign it off.")
                               .arg(w->target().name, b->sourceEnvironment));
    Q_EMIT completeChanged();
}

bool BackupPage::isComplete() const
{
    return refusal().isEmpty();
}

int BackupPage::nextId() const
{
    return MoveDatabaseWizard::Page_Acknowledge;
}
