#include "MoveDatabaseWizard.h"
#include "RequestWindowPage.h"
#include "operation/OperationKinds.h"
#include "refresh/RefreshRequest.h"

#include "AcknowledgementsPage.h"
#include "ChecksPage.h"
#include "OperationPage.h"
#include "PolicyReviewModel.h"
#include "PolicyReviewPage.h"
#include "PreflightCheckModel.h"
#include "SourceEnvironmentModel.h"
#include "SourcePage.h"
#include "RestorePointPage.h"
#include "BackupPage.h"
#include "refresh/RefreshJob.h"

#include <QThread>

MoveDatabaseWizard::MoveDatabaseWizard(const QString& catalogFolder, const Environment& target,
                                       const QList<Environment>& environments, const QString& policyPath,
                                       QWidget* parent)
    : QWizard(parent), m_catalogFolder(catalogFolder), m_target(target), m_environments(environments),
      m_policyPath(policyPath), m_sourceModel(new SourceEnvironmentModel(this)),
      m_checkModel(new PreflightCheckModel(this)), m_reviewModel(new PolicyReviewModel(this))
{
    setObjectName(QStringLiteral("moveDatabaseWizard"));
    setWindowTitle(tr("Move database — %1").arg(target.name));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveHelpButton, false);
    setButtonText(QWizard::FinishButton, tr("&Start refresh"));
    setButtonText(QWizard::NextButton, tr("&Next >"));
    setButtonText(QWizard::BackButton, tr("< &Back"));

    m_sourceModel->setEnvironments(target, environments);
    // The policy file is small and local (never an environment database).
    // The bytes reviewed here are the ones the refresh must apply: their digest goes with the start.
    QString digestError;
    m_policySha256 = RefreshRequest::policySha256(policyPath, &digestError);
    m_reviewModel->setPolicy(RefreshJob::loadPolicy(policyPath, &m_policyError));
    if (m_reviewModel->policy())
        m_policyError.clear();

    setPage(Page_Operation, new OperationPage(this));
    setPage(Page_Source, new SourcePage(this));
    setPage(Page_RestorePoint, new RestorePointPage(this));
    setPage(Page_Backup, new BackupPage(this));
    setPage(Page_Checks, new ChecksPage(this));
    setPage(Page_Review, new PolicyReviewPage(this));
    setPage(Page_Acknowledge, new AcknowledgementsPage(this));
    setPage(Page_RequestWindow, new RequestWindowPage([this] {
                const QString kind = mode() == Mode::Export   ? OperationKinds::Export
                                     : mode() == Mode::Import  ? OperationKinds::Import
                                     : mode() == Mode::Restore ? OperationKinds::Restore
                                                               : OperationKinds::Refresh;
                return RequestWindowPage::Subject{m_catalogFolder, kind,
                                                  mode() == Mode::Refresh ? m_sourceId : QString(), m_target.id};
            }, this));
    setStartId(Page_Operation);
    // The last page offers both: Start now (Finish), or Request for a window (Next).
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        setButtonText(QWizard::NextButton, id == Page_Acknowledge ? tr("Request for a &window >") : tr("&Next >"));
        if (id == Page_RequestWindow)
            setButtonText(QWizard::FinishButton, tr("&Request"));
        else
            updateFinishText();
    });

    if (const int row = m_sourceModel->defaultRow(); row > 0)
        setSourceId(m_sourceModel->candidateAt(row)->id);
    resize(960, 660);
}

std::optional<RequestWindow> MoveDatabaseWizard::requestWindow() const
{
    if (currentId() != Page_RequestWindow)
        return std::nullopt;
    return static_cast<RequestWindowPage*>(page(Page_RequestWindow))->window();
}

bool MoveDatabaseWizard::requestForce() const
{
    return currentId() == Page_RequestWindow && static_cast<RequestWindowPage*>(page(Page_RequestWindow))->force();
}

MoveDatabaseWizard::~MoveDatabaseWizard()
{
    cancelPreflight();
}

void MoveDatabaseWizard::setSourceId(const QString& id)
{
    if (id == m_sourceId)
        return;
    m_sourceId = id;
    Q_EMIT sourceChanged();
}

void MoveDatabaseWizard::setRestorePointChoices(const QList<RestorePoint>& points, const QDateTime& now)
{
    m_pointChoices = points;
    m_now = now;
}

void MoveDatabaseWizard::setRestorePointId(qint64 id)
{
    if (id == m_restorePointId)
        return;
    m_restorePointId = id;
    if (id > 0) {
        m_export = false;
        m_backupName.clear();
        m_instant = QDateTime();
    }
    const RestorePoint* p = restorePoint();
    updateFinishText();
    // The source a restore reads: the restore point's environment.
    const QString source = p ? p->environmentId : QString();
    if (p && source != m_sourceId) {
        m_sourceId = source;
        Q_EMIT sourceChanged();
    }
}

const RestorePoint* MoveDatabaseWizard::restorePoint() const
{
    for (const RestorePoint& p : m_pointChoices) {
        if (p.id == m_restorePointId)
            return &p;
    }
    return nullptr;
}

