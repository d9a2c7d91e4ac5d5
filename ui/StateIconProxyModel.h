#pragma once

#include <QIdentityProxyModel>

// Adds the state icon (StateIcons) to one column of a model whose rows carry a state
// in `stateRole`: the models stay free of QtGui, the views get their icons here.
class StateIconProxyModel : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY(StateIconProxyModel)

public:
    StateIconProxyModel(int column, int stateRole, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    int m_column;
    int m_stateRole;
};
