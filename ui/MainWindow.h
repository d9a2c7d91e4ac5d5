#pragma once

#include <QMainWindow>

class Catalog;

// The console's main window (placeholder until the GUI lands).
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY(MainWindow)

public:
    explicit MainWindow(Catalog& catalog, QWidget* parent = nullptr);

private:
    Catalog& m_catalog;
};
