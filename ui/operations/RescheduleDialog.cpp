#include "operations/RescheduleDialog.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

// A wall-clock time of `zone`, for an edit that knows no zones.
QDateTime wallClock(const QDateTime& t, const QTimeZone& zone)
{
    const QDateTime z = t.toTimeZone(zone);
    return QDateTime(z.date(), z.time());
}

QDateTimeEdit* edit(const QDateTime& value, const QString& name, QWidget* parent)
{
    auto* e = new QDateTimeEdit(value, parent);
    e->setObjectName(name);
    e->setCalendarPopup(true);
    e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    return e;
}

} // namespace

RescheduleDialog::RescheduleDialog(const RequestWindow& window, const QDateTime& instant, const QTimeZone& zone,
                                   QWidget* parent)
    : QDialog(parent)
    , m_zone(zone)
{
    setObjectName(QStringLiteral("rescheduleDialog"));
    setWindowTitle(tr("Reschedule"));
    m_start = edit(wallClock(window.start, zone), QStringLiteral("windowStartEdit"), this);
    m_end = edit(wallClock(window.end, zone), QStringLiteral("windowEndEdit"), this);
    auto* form = new QFormLayout;
    form->addRow(tr("Window starts"), m_start);
    form->addRow(tr("Window ends"), m_end);
    if (instant.isValid()) {
        m_instant = edit(wallClock(instant, zone), QStringLiteral("restoreInstantEdit"), this);
        m_instant->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        form->addRow(tr("Restore to"), m_instant);
    }
    auto* zoneLabel = new QLabel(tr("Times are in the project's time zone, %1.").arg(QString::fromUtf8(zone.id())), this);
    zoneLabel->setObjectName(QStringLiteral("rescheduleZone"));
    m_force = new QCheckBox(tr("Request anyway if the window is shorter than the estimate"), this);
    m_force->setObjectName(QStringLiteral("rescheduleForce"));
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("rescheduleProblem"));
    m_problem->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Reschedule"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("rescheduleOk"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(zoneLabel);
    layout->addWidget(m_force);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(m_start, &QDateTimeEdit::dateTimeChanged, this, &RescheduleDialog::validate);
    connect(m_end, &QDateTimeEdit::dateTimeChanged, this, &RescheduleDialog::validate);
    validate();
}

QDateTime RescheduleDialog::fromEdit(const QDateTimeEdit* e) const
{
    return QDateTime(e->date(), e->time(), m_zone).toUTC();
}

RequestWindow RescheduleDialog::window() const
{
    return RequestWindow{fromEdit(m_start), fromEdit(m_end)};
}

QDateTime RescheduleDialog::instant() const
{
    return m_instant ? fromEdit(m_instant) : QDateTime();
}

bool RescheduleDialog::force() const
{
    return m_force->isChecked();
}

void RescheduleDialog::validate()
{
    const bool ok = fromEdit(m_end) > fromEdit(m_start);
    m_problem->setText(ok ? QString() : tr("The window must end after it starts."));
    if (auto* box = findChild<QDialogButtonBox*>())
        box->button(QDialogButtonBox::Ok)->setEnabled(ok);
}
