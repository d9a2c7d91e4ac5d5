#include "DifferenceHighlightProxy.h"

#include <QFont>

DifferenceHighlightProxy::DifferenceHighlightProxy(int differsRole, QObject* parent)
    : QIdentityProxyModel(parent), m_differsRole(differsRole)
{
}

QVariant DifferenceHighlightProxy::data(const QModelIndex& index, int role) const
{
    if (role == Qt::FontRole && index.isValid() && QIdentityProxyModel::data(index, m_differsRole).toBool()) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return QIdentityProxyModel::data(index, role);
}
