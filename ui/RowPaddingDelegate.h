#pragma once

#include <QStyledItemDelegate>

// Gives the cells of the console's grids some air: taller rows and a gap after each
// column's widest text, so that columns sized to their contents do not touch.
class RowPaddingDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY(RowPaddingDelegate)

public:
    explicit RowPaddingDelegate(QObject* parent = nullptr);

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};
