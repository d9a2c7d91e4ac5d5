#pragma once

#include <QTreeView>

// A flat, row-selecting list of columns, like the grids of LCS: no tree decoration,
// alternating rows, and a placeholder text painted in the empty viewport ("No
// operations yet") so that an empty grid says why it is empty.
//
// setHeightInRows() lets a short grid (two databases) take exactly the height of its
// rows instead of the default, tall size hint.
class GridView : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY(GridView)

public:
    explicit GridView(QWidget* parent = nullptr);

    void setPlaceholderText(const QString& text);
    QString placeholderText() const { return m_placeholder; }
    // The size hint covers between `minRows` and `maxRows` rows (the model's count,
    // clamped); 0 restores QTreeView's hint.
    void setHeightInRows(int minRows, int maxRows);
    // Gives `column` the width of its widest possible text (`samples`), once: unlike
    // QHeaderView::ResizeToContents, nothing is measured again when rows arrive, which
    // matters for grids that grow line by line (logs) or change ten times a second.
    void setColumnWidthFor(int column, const QStringList& samples, bool withIcon = false);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int heightForRows(int rows) const;

    QString m_placeholder;
    int m_minRows = 0;
    int m_maxRows = 0;
};
