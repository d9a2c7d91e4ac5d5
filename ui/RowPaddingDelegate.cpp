#include "RowPaddingDelegate.h"

namespace {
constexpr int HorizontalPadding = 10;
constexpr int VerticalPadding = 6;
} // namespace

RowPaddingDelegate::RowPaddingDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize RowPaddingDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    return QStyledItemDelegate::sizeHint(option, index) + QSize(HorizontalPadding, VerticalPadding);
}
