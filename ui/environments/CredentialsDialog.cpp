#include "environments/CredentialsDialog.h"

#include "catalog/Catalog.h"
#include "catalog/CredentialStore.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

CredentialsDialog::CredentialsDialog(Catalog& catalog, const Environment& environment, const QString& manageRefusal,
                                     QWidget* parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_environment(environment)
    , m_manageRefusal(manageRefusal)
{
    setObjectName(QStringLiteral("credentialsDialog"));
    setWindowTitle(tr("Database credentials of %1").arg(environment.name));
    resize(760, 360);
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        !catalog.isTeam()
            ? tr("This computer's OS keychain keeps the password of the login each PostgreSQL database connects as; the "
                 "catalog file only knows that there is one. Operations run here use it.")
        : environment.type == EnvironmentType::Production
            ? tr("The team catalog keeps the password of the login each PostgreSQL database connects as, so that "
                 "agents run the work. %1 is production: its passwords are for its agents alone.")
                  .arg(environment.name)
            : tr("The team catalog keeps the password of the login each PostgreSQL database connects as, so that "
                 "agents run the work. Project owners and Environment managers may reveal one, for a reason the audit "
                 "keeps."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_view = new QTreeWidget(this);
    m_view->setObjectName(QStringLiteral("credentialsView"));
    m_view->setRootIsDecorated(false);
    m_view->setHeaderLabels({tr("Database"), tr("Connects as"), tr("Password kept"), tr("Set by"), tr("Set")});
    m_view->header()->setStretchLastSection(true);
    layout->addWidget(m_view, 1);

    auto* buttons = new QHBoxLayout;
    m_set = new QPushButton(tr("Set password…"), this);
    m_set->setObjectName(QStringLiteral("credentialSet"));
    m_reveal = new QPushButton(tr("Reveal…"), this);
    m_reveal->setObjectName(QStringLiteral("credentialReveal"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("credentialRemove"));
    buttons->addWidget(m_set);
    buttons->addWidget(m_reveal);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_revealed = new QLineEdit(this);
    m_revealed->setObjectName(QStringLiteral("credentialRevealed"));
    m_revealed->setReadOnly(true);
    m_revealed->setVisible(false);
    layout->addWidget(m_revealed);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("credentialsMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(close);

    connect(m_view, &QTreeWidget::currentItemChanged, this, [this] {
        m_revealed->clear();
        m_revealed->setVisible(false);
        updateButtons();
    });
    connect(m_set, &QPushButton::clicked, this, &CredentialsDialog::setPassword);
    connect(m_reveal, &QPushButton::clicked, this, &CredentialsDialog::reveal);
    connect(m_remove, &QPushButton::clicked, this, &CredentialsDialog::removeSelected);
    reload();
    if (!m_manageRefusal.isEmpty())
        m_message->setText(m_manageRefusal);
}

void CredentialsDialog::reload()
{
    const QString current = selectedRole();
    QString error;
    const QList<CredentialStore::Credential> kept = CredentialStore(m_catalog).list(m_environment.id, &error);
    m_view->clear();
    for (const DatabaseRef& db : m_environment.databases) {
        if (!db.isPostgres())
            continue;
        auto* item = new QTreeWidgetItem(m_view);
        item->setData(0, Qt::UserRole, db.role);
        item->setText(0, db.role);
        item->setText(1, db.user.isEmpty() ? tr("(no login named)") : db.user);
        item->setText(2, tr("no"));
        for (const CredentialStore::Credential& c : kept) {
            if (c.databaseRole != db.role)
                continue;
            item->setText(2, tr("yes"));
            item->setText(3, c.setBy);
            item->setText(4, c.setAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        }
        if (db.role == current || !m_view->currentItem())
            m_view->setCurrentItem(item);
    }
    for (int c = 0; c < 4; ++c)
        m_view->resizeColumnToContents(c);
    if (!error.isEmpty())
        m_message->setText(tr("The credentials could not be read: %1").arg(error));
    else if (m_view->topLevelItemCount() == 0)
        m_message->setText(tr("%1 has no PostgreSQL database: a SQLite file needs no password.").arg(m_environment.name));
    updateButtons();
}

QString CredentialsDialog::selectedRole() const
{
    const QTreeWidgetItem* item = m_view ? m_view->currentItem() : nullptr;
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void CredentialsDialog::updateButtons()
{
    const QTreeWidgetItem* item = m_view->currentItem();
    const bool kept = item && item->text(2) == tr("yes");
    const bool production = m_environment.type == EnvironmentType::Production;
    m_set->setEnabled(item && m_manageRefusal.isEmpty());
    m_set->setToolTip(!m_manageRefusal.isEmpty() ? m_manageRefusal
                                                 : tr("Keep the password of the login this database connects as"));
    m_remove->setEnabled(kept && m_manageRefusal.isEmpty());
    m_remove->setToolTip(!m_manageRefusal.isEmpty() ? m_manageRefusal : tr("Forget the kept password"));
    m_reveal->setEnabled(kept && m_manageRefusal.isEmpty() && !production);
    m_reveal->setToolTip(production ? tr("%1 is production: its passwords are for its agents alone; nobody reveals "
                                         "them.")
                                          .arg(m_environment.name)
                         : !m_manageRefusal.isEmpty() ? m_manageRefusal
                         : kept ? tr("Show the password once, for a reason the audit keeps")
                                : tr("No password is kept for this database."));
}

void CredentialsDialog::setPassword()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return;
    QInputDialog ask(this);
    ask.setObjectName(QStringLiteral("credentialPasswordDialog"));
    ask.setWindowTitle(tr("Set password"));
    ask.setLabelText(tr("The password of the login the %1 database of %2 connects as:").arg(role, m_environment.name));
    ask.setTextEchoMode(QLineEdit::Password);
    ask.setMinimumWidth(460);
    if (ask.exec() != QDialog::Accepted)
        return;
    QString secret = ask.textValue();
    ask.setTextValue(QString());
    QString error;
    const CredentialStore::Outcome o = CredentialStore(m_catalog).set(m_environment.id, role, secret, &error);
    secret.fill(QLatin1Char('\0'));
    m_message->setText(o == CredentialStore::Outcome::Done
                           ? tr("The password for the %1 database is kept; agents use it.").arg(role)
                           : error);
    reload();
}

void CredentialsDialog::reveal()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return;
    QInputDialog ask(this);
    ask.setObjectName(QStringLiteral("credentialReasonDialog"));
    ask.setWindowTitle(tr("Reveal password"));
    ask.setLabelText(tr("Why do you need the password of the %1 database of %2? The audit keeps your reason.")
                         .arg(role, m_environment.name));
    ask.setMinimumWidth(460);
    if (ask.exec() != QDialog::Accepted)
        return;
    const QString reason = ask.textValue().trimmed();
    if (reason.isEmpty()) {
        m_message->setText(tr("Not revealed: a reason is required."));
        return;
    }
    QString secret, error;
    if (CredentialStore(m_catalog).reveal(m_environment.id, role, reason, &secret, &error) !=
        CredentialStore::Outcome::Done) {
        m_message->setText(error);
        return;
    }
    m_revealed->setText(secret);
    secret.fill(QLatin1Char('\0'));
    m_revealed->setVisible(true);
    m_message->setText(tr("Revealed for your reason, which the audit keeps. It is shown here only."));
}

void CredentialsDialog::removeSelected()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return;
    QString error;
    const CredentialStore::Outcome o = CredentialStore(m_catalog).remove(m_environment.id, role, &error);
    m_message->setText(o == CredentialStore::Outcome::Done ? tr("The password for the %1 database is forgotten.").arg(role)
                                                           : error);
    reload();
}
