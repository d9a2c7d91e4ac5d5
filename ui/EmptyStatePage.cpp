#include "EmptyStatePage.h"

#include <QApplication>
#include <QFile>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

EmptyStatePage::EmptyStatePage(QWidget* parent)
    : QWidget(parent)
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
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

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
    column->addWidget(m_createButton, 0, Qt::AlignHCenter);

    auto* content = new QWidget(this);
    content->setLayout(column);
    content->setMaximumWidth(620);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addStretch(2);
    layout->addWidget(content, 0, Qt::AlignHCenter);
    layout->addStretch(3);
}

void EmptyStatePage::setCatalogFolder(const QString& folder)
{
    m_text->setText(tr("<p>The catalog <b>%1</b> holds no project. Create the demo project <b>contoso</b> "
                       "(a production environment, three sandboxes and a dev/test environment, each with its "
                       "databases) to explore the console:</p>"
                       "<p><code>dataalm demo --catalog %1</code></p>"
                       "<p>or create it from here.</p>")
                        .arg(folder.toHtmlEscaped()));
}

void EmptyStatePage::setBusy(bool busy)
{
    m_createButton->setEnabled(!busy);
}
