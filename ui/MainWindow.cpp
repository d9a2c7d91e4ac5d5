#include "MainWindow.h"

#include "catalog/Catalog.h"

MainWindow::MainWindow(Catalog& catalog, QWidget* parent)
    : QMainWindow(parent)
    , m_catalog(catalog)
{
    setWindowTitle(QStringLiteral("DataALM Console"));
}
