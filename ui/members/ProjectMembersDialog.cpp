#include "ProjectMembersDialog.h"

#include "ProjectMemberListModel.h"
#include "catalog/Catalog.h"
#include "catalog/MemberStore.h"
#include "catalog/TeamAccess.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

ProjectMembersDialog::ProjectMembersDialog(Catalog& catalog, const QString& projectId, QWidget* parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_projectId(projectId)
    , m_model(new ProjectMemberListModel(this))
{
    setObjectName(QStringLiteral("projectMembersDialog"));
    setWindowTitle(tr("Members of %1").arg(projectId));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Roles are enforced by the team catalog's server: a Project owner does everything in "
                                "the project, an Environment manager operates and manages every environment, a Team "
                                "member operates the non-production ones, a Viewer reads."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("membersView"));
    m_view->setRootIsDecorated(false);
    m_view->setModel(m_model);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->header()->setStretchLastSection(true);
    layout->addWidget(m_view, 1);

    auto* row = new QHBoxLayout;
    m_login = new QLineEdit(this);
    m_login->setObjectName(QStringLiteral("memberLogin"));
    m_login->setPlaceholderText(tr("PostgreSQL login"));
    m_role = new QComboBox(this);
    m_role->setObjectName(QStringLiteral("memberRole"));
    for (const QString& role : TeamAccess::projectRoles())
        m_role->addItem(TeamAccess::roleTitle(role), role);
    m_role->setCurrentIndex(int(TeamAccess::projectRoles().indexOf(QStringLiteral("TeamMember"))));
    m_add = new QPushButton(tr("&Add"), this);
    m_add->setObjectName(QStringLiteral("memberAdd"));
    m_remove = new QPushButton(tr("&Remove"), this);
    m_remove->setObjectName(QStringLiteral("memberRemove"));
    row->addWidget(m_login, 1);
    row->addWidget(m_role);
    row->addWidget(m_add);
    row->addWidget(m_remove);
    layout->addLayout(row);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("membersMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_add, &QPushButton::clicked, this, &ProjectMembersDialog::add);
    connect(m_remove, &QPushButton::clicked, this, &ProjectMembersDialog::removeSelected);
    connect(m_login, &QLineEdit::textChanged, this, &ProjectMembersDialog::updateButtons);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &ProjectMembersDialog::updateButtons);

    m_ownRefusal = TeamAccess(m_catalog).whyNot(m_projectId, QString(), TeamAccess::Right::Own);
    m_message->setText(m_ownRefusal);
    resize(720, 420);
    reload();
}

void ProjectMembersDialog::reload()
{
    QList<MemberStore::Member> members;
    for (const MemberStore::Member& m : MemberStore(m_catalog).list(m_projectId)) {
        if (m.projectId.isEmpty() || m.projectId == m_projectId)
            members.append(m);
    }
    m_model->setMembers(members);
    for (int c = 0; c < ProjectMemberListModel::ColumnCount - 1; ++c)
        m_view->resizeColumnToContents(c);
    updateButtons();
}

void ProjectMembersDialog::updateButtons()
{
    const bool owner = m_ownRefusal.isEmpty();
    const MemberStore::Member* selected = m_model->memberAt(m_view->currentIndex().row());
    for (QWidget* w : {static_cast<QWidget*>(m_login), static_cast<QWidget*>(m_role)})
        w->setEnabled(owner);
    m_add->setEnabled(owner && !m_login->text().trimmed().isEmpty());
    m_remove->setEnabled(owner && selected && !selected->projectId.isEmpty());
    const QString why = owner ? QString() : m_ownRefusal;
    for (QWidget* w : {static_cast<QWidget*>(m_add), static_cast<QWidget*>(m_remove)})
        w->setToolTip(why.isEmpty() ? QString() : why);
}

void ProjectMembersDialog::add()
{
    QString error;
    const QString login = m_login->text().trimmed();
    const QString role = m_role->currentData().toString();
    if (!MemberStore(m_catalog).add(m_projectId, login, role, &error)) {
        m_message->setText(error);
        return;
    }
    m_message->setText(tr("%1 now holds the role %2 in %3.").arg(login, TeamAccess::roleTitle(role), m_projectId));
    m_login->clear();
    reload();
}

void ProjectMembersDialog::removeSelected()
{
    const MemberStore::Member* selected = m_model->memberAt(m_view->currentIndex().row());
    if (!selected)
        return;
    const QString login = selected->login;
    QString error;
    if (!MemberStore(m_catalog).remove(m_projectId, login, &error)) {
        m_message->setText(error);
        return;
    }
    m_message->setText(tr("%1 is no longer a member of %2.").arg(login, m_projectId));
    reload();
}
