#include "VersionDetailsDialog.h"

#include "DatabaseListModel.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <array>
#include <utility>

VersionDetailsDialog::VersionDetailsDialog(const Environment& environment, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("versionDetailsDialog"));
    setWindowTitle(tr("Detailed version information — %1").arg(environment.name));

    const auto& v = environment.versions;
    QList<std::pair<QString, QString>> rows = {
        {tr("Application release"), v.application.isEmpty() ? tr("Unknown") : v.application},
        {tr("Platform update"), platformUpdateText(v.platform)},
        {tr("Financial Reporting (MRApplicationService)"),
         v.financialReporting.isEmpty() ? tr("Not deployed") : v.financialReporting},
        {tr("Commerce"), v.commerce.isEmpty() ? tr("Not deployed") : v.commerce},
    };
    for (const auto& db : environment.databases)
        rows.append({tr("%1 database engine").arg(DatabaseListModel::roleTitle(db.role)), db.engineTitle()});

    auto* intro = new QLabel(tr("Components and versions of <b>%1</b>.").arg(environment.name.toHtmlEscaped()), this);

    m_table = new QTableWidget(int(rows.size()), 2, this);
    m_table->setObjectName(QStringLiteral("versionTable"));
    m_table->setHorizontalHeaderLabels({tr("Component"), tr("Version")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    for (int i = 0; i < rows.size(); ++i) {
        m_table->setItem(i, 0, new QTableWidgetItem(rows.at(i).first));
        m_table->setItem(i, 1, new QTableWidgetItem(rows.at(i).second));
    }
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->resizeRowsToContents();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("&Copy to clipboard"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersionsButton"));
    copy->setToolTip(tr("Copy the components and versions as text, for a support request"));
    connect(copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(asText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table);
    layout->addWidget(buttons);

    // Fit the table: every row visible, both columns readable without scrolling.
    const int tableHeight = m_table->horizontalHeader()->sizeHint().height() + m_table->verticalHeader()->length() +
                            2 * m_table->frameWidth() + 2;
    m_table->setFixedHeight(tableHeight);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const int width =
        m_table->horizontalHeader()->sectionSizeHint(0) + fontMetrics().horizontalAdvance(QLatin1Char('M')) * 16;
    m_table->setMinimumWidth(std::max(width + 2 * m_table->frameWidth() + 40, 460));
}

QString VersionDetailsDialog::platformUpdateText(int platformUpdate)
{
    if (platformUpdate <= 0)
        return tr("Not deployed");
    // Builds of the platform updates of the releases the demo project uses.
    static constexpr std::array<std::pair<int, const char*>, 3> Builds = {{
        {62, "7.0.7120"},
        {63, "7.0.7198"},
        {64, "7.0.7279"},
    }};
    for (const auto& [update, build] : Builds) {
        if (update == platformUpdate)
            return tr("Update %1 (%2.x)").arg(platformUpdate).arg(QLatin1String(build));
    }
    return tr("Update %1").arg(platformUpdate);
}

QString VersionDetailsDialog::asText() const
{
    QStringList lines;
    for (int i = 0; i < m_table->rowCount(); ++i)
        lines << m_table->item(i, 0)->text() + QLatin1Char('\t') + m_table->item(i, 1)->text();
    return lines.join(QLatin1Char('\n'));
}
