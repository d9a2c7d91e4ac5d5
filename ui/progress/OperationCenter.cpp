#include "OperationCenter.h"
#include "progress/MaskingReportDialog.h"
#include "schedule/RequestService.h"
#include "core/ByteSize.h"

#include "FileDialog.h"
#include "MessageBox.h"
#include "OperationAvailability.h"
#include "OperationHistoryModel.h"
#include "OperationSession.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookArchive.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "operation/OperationRules.h"
#include "lifecycle/OperationService.h"

#include <QDir>
#include <QLocale>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

OperationCenter::OperationCenter(Catalog* catalog, QWidget* dialogParent, QObject* parent)
    : QObject(parent), m_catalog(catalog), m_dialogParent(dialogParent)
{
}

OperationCenter::~OperationCenter()
{
    // The sessions are children: an idle one is destroyed at once; a busy one was
    // cancelled or detached by the window's close, which is the only way here.
}

bool OperationCenter::setCatalog(Catalog* catalog)
{
    if (isBusy())
        return false;
    qDeleteAll(m_sessions);
    m_sessions.clear();
    m_catalog = catalog;
    return true;
}

OperationSession* OperationCenter::existingSession(qint64 id) const
{
    return m_sessions.value(id);
}

OperationSession* OperationCenter::session(qint64 id)
{
    if (OperationSession* s = m_sessions.value(id))
        return s;
    if (!m_catalog || !OperationStore(*m_catalog).get(id))
        return nullptr;
    auto* s = new OperationSession(*m_catalog, id, this);
    connect(s, &OperationSession::finished, this,
            [this, id](int outcome, const QString& state, const QString& message) {
                onFinished(id, outcome, state, message);
            });
    connect(s, &OperationSession::busyChanged, this, [this, id] { Q_EMIT operationChanged(id); });
    QPointer<OperationSession> guard(s);
    connect(s, &OperationSession::changed, this, [this, id, guard, last = QString()]() mutable {
        // Only state changes matter to the rest of the window (the environment list).
        const QString state = guard ? operationStateName(guard->record().state) : QString();
        if (state != last) {
            last = state;
            Q_EMIT operationChanged(id);
        }
    });
    m_sessions.insert(id, s);
    return s;
}

QList<OperationSession*> OperationCenter::busySessions() const
{
    QList<OperationSession*> busy;
    for (OperationSession* s : m_sessions) {
        if (s->isBusy())
            busy.append(s);
    }
    return busy;
}

std::optional<qint64> OperationCenter::startRefresh(const Environment& source, const Environment& target,
                                                    const QString& policyPath, const QString& reviewedSha256,
                                                    QString* error)
{
    if (!m_catalog) {
        *error = tr("No catalog is open.");
        return std::nullopt;
    }
    auto id = OperationService(*m_catalog).createRefresh(source, target, policyPath, error, nullptr, reviewedSha256);
    if (!id)
        return std::nullopt;
    spdlog::info("console: refresh #{} of {} from {} created", *id, target.id.toStdString(), source.id.toStdString());
    return run(*id, error);
}

std::optional<qint64> OperationCenter::startExport(const Environment& source, const QString& policyPath,
                                                   QString* error)
{
    if (!m_catalog) {
        *error = tr("No catalog is open.");
        return std::nullopt;
    }
    const auto id = OperationService(*m_catalog).createExport(source, policyPath, error);
    return id ? run(*id, error) : std::nullopt;
}

std::optional<qint64> OperationCenter::startImport(const BackupStore::Backup& backup, const Environment& target,
                                                   QString* error)
{
    if (!m_catalog) {
        *error = tr("No catalog is open.");
        return std::nullopt;
    }
    const auto id = OperationService(*m_catalog).createImport(backup, target, error);
    return id ? run(*id, error) : std::nullopt;
}

void OperationCenter::requestNextStart(const RequestWindow& window, bool force)
{
    m_nextWindow = window;
    m_nextForce = force;
}

std::optional<qint64> OperationCenter::run(qint64 id, QString* error)
{
    if (m_nextWindow) {
        // A request: it waits as Scheduled for the agent (or this console's due work).
        const RequestWindow window = *m_nextWindow;
        m_nextWindow.reset();
        if (!m_catalog || !RequestService(*m_catalog).schedule(id, window, m_nextForce, error))
            return std::nullopt;
        spdlog::info("console: operation #{} requested for {} to {}", id,
                     window.start.toString(Qt::ISODate).toStdString(), window.end.toString(Qt::ISODate).toStdString());
        Q_EMIT operationChanged(id);
        return id;
    }
    if (m_catalog && m_catalog->isTeam()) {
        // A team catalog's agents run it; this console follows it like any other.
        if (!RequestService(*m_catalog).submitToAgents(id, error))
            return std::nullopt;
        spdlog::info("console: operation #{} submitted to the agents of the team catalog", id);
        Q_EMIT operationChanged(id);
        return id;
    }
    OperationSession* s = session(id);
    if (!s) {
        *error = tr("Operation %1 was created but cannot be read back from the catalog.").arg(id);
        return std::nullopt;
    }
    s->execute(OperationRunner::Run);
    Q_EMIT operationChanged(id);
    return id;
}

