#include "policy/CoverageBarDelegate.h"

#include "PolicyCoverageModel.h"

#include <QApplication>
#include <QPainter>

void CoverageBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariantList counts = index.data(PolicyCoverageModel::CountsRole).toList();
    if (counts.size() != 4) {
        // A column that needs a decision reads in the bar's red.
        QStyleOptionViewItem opt = option;
        if (index.data(PolicyCoverageModel::FlaggedRole).toBool() && !(option.state & QStyle::State_Selected))
            opt.palette.setColor(QPalette::Text, QColor(0xc6, 0x28, 0x28));
        QStyledItemDelegate::paint(painter, opt, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const int covered = counts.at(0).toInt();
    const int reviewed = counts.at(1).toInt();
    const int unreviewed = counts.at(2).toInt();
    const int flagged = counts.at(3).toInt();
    const int total = std::max(1, covered + reviewed + unreviewed);
    const int height = std::max(6, opt.rect.height() / 2);
    const QRect bar(opt.rect.left() + 4, opt.rect.center().y() - height / 2, BarWidth, height);
    painter->save();
    painter->setPen(Qt::NoPen);
    int x = bar.left();
    const auto segment = [&](int n, const QColor& color) {
        const int w = n * bar.width() / total;
        painter->fillRect(QRect(x, bar.top(), w, bar.height()), color);
        x += w;
    };
    segment(covered, QColor(0x2e, 0x7d, 0x32));
    segment(reviewed, QColor(0x15, 0x65, 0xc0));
    segment(flagged, QColor(0xc6, 0x28, 0x28));
    painter->fillRect(QRect(x, bar.top(), bar.right() - x + 1, bar.height()), QColor(0xbd, 0xbd, 0xbd));
    painter->setPen(opt.palette.color(QPalette::Mid));
    painter->drawRect(bar.adjusted(0, 0, -1, -1));
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    const QRect textRect(bar.right() + 8, opt.rect.top(), opt.rect.right() - bar.right() - 8, opt.rect.height());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                      opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize CoverageBarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(PolicyCoverageModel::CountsRole).toList().size() == 4)
        s.setWidth(s.width() + BarWidth + 12);
    return s;
}
