#include "ApplyConfirmationPage.h"
#include "core/ByteSize.h"

#include "ApplyUpdatesWizard.h"
#include "PackageListModel.h"

#include <QCheckBox>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

ApplyConfirmationPage::ApplyConfirmationPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("applyConfirmationPage"));
    setTitle(tr("Confirm"));
    setSubTitle(tr("Check what the package does to the environment before you apply it."));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("applySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_confirm = new QCheckBox(this);
    m_confirm->setObjectName(QStringLiteral("confirmApplyCheck"));
    connect(m_confirm, &QCheckBox::toggled, this, &QWizardPage::completeChanged);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addSpacing(8);
    layout->addWidget(m_confirm);
    layout->addStretch(1);
}

ApplyUpdatesWizard* ApplyConfirmationPage::wizard() const
{
    return qobject_cast<ApplyUpdatesWizard*>(QWizardPage::wizard());
}

void ApplyConfirmationPage::initializePage()
{
    ApplyUpdatesWizard* w = wizard();
    const auto p = w->package();
    const Environment& t = w->target();
    if (!p)
        return;
    auto esc = [](const QString& s) { return s.toHtmlEscaped(); };
    QStringList changes;
    const QString application = p->sets.value(QStringLiteral("application")).toString();
    if (!application.isEmpty())
        changes << tr("application release %1 → <b>%2</b>").arg(esc(t.versions.application), esc(application));
    if (const int platform = p->sets.value(QStringLiteral("platform")).toInt(); platform > 0)
        changes << tr("platform update %1 → <b>%2</b>").arg(t.versions.platform).arg(platform);
    const QString fr = p->sets.value(QStringLiteral("financialReporting")).toString();
    if (!fr.isEmpty())
        changes << tr("financial reporting %1 → <b>%2</b>").arg(esc(t.versions.financialReporting), esc(fr));
    const QString commerce = p->sets.value(QStringLiteral("commerce")).toString();
    if (!commerce.isEmpty())
        changes << tr("Commerce %1 → <b>%2</b>").arg(esc(t.versions.commerce), esc(commerce));

    QString html = tr("<p><b>%1</b> (%2, %3) will be applied to <b>%4</b>.</p><p>%5</p>")
                       .arg(esc(p->title()), esc(PackageManifest::typeTitle(p->type)),
                            ByteSize::text(p->size), esc(t.name),
                            esc(p->description));
    html += changes.isEmpty() ? tr("<p>The environment's versions stay as they are.</p>")
                              : tr("<p>Versions: %1.</p>").arg(changes.join(QStringLiteral(", ")));
    html += tr("<p>The operation checks the package and the prerequisites again, copies %1's transactional database "
               "as a restore point, then runs the package's steps. If a step fails, fix the cause and resume, roll "
               "back to the restore point, or abort and keep what was applied. Sign it off to delete the restore "
               "point.</p>")
                .arg(esc(t.id));
    m_summary->setText(html);
    m_confirm->setText(tr("I want to apply %1 to %2 now").arg(p->title(), t.id));
    m_confirm->setChecked(false);
}

bool ApplyConfirmationPage::isComplete() const
{
    return m_confirm->isChecked();
}
