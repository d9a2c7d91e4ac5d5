#pragma once

#include "CommandLine.h"

#include <QJsonDocument>
#include <QTextStream>

class Catalog;

// What every group of CLI commands shares: the parsed command line, the output
// streams (stdout: the result only; stderr: progress and messages) and the catalog.
struct CliContext
{
    CommandLine& cl;
    QTextStream& out;
    QTextStream& err;
    Catalog& catalog;
    bool json = false;

    int usage(const QString& message)
    {
        err << QStringLiteral("dataalm: ") << message << Qt::endl;
        return 2;
    }
    int fail(int code, const QString& message)
    {
        err << QStringLiteral("dataalm: ") << message << Qt::endl;
        return code;
    }
    void printJson(const QJsonDocument& doc)
    {
        out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
        out.flush();
    }
};
