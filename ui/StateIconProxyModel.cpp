#include "StateIconProxyModel.h"

#include "StateIcons.h"

StateIconProxyModel::StateIconProxyModel(int column, int stateRole, QObject* parent)
    : QIdentityProxyModel(parent), m_column(column), m_stateRole(stateRole)
{
}

QVariant StateIconProxyModel::data(const QModelIndex& index, int role) const
{
    if (role == Qt::DecorationRole && index.isValid() && index.column() == m_column)
        return StateIcons::forStatus(QIdentityProxyModel::data(index, m_stateRole).toString());
    return QIdentityProxyModel::data(index, role);
}
