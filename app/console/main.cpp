#include "MainWindow.h"
#include "catalog/Catalog.h"
#include "logging/Logging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dataalm-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("DataALM Console"));
    QApplication::setApplicationVersion(QStringLiteral(DATAALM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.dataalm.Console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("DataALM Console: refresh, roll back and update environments."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption catalogOption(QStringList{QStringLiteral("catalog")},
                                     QStringLiteral("The catalog folder (default: %1).")
                                         .arg(Logging::defaultCatalogDirectory()),
                                     QStringLiteral("DIR"));
    parser.addOption(catalogOption);
    parser.process(app);

    Logging::initialise(QStringLiteral("dataalm-console"));
    const QString folder =
        parser.isSet(catalogOption) ? parser.value(catalogOption) : Logging::defaultCatalogDirectory();
    Catalog catalog;
    QString error;
    if (!catalog.open(folder, &error)) {
        QMessageBox::critical(nullptr, QStringLiteral("DataALM Console"), error);
        return 8;
    }
    MainWindow window(catalog);
    window.show();
    return app.exec();
}
