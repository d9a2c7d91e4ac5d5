#include "AcknowledgementsPage.h"

#include "MoveDatabaseWizard.h"
#include "PreflightCheckModel.h"
#include "OperationHistoryModel.h"

#include <QCheckBox>
#include <QPushButton>
#include <QPlainTextEdit>
#include <QHBoxLayout>
#include <QGuiApplication>
#include <QClipboard>
#include <QAbstractButton>
#include <QLabel>
#include <QLocale>
#include <QLineEdit>
#include <QVBoxLayout>

AcknowledgementsPage::AcknowledgementsPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("acknowledgementsPage"));
    setTitle(tr("Acknowledgements"));
    setSubTitle(tr("Read and tick each statement, then type the name of the target environment."));
    setCommitPage(false);
    // Start now (Finish) or Request for a window (Next, to RequestWindowPage).
    setFinalPage(true);

    auto* layout = new QVBoxLayout(this);
    for (const char* name : {"ackReplaced", "ackOffline", "ackUsers", "ackBatch", "ackDocuments"}) {
        QCheckBox* box = addAcknowledgement(name);
        layout->addWidget(box);
    }
    layout->addSpacing(12);
    m_confirmLabel = new QLabel(this);
    m_confirmLabel->setObjectName(QStringLiteral("confirmNameLabel"));
    m_confirmLabel->setWordWrap(true);
    m_confirmLabel->setTextFormat(Qt::RichText);
    m_confirm = new QLineEdit(this);
    m_confirm->setObjectName(QStringLiteral("confirmName"));
    m_confirm->setClearButtonEnabled(true);
    m_confirmLabel->setBuddy(m_confirm);
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("confirmHint"));
    m_hint->setWordWrap(true);
    connect(m_confirm, &QLineEdit::textChanged, this, [this] {
        updateHint();
        Q_EMIT completeChanged();
    });
    // The summary, before the confirmation: what starts, to read or copy into a ticket.
    auto* summaryRow = new QHBoxLayout;
    auto* summaryLabel = new QLabel(tr("Summary:"), this);
    auto* copy = new QPushButton(tr("&Copy summary"), this);
    copy->setObjectName(QStringLiteral("copySummaryButton"));
    copy->setToolTip(tr("Copy the summary, to paste it into a change ticket"));
    connect(copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(summaryText()); });
    summaryRow->addWidget(summaryLabel, 1);
    summaryRow->addWidget(copy);
    m_summary = new QPlainTextEdit(this);
    m_summary->setObjectName(QStringLiteral("refreshSummary"));
    m_summary->setReadOnly(true);
    // Every line whole, the page's free height its own: no scrolling to read what starts.
    m_summary->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_summary->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_summary->setMinimumHeight(fontMetrics().lineSpacing() * 8);
    layout->addLayout(summaryRow);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirm);
    layout->addWidget(m_hint);
}

QCheckBox* AcknowledgementsPage::addAcknowledgement(const char* objectName)
{
    auto* box = new QCheckBox(this);
    box->setObjectName(QLatin1String(objectName));
    connect(box, &QCheckBox::toggled, this, [this] {
        updateHint();
        Q_EMIT completeChanged();
    });
    m_boxes.append(box);
    return box;
}

