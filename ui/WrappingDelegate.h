#pragma once

#include "RowPaddingDelegate.h"

class QTreeView;

// Row heights that follow wrapped text: QTreeView asks a delegate for a row's height
// without telling it the column's width, so long sentences (a preflight check's
// verdict) would stay on one clipped line. This delegate measures each cell at its
// column's width; the view must re-layout its rows when a column is resized.
class WrappingDelegate : public RowPaddingDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY(WrappingDelegate)

public:
    explicit WrappingDelegate(QTreeView* view);

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    QTreeView* m_view;
};