std::optional<qint64> OperationCenter::startRestoreAtInstant(const Environment& source, const Environment& target,
                                                             const QDateTime& instant, const QString& reviewedSha256,
                                                             QString* error)
{
    Q_UNUSED(reviewedSha256);
    if (!m_catalog) {
        *error = tr("No catalog is open.");
        return std::nullopt;
    }
    const auto id = OperationService(*m_catalog).createRestoreAtInstant(source, target, instant, QString(), error);
    return id ? run(*id, error) : std::nullopt;
}

std::optional<qint64> OperationCenter::startRestore(const RestorePoint& point, const Environment& target,
                                                    const QString& reviewedSha256, QString* error)
{
    if (!m_catalog) {
        *error = tr("No catalog is open.");
        return std::nullopt;
    }
    auto id = OperationService(*m_catalog).createRestore(point, target, QString(), error, nullptr, reviewedSha256);
    if (!id)
        return std::nullopt;
    spdlog::info("console: restore #{} of {} from restore point {} created", *id, target.id.toStdString(), point.id);
    return run(*id, error);
}

bool OperationCenter::perform(qint64 id, int action)
{
    OperationSession* s = session(id);
    if (!s)
        return false;
    s->reload();
    const QList<OperationRecord> history =
        OperationStore(*m_catalog).listSummaries(s->record().target, true, OperationStore::HistoryPage);
    const auto verdict =
        OperationAvailability::check(OperationAvailability::Action(action), s->record(), history, s->isBusy(),
                                     s->roleRefusal());
    if (!verdict.enabled) {
        MessageBox::notify(m_dialogParent, QMessageBox::Information, tr("Operation %1").arg(id),
                           tr("This is not possible now."), verdict.reason, QStringLiteral("operationRefusedBox"));
        return false;
    }
    switch (OperationAvailability::Action(action)) {
    case OperationAvailability::Cancel:
        if (!confirmCancel(s))
            return false;
        if (s->isBusy()) {
            s->cancel();
        } else if (s->record().state == OperationState::InProgress) {
            // Run by another process (the CLI, another console): it polls the catalog.
            QString error;
            if (!OperationService(*m_catalog).requestCancel(s->record(), &error)) {
                MessageBox::notify(m_dialogParent, QMessageBox::Information, tr("Operation %1").arg(id),
                                   tr("This is not possible now."), error, QStringLiteral("operationRefusedBox"));
                return false;
            }
            spdlog::info("console: asked process {} to cancel operation {}", s->record().ownerPid, id);
        } else {
            s->execute(OperationRunner::Abort);
        }
        return true;
    case OperationAvailability::Resume:
        s->execute(OperationRunner::Resume);
        return true;
    case OperationAvailability::Rollback:
        if (!confirmRollback(s))
            return false;
        s->execute(OperationRunner::Rollback);
        return true;
    case OperationAvailability::SignOff:
        if (!confirmSignOff(s))
            return false;
        s->execute(OperationRunner::SignOff);
        return true;
    case OperationAvailability::DownloadLogs:
        return downloadLogs(s);
    case OperationAvailability::MaskingReport: {
        const std::optional<OperationRecord> fresh = OperationStore(*m_catalog).get(id);
        if (!fresh)
            return false;
        auto* dialog = new MaskingReportDialog(*fresh, m_dialogParent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
        return true;
    }
    }
    return false;
}

bool OperationCenter::confirmCancel(OperationSession* s)
{
    const OperationRecord& op = s->record();
    const bool running = op.state == OperationState::InProgress;
    const QString text = running ? tr("Cancel operation %1 on %2?").arg(op.id).arg(op.target)
                                 : tr("Abort operation %1 on %2?").arg(op.id).arg(op.target);
    // In the words of its kind: what stops where, and what is removed.
    const QString info = OperationRules(BuiltInOperationKinds::registry()).cancelConsequence(op);
    return MessageBox::ask(m_dialogParent, QMessageBox::Question, tr("Cancel Operation"), text, info,
                           {{QMessageBox::Yes, running ? tr("Cancel operation") : tr("Abort operation"), {}},
                            {QMessageBox::No, running ? tr("Keep it running") : tr("Keep it"), {}}},
                           QMessageBox::No, QMessageBox::No, QStringLiteral("confirmCancelBox")) == QMessageBox::Yes;
}

bool OperationCenter::confirmRollback(OperationSession* s)
{
    const OperationRecord& op = s->record();
    const QString when =
        op.started.isValid() ? QLocale().toString(op.started.toLocalTime(), QLocale::ShortFormat) : tr("its start");
    const bool changed = OperationRules(BuiltInOperationKinds::registry()).targetChanged(op);
    const QString info =
        changed ? tr("The databases %1 had before operation %2 (%3, started %4) are put back from the restore point. "
                     "Everything %1 received from %5, and anything done in %1 since, is lost.")
                      .arg(op.target)
                      .arg(op.id)
                      .arg(op.title(), when, op.source.isEmpty() ? tr("the operation") : op.source)
                : tr("%1 was not changed by this operation; the rollback removes what it left behind.").arg(op.target);
    return MessageBox::ask(m_dialogParent, QMessageBox::Warning, tr("Roll Back Operation"),
                           tr("Roll back operation %1 on %2?").arg(op.id).arg(op.target), info,
                           {{QMessageBox::Yes, tr("Roll back"), {}}, {QMessageBox::No, tr("Keep it"), {}}},
                           QMessageBox::No, QMessageBox::No, QStringLiteral("confirmRollbackBox")) == QMessageBox::Yes;
}

bool OperationCenter::confirmSignOff(OperationSession* s)
{
    const OperationRecord& op = s->record();
    // It cannot be undone: a warning, with what is deleted.
    const qint64 bytes = op.restorePointBytes();
    return MessageBox::ask(m_dialogParent, QMessageBox::Warning, tr("Sign Off Operation"),
                           tr("Sign off operation %1 on %2?").arg(op.id).arg(op.target),
                           tr("The restore point of %1%2 is deleted: operation %3 (%4) can no longer be rolled back. "
                              "This cannot be undone.")
                               .arg(op.target, bytes >= 0 ? tr(" (%1)").arg(ByteSize::text(bytes)) : QString())
                               .arg(op.id)
                               .arg(op.title()),
                           {{QMessageBox::Yes, tr("Sign off"), {}}, {QMessageBox::No, tr("Not yet"), {}}},
                           QMessageBox::No, QMessageBox::No, QStringLiteral("confirmSignOffBox")) == QMessageBox::Yes;
}

bool OperationCenter::downloadLogs(OperationSession* s)
{
    const OperationRecord& op = s->record();
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    const QString suggested =
        QDir(dir).filePath(QStringLiteral("runbook-%1-operation-%2.zip").arg(op.target).arg(op.id));
    const QString file =
        FileDialog::getSaveFileName(m_dialogParent, tr("Download Runbook Logs"), suggested, tr("Zip archives (*.zip)"));
    if (file.isEmpty())
        return false;
    QString error;
    if (auto fresh = OperationStore(*m_catalog).get(op.id);
        !fresh || !RunbookArchive::write(*m_catalog, *fresh, file, &error)) {
        MessageBox::notify(m_dialogParent, QMessageBox::Warning, tr("Download Runbook Logs"),
                           tr("The runbook logs of operation %1 could not be saved.").arg(op.id), error,
                           QStringLiteral("downloadErrorBox"));
        return false;
    }
    spdlog::info("console: runbook logs of operation {} saved to {}", op.id, file.toStdString());
    Q_EMIT notice(tr("Saved the runbook logs of operation %1 to %2").arg(op.id).arg(QDir::toNativeSeparators(file)));
    return true;
}

void OperationCenter::onFinished(qint64 id, int outcome, const QString& state, const QString& message)
{
    Q_EMIT operationChanged(id);
    Q_EMIT actionFinished(id, outcome, state, message);
    if (outcome == OperationRunner::Done || outcome == OperationRunner::Cancelled)
        return;
    OperationSession* s = existingSession(id);
    const QString title = s ? s->record().title() : tr("Operation");
    const QString what = outcome == OperationRunner::Blocked ? tr("%1 #%2 was blocked by a check; nothing was touched.")
                         : outcome == OperationRunner::Refused
                             ? tr("%1 #%2: the action was refused.")
                             : tr("%1 #%2 failed. Resume it once the cause is fixed, or roll it back.");
    MessageBox::notify(
        m_dialogParent, outcome == OperationRunner::Refused ? QMessageBox::Information : QMessageBox::Warning,
        tr("Operation %1").arg(id), what.arg(title).arg(id), message, QStringLiteral("operationResultBox"));
}

void OperationCenter::cancelAll()
{
    for (OperationSession* s : busySessions())
        s->cancel();
}

void OperationCenter::detachAll()
{
    for (OperationSession* s : busySessions())
        s->detach();
}

void OperationCenter::reloadIdle()
{
    for (OperationSession* s : m_sessions) {
        if (!s->isBusy())
            s->reload();
    }
}