MoveDatabaseWizard* AcknowledgementsPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void AcknowledgementsPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    const QString target = w->target().name;
    const QString source = w->source() ? w->source()->name : w->sourceId();
    const RestorePoint* point = w->restorePoint();
    const bool atInstant = w->instant().isValid();
    const QString when = atInstant ? QLocale().toString(w->instant().toLocalTime(), QStringLiteral("d MMM yyyy HH:mm:ss"))
                         : point   ? QLocale().toString(point->created.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm:ss"))
                                   : QString();
    const BackupStore::Backup* backup = w->backup();
    const MoveDatabaseWizard::Mode mode = w->mode();
    const QStringList texts =
        mode == MoveDatabaseWizard::Mode::Export ? QStringList{
        tr("The backup holds %1's transactional database as it is when the export starts.").arg(target),
        tr("%1 stays online and untouched: the export only reads it.").arg(target),
        tr("The data policy's exclude, blank and set rules are applied before anything is written to the backup.")
            .arg(target),
        tr("The backup goes into the asset library of project %1 (Database backups), where whoever opens this "
           "catalog can download it.").arg(w->target().projectId),
        tr("The Financial Reporting database is not exported."),
    }
        : mode == MoveDatabaseWizard::Mode::Import && backup ? QStringList{
        tr("The transactional database of %1 is replaced by the data of backup %2 (from %3); the current one stays "
           "as a restore point.").arg(target, backup->name, backup->sourceEnvironment),
        tr("%1 goes offline during the swap into it; until then it stays online and untouched.").arg(target),
        tr("Users other than Admin stay as the backup has them, and Admin is reassigned to %1.").arg(w->target().admin),
        tr("The Financial Reporting database of %1 is left as it is and must be reset after the import.").arg(target),
        tr("%1 keeps its own environment-specific records (servers, documents, channel and device settings).").arg(target),
    }
        : !point && !atInstant ? QStringList{
        tr("The databases of %1 are replaced by a copy of %2's; the old ones stay as a restore point until sign-off.")
            .arg(target, source),
        tr("%1 goes offline during the swap into it; until then it stays online and untouched.").arg(target),
        tr("Users other than Admin are disabled in %1, and Admin is reassigned to %2.").arg(target, w->target().admin),
        tr("Batch jobs are withheld in %1: none runs until it is set to waiting again.").arg(target),
        tr("Documents and attachments are not copied: %1 keeps its own.").arg(target),
    }
        : w->appliesPolicy() ? QStringList{
        tr("The transactional database of %1 is replaced by %2's as it was at %3; the current one stays as a "
           "restore point.").arg(target, source, when),
        tr("%1 goes offline during the swap into it; until then it stays online and untouched.").arg(target),
        tr("Users other than Admin are disabled in %1, and Admin is reassigned to %2.").arg(target, w->target().admin),
        tr("The Financial Reporting database of %1 is left as it is and must be reset after the restore.").arg(target),
        tr("Documents and attachments are not copied: %1 keeps its own.").arg(target),
    }
        : QStringList{
        tr("The transactional database of %1 goes back to %2; what changed since is replaced, and kept as a restore "
           "point.").arg(target, when),
        tr("%1 goes offline during the swap into it; until then it stays online and untouched.").arg(target),
        tr("Work done in %1 since %2 is gone unless the restore is rolled back.").arg(target, when),
        tr("The Financial Reporting database of %1 is left as it is and must be reset after the restore.").arg(target),
        tr("Batch jobs, users and settings are as they were at %1.").arg(when),
    };
    for (qsizetype i = 0; i < m_boxes.size(); ++i) {
        m_boxes.at(i)->setText(texts.at(i));
        m_boxes.at(i)->setToolTip(tr("Tick to acknowledge: %1").arg(texts.at(i)));
    }
    m_confirmLabel->setText(tr("To confirm, type the name of the target environment, <b>%1</b> (upper and lower "
                               "case as shown):")
                                .arg(target.toHtmlEscaped()));
    m_confirm->setToolTip(tr("Type %1 exactly, with its upper and lower case").arg(target));
    // No placeholder: the name shown greyed in the field looks typed in already.
    m_confirm->setPlaceholderText(tr("the target's name"));
    m_summary->setPlainText(summaryText());
    updateHint();
}

