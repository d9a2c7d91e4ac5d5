#include "TeamCatalogDialog.h"

#include "catalog/Catalog.h"
#include "catalog/CatalogProbeWorker.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

TeamCatalogDialog::TeamCatalogDialog(const QString& url, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to Team Catalog"));
    setObjectName(QStringLiteral("teamCatalogDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("A team catalog is a PostgreSQL database that the team's consoles, CLIs and agents "
                                "share; the agents run the operations. Give its URL without a password: libpq reads "
                                "it from ~/.pgpass, PGPASSFILE or a service file."),
                             this);
    intro->setWordWrap(true);
    // Wrapped labels ask the layout for their height at the dialog's width: no line is cut.
    setMinimumWidth(560);
    intro->setMinimumHeight(intro->heightForWidth(520));
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    m_url = new QLineEdit(url, this);
    m_url->setObjectName(QStringLiteral("teamCatalogUrl"));
    m_url->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/dataalm"));
    m_url->setMinimumWidth(420);
    form->addRow(tr("&URL:"), m_url);
    layout->addLayout(form);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("teamCatalogResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumHeight(3 * m_result->fontMetrics().lineSpacing());
    layout->addWidget(m_result);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_test = buttons->addButton(tr("&Test Connection"), QDialogButtonBox::ActionRole);
    m_test->setObjectName(QStringLiteral("teamCatalogTest"));
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(QStringLiteral("teamCatalogConnect"));
    m_connect->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_test, &QPushButton::clicked, this, &TeamCatalogDialog::test);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, [this] {
        m_connect->setEnabled(!m_tested.isEmpty() && m_tested == this->url());
    });
}

QString TeamCatalogDialog::url() const
{
    return m_url->text().trimmed();
}

void TeamCatalogDialog::test()
{
    if (!Catalog::isTeamLocation(url())) {
        m_result->setText(tr("A team catalog's URL starts with postgresql:// (for example "
                             "postgresql://user@host:5432/dataalm)."));
        return;
    }
    m_test->setEnabled(false);
    m_connect->setEnabled(false);
    m_result->setText(tr("Connecting to %1…").arg(url()));
    auto* worker = new CatalogProbeWorker(url());
    const QString tested = url();
    connect(worker, &CatalogProbeWorker::finished, this, [this, tested](const QString& summary, const QString& error) {
        m_tested = error.isEmpty() ? tested : QString();
        onTested(summary, error);
    });
    m_probe.start(worker, QStringLiteral("catalog-probe"), &CatalogProbeWorker::finished);
}

void TeamCatalogDialog::onTested(const QString& summary, const QString& error)
{
    m_test->setEnabled(true);
    m_result->setText(error.isEmpty() ? summary : error);
    m_connect->setEnabled(!m_tested.isEmpty() && m_tested == url());
}
