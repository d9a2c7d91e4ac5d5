#include "MainWindow.h"
#include "catalog/Catalog.h"
#include "logging/Logging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <spdlog/spdlog.h>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dataalm-console"));
    // No applicationDisplayName: the platform would append it to the window title,
    // which already reads "DataALM Console — <project>".
    QApplication::setApplicationVersion(QStringLiteral(DATAALM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.dataalm.Console"));
    if (QFile::exists(QStringLiteral(":/icons/dataalm.svg")))
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/dataalm.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("DataALM Console: refresh, roll back and update environments."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption catalogOption(
        QStringList{QStringLiteral("catalog")},
        QStringLiteral("The catalog folder, or a team catalog's postgresql:// URL (default: %1).")
            .arg(Logging::defaultCatalog()),
        QStringLiteral("DIR"));
    const QCommandLineOption selectOption(QStringList{QStringLiteral("select")},
                                          QStringLiteral("Select the environment ENV at start."),
                                          QStringLiteral("ENV"));
    const QCommandLineOption screenshotOption(
        QStringList{QStringLiteral("screenshot")},
        QStringLiteral("Save a picture of the window (1280x800) to FILE once it is shown, then exit."),
        QStringLiteral("FILE"));
    parser.addOption(catalogOption);
    parser.addOption(selectOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    Logging::initialise(QStringLiteral("dataalm-console"));
    const QString folder =
        parser.isSet(catalogOption) ? parser.value(catalogOption) : Logging::defaultCatalog();
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(folder, &error)) {
        QMessageBox::critical(nullptr, QStringLiteral("DataALM Console"), error);
        return 8;
    }
    spdlog::info("DataALM Console {} on catalog {}", DATAALM_VERSION, catalog->folder().toStdString());
    MainWindow window(std::move(catalog));
    if (parser.isSet(selectOption) && !window.selectEnvironment(parser.value(selectOption)))
        spdlog::warn("--select: no environment {} in the current project", parser.value(selectOption).toStdString());
    window.show();

    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        window.resize(1280, 800);
        // Let layouts, fonts and the first paint settle before grabbing.
        QTimer::singleShot(700, &window, [&window, file] {
            const bool saved = window.grab().save(file);
            if (!saved)
                spdlog::error("cannot write the screenshot {}", file.toStdString());
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