QString AcknowledgementsPage::summaryText() const
{
    MoveDatabaseWizard* w = wizard();
    if (!w)
        return {};
    QStringList lines;
    const Environment& t = w->target();
    if (w->mode() == MoveDatabaseWizard::Mode::Export) {
        lines << tr("Export %1 (%2) into the asset library of %3").arg(t.name, t.id, t.projectId);
        lines << tr("Policy: %1, SHA-256 %2 (exclude, blank and set rules)")
                     .arg(w->policyPath().isEmpty() ? tr("the built-in default") : w->policyPath(), w->policySha256());
        lines << tr("%1 is only read; the Financial Reporting database is not exported").arg(t.id);
        return lines.join(QLatin1Char('\n'));
    }
    if (const BackupStore::Backup* b = w->mode() == MoveDatabaseWizard::Mode::Import ? w->backup() : nullptr) {
        lines << tr("Import backup %1 (from %2, %3) into %4 (%5)")
                     .arg(b->name, b->sourceEnvironment, b->created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                          t.name, t.id);
        lines << tr("Policy: the keep-target and reset-admin rules of project %1's").arg(t.projectId);
        lines << tr("Financial Reporting: left as it is; reset it after the import");
        return lines.join(QLatin1Char('\n'));
    }
    if (w->instant().isValid()) {
        lines << tr("Point-in-time restore of %1 (%2) to %3 as it was at %4 UTC, restored by pgBackRest (stanza %5)")
                     .arg(t.name, t.id, w->sourceId(),
                          w->instant().toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                          w->instantSources().value(w->sourceId()).stanza);
        lines << (w->appliesPolicy() ? tr("Policy: %1, SHA-256 %2")
                                           .arg(w->policyPath().isEmpty() ? tr("the built-in default") : w->policyPath(),
                                                w->policySha256())
                                     : tr("Policy: none (%1's own data)").arg(t.id));
        lines << tr("Financial Reporting: left as it is; reset it after the restore");
    } else if (const RestorePoint* p = w->restorePoint()) {
        lines << tr("Point-in-time restore of %1 (%2) to %3").arg(t.name, t.id, p->title());
        lines << (w->appliesPolicy() ? tr("Policy: %1, SHA-256 %2")
                                           .arg(w->policyPath().isEmpty() ? tr("the built-in default") : w->policyPath(),
                                                w->policySha256())
                                     : tr("Policy: none (%1's own data)").arg(t.id));
        lines << tr("Financial Reporting: left as it is; reset it after the restore");
    } else {
        lines << tr("Refresh %1 (%2) from %3").arg(t.name, t.id, w->source() ? w->source()->id : w->sourceId());
        lines << tr("Policy: %1, SHA-256 %2")
                     .arg(w->policyPath().isEmpty() ? tr("the built-in default") : w->policyPath(), w->policySha256());
    }
    const PreflightCheckModel* checks = w->checkModel();
    QStringList warnings;
    QString restorePoints;
    int passed = 0;
    for (int row = 0; row < checks->rowCount(); ++row) {
        const QModelIndex i = checks->index(row, PreflightCheckModel::ResultColumn);
        const QString status = i.data(PreflightCheckModel::StatusRole).toString();
        const QString message = i.data().toString();
        if (i.data(PreflightCheckModel::IdRole).toString() == QLatin1String("restore-points"))
            restorePoints = message;
        if (status == QLatin1String("warn"))
            warnings << message;
        else if (status == QLatin1String("pass"))
            ++passed;
    }
    lines << tr("Checks: %1 passed, %2 with a warning").arg(passed).arg(warnings.size());
    for (const QString& warning : std::as_const(warnings))
        lines << tr("  warning: %1").arg(warning);
    if (!restorePoints.isEmpty())
        lines << tr("Restore point: %1").arg(restorePoints);
    lines << (w->estimate() >= 0 ? tr("Estimated duration: about %1 (the last refresh of %2)")
                                       .arg(OperationHistoryModel::formatDuration(w->estimate()), t.id)
                                 : tr("Estimated duration: unknown (no earlier refresh of %1)").arg(t.id));
    return lines.join(QLatin1Char('\n'));
}

void AcknowledgementsPage::updateHint()
{
    MoveDatabaseWizard* w = wizard();
    if (!w)
        return;
    const int ticked = int(std::count_if(m_boxes.begin(), m_boxes.end(), [](QCheckBox* b) { return b->isChecked(); }));
    QString hint;
    if (ticked < m_boxes.size())
        hint = tr("%1 of %2 statements ticked.").arg(ticked).arg(m_boxes.size());
    else if (m_confirm->text().trimmed().compare(w->target().name, Qt::CaseInsensitive) == 0 &&
             m_confirm->text().trimmed() != w->target().name)
        hint = tr("The case differs: type %1 exactly as shown.").arg(w->target().name);
    else if (m_confirm->text().trimmed() != w->target().name)
        hint = tr("Type %1 to enable %2.").arg(w->target().name, w->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')));
    else if (w->mode() == MoveDatabaseWizard::Mode::Export)
        hint = tr("Start export writes a backup of %1 into the asset library.").arg(w->target().name);
    else
        hint = w->mode() == MoveDatabaseWizard::Mode::Refresh
                   ? tr("Start refresh replaces the databases of %1.").arg(w->target().name)
                   : tr("%1 replaces the transactional database of %2.")
                         .arg(w->button(QWizard::FinishButton)->text().remove(QLatin1Char('&')), w->target().name);
    m_hint->setText(hint);
}

bool AcknowledgementsPage::isComplete() const
{
    MoveDatabaseWizard* w = wizard();
    if (!w || m_confirm->text().trimmed() != w->target().name)
        return false;
    return std::all_of(m_boxes.begin(), m_boxes.end(), [](QCheckBox* b) { return b->isChecked(); });
}

int AcknowledgementsPage::nextId() const
{
    // Finish starts it now; Next requests it for a downtime window.
    return MoveDatabaseWizard::Page_RequestWindow;
}
