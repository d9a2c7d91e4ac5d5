#include "GridView.h"

#include "RowPaddingDelegate.h"

#include <QHeaderView>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>

GridView::GridView(QWidget* parent) : QTreeView(parent)
{
    setRootIsDecorated(false);
    setItemsExpandable(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setAllColumnsShowFocus(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setTextElideMode(Qt::ElideMiddle);
    setItemDelegate(new RowPaddingDelegate(this));
    header()->setSectionsMovable(false);
    header()->setHighlightSections(false);
}

void GridView::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    viewport()->update();
}

void GridView::setHeightInRows(int minRows, int maxRows)
{
    m_minRows = minRows;
    m_maxRows = std::max(minRows, maxRows);
    updateGeometry();
}

void GridView::setColumnWidthFor(int column, const QStringList& samples, bool withIcon)
{
    int text = 0;
    for (const QString& sample : samples)
        text = std::max(text, fontMetrics().horizontalAdvance(sample));
    // The delegate's padding and the style's margins on both sides, and the icon with its gap.
    int width = text + 10 + 2 * (style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, this) + 1) + 8;
    if (withIcon)
        width += iconSize().isValid() ? iconSize().width() + 6 : style()->pixelMetric(QStyle::PM_SmallIconSize) + 6;
    header()->setSectionResizeMode(column, QHeaderView::Interactive);
    header()->resizeSection(column, width);
}

int GridView::heightForRows(int rows) const
{
    int rowHeight = model() && model()->rowCount() > 0 ? sizeHintForRow(0) : -1;
    if (rowHeight <= 0)
        rowHeight = fontMetrics().height() + 6;
    const int headerHeight = header()->isHidden() ? 0 : header()->sizeHint().height();
    const int scrollBar = horizontalScrollBar()->isVisible() ? horizontalScrollBar()->sizeHint().height() : 0;
    return headerHeight + rows * rowHeight + 2 * frameWidth() + scrollBar + 2;
}

QSize GridView::sizeHint() const
{
    QSize hint = QTreeView::sizeHint();
    if (m_maxRows > 0) {
        const int rows = std::clamp(model() ? model()->rowCount() : 0, m_minRows, m_maxRows);
        hint.setHeight(heightForRows(rows));
    }
    return hint;
}

QSize GridView::minimumSizeHint() const
{
    QSize hint = QTreeView::minimumSizeHint();
    if (m_maxRows > 0)
        hint.setHeight(heightForRows(m_minRows));
    return hint;
}

void GridView::paintEvent(QPaintEvent* event)
{
    QTreeView::paintEvent(event);
    if (m_placeholder.isEmpty() || !model() || model()->rowCount(rootIndex()) > 0)
        return;
    QPainter painter(viewport());
    // Between text and base colour: quieter than the rows, still readable (about 5:1).
    const QColor text = palette().color(QPalette::Text);
    const QColor base = palette().color(QPalette::Base);
    painter.setPen(QColor::fromRgbF(0.6f * text.redF() + 0.4f * base.redF(),
                                    0.6f * text.greenF() + 0.4f * base.greenF(),
                                    0.6f * text.blueF() + 0.4f * base.blueF()));
    const QRect area = viewport()->rect().adjusted(12, 8, -12, -8);
    painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
}
