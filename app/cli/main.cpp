#include "CliApplication.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dataalm"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DATAALM_VERSION));
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    return CliApplication().run(args);
}
