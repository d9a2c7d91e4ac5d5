#pragma once

#include <QDialog>

class Catalog;
class ProjectMemberListModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

// Project > Members: who holds which role in the project (and the catalog's agents),
// and, for a Project owner, adding a login with a role or removing one (MemberStore,
// which the server checks again). For anyone else the controls are off and say why.
class ProjectMembersDialog : public QDialog
{
    Q_OBJECT

public:
    ProjectMembersDialog(Catalog& catalog, const QString& projectId, QWidget* parent = nullptr);

private:
    void reload();
    void add();
    void removeSelected();
    void updateButtons();

    Catalog& m_catalog;
    QString m_projectId;
    QString m_ownRefusal; // why this login may not change the members (empty: it may)
    ProjectMemberListModel* m_model;
    QTreeView* m_view;
    QLineEdit* m_login;
    QComboBox* m_role;
    QPushButton* m_add;
    QPushButton* m_remove;
    QLabel* m_message;
};
