#pragma once

#include <QIdentityProxyModel>

// Sets in bold the cells whose `differsRole` is true (a candidate source's version
// that is not the target's), so that differences stand out in the Source page's
// side-by-side table. The text itself says it too (the comparison column).
class DifferenceHighlightProxy : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY(DifferenceHighlightProxy)

public:
    DifferenceHighlightProxy(int differsRole, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    int m_differsRole;
};
