#include "AcknowledgementsPage.h"

#include "MoveDatabaseWizard.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

AcknowledgementsPage::AcknowledgementsPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("acknowledgementsPage"));
    setTitle(tr("Acknowledgements"));
    setSubTitle(tr("Read and tick each statement, then type the name of the target environment."));
    setCommitPage(false);

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
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirm);
    layout->addWidget(m_hint);
    layout->addStretch(1);
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
    const QStringList texts{
        tr("The databases of %1 are replaced by a copy of %2's; the old ones stay as a restore point until sign-off.")
            .arg(target, source),
        tr("%1 goes offline during the swap into it; until then it stays online and untouched.").arg(target),
        tr("Users other than Admin are disabled in %1, and Admin is reassigned to %2.").arg(target, w->target().admin),
        tr("Batch jobs are withheld in %1: none runs until it is set to waiting again.").arg(target),
        tr("Documents and attachments are not copied: %1 keeps its own.").arg(target),
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
    updateHint();
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
        hint = tr("Type %1 to enable Start refresh.").arg(w->target().name);
    else
        hint = tr("Start refresh replaces the databases of %1.").arg(w->target().name);
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
    return -1;
}
