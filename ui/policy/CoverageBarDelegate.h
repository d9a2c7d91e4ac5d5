#pragma once

#include <QStyledItemDelegate>

// Paints a table's coverage (PolicyCoverageModel::CountsRole) as a bar: covered by a rule
// (green), reviewed as safe (blue), unreviewed (grey) with the flagged part in red, beside
// the counts in words. A column row that looks sensitive and is unreviewed reads in red;
// other cells are painted as usual.
class CoverageBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static constexpr int BarWidth = 120;
};
