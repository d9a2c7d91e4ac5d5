#pragma once

#include "environment/Environment.h"

#include <QDialog>

class Catalog;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

// Maintain > Database Credentials…: the passwords a team catalog keeps for the logins an
// environment's PostgreSQL databases connect as (CredentialStore, enforced by the
// server). Each database with whether one is kept, by whom and when; Set password… and
// Remove for those who manage the environment; Reveal… for a Project owner or an
// Environment manager outside production, which asks for the reason the audit keeps and
// shows the password once, in this dialog only. Never in a log, a tooltip or the clipboard
// unless the user copies it.
class CredentialsDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(CredentialsDialog)

public:
    // `manageRefusal`: why this login may not manage `environment` (TeamAccess::whyNot;
    // empty: it may).
    CredentialsDialog(Catalog& catalog, const Environment& environment, const QString& manageRefusal,
                      QWidget* parent = nullptr);

private:
    void reload();
    void updateButtons();
    QString selectedRole() const;
    void setPassword();
    void reveal();
    void removeSelected();

    Catalog& m_catalog;
    Environment m_environment;
    QString m_manageRefusal;
    QTreeWidget* m_view = nullptr;
    QPushButton* m_set = nullptr;
    QPushButton* m_reveal = nullptr;
    QPushButton* m_remove = nullptr;
    QLineEdit* m_revealed = nullptr;
    QLabel* m_message = nullptr;
};
