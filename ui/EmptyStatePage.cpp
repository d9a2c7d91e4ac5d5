#include "EmptyStatePage.h"

#include <QApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

EmptyStatePage::EmptyStatePage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyState"));

    auto* icon = new QLabel(this);
    const QIcon appIcon = QApplication::windowIcon();
    if (!appIcon.isNull())
        icon->setPixmap(appIcon.pixmap(QSize(72, 72)));
    icon->setAlignment(Qt::AlignCenter);

    auto* title = new QLabel(tr("No project in this catalog yet"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);

    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("emptyStateText"));
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_command = new QLabel(this);
    m_command->setObjectName(QStringLiteral("emptyStateCommand"));
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_command->setAlignment(Qt::AlignCenter);
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setToolTip(tr("Run this in a terminal; the console picks the project up by itself"));

    auto* orLabel = new QLabel(tr("or create it from here:"), this);
    orLabel->setAlignment(Qt::AlignCenter);

    m_createButton = new QPushButton(tr("Create demo project"), this);
    m_createButton->setObjectName(QStringLiteral("createDemoButton"));
    m_createButton->setToolTip(tr("Create the demo project contoso with five environments and their databases "
                                  "in this catalog"));
    m_createButton->setDefault(true);
    connect(m_createButton, &QPushButton::clicked, this, &EmptyStatePage::createDemoRequested);

    auto* column = new QVBoxLayout;
    column->setSpacing(14);
    column->addWidget(icon);
    column->addWidget(title);
    column->addWidget(m_text);
    column->addWidget(m_command);
    column->addWidget(orLabel);
    column->addWidget(m_createButton, 0, Qt::AlignHCenter);

    // A column of readable width, centred; added without an alignment flag so that
    // the word-wrapped text gets its height for the width it is given.
    auto* content = new QWidget(this);
    content->setLayout(column);
    content->setFixedWidth(fontMetrics().averageCharWidth() * 84);
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(content, 4);
    row->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addStretch(2);
    layout->addLayout(row);
    layout->addStretch(3);
}

void EmptyStatePage::setCatalogFolder(const QString& folder)
{
    m_text->setText(tr("The catalog %1 holds no project. Create the demo project contoso (a production "
                       "environment, three sandboxes and a dev/test environment, each with its databases) to "
                       "explore the console:")
                        .arg(folder));
    m_command->setText(QStringLiteral("dataalm demo --catalog ") + folder);
}

void EmptyStatePage::setBusy(bool busy)
{
    m_createButton->setEnabled(!busy);
}
