#include "environments/AccessRequestDialog.h"

#include "catalog/AccessGrantStore.h"
#include "catalog/Catalog.h"
#include "lifecycle/AccessService.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

AccessRequestDialog::AccessRequestDialog(Catalog& catalog, const Environment& environment, QWidget* parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_environment(environment)
{
    setObjectName(QStringLiteral("accessRequestDialog"));
    setWindowTitle(tr("Request database access to %1").arg(environment.name));
    setMinimumWidth(560);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("An agent makes a temporary login on the environment's PostgreSQL server. Its password "
                                "is made on this computer and shown once, here; the catalog keeps only a verifier. "
                                "The login ends when it expires, when you revoke it (dataalm access revoke), or when "
                                "a refresh replaces the database."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_database = new QComboBox(this);
    m_database->setObjectName(QStringLiteral("accessDatabase"));
    for (const DatabaseRef& db : environment.databases) {
        if (db.isPostgres())
            m_database->addItem(QStringLiteral("%1 (%2)").arg(db.role, db.location()), db.role);
    }
    form->addRow(tr("Database"), m_database);
    m_readOnly = new QRadioButton(tr("Read-only"), this);
    m_readOnly->setObjectName(QStringLiteral("accessReadOnly"));
    m_readOnly->setChecked(true);
    m_readWrite = new QRadioButton(tr("Read-write"), this);
    m_readWrite->setObjectName(QStringLiteral("accessReadWrite"));
    AccessService service(catalog);
    const QString writeRefusal = service.refusal(environment, true);
    m_readWrite->setEnabled(writeRefusal.isEmpty());
    m_readWrite->setToolTip(writeRefusal);
    auto* modes = new QHBoxLayout;
    modes->addWidget(m_readOnly);
    modes->addWidget(m_readWrite);
    modes->addStretch(1);
    form->addRow(tr("Access"), modes);
    m_hours = new QSpinBox(this);
    m_hours->setObjectName(QStringLiteral("accessHours"));
    m_hours->setRange(1, 8);
    m_hours->setValue(8);
    m_hours->setSuffix(tr(" h"));
    form->addRow(tr("Valid for"), m_hours);
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("accessReason"));
    m_reason->setPlaceholderText(tr("Why (the audit keeps it): a support case, a report to check…"));
    form->addRow(tr("Reason"), m_reason);
    layout->addLayout(form);

    m_request = new QPushButton(tr("Request access"), this);
    m_request->setObjectName(QStringLiteral("accessRequest"));
    layout->addWidget(m_request, 0, Qt::AlignRight);

    auto* shown = new QFormLayout;
    m_login = new QLineEdit(this);
    m_login->setObjectName(QStringLiteral("accessLogin"));
    m_login->setReadOnly(true);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("accessPassword"));
    m_password->setReadOnly(true);
    shown->addRow(tr("Login"), m_login);
    shown->addRow(tr("Password"), m_password);
    layout->addLayout(shown);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("accessState"));
    m_state->setWordWrap(true);
    layout->addWidget(m_state);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(close);

    const QString refusal = service.refusal(environment, false);
    const auto updateRequest = [this, refusal] {
        m_request->setEnabled(refusal.isEmpty() && m_grant == 0 && !m_reason->text().trimmed().isEmpty());
        m_request->setToolTip(!refusal.isEmpty() ? refusal
                              : m_reason->text().trimmed().isEmpty() ? tr("Say why first.")
                                                                     : tr("Ask an agent for the login"));
    };
    connect(m_reason, &QLineEdit::textChanged, this, updateRequest);
    updateRequest();
    if (!refusal.isEmpty())
        m_state->setText(refusal);
    connect(m_request, &QPushButton::clicked, this, &AccessRequestDialog::ask);
    m_follow = new QTimer(this);
    m_follow->setInterval(1000);
    connect(m_follow, &QTimer::timeout, this, &AccessRequestDialog::follow);
}

void AccessRequestDialog::ask()
{
    AccessService::Request r;
    r.databaseRole = m_database->currentData().toString();
    r.readWrite = m_readWrite->isChecked();
    r.hours = m_hours->value();
    r.reason = m_reason->text();
    AccessService::Issued issued;
    QString error;
    if (AccessService(m_catalog).request(m_environment, r, &issued, &error) != AccessService::Outcome::Done) {
        m_state->setText(error);
        return;
    }
    m_grant = issued.id;
    m_request->setEnabled(false);
    for (QWidget* w : std::initializer_list<QWidget*>{m_database, m_readOnly, m_readWrite, m_hours, m_reason})
        w->setEnabled(false);
    m_login->setText(issued.login);
    m_password->setText(issued.password);
    issued.password.fill(QLatin1Char('\0'));
    m_state->setText(tr("Grant %1: waiting for an agent to make the login on %2:%3/%4 (valid until %5). The password "
                        "is shown here only.")
                         .arg(issued.id)
                         .arg(issued.host)
                         .arg(issued.port)
                         .arg(issued.database,
                              QLocale().toString(issued.validUntil.toLocalTime(), QLocale::ShortFormat)));
    m_follow->start();
}

void AccessRequestDialog::follow()
{
    const auto g = AccessGrantStore(m_catalog).get(m_grant);
    if (!g || g->state == QLatin1String("Requested"))
        return;
    m_follow->stop();
    m_state->setText(g->state == QLatin1String("Active")
                         ? tr("Grant %1 is active: %2. It ends %3.")
                               .arg(g->id)
                               .arg(g->detail, QLocale().toString(g->validUntil.toLocalTime(), QLocale::ShortFormat))
                         : tr("Grant %1 is %2: %3").arg(g->id).arg(g->state, g->detail));
}
