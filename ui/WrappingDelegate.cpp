#include "WrappingDelegate.h"

#include <QTreeView>

WrappingDelegate::WrappingDelegate(QTreeView* view) : RowPaddingDelegate(view), m_view(view) {}

QSize WrappingDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem measured = option;
    const int width = m_view->columnWidth(index.column());
    if (width > 0) {
        // The style wraps only within a valid rectangle: give it the column's width and room below.
        measured.rect = QRect(0, 0, width, 1 << 16);
        measured.features |= QStyleOptionViewItem::WrapText;
    }
    return RowPaddingDelegate::sizeHint(measured, index);
}
