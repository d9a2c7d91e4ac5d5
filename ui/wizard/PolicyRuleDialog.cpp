#include "PolicyRuleDialog.h"

#include "PolicyReviewModel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

PolicyRuleDialog::PolicyRuleDialog(PolicyReviewModel* model, int row, const QString& sourceName, QWidget* parent)
    : QDialog(parent), m_model(model), m_row(row), m_sourceName(sourceName)
{
    setObjectName(QStringLiteral("policyRuleDialog"));
    setWindowModality(Qt::WindowModal);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("ruleTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_what = new QLabel(this);
    m_what->setObjectName(QStringLiteral("ruleDescription"));
    m_why = new QLabel(this);
    m_why->setObjectName(QStringLiteral("ruleReason"));
    m_columns = new QLabel(this);
    m_columns->setObjectName(QStringLiteral("ruleColumns"));
    for (QLabel* l : {m_what, m_why, m_columns}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_tables = new QTreeWidget(this);
    m_tables->setObjectName(QStringLiteral("ruleTables"));
    m_tables->setRootIsDecorated(false);
    m_tables->setColumnCount(2);
    m_tables->setHeaderLabels({tr("Table"), tr("Source rows")});
    m_tables->headerItem()->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    m_tables->header()->setStretchLastSection(false);
    m_tables->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tables->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto* form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(tr("What happens:"), m_what);
    form->addRow(tr("Why:"), m_why);
    form->addRow(tr("Columns used:"), m_columns);
    auto* tablesCaption = new QLabel(tr("&Tables:"), this);
    tablesCaption->setBuddy(m_tables);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addWidget(tablesCaption);
    layout->addWidget(m_tables, 1);
    layout->addWidget(buttons);

    connect(model, &QAbstractItemModel::dataChanged, this, &PolicyRuleDialog::fill);
    connect(model, &QAbstractItemModel::modelReset, this, &QDialog::reject);
    fill();
    resize(560, 420);
}

void PolicyRuleDialog::fill()
{
    const PolicyRule* rule = m_model->ruleAt(m_row);
    if (!rule)
        return;
    setWindowTitle(tr("Data policy rule — %1").arg(rule->title));
    m_title->setText(rule->title);
    m_what->setText(QStringLiteral("%1 (%2)").arg(rule->describe(), PolicyReviewModel::actionTitle(rule->action)));
    m_why->setText(PolicyReviewModel::reasonExplanation(rule->reason));
    const QStringList columns = rule->columnsUsed();
    m_columns->setText(columns.isEmpty() ? tr("None: the rule works on whole rows.")
                                         : columns.join(QStringLiteral(", ")));

    const QModelIndex index = m_model->index(m_row, PolicyReviewModel::RowsColumn);
    const QVariantList counted = index.data(PolicyReviewModel::TableRowsRole).toList();
    const qint64 rows = index.data(PolicyReviewModel::RowsRole).toLongLong();
    m_tables->clear();
    for (const QString& table : rule->tables) {
        QString text = rows == PolicyReviewModel::NotCounted ? tr("Counting…") : tr("Unknown");
        for (const QVariant& v : counted) {
            const QVariantList pair = v.toList();
            if (pair.size() == 2 && pair.at(0).toString().compare(table, Qt::CaseInsensitive) == 0)
                text = QLocale().toString(pair.at(1).toLongLong());
        }
        auto* item = new QTreeWidgetItem(m_tables, {table, text});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, tr("Rows of %1 in %2").arg(table, m_sourceName));
    }
}