const Environment* MoveDatabaseWizard::environmentOf(const QString& id) const
{
    for (const Environment& e : m_environments) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

void MoveDatabaseWizard::setInstant(const QString& sourceId, const QDateTime& instant)
{
    m_instant = instant;
    if (instant.isValid()) {
        m_restorePointId = 0;
        m_export = false;
        m_backupName.clear();
        if (sourceId != m_sourceId) {
            m_sourceId = sourceId;
            Q_EMIT sourceChanged();
        }
    }
    updateFinishText();
}

MoveDatabaseWizard::Mode MoveDatabaseWizard::mode() const
{
    if (m_export)
        return Mode::Export;
    if (!m_backupName.isEmpty())
        return Mode::Import;
    return m_restorePointId > 0 || m_instant.isValid() ? Mode::Restore : Mode::Refresh;
}

void MoveDatabaseWizard::updateFinishText()
{
    switch (mode()) {
    case Mode::Refresh:
        setButtonText(QWizard::FinishButton, tr("&Start refresh"));
        break;
    case Mode::Restore:
        setButtonText(QWizard::FinishButton, tr("&Start restore"));
        break;
    case Mode::Export:
        setButtonText(QWizard::FinishButton, tr("&Start export"));
        break;
    case Mode::Import:
        setButtonText(QWizard::FinishButton, tr("&Start import"));
        break;
    }
}

void MoveDatabaseWizard::setExport(bool exporting)
{
    if (exporting == m_export)
        return;
    m_export = exporting;
    if (exporting) {
        m_restorePointId = 0;
        m_instant = QDateTime();
        m_backupName.clear();
        // The environment's own data, with the rules an export applies (exclude, blank,
        // set): what the review shows and counts.
        m_sourceId = m_target.id;
        Q_EMIT sourceChanged();
    }
    updateFinishText();
}

void MoveDatabaseWizard::setBackupName(const QString& name)
{
    m_backupName = name;
    if (!name.isEmpty()) {
        m_export = false;
        m_restorePointId = 0;
        m_instant = QDateTime();
    }
    updateFinishText();
}

const BackupStore::Backup* MoveDatabaseWizard::backup() const
{
    for (const BackupStore::Backup& b : m_backupChoices) {
        if (b.name == m_backupName)
            return &b;
    }
    return nullptr;
}

bool MoveDatabaseWizard::appliesPolicy() const
{
    if (mode() == Mode::Import)
        return false;
    if (m_instant.isValid())
        return m_sourceId != m_target.id;
    const RestorePoint* p = restorePoint();
    return !p || p->environmentId != m_target.id;
}

const Environment* MoveDatabaseWizard::source() const
{
    if (isRestore() || m_export)
        return environmentOf(m_sourceId);
    const int row = m_sourceModel->rowOf(m_sourceId);
    return row > 0 ? m_sourceModel->candidateAt(row) : nullptr;
}

void MoveDatabaseWizard::startPreflight()
{
    cancelPreflight();
    const int generation = ++m_generation;
    m_checkModel->reset();
    m_reviewModel->clearCounts();
    m_running = true;
    m_checksDone = false;
    m_blocked = false;
    m_preflightError.clear();

    PreflightWorker::Request request{m_catalogFolder, m_sourceId, m_target.id, m_policyPath};
    request.restorePointId = m_restorePointId;
    request.countOnly = m_export;
    request.instant = m_instant;
    auto* worker = new PreflightWorker(request);
    m_cancel = worker->cancelToken();

    // Queued into this thread; a report of an older run (a source chosen again) is dropped.
    connect(worker, &PreflightWorker::checkReported, this, [this, generation](const CheckResult& check) {
        if (generation != m_generation)
            return;
        m_checkModel->addResult(check);
        Q_EMIT preflightChanged();
    });
    connect(worker, &PreflightWorker::checksFinished, this, [this, generation](bool blocked, int, int) {
        if (generation != m_generation)
            return;
        m_checksDone = true;
        m_blocked = blocked;
        m_checkModel->finish();
        Q_EMIT preflightChanged();
    });
    connect(worker, &PreflightWorker::ruleCounted, this,
            [this, generation](const QString& ruleId, qint64 rows, const QVariantList& tables, const QString& error) {
                if (generation != m_generation)
                    return;
                m_reviewModel->setRuleCount(ruleId, rows, tables, error);
                Q_EMIT preflightChanged();
            });
    connect(worker, &PreflightWorker::finished, this, [this, generation](const QString& error) {
        if (generation != m_generation)
            return;
        m_running = false;
        m_cancel.reset();
        if (!error.isEmpty()) {
            m_preflightError = error;
            m_blocked = true;
            m_checksDone = true;
            m_checkModel->finish();
        }
        Q_EMIT preflightChanged();
    });
    m_preflight.start(worker, QStringLiteral("preflight"), &PreflightWorker::finished);
    Q_EMIT preflightChanged();
}

void MoveDatabaseWizard::cancelPreflight()
{
    if (m_cancel)
        *m_cancel = true;
    m_cancel.reset();
    // A count that is still running is left to end on its own (it stops at its next
    // check of the token): the wizard never waits for it.
    m_preflight.release();
    ++m_generation;
    m_running = false;
}
