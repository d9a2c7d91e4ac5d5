#include "wizard/RequestWindowPage.h"

#include "core/Clock.h"
#include "operation/OperationRecord.h"
#include "operation/OperationRules.h"
#include "schedule/EstimateWorker.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace {

QDateTimeEdit* edit(const QString& name, QWidget* parent)
{
    auto* e = new QDateTimeEdit(parent);
    e->setObjectName(name);
    e->setCalendarPopup(true);
    e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    return e;
}

} // namespace

RequestWindowPage::RequestWindowPage(std::function<Subject()> subject, QWidget* parent)
    : QWizardPage(parent)
    , m_subject(std::move(subject))
{
    setObjectName(QStringLiteral("requestWindowPage"));
    setTitle(tr("Request for a downtime window"));
    setSubTitle(tr("The operation waits as Scheduled, holding nothing, and an agent runs it when the window opens. "
                   "It never starts outside the window."));
    m_start = edit(QStringLiteral("requestWindowStart"), this);
    m_end = edit(QStringLiteral("requestWindowEnd"), this);
    m_zoneLabel = new QLabel(this);
    m_zoneLabel->setObjectName(QStringLiteral("requestWindowZone"));
    m_estimateLabel = new QLabel(this);
    m_estimateLabel->setObjectName(QStringLiteral("requestWindowEstimate"));
    m_estimateLabel->setWordWrap(true);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("requestWindowProblem"));
    m_problem->setWordWrap(true);
    m_force = new QCheckBox(tr("Request anyway if the window is shorter than the estimate"), this);
    m_force->setObjectName(QStringLiteral("requestWindowForce"));
    auto* form = new QFormLayout;
    form->addRow(tr("Window starts"), m_start);
    form->addRow(tr("Window ends"), m_end);
    form->addRow(QString(), m_zoneLabel);
    form->addRow(tr("Estimate"), m_estimateLabel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_force);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    connect(m_start, &QDateTimeEdit::dateTimeChanged, this, &RequestWindowPage::update);
    connect(m_end, &QDateTimeEdit::dateTimeChanged, this, &RequestWindowPage::update);
    connect(m_force, &QCheckBox::toggled, this, &RequestWindowPage::update);
}

void RequestWindowPage::initializePage()
{
    const Subject s = m_subject();
    m_estimated = false;
    m_estimateLabel->setText(tr("Reading this catalog's history…"));
    // Tonight's 02:00 to 06:00 in this machine's zone until the project's zone is read.
    const QDateTime tomorrow(QDate::currentDate().addDays(1), QTime(2, 0));
    m_start->setDateTime(tomorrow);
    m_end->setDateTime(tomorrow.addSecs(4 * 3600));
    auto* worker = new EstimateWorker(s.catalogFolder, s.kind, s.sourceId, s.targetId);
    connect(worker, &EstimateWorker::finished, this,
            [this, s](const DurationEstimate& e, int notice, const QByteArray& zone) {
                m_estimate = e;
                m_estimated = true;
                m_noticeMinutes = notice;
                // The same wall-clock times, now read in the project's zone.
                if (const QTimeZone z(zone); z.isValid())
                    m_zone = z;
                OperationRecord r;
                r.kind = s.kind;
                r.source = s.sourceId;
                r.target = s.targetId;
                m_estimateLabel->setText(e.text(r.title()));
                update();
            });
    m_estimateWorker.start(worker, QStringLiteral("estimate"), &EstimateWorker::finished);
    update();
}

QDateTime RequestWindowPage::fromEdit(const QDateTimeEdit* e) const
{
    return QDateTime(e->date(), e->time(), m_zone).toUTC();
}

RequestWindow RequestWindowPage::window() const
{
    return RequestWindow{fromEdit(m_start), fromEdit(m_end)};
}

bool RequestWindowPage::force() const
{
    return m_force->isChecked();
}

QString RequestWindowPage::refusal() const
{
    const RequestWindow w = window();
    return OperationRules::windowRefusal(w.start, w.end, Clock::nowUtc(), m_noticeMinutes,
                                         m_estimated ? m_estimate.seconds : -1, force());
}

void RequestWindowPage::update()
{
    m_zoneLabel->setText(tr("Times are in the project's time zone, %1.").arg(QString::fromUtf8(m_zone.id())));
    const QString why = refusal();
    m_problem->setText(why);
    m_force->setVisible(m_estimated && m_estimate.isKnown());
    emit completeChanged();
}

bool RequestWindowPage::isComplete() const
{
    return m_estimated && refusal().isEmpty();
}
