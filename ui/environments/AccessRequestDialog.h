#pragma once

#include "environment/Environment.h"

#include <QDialog>

class Catalog;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTimer;

// Maintain > Request Database Access…: just-in-time access to the selected PostgreSQL
// environment (AccessService, the CLI's `access request`): which database, read-only or
// read-write (read-only on production), for how long (1 to 8 hours) and why. Once asked,
// it shows the login and its password, once, and follows the grant until an agent has
// made the login (or could not).
class AccessRequestDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(AccessRequestDialog)

public:
    AccessRequestDialog(Catalog& catalog, const Environment& environment, QWidget* parent = nullptr);

private:
    void ask();
    void follow();

    Catalog& m_catalog;
    Environment m_environment;
    QComboBox* m_database = nullptr;
    QRadioButton* m_readOnly = nullptr;
    QRadioButton* m_readWrite = nullptr;
    QSpinBox* m_hours = nullptr;
    QLineEdit* m_reason = nullptr;
    QPushButton* m_request = nullptr;
    QLineEdit* m_login = nullptr;
    QLineEdit* m_password = nullptr;
    QLabel* m_state = nullptr;
    QTimer* m_follow = nullptr;
    qint64 m_grant = 0;
};
