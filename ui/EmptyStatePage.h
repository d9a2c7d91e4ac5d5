#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

// What the console shows on a catalog without any project: how to create the demo
// project from a terminal, and a button that creates it from here.
class EmptyStatePage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY(EmptyStatePage)

public:
    explicit EmptyStatePage(QWidget* parent = nullptr);

    void setCatalogFolder(const QString& folder);
    // Disables the button while a demo is being created.
    void setBusy(bool busy);

Q_SIGNALS:
    void createDemoRequested();

private:
    QLabel* m_text = nullptr;
    QLabel* m_command = nullptr;
    QPushButton* m_createButton = nullptr;
};
